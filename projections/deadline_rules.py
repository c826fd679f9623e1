"""Which act opens and which act closes each statutory deadline, and whether it was met.

Pure: data tables and small functions over the domain's events, shared by the deadline
monitor and the audit trail (each keeps its own state, so each rebuilds on its own).

Verdicts (column `status`):

- `open`: the term runs (or ran out and nobody acted yet: "overdue", the inaction a complaint
  can name). An open term with `late_by` set was already overdue by that many working days
  on the day it opened (a hearing notice term opened by a verification that found grounds
  after the last notice day, §13): the monitor never opens an overdue term silently.
- `met` / `missed`: the act the term was waiting for happened; it is judged by the local day
  of its `effective_at` in the provider's time zone against `due_on` (a term ends at the end
  of its last day). `late_by` = working days from `due_on` to that day (0 when met; it can
  be 0 for a missed act done on a day off straight after the term).
- `lapsed`: the applicant's own correction term (§10-§11) ran out without the act, and the
  provider refused to consider further. Not the provider's fault, so not `missed`.
- `void`: the term no longer binds anyone: the application ended (withdrawn, refused, not
  considered, registered, deregistered, housed: every term but complaint terms), the
  complaint was satisfied (its decision term), or decided at the provider within its
  forwarding term (the provider considered it itself; decided after it, the forward stays
  `missed`).

Two terms are not stored in one event: the hearing notice (§13) is derived from the
consideration term (the last day that leaves 3 working days before it ends), opened when
verification finds grounds, or judged at once when a hearing follows a clean verification;
the data update (Appendix 3) is judged by the very act that states it. A forwarded complaint's
decision term replaces the provider's own (the same row, re-opened with the body's term).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Generic, NamedTuple, TypeVar
from uuid import UUID

from domain.acts import ALL
from domain.acts.definition import Closing, Verdict
from domain.calendar import is_working_day, local_day, working_days_between
from domain.deadlines import HEARING_NOTICE_LEAD_DAYS
from domain.records import Deadline
from domain.values import ComplaintBody, DeadlineKind

OPEN: Final = "open"
MET: Final = "met"
MISSED: Final = "missed"
LAPSED: Final = "lapsed"
VOID: Final = "void"

# Whose pace a term binds: the provider's and complaint bodies' terms are the "inaction" a
# complaint can name; the applicant's are not.
PROVIDER: Final = "provider"
APPLICANT: Final = "applicant"
BODY: Final = "body"


K = DeadlineKind
# From the acts' declarations (domain.acts), keyed by event class name:
# the terms each act closes, in order (the first judged one is the act's verdict);
CLOSES: Final[dict[str, tuple[Closing, ...]]] = {
    a.event: a.terms.closes for a in ALL if a.terms.closes
}
# the fields holding the Deadlines it starts (ComplaintForwarded's decision term replaces the
# provider's own: the same row, by application, kind and complaint id);
OPENS: Final[dict[str, tuple[str, ...]]] = {a.event: a.terms.opens for a in ALL if a.terms.opens}
# the acts after which no term but a complaint's binds anyone.
ENDS: Final = frozenset(a.event for a in ALL if a.terms.ends_consideration)

# Terms the event that starts them also closes: the data update carries its own due date.
AT_ONCE: Final = frozenset({K.DATA_UPDATE})
COMPLAINT_KINDS: Final = frozenset({K.COMPLAINT_FORWARD, K.COMPLAINT_DECISION})
APPLICANT_KINDS: Final = frozenset({K.CORRECTION, K.DATA_UPDATE})
_ACTING: Final = frozenset({*CLOSES, *OPENS, *ENDS})


Id = TypeVar("Id", str, UUID)


class TermOf(NamedTuple, Generic[Id]):
    """One statutory deadline of one application, as the deadlines table stores it (a named
    tuple: a rebuild makes two for most events). The rules make `Term`s, the application's id
    as stored (text); the monitor's reads answer with its UUID (`DeadlineRow`)."""

    application_id: Id
    provider: str
    kind: DeadlineKind
    ref: str
    starts_on: date
    due_on: date
    working_days: int
    basis: str
    party: str
    opened_seq: int
    opened_version: int
    status: str = OPEN
    closed_version: int | None = None
    closed_on: date | None = None
    late_by: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind.value, self.ref)


Term = TermOf[str]


@dataclass(slots=True)
class Case:
    """What the rules need to know of one application: where it is and its open terms."""

    application_id: str
    provider: str
    tz: str
    open: dict[tuple[str, str], Term] = field(default_factory=dict)


def latest_notice_day(consideration_due: date, lead: int = HEARING_NOTICE_LEAD_DAYS) -> date:
    """The last day on which a hearing notice still comes `lead` working days before the
    consideration term ends (§13): the day before the (lead-1)-th working day before it."""
    day, seen = consideration_due, 0
    while True:
        if is_working_day(day):
            seen += 1
            if seen == lead:
                return day - timedelta(days=1)
        day -= timedelta(days=1)


