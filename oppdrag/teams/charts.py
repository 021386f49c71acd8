"""A team's fidelity reviews over time as SVG, drawn on the server (no JavaScript).

Pure Python, no Django: the caller passes translated texts. Colours are attributes
(the pages' content security policy forbids inline styles); every chart has a title
and a description, and the page shows the same numbers as a table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

LINE = "#2f6fab"
AXIS = "#444"
GRID = "#ccc"
# Light to dark blue for low to high scores; text is dark on the first three.
HEAT = ["#f1f5fa", "#d3e2f1", "#a9c7e4", "#4f86c0", "#1f4e85"]


@dataclass(frozen=True)
class ReviewPoint:
    """One scored review: its date, total and item scores (None where not scored)."""

    date: dt.date
    total: float | None
    items: dict[str, float | None]


def number(value: float | None, digits: int = 2) -> str:
    """A score as the page writes it: «3,44», «4»; «–» for none."""
    if value is None:
        return "–"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _svg_open(title: str, desc: str, width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
    )


def total_chart(
    title: str, points: Sequence[ReviewPoint], low: float, high: float, width: int = 560
) -> str:
    """The total score of each review in date order, as a line with its values."""
    left, right, top, bottom = 40, 20, 20, 40
    inset = 40  # the first and last points stay clear of the axis and the edge
    height = 220
    plot_w, plot_h = width - left - right - 2 * inset, height - top - bottom
    scored = [p for p in points if p.total is not None]

    def x(i: int) -> float:
        return left + inset + (plot_w / 2 if len(scored) == 1 else i * plot_w / (len(scored) - 1))

    def y(v: float) -> float:
        return top + (high - v) / (high - low) * plot_h

    desc = "; ".join(f"{p.date:%d.%m.%Y}: {number(p.total)}" for p in scored)
    parts = [_svg_open(title, desc, width, height)]
    tick = low
    while tick <= high + 1e-9:
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 8}" y="{y(tick) + 4:.1f}" font-size="12" '
            f'text-anchor="end" fill="{AXIS}">{number(tick)}</text>'
        )
        tick += 1
    if len(scored) > 1:
        line = " ".join(f"{x(i):.1f},{y(p.total):.1f}" for i, p in enumerate(scored))  # type: ignore[arg-type]
        parts.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for i, p in enumerate(scored):
        assert p.total is not None
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p.total):.1f}" r="5" fill="{LINE}"/>'
            f'<text x="{x(i):.1f}" y="{y(p.total) - 10:.1f}" font-size="13" text-anchor="middle" '
            f'fill="#111" class="chart-total">{number(p.total)}</text>'
            f'<text x="{x(i):.1f}" y="{height - 14}" font-size="12" text-anchor="middle" '
            f'fill="{AXIS}">{p.date:%d.%m.%Y}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def item_chart(
    title: str,
    points: Sequence[ReviewPoint],
    items: Sequence[tuple[str, str]],
    low: float,
    high: float,
) -> str:
    """Item scores by review: one row per item, one column per review, each cell
    coloured by its score with the score written in it."""
    label_w, cell_w, row_h, top = 250, 78, 24, 30
    width = label_w + cell_w * max(len(points), 1) + 10
    height = top + row_h * len(items) + 10
    desc = "; ".join(
        f"{p.date:%d.%m.%Y} "
        + ", ".join(f"{code} {number(p.items.get(code))}" for code, _name in items)
        for p in points
    )
    parts = [_svg_open(title, desc, width, height)]
    for col, p in enumerate(points):
        cx = label_w + col * cell_w + cell_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top - 10}" font-size="12" text-anchor="middle" '
            f'fill="{AXIS}">{p.date:%d.%m.%Y}</text>'
        )
    for row, (code, name) in enumerate(items):
        ry = top + row * row_h
        label = f"{code} {name}"
        if len(label) > 36:
            label = label[:35] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{ry + 16}" font-size="12" text-anchor="end" '
            f'fill="{AXIS}">{escape(label)}</text>'
        )
        for col, p in enumerate(points):
            value = p.items.get(code)
            cx = label_w + col * cell_w
            if value is None:
                fill, ink = "#fff", AXIS
            else:
                share = 0.0 if high == low else (value - low) / (high - low)
                step = min(len(HEAT) - 1, max(0, round(share * (len(HEAT) - 1))))
                fill, ink = HEAT[step], ("#111" if step < 3 else "#fff")
            parts.append(
                f'<rect x="{cx + 2}" y="{ry + 2}" width="{cell_w - 4}" height="{row_h - 4}" '
                f'fill="{fill}" stroke="{GRID}"/>'
                f'<text x="{cx + cell_w / 2:.1f}" y="{ry + 16}" font-size="12" '
                f'text-anchor="middle" fill="{ink}">{number(value)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
