from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.serve import warn_of_estimated_days_off
from demo.district import FIRST_FILING, HORIZON
from domain import calendar as cal
from domain.calendar import (
    ESTIMATES_ENV,
    WORKDAY_END,
    CalendarDataError,
    ConfirmedFeast,
    EstimatePolicy,
    ExtraDayOff,
    NaiveDatetimeError,
    UnconfirmedDayOff,
    UnknownTimeZone,
    WorkingCalendar,
    WorkingWeekend,
    calendar_from_environment,
    default_calendar,
    load_calendar,
    zone,
)

ALMATY = "Asia/Almaty"
CAL = load_calendar()


KZ_HOLIDAYS = holidays.country_holidays("KZ", years=range(2021, 2028))


def at(
    tz: str, year: int, month: int, day: int, hour: int, minute: int, second: int = 0
) -> datetime:
    """An aware local time in zone `tz`."""
    return datetime(year, month, day, hour, minute, second, tzinfo=zone(tz))


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


# --- which days work -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Nauryz 2024: Thu 21, Fri 22, Sat 23 -> the Saturday's day off moves to Mon 25.
        (date(2024, 3, 20), True),
        (date(2024, 3, 21), False),
        (date(2024, 3, 22), False),
        (date(2024, 3, 25), False),
        (date(2024, 3, 26), True),
        # Nauryz 2025: Fri 21, Sat 22, Sun 23 -> Mon 24 and Tue 25 off.
        (date(2025, 3, 21), False),
        (date(2025, 3, 24), False),
        (date(2025, 3, 25), False),
        (date(2025, 3, 26), True),
        # Kurban Ait is never moved: Sun 16 June 2024 leaves Monday working; Fri 6 June 2025 off.
        (date(2024, 6, 17), True),
        (date(2025, 6, 6), False),
        # Orthodox Christmas is never moved either.
        (date(2023, 1, 9), True),  # 7 Jan 2023 was a Saturday
        (date(2024, 1, 8), True),  # 7 Jan 2024 was a Sunday
        (date(2025, 1, 7), False),
        # May 2024: Saturday 4 worked, Wednesday 8 off.
        (date(2024, 5, 4), True),
        (date(2024, 5, 5), False),
        (date(2024, 5, 8), False),
        # January 2025: Friday 3 off, Sunday 5 worked.
        (date(2025, 1, 3), False),
        (date(2025, 1, 4), False),
        (date(2025, 1, 5), True),
        (date(2025, 1, 6), True),
        # An ordinary week.
        (date(2025, 4, 15), True),
        (date(2025, 4, 19), False),
        (date(2025, 4, 20), False),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert CAL.is_working_day(day) is working


def test_module_level_functions_use_the_packaged_data() -> None:
    assert cal.is_working_day(date(2024, 5, 4))
    assert not cal.is_working_day(date(2024, 5, 8))
    assert cal.add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)
    assert cal.working_days_between(date(2024, 5, 3), date(2024, 5, 6)) == 2


def test_a_datetime_is_not_taken_for_a_date() -> None:
    with pytest.raises(TypeError, match="local_day"):
        CAL.is_working_day(datetime(2024, 5, 4, 12, 0, tzinfo=UTC))


# --- counting working days ---------------------------------------------------------------------


def test_fifteen_working_days_across_nauryz() -> None:
    # 18-20 Mar (3), 26-29 Mar (7), 1-5 Apr (12), 8-10 Apr (15): 21-25 Mar are not counted.
    assert CAL.add_working_days(date(2024, 3, 15), 15) == date(2024, 4, 10)


def test_working_days_across_the_may_2024_transfer() -> None:
    # 2 May (1), 3 May (2), Saturday 4 May (3), 6 May (4), 7-9 May off, 10 May (5).
    assert CAL.add_working_days(date(2024, 4, 30), 5) == date(2024, 5, 10)


def test_working_days_across_new_year_into_the_working_sunday() -> None:
    # 30 Dec (1), 31 Dec (2), 1-4 Jan off, Sunday 5 Jan 2025 (3).
    assert CAL.add_working_days(date(2024, 12, 27), 3) == date(2025, 1, 5)


