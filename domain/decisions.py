"""What a decision on the application needs first (§10-§13): a correction what the notice
named, registration a clean verification or a positive hearing, a refusal a hearing that
upheld it on the ground it heard."""

from __future__ import annotations

from collections.abc import Sequence

from domain.errors import (
    ActOutOfOrder,
    CorrectionBringsNothingNamed,
    DocumentFromStateSystems,
    RefusalOnUnheardGround,
    RefusalWithoutHearing,
    RegistrationBeforeVerification,
)
from domain.forms import SupportingDocument
from domain.records import MissingItem
from domain.values import (
    CLOSED,
    ON_THE_LIST,
    DocumentKind,
    HearingOutcome,
    RefusalGround,
    Status,
)


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


# §9: what the state information systems supply for every family member, of the documents
# an applicant might attach: the proof of belonging to a socially vulnerable group and the
# taxable income. Std 8 asks for copies of them only "in the absence of data in the
# information system". (§9 also names the court decision recognising family members, but Std 8
# asks for its copy without that condition: it stays demandable, docs/domain.md.)
STATE_SUPPLIED = frozenset({DocumentKind.SOCIAL_STATUS_PROOF, DocumentKind.INCOME_STATEMENT})


def require_nothing_the_state_supplies(missing: Sequence[MissingItem]) -> None:
    """§12 last paragraph: a notice names no document the state systems supply, unless it
    states that the system asked holds no data on it (Std 8)."""
    demanded = sorted(
        m.document.value
        for m in missing
        if m.document in STATE_SUPPLIED and m.not_in_state_system is None
    )
    if demanded:
        raise DocumentFromStateSystems(
            f"the state information systems supply: {', '.join(demanded)}; name one only with"
            " the system that holds no data on it (not_in_state_system)"
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
