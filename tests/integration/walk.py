"""Walk applications through the procedure on a real store, with dates that keep every rule."""

from __future__ import annotations

from bisect import bisect_left, insort
from datetime import UTC, datetime, timedelta
from uuid import UUID

from demo.filing import file_own
from demo.synthetic import checks_for, complaint_body, head, make_form, officer
from domain import acts
from domain.actors import Actor
from domain.calendar import zone
from domain.forms import ApplicationForm
from domain.housing_application import HousingApplication
from domain.priority import priority_key
from domain.receipts import Receipt
from domain.records import ComplaintForm, Dwelling
from domain.values import (
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    DeregistrationGround,
    Remedy,
    SuccessionCause,
)
from domain.waiting_list import WaitingList

ALMATY = zone("Asia/Almaty")  # from `tzdata`, never the system's tz database


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ALMATY).astimezone(UTC)


def submit(
    wl: WaitingList,
    serial: int,
    *,
    filed_at: datetime,
    provider: str = "almaty",
    form: ApplicationForm | None = None,
    **form_options: object,
) -> UUID:
    form = form or make_form(serial, **form_options)  # type: ignore[arg-type]
    return file_own(wl, form, provider, filed_at).application_id


def verify(wl: WaitingList, app_id: UUID, *, day: datetime) -> None:
    """Accept, find complete and verify with every check passed, on `day` (a working day)."""
    app = wl.application(app_id)
    staff = officer(app.provider)
    wl.perform(acts.ACCEPT, app_id, actor=staff, effective_at=day)
    wl.perform(acts.FIND_COMPLETE, app_id, actor=staff, effective_at=day + timedelta(minutes=1))
    wl.perform(
        acts.VERIFY,
        app_id,
        actor=staff,
        effective_at=day + timedelta(minutes=2),
        checks=checks_for(app.form, app.provider),
    )


def register(wl: WaitingList, app_id: UUID, *, day: datetime) -> int:
    verify(wl, app_id, day=day)
    app = wl.application(app_id)
    receipt = wl.perform(
        acts.REGISTER, app_id, actor=officer(app.provider), effective_at=day + timedelta(minutes=3)
    )
    assert receipt.queue_number is not None
    return receipt.queue_number


def applicant_of(wl: WaitingList, app_id: UUID) -> Actor:
    """The citizen who holds the application now."""
    return wl.applicant(wl.application(app_id).holder_iin)


def withdraw(wl: WaitingList, app_id: UUID, at: datetime) -> None:
    wl.perform(acts.WITHDRAW, app_id, actor=applicant_of(wl, app_id), effective_at=at)


def complain(
    wl: WaitingList,
    app_id: UUID,
    at: datetime,
    body: ComplaintBody,
    *,
    subject: ComplaintSubject = ComplaintSubject.DECISION,
    text: str = "unfair",
) -> str:
    """The holder files a complaint with `body`; its id."""
    form = ComplaintForm(subject=subject, filed_with=body, text=text)
    receipt = wl.perform(
        acts.FILE_COMPLAINT, app_id, actor=applicant_of(wl, app_id), effective_at=at, complaint=form
    )
    assert receipt.complaint_id is not None
    return receipt.complaint_id


def deregister(
    wl: WaitingList,
    app_id: UUID,
    at: datetime,
    *,
    ground: DeregistrationGround = DeregistrationGround.MOVED_AWAY,
    reasons: str = "moved to Astana",
) -> None:
    """The provider's head takes the application off its list."""
    provider = wl.application(app_id).provider
    wl.perform(
        acts.DEREGISTER,
        app_id,
        actor=head(provider),
        effective_at=at,
        ground=ground,
        reasons=reasons,
    )


def uphold(
    wl: WaitingList,
    app_id: UUID,
    complaint: str,
    at: datetime,
    *,
    by: Actor,
    reasons: str,
    remedy: Remedy,
    **terms: object,
) -> Receipt:
    """`by` upholds `complaint` with `remedy` (and its `terms`, such as corrected_priority)."""
    return wl.perform(
        acts.DECIDE_COMPLAINT,
        app_id,
        actor=by,
        effective_at=at,
        complaint_id=complaint,
        outcome=ComplaintOutcome.UPHELD,
        reasons=reasons,
        remedy=remedy,
        **terms,
    )


def restore(
    wl: WaitingList, app_id: UUID, complaint: str, at: datetime, *, reasons: str = "had not moved"
) -> Receipt:
    """The quality body upholds `complaint` and restores the place on the list."""
    by = complaint_body()
    return uphold(wl, app_id, complaint, at, by=by, reasons=reasons, remedy=Remedy.RESTORE_PLACE)