def test_zero_working_days_is_the_day_itself_even_a_day_off() -> None:
    assert CAL.add_working_days(date(2024, 3, 22), 0) == date(2024, 3, 22)


def test_add_working_days_from_a_day_off_counts_from_the_next_working_day() -> None:
    assert CAL.add_working_days(date(2024, 3, 22), 1) == date(2024, 3, 26)


def test_add_working_days_far_ahead_crosses_years() -> None:
    start = date(2023, 6, 1)
    assert CAL.working_days_between(start, CAL.add_working_days(start, 600)) == 600


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="forward"):
        CAL.add_working_days(date(2024, 3, 15), -1)


def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2024, 3, 15), date(2024, 4, 10)) == 15
    assert CAL.working_days_between(date(2024, 4, 10), date(2024, 3, 15)) == -15
    assert CAL.working_days_between(date(2024, 4, 10), date(2024, 4, 10)) == 0
    # start is excluded, end included: Friday -> Monday over Nauryz 2024 and the observed day.
    assert CAL.working_days_between(date(2024, 3, 20), date(2024, 3, 26)) == 1


@given(
    start=st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31)),
    n=st.integers(min_value=0, max_value=400),
)
def test_add_and_between_agree(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, due) == n
    assert n == 0 or CAL.is_working_day(due)


@given(day=st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31)))
def test_is_working_day_matches_a_naive_definition(day: date) -> None:
    worked = {w.day for w in CAL.working_weekends}
    off = {w.substitutes for w in CAL.working_weekends}
    expected = (day.weekday() < 5 and day not in KZ_HOLIDAYS and day not in off) or day in worked
    assert CAL.is_working_day(day) is expected


# --- reception day (§7, Std 7) -----------------------------------------------------------------


def test_workday_ends_at_half_past_six() -> None:
    assert (WORKDAY_END.hour, WORKDAY_END.minute) == (18, 30)


@pytest.mark.parametrize(
    ("filed", "received"),
    [
        # Tuesday 15 April 2025, a working day.
        (at(ALMATY, 2025, 4, 15, 18, 29), date(2025, 4, 15)),
        (at(ALMATY, 2025, 4, 15, 18, 29, 59), date(2025, 4, 15)),
        (at(ALMATY, 2025, 4, 15, 18, 30), date(2025, 4, 16)),
        (at(ALMATY, 2025, 4, 15, 18, 31), date(2025, 4, 16)),
        (at(ALMATY, 2025, 4, 15, 3, 0), date(2025, 4, 15)),  # the portal is open at night
        # Friday evening and Saturday go to Monday.
        (at(ALMATY, 2025, 4, 18, 18, 31), date(2025, 4, 21)),
        (at(ALMATY, 2025, 4, 19, 10, 0), date(2025, 4, 21)),
        # Nauryz 2025, Friday 21: the next working day is Wednesday 26 March.
        (at(ALMATY, 2025, 3, 21, 10, 0), date(2025, 3, 26)),
        # The working Saturday 4 May 2024 accepts during hours, and takes Friday evening's.
        (at(ALMATY, 2024, 5, 4, 10, 0), date(2024, 5, 4)),
        (at(ALMATY, 2024, 5, 3, 19, 0), date(2024, 5, 4)),
        (at(ALMATY, 2024, 5, 4, 19, 0), date(2024, 5, 6)),
        # Filed on the substituted day off (Wednesday 8 May 2024): Friday 10 May.
        (at(ALMATY, 2024, 5, 8, 11, 0), date(2024, 5, 10)),
        # The working Sunday 5 January 2025.
        (at(ALMATY, 2025, 1, 3, 12, 0), date(2025, 1, 5)),
    ],
)
def test_reception_day(filed: datetime, received: date) -> None:
    assert CAL.reception_day(filed, ALMATY) == received


