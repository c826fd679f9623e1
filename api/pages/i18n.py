"""The pages' language and the way they write dates: Kazakh, Russian or English.

The language is `?lang=` (remembered in a cookie), else the cookie, else the first of the
three the browser's Accept-Language names, else Kazakh, the state language. Labels go through
the babel catalogues in `api/pages/locales/<lang>/LC_MESSAGES/pages.po` (English is the
message id itself); dates and times are written in the provider's own time zone, named.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Final

from babel.dates import format_date, format_datetime, get_timezone_location
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from fastapi import Request

from domain.calendar import zone
from domain.names import LANGUAGES, Language

LANG_COOKIE: Final = "kezek_lang"
DEFAULT: Final[Language] = "kk"
DOMAIN: Final = "pages"


def _known(code: str | None) -> Language | None:
    code = (code or "").strip().lower()[:2]
    for lang in LANGUAGES:
        if code == lang:
            return lang
    return None


def from_accept_language(header: str) -> Language | None:
    """The first of kk, ru, en the header names, by its q-values (ties: in order)."""
    wanted: list[tuple[float, int, Language]] = []
    for n, part in enumerate(header.split(",")[:32]):
        tag, _, params = part.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        lang = _known(tag)
        if lang is not None and quality > 0:
            wanted.append((-quality, n, lang))
    return min(wanted)[2] if wanted else None


def chosen(request: Request) -> tuple[Language, bool]:
    """The page's language, and whether `?lang=` asked for it (then the cookie remembers)."""
    asked = _known(request.query_params.get("lang"))
    if asked is not None:
        return asked, True
    kept = _known(request.cookies.get(LANG_COOKIE))
    if kept is not None:
        return kept, False
    return from_accept_language(request.headers.get("accept-language", "")) or DEFAULT, False


def catalogue_path(lang: str) -> str:
    return f"locales/{lang}/LC_MESSAGES/{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: Language) -> NullTranslations:
    """The language's catalogue, compiled in memory from its .po file (no build step)."""
    source = resources.files("api.pages").joinpath(catalogue_path(lang))
    if lang == "en" and not source.is_file():
        return NullTranslations()  # English is its own message ids
    with source.open("rb") as po:
        catalogue = read_po(po, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Writer:
    """Dates and moments as the page's language writes them, in one time zone."""

    def __init__(self, lang: Language, tz: str) -> None:
        self.lang = lang
        self.zone = zone(tz)  # from `tzdata`, never the system's database
        self.place = get_timezone_location(self.zone, locale=lang, return_city=True)

    def moment(self, at: datetime | None) -> str:
        if at is None:
            return ""
        local = at.astimezone(self.zone)
        offset = local.strftime("%z")
        written = format_datetime(local, "d MMMM y, HH:mm", tzinfo=self.zone, locale=self.lang)
        return f"{written} ({self.place}, UTC{offset[:3]}:{offset[3:]})"

    def day(self, on: date | None) -> str:
        return "" if on is None else format_date(on, "d MMMM y", locale=self.lang)

    def month(self, on: date) -> str:
        return format_date(on, "LLL y", locale=self.lang)
