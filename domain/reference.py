"""Reference data: service providers (§1) and the lists and categories of Art. 74 para 2.

The data live in `domain/data/*.json` (package data), not in code: the lists and their
categories have changed by law before, and providers are added as districts are reorganised.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Final, Literal, TypeVar

from pydantic import ConfigDict, TypeAdapter, ValidationError

from domain.calendar import UnknownTimeZone, zone

T = TypeVar("T")

ProviderKind = Literal["republican_city", "region", "district", "regional_town"]

_PROVIDER_CODE: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LIST_CODE: Final = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")


# Appendix 1 item 7: what the applicant underlines for each person named there.
SERIOUS_CONDITIONS: Final = frozenset(
    {"disability", "elderly", "cardiovascular_disease", "other_serious_disease"}
)


class UnknownReference(KeyError):
    """A code that the reference data does not hold."""

    def __init__(self, what: str, code: str) -> None:
        self.what = what
        self.code = code
        super().__init__(f"unknown {what} {code[:64]!r}")

    def __str__(self) -> str:
        # KeyError's own __str__ would show the message quoted as a key.
        return str(self.args[0])


class ReferenceDataError(ValueError):
    """The packaged reference data are malformed (a packaging or editing mistake)."""


_STRICT: Final = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True)
class Provider:
    """A local executive body that keeps waiting lists (§1), in one IANA time zone."""

    __pydantic_config__ = _STRICT

    code: str
    name: str
    kind: ProviderKind
    region: str
    tz: str
    three_year_residence: bool  # §5: Astana, Almaty, Shymkent


@dataclass(frozen=True)
class Category:
    """A category of a list: what the applicant names in Appendix 1 item 2."""

    __pydantic_config__ = _STRICT

    code: str
    name: str
    income_test: bool  # Appendix 1 item 4, Std 8: income of the last 12 months is checked
    requires_certificate_from_work: bool  # Std 8: military, special state bodies, elected


@dataclass(frozen=True)
class ListKind:
    """One of the separate lists a provider keeps (Art. 74 para 2)."""

    __pydantic_config__ = _STRICT

    code: str
    name: str
    basis: str
    requires_workplace_bin: bool  # Appendix 1 item 9
    categories: tuple[Category, ...]

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise UnknownReference(f"category of the list {self.code!r}", code)


def _load(file: str, adapter: TypeAdapter[list[T]]) -> list[T]:
    raw = resources.files("domain").joinpath("data", file).read_bytes()
    try:
        return adapter.validate_json(raw)
    except ValidationError as error:
        raise ReferenceDataError(f"domain/data/{file} is malformed: {error}") from error


def _index(items: list[T], code_of: str, what: str) -> dict[str, T]:
    index: dict[str, T] = {}
    for item in items:
        code: str = getattr(item, code_of)
        if code in index:
            raise ReferenceDataError(f"duplicate {what} code {code!r}")
        index[code] = item
    return index


@lru_cache(maxsize=1)
def providers() -> Mapping[str, Provider]:
    """All service providers by code."""
    loaded = _index(_load("providers.json", TypeAdapter(list[Provider])), "code", "provider")
    for provider in loaded.values():
        if not _PROVIDER_CODE.fullmatch(provider.code):
            raise ReferenceDataError(f"provider code {provider.code!r} is not a lowercase slug")
        try:
            zone(provider.tz)
        except UnknownTimeZone as error:
            raise ReferenceDataError(f"provider {provider.code!r}: {error}") from error
    return MappingProxyType(loaded)


def get_provider(code: str) -> Provider:
    try:
        return providers()[code]
    except KeyError:
        raise UnknownReference("service provider", code) from None


@lru_cache(maxsize=1)
def list_kinds() -> Mapping[str, ListKind]:
    """The lists of Art. 74 para 2 by code."""
    loaded = _index(_load("lists.json", TypeAdapter(list[ListKind])), "code", "list")
    for kind in loaded.values():
        if not kind.categories:
            raise ReferenceDataError(f"list {kind.code!r} has no categories")
        codes = [kind.code, *(c.code for c in kind.categories)]
        if bad := [c for c in codes if not _LIST_CODE.fullmatch(c)]:
            raise ReferenceDataError(f"list {kind.code!r}: codes not in snake_case: {bad}")
        _index(list(kind.categories), "code", f"category of the list {kind.code!r}")
    return MappingProxyType(loaded)


def get_list_kind(code: str) -> ListKind:
    try:
        return list_kinds()[code]
    except KeyError:
        raise UnknownReference("list", code) from None
