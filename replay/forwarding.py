"""Forwarding a complaint with its administrative file (§14): one use case that stores the
file first and then records the forward that names it.

The administrative file is the case's court bundle as of the forward. It is stored before the
act, so a recorded forward never names a file that is not kept; a forward refused after that
leaves a file no event names, which is harmless (files are content-addressed). The act is tried
on a copy first, so a forward the rules refuse leaves no bundle behind at all.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from domain.actors import Actor
from domain.acts import FORWARD_COMPLAINT
from domain.receipts import Receipt
from domain.records import AdministrativeFile
from replay.administrative_files import digest, keep
from replay.export import ExportSource, export_application

# Stands in for the bundle while the act is tried on a copy, before anything is exported.
PLACEHOLDER = AdministrativeFile(reference="pending", sha256="0" * 64, up_to_version=1)


def forward_with_file(
    source: ExportSource,
    application_id: UUID,
    *,
    actor: Actor,
    effective_at: datetime | None,
    administrative_file: AdministrativeFile | None,
    **fields: Any,
) -> Receipt:
    """Forward the complaint; without a file named by the caller, export and keep one first."""
    wl = source.waiting_list
    at = FORWARD_COMPLAINT.time.effective_at(effective_at, datetime.now(UTC))
    if administrative_file is None:
        app = wl.application(application_id)
        deepcopy(app).forward_complaint(
            actor=actor, effective_at=at, administrative_file=PLACEHOLDER, **fields
        )
        bundle = export_application(source, application_id).data
        keep(source.database, application_id, bundle)
        administrative_file = AdministrativeFile(
            reference=f"/v1/administrative-files/{digest(bundle)}",
            sha256=digest(bundle),
            up_to_version=app.version,
        )
    return wl.perform(
        FORWARD_COMPLAINT,
        application_id,
        actor=actor,
        effective_at=at,
        administrative_file=administrative_file,
        **fields,
    )
