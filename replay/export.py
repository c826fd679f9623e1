"""Build a court bundle (replay.bundle) from the live service: the ledger, its database, views.

`export_application`: every event of one application, versions 1..n, as the store holds them;
`export_list`: the events 1..V of one (provider, list) aggregate, V being the last version the
list as of a moment takes into account (replay.asof_list), with the order then rendered.

Each event is read with its notification id straight from the events table, hashed as the
transparency log hashes it (replay.leaf_formats: format 1 or, sealed, 2) and compared with the
log's leaf: an event that no longer matches its leaf (the store was changed behind the
service's back) stops the export. The bundle is made for a `role` (replay.redaction): whole for
a court or the provider's staff, without personal data for an auditor or a complaint body.
The latest signed checkpoint is used when it covers the last event and was signed with the
operator's current key; otherwise a fresh one is signed (replay.checkpoints.sign_checkpoint,
which first proves the log extends the previous checkpoint). The operator's key also signs
the statement naming the manifest's SHA-256, so a bundle cut short is caught offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, TypeVar
from uuid import UUID

from domain.errors import ApplicationNotFound
from domain.queue_list import QueueList
from domain.values import Role
from projections.audit_trail import AuditTrail
from projections.database import Tx
from projections.notice_trail import NoticeTrail
from projections.position_history import PositionHistory
from projections.projection import Projection
from projections.runner import CatchUpRunner
from replay import render
from replay.asof_list import state_as_of
from replay.asof_moment import AsOf
from replay.asof_place import ViewSource
from replay.bundle import README, EventEntry, Manifest, assemble, event_file
from replay.checkpoints import (
    Checkpoint,
    CheckpointInvalid,
    OperatorKey,
    inclusion_proofs,
    latest_checkpoint,
    load_signing_key,
    sign_checkpoint,
    verify_checkpoint,
)
from replay.cosigning import cosigned_note
from replay.leaf_formats import LeafFormats, leaf_of
from replay.merkle import hash_leaf
from replay.redaction import WHOLE, Cut
from replay.transparency import TransparencyLog

P = TypeVar("P", bound=Projection)


class ExportError(RuntimeError):
    """The bundle cannot be made (unknown case, views behind, a store changed after logging)."""


class ExportSource(ViewSource, Protocol):
    """What a service process holds (api.services.Services)."""

    runner: CatchUpRunner


@dataclass(frozen=True)
class StoredRow:
    """One stored event with its notification id (replay.canonical.StoredEventLike)."""

    id: int
    originator_id: str
    originator_version: int
    topic: str
    state: bytes


@dataclass(frozen=True)
class Exported:
    data: bytes  # the zip
    manifest: Manifest
    checkpoint: Checkpoint
    signed_now: bool  # a fresh checkpoint was signed for this export


def moment_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stored_events(tx: Tx, table: str, originator: UUID, upto: int | None = None) -> list[StoredRow]:
    """The aggregate's stored events (versions up to `upto`), oldest first, with positions."""
    sqlite = tx.dialect == "sqlite"
    sql = (
        f"SELECT {'rowid' if sqlite else 'notification_id'}, originator_id, originator_version,"
        f" topic, state FROM {table} WHERE originator_id = ?"
    )
    params: list[object] = [originator.hex if sqlite else str(originator)]
    if upto is not None:
        sql += " AND originator_version <= ?"
        params.append(upto)
    rows = tx.fetchall(sql + " ORDER BY originator_version", params)
    return [StoredRow(int(r[0]), str(r[1]), int(r[2]), str(r[3]), bytes(r[4])) for r in rows]


def export_application(
    source: ExportSource,
    application_id: UUID,
    *,
    role: Role = Role.COURT,
    key: OperatorKey | None = None,
    now: datetime | None = None,
    timeout: float = 30.0,
) -> Exported:
    try:
        app = source.waiting_list.application(application_id)
    except ApplicationNotFound:
        raise ExportError(f"no application {application_id} in the ledger") from None
    subject: dict[str, str | int | None] = {
        "application_id": str(application_id),
        "provider": app.provider,
        "list_code": app.form.list_code,
    }

    def pages(tx: Tx, facts: Mapping[str, render.Cell]) -> dict[str, bytes]:
        trail = source.view(AuditTrail).trail(tx, application_id)
        sent = {n.version: n for n in source.view(NoticeTrail).of_application(tx, application_id)}
        history = source.view(PositionHistory).history(tx, application_id)
        return {
            render.AUDIT_TRAIL: render.audit_trail_page(facts, trail, sent),
            render.POSITION_HISTORY: render.position_history_page(facts, history),
        }

    return _export(
        source, "application", application_id, None, subject, pages, role, key, now, timeout
    )


