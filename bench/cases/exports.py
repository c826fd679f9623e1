"""Time travel, exports: the court bundle of one case with a long history (`replay.export`) and
its offline verification (`replay.verify`), each against the floor it cannot avoid.

The generated cases are short (at most about 13 events), so the case with the most events that
is still on a list is lengthened through the real `WaitingList` use cases to `history` events:
cycles of a data update (new phone number), a complaint to the provider about the queue number
and the head's decision rejecting it, one day apart (closer when the case is recent), as a
citizen disputing their place for years would produce.

Baselines (same run, same case):
- export: reading the case's stored events with their positions and encoding each as the
  canonical JSON of its leaf (`stored_events` + `leaf_bytes`): what any export pays before
  proofs, checkpoint, opening or redacting sealed values, rendered pages and the zip;
- verify: unzipping the bundle and hashing every file (SHA-256): what any offline check pays
  before parsing, canonical-form checks, inclusion proofs and signatures.

The export needs the transparency log, audit trail and position history up to the head of the
log: they are caught up before the clock starts (free when the http case already did it).
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from bench.cases.common import Result, median, timed
from demo.synthetic import appendix_3, document, head
from domain import acts
from domain.complaints import CITIZENS_SIDE
from domain.housing_application import HousingApplication
from domain.records import ComplaintForm
from domain.values import (
    ON_THE_LIST,
    ComplaintBody,
    ComplaintOutcome,
    ComplaintSubject,
    DocumentKind,
)
from domain.waiting_list import WaitingList
from projections.audit_trail import AuditTrail
from projections.database import ViewDatabase
from projections.notice_trail import NoticeTrail
from projections.position_history import PositionHistory
from projections.runner import CatchUpRunner
from replay.bundle import read_zip
from replay.catalog import LedgerViews, live_projections
from replay.checkpoints import load_signing_key
from replay.export import export_application, stored_events
from replay.leaf_formats import LeafFormats, leaf_bytes
from replay.transparency import TransparencyLog
from replay.verify import verify_bundle_bytes

HISTORY = 200
REPEATS = 5
CANDIDATES = 50


def last_provider_act(app: HousingApplication) -> int:
    """The version of the provider's latest act (a complaint never concerns the citizen's)."""
    acting = [v for v, (_, role) in enumerate(app.record, start=1) if role not in CITIZENS_SIDE]
    return acting[-1]


def _longest_on_a_list(wl: WaitingList, database: ViewDatabase) -> tuple[UUID, int]:
    """The application with the most events among those still on a list."""
    table = wl.recorder.events_table_name  # type: ignore[attr-defined]
    with database.transaction(write=False) as tx:
        rows = tx.fetchall(
            f"SELECT originator_id, COUNT(*) FROM {table}"  # noqa: S608
            " WHERE topic LIKE 'domain.housing_application:%'"
            f" GROUP BY originator_id ORDER BY COUNT(*) DESC LIMIT {CANDIDATES}"
        )
    for originator, count in rows:
        app_id = UUID(str(originator))
        if wl.application(app_id).status in ON_THE_LIST:
            return app_id, int(count)
    raise LookupError("no application on a list among the longest cases")


def lengthen(wl: WaitingList, app_id: UUID, events: int) -> int:
    """Add acts until the case holds at least `events` events; returns how many it holds."""
    app = wl.application(app_id)
    cycles = max(0, -(-(events - app.version) // 3))  # at least `events`, three acts a cycle
    if not cycles:
        return app.version
    now = datetime.now(UTC) - timedelta(minutes=1)
    step = min(timedelta(days=1), (now - app.last_effective_at) / (3 * cycles + 1))
    at = app.last_effective_at
    applicant, chief = wl.applicant(app.holder_iin), head(app.provider)
    for n in range(cycles):
        at += step
        update = appendix_3(
            applicant_iin=app.holder_iin,
            reason="change of the contact phone number",
            grounds_arose_on=at.date(),
            documents=(document(DocumentKind.OTHER, f"contacts {n}"),),
            phone=f"+7707{n:07d}",
        )
        wl.perform(acts.UPDATE_DATA, app_id, actor=applicant, effective_at=at, update=update)
        at += step
        complaint = ComplaintForm(
            subject=ComplaintSubject.ACTION,
            filed_with=ComplaintBody.PROVIDER,
            text="My queue number is lower than I expected.",
            concerns_version=last_provider_act(wl.application(app_id)),
        )
        receipt = wl.perform(
            acts.FILE_COMPLAINT, app_id, actor=applicant, effective_at=at, complaint=complaint
        )
        at += step
        wl.perform(
            acts.DECIDE_COMPLAINT,
            app_id,
            actor=chief,
            effective_at=at,
            complaint_id=str(receipt.complaint_id),
            outcome=ComplaintOutcome.REJECTED,
            reasons="the list is ordered by the moment of filing a complete application",
        )
    return wl.application(app_id).version


def _median_seconds(repeats: int, work: Any) -> tuple[float, Any]:
    samples, out = [], None
    for _ in range(repeats):
        seconds, out = timed(work)
        samples.append(seconds)
    return median(samples), out


def run(
    url: str, wl: WaitingList, *, history: int = HISTORY, repeats: int = REPEATS
) -> list[Result]:
    """`wl` must hold the identity key (the added acts are the applicant's)."""
    database = ViewDatabase(url)
    try:
        app_id, generated = _longest_on_a_list(wl, database)
        lengthen(wl, app_id, history)
        needed = (AuditTrail, NoticeTrail, PositionHistory, TransparencyLog)
        views = [p for p in live_projections(database) if isinstance(p, needed)]
        source = LedgerViews(wl, database, CatchUpRunner(wl, views, database))
        source.runner.setup()
        catch_up_seconds, _ = timed(source.runner.catch_up)
        key = load_signing_key(
            {"KEZEK_SIGNING_KEY": os.urandom(32).hex(), "KEZEK_LOG_ORIGIN": "kezek.bench/log"}
        )
        now = datetime.now(UTC)
        first_seconds, _ = timed(lambda: export_application(source, app_id, key=key, now=now))
        export_seconds, exported = _median_seconds(
            repeats, lambda: export_application(source, app_id, key=key, now=now)
        )
        table = wl.recorder.events_table_name  # type: ignore[attr-defined]

        def floor() -> list[bytes]:
            with database.transaction(write=False) as tx:
                rows = stored_events(tx, table, app_id)
                formats = LeafFormats.load(tx)
            return [leaf_bytes(row, formats) for row in rows]

        floor_seconds, encoded = _median_seconds(repeats, floor)
    finally:
        database.close()
    data: bytes = exported.data
    verify_seconds, report = _median_seconds(
        repeats, lambda: verify_bundle_bytes(data, key.verifier_key)
    )
    if not report.ok:
        raise AssertionError(f"the bench's own bundle does not verify: {report.lines()}")
    unzip_seconds, _ = _median_seconds(
        repeats, lambda: [hashlib.sha256(b).digest() for b in read_zip(data).values()]
    )
    size = len(encoded)
    extra = {"events": size, "bundle_bytes": len(data), "generated_events": generated}
    return [
        Result(
            "asof", "export of one case's court bundle, bundles/s", 1 / export_seconds,
            "bundles/s", "load its stored events + canonical JSON", 1 / floor_seconds, goal=0.3,
            size=size, backend=database.dialect, extra=extra,
            notes=f"{size} events ({generated} in the data set, the rest added by data updates and "
            f"complaints), bundle {len(data):,} bytes, median of {repeats}; the first export "
            f"(signs a checkpoint) {first_seconds:.2f} s; views caught up beforehand in "
            f"{catch_up_seconds:.1f} s",
        ),
        Result(
            "asof", "offline verify of that bundle, bundles/s", 1 / verify_seconds,
            "bundles/s", "unzip the bundle + SHA-256 of every file", 1 / unzip_seconds, goal=0.5,
            size=size, backend=database.dialect, extra=extra,
            notes=f"{size} events, {len(data):,} bytes: canonical form, hashes, versions, "
            "an inclusion proof per event, checkpoint and statement signatures",
        ),
    ]  # fmt: skip
