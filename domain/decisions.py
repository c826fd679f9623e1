"""What a decision on the application needs first (§12, §13): registration a clean
verification or a positive hearing, a refusal a hearing that upheld it."""

from __future__ import annotations

from domain.errors import ActOutOfOrder, RefusalWithoutHearing, RegistrationBeforeVerification
from domain.values import CLOSED, ON_THE_LIST, HearingOutcome, Status


def require_cleared_for_registration(status: Status, hearing: HearingOutcome | None) -> None:
    cleared = status is Status.VERIFIED or (
        status is Status.HEARING_HELD and hearing is HearingOutcome.POSITIVE
    )
    if cleared:
        return
    if status in CLOSED or status in ON_THE_LIST:
        raise ActOutOfOrder(f"registration is not possible once {status.value}")
    raise RegistrationBeforeVerification(
        f"registration while {status.value}: verification must find no grounds "
        "for refusal, or the hearing must end in a positive result"
    )


def require_heard_for_refusal(status: Status, hearing: HearingOutcome | None) -> None:
    if status is not Status.HEARING_HELD:
        if status in {Status.COMPLETE, Status.VERIFIED, Status.GROUNDS_FOUND}:
            raise RefusalWithoutHearing("no hearing was held on the preliminary refusal")
        if status is Status.HEARING_SCHEDULED:
            raise RefusalWithoutHearing("the hearing has not been held yet")
        raise ActOutOfOrder(f"a refusal is not possible while {status.value}")
    if hearing is not HearingOutcome.REFUSAL:
        raise ActOutOfOrder("the hearing ended in a positive result")
