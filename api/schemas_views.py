"""Response models of the query endpoints (api.routes.views): the projections as served.

None of them carries an IIN or a name: the views never hold them.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from api.schemas import Schema
from projections.audit_trail import AuditEntry
from projections.deadline_monitor import DeadlineRow
from projections.notice_trail import NoticeLine
from projections.position_history import PositionChange
from projections.queue import PublicEntry

# The paged reads (history, audit trail, deadlines): see api.paging.
NEXT_CURSOR = "Pass as `?cursor=` for the next page; null on the last page."
LIMIT = "The most items this page could hold (the `?limit=` asked, or the default)."


class PositionChangePublic(Schema):
    """One change of the application's position and what caused it."""

    seq: int = Field(description="Place in the event log of the change (notification id).")
    kind: str = Field(description="What happened to the list: joined, left or moved.")
    effective_at: datetime
    recorded_at: datetime
    old_position: int | None = Field(description="None: was not on the list.")
    new_position: int | None = Field(description="None: is no longer on the list.")
    cause: str = Field(examples=["Registered", "Deregistered:moved_away"])
    own: bool = Field(description="True when the application's own act caused the change.")
    other_application_id: UUID | None = Field(
        description="The other application whose act moved this one (None for its own acts)."
    )
    event_version: int = Field(description="Version of the causing application's event.")

    @classmethod
    def of(cls, change: PositionChange) -> PositionChangePublic:
        return cls.copied(
            change,
            other_application_id=change.application_id,
            event_version=change.application_version,
        )


class PositionHistoryPublic(Schema):
    application_id: UUID
    changes: list[PositionChangePublic] = Field(description="Oldest first.")
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)
    limit: int = Field(description=LIMIT)


class ActorPublic(Schema):
    id: str = Field(description="Staff number, body code, or the applicant's keyed reference.")
    role: str
    provider: str | None


class DeadlineVerdictPublic(Schema):
    """The statutory term an act closed, and whether it was kept."""

    kind: str
    due_on: date | None
    status: str = Field(examples=["met", "missed", "lapsed", "void"])
    late_by: int | None = Field(description="Working days after the due day (missed acts).")


class NoticeSentPublic(Schema):
    """What the applicant was told of the act (docs/notices.md): in the personal account from
    the act's recording, by SMS where declared, and when they opened it."""

    notice_id: UUID
    subject: str = Field(examples=["registered"])
    account_delivered_at: datetime = Field(description="Placed in the personal account.")
    opened_at: datetime | None = Field(description="Opened by the applicant (None: not yet).")
    sms: str = Field(description="'' (none), pending, delivered, or not delivered.")
    sms_delivered_at: datetime | None
    sms_attempts: int
    sms_failure: str = Field(description="Why the SMS was not delivered, if it was not.")
    term_from_receipt: str = Field(
        description="A term the Rules count from receiving this notice (§11), and the moment"
        " it counts from; '' when none."
    )

    @classmethod
    def of(cls, line: NoticeLine) -> NoticeSentPublic:
        return cls(
            notice_id=line.notice_id, subject=line.subject, account_delivered_at=line.delivered_at,
            opened_at=line.opened_at, sms=line.sms_status, sms_delivered_at=line.sms_delivered_at,
            sms_attempts=line.attempts, sms_failure=line.reason, term_from_receipt=line.term,
        )  # fmt: skip


class AuditEntryPublic(Schema):
    version: int
    seq: int
    event: str = Field(description="What was done (the event's name).")
    summary: str = Field(description="Codes and numbers only: never a name or a health detail.")
    who: ActorPublic
    effective_at: datetime = Field(description="When the act took effect.")
    recorded_at: datetime = Field(description="When Kezek recorded it (the server's clock).")
    backdated_because: str = Field(
        default="", description="Why staff dated the act earlier than it was recorded, if so."
    )
    basis: str = Field(description="The paragraph of the Rules or the Law the act rests on.")
    reasons: str = Field(description="A decision's reasons, as staff or the body wrote them.")
    deadline: DeadlineVerdictPublic | None
    notice: NoticeSentPublic | None = Field(
        default=None, description="The notice this act sent the applicant, if it sends one."
    )

    @classmethod
    def of(cls, entry: AuditEntry, notice: NoticeLine | None = None) -> AuditEntryPublic:
        verdict = (
            DeadlineVerdictPublic(
                kind=entry.deadline_kind,
                due_on=entry.deadline_due_on,
                status=entry.deadline_status,
                late_by=entry.late_by,
            )
            if entry.deadline_kind
            else None
        )
        who = ActorPublic(
            id=entry.actor_id, role=entry.actor_role, provider=entry.actor_provider or None
        )
        sent = None if notice is None else NoticeSentPublic.of(notice)
        return cls.copied(entry, who=who, deadline=verdict, notice=sent)