def test_reception_day_before_the_1_march_2024_offset_change() -> None:
    # Thursday 29 Feb 2024, 12:45 UTC: 18:45 in Almaty (then UTC+6), after hours -> Friday.
    # A fixed UTC+5, or an outdated tz database, would say 17:45 and the same day.
    filed = utc(2024, 2, 29, 12, 45)
    assert CAL.local_day(filed, ALMATY) == date(2024, 2, 29)
    assert CAL.reception_day(filed, ALMATY) == date(2024, 3, 1)
    # The same instant in Aqtobe (always UTC+5 then) is 17:45: the same day.
    assert CAL.reception_day(filed, "Asia/Aqtobe") == date(2024, 2, 29)


def test_reception_day_after_the_1_march_2024_offset_change() -> None:
    # Friday 1 Mar 2024, 13:15 UTC: 18:15 in Almaty (now UTC+5) -> the same day.
    # With the old UTC+6 it would be 19:15 and go to Monday 4 March.
    filed = utc(2024, 3, 1, 13, 15)
    assert CAL.reception_day(filed, ALMATY) == date(2024, 3, 1)
    assert CAL.reception_day(filed, "Asia/Qostanay") == date(2024, 3, 1)


def test_reception_day_of_any_offset_representation_is_the_same() -> None:
    filed = utc(2025, 4, 15, 13, 29)  # 18:29 in Almaty
    as_tokyo = filed.astimezone(zone("Asia/Tokyo"))
    assert CAL.reception_day(as_tokyo, ALMATY) == CAL.reception_day(filed, ALMATY)
    assert CAL.reception_day(filed, ALMATY) == date(2025, 4, 15)


def test_local_day_crosses_midnight() -> None:
    assert CAL.local_day(utc(2025, 1, 31, 19, 30), ALMATY) == date(2025, 2, 1)
    assert cal.local_day(utc(2025, 1, 31, 18, 59), ALMATY) == date(2025, 1, 31)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        CAL.reception_day(datetime(2025, 4, 15, 12, 0), ALMATY)
    with pytest.raises(NaiveDatetimeError):
        CAL.local_day(datetime(2025, 4, 15, 12, 0), ALMATY)
    with pytest.raises(NaiveDatetimeError):
        cal.reception_day(datetime(2025, 4, 15, 12, 0), ALMATY)
    assert issubclass(NaiveDatetimeError, ValueError)


def test_start_and_end_of_day_are_local() -> None:
    assert CAL.start_of_day(date(2024, 2, 29), ALMATY) == utc(2024, 2, 28, 18, 0)
    end = CAL.end_of_day(date(2024, 3, 1), ALMATY)
    assert end == utc(2024, 3, 1, 18, 59, 59, 999999)
    assert end.tzinfo is zone(ALMATY)


# --- time zones --------------------------------------------------------------------------------


def test_zone_is_cached_and_keyed() -> None:
    assert zone(ALMATY) is zone(ALMATY)
    assert zone(ALMATY).key == ALMATY


@pytest.mark.parametrize(
    "name", ["Asia/Nowhere", "", "Asia", "../../etc/passwd", "zone1970.tab", "Asia/../Asia/Almaty"]
)
def test_unknown_time_zones(name: str) -> None:
    with pytest.raises(UnknownTimeZone):
        zone(name)
    assert issubclass(UnknownTimeZone, ValueError)


# --- the packaged data and the operator's extension ----------------------------------------------


def test_packaged_working_weekends_are_worked_weekends_and_substitutes_are_off() -> None:
    assert len(CAL.working_weekends) >= 2
    for weekend in CAL.working_weekends:
        assert weekend.day.weekday() >= 5, weekend
        assert CAL.is_working_day(weekend.day), weekend
        assert not CAL.is_working_day(weekend.substitutes), weekend
        assert weekend.source.strip()
    days = {w.day for w in CAL.working_weekends}
    assert {date(2024, 5, 4), date(2025, 1, 5)} <= days


