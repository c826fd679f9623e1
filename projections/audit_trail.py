"""Who did what to an application, when (in effect and on record), on what basis, and on time?

One row per act. An act that closes a statutory term says whether it was met or missed, and
by how many working days (projections.deadline_rules, shared with the deadline monitor; the
trail keeps its own open terms so that it rebuilds on its own). `summary` is generated from
closed vocabularies and numbers only: never an IIN, a name, a phone, an amount of income or
a health detail. `reasons` is the reasons text of a decision as the provider or the complaint
body wrote it; what the applicant writes (complaint text, data-update reason, position at the
hearing, why an offer was declined) is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final
from uuid import UUID

from domain.values import DocumentKind
from projections.database import Tx
from projections.deadline_monitor import APPLICATION_EVENTS, TermBook, write_rows
from projections.deadline_rules import LAPSED, Term, verdict_of
from projections.projection import Projection, Recorded
from projections.view_sql import add_missing_columns, limit_clause

TYPES: Final = (
    ("application_id", "text"), ("version", "integer"), ("seq", "bigint"), ("event", "text"),
    ("actor_id", "text"), ("actor_role", "text"), ("actor_provider", "text"),
    ("effective_at", "text"), ("recorded_at", "text"), ("basis", "text"), ("reasons", "text"),
    ("summary", "text"), ("deadline_kind", "text"), ("deadline_due_on", "text"),
    ("deadline_status", "text"), ("late_by", "integer"), ("backdated_because", "text"),
    ("lag_seconds", "bigint"),
)  # fmt: skip
# Added since version 1; a table of an earlier version gets them (kezek rebuild fills them).
ADDED_COLUMNS: Final = (
    ("backdated_because", "TEXT NOT NULL DEFAULT ''"),
    ("lag_seconds", "BIGINT NOT NULL DEFAULT 0"),
)
# An act recorded more than this apart from when it took effect is in the auditors' report.
APART_SECONDS: Final = 3600
COLUMNS: Final = ", ".join(name for name, _ in TYPES)
# Documents whose very kind tells of health or social status.
PROTECTED_DOCUMENTS: Final = frozenset(
    {DocumentKind.CHRONIC_DISEASE_PROOF, DocumentKind.SOCIAL_STATUS_PROOF}
)
# Decisions and the field holding their reasons, as the provider or complaint body wrote them.
REASONS: Final = {
    name: "reasons"
    for name in (
        "RefusedFurtherConsideration",
        "HearingScheduled",
        "HearingHeld",
        "Refused",
        "ComplaintDecided",
        "Deregistered",
        "PlacePassedToFamilyMember",
        "HousingProvided",
    )
} | {"ComplaintSatisfied": "action_taken", "CourtDecided": "operative_part"}


def _document(kind: DocumentKind | None) -> str:
    if kind is None:
        return "other item"
    if kind in PROTECTED_DOCUMENTS:
        return "a protected document"
    return kind.value.replace("_", " ")


def _verified(e: Any) -> str:
    failed = sorted(c.check.value for c in e.checks if c.outcome.value == "failed")
    if e.grounds_found:
        return f"{len(e.checks)} checks; grounds found: {', '.join(failed) or 'other'}"
    return f"{len(e.checks)} checks passed"


def _decided(e: Any) -> str:
    text = f"complaint {e.complaint_id} {e.outcome.value}; remedy {e.remedy.value}"
    if e.priority_moment is not None:
        text += f"; priority from {e.priority_moment.isoformat()}"
    if getattr(e, "restores_version", None) is not None:
        text += f" (restoring version {e.restores_version})"
    return text + _remedied(e)


def _remedied(e: Any) -> str:
    """What a remedy did (events before remedies reopened read none of it)."""
    text = f"; queue number {e.queue_number}" if e.queue_number is not None else ""
    if getattr(e, "reopened_at", None) is not None:
        text += (
            f"; consideration reopened at {e.reopened_at.value}, by {e.consideration_due.due_on}"
        )
    return text


def _satisfied(e: Any) -> str:
    remedy = getattr(e, "remedy", None)
    text = f"complaint {e.complaint_id} satisfied by the provider"
    if remedy is None or remedy.value == "none":
        return text
    return f"{text}; remedy {remedy.value}{_remedied(e)}"


def _data_updated(e: Any) -> str:
    u = e.update
    text = f"data update: {len(u.documents)} document(s)"
    if u.family is not None:
        text += "; family composition changed"
    if u.phone is not None or u.email is not None:
        text += "; contact details changed"
    if u.category_code is not None:  # which one may reveal health: the event holds it
        text += "; category changed"
    if e.required_documents is not None:
        text += f"; recomputed: {len(e.required_documents)} document(s) now required by Std 8"
    if getattr(e, "term_counted_from", "grounds") == "sms_delivered":  # §11, Std 8
        text += f"; term counted from the SMS of notice {e.after_notice}"
        return text + f" delivered on {e.update_due.starts_on}; due {e.update_due.due_on}"
    return text + f"; due {e.update_due.due_on}"


def _refusal(e: Any) -> str:
    """Whether a refusal counts (Art. 73-75); never the reason, which may name health."""
    if e.reason is None:
        return ""
    return " without a valid reason" if e.unjustified else "; it does not count"


def _complaint(e: Any) -> str:
    c = e.complaint
    about = f" on version {c.concerns_version}" if c.concerns_version is not None else ""
    return f"complaint {e.complaint_id} about {c.subject.value}{about} with {c.filed_with.value}"


SUMMARIES: Final[dict[str, Callable[[Any], str]]] = {
    "Applied": lambda e: f"application to list {e.form.list_code}",
    "Accepted": lambda e: (
        f"received {e.reception_day}; completeness check by {e.completeness_due.due_on};"
        f" consideration by {e.consideration_due.due_on}"
    ),
    "NotifiedIncomplete": lambda e: (
        f"missing: {', '.join(_document(m.document) for m in e.missing)};"
        f" correct by {e.correction_due.due_on}"
    ),
    "FoundComplete": lambda e: f"package complete; verification by {e.verification_due.due_on}",
    "FoundStillIncomplete": lambda e: (
        f"still missing after the correction: {', '.join(_document(m.document) for m in e.missing)}"
    ),
    "Corrected": lambda e: (
        f"package corrected with {len(e.documents)} document(s); priority from"
        f" {e.priority_moment.isoformat()}; verification by {e.verification_due.due_on}"
    ),
    "RefusedFurtherConsideration": lambda e: "not considered further: not corrected in time",
    "Verified": _verified,
    "HearingScheduled": lambda e: (
        f"preliminary refusal, ground {e.ground.value}; hearing at"
        f" {e.notice.hearing_at.isoformat()} ({e.notice.place}), by {e.hearing_due.due_on}"
    ),
    "HearingHeld": lambda e: f"hearing held: outcome {e.outcome.value}",
    "Registered": lambda e: f"queue number {e.queue_number} on list {e.list_code}",
    "Refused": lambda e: f"refused: ground {e.ground.value}",
    "ComplaintFiled": _complaint,
    "ComplaintForwarded": lambda e: (
        f"complaint {e.complaint_id} forwarded to {e.to_body.value} with the administrative"
        f" file up to version {e.administrative_file.up_to_version}"
    ),
    "ComplaintSatisfied": _satisfied,
    "ComplaintDecided": _decided,
    "CourtDecided": lambda e: (
        f"court decision {e.decision_number} of {e.decided_on} ({e.court}): {e.outcome.value};"
        f" remedy {e.remedy.value}"
        + (f"; priority from {e.priority_moment.isoformat()}" if e.priority_moment else "")
        + _remedied(e)
    ),
    "DataUpdated": _data_updated,
    "Withdrawn": lambda e: "withdrawn by the applicant",
    "Deregistered": lambda e: f"taken off the list: ground {e.ground.value}",
    "PlacePassedToFamilyMember": lambda e: f"place passed to a family member ({e.cause.value})",
    "HousingOffered": lambda e: (
        f"offer {e.offer_id}: {e.dwelling.rooms} room(s), {e.dwelling.useful_area_m2} m2"
        + (", below the norm" if e.below_norm else "")
    ),
    "OfferDeclined": lambda e: f"offer {e.offer_id} declined{_refusal(e)}",
    "HousingProvided": lambda e: f"housing provided (offer {e.offer_id})",
}


def summary_of(event: Any, terms: Sequence[Term] = ()) -> str:
    name = type(event).__name__
    text = SUMMARIES[name](event) if name in SUMMARIES else name
    for term in terms:
        if term.status == LAPSED:
            text += f"; {term.kind.value.replace('_', ' ')} term lapsed on {term.due_on}"
    return text


def reasons_of(event: Any) -> str:
    name = type(event).__name__
    if name in ("NotifiedIncomplete", "FoundStillIncomplete"):
        return "; ".join(m.description for m in event.missing)
    field = REASONS.get(name)
    reasons = str(getattr(event, field)) if field is not None else ""
    # An act the law still required after its term (§13, §14) says why it is late.
    late = getattr(event, "late_because", "")
    return f"{reasons} (late because: {late})".lstrip() if late else reasons


@dataclass(frozen=True)
class AuditEntry:
    application_id: UUID
    version: int
    seq: int
    event: str
    actor_id: str
    actor_role: str
    actor_provider: str
    effective_at: datetime
    recorded_at: datetime
    basis: str
    reasons: str
    summary: str
    deadline_kind: str
    deadline_due_on: date | None
    deadline_status: str
    late_by: int | None
    backdated_because: str = ""
    lag_seconds: int = 0  # recorded minus effective


def _entry(r: tuple[Any, ...]) -> AuditEntry:
    return AuditEntry(
        UUID(r[0]), int(r[1]), int(r[2]), r[3], r[4], r[5], r[6],
        datetime.fromisoformat(r[7]), datetime.fromisoformat(r[8]), r[9], r[10], r[11],
        r[12], date.fromisoformat(r[13]) if r[13] is not None else None, r[14], r[15],
        r[16], int(r[17]),
    )  # fmt: skip


def _audit_row(seq: int, event: Any, terms: list[Term]) -> tuple[Any, ...]:
    judged = verdict_of(terms)
    actor = event.actor
    return (
        str(event.originator_id), event.originator_version, seq, type(event).__name__,
        actor.id, actor.role.value, actor.provider or "", event.effective_at.isoformat(),
        event.timestamp.isoformat(), event.basis, reasons_of(event), summary_of(event, terms),
        judged.kind.value if judged else "", judged.due_on.isoformat() if judged else None,
        judged.status if judged else "", judged.late_by if judged else None,
        getattr(event, "backdated_because", ""),
        int((event.timestamp - event.effective_at).total_seconds()),
    )  # fmt: skip


class AuditTrail(Projection):
    """Table `audit_trail`: one row per act of every application."""

    name = "audit_trail"
    reads = APPLICATION_EVENTS
    version = 3  # 2: terms judged on the recorded day too; the reason for backdating; 3: why
    # an act was late
    tables = ("audit_trail", "audit_applications", "audit_open_deadlines")

    def __init__(self, generation: int = 1) -> None:
        super().__init__(generation)
        self.book = TermBook(
            self.table("audit_applications"),
            self.table("audit_open_deadlines"),
            keep_closed=False,
        )

    def create_tables(self, tx: Tx) -> None:
        self.book.create_tables(tx)
        tx.execute(
            f"CREATE TABLE IF NOT EXISTS {self.table('audit_trail')} ("
            " application_id TEXT NOT NULL, version INTEGER NOT NULL, seq BIGINT NOT NULL,"
            " event TEXT NOT NULL, actor_id TEXT NOT NULL, actor_role TEXT NOT NULL,"
            " actor_provider TEXT NOT NULL, effective_at TEXT NOT NULL,"
            " recorded_at TEXT NOT NULL, basis TEXT NOT NULL, reasons TEXT NOT NULL,"
            " summary TEXT NOT NULL, deadline_kind TEXT NOT NULL, deadline_due_on TEXT,"
            " deadline_status TEXT NOT NULL, late_by INTEGER,"
            " PRIMARY KEY (application_id, version))"
        )
        table = self.table("audit_trail")
        add_missing_columns(tx, table, ADDED_COLUMNS)
        tx.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_apart ON {table} (seq)"
            f" WHERE lag_seconds > {APART_SECONDS} OR lag_seconds < -{APART_SECONDS}"
        )

    def apply(self, batch: Sequence[Recorded], tx: Tx) -> None:
        done = self.book.process(batch, tx)
        write_rows(
            tx,
            self.table("audit_trail"),
            TYPES,
            [_audit_row(seq, event, terms) for seq, event, terms in done],
        )

    def trail(
        self, tx: Tx, application_id: UUID, *, after: int = 0, limit: int | None = None
    ) -> list[AuditEntry]:
        """Every act of one application, in order (of its versions); with `after`, those of
        later versions; with `limit`, at most that many (the primary key's range)."""
        tail, limited = limit_clause(limit)
        rows = tx.fetchall(
            f"SELECT {COLUMNS} FROM {self.table('audit_trail')}"
            f" WHERE application_id = ? AND version > ? ORDER BY version{tail}",
            [str(application_id), after, *limited],
        )
        return [_entry(r) for r in rows]

    def recorded_apart(
        self, tx: Tx, *, provider: str | None = None, after: int = 0, limit: int = 100
    ) -> list[AuditEntry]:
        """Every act recorded more than an hour apart from when it took effect (staff's
        backdated paper acts, the portal's receipts), in log order; with `provider`, those its
        staff performed."""
        where = f"(lag_seconds > {APART_SECONDS} OR lag_seconds < -{APART_SECONDS}) AND seq > ?"
        params: list[Any] = [after]
        if provider is not None:
            where += " AND actor_provider = ?"
            params.append(provider)
        rows = tx.fetchall(
            f"SELECT {COLUMNS} FROM {self.table('audit_trail')} WHERE {where} ORDER BY seq LIMIT ?",
            [*params, limit],
        )
        return [_entry(r) for r in rows]
