"""Name lookups the importers share: municipalities, organisations, regions, people.

Each lookup is loaded with one query when an import starts and answers by a folded
name (case, spacing and accents forgiven). An unknown name raises ``ValueError``
with the closest known names suggested.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

from django.db.models import Model
from django.utils.translation import gettext as _

from oppdrag.core.parsing import fold, split_list, split_og, suggest

T = TypeVar("T", bound=Model)


class NameLookup(Generic[T]):
    """Objects by name (and aliases), with suggestions for near misses."""

    def __init__(self, what: str, pairs: Iterable[tuple[str, T]]):
        self.what = what
        self.by_key: dict[str, T] = {}
        self.display: dict[str, str] = {}
        for name, obj in pairs:
            key = fold(name)
            self.by_key.setdefault(key, obj)
            self.display.setdefault(key, name)
        # Cell text → what it resolved to: a large file repeats the same names,
        # and folding a name costs more than reading its row.
        self._found: dict[str, T] = {}
        self._lists: dict[tuple[str, bool], tuple[T, ...]] = {}

    def get(self, name: str) -> T:
        obj = self._found.get(name)
        if obj is not None:
            return obj
        obj = self.by_key.get(fold(name))
        if obj is not None:
            self._found[name] = obj
            return obj
        close = suggest(name, self.display.values())
        if close:
            hint = _("Mente du {names}?").format(names=_(" eller ").join(f"«{c}»" for c in close))
        else:
            hint = _("Ingen lignende navn er registrert.")
        raise ValueError(
            _("Ukjent {what} «{name}». {hint}").format(what=self.what, name=name, hint=hint)
        )

    def get_list(self, text: str, *, also_og: bool = False) -> list[T]:
        """Resolve every name of a list cell; report all unknown names at once.

        With ``also_og`` a part that is not a known name as a whole («Helsefellesskap
        Troms og Ofoten» is) is split on «og».
        """
        known = self._lists.get((text, also_og))
        if known is not None:
            return list(known)
        names: list[str] = []
        for part in split_list(text):
            if also_og and fold(part) not in self.by_key:
                names.extend(split_og(part))
            else:
                names.append(part)
        found: list[T] = []
        errors: list[str] = []
        for name in names:
            try:
                obj = self.get(name)
            except ValueError as exc:
                errors.append(str(exc))
                continue
            if obj not in found:
                found.append(obj)
        if errors:
            raise ValueError(" ".join(errors))
        self._lists[(text, also_og)] = tuple(found)
        return found
