"""What a decision on the application needs first (§10-§13): a correction what the notice
named, registration a clean verification or a positive hearing, a refusal a hearing that
upheld it on the ground it heard."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import (
    ActOutOfOrder,
    CorrectionBringsNothingNamed,
    RefusalOnUnheardGround,
    RefusalWithoutHearing,
    RegistrationBeforeVerification,
)
from domain.forms import SupportingDocument
from domain.records import MissingItem
from domain.values import CLOSED, ON_THE_LIST, HearingOutcome, RefusalGround, Status


def require_cleared_for_registration(status: Status, hearing: HearingOutcome | None) -> None:
    cleared = status is Status.VERIFIED or (
        status is Status.HEARING_HELD and hearing is HearingOutcome.POSITIVE
    )
    if cleared:
        return
    if status in CLOSED or status in ON_THE_LIST:
        raise ActOutOfOrder(f"registration is not possible once {status.said}")
    raise RegistrationBeforeVerification(
        f"registration while {status.said}: verification must find no grounds "
        "for refusal, or the hearing must end in a positive result"
    )


def require_heard_for_refusal(status: Status, hearing: HearingOutcome | None) -> None:
    if status is not Status.HEARING_HELD:
        if status in {Status.COMPLETE, Status.VERIFIED, Status.GROUNDS_FOUND}:
            raise RefusalWithoutHearing("no hearing was held on the preliminary refusal")
        if status is Status.HEARING_SCHEDULED:
            raise RefusalWithoutHearing("the hearing has not been held yet")
        raise ActOutOfOrder(f"a refusal is not possible while {status.said}")
    if hearing is not HearingOutcome.REFUSAL:
        raise ActOutOfOrder("the hearing ended in a positive result")


def require_heard_ground(ground: RefusalGround, heard: RefusalGround | None) -> None:
    if heard is not None and ground is not heard:
        raise RefusalOnUnheardGround(
            f"the hearing was on the ground {heard.said}, not {ground.said}"
        )


def require_named_items(
    missing: Sequence[MissingItem], documents: Sequence[SupportingDocument]
) -> None:
    """A correction brings at least one document of a kind the notice named (a notice that
    named only information, no document, takes any document)."""
    named = {m.document for m in missing if m.document is not None}
    if named and not named & {d.kind for d in documents}:
        wanted = ", ".join(sorted(k.value for k in named))
        raise CorrectionBringsNothingNamed(f"the notice named: {wanted}")
