"""Completeness, verification, hearing and refusal (§10-§13)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ApplicationId
from api.routes.acting import APPLICANT, HEAD, STAFF, CallerDep, effective
from api.schemas import ActPublic
from domain.acts.requests import (
    CompletenessFindingCreate,
    CorrectionCreate,
    FurtherConsiderationRefusalCreate,
    HearingNoticeCreate,
    HearingRecordCreate,
    IncompletenessNoticeCreate,
    RefusalCreate,
    VerificationCreate,
)

router = APIRouter(prefix="/v1/applications", tags=["consideration"])


@router.post("/{application_id}/notify-incomplete", response_model=ActPublic)
def notify_incomplete(
    application_id: ApplicationId, body: IncompletenessNoticeCreate, caller: CallerDep
) -> ActPublic:
    """Tell the applicant what the package lacks; they have 2 working days (§10)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.notify_incomplete(
            application_id, actor=actor, effective_at=effective(body), missing=body.missing
        ),
    )


@router.post("/{application_id}/find-complete", response_model=ActPublic)
def find_complete(
    application_id: ApplicationId, body: CompletenessFindingCreate, caller: CallerDep
) -> ActPublic:
    """Find the package complete; the 10-day verification starts (§10, §11)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.find_complete(
            application_id, actor=actor, effective_at=effective(body)
        ),
    )


@router.post("/{application_id}/correct", response_model=ActPublic)
def correct_package(
    application_id: ApplicationId, body: CorrectionCreate, caller: CallerDep
) -> ActPublic:
    """Bring the package into compliance within 2 working days, as the applicant (§10, §11)."""
    return caller.act(
        application_id,
        APPLICANT,
        lambda wl, actor: wl.correct(
            application_id, actor=actor, effective_at=effective(body), documents=body.documents
        ),
    )


@router.post("/{application_id}/refuse-further-consideration", response_model=ActPublic)
def refuse_further_consideration(
    application_id: ApplicationId, body: FurtherConsiderationRefusalCreate, caller: CallerDep
) -> ActPublic:
    """Refuse to consider further a package not corrected in time, signed by the head (§11)."""
    return caller.act(
        application_id,
        HEAD,
        lambda wl, actor: wl.refuse_further_consideration(
            application_id, actor=actor, effective_at=effective(body), reasons=body.reasons
        ),
    )


@router.post("/{application_id}/verify", response_model=ActPublic)
def verify_application(
    application_id: ApplicationId, body: VerificationCreate, caller: CallerDep
) -> ActPublic:
    """Record every check against the state information systems, with its source (§11, §5)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.verify(
            application_id, actor=actor, effective_at=effective(body), checks=body.checks
        ),
    )


@router.post("/{application_id}/schedule-hearing", response_model=ActPublic)
def schedule_hearing(
    application_id: ApplicationId, body: HearingNoticeCreate, caller: CallerDep
) -> ActPublic:
    """Notify the preliminary refusal and when and where it is heard (§13, Std 9)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.schedule_hearing(
            application_id,
            actor=actor,
            effective_at=effective(body),
            ground=body.ground,
            reasons=body.reasons,
            notice=body.notice,
        ),
    )


@router.post("/{application_id}/hold-hearing", response_model=ActPublic)
def hold_hearing(
    application_id: ApplicationId, body: HearingRecordCreate, caller: CallerDep
) -> ActPublic:
    """Record the hearing: the applicant's position and its outcome (§13)."""
    return caller.act(
        application_id,
        STAFF,
        lambda wl, actor: wl.hold_hearing(
            application_id,
            actor=actor,
            effective_at=effective(body),
            applicant_position=body.applicant_position,
            outcome=body.outcome,
            reasons=body.reasons,
        ),
    )


@router.post("/{application_id}/refuse", response_model=ActPublic)
def refuse_registration(
    application_id: ApplicationId, body: RefusalCreate, caller: CallerDep
) -> ActPublic:
    """Refuse registration on a ground of Std 9 after the hearing, signed by the head (§12.2)."""
    return caller.act(
        application_id,
        HEAD,
        lambda wl, actor: wl.refuse(
            application_id,
            actor=actor,
            effective_at=effective(body),
            ground=body.ground,
            reasons=body.reasons,
        ),
    )
