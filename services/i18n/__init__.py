"""The strings people read, by language: one catalogue per language (`zh_CN`, the only one
so far; English would be another module with the same keys) and a lookup, `t(key, **values)`.

Keys are `section.name` (`rule.R4.1`, `status.closed`, `column.due_on`); a value of a code
table is `code.<TableName>.<value>`. Pure: no I/O, so the domain's tables, the exports and
the pages can all use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.i18n import zh_CN

CATALOGUES: dict[str, Mapping[str, str]] = {"zh_CN": zh_CN.CATALOGUE}
DEFAULT_LANGUAGE = "zh_CN"


class Translator:
    """The catalogue of one language."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language
        self.catalogue = CATALOGUES[language]

    def t(self, key: str, /, **values: Any) -> str:
        """The text of `key`, its `{fields}` filled from `values`. An unknown key is a
        mistake of the code (the catalogue tests catch it): KeyError."""
        text = self.catalogue[key]
        return text.format(**values) if values else text

    def label(self, section: str, value: Any) -> str:
        """The label of a value that comes from data (a status, a code, a rule id): the
        value itself when the catalogue does not know it, so that no unforeseen value
        stops a ledger."""
        if value is None or value == "":
            return ""
        return self.catalogue.get(f"{section}.{value}", str(value))

    def has(self, key: str) -> bool:
        return key in self.catalogue


_default = Translator()
t = _default.t
label = _default.label
has = _default.has
