"""The world the acts are drawn from: providers, lists, citizens, dates and time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import strategies as st

from domain.calendar import zone

PROVIDERS = ("almaty", "talgar-district")  # almaty: the 3-year rule of §5
LISTS = ("socially_vulnerable", "orphans")  # with and without the income test
POOL = range(1, 7)  # citizens: few, so that duplicates and competition happen
# Acts are dated no later than this (in the past, and the same on every run: reproducible).
CEILING = min(datetime(2026, 6, 30, tzinfo=UTC), datetime.now(UTC) - timedelta(days=1))
ZONES = (UTC, zone("Asia/Almaty"), zone("Asia/Aqtobe"), timezone(timedelta(hours=5)))
# Windows around the holidays of 2024-2025 (first day, length in days).
HOLIDAY_WINDOWS = (
    (date(2024, 3, 5), 5),  # 8 March
    (date(2024, 3, 18), 9),  # Nauryz 21-23 March (a Thursday to Saturday) + observed days off
    (date(2024, 4, 29), 14),  # 1, 4 (worked Saturday), 7, 8 (day off), 9 May
    (date(2024, 12, 13), 6),  # Independence Day
    (date(2024, 12, 27), 13),  # New Year, 3 January off, 5 January (Sunday) worked, 7 January
    (date(2025, 3, 18), 10),  # Nauryz on a weekend
    (date(2025, 4, 29), 14),
    (date(2025, 8, 28), 5),
    (date(2025, 10, 23), 5),
)

days = st.one_of(
    st.sampled_from(HOLIDAY_WINDOWS).flatmap(
        lambda w: st.integers(0, w[1]).map(lambda i, first=w[0]: first + timedelta(days=i))
    ),
    st.dates(date(2024, 1, 1), date(2025, 12, 31)),
)
filing_moments = st.builds(
    lambda day, minute, tz: (
        datetime.combine(day, time(minute // 60, minute % 60))
        .replace(tzinfo=zone("Asia/Almaty"))
        .astimezone(tz)
    ),
    days,
    st.integers(0, 24 * 60 - 1),
    st.sampled_from(ZONES),
)
blank_or_text = st.sampled_from(["reasons stated", "reasons stated", "reasons stated", "  "])
