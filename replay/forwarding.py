"""Forwarding a complaint with its administrative file (§14): one use case that stores the
file first and then records the forward that names it.

The administrative file is the case's court bundle as of the forward. It is stored before the
act, so a recorded forward never names a file that is not kept; a forward refused after that
leaves a file no event names, which is harmless (files are content-addressed). The act is tried
on a copy first, so a forward the rules refuse leaves no bundle behind at all.
"""

from __future__ import annotations

from copy import deepcopy
from uuid import UUID

from domain.actors import Actor
from domain.acts import FORWARD_COMPLAINT
from domain.acts.requests import ComplaintForwardCreate
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
    request: ComplaintForwardCreate,
    complaint_id: str,
) -> Receipt:
    """Forward the complaint; without a file named by the caller, export and keep one first."""
    wl = source.waiting_list
    if request.administrative_file is None:
        timing = wl.timing(
            FORWARD_COMPLAINT, actor, request.effective_at, request.backdating_reason or ""
        )
        app = wl.application(application_id)
        deepcopy(app).forward_complaint(
            actor=actor,
            effective_at=timing.effective_at,
            administrative_file=PLACEHOLDER,
            complaint_id=complaint_id,
            to_body=request.to_body,
        )
        bundle = export_application(source, application_id).data
        keep(source.database, application_id, bundle)
        request = request.model_copy(
            update={
                "administrative_file": AdministrativeFile(
                    reference=f"/v1/administrative-files/{digest(bundle)}",
                    sha256=digest(bundle),
                    up_to_version=app.version,
                )
            }
        )
    return wl.perform(
        FORWARD_COMPLAINT, application_id, actor=actor, request=request, complaint_id=complaint_id
    )
