"""Applications walked to a given point of the procedure, in memory: no store involved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from uuid import uuid4

from demo.synthetic import checks_for, head, make_form, officer
from domain.actors import Actor
from domain.calendar import reception_day, zone
from domain.claims import IdentityKey
from domain.forms import ApplicationForm
from domain.housing_application import HousingApplication
from domain.records import ComplaintForm, HearingNotice
from domain.reference import get_provider
from domain.values import (
    Check,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    HearingOutcome,
    RefusalGround,
    Role,
)
from tests.keys import IDENTITY_KEY_HEX

KEY = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
ALMATY_TZ = zone("Asia/Almaty")  # from `tzdata`, never the system's tz database


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Almaty's local time (UTC+5 since 1 March 2024), as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY_TZ).astimezone(UTC)


def applicant_of(app: HousingApplication) -> Actor:
    return Actor(id=app.applicant_ref, role=Role.APPLICANT)


def file(
    form: ApplicationForm | None = None,
    *,
    provider: str = "almaty",
    at: datetime | None = None,
) -> HousingApplication:
    form = form or make_form(1, family_size=2)
    where = get_provider(provider)
    ref = KEY.applicant_ref(form.applicant_iin)
    app = HousingApplication.apply_for(
        application_id=uuid4(),
        form=form,
        provider=where.code,
        provider_tz=where.tz,
        applicant_ref=ref,
        actor=Actor(id=ref, role=Role.APPLICANT),
        filed_at=at or local(2024, 3, 18, 10),
    )
    return app


def accepted(**kwargs: object) -> HousingApplication:
    app = file(**kwargs)  # type: ignore[arg-type]
    received = reception_day(app.filed_at, app.tz)
    opening = datetime.combine(received, time(9), tzinfo=ALMATY_TZ).astimezone(UTC)
    app.accept(actor=officer(app.provider), effective_at=max(app.filed_at, opening))
    return app


def complete() -> HousingApplication:
    app = accepted()
    app.find_complete(actor=officer(app.provider), effective_at=local(2024, 3, 19))
    return app


def verified(*, failing: Check | None = None) -> HousingApplication:
    app = complete()
    app.verify(
        actor=officer(app.provider),
        effective_at=local(2024, 3, 27),
        checks=checks_for(app.form, app.provider, failing=failing),
    )
    return app


def registered(queue_number: int = 1) -> HousingApplication:
    app = verified()
    app.register(
        actor=officer(app.provider), effective_at=local(2024, 3, 28), queue_number=queue_number
    )
    return app


def decide(
    app: HousingApplication,
    complaint_id: str,
    by: Actor,
    at: datetime,
    outcome: ComplaintOutcome = ComplaintOutcome.REJECTED,
    reasons: str = "none",
    **remedy: object,
) -> None:
    """`by` decides the complaint at `at` (upheld: with its `remedy` and that remedy's terms)."""
    app.decide_complaint(
        actor=by,
        effective_at=at,
        complaint_id=complaint_id,
        outcome=outcome,
        reasons=reasons,
        **remedy,  # type: ignore[arg-type]
    )


def notice_on(
    app: HousingApplication, day: date, hearing_day: date, late_because: str = ""
) -> None:
    """The hearing notice on `day` (10:00) of a hearing on `hearing_day` at 11:00 (§13)."""
    app.schedule_hearing(
        actor=officer(app.provider),
        effective_at=local(day.year, day.month, day.day),
        ground=RefusalGround.NON_COMPLIANCE,
        reasons="owns a flat in Astana",
        notice=HearingNotice(
            hearing_at=local(hearing_day.year, hearing_day.month, hearing_day.day, 11),
            place="Akimat, room 12",
        ),
        late_because=late_because or None,
    )


def hold_hearing(
    app: HousingApplication,
    at: datetime,
    outcome: HearingOutcome,
    reasons: str,
    position: str = "disagrees",
) -> None:
    app.hold_hearing(
        actor=officer(app.provider),
        effective_at=at,
        applicant_position=position,
        outcome=outcome,
        reasons=reasons,
    )


def refuse(app: HousingApplication, at: datetime, reasons: str) -> None:
    """The head refuses for non-compliance with the conditions (§13)."""
    app.refuse(
        actor=head(app.provider),
        effective_at=at,
        ground=RefusalGround.NON_COMPLIANCE,
        reasons=reasons,
    )


def complaint_on(
    app: HousingApplication,
    day: date,
    body: ComplaintBody,
    *,
    subject: ComplaintSubject = ComplaintSubject.INACTION,
    concerns_version: int | None = None,
) -> str:
    """The applicant complains to `body` on `day` (10:00) (§14); the complaint's id."""
    return app.file_complaint(
        actor=applicant_of(app),
        effective_at=local(day.year, day.month, day.day),
        complaint=ComplaintForm(
            subject=subject, filed_with=body, text="unfounded", concerns_version=concerns_version
        ),
    )