def judge(due_on: date, closed_on: date) -> tuple[str, int]:
    """(met or missed, working days late) of an act done on `closed_on`."""
    if closed_on <= due_on:
        return MET, 0
    return MISSED, max(working_days_between(due_on, closed_on), 0)


def close(term: Term, verdict: Verdict, version: int, day: date) -> Term:
    if verdict is Verdict.JUDGE:
        status, late = judge(term.due_on, day)
    elif verdict is Verdict.VOID_IN_TIME:
        status, late = judge(term.due_on, day)
        if status == MET:
            status, late = VOID, None
    else:
        status, late = (LAPSED if verdict is Verdict.LAPSE else VOID), None
    # The class itself, not _replace or the alias Term: this runs for most events of a rebuild.
    return TermOf(
        term.application_id, term.provider, term.kind, term.ref, term.starts_on, term.due_on,
        term.working_days, term.basis, term.party, term.opened_seq, term.opened_version,
        status, version, day, late,
    )  # fmt: skip


def ref_of(kind: DeadlineKind, event: Any) -> str:
    """Telling apart several terms of a kind: the complaint id, or the data update's version."""
    if kind in COMPLAINT_KINDS:
        return str(event.complaint_id)
    if kind is K.DATA_UPDATE:
        return f"v{event.originator_version}"
    return ""


def party_of(kind: DeadlineKind, event: Any) -> str:
    if kind in APPLICANT_KINDS:
        return APPLICANT
    if kind is K.COMPLAINT_DECISION:
        body = event.to_body if hasattr(event, "to_body") else event.complaint.filed_with
        return PROVIDER if body is ComplaintBody.PROVIDER else BODY
    return PROVIDER


def _opened(case: Case, deadline: Deadline, event: Any, seq: int) -> Term:
    return TermOf(
        application_id=case.application_id,
        provider=case.provider,
        kind=deadline.kind,
        ref=ref_of(deadline.kind, event),
        starts_on=deadline.starts_on,
        due_on=deadline.due_on,
        working_days=deadline.working_days,
        basis=deadline.basis,
        party=party_of(deadline.kind, event),
        opened_seq=seq,
        opened_version=event.originator_version,
    )


def opened_overdue(term: Term, day: date) -> Term:
    """`term` opened on `day`, saying by how many working days it was overdue then."""
    if term.due_on >= day:
        return term
    return term._replace(late_by=max(working_days_between(term.due_on, day), 0))


def hearing_notice(case: Case, event: Any, seq: int, day: date) -> Term | None:
    """The derived §13 term: notify of the hearing by the latest notice day."""
    consideration = case.open.get((K.CONSIDERATION.value, ""))
    if consideration is None:
        return None
    derived = Deadline(
        kind=K.HEARING_NOTICE,
        starts_on=day,
        due_on=latest_notice_day(consideration.due_on),
        working_days=HEARING_NOTICE_LEAD_DAYS,
        basis="§13",
    )
    return _opened(case, derived, event, seq)


def step(case: Case, event: Any, seq: int) -> list[Term]:
    """Apply one act of `case`'s application (notification `seq`); updates `case.open` and
    returns every term the act opened or closed, in their new state, in order."""
    name = type(event).__name__
    if name not in _ACTING:
        return []
    version: int = event.originator_version
    day = local_day(event.effective_at, case.tz)
    # Backdating never rescues a term: a backdated act is on time only if it was also
    # recorded by the last day (domain.acts.timing). Any other act is recorded when it takes
    # effect (within the clocks' skew), or was written before the time policy existed.
    judged_on = day
    if getattr(event, "backdated_because", ""):
        judged_on = max(day, local_day(event.timestamp, case.tz))
    changed: list[Term] = []
    for closing in CLOSES.get(name, ()):
        term = case.open.pop((closing.kind.value, ref_of(closing.kind, event)), None)
        if term is None and closing.kind is K.HEARING_NOTICE:
            # A hearing after a clean verification (docs/domain.md): judged all the same.
            term = hearing_notice(case, event, seq, day)
        if term is not None:
            changed.append(close(term, closing.verdict, version, judged_on))
    for attribute in OPENS.get(name, ()):
        deadline: Deadline | None = getattr(event, attribute)
        if deadline is None:
            continue
        term = _opened(case, deadline, event, seq)
        if term.kind in AT_ONCE:
            changed.append(close(term, Verdict.JUDGE, version, judged_on))
        else:
            term = opened_overdue(term, day)
            case.open[term.key] = term
            changed.append(term)
    if name == "Verified" and event.grounds_found:
        term = hearing_notice(case, event, seq, day)
        if term is not None:
            term = opened_overdue(term, judged_on)
            case.open[term.key] = term
            changed.append(term)
    if name in ENDS:
        for key, term in list(case.open.items()):
            if term.kind not in COMPLAINT_KINDS:
                del case.open[key]
                changed.append(close(term, Verdict.VOID, version, day))
    return changed


def verdict_of(changed: list[Term]) -> Term | None:
    """The term an act is judged by: the first it met or missed."""
    return next((t for t in changed if t.status in (MET, MISSED)), None)
