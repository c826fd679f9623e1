"""How long an SMS is on the air: GSM 03.38 septets or UCS-2, and how many segments.

A text of GSM-7 characters alone takes 160 per single message, 153 per segment of a longer one
(the concatenation header takes 7); any other character (Kazakh and Russian Cyrillic) makes the
whole message UCS-2: 70 characters (140 octets) alone, 67 a segment. Kezek keeps every SMS
within `MAX_SEGMENTS` (docs/notices.md, "Limits").
"""

from __future__ import annotations

import re
from typing import Final

MAX_SEGMENTS: Final = 2
PHONE: Final = re.compile(r"\+7[0-9]{10}")
_GSM_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED: Final = frozenset("^{}\\[~]|€\f")


class SmsTooLong(ValueError):
    """The text would take more than MAX_SEGMENTS segments."""


class NotAPhone(ValueError):
    """Not a Kazakhstan mobile number in +7XXXXXXXXXX form."""


def is_gsm7(text: str) -> bool:
    return all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text)


def units(text: str) -> int:
    """Septets (GSM-7, an extended character counting two) or UTF-16 code units (UCS-2)."""
    if is_gsm7(text):
        return sum(2 if c in _GSM_EXTENDED else 1 for c in text)
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    gsm = is_gsm7(text)
    size, single = units(text), (160 if gsm else 70)
    if size <= single:
        return 1
    per = 153 if gsm else 67
    return -(-size // per)


def checked(phone: str, text: str) -> tuple[str, str]:
    """The phone and text of an SMS Kezek may send (else NotAPhone or SmsTooLong)."""
    if not PHONE.fullmatch(phone):
        raise NotAPhone("an SMS goes to a +7XXXXXXXXXX number")
    if not text or segments(text) > MAX_SEGMENTS:
        raise SmsTooLong(f"an SMS is 1 to {MAX_SEGMENTS} segments")
    return phone, text
