"""Per-request cost of the staff pages, one request at a time, in-process.

On a shared machine the latency under load says more about the neighbours than about
a page, so this measures what one request costs: the median wall time through Django's
test client, the CPU time of this process (Python: views, ORM, templates), the time
spent waiting in the database driver, and the time inside the outermost template
render (which includes queries the template runs). Run against the national data set
(one centre-year, the first synthetic centre)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME_national \\
        DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python -m bench.pagecost [REPEAT] [NAME]

``NAME`` keeps only the pages whose name contains it. Not a measure of the runner: it
prints a table and keeps nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any


def page_urls(center: Any, year: int) -> dict[str, str]:
    """The runner's pages (``bench.pages.page_urls``), a filtered events list, every
    kind's list and the other pages of the shell."""
    from django.urls import reverse

    from bench.pages import page_urls as measured
    from oppdrag.web.registry import KINDS

    slug = center.slug
    pages = measured(center, year)
    pages["event_list_municipality"] = pages["event_list"] + "?municipality=Bodø"
    for kind in KINDS:
        if kind != "arrangementer":
            pages[f"list_{kind}"] = reverse(
                "activities:kind_list", kwargs={"center": slug, "kind": kind}
            )
    pages["grant_list"] = reverse("web:grant_list", kwargs={"center": slug})
    pages["reach"] = reverse("web:reach", kwargs={"center": slug}) + f"?year={year}"
    pages["hours"] = reverse("web:hours", kwargs={"center": slug, "year": year})
    return pages


class Timers:
    """Time in the database driver and in the outermost template render."""

    def __init__(self) -> None:
        self.sql = 0.0
        self.template = 0.0
        self.queries = 0
        self.depth = 0

    def reset(self) -> None:
        self.sql = self.template = 0.0
        self.queries = 0

    def execute(self, execute: Callable[..., Any], *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(*args)
        finally:
            self.sql += time.perf_counter() - start
            self.queries += 1

    def wrap_render(self, render: Callable[..., Any]) -> Callable[..., Any]:
        def timed(template: Any, *args: Any, **kwargs: Any) -> Any:
            self.depth += 1
            start = time.perf_counter()
            try:
                return render(template, *args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.template += time.perf_counter() - start

        return timed


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.template.backends import django as backend

    from bench.national import first_center
    from bench.pages import signed_in_client

    repeat = int(argv[0]) if argv else 7
    only = argv[1] if len(argv) > 1 else ""
    timers = Timers()
    backend.Template.render = timers.wrap_render(backend.Template.render)  # type: ignore[method-assign]
    center, year = first_center()
    client = signed_in_client(center)
    print(f"centre {center.slug}, year {year}, median of {repeat} requests after one")
    print(f"{'page':34s} {'wall ms':>8s} {'cpu ms':>7s} {'sql ms':>7s} {'tpl ms':>7s} queries")
    with connection.execute_wrapper(timers.execute):
        for name, url in page_urls(center, year).items():
            if only not in name:
                continue
            rows: list[tuple[float, float, float, float]] = []
            for attempt in range(repeat + 1):
                timers.reset()
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                if response.status_code != 200:
                    raise RuntimeError(f"{url} answered {response.status_code}")
                if attempt:
                    rows.append((wall, cpu, timers.sql, timers.template))
            wall_ms, cpu_ms, sql_ms, tpl_ms = (
                statistics.median(column) * 1000 for column in zip(*rows, strict=True)
            )
            print(
                f"{name:34s} {wall_ms:8.1f} {cpu_ms:7.1f} {sql_ms:7.1f} {tpl_ms:7.1f} "
                f"{timers.queries:7d}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
