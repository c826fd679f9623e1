"""Free text as the ledger accepts it: NFC-normalised, bounded, and without the characters that
hide or reorder what a reader sees.

Refused everywhere: C0 controls (NUL, ESC...), DEL and C1 controls, the bidirectional
embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the marks U+200E, U+200F
and U+061C, and the line and paragraph separators U+2028 and U+2029 (pydantic itself refuses
lone surrogates). `Prose` (reasons, descriptions, a complaint's text) allows tab and line feed;
`Line` (names, codes, titles, addresses) allows neither. A refusal names the character's code
point and position, never the text.

Checked on new input only: a stored event decodes as it was stored (domain.limits.STORED).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from pydantic_core import PydanticCustomError, PydanticKnownError

from domain.limits import InputCheck

_BIDI: Final = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SEPARATORS: Final = r"\u2028\u2029"
_REFUSED_IN_LINE: Final = rf"\x00-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}"
_REFUSED_IN_PROSE: Final = rf"\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}"  # tab, line feed
# What OpenAPI states of each kind (JSON Schema `pattern`), and what is searched for.
LINE_PATTERN: Final = f"^[^{_REFUSED_IN_LINE}]*$"
PROSE_PATTERN: Final = f"^[^{_REFUSED_IN_PROSE}]*$"
_REFUSED: Final = {
    False: re.compile(f"[{_REFUSED_IN_LINE}]"),
    True: re.compile(f"[{_REFUSED_IN_PROSE}]"),
}


def _kind(char: str) -> str:
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "a control character"
    if char in "\u2028\u2029":
        return "a line or paragraph separator"
    return "a bidirectional control"


@dataclass(frozen=True)
class _Text(InputCheck):
    limit: int
    pattern: str | None = None  # the whole text must match it (Python `re`, after NFC)
    prose: ClassVar[bool]

    def check(self, value: str) -> str:
        refused = _REFUSED[self.prose].search(value)
        if refused is not None:
            char = refused.group()
            raise PydanticCustomError(
                "text_character",
                "contains {kind} (U+{code}) at position {position}",
                {"kind": _kind(char), "code": f"{ord(char):04X}", "position": refused.start()},
            )
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if len(value) > self.limit:
            raise PydanticKnownError("string_too_long", {"max_length": self.limit})
        if self.pattern is not None and re.fullmatch(self.pattern, value) is None:
            raise PydanticKnownError("string_pattern_mismatch", {"pattern": self.pattern})
        return value

    def stated(self) -> dict[str, Any]:
        shape = self.pattern or (PROSE_PATTERN if self.prose else LINE_PATTERN)
        return {"maxLength": self.limit, "pattern": shape}


class Line(_Text):
    """One line of text (a name, a code, a title, an address): no control character at all.
    Annotated[str, Line(n)]: at most n characters; Line(n, pattern) also of that shape."""

    prose = False


class Prose(_Text):
    """Text in paragraphs (reasons, descriptions, a complaint): tab and line feed allowed.
    Annotated[str, Prose(n)]: at most n characters."""

    prose = True
