"""The words of a notice: its title and body in the personal account, and its SMS.

A notice's outbox row keeps its subject, language, the provider's zone and its parameters
(domain.notices); the words are made when read or sent, from the catalogues (api.texts):
days and moments in the provider's zone, lists, categories and documents by their names in
the language (domain.names), codes (grounds, outcomes, remedies, bodies) by `code.<value>`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from api.texts import day, has_text, moment, text
from domain.names import LANGUAGES, Language, category_names, document_names, list_names
from domain.notifying import ONE_OFF
from domain.values import DocumentKind

CODED: Final = frozenset({"ground", "outcome", "remedy", "body", "by_role", "cause"})
DOCUMENT_KINDS: Final = frozenset(kind.value for kind in DocumentKind)


def language_of(row: Mapping[str, Any]) -> Language:
    found = str(row["language"])
    return next((lang for lang in LANGUAGES if lang == found), "kk")


def params_of(row: Mapping[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(row["params"])
    return loaded


def _code(language: Language, value: str) -> str:
    key = f"code.{value}"
    return text(language, key) if has_text(language, key) else value.replace("_", " ")


def _item(language: Language, value: str) -> str:
    if value in DOCUMENT_KINDS:
        return document_names(DocumentKind(value))[language]
    return _code(language, value)


def _list(language: Language, code: str) -> str:
    try:
        return list_names(code)[language]
    except KeyError:
        return code


def _category(language: Language, code: str) -> str:
    try:
        return category_names(code)[language]
    except (KeyError, StopIteration):
        return code


def words(language: Language, tz: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters as the language writes them."""
    found: dict[str, Any] = {}
    for name, value in params.items():
        if not isinstance(value, str) or not value:
            found[name] = value
        elif name.endswith("_on"):
            found[name] = day(language, date.fromisoformat(value))
        elif name.endswith("_at"):
            found[name] = moment(language, datetime.fromisoformat(value), tz)
        elif name in CODED:
            found[name] = _code(language, value)
        elif name == "items":
            found[name] = ", ".join(_item(language, v) for v in value.split(", "))
        elif name == "list_code":
            found[name] = _list(language, value)
        elif name == "category_code":
            found[name] = _category(language, value)
        else:
            found[name] = value
    return found


def subject_of(row: Mapping[str, Any]) -> str:
    """The texts' subject: a verification that found grounds reads `grounds_found`."""
    subject = str(row["subject"])
    if subject == "verified" and params_of(row).get("grounds_found"):
        return "grounds_found"
    return subject


def account_text(row: Mapping[str, Any], language: Language | None = None) -> tuple[str, str]:
    """The notice's title and body in the personal account (in `language`, else its own)."""
    lang = language or language_of(row)
    subject = subject_of(row)
    params = words(lang, str(row["tz"]), params_of(row))
    return text(lang, f"notice.{subject}.title"), text(lang, f"notice.{subject}.body", **params)


def sms_text(row: Mapping[str, Any]) -> str:
    """The SMS of the notice, in the applicant's language (a one-off: its own text)."""
    params = params_of(row)
    if row["subject"] == ONE_OFF:
        return str(params["text"])
    lang = language_of(row)
    return text(lang, f"notice.{subject_of(row)}.sms", **words(lang, str(row["tz"]), params))
