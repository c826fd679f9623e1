"""Complaints (§14): filed on the portal, forwarded with the sealed administrative file, and
decided by the provider's head, the quality body or the higher body."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from demo.moments import portal_moment
from demo.script import Script
from demo.synthetic import administrative_file, complaint_body, head, officer
from domain import acts
from domain.actors import Actor
from domain.calendar import end_of_day, reception_day, start_of_day
from domain.records import ComplaintForm
from domain.values import ComplaintBody, ComplaintOutcome, ComplaintSubject, Remedy, Status


def _file(
    s: Script, body: ComplaintBody, subject: ComplaintSubject, text: str, days: tuple[int, int]
) -> date:
    """File a complaint `days` after the last act; returns the day it is received."""
    case = s.case
    day = s.today + timedelta(days=s.rng.randint(*days))
    at = portal_moment(s.rng, max(s.t, start_of_day(day, s.tz)), end_of_day(day, s.tz))

    def late() -> dict[str, Any]:
        # The complaint concerns the version the citizen saw, known only when it is filed.
        s.result.complaints_filed += 1
        form = ComplaintForm(
            subject=subject, filed_with=body, text=text, concerns_version=case.version
        )
        return {"complaint": form}

    s.add(at, acts.FILE_COMPLAINT, s.applicant(), late=late)
    return reception_day(at, s.tz)


def _forward(
    s: Script, received: date, to_body: ComplaintBody, late_because: str | None = None
) -> date:
    """With the administrative file, within 3 working days of receipt (§14); with
    `late_because`, 4 to 6 working days after it, saying why (docs/domain.md)."""
    case, wl = s.case, s.wl
    days = (1, 3) if late_because is None else (4, 6)
    at = s.office(s.working_days(received, *days))

    def late() -> dict[str, Any]:
        assert case.complaint_id is not None
        bundle = b"".join(
            record.state for record in wl.recorder.select_events(case.id, lte=case.version)
        )
        file = administrative_file(
            f"{case.provider}/{case.id}/{case.complaint_id}", bundle, case.version
        )
        return {"complaint_id": case.complaint_id, "administrative_file": file}

    label = f"forward complaint to {to_body.value}"
    s.add(
        at,
        acts.FORWARD_COMPLAINT,
        officer(case.provider, 1),
        late=late,
        label=label,
        to_body=to_body,
        late_because=late_because,
    )
    return reception_day(at, s.tz)


def _decide(
    s: Script,
    registered: date,
    actor: Actor,
    days: tuple[int, int],
    outcome: ComplaintOutcome,
    reasons: str,
    remedy: Remedy = Remedy.NONE,
    corrected_priority: datetime | None = None,
    **more: Any,
) -> None:
    at = s.office(s.working_days(registered, *days))

    def late() -> dict[str, Any]:
        s.result.remedies[remedy] += 1
        return {"complaint_id": s.case.complaint_id}

    s.add(
        at,
        acts.DECIDE_COMPLAINT,
        actor,
        late=late,
        label=f"decide complaint ({remedy.value})",
        outcome=outcome,
        reasons=reasons,
        remedy=remedy,
        corrected_priority=corrected_priority,
        # The demo's corrections restore the filing's own moment (version 1).
        restores_version=1 if remedy is Remedy.CORRECT_PRIORITY else None,
        **more,
    )


def restore_place(s: Script) -> None:
    """After a deregistration on an outdated register entry: restored with the old priority."""
    received = _file(
        s,
        ComplaintBody.PROVIDER,
        ComplaintSubject.DECISION,
        "The flat in the register was sold in 2017; the entry is outdated. "
        "I ask to be restored to the list.",
        (1, 12),
    )
    registered = _forward(s, received, ComplaintBody.QUALITY_BODY)
    _decide(
        s,
        registered,
        complaint_body("quality-body"),
        (3, 12),
        ComplaintOutcome.UPHELD,
        "the register entry was corrected; the citizen is restored with the original "
        "priority (Art. 74 para 1)",
        Remedy.RESTORE_PLACE,
    )


def correct_priority(s: Script) -> None:
    """A document was demanded that the state systems hold: priority from the filing."""
    filed_at = s.case.steps[0].at  # the case is planned whole before any act runs
    received = _file(
        s,
        ComplaintBody.PROVIDER,
        ComplaintSubject.DECISION,
        "The document named as missing is held by the state information systems; it could "
        "not be demanded (§12). My priority runs from the filing.",
        (3, 40),
    )
    registered = _forward(s, received, ComplaintBody.HIGHER_BODY)
    _decide(
        s,
        registered,
        complaint_body("higher-body:akimat-almaty-region"),
        (2, 12),
        ComplaintOutcome.PARTIALLY_UPHELD,
        "§12: the document was available from the state systems; the priority runs from "
        "the moment of filing (Art. 74 para 1)",
        Remedy.CORRECT_PRIORITY,
        corrected_priority=filed_at,
    )


def rejected_by_quality_body(s: Script) -> None:
    received = _file(
        s,
        ComplaintBody.QUALITY_BODY,
        ComplaintSubject.DECISION,
        "The refusal is unfounded.",
        (2, 20),
    )
    _decide(
        s,
        received,
        complaint_body("quality-body"),
        (5, 15),
        ComplaintOutcome.REJECTED,
        "the refusal rests on a ground of Std 9, stated after a hearing (§13)",
    )


def decided_by_head(s: Script) -> None:
    received = _file(
        s,
        ComplaintBody.PROVIDER,
        ComplaintSubject.ACTION,
        "My queue number is lower than I expected.",
        (5, 90),
    )
    _decide(
        s,
        received,
        head(s.case.provider),
        (2, 5),
        ComplaintOutcome.REJECTED,
        "the list is ordered by the moment of filing a complete application (Art. 74 para 1)",
    )


def satisfied_by_provider(s: Script) -> None:
    received = _file(
        s,
        ComplaintBody.PROVIDER,
        ComplaintSubject.INACTION,
        "I did not receive the SMS with my queue number.",
        (1, 30),
    )
    at = s.office(s.working_days(received, 1, 3))

    def late() -> dict[str, Any]:
        s.result.complaints_satisfied += 1
        return {"complaint_id": s.case.complaint_id}

    action = "the notification with the queue number was sent again"
    s.add(at, acts.SATISFY_COMPLAINT, officer(s.case.provider, 3), late=late, action_taken=action)


def forwarded_late(s: Script) -> None:
    """The provider sends the complaint on after its 3 working days (§14): recorded late."""
    received = _file(
        s,
        ComplaintBody.PROVIDER,
        ComplaintSubject.INACTION,
        "I did not receive the SMS with my queue number.",
        (1, 30),
    )
    registered = _forward(
        s,
        received,
        ComplaintBody.QUALITY_BODY,
        late_because="the complaint reached the responsible officer only after the term",
    )
    _decide(
        s,
        registered,
        complaint_body("quality-body"),
        (3, 12),
        ComplaintOutcome.PARTIALLY_UPHELD,
        "the notification was late; the provider forwarded the complaint late too (§14)",
    )


def reopened_by_quality_body(s: Script) -> None:
    """The refusal is challenged; the quality body sends the case back to verification, whose
    terms run again from the decision (docs/domain.md): the next acts verify and register."""
    received = _file(
        s,
        ComplaintBody.QUALITY_BODY,
        ComplaintSubject.DECISION,
        "The flat in the register was sold before I applied; the refusal rests on old data.",
        (2, 20),
    )
    _decide(
        s,
        received,
        complaint_body("quality-body"),
        (3, 12),
        ComplaintOutcome.UPHELD,
        "the sale is registered; the application is verified again (§11, §14)",
        Remedy.REOPEN,
        reopen_at=Status.COMPLETE,
    )
    s.received = s.checked_on = reception_day(s.t, s.tz)
