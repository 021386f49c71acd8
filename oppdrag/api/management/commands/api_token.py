"""``oppdrag api-token create|revoke|list USER``: keys for scripts that use the API."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppdrag.api.models import ApiToken
from oppdrag.api.tokens import create_token, revoke_tokens


class Command(BaseCommand):
    help = "Lag, list opp eller trekk tilbake API-nøkler for en bruker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "revoke", "list"])
        parser.add_argument("user", help="Brukernavnet.")
        parser.add_argument("--name", default="", help="Hva nøkkelen brukes til.")
        parser.add_argument(
            "--prefix", default="", help="Trekk tilbake bare nøkkelen som starter slik."
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["user"]})
        except User.DoesNotExist as exc:
            raise CommandError(f"Ukjent bruker «{options['user']}».") from exc
        if options["action"] == "create":
            _token, key = create_token(user, options["name"])
            self.stderr.write("Nøkkelen vises bare denne ene gangen; ta vare på den.")
            self.stdout.write(key)
        elif options["action"] == "revoke":
            count = revoke_tokens(user, options["prefix"] or None)
            self.stdout.write(f"{count} nøkler trukket tilbake.")
        else:
            for token in ApiToken.objects.filter(user=user):
                state = "aktiv" if token.active else "trukket tilbake"
                self.stdout.write(
                    f"{token.prefix}…  {token.created_at:%Y-%m-%d}  {state}  {token.name}"
                )