class TimedActPublic(AuditEntryPublic):
    application_id: UUID
    apart_seconds: int = Field(description="Recorded minus effective time, in seconds.")

    @classmethod
    def of_entry(cls, entry: AuditEntry) -> TimedActPublic:
        public = AuditEntryPublic.of(entry).model_dump()
        return cls(**public, application_id=entry.application_id, apart_seconds=entry.lag_seconds)


class RecordedApartPublic(Schema):
    acts: list[TimedActPublic] = Field(description="In the order they were recorded.")
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)
    limit: int = Field(description=LIMIT)


class AuditTrailPublic(Schema):
    application_id: UUID
    acts: list[AuditEntryPublic] = Field(description="In the order of the application's events.")
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)
    limit: int = Field(description=LIMIT)


class QueueLinePublic(Schema):
    """One line of a public list: nothing that identifies a person."""

    position: int
    application_id: UUID
    priority_moment: datetime
    category_code: str
    offer_open: bool = Field(description="Whether housing is offered to this line right now.")

    @classmethod
    def of(cls, entry: PublicEntry) -> QueueLinePublic:
        return cls.copied(entry, offer_open=entry.holds_offer)


class QueuePagePublic(Schema):
    provider: str
    list_code: str
    page: int
    size: int
    total: int = Field(description="How many are on the list.")
    pages: int
    lines: list[QueueLinePublic]


class ProviderDeadlinePublic(Schema):
    """A statutory term still open."""

    application_id: UUID
    kind: str
    ref: str = Field(description="Which instance of the term (a complaint id, or empty).")
    party: str = Field(description="Whose term it is: provider, body or applicant.")
    starts_on: date
    due_on: date
    working_days: int
    basis: str
    overdue_by: int | None = Field(
        default=None, description="Working days past the due day (overdue terms only)."
    )
    overdue_when_opened: int | None = Field(
        default=None,
        description=(
            "Working days the term was already overdue on the day it opened (grounds found"
            " after the last hearing notice day, §13); absent when it opened in time."
        ),
    )

    @classmethod
    def of(cls, row: DeadlineRow, overdue_by: int | None = None) -> ProviderDeadlinePublic:
        return cls.copied(
            row,
            kind=row.kind.value,
            overdue_by=overdue_by,
            overdue_when_opened=row.late_by if row.status == "open" else None,
        )


class ProviderDeadlinesPublic(Schema):
    provider: str
    overdue: bool = Field(description="True: only the terms already past their due day.")
    as_of: date = Field(description="The local day the terms are judged against.")
    deadlines: list[ProviderDeadlinePublic] = Field(
        description="Soonest due first (ties by application, kind and ref)."
    )
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)
    limit: int = Field(description=LIMIT)


class ProcessPublic(Schema):
    """A service or worker process on this store, as it last reported (every second)."""

    process_id: str
    kind: str = Field(examples=["serve", "worker"])
    pid: int
    writer: bool = Field(description="Whether it holds the lease and writes the views.")
    index_position: int = Field(description="The log position its queue index stands at.")
    index_lag: int = Field(description="Events of the log its index has still to follow.")
    seen_seconds_ago: float


class WitnessPublic(Schema):
    url: str
    cosigned: bool = Field(description="False: the witness refused or could not be reached.")
    size: int | None = Field(description="The tree size the witness holds, when known.")
    detail: str = Field(description="Its key's name, or why it refused.")


class HealthPublic(Schema):
    status: str = Field(examples=["ok", "degraded"])
    store: str = Field(examples=["sqlite", "postgres"])
    head: int = Field(description="The last notification id in the event log.")
    projection_lag: dict[str, int] = Field(description="Events each view has still to apply.")
    runner_error: str | None = Field(
        default=None, description="Why the projection runner stopped, if it did."
    )
    process_id: str = Field(default="", description="This process.")
    writer: bool = Field(default=False, description="Whether this process writes the views.")
    index_position: int = Field(default=0, description="Where this process's index stands.")
    index_lag: int = Field(default=0, description="Events this process's index has to follow.")
    processes: list[ProcessPublic] = Field(
        default_factory=list, description="Every process seen on this store in the last 10 s."
    )
    witnesses: list[WitnessPublic] = Field(
        default_factory=list,
        description="Each witness asked to cosign the checkpoint, and whether it did last time.",
    )