def export_list(
    source: ExportSource,
    provider: str,
    list_code: str,
    at: AsOf,
    *,
    role: Role = Role.COURT,
    key: OperatorKey | None = None,
    now: datetime | None = None,
    timeout: float = 30.0,
) -> Exported:
    state = state_as_of(source.waiting_list, provider, list_code, at)
    if state.version == 0:
        raise ExportError(f"list {provider}/{list_code} held nothing recorded by then")
    subject: dict[str, str | int | None] = {
        "provider": provider,
        "list_code": list_code,
        "as_of": moment_text(at.moment),
        "by": at.axis_text,
        "known_at": None if at.known_at is None else moment_text(at.known_at),
        "list_version": state.version,
        "entries": len(state),
    }

    def pages(tx: Tx, facts: Mapping[str, render.Cell]) -> dict[str, bytes]:
        return {render.LIST: render.list_page(facts, state.entries())}

    list_id = QueueList.id_for(provider, list_code)
    return _export(source, "list", list_id, state.version, subject, pages, role, key, now, timeout)


class _Pages(Protocol):
    def __call__(self, tx: Tx, facts: Mapping[str, render.Cell], /) -> dict[str, bytes]: ...


def _export(
    source: ExportSource,
    kind: str,
    originator: UUID,
    upto: int | None,
    subject: dict[str, str | int | None],
    pages: _Pages,
    role: Role,
    key: OperatorKey | None,
    now: datetime | None,
    timeout: float,
) -> Exported:
    key = key or load_signing_key()
    now = now or datetime.now(UTC)
    table = source.waiting_list.recorder.events_table_name  # type: ignore[attr-defined]
    with source.database.transaction(write=False) as tx:
        events = stored_events(tx, table, originator, upto)
    versions = [e.originator_version for e in events]
    if not events or versions != list(range(1, len(events) + 1)):
        raise ExportError(f"the store holds versions {versions[:8]} of {originator}, not 1..n")
    _catch_up(source.runner, events[-1].id, timeout)
    log = source.view(TransparencyLog)
    cut = Cut(role, None if role in WHOLE else source.waiting_list.identity)
    with source.database.transaction() as tx:
        checkpoint, signed = _checkpoint(tx, log, key, events[-1].id, now)
        entries, evidence = _evidence(tx, log, events, checkpoint.size, cut)
        facts = {
            "kind": kind,
            "made for": role.value,
            **subject,
            "events": len(events),
            "exported at": moment_text(now),
            "checkpoint": f"size {checkpoint.size}, signed {checkpoint.time}",
        }
        rendered = pages(tx, facts)
        cosigned = cosigned_note(tx, checkpoint)  # the witnesses' cosignatures, if any
    rendered[README] = render.readme(facts, sorted(rendered))
    manifest = cut.stated(
        Manifest(
            kind=kind,
            originator_id=str(originator),
            subject=subject,
            created_at=moment_text(now),
            event_count=len(entries),
            versions=tuple(e.version for e in entries),
            events=tuple(entries),
            checkpoint=cosigned,
            verifier_key=key.verifier_key,
        )
    )
    data = assemble(manifest, evidence, rendered, key)
    return Exported(data, manifest, checkpoint, signed)


def _catch_up(runner: CatchUpRunner, position: int, timeout: float) -> None:
    """Every view has processed the log as it stands (at least `position`): the list's changes
    that an application's last act caused come after that act."""
    position = max(position, runner.head())
    if runner.wait_for(position, 0.0):
        return
    runner.catch_up(until=position)
    if not runner.wait_for(position, timeout):
        raise ExportError(f"the views have not reached position {position} within {timeout} s")


def _checkpoint(
    tx: Tx, log: TransparencyLog, key: OperatorKey, last: int, now: datetime
) -> tuple[Checkpoint, bool]:
    needed = log.leaf(tx, last).leaf_index + 1
    latest = latest_checkpoint(tx)
    if latest is not None and latest.size >= needed:
        try:
            verify_checkpoint(latest.note, key)
            return latest, False
        except CheckpointInvalid:
            pass  # signed with an earlier key: sign again with the current one
    return sign_checkpoint(tx, log, key, now=now), True


def _evidence(
    tx: Tx, log: TransparencyLog, events: list[StoredRow], size: int, cut: Cut
) -> tuple[list[EventEntry], dict[str, bytes]]:
    entries: list[EventEntry] = []
    files: dict[str, bytes] = {}
    formats = LeafFormats.load(tx)
    proofs = inclusion_proofs(tx, log, [event.id for event in events], size)
    for event, proof in zip(events, proofs, strict=True):
        leaf = leaf_of(event, formats)
        if hash_leaf(leaf.data).hex() != proof.leaf_hash:
            raise ExportError(
                f"the stored event at position {event.id} (version {event.originator_version}) "
                f"is not leaf {proof.leaf_index} of the transparency log: the store was changed "
                "after the event was logged; refusing to export it as evidence"
            )
        name = event_file(event.originator_version)
        files[name] = cut.event_file(name, leaf)
        entries.append(
            EventEntry(
                event.originator_version,
                event.id,
                proof.leaf_index,
                proof.leaf_hash,
                name,
                proof.path,
            )
        )
    return entries, files