def test_every_transfer_holidays_knows_is_in_our_data() -> None:
    # `holidays` marks the substituted day off but not the weekend day that became working:
    # each "substituted from" date must be a working day here, i.e. be in our data. (Through
    # 2027: `holidays` 0.109 publishes no decreed transfer for 2026 or 2027 yet; the day an
    # upgrade brings one, this fails until the data holds it with its decree.)
    kz = holidays.country_holidays("KZ", years=range(2022, 2028), language="en_US")
    pattern = re.compile(r"substituted from (\d\d)/(\d\d)/(\d{4})")
    found = []
    for day_off, name in kz.items():
        if match := pattern.search(name):
            month, day, year = (int(g) for g in match.groups())
            worked = date(year, month, day)
            found.append(worked)
            assert CAL.is_working_day(worked), (worked, day_off)
            assert not CAL.is_working_day(day_off), day_off
    assert len(found) >= 6


def test_contradictory_transfers_are_refused() -> None:
    with pytest.raises(CalendarDataError, match="substitutes both"):
        WorkingCalendar(
            [
                WorkingWeekend(date(2027, 10, 23), date(2027, 10, 26), "one"),
                WorkingWeekend(date(2027, 10, 23), date(2027, 10, 27), "other"),
            ]
        )


def test_extra_day_off_overrides_a_working_weekend() -> None:
    calendar = WorkingCalendar(
        [WorkingWeekend(date(2027, 10, 23), date(2027, 10, 26), "decree")],
        [ExtraDayOff(date(2027, 10, 23), "later decree")],
    )
    assert not calendar.is_working_day(date(2027, 10, 23))


# --- days off that `holidays` only estimates (Kurban Ait) ----------------------------------------

REFUSING = load_calendar(estimates=EstimatePolicy.REFUSE)
KURBAN_AIT_2026 = date(2026, 5, 27)  # Wednesday; `holidays` 0.109 marks it "(estimated)"
KURBAN_AIT_2027_ESTIMATE = date(2027, 5, 16)  # Sunday, estimated; the feast may be Monday 17


def test_holidays_only_estimates_kurban_ait_2026() -> None:
    kz = holidays.country_holidays("KZ", years=[2026], language="en_US")
    assert "estimated" in kz[KURBAN_AIT_2026]


def test_kurban_ait_2026_is_confirmed_by_the_packaged_data() -> None:
    # Law No. 267-II "On holidays": the first day of Kurban Ait is a day off; its date is the one
    # announced, which the packaged data records with its source.
    confirmed = {f.day: f for f in CAL.confirmed_feasts}
    assert confirmed[KURBAN_AIT_2026].estimated == KURBAN_AIT_2026
    assert "Spiritual Administration" in confirmed[KURBAN_AIT_2026].source
    assert not REFUSING.is_working_day(KURBAN_AIT_2026)
    assert REFUSING.unconfirmed_estimates(date(2026, 1, 1), date(2026, 12, 31)) == []
    # 15 working days (§8, Std 3) across the feast: 14-15, 18-22, 25-26, 28-29 May, 1-4 June.
    assert REFUSING.add_working_days(date(2026, 5, 13), 15) == date(2026, 6, 4)


def test_an_unconfirmed_estimate_is_counted_as_a_day_off_by_default() -> None:
    assert CAL.estimates is EstimatePolicy.COUNT
    assert CAL.unconfirmed_estimates(date(2027, 5, 1), date(2027, 5, 31)) == [
        date(2027, 5, 15),
        date(2027, 5, 16),
        date(2027, 5, 17),
    ]
    assert CAL.is_working_day(date(2027, 5, 17))  # the estimate is Sunday: Monday works
    assert CAL.add_working_days(date(2027, 5, 12), 3) == date(2027, 5, 17)


def test_refusing_calendar_will_not_count_a_term_across_an_estimate() -> None:
    with pytest.raises(UnconfirmedDayOff, match="only estimated"):
        REFUSING.add_working_days(date(2027, 5, 12), 3)
    with pytest.raises(UnconfirmedDayOff):
        REFUSING.is_working_day(date(2027, 5, 17))  # the day after: the feast may fall on it
    with pytest.raises(UnconfirmedDayOff):
        REFUSING.working_days_between(date(2027, 6, 1), date(2027, 5, 1))
    with pytest.raises(UnconfirmedDayOff):
        REFUSING.reception_day(at(ALMATY, 2027, 5, 14, 19, 0), ALMATY)  # Friday evening
    assert issubclass(UnconfirmedDayOff, CalendarDataError)
    # A term that ends before the uncertain days, or starts after them, is counted.
    assert REFUSING.add_working_days(date(2027, 5, 10), 3) == date(2027, 5, 13)
    assert REFUSING.add_working_days(date(2027, 5, 18), 3) == date(2027, 5, 21)