def uphold_priority(
    wl: WaitingList,
    app_id: UUID,
    complaint: str,
    at: datetime,
    moment: datetime,
    *,
    by: Actor,
    reasons: str = "the portal lost the first filing",
) -> Receipt:
    """`by` upholds `complaint` and corrects the priority moment to `moment`, restoring the
    filing's priority (the reasons say why, should it lie before the filing)."""
    return uphold(
        wl, app_id, complaint, at, by=by, reasons=reasons, remedy=Remedy.CORRECT_PRIORITY,
        corrected_priority=moment, restores_version=1, earlier_than_filing_because=reasons,
    )  # fmt: skip


def correct_priority(wl: WaitingList, app_id: UUID, moment: datetime, at: datetime) -> Receipt:
    """A complaint to the provider at `at`, upheld an hour later: the priority moves to `moment`."""
    complaint = complain(wl, app_id, at, ComplaintBody.PROVIDER)
    by = head(wl.application(app_id).provider)
    return uphold_priority(wl, app_id, complaint, at + timedelta(hours=1), moment, by=by)


def pass_place(wl: WaitingList, app_id: UUID, at: datetime, *, reasons: str = "died") -> str:
    """The place passes to the first member of the family; the successor's reference."""
    app = wl.application(app_id)
    successor = app.family[0].iin
    wl.perform(
        acts.PASS_PLACE,
        app_id,
        actor=head(app.provider),
        effective_at=at,
        cause=SuccessionCause.DEATH,
        successor_iin=successor,
        reasons=reasons,
    )
    return wl.identity.applicant_ref(successor)


def offer_housing(wl: WaitingList, app_id: UUID, at: datetime, dwelling: Dwelling) -> str:
    """The provider's officer offers `dwelling`; the offer's id."""
    offer = wl.perform(
        acts.OFFER_HOUSING,
        app_id,
        actor=officer(wl.application(app_id).provider),
        effective_at=at,
        dwelling=dwelling,
    ).offer_id
    assert offer is not None
    return offer


def provide_housing(
    wl: WaitingList, app_id: UUID, offer: str, at: datetime, *, reasons: str = "decision No. 12"
) -> None:
    """The provider's head decides to provide the housing of `offer`."""
    wl.perform(
        acts.PROVIDE_HOUSING,
        app_id,
        actor=head(wl.application(app_id).provider),
        effective_at=at,
        offer_id=offer,
        reasons=reasons,
    )


def registered(wl: WaitingList, serial: int) -> UUID:
    """Citizen `serial` files on DAY_ONE and is registered the same day."""
    app_id = submit(wl, serial, filed_at=DAY_ONE)
    register(wl, app_id, day=DAY_ONE)
    return app_id


def replayed_queue_numbers(wl: WaitingList) -> list[tuple[UUID, int, int]]:
    """(application, stated number, number by an independent replay of the log in order)."""
    return naive_replay(wl)[0]


def naive_replay(
    wl: WaitingList,
) -> tuple[list[tuple[UUID, int, int]], dict[tuple[str, str], list[str]]]:
    """Stated against replayed queue numbers, and the lists as they stand at the end.

    The replay keeps its own sorted lists from the application events alone, so it does not
    trust the list aggregate whose numbers it checks.
    """
    lists: dict[tuple[str, str], list[str]] = {}
    where: dict[UUID, tuple[str, str]] = {}
    smaller: dict[UUID, bool] = {}
    moment: dict[UUID, datetime] = {}
    on_list: dict[UUID, str] = {}
    checked: list[tuple[UUID, int, int]] = []
    leaving = (
        HousingApplication.Withdrawn,
        HousingApplication.Deregistered,
        HousingApplication.HousingProvided,
    )
    for notification in wl.recorder.select_notifications(start=1, limit=10**9):
        event = wl.mapper.to_domain_event(notification)
        app_id = event.originator_id
        if isinstance(event, HousingApplication.Applied):
            where[app_id] = (event.provider, event.form.list_code)
            smaller[app_id] = event.form.accepts_smaller_housing
            moment[app_id] = event.effective_at
            continue
        if not isinstance(event, HousingApplication.Act):
            continue
        entries = lists.setdefault(where[app_id], [])
        joined: int | None = None
        if isinstance(event, HousingApplication.Corrected):
            moment[app_id] = event.priority_moment
        elif isinstance(event, HousingApplication.Registered):
            joined = event.queue_number
        elif isinstance(event, HousingApplication.Remedied):  # a complaint's or a court's
            corrected = getattr(event, "priority_moment", None)
            if event.queue_number is not None:
                joined = event.queue_number
            elif corrected is not None:
                entries.remove(on_list.pop(app_id))
                moment[app_id] = corrected
                on_list[app_id] = priority_key(moment[app_id], app_id, smaller[app_id])
                insort(entries, on_list[app_id])
        elif isinstance(event, leaving) and app_id in on_list:
            entries.remove(on_list.pop(app_id))
        if joined is not None:
            key = priority_key(moment[app_id], app_id, smaller[app_id])
            checked.append((app_id, joined, bisect_left(entries, key) + 1))
            insort(entries, key)
            on_list[app_id] = key
    return checked, lists


DAY_ONE = local(2024, 3, 18)
