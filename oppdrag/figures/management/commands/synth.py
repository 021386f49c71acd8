"""``oppdrag synth --centers N --years Y --scale S [--seed K]``: a synthetic nation of centres."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oppdrag.core.models import Center
from oppdrag.figures.synth import FIRST_YEAR_DEFAULT, synthesize


class Command(BaseCommand):
    help = (
        "Lag syntetiske sentre med samme form som NAPHA-demoen (arrangementer, presentasjoner, "
        "timer, team …), likt for samme frø."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--centers", type=int, required=True, help="Antall sentre.")
        parser.add_argument("--years", type=int, required=True, help="Antall år per senter.")
        parser.add_argument("--scale", type=float, default=1.0, help="Mengde per senter-år.")
        parser.add_argument("--seed", type=int, default=0, help="Frø; samme frø gir samme data.")
        parser.add_argument("--first-year", type=int, default=FIRST_YEAR_DEFAULT)
        parser.add_argument("--prefix", default="syn", help="Sentrenes kortnavn: syn01, syn02 …")
        parser.add_argument("--json", action="store_true", help="Antall rader som JSON.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["centers"] < 1 or options["years"] < 1 or options["scale"] <= 0:
            raise CommandError("--centers og --years må være minst 1, og --scale større enn 0.")
        slugs = [f"{options['prefix']}{n:02d}" for n in range(1, options["centers"] + 1)]
        taken = list(Center.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if taken:
            raise CommandError(
                f"Sentrene finnes allerede: {', '.join(sorted(taken))}. "
                "Bruk en ny database eller et annet --prefix."
            )
        start = time.perf_counter()
        verbose = options["verbosity"] > 1
        synth = synthesize(
            centers=options["centers"],
            years=options["years"],
            scale=options["scale"],
            seed=options["seed"],
            first_year=options["first_year"],
            prefix=options["prefix"],
            progress=self.stderr.write if verbose else None,
        )
        wall = time.perf_counter() - start
        counts = dict(sorted(synth.counts.items()))
        if options["json"]:
            self.stdout.write(json.dumps({"seconds": round(wall, 1), "rows": counts}))
            return
        self.stdout.write(f"{len(slugs)} sentre × {options['years']} år på {wall:.1f} s")
        for name, count in counts.items():
            self.stdout.write(f"  {name:<28} {count:>10}")
