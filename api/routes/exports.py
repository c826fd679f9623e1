"""Court export bundles by HTTP: the same zip `kezek export` writes, verifiable offline.

Each bundle is made for the caller's role (the token's): courts and the provider's own staff
get the case whole, auditors and complaint bodies without personal data (replay.redaction,
docs/security.md)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response

from api.deps import ApplicationId, CurrentPrincipal, ServicesDep, load_application
from api.problems import NotFound
from api.routes.replaying import At, known_list
from domain.values import Role
from replay.administrative_files import fetch
from replay.asof_moment import AsOf
from replay.export import export_application, export_list
from replay.redaction import WHOLE, cut_bundle

router = APIRouter(tags=["exports"])
ZIP: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "The bundle (.zip)."}
}
EXPORTERS = (Role.OFFICER, Role.HEAD, Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR)


def _zip(data: bytes, name: str) -> Response:
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/v1/applications/{application_id}/export", response_class=Response, responses=ZIP)
def export_case(
    application_id: ApplicationId, services: ServicesDep, principal: CurrentPrincipal
) -> Response:
    """The case's court export bundle: every event, proofs to a signed checkpoint, the trail;
    made for the token's role: whole for a court and the provider's staff, without IINs, names
    and contacts for a complaint body or an auditor (still verifiable offline)."""
    principal.require(*EXPORTERS)
    principal.require_provider(load_application(services, application_id).provider)
    exported = export_application(services, application_id, role=principal.role)
    return _zip(exported.data, f"kezek-{application_id}.zip")


@router.get("/v1/queues/{provider}/{list_code}/export", response_class=Response, responses=ZIP)
def export_whole_list(
    provider: str,
    list_code: str,
    services: ServicesDep,
    principal: CurrentPrincipal,
    at: At,
    by: Annotated[Literal["effective", "recorded"], Query()] = "effective",
) -> Response:
    """A whole list as of a moment, as a court export bundle."""
    principal.require(Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR, Role.HEAD)
    principal.require_provider(provider)
    known_list(provider, list_code)
    exported = export_list(services, provider, list_code, AsOf(at, by), role=principal.role)
    return _zip(exported.data, f"kezek-{provider}-{list_code}.zip")


@router.get(
    "/v1/administrative-files/{sha256}",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "The bundle (.zip)."}},
)
def read_administrative_file(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    services: ServicesDep,
    principal: CurrentPrincipal,
) -> Response:
    """The administrative file that went with a forwarded complaint (a court export bundle):
    as kept for a court; for others, cut for their role, its manifest naming the kept file's
    SHA-256 (`subject.cut_from`)."""
    # For whom the complaint went to (staff export their own cases at .../export).
    principal.require(Role.COMPLAINT_BODY, Role.COURT, Role.AUDITOR)
    found = fetch(services.database, sha256)
    if found is None:
        raise NotFound(f"no administrative file {sha256}")
    bundle = found[1]
    if principal.role not in WHOLE:  # the key is needed only to sign the cut
        identity = services.waiting_list.identity
        bundle = cut_bundle(bundle, principal.role, identity, services.signing_key())
    return _zip(bundle, f"kezek-file-{sha256[:16]}.zip")
