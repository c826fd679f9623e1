"""The names of the reference data in Kazakh, Russian and English (`domain/data/names.json`).

English names of providers, lists and categories are those of the reference data itself
(domain.reference); the Kazakh and Russian ones, and every name of a document kind, live in
`names.json`, which a test holds complete: every code has a name in each language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Final, Literal

from domain.reference import list_kinds, providers
from domain.values import DocumentKind

Language = Literal["kk", "ru", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("kk", "ru", "en")
Names = Mapping[Language, str]


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, dict[str, str]]]:
    raw = resources.files("domain").joinpath("data", "names.json").read_text("utf-8")
    loaded: dict[str, dict[str, dict[str, str]]] = json.loads(raw)
    return loaded


def _names(section: str, code: str, english: str) -> dict[Language, str]:
    found = _table()[section].get(code, {})
    return {"kk": found.get("kk", english), "ru": found.get("ru", english), "en": english}


def provider_names(code: str) -> dict[Language, str]:
    return _names("providers", code, providers()[code].name)


def list_names(code: str) -> dict[Language, str]:
    return _names("lists", code, list_kinds()[code].name)


def category_names(code: str) -> dict[Language, str]:
    english = next(c.name for k in list_kinds().values() for c in k.categories if c.code == code)
    return _names("categories", code, english)


def document_names(kind: DocumentKind) -> dict[Language, str]:
    found = _table()["documents"].get(kind.value, {})
    return _names("documents", kind.value, found.get("en", kind.value.replace("_", " ")))


def missing_names() -> list[str]:
    """Every code that lacks its own Kazakh or Russian name (a test wants none)."""
    table = _table()
    wanted = {
        "providers": list(providers()),
        "lists": list(list_kinds()),
        "categories": [c.code for k in list_kinds().values() for c in k.categories],
        "documents": [d.value for d in DocumentKind],
    }
    return [
        f"{section}.{code}.{lang}"
        for section, codes in wanted.items()
        for code in codes
        for lang in ("kk", "ru")
        if lang not in table[section].get(code, {})
    ]
