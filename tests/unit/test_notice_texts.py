"""§12.1, Std 5, §10, §13: every notice has its words in Kazakh, Russian and English; every
SMS, rendered with realistic (longest) data, stays within 2 segments and carries no IIN, no
income, no health detail and no free text (docs/notices.md, "Limits")."""

from __future__ import annotations

import json
import re

import pytest

from api.notice_texts import account_text, sms_text
from api.texts import has_text, text, translations
from domain.actors import COMPLAINT_DECIDERS
from domain.acts import ALL
from domain.sms import MAX_SEGMENTS, segments, units
from domain.values import (
    ComplaintBody,
    ComplaintOutcome,
    DeregistrationGround,
    HearingOutcome,
    RefusalGround,
    Remedy,
)

IIN = "900101300123"
FREE = "FREE-TEXT-SENTINEL"
# The longest values each parameter takes (free text as a sentinel the SMS must not show).
WORST = {
    "received_on": "2024-12-31", "result_on": "2025-01-22", "last_on": "2025-01-22",
    "count": 20, "items": "income_proof, protected, other", "reasons": FREE,
    "grounds_found": 1, "ground": "unreliable_documents", "place": FREE,
    "hearing_at": "2024-12-31T18:59:00+00:00", "outcome": "partially_upheld",
    "list_code": "state_employees", "category_code": FREE, "queue_number": 999_999,
    "documents": 20, "offer_id": "of-7f3a9c2e", "rooms": 10, "area": "99999.99",
    "address": FREE, "complaint_id": "c-7f3a9c2e", "body": "quality_body",
    "remedy": "correct_priority", "by": FREE, "by_role": "complaint_body", "cause": "moved_away",
}  # fmt: skip
NOTICES = [act.notice for act in ALL if act.notice is not None]
SUBJECTS = sorted({n.subject for n in NOTICES} | {"grounds_found"})
SMS_SUBJECTS = sorted({n.subject for n in NOTICES if n.sms})
LANGUAGES = ("kk", "ru", "en")


def row(subject: str, language: str) -> dict[str, str]:
    return {
        "subject": subject,
        "language": language,
        "tz": "Asia/Almaty",
        "params": json.dumps({**WORST, "grounds_found": int(subject == "grounds_found")}),
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("subject", SUBJECTS)
def test_every_notice_reads_in_the_applicants_language(subject: str, language: str) -> None:
    for part in ("title", "body"):
        assert has_text(language, f"notice.{subject}.{part}")
    title, body = account_text(row(subject, language))
    assert title
    assert "{" not in body


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("subject", SMS_SUBJECTS)
def test_an_sms_stays_within_two_segments_and_names_no_personal_data_std5(
    subject: str, language: str
) -> None:
    assert has_text(language, f"notice.{subject}.sms")
    text = sms_text(row(subject, language))
    assert segments(text) <= MAX_SEGMENTS, (len(text), text)
    assert FREE not in text
    assert IIN not in text
    assert not re.search(r"[0-9]{12}", text)
    assert "{" not in text


def test_a_cyrillic_sms_takes_67_characters_a_segment_beyond_70() -> None:
    assert segments("ә" * 70) == 1
    assert segments("ә" * 71) == 2
    assert segments("ә" * 134) == 2
    assert segments("ә" * 135) == 3
    assert segments("a" * 160) == 1
    assert segments("a" * 306) == 2
    assert units("[") == 2


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_code_a_notice_shows_has_its_words(language: str) -> None:
    shown = (RefusalGround, HearingOutcome, ComplaintOutcome, Remedy, DeregistrationGround,
             ComplaintBody)  # fmt: skip
    codes = {m.value for enum in shown for m in enum} | {r.value for r in COMPLAINT_DECIDERS}
    catalogue = translations(language)
    missing = sorted(c for c in codes if catalogue.gettext(f"code.{c}") == text("en", f"code.{c}"))
    assert missing == []
