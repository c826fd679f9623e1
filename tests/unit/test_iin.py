from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, reject
from hypothesis import strategies as st

from domain.iin import IIN, InvalidIIN, Sex, control_digit, make_iin, parse_iin

# Worked by hand, weights 1..11 on the first 11 digits:
#
# 850315 3 0123 -> 8*1 + 5*2 + 0*3 + 3*4 + 1*5 + 5*6 + 3*7 + 0*8 + 1*9 + 2*10 + 3*11
#                = 8 + 10 + 0 + 12 + 5 + 30 + 21 + 0 + 9 + 20 + 33 = 148; 148 mod 11 = 5
#   => 850315301235: born 15 March 1985 (7th digit 3: 1900s, male).
#
# 900101 4 0040 -> 9*1 + 1*4 + 1*6 + 4*7 + 4*10 = 87; 87 mod 11 = 10, so the second weights
#   3,4,5,6,7,8,9,10,11,1,2: 9*3 + 1*6 + 1*8 + 4*9 + 4*1 = 27 + 6 + 8 + 36 + 4 = 81;
#   81 mod 11 = 4 => 900101400404: born 1 January 1990 (7th digit 4: 1900s, female).
#
# 000101 5 0022 -> 1*4 + 1*6 + 5*7 + 2*10 + 2*11 = 87 -> 10; second weights:
#   1*6 + 1*8 + 5*9 + 2*1 + 2*2 = 65; 65 mod 11 = 10 again => never issued.
MALE_1985 = "850315301235"
FEMALE_1990 = "900101400404"
NEVER_ISSUED_FIRST11 = "00010150022"
SEXES: tuple[Sex, ...] = ("male", "female")
FULL_WIDTH = "".join(chr(0xFF10 + int(c)) for c in MALE_1985)


def test_parses_hand_computed_male_from_the_1900s() -> None:
    iin = parse_iin(MALE_1985)
    assert iin == IIN(value=MALE_1985, birth_date=date(1985, 3, 15), sex="male")
    assert str(iin) == MALE_1985


def test_parses_hand_computed_number_that_needs_the_second_weights() -> None:
    iin = parse_iin(FEMALE_1990)
    assert (iin.birth_date, iin.sex) == (date(1990, 1, 1), "female")


def test_control_digit_by_hand() -> None:
    assert control_digit(MALE_1985[:11]) == 5
    assert control_digit(FEMALE_1990[:11]) == 4
    assert control_digit(NEVER_ISSUED_FIRST11) is None


def test_control_digit_rejects_a_wrong_length() -> None:
    with pytest.raises(ValueError, match="11"):
        control_digit("123")


def test_surrounding_whitespace_is_ignored() -> None:
    assert parse_iin(f"  {MALE_1985}\n").value == MALE_1985


@pytest.mark.parametrize(
    ("text", "check"),
    [
        ("", "length"),
        ("85031530123", "length"),
        ("8503153012355", "length"),
        ("850315 301235", "length"),
        ("85031530123a", "digits"),
        ("850315-01235", "digits"),
        (FULL_WIDTH, "digits"),  # digits, but not ASCII ones
        ("851315301235", "birth_date"),  # month 13
        ("850230301235", "birth_date"),  # 30 February
        ("000229300000", "birth_date"),  # 1900 was not a leap year
        ("851315701235", "birth_date"),  # the date is checked before the century digit
        ("850315701235", "century_sex_digit"),
        ("850315001235", "century_sex_digit"),
        ("000229000000", "century_sex_digit"),  # 29 Feb exists in 2000: the date is fine
        ("850315301236", "control_digit"),
        (NEVER_ISSUED_FIRST11 + "0", "never_issued"),
    ],
)
def test_each_check_is_named(text: str, check: str) -> None:
    with pytest.raises(InvalidIIN) as raised:
        parse_iin(text)
    assert raised.value.check == check
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    "text", [MALE_1985[:-1] + "0", "851315301235", "850315701235", NEVER_ISSUED_FIRST11 + "7"]
)
def test_error_messages_do_not_carry_the_iin(text: str) -> None:
    with pytest.raises(InvalidIIN) as raised:
        parse_iin(text)
    message = str(raised.value)
    assert text not in message
    assert text[:6] not in message


def test_repr_hides_the_iin() -> None:
    shown = repr(parse_iin(MALE_1985))
    assert MALE_1985 not in shown
    assert "850315" not in shown


def test_inconsistent_fields_are_refused() -> None:
    with pytest.raises(ValueError, match="does not match"):
        IIN(value=MALE_1985, birth_date=date(1985, 3, 15), sex="female")
    with pytest.raises(InvalidIIN):
        IIN(value="123", birth_date=date(1985, 3, 15), sex="male")


def test_make_iin_builds_the_hand_computed_numbers() -> None:
    assert make_iin(date(1985, 3, 15), "male", 123) == MALE_1985
    assert make_iin(date(1990, 1, 1), "female", 40) == FEMALE_1990


def test_make_iin_covers_all_three_centuries() -> None:
    assert make_iin(date(1899, 12, 31), "female", 1)[6] == "2"
    assert make_iin(date(2000, 2, 29), "male", 1)[6] == "5"
    assert parse_iin(make_iin(date(2000, 2, 29), "female", 1)).birth_date == date(2000, 2, 29)


def test_make_iin_refuses_what_cannot_be_an_iin() -> None:
    with pytest.raises(ValueError, match="never issued"):
        make_iin(date(2000, 1, 1), "male", 22)
    with pytest.raises(ValueError, match="serial"):
        make_iin(date(2000, 1, 1), "male", 10_000)
    with pytest.raises(ValueError, match="serial"):
        make_iin(date(2000, 1, 1), "male", -1)
    with pytest.raises(ValueError, match="1800-2099"):
        make_iin(date(2100, 1, 1), "male", 1)


@given(
    born=st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)),
    sex=st.sampled_from(SEXES),
    serial=st.integers(min_value=0, max_value=9999),
)
def test_make_iin_parses_back(born: date, sex: Sex, serial: int) -> None:
    try:
        text = make_iin(born, sex, serial)
    except ValueError:
        reject()  # a never-issued serial: make_iin refuses it by design
    iin = parse_iin(text)
    assert (iin.birth_date, iin.sex, iin.value) == (born, sex, text)
