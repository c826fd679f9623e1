"""§11, Std 8: the applicant submits the Appendix 3 update "within 15 working days from the date
of the appearance of grounds or receipt of an sms - notification to a mobile phone". The term
counts from the SMS's receipt only for a notice of this application whose SMS the ledger
recorded as delivered (the server's record: domain.data_updates.NoticeDelivery). No I/O."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.calendar import add_working_days
from domain.data_updates import FROM_GROUNDS, FROM_SMS, NoticeDelivery
from domain.errors import NoticeNotDeliveredBySms
from domain.housing_application import HousingApplication
from domain.notices import notice_id
from projections.deadline_rules import judge
from tests.unit.cases import applicant_of, local, registered
from tests.unit.test_data_updates_in_consideration import update_of

SMS_DAY = date(2024, 4, 1)  # the registration's SMS, delivered in Almaty's morning
UPDATE_DAY = add_working_days(SMS_DAY, 14)


def updated(app: HousingApplication, after: NoticeDelivery | None) -> Any:
    form = update_of(app, UPDATE_DAY - timedelta(days=30))
    moment = local(UPDATE_DAY.year, UPDATE_DAY.month, UPDATE_DAY.day, 12)
    app.update_data(actor=applicant_of(app), effective_at=moment, update=form, after_notice=after)
    return app.pending_events[-1]


def delivered(app: HousingApplication, at: datetime | None) -> NoticeDelivery:
    return NoticeDelivery(notice_id(app.id, app.version), app.id, at)


def test_an_update_14_working_days_after_the_sms_is_on_time_p11_std8() -> None:
    app = registered()
    sms = delivered(app, local(2024, 4, 1, 9))
    event = updated(app, sms)
    assert (event.term_counted_from, event.after_notice) == (FROM_SMS, sms.notice)
    assert event.update_due.starts_on == SMS_DAY
    assert "SMS" in event.update_due.basis
    assert judge(event.update_due.due_on, UPDATE_DAY) == ("met", 0)


def test_without_the_notice_the_same_update_counts_from_the_grounds_and_is_late_p11_std8() -> None:
    event = updated(registered(), None)
    assert (event.term_counted_from, event.after_notice) == (FROM_GROUNDS, None)
    assert event.update_due.starts_on == UPDATE_DAY - timedelta(days=30)
    assert judge(event.update_due.due_on, UPDATE_DAY)[0] == "missed"


def test_the_sms_day_is_the_providers_local_day_p11_std8() -> None:
    app = registered()
    after_midnight = local(2024, 4, 1, 0, 30)  # still 31 March in UTC
    assert after_midnight.date() == date(2024, 3, 31)
    event = updated(app, delivered(app, after_midnight))
    assert event.update_due.starts_on == SMS_DAY


@pytest.mark.parametrize(
    ("whose", "at"),
    [("this application", None), ("another applicant", local(2024, 4, 1, 9))],
    ids=["not-delivered", "another-applicants"],
)
def test_a_notice_not_delivered_by_sms_or_of_another_applicant_is_refused_p11_std8(
    whose: str, at: datetime | None
) -> None:
    app = registered()
    sms = delivered(app, at)
    if whose == "another applicant":
        sms = NoticeDelivery(sms.notice, uuid4(), at)
    with pytest.raises(NoticeNotDeliveredBySms) as refused:
        updated(app, sms)
    assert refused.value.paragraph == "§11, Std 8"
    assert not any(type(e).__name__ == "DataUpdated" for e in app.pending_events)