def test_an_announced_feast_replaces_its_estimate() -> None:
    announced = WorkingCalendar(
        confirmed_feasts=[ConfirmedFeast(KURBAN_AIT_2027_ESTIMATE, date(2027, 5, 17), "test")],
        estimates=EstimatePolicy.REFUSE,
    )
    assert not announced.is_working_day(date(2027, 5, 17))
    assert announced.unconfirmed_estimates(date(2027, 1, 1), date(2027, 12, 31)) == []
    assert announced.add_working_days(date(2027, 5, 12), 3) == date(2027, 5, 18)


def test_announced_feasts_that_cannot_be_the_estimate_are_refused() -> None:
    with pytest.raises(CalendarDataError, match="more than 3 days"):
        ConfirmedFeast(KURBAN_AIT_2027_ESTIMATE, date(2027, 6, 16), "typo")
    with pytest.raises(CalendarDataError, match="source"):
        ConfirmedFeast(KURBAN_AIT_2027_ESTIMATE, KURBAN_AIT_2027_ESTIMATE, " ")
    with pytest.raises(CalendarDataError, match="announced twice"):
        WorkingCalendar(
            confirmed_feasts=[
                ConfirmedFeast(KURBAN_AIT_2027_ESTIMATE, date(2027, 5, 16), "one"),
                ConfirmedFeast(KURBAN_AIT_2027_ESTIMATE, date(2027, 5, 17), "other"),
            ]
        )


def test_the_estimate_policy_comes_from_the_environment() -> None:
    assert calendar_from_environment({}).estimates is EstimatePolicy.COUNT
    refusing = calendar_from_environment({ESTIMATES_ENV: "refuse"})
    assert refusing.estimates is EstimatePolicy.REFUSE
    with pytest.raises(CalendarDataError, match=ESTIMATES_ENV):
        calendar_from_environment({ESTIMATES_ENV: "guess"})


def test_the_suite_runs_on_a_calendar_that_refuses_estimates() -> None:
    # tests/conftest.py sets KEZEK_CALENDAR_ESTIMATES=refuse: a test, a demo walk or a ledger
    # machine run that counts a term across an unconfirmed feast fails instead of resting on it.
    default_calendar.cache_clear()
    assert default_calendar().estimates is EstimatePolicy.REFUSE


def test_serving_warns_of_an_unconfirmed_feast_in_the_coming_year() -> None:
    said: list[str] = []
    warn_of_estimated_days_off(said.append, today=date(2026, 1, 1))
    assert said == []  # 2026's is confirmed; 2027's lies beyond the year
    warn_of_estimated_days_off(said.append, today=date(2026, 12, 7))
    assert len(said) == 1
    assert "2027-05-15 to 2027-05-17" in said[0]
    assert "confirmed_feasts" in said[0]


def test_the_demo_district_lies_clear_of_any_estimate() -> None:
    # The demo's acts fall between its first filing and its horizon; the terms they open end
    # within some weeks after it.
    assert REFUSING.unconfirmed_estimates(FIRST_FILING, HORIZON + timedelta(days=180)) == []


# --- time zones in the rest of the code ------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_takes_a_zone_from_the_system_tz_database() -> None:
    # A zone built by its key reads the operating system's database first; every zone must come
    # from `tzdata` through domain.calendar.zone (domain/zones.py).
    offenders = [
        str(path.relative_to(ROOT))
        for package in ("domain", "projections", "replay", "api", "demo", "cli", "bench", "tests")
        for path in (ROOT / package).rglob("*.py")
        if re.search(r"\bZoneInfo\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
