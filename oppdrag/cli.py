"""The ``oppdrag`` console command: Django's management commands under friendlier names.

``oppdrag load-demo`` runs the ``load_demo`` command, ``oppdrag import`` runs
``import_records`` and so on; any other Django command works as it is
(``oppdrag migrate``, ``oppdrag createsuperuser``). ``--database-url URL``
anywhere on the line sets ``DATABASE_URL`` before Django starts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# «check» is Django's own system check; the report's data-quality check is «check_report».
ALIASES = {"import": "import_records", "check": "check_report"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    args[0] = "oppdrag"
    for index, arg in enumerate(args):
        if arg == "--database-url" and index + 1 < len(args):
            os.environ["DATABASE_URL"] = args[index + 1]
            del args[index : index + 2]
            break
        if arg.startswith("--database-url="):
            os.environ["DATABASE_URL"] = arg.split("=", 1)[1]
            del args[index]
            break
    if len(args) > 1 and args[1] == "bench":
        run_bench(args[2:])
        return
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1].replace("-", "_"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oppdrag.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


def run_bench(argv: list[str]) -> None:
    """``oppdrag bench …`` is ``python -m bench …`` (the benchmarks live in the checkout)."""
    root = Path(__file__).resolve().parent.parent
    if not (root / "bench" / "__main__.py").exists():
        raise SystemExit("oppdrag bench needs the source checkout (bench/ is not installed).")
    sys.path.insert(0, str(root))
    sys.argv = ["oppdrag bench", *argv]
    from bench.__main__ import main as bench_main

    bench_main()


if __name__ == "__main__":
    main()
