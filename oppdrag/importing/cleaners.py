"""Column cleaners shared by every app's importers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from django.utils.translation import gettext as _

from oppdrag.core.parsing import fold, normalize_space


def choice(choices: Any, what: str) -> Callable[[str], str]:
    """A cleaner that accepts a ``TextChoices`` value or label, forgiving case."""
    by_key = {fold(str(value)): value for value in choices.values}
    by_key.update({fold(str(label)): value for value, label in choices.choices})

    def clean(text: str) -> str:
        value = by_key.get(fold(text))
        if value is None:
            allowed = ", ".join(f"«{label}»" for label in choices.labels)
            raise ValueError(
                _("«{text}» er ikke en gyldig {what}. Gyldige verdier: {allowed}.").format(
                    text=text, what=what, allowed=allowed
                )
            )
        return str(value)

    return clean


def text(limit: int) -> Callable[[str], str]:
    """A cleaner for free text: white space folded, refused above ``limit`` characters."""

    def clean(value: str) -> str:
        folded = normalize_space(value)
        if len(folded) > limit:
            raise ValueError(
                _("Teksten er for lang ({length} tegn; høyst {limit}).").format(
                    length=len(folded), limit=limit
                )
            )
        return folded

    return clean


def url(value: str) -> str:
    """A web address (http or https), angle brackets from e-mail copies removed."""
    cleaned = value.strip().strip("<>")
    parsed = urlparse(cleaned)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValueError(_("«{text}» er ikke en nettadresse (http/https).").format(text=value))
    if len(cleaned) > 500:
        raise ValueError(_("Nettadressen er for lang."))
    return cleaned
