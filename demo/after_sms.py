"""An Appendix 3 update prompted by an SMS (§11, Std 8): the last SMS the application was sent
is delivered (as the gateway would answer), and the update names it, so its 15 working days
count from that delivery, not from the grounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from domain.notifying import record_delivery
from domain.waiting_list import WaitingList


def last_sms(wl: WaitingList, application_id: UUID, addressee: str) -> Mapping[str, Any] | None:
    """The outbox row of the application's latest notice sent by SMS (None: the store keeps
    no outbox, or none was sent)."""
    recorder: Any = wl.recorder
    rows = getattr(recorder, "outbox", None)
    if rows is None:
        return None
    sent = [
        r
        for r in rows.of_application(application_id)
        if r.get("sms_status") and r.get("addressee") == addressee  # "" when no SMS went
    ]
    return sent[-1] if sent else None


def delivered_prompt(wl: WaitingList, application_id: UUID) -> UUID | None:
    """Deliver the latest SMS of the application now, and name it (None where there is none)."""
    app = wl.application(application_id)
    row = last_sms(wl, application_id, app.applicant_ref)
    if row is None:
        return None
    if row.get("sms_status") != "delivered":
        record_delivery(wl, row, delivered=True, attempts=1)
    return UUID(row["notice_id"])
