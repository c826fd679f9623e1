"""A property over random sequences of acts whose callers send random moments and sizes
(issue 13): whatever they send, the priority order of a list never depends on a moment an
applicant sent, the log's recording times never run backwards, and no stored event is larger
than a request may be. Requests go through the same request models and use case as HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from demo.synthetic import checks_for, make_form, officer
from domain import acts, limits
from domain.acts.definition import ActDefinition
from domain.clock import ScenarioClock
from domain.errors import DomainError, TimeNotYours
from domain.values import Status
from domain.waiting_list import WaitingList
from tests.conftest import BACKENDS, fresh_store, open_waiting_list, store_examples
from tests.keys import IDENTITY_KEY_HEX

START = datetime(2024, 4, 1, 4, 0, tzinfo=UTC)  # Monday 1 April 2024, 09:00 in Almaty
PROVIDER = "almaty"
# The officer's next act on an application, by its stage.
NEXT: dict[Status, tuple[ActDefinition, dict[str, Any]]] = {
    Status.SUBMITTED: (acts.ACCEPT, {}),
    Status.ACCEPTED: (acts.FIND_COMPLETE, {}),
    Status.COMPLETE: (acts.VERIFY, {}),
    Status.VERIFIED: (acts.REGISTER, {}),
}

# One caller in four sends a moment of its own: any moment, far back, near, or ahead.
moments = st.tuples(
    st.integers(0, 3),
    st.datetimes(
        min_value=datetime(2015, 1, 1), max_value=datetime(2026, 1, 1), timezones=st.just(UTC)
    ),
).map(lambda sent: sent[1] if sent[0] == 0 else None)
steps = st.lists(
    st.tuples(
        st.sampled_from(["file", "advance", "advance", "advance"]),
        st.integers(0, 2),  # which citizen
        st.integers(1, 36 * 60),  # minutes the server's clock moves on first
        moments,  # the moment the caller sends
        st.integers(0, 3),  # how heavy the caller's body is
    ),
    min_size=10,
    max_size=40,
)


def body(act: ActDefinition, fields: dict[str, Any], moment: datetime | None, heavy: int) -> Any:
    """The request as JSON would bring it; a heavy one pads every document's title."""
    data = {k: v for k, v in fields.items()}
    if moment is not None:
        data[act.dated_by or "effective_at"] = moment.isoformat()
    if heavy and "form" in data:
        form = data["form"]
        title = "x" * (60 * heavy)
        form["documents"] = [{**d, "title": title} for d in form["documents"]] * (20 * heavy)
    return data


def attempt(
    wl: WaitingList, act: ActDefinition, app: UUID | None, request: Any, who: Any
) -> UUID | None:
    """Perform the act as HTTP would: its application, or None when it is refused (and so
    wrote nothing)."""
    before = wl.recorder.max_notification_id()
    try:
        validated: BaseModel = act.request.model_validate(request)
        receipt = wl.perform(act, app, actor=who, request=validated)
    except (ValidationError, DomainError, TimeNotYours, ValueError):
        assert wl.recorder.max_notification_id() == before
        return None
    return receipt.application_id


@pytest.mark.parametrize("backend", BACKENDS)
@store_examples(25)
@given(history=steps)
def test_no_caller_shapes_the_order_the_log_or_its_sizes(
    backend: str, history: list[tuple[str, int, int, datetime | None, int]]
) -> None:
    with fresh_store(backend) as url:
        from domain.claims import IdentityKey

        wl = open_waiting_list(url, IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX)))
        clock = wl.clock = ScenarioClock(START, follows=False)
        try:
            filed: dict[int, UUID] = {}
            for kind, citizen, minutes, moment, heavy in history:
                assert clock.moment is not None
                clock.set(clock.moment + timedelta(minutes=minutes))
                form = make_form(500 + citizen)
                if kind == "file":
                    request = body(
                        acts.FILE,
                        {"provider": PROVIDER, "form": form.model_dump(mode="json")},
                        moment,
                        heavy,
                    )
                    who = wl.applicant(form.applicant_iin)
                    app_id = attempt(wl, acts.FILE, None, request, who)
                    if app_id is not None:
                        filed[citizen] = app_id
                    continue
                if citizen not in filed:
                    continue
                app = filed[citizen]
                following = NEXT.get(wl.application(app).status)
                if following is None:
                    continue
                act, fields = following
                if act is acts.VERIFY:
                    fields = {"checks": _checks(form)}
                if moment is not None and heavy % 2:
                    fields = {**fields, "backdating_reason": "done on paper"}
                attempt(wl, act, app, body(act, fields, moment, 0), officer(PROVIDER))
            _check(wl)
        finally:
            wl.close()


def _applications(wl: WaitingList) -> list[UUID]:
    found = wl.recorder.select_notifications(start=1, limit=100_000, topics=[_APPLIED])
    return [n.originator_id for n in found]


_APPLIED = "domain.housing_application:HousingApplication.Applied"


def _checks(form: Any) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in checks_for(form, PROVIDER)]


def _check(wl: WaitingList) -> None:
    notifications = wl.recorder.select_notifications(start=1, limit=100_000)
    events = [wl.mapper.to_domain_event(n) for n in notifications]
    stamps = [e.timestamp for e in events]
    assert stamps == sorted(stamps), "a recording time ran backwards"
    for n in notifications:
        assert len(n.state) < limits.BODY_BYTES, f"an event of {len(n.state)} bytes"
    for app_id in _applications(wl):
        app = wl.application(app_id)
        applied = next(iter(wl.events.get(app_id)))
        # The filing's moment, which fixes the priority, is the server's: when it was recorded.
        assert app.filed_at == applied.timestamp
    for provider, list_code in {(a.provider, a.form.list_code) for a in _apps(wl)}:
        queue = wl.queue(provider, list_code)
        if queue is None:
            continue
        on_list = [a for a in _apps(wl) if a.on_the_list and a.form.list_code == list_code]
        by_receipt = sorted(on_list, key=lambda a: (a.filed_at, a.id.hex))
        assert [a.priority_key for a in by_receipt] == list(queue.keys)


def _apps(wl: WaitingList) -> list[Any]:
    return [wl.application(a) for a in _applications(wl)]
