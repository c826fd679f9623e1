"""§8, §10, §12.1, Std 5: each communicated act's notice is written in the act's transaction,
on both stores; delivery results and openings are events beside their outbox row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.notice_record import NoticeRecord
from domain.notices import notice_id
from domain.notifying import UnknownNotice, open_notice, record_delivery, send_one_off_sms
from domain.sms import SmsTooLong
from domain.values import Channel
from domain.waiting_list import WaitingList
from tests.integration.walk import local, register, submit


def outbox(wl: WaitingList) -> object:
    return wl.recorder.outbox  # type: ignore[attr-defined]


def test_registration_notice_goes_to_the_account_and_by_sms_with_the_act_std5(
    waiting_list: WaitingList,
) -> None:
    app_id = submit(waiting_list, 1, filed_at=local(2024, 3, 4))
    number = register(waiting_list, app_id, day=local(2024, 3, 5))
    rows = outbox(waiting_list).of_application(app_id)  # type: ignore[attr-defined]
    subjects = [(r["subject"], r["sms_status"]) for r in rows]
    assert subjects == [("accepted", ""), ("verified", ""), ("registered", "pending")]
    app = waiting_list.application(app_id)
    sms = rows[-1]
    assert sms["addressee"] == app.applicant_ref
    assert sms["phone"] == app.phone
    assert app.form.applicant_iin not in str(rows)
    assert f'"queue_number": {number}' in sms["params"]
    assert sms["notice_id"] == str(notice_id(app_id, app.version))


def test_delivery_and_opening_are_recorded_once_as_events_p11(waiting_list: WaitingList) -> None:
    app_id = submit(waiting_list, 2, filed_at=local(2024, 3, 4))
    register(waiting_list, app_id, day=local(2024, 3, 5))
    app = waiting_list.application(app_id)
    notice = notice_id(app_id, app.version)
    row = outbox(waiting_list).notice(app.applicant_ref, notice)  # type: ignore[attr-defined]
    assert record_delivery(waiting_list, row, delivered=True, attempts=2)
    assert not record_delivery(waiting_list, row, delivered=True, attempts=3)
    first = open_notice(waiting_list, notice, app.applicant_ref)
    assert open_notice(waiting_list, notice, app.applicant_ref) == first
    with pytest.raises(UnknownNotice):
        open_notice(waiting_list, notice, "app-someone-else")
    record = waiting_list.repository.get(notice)
    assert isinstance(record, NoticeRecord)
    assert record.opened_at == first
    assert Channel.SMS in record.delivered
    sms = outbox(waiting_list).notice(app.applicant_ref, notice)  # type: ignore[attr-defined]
    assert (sms["sms_status"], sms["attempts"]) == ("delivered", 2)


def test_a_one_off_sms_is_queued_once_per_key(waiting_list: WaitingList) -> None:
    first = send_one_off_sms(waiting_list, phone="+77011234567", text="Kezek code 123456", key="k1")
    again = send_one_off_sms(waiting_list, phone="+77011234567", text="Kezek code 123456", key="k1")
    assert first == again
    due = outbox(waiting_list).due(local(2030, 1, 1) + timedelta(days=1), 10)  # type: ignore[attr-defined]
    assert [r["notice_id"] for r in due] == [str(first)]
    with pytest.raises(SmsTooLong):
        send_one_off_sms(waiting_list, phone="+77011234567", text="ә" * 135, key="k2")
