"""The templates themselves, read as Django's template engine reads them."""

from pathlib import Path

from django.template.base import Lexer, TokenType

import oppdrag

ROOT = Path(oppdrag.__file__).parent


def test_no_template_comment_reaches_the_page():
    """``{# … #}`` ends on its own line; one spread over several lines is printed as
    text, so an English note would show on a Norwegian page (``{% comment %}`` spans
    lines)."""
    leaking = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        tokens = Lexer(path.read_text(encoding="utf-8")).tokenize()
        for token in tokens:
            if token.token_type == TokenType.TEXT and "{#" in token.contents:
                leaking.append(f"{path.relative_to(ROOT)}:{token.lineno}")
    assert leaking == []
