"""Charts of a report ``Figure``: SVG drawn here (HTML, and vector in the PDF), and the
same SVG rasterised to PNG for the DOCX.
"""

from __future__ import annotations

from html import escape

from .rounding import half_up
from .tree import Figure

# Colour-blind-safe palette (Okabe–Ito), dark enough against white for WCAG non-text contrast.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000"]


def _number(value: float) -> str:
    """A number the Norwegian way: narrow no-break spaces between thousands, a decimal
    comma and one decimal when it is not whole, and a minus sign (U+2212, not the
    hyphen), as the web pages write it: −1\u2009234,5."""
    magnitude = abs(value)
    if float(magnitude).is_integer():
        text = f"{int(magnitude):,}".replace(",", "\u2009")
    else:  # half up, as the tables print (Python's format rounds 0,25 to 0,2)
        text = f"{half_up(magnitude, 1):,}".replace(",", "\u2009").replace(".", ",")
    return f"\u2212{text}" if value < 0 and text.strip("0,\u2009") else text


def _totals(figure: Figure) -> list[float]:
    if figure.kind == "stacked-bar":
        return [sum(s.values[i] for s in figure.series) for i in range(len(figure.labels))]
    return [max((s.values[i] for s in figure.series), default=0) for i in range(len(figure.labels))]


def svg(figure: Figure, ident: str) -> str:
    """A horizontal bar chart as inline SVG with a title and description for screen readers."""
    bar, gap, label_width, plot_width, right = 18, 8, 260.0, 380.0, 70.0
    legend = len(figure.series) > 1
    top = 30 if legend else 8
    height = top + len(figure.labels) * (bar + gap) + 8
    width = label_width + plot_width + right
    totals = _totals(figure)
    scale_max = max(totals, default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="DejaVu Sans, sans-serif" class="chart">',
        f'<title id="{ident}-t">{escape(figure.caption)}</title>',
        f'<desc id="{ident}-d">{escape(figure.alt)}</desc>',
    ]
    if legend:
        x = label_width
        for index, series in enumerate(figure.series):
            colour = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>')
            parts.append(
                f'<text x="{x + 16}" y="16" font-size="12" fill="#1a1a1a">'
                f"{escape(series.name)}</text>"
            )
            x += 24 + 7 * len(series.name)
    for row, label in enumerate(figure.labels):
        y = top + row * (bar + gap)
        short = label if len(label) <= 40 else label[:39] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 4}" font-size="12" text-anchor="end" '
            f'fill="#1a1a1a">{escape(short)}</text>'
        )
        x = float(label_width)
        for index, series in enumerate(figure.series):
            value = series.values[row]
            if not value:
                continue
            w = plot_width * value / scale_max
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"/>'
            )
            if figure.kind == "stacked-bar":
                x += w
        end = label_width + plot_width * totals[row] / scale_max
        parts.append(
            f'<text x="{end + 4:.1f}" y="{y + bar - 4}" font-size="12" fill="#1a1a1a">'
            f"{_number(totals[row])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def png(figure: Figure) -> bytes:
    """The same chart as a PNG (for DOCX): the SVG above, rasterised by Typst at 150 ppi,
    so both formats show the very same drawing (and a chart costs ~0,1 s, not ~1 s)."""
    import typst

    from .renderers.pdf import fonts, string

    source = (
        "#set page(width: auto, height: auto, margin: 0pt)\n"
        f'#image(bytes({string(svg(figure, "chart"))}), format: "svg")\n'
    )
    data = typst.compile(source.encode(), font_paths=fonts(), format="png", ppi=150)
    assert isinstance(data, bytes)
    return data
