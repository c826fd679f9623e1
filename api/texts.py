"""Texts people read, in Kazakh, Russian and English: babel message catalogues and dates.

The catalogues of the service share one layout, `api/pages/locales/<language>/LC_MESSAGES/`:
the pages' labels are the domain `pages` (api.pages.i18n), the notices' texts the domain
`notices`, here. Its message ids are symbolic (`notice.registered.sms`, `code.upheld`); every
language's catalogue holds the text, English too, and a message missing from one falls back to
English, then to its id. Texts take named placeholders in braces (`{queue_number}`,
python-brace-format). The catalogues are compiled in memory on first use (babel's own
compiler: no .mo file is kept or built), so a clean clone runs as it is. docs/notices.md says
how to add a message.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Final

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from domain.calendar import zone
from domain.names import LANGUAGES

DOMAIN: Final = "notices"
LOCALES: Final = Path(__file__).parent / "pages" / "locales"
FALLBACK: Final = "en"


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> Translations:
    """The language's compiled catalogue, falling back to English (an unknown language: English
    alone)."""
    if language not in LANGUAGES:
        language = FALLBACK
    found = _compiled(language)
    if language != FALLBACK:
        found.add_fallback(_compiled(FALLBACK))
    return found


def _compiled(language: str) -> Translations:
    with catalogue_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def text(language: str, message: str, /, **params: object) -> str:
    """The message in the language, its placeholders filled (`{name}`)."""
    found = translations(language).gettext(message)
    return found.format(**params) if params else found


def has_text(language: str, message: str) -> bool:
    """The language's catalogue (or the English fallback) holds the message."""
    return translations(language).gettext(message) != message


def day(language: str, value: date) -> str:
    """A day, short enough for an SMS (`04.03.2024`)."""
    return format_date(value, format="dd.MM.y", locale=language)


def moment(language: str, value: datetime, tz: str) -> str:
    """A moment in the provider's local zone: day and time, no seconds."""
    return format_datetime(value, format="dd.MM.y HH:mm", tzinfo=zone(tz), locale=language)
