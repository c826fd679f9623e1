"""Individual identification number (IIN) of a citizen of Kazakhstan: parsing and checking.

Layout of the 12 digits: YYMMDD birth date, one digit for century and sex, four serial digits,
one control digit. The IIN is personal data: neither the errors nor the repr of this module
ever carry a whole IIN, so that it cannot end up in a log by accident.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import mul
from typing import Final, Literal

Sex = Literal["male", "female"]
Check = Literal[
    "length", "digits", "birth_date", "century_sex_digit", "control_digit", "never_issued"
]

_FIRST_WEIGHTS: Final = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS: Final = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_ZERO_OFFSET: Final = ord("0") * sum(_FIRST_WEIGHTS)
assert sum(_FIRST_WEIGHTS) == sum(_SECOND_WEIGHTS)

# 7th digit -> (century, sex). 0 (foreigners, legal entities' numbering) is not a citizen's IIN.
_CENTURY_SEX: Final[dict[str, tuple[int, Sex]]] = {
    "1": (1800, "male"),
    "2": (1800, "female"),
    "3": (1900, "male"),
    "4": (1900, "female"),
    "5": (2000, "male"),
    "6": (2000, "female"),
}

_MESSAGES: Final[dict[Check, str]] = {
    "length": "IIN must be exactly 12 digits long",
    "digits": "IIN must consist of the digits 0-9 only",
    "birth_date": "IIN does not start with a real birth date (YYMMDD)",
    "century_sex_digit": "the 7th digit of an IIN (century and sex) must be 1 to 6",
    "control_digit": "the control digit (12th) of the IIN does not match the first 11 digits",
    "never_issued": "IIN whose control digit cannot be computed is never issued",
}


class InvalidIIN(ValueError):
    """The text is not a valid IIN; `check` names the first check that failed."""

    def __init__(self, check: Check) -> None:
        self.check: Check = check
        super().__init__(_MESSAGES[check])


@dataclass(frozen=True)
class IIN:
    """A checked IIN. Build it with `parse_iin`; the constructor re-checks consistency."""

    value: str
    birth_date: date
    sex: Sex

    def __post_init__(self) -> None:
        # A hand-built IIN whose fields disagree with its digits would silently mislead
        # every later age or sex rule, so it is refused here as well.
        if _decode(self.value) != (self.birth_date, self.sex):
            raise ValueError("IIN birth date or sex does not match its digits")

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        # Only the last four digits: enough to tell test fixtures apart, too little to identify.
        return f"IIN('********{self.value[-4:]}')"


def control_digit(first11: str) -> int | None:
    """The control digit for the first 11 digits, or None if such an IIN is never issued."""
    if len(first11) != 11 or not (first11.isascii() and first11.isdigit()):
        raise ValueError("control_digit needs exactly 11 ASCII digits")
    # On the ASCII codes: each digit d is d + 48, and both weight sets sum to 66.
    codes = first11.encode()
    remainder: int = (sum(map(mul, codes, _FIRST_WEIGHTS)) - _ZERO_OFFSET) % 11
    if remainder == 10:
        remainder = (sum(map(mul, codes, _SECOND_WEIGHTS)) - _ZERO_OFFSET) % 11
        if remainder == 10:
            return None
    return remainder


def _birth_date(text: str, centuries: tuple[int, ...]) -> date | None:
    yy, mm, dd = int(text[0:2]), int(text[2:4]), int(text[4:6])
    for century in centuries:
        try:
            return date(century + yy, mm, dd)
        except ValueError:
            continue
    return None


# Pure, and every IIN of a form is checked again each time a model holding it is built.
@lru_cache(maxsize=1 << 16)
def _decode(text: str) -> tuple[date, Sex]:
    """Check `text` (already stripped) in the documented order; return birth date and sex."""
    if len(text) != 12:
        raise InvalidIIN("length")
    if not (text.isascii() and text.isdigit()):
        raise InvalidIIN("digits")
    century_sex = _CENTURY_SEX.get(text[6])
    # The date is checked before the century digit; with a bad century digit any century
    # in which the date exists will do, so that 29 February is not misreported.
    centuries = (century_sex[0],) if century_sex else (1800, 1900, 2000)
    born = _birth_date(text, centuries)
    if born is None:
        raise InvalidIIN("birth_date")
    if century_sex is None:
        raise InvalidIIN("century_sex_digit")
    expected = control_digit(text[:11])
    if expected is None:
        raise InvalidIIN("never_issued")
    if expected != int(text[11]):
        raise InvalidIIN("control_digit")
    return born, century_sex[1]


def parse_iin(text: str) -> IIN:
    """Parse and check an IIN; surrounding whitespace is ignored. Raises InvalidIIN."""
    value = text.strip()
    born, sex = _decode(value)
    return IIN(value=value, birth_date=born, sex=sex)


def make_iin(birth_date: date, sex: Sex, serial: int) -> str:
    """Build a valid IIN from a birth date, sex and serial (digits 8-11, 0..9999).

    For synthetic test and demo data only: real IINs are assigned by the state, and an IIN
    built here may belong to a real person. A serial whose number would never be issued
    (no control digit exists) raises ValueError; callers generating many IINs skip it.
    """
    if not 1800 <= birth_date.year <= 2099:
        raise ValueError("an IIN encodes birth years 1800-2099 only")
    if not 0 <= serial <= 9999:
        raise ValueError("IIN serial must be 0..9999")
    century_digit = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100]
    if sex == "female":
        century_digit += 1
    yymmdd = f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}"
    first11 = f"{yymmdd}{century_digit}{serial:04d}"
    check = control_digit(first11)
    if check is None:
        raise ValueError("this serial yields an IIN that is never issued; choose another")
    return f"{first11}{check}"
