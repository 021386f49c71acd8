"""Column widths from a table's content, shared by the PDF and DOCX renderers.

Each column wants room for its longest cell (capped) and never less than its longest
word, so words are not broken mid-word ("Arrangøre r"); what portrait cannot give, a
landscape page may.
"""

from __future__ import annotations

from .. import charts
from .. import tree as t

# Text width of an A4 page with the margins below, in points, and the widths a table's
# columns may take before it is set on a landscape page instead.
MARGIN = 51  # 1.8 cm
PORTRAIT_WIDTH = 595 - 2 * MARGIN
LANDSCAPE_WIDTH = 842 - 2 * MARGIN
# Average advance of a character of 8 pt DejaVu Sans in points (cell text), and the
# padding a cell adds on both sides.
CHAR_WIDTH = 4.6
CELL_PADDING = 8
# Header cells are bold: their characters are this much wider.
BOLD = 1.15
# No column is narrower than this many characters nor wider than this share of the page.
MIN_CHARS = 4
MAX_SHARE = 0.45


def column_points(table: t.Table) -> tuple[list[float], bool]:
    """Each column's width in points, adding up to the text width, and whether the table
    needs a landscape page.

    Every column first gets its longest word (so no word breaks); the width left over
    goes to the columns in proportion to how much more their longest cell wants.
    """
    columns = len(table.columns)
    texts = [[_text(row[i]) for row in table.rows] for i in range(columns)]
    want = []
    least = []
    for i in range(columns):
        longest = max([_longest_word(table.columns[i])] + [len(text) for text in texts[i]])
        word = max(
            _longest_word(table.columns[i]) * BOLD,
            max((_longest_word(x) for x in texts[i]), default=0),
            MIN_CHARS,
        )
        least.append(word * CHAR_WIDTH + CELL_PADDING)
        want.append(max(longest, MIN_CHARS) * CHAR_WIDTH + CELL_PADDING)
    landscape = sum(least) > PORTRAIT_WIDTH or (sum(want) > 1.6 * PORTRAIT_WIDTH and columns >= 6)
    width = LANDSCAPE_WIDTH if landscape else PORTRAIT_WIDTH
    cap = MAX_SHARE * width
    want = [max(lo, min(wa, cap)) for lo, wa in zip(least, want, strict=True)]
    spare = width - sum(least)
    if spare <= 0:  # even landscape cannot give every word its room: shrink alike
        return [lo * width / sum(least) for lo in least], landscape
    extra = [wa - lo for lo, wa in zip(least, want, strict=True)]
    if sum(extra) <= spare:  # everything fits: the spare room goes to all, by want
        return [wa * width / sum(want) for wa in want], landscape
    return [lo + spare * ex / sum(extra) for lo, ex in zip(least, extra, strict=True)], landscape


def column_widths(table: t.Table) -> tuple[list[str], bool]:
    """Typst column widths (points) and the landscape flag."""
    points, landscape = column_points(table)
    return [f"{share:.1f}pt" for share in points], landscape


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _text(value: t.Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return charts._number(value)
    return str(value)
