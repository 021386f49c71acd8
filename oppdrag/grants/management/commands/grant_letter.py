"""``oppdrag grant-letter import FILE --center SLUG [--json] [--dry-run]`` and
``oppdrag grant-letter calendar --center SLUG --year YYYY``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from oppdrag.core.models import Center
from oppdrag.grants.extract import TextRejected, extract_text
from oppdrag.grants.letter_parser import GrantDraft, parse_letter
from oppdrag.grants.models import Grant
from oppdrag.grants.services import create_grant_from_draft, grant_calendar


class Command(BaseCommand):
    help = "Les inn et tilskuddsbrev, eller skriv årshjulet som iCalendar."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        reading = commands.add_parser("import", help="Les et tilskuddsbrev (txt, md, docx, pdf).")
        reading.add_argument("file")
        reading.add_argument("--center", required=True)
        reading.add_argument("--year", type=int, help="Året, om brevet ikke sier det.")
        reading.add_argument("--json", action="store_true", help="Skriv utkastet som JSON.")
        reading.add_argument("--dry-run", action="store_true", help="Les og vis, men lagre ikke.")
        reading.add_argument("--user", help="Brukernavnet endringene føres på.")
        calendar = commands.add_parser("calendar", help="Årshjulet som iCalendar (.ics).")
        calendar.add_argument("--center", required=True)
        calendar.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        center = self._center(options["center"])
        if options["action"] == "calendar":
            self._calendar(center, options["year"])
        else:
            self._import(center, options)

    def _center(self, slug: str) -> Center:
        try:
            return Center.objects.get(slug=slug)
        except Center.DoesNotExist as exc:
            raise CommandError(_("Ukjent senter «{slug}».").format(slug=slug)) from exc

    def _calendar(self, center: Center, year: int) -> None:
        grant = Grant.objects.filter(center=center, year=year).first()
        if grant is None:
            raise CommandError(
                _("{center} har ikke noe tilskudd for {year}.").format(center=center, year=year)
            )
        self.stdout.write(grant_calendar(grant), ending="")

    def _import(self, center: Center, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            extracted = extract_text(path)
            draft = parse_letter(extracted.text)
        except (TextRejected, ValueError) as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        draft.warnings[:0] = extracted.warnings
        if options["year"] and draft.year and options["year"] != draft.year:
            draft.warnings.append(
                _("Brevet gjelder {letter}, men --year sier {given}; {given} er brukt.").format(
                    letter=draft.year, given=options["year"]
                )
            )
        year = options["year"] or draft.year
        if options["json"]:
            self.stdout.write(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2))
        else:
            self._summary(draft, path)
        if options["dry_run"]:
            if not options["json"]:
                self.stdout.write(_("Prøvekjøring: ingenting er lagret."))
            return
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
        try:
            grant = create_grant_from_draft(
                center,
                draft,
                user,
                year=year,
                letter_name=path.name,
                letter_text=extracted.text,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not options["json"]:
            self.stdout.write(
                _("Lagret tilskuddet {grant} med {count} oppdrag.").format(
                    grant=grant, count=len(draft.all_assignments())
                )
            )

    def _summary(self, draft: GrantDraft, path: Path) -> None:
        write = self.stdout.write
        write(
            _("Tilskuddsbrev {name}: {year}, {grantor}").format(
                name=path.name, year=draft.year or _("(år ukjent)"), grantor=draft.grantor
            )
        )
        if draft.amount_nok is not None:
            amount = f"{draft.amount_nok:,}".replace(",", "\u2009")
            write("  " + _("Beløp: {amount} kr").format(amount=amount))
        for line in draft.budget_lines:
            write(
                "  " + _("Kap. {chapter} post {post}").format(chapter=line.chapter, post=line.post)
            )
        write("  " + _("Lesesikkerhet: {percent} %").format(percent=round(draft.confidence * 100)))
        for node in draft.all_assignments():
            indent = "  " * (node.full_number.count(".") + 1)
            write(f"{indent}{node.number} {node.title}")
            for deliverable in node.deliverables:
                write(f"{indent}  – {deliverable.text[:70]}")
        for item in draft.dates:
            when = item.date.isoformat() if item.date else f"{item.period_start}–{item.period_end}"
            where = f" ({item.assignment})" if item.assignment else ""
            write(f"  {when} {item.kind}{where}: {item.text[:60]}")
        write("  " + _("Relevant materiell: {count}").format(count=len(draft.materials)))
        for unplaced in draft.unplaced:
            write(
                "  "
                + _("Ikke plassert, linje {line}: {text}").format(
                    line=unplaced.source_start_line, text=unplaced.text[:60]
                )
            )
        for warning in draft.warnings:
            write("  " + _("Advarsel: {warning}").format(warning=warning))
