"""The calendar's files: the operator's extension file and the tz database it must not trust."""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest

from domain.calendar import (
    CALENDAR_FILE_ENV,
    CalendarDataError,
    calendar_from_environment,
    default_calendar,
    load_calendar,
    zone,
)

ALMATY = "Asia/Almaty"


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def test_zone_ignores_the_system_tz_database(tmp_path: Path) -> None:
    # An outdated system database is simulated by one where "Asia/Almaty" holds Tokyo's rules.
    tokyo = resources.files("tzdata").joinpath("zoneinfo", "Asia", "Tokyo").read_bytes()
    (tmp_path / "Asia").mkdir()
    (tmp_path / "Asia" / "Almaty").write_bytes(tokyo)
    try:
        zoneinfo.reset_tzpath(to=[str(tmp_path)])
        trap = zoneinfo.ZoneInfo.no_cache(ALMATY)
        assert utc(2025, 1, 1).astimezone(trap).utcoffset() == timedelta(hours=9)
        fresh = zone.__wrapped__(ALMATY)  # bypass the cache: really load again
        assert utc(2025, 1, 1).astimezone(fresh).utcoffset() == timedelta(hours=5)
    finally:
        zoneinfo.reset_tzpath()


@pytest.fixture
def clean_default_calendar() -> Iterator[None]:
    default_calendar.cache_clear()
    yield
    default_calendar.cache_clear()


def _operator_file(tmp_path: Path) -> Path:
    path = tmp_path / "calendar.json"
    path.write_text(
        json.dumps(
            {
                "working_weekends": [
                    {"day": "2027-10-23", "substitutes": "2027-10-26", "source": "test decree"}
                ],
                "extra_days_off": [{"day": "2027-12-31", "source": "test decree"}],
            }
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.usefixtures("clean_default_calendar")
def test_operator_file_extends_the_packaged_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CALENDAR_FILE_ENV, raising=False)
    assert not default_calendar().is_working_day(date(2027, 10, 23))
    default_calendar.cache_clear()

    monkeypatch.setenv(CALENDAR_FILE_ENV, str(_operator_file(tmp_path)))
    for calendar in (calendar_from_environment(), default_calendar()):
        assert calendar.is_working_day(date(2027, 10, 23))  # Saturday worked
        assert not calendar.is_working_day(date(2027, 10, 26))  # Tuesday off
        assert not calendar.is_working_day(date(2027, 12, 31))  # extra day off, a Friday
        assert calendar.is_working_day(date(2024, 5, 4))  # the packaged data still apply
        assert calendar.add_working_days(date(2027, 10, 22), 1) == date(2027, 10, 23)


def test_operator_file_may_be_a_bare_list(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(
        '[{"day": "2027-10-23", "substitutes": "2027-10-26", "source": "test decree"}]',
        encoding="utf-8",
    )
    assert load_calendar(path).is_working_day(date(2027, 10, 23))


@pytest.mark.parametrize(
    "content",
    [
        '[{"day": "2027-10-22", "substitutes": "2027-10-26", "source": "a Friday"}]',
        '[{"day": "2027-10-23", "substitutes": "2027-10-24", "source": "onto a Sunday"}]',
        '[{"day": "2027-10-23", "substitutes": "2027-10-26", "source": " "}]',
        '[{"day": "2027-10-23", "substitutes": "2027-10-26"}]',
        '{"extra_days_off": [{"day": "2027-13-01", "source": "no such month"}]}',
        '{"unknown_key": []}',
        "not json",
    ],
)
def test_malformed_operator_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CalendarDataError):
        load_calendar(path)


def test_missing_operator_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarDataError, match="cannot be read"):
        load_calendar(tmp_path / "absent.json")
