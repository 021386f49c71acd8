"""Charts as SVG markup, drawn on the server so the pages need no JavaScript.

Pure Python: labels are escaped here, colours are attributes (the pages' content
security policy forbids inline styles), and every chart has a title and a text
alternative for screen readers.
"""

from __future__ import annotations

from html import escape

BAR = "#2f6fab"
AXIS = "#444"


def bar_chart(title: str, items: list[tuple[str, int]], width: int = 560) -> str:
    """Horizontal bars, one per option, with the count and share written out."""
    label_w, row_h, pad = 190, 26, 8
    total = sum(v for _, v in items) or 1
    peak = max((v for _, v in items), default=0) or 1
    bar_w = width - label_w - 90
    height = pad * 2 + row_h * len(items)
    desc = "; ".join(f"{label}: {value}" for label, value in items)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    for i, (label, value) in enumerate(items):
        y = pad + i * row_h
        w = round(bar_w * value / peak)
        share = round(100 * value / total)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{AXIS}">{escape(label[:32])}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="{BAR}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 17}" font-size="13" fill="#111">'
            f"{value} ({share} %)</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def mean_chart(
    title: str, rows: list[tuple[str, float, float | None, float | None]], width: int = 560
) -> str:
    """Means on the 1–5 scale with their 95 % confidence intervals as whiskers."""
    label_w, row_h, pad, top = 190, 28, 10, 22
    plot_w = width - label_w - 30
    height = top + pad + row_h * len(rows)

    def x(v: float) -> float:
        return label_w + (v - 1) / 4 * plot_w

    desc = "; ".join(
        f"{label}: {mean:.2f}".replace(".", ",")
        + (f" ({low:.2f}–{high:.2f})".replace(".", ",") if low is not None and high else "")
        for label, mean, low, high in rows
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
    ]
    for tick in range(1, 6):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{height - pad}" '
            f'stroke="#ccc"/><text x="{x(tick):.1f}" y="{top - 8}" font-size="12" '
            f'text-anchor="middle" fill="{AXIS}">{tick}</text>'
        )
    for i, (label, mean, low, high) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="13" '
            f'fill="{AXIS}">{escape(label[:32])}</text>'
        )
        if low is not None and high is not None:
            lo, hi = max(1.0, low), min(5.0, high)
            parts.append(
                f'<line x1="{x(lo):.1f}" y1="{y:.1f}" x2="{x(hi):.1f}" y2="{y:.1f}" '
                f'stroke="{BAR}" stroke-width="2"/>'
            )
        parts.append(f'<circle cx="{x(mean):.1f}" cy="{y:.1f}" r="5" fill="{BAR}"/>')
    parts.append("</svg>")
    return "".join(parts)
