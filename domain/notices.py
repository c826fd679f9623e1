"""What the applicant is told of each act, made from the act's declaration and its event.

An act whose declaration names a `Notice` (domain.acts.definition) gives one notice, id
`notice_id(application, version)`, on each of its channels. The ledger hands the notices to
the store with the act's events (`LedgerBase._save`), which writes them into its outbox in the
same transaction: no act without its notice, no notice without its act (docs/notices.md).

A notice is addressed to the applicant's keyed reference and phone, never to an IIN, and its
`params` hold only what its texts need: codes, numbers, days, moments, the hearing's place,
the reasons a decision gives; never an IIN, a name, an amount of income or a health detail
(a missing document whose very kind tells of health reads as "a protected document").
Parameters named `*_on` are days (ISO), `*_at` moments (ISO, with offset): the texts format
them in the applicant's language and the provider's zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.acts import BY_EVENT
from domain.values import Channel, DocumentKind

NAMESPACE: Final = uuid5(NAMESPACE_URL, "https://kezek.kz/notices")
PROTECTED_DOCUMENTS: Final = frozenset(
    {DocumentKind.CHRONIC_DISEASE_PROOF, DocumentKind.SOCIAL_STATUS_PROOF}
)
Params = dict[str, str | int]


def notice_id(application_id: UUID, version: int) -> UUID:
    """The notice of the application's act at `version` (one per act, stable forever)."""
    return uuid5(NAMESPACE, f"{application_id}/{version}")


def one_off_id(key: str) -> UUID:
    """A message tied to no act (a sign-in code), by its sender's idempotency key."""
    return uuid5(NAMESPACE, f"one-off/{key}")


def delivery_key(notice: UUID, channel: Channel) -> str:
    """The gateway's Idempotency-Key for a notice on a channel: the same across retries and
    restarts, and naming no one."""
    return f"kezek-{notice}-{channel.value}"


@dataclass(frozen=True)
class OutboxNotice:
    """One notice, as the store's outbox keeps it: in the personal account always, and by SMS
    when `channels` says so."""

    notice_id: UUID
    channels: tuple[Channel, ...]
    subject: str
    addressee: str  # the applicant's keyed reference
    phone: str
    language: str
    tz: str
    recorded_at: datetime
    params: Params = field(default_factory=dict)
    # The act it tells of (none: a one-off message, such as a sign-in code).
    application_id: UUID | None = None
    version: int | None = None


@dataclass(frozen=True)
class OutboxChange:
    """What a delivery result or an opening changes in the outbox row (by its `seq`), in the
    transaction that records its event."""

    seq: int
    sms_status: str | None = None  # "delivered" or "failed"
    sms_delivered_at: datetime | None = None
    attempts: int | None = None
    failed_reason: str | None = None
    opened_at: datetime | None = None


class NoticeStore(Protocol):
    """The part of the store that keeps the outbox (store.outbox)."""

    def outbox_notice(self, addressee: str, notice: UUID) -> dict[str, Any] | None: ...


def _day(deadline: Any) -> str:
    return str(deadline.due_on.isoformat()) if deadline is not None else ""


def _document(kind: DocumentKind | None) -> str:
    if kind is None:
        return "other"
    return "protected" if kind in PROTECTED_DOCUMENTS else kind.value


def _missing(e: Any) -> Params:
    return {"count": len(e.missing), "items": ", ".join(_document(m.document) for m in e.missing)}


def _remedy(e: Any) -> Params:
    remedy = getattr(e, "remedy", None)
    found: Params = {"remedy": remedy.value if remedy is not None else "none"}
    if getattr(e, "queue_number", None) is not None:
        found["queue_number"] = int(e.queue_number)
    return found


PARAMS: Final[dict[str, Callable[[Any], Params]]] = {
    "Accepted": lambda e: {
        "received_on": e.reception_day.isoformat(), "result_on": _day(e.consideration_due),
    },
    "NotifiedIncomplete": lambda e: {**_missing(e), "last_on": _day(e.correction_due)},
    "FoundStillIncomplete": _missing,
    "Verified": lambda e: {"grounds_found": int(bool(e.grounds_found))},
    "HearingScheduled": lambda e: {
        "ground": e.ground.value, "reasons": e.reasons, "place": e.notice.place,
        "hearing_at": e.notice.hearing_at.isoformat(), "last_on": _day(e.hearing_due),
    },
    "HearingHeld": lambda e: {"outcome": e.outcome.value},
    "Registered": lambda e: {
        "list_code": e.list_code, "category_code": e.category_code,
        "queue_number": int(e.queue_number),
    },
    "Refused": lambda e: {"ground": e.ground.value, "reasons": e.reasons},
    "RefusedFurtherConsideration": lambda e: {"reasons": e.reasons},
    "DataUpdated": lambda e: {"documents": len(e.update.documents), "last_on": _day(e.update_due)},
    "Deregistered": lambda e: {"ground": e.ground.value, "reasons": e.reasons},
    "HousingOffered": lambda e: {
        "offer_id": e.offer_id, "rooms": int(e.dwelling.rooms),
        "area": str(e.dwelling.useful_area_m2), "address": e.dwelling.address,
    },
    "HousingProvided": lambda e: {"offer_id": e.offer_id},
    "PlacePassedToFamilyMember": lambda e: {"cause": e.cause.value},
    "ComplaintFiled": lambda e: {
        "complaint_id": e.complaint_id, "received_on": e.received_on.isoformat(),
        "last_on": _day(e.decision_due),
    },
    "ComplaintForwarded": lambda e: {
        "complaint_id": e.complaint_id, "body": e.to_body.value, "last_on": _day(e.decision_due),
    },
    "ComplaintSatisfied": lambda e: {"complaint_id": e.complaint_id, **_remedy(e)},
    "ComplaintDecided": lambda e: {
        "complaint_id": e.complaint_id, "outcome": e.outcome.value,
        "by": e.actor.provider or e.actor.id, "by_role": e.actor.role.value, **_remedy(e),
    },
}  # fmt: skip


def params_of(event: Any) -> Params:
    made = PARAMS.get(type(event).__name__)
    return made(event) if made is not None else {}


def notices_of(app: Any, events: Iterable[Any]) -> list[OutboxNotice]:
    """The notices of the application's new events (those of acts that declare one)."""
    found: list[OutboxNotice] = []
    for event in events:
        act = BY_EVENT.get(type(event).__name__)
        if act is None or act.notice is None or event.originator_id != app.id:
            continue
        version: int = event.originator_version
        notice, params = notice_id(app.id, version), params_of(event)
        found.append(
            OutboxNotice(notice, act.notice.channels, act.notice.subject, app.applicant_ref,
                         app.phone, app.form.language, app.tz, event.timestamp, params, app.id,
                         version)
        )  # fmt: skip
    return found
