"""As of a moment, on both stores: an application, its position and whole lists agree with a
naive replay of the log up to that moment, by business time and by recording time.

The naive replay reads every notification, decodes it, keeps what stood at the moment and
recomputes each list from the application events alone (keys from their priority moments),
in the order the definition gives: by business time, every act that took effect by then, in
effective order, ties by notification order; by recording time, every act whose list event was
recorded by then. It uses neither the list aggregate nor the repository nor replay.asof.
"""

from __future__ import annotations

import json
import random
import uuid
from bisect import insort
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest.mock import patch
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import replay.asof_list
from cli.asof import asof_application, asof_list, parse_moment
from cli.main import app as cli
from domain import acts
from domain.calendar import add_working_days
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.housing_application import HousingApplication
from domain.priority import key_application, priority_key
from domain.queue_list import QueueList
from domain.values import ComplaintBody, Remedy
from domain.waiting_list import WaitingList
from replay.asof import (
    AXES,
    ApplicationNotFound,
    AsOf,
    Axis,
    ChronologyBroken,
    NaiveMoment,
    application_as_of,
    list_as_of,
    position_as_of,
    recorded_at,
)
from replay.asof_place import place_as_of
from replay.catalog import LedgerViews
from tests.conftest import (
    BACKENDS,
    fresh_store,
    open_service,
    store_examples,
    walk_demo,
)
from tests.integration.walk import (
    complain,
    correct_priority,
    deregister,
    local,
    register,
    restore,
    submit,
    verify,
    withdraw,
)
from tests.keys import IDENTITY_KEY_HEX as KEY_HEX
from tests.unit.cases import officer

PROVIDER = "astana"  # the demo's providers are others: its citizens never meet these
US = timedelta(microseconds=1)
LEAVING = (
    HousingApplication.Withdrawn,
    HousingApplication.Deregistered,
    HousingApplication.HousingProvided,
)


# -- histories ---------------------------------------------------------------------------------


def plan_case(wl: WaitingList, rng: random.Random, serial: int) -> list[Callable[[], Any]]:
    """The acts of one application, at moments that keep every rule, in their own order.
    Moments fall on a coarse grid so that acts of different applications tie."""
    ids: list[UUID] = []
    filed_on = add_working_days(date(2024, 4, 1), rng.randint(0, 12))
    filed_at = local(filed_on.year, filed_on.month, filed_on.day, rng.randint(9, 12))
    steps: list[Callable[[], Any]] = [
        lambda: ids.append(submit(wl, serial, filed_at=filed_at, provider=PROVIDER))
    ]
    if rng.random() < 0.15:
        return steps  # never decided
    day = add_working_days(filed_on, rng.randint(1, 6))
    at = local(day.year, day.month, day.day, rng.choice((10, 14)))
    steps.append(lambda: register(wl, ids[0], day=at))
    later = at + timedelta(days=rng.randint(1, 20), hours=rng.choice((0, 1)))
    path = rng.choice(("stay", "withdraw", "deregister", "priority"))
    if path == "withdraw":
        steps.append(lambda: withdraw(wl, ids[0], later))
    elif path == "deregister":
        complaint: list[str] = []
        steps.append(
            lambda: complaint.append(complain(wl, ids[0], later, ComplaintBody.QUALITY_BODY))
        )
        steps.append(lambda: deregister(wl, ids[0], later + timedelta(hours=1), reasons="moved"))
        if rng.random() < 0.7:
            back = later + timedelta(days=rng.randint(1, 10))
            steps.append(lambda: restore(wl, ids[0], complaint[0], back))
    elif path == "priority":
        earlier = filed_at - timedelta(days=rng.randint(1, 40))
        steps.append(lambda: correct_priority(wl, ids[0], earlier, later))
    return steps


def interleaved_history(wl: WaitingList, rng: random.Random, count: int) -> None:
    """`count` applications whose acts are recorded in a random interleaving: each one's acts
    in their order, but a late-recorded act often takes effect before acts recorded earlier."""
    plans = [plan_case(wl, rng, 50_000 + n) for n in range(count)]
    while plans:
        plan = rng.choice(plans)
        plan.pop(0)()
        if not plan:
            plans.remove(plan)


# -- the naive replay ----------------------------------------------------------------------------


@dataclass
class Log:
    """Every notification decoded, and what the naive replay needs from them."""

    records: list[tuple[int, Any]]
    lists: dict[UUID, tuple[str, str]] = field(default_factory=dict)  # application -> its list
    list_events: dict[tuple[UUID, int], QueueList.Change] = field(default_factory=dict)

    @classmethod
    def read(cls, wl: WaitingList) -> Log:
        notifications = wl.recorder.select_notifications(start=1, limit=10**9)
        log = cls([(n.id, wl.mapper.to_domain_event(n)) for n in notifications])
        for _, event in log.records:
            if isinstance(event, HousingApplication.Applied):
                log.lists[event.originator_id] = (event.provider, event.form.list_code)
            elif isinstance(event, QueueList.Change):
                log.list_events[(event.application_id, event.application_version)] = event
        return log

    def application_events(self) -> list[tuple[int, Any]]:
        return [
            (n, e)
            for n, e in self.records
            if isinstance(e, HousingApplication.Applied | HousingApplication.Act)
        ]

    def application(
        self, app_id: UUID, moment: datetime, by: Axis, known_at: datetime | None = None
    ) -> HousingApplication | None:
        app: Any = None
        for _, event in self.records:
            if event.originator_id == app_id and self._stood(event, moment, by, known_at):
                app = event.mutate(app)
        assert app is None or isinstance(app, HousingApplication)
        return app

    def _stood(self, event: Any, moment: datetime, by: Axis, known_at: datetime | None) -> bool:
        if by == "recorded":
            return bool(event.timestamp <= moment)
        return event.effective_at <= moment and (known_at is None or event.timestamp <= known_at)

    def order(
        self,
        provider: str,
        list_code: str,
        moment: datetime,
        by: Axis,
        known_at: datetime | None = None,
    ) -> list[tuple[UUID, str, bool]]:
        """(application, key, offer open) in the order of the list at the moment."""
        events = [
            (n, e)
            for n, e in self.application_events()
            if self.lists[e.originator_id] == (provider, list_code)
        ]
        if by == "effective":
            events.sort(key=lambda ne: (ne[1].effective_at, ne[0]))
        priority: dict[UUID, datetime] = {}
        smaller: dict[UUID, bool] = {}
        keys: list[str] = []
        held: dict[UUID, str] = {}
        offered: set[UUID] = set()
        for _, event in events:
            app = event.originator_id
            if isinstance(event, HousingApplication.Applied):
                priority[app] = event.effective_at
                smaller[app] = event.form.accepts_smaller_housing
            elif isinstance(event, HousingApplication.Corrected):
                priority[app] = event.priority_moment
            effect = self._effect(event, held)
            if effect is None:
                continue
            on_list = self.list_events.get((app, event.originator_version))
            assert on_list is not None, f"{type(event).__name__} has no list event"
            assert on_list.effective_at == event.effective_at
            stood = (
                on_list.timestamp <= moment
                if by == "recorded"
                else (
                    event.effective_at <= moment
                    and (known_at is None or on_list.timestamp <= known_at)
                )
            )
            if not stood:
                continue
            if effect in ("leave", "move"):
                keys.remove(held.pop(app))
                offered.discard(app)
            if effect == "move":
                priority[app] = event.priority_moment
            if effect in ("join", "move"):
                held[app] = priority_key(priority[app], app, smaller[app])
                insort(keys, held[app])
            if effect == "offer":
                offered.add(app)
            if effect == "decline":
                offered.discard(app)
        return [(key_application(k), k, key_application(k) in offered) for k in keys]

    @staticmethod
    def _effect(event: Any, held: dict[UUID, str]) -> str | None:
        if isinstance(event, HousingApplication.Registered):
            return "join"
        if isinstance(event, HousingApplication.Remedied):  # a complaint's or a court's
            return {Remedy.RESTORE_PLACE: "join", Remedy.CORRECT_PRIORITY: "move"}.get(event.remedy)
        if isinstance(event, LEAVING):
            return "leave" if event.originator_id in held else None
        if isinstance(event, HousingApplication.HousingOffered):
            return "offer"
        if isinstance(event, HousingApplication.OfferDeclined):
            return "decline"
        return None


# -- checking ------------------------------------------------------------------------------------


def summary(app: HousingApplication | None) -> tuple[Any, ...] | None:
    if app is None:
        return None
    complaints = {c: case.status for c, case in app.complaints.items()}
    return (
        app.id,
        app.version,
        app.status,
        app.priority_key,
        app.last_effective_at,
        app.queue_number,
        app.open_offer,
        app.holder_iin,
        complaints,
    )


def sample_moments(log: Log, by: Axis, rng: random.Random, count: int) -> list[datetime]:
    """Moments at, just before, and around the moments of the log's events."""
    stamps = sorted(
        {
            e.timestamp if by == "recorded" else e.effective_at
            for _, e in log.records
            if by == "recorded" or hasattr(e, "effective_at")
        }
    )
    chosen = rng.sample(stamps, min(count, len(stamps)))
    if by == "recorded":  # the moments a list changed, and just before
        changed = sorted({e.timestamp for _, e in log.records if isinstance(e, QueueList.Change)})
        chosen += rng.sample(changed, min(count, len(changed)))
    return [stamps[0] - timedelta(days=1), stamps[-1] + US, *chosen, *(t - US for t in chosen)]


def check_moment(
    wl: WaitingList,
    log: Log,
    apps: list[UUID],
    moment: datetime,
    by: Axis,
    known_at: datetime | None = None,
    views: LedgerViews | None = None,
) -> None:
    at = AsOf(moment, by, known_at)
    orders: dict[tuple[str, str], list[tuple[UUID, str, bool]]] = {}
    for provider, list_code in sorted(set(log.lists.values())):
        expected = log.order(provider, list_code, moment, by, known_at)
        orders[(provider, list_code)] = expected
        got = list_as_of(wl, provider, list_code, at)
        assert [(e.application_id, e.priority_key, e.offer_open) for e in got] == expected
        assert [e.position for e in got] == list(range(1, len(got) + 1))
    for app in apps:
        naive = log.application(app, moment, by, known_at)
        asof = application_as_of(wl, app, at)
        assert summary(asof) == summary(naive)
        order = orders[log.lists[app]]
        ranks = {a: n for n, (a, _, _) in enumerate(order, start=1)}
        position = position_as_of(wl, app, at)
        place = None if views is None else place_as_of(views, app, at)
        if app not in ranks:
            assert position is None
            assert place is None
            continue
        assert position is not None
        assert (position.position, position.length) == (ranks[app], len(order))
        if views is not None:  # the position-history view answers as the fold of the log
            assert place is not None
            assert place.source == "view"
            assert (place.position, place.length) == (position.position, position.length)
            assert place.priority_key == position.entry.priority_key


@pytest.mark.parametrize("backend", BACKENDS)
@store_examples(3)
@given(
    seed=st.integers(0, 10_000),
    applications=st.integers(4, 12),
    demo=st.sampled_from([0, 0, 20, 40]),
)
def test_as_of_answers_agree_with_a_naive_replay_of_the_log(
    backend: str, identity_key: IdentityKey, seed: int, applications: int, demo: int
) -> None:
    with fresh_store(backend) as url:
        if demo:  # every path of the procedure, offers included, recorded in effective order
            walk_demo(url, identity_key, demo, seed)
        with open_service(url, identity_key) as views:
            check_history(views, random.Random(seed), applications)


def check_history(views: LedgerViews, rng: random.Random, applications: int) -> None:
    wl = views.waiting_list
    interleaved_history(wl, rng, applications)
    views.runner.catch_up()
    log = Log.read(wl)
    apps = list(log.lists)
    for by in AXES:
        for n, moment in enumerate(sample_moments(log, by, rng, 5)):
            # Small lists are read whole to find a recording cut; every other moment bisects.
            with patch.object(replay.asof_list, "READ_ALL_BELOW", 0 if n % 2 else 10**9):
                sample = rng.sample(apps, min(5, len(apps)))
                check_moment(wl, log, sample, moment, by, views=views)
    known = sample_moments(log, "recorded", rng, 2)
    for moment in sample_moments(log, "effective", rng, 2):
        for known_at in known:
            sample = rng.sample(apps, min(3, len(apps)))
            check_moment(wl, log, sample, moment, "effective", known_at, views=views)


# -- the definitions, on one small history ------------------------------------------------------


def test_a_registration_recorded_late_that_took_effect_earlier(waiting_list: WaitingList) -> None:
    wl = waiting_list
    before_filing = local(2024, 3, 29)
    a = submit(wl, 1, filed_at=local(2024, 4, 1, 10), provider=PROVIDER)
    b = submit(wl, 2, filed_at=local(2024, 4, 1, 9), provider=PROVIDER)
    verify(wl, b, day=local(2024, 4, 3, 9))
    register(wl, a, day=local(2024, 4, 5, 10))  # recorded first, takes effect on the 5th
    between = local(2024, 4, 5, 12)
    # B's registration was done on paper on the 3rd and recorded on the 8th, with the reason.
    clock = wl.clock = ScenarioClock(local(2024, 4, 8, 10), follows=False)
    wl.perform(
        acts.REGISTER,
        b,
        actor=officer(wl.application(b).provider),
        effective_at=local(2024, 4, 3, 10),
        backdating_reason="registered on paper during the outage; entered when it ended",
    )
    clock.follows = True
    withdraw(wl, a, local(2024, 5, 6))
    list_code = wl.application(a).form.list_code

    def order(moment: datetime, **how: Any) -> list[UUID]:
        return [e.application_id for e in list_as_of(wl, PROVIDER, list_code, AsOf(moment, **how))]

    # Business time: every change that had taken effect by then, whenever it was recorded.
    assert order(local(2024, 4, 4)) == [b]
    assert order(local(2024, 4, 6)) == [b, a]
    assert order(local(2024, 5, 7)) == [b]
    # Recording time: the list as the ledger stood then.
    assert order(between, by="recorded") == [a]
    assert order(local(2024, 5, 7), by="recorded") == [b]
    # Business time as the ledger knew it at `between`: B's registration was not yet recorded.
    assert order(local(2024, 4, 6), known_at=between) == [a]

    position = position_as_of(wl, a, AsOf(local(2024, 4, 6)))
    assert position is not None
    assert (position.position, position.length) == (2, 2)
    assert position_as_of(wl, a, AsOf(local(2024, 4, 4))) is None  # filed, not yet registered
    assert position_as_of(wl, a, AsOf(local(2024, 5, 7))) is None  # withdrawn
    at_between = position_as_of(wl, a, AsOf(between, "recorded"))
    assert at_between is not None
    assert at_between.position == 1

    applied = next(iter(wl.events.get(a)))
    moments: tuple[tuple[datetime, Axis], ...] = (
        (local(2024, 3, 31), "effective"),
        (before_filing, "recorded"),
        (recorded_at(applied) - US, "recorded"),
    )
    for moment, by in moments:
        assert application_as_of(wl, a, AsOf(moment, by)) is None
        assert position_as_of(wl, a, AsOf(moment, by)) is None
    filed = application_as_of(wl, a, AsOf(local(2024, 4, 4)))
    assert filed is not None
    assert filed.status.value == "submitted"
    assert filed.version == 1
    registered = application_as_of(wl, b, AsOf(local(2024, 4, 4)))
    assert registered is not None
    assert registered.queue_number == 1  # filed before A: ahead of A, already on the list
    assert registered.status.value == "registered"
    b_then = application_as_of(wl, b, AsOf(between, "recorded"))
    assert b_then is not None
    assert b_then.status.value == "verified"  # its registration was recorded later


def test_unknown_ids_naive_moments_and_a_broken_chronology(waiting_list: WaitingList) -> None:
    wl = waiting_list
    with pytest.raises(ApplicationNotFound):
        application_as_of(wl, uuid.uuid4(), AsOf(datetime.now(UTC)))
    with pytest.raises(ApplicationNotFound):
        position_as_of(wl, uuid.uuid4(), AsOf(datetime.now(UTC)))
    with pytest.raises(NaiveMoment):
        AsOf(datetime(2024, 4, 1))
    with pytest.raises(ValueError, match="effective"):
        AsOf(datetime.now(UTC), by="later")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="business time"):
        AsOf(datetime.now(UTC), by="recorded", known_at=datetime.now(UTC))
    assert list_as_of(wl, PROVIDER, "orphans", AsOf(datetime.now(UTC))) == []  # never opened

    # A list whose events break the rule the business-time answer relies on.
    queue = QueueList.open(PROVIDER, "orphans")
    key = priority_key(local(2024, 4, 1), uuid.uuid4(), True)
    queue.join(key, application_version=6, cause="Registered", effective_at=local(2024, 4, 5))
    queue.leave(key, application_version=7, cause="Withdrawn", effective_at=local(2024, 4, 4))
    wl.save(queue)
    with pytest.raises(ChronologyBroken):
        list_as_of(wl, PROVIDER, "orphans", AsOf(local(2024, 4, 6)))
    assert list_as_of(wl, PROVIDER, "orphans", AsOf(datetime.now(UTC), "recorded")) == []


def test_the_cli_prints_the_answers(waiting_list: WaitingList) -> None:
    wl = waiting_list
    a = submit(wl, 1, filed_at=local(2024, 4, 1, 10), provider=PROVIDER)
    register(wl, a, day=local(2024, 4, 5, 10))
    list_code = wl.application(a).form.list_code
    lines: list[str] = []
    moment = AsOf(parse_moment("2024-04-05T12:00+05:00"))
    asof_list(wl, PROVIDER, list_code, moment, echo=lines.append)
    asof_application(wl, a, moment, echo=lines.append)
    asof_application(wl, a, moment, position_only=True, echo=lines.append)
    asof_application(wl, a, AsOf(parse_moment("2024-03-01T00:00Z"), "recorded"), echo=lines.append)
    text = "\n".join(lines)
    assert f"      1  {a}" in text
    assert "status: registered" in text
    assert "position: 1 of 1" in text
    assert "not filed yet" in text
    iin = wl.application(a).holder_iin
    assert iin not in text


def test_the_asof_commands_answer_with_the_moment_their_axis_and_only_what_was_asked(
    waiting_list: WaitingList, database_url: str
) -> None:
    wl = waiting_list
    a = submit(wl, 1, filed_at=local(2024, 4, 1, 10), provider=PROVIDER)
    register(wl, a, day=local(2024, 4, 5, 10))
    list_code = wl.application(a).form.list_code
    at = ["--at", "2024-04-05T12:00+05:00", "--database-url", database_url]
    known = ["--known-at", "now"]

    def kezek(*args: str) -> str:
        result = CliRunner().invoke(cli, ["asof", *args], env={"KEZEK_IDENTITY_KEY": KEY_HEX})
        assert result.exit_code == 0, result.output
        return result.output

    as_of = {"moment": "2024-04-05T07:00:00+00:00", "by": "effective", "known_at": None}
    position = json.loads(kezek("position", str(a), *at, "--json"))
    assert list(position) == ["as_of", "position"]
    assert position["as_of"] == as_of
    assert position["position"]["position"] == 1
    application = json.loads(kezek("application", str(a), *at, *known, "--json"))
    assert list(application) == ["as_of", "application", "position"]
    assert application["as_of"]["known_at"] is not None
    assert application["application"]["status"] == "registered"
    assert application["position"] == position["position"]
    whole = json.loads(kezek("list", PROVIDER, list_code, *at, "--json"))
    assert (whole["as_of"], whole["length"]) == (as_of, 1)

    header = f"Application {a} as of 2024-04-05T07:00:00+00:00 (business time):"
    assert kezek("position", str(a), *at).splitlines() == [header, "  position: 1 of 1"]
    lines = kezek("application", str(a), *at).splitlines()
    assert lines[0] == header
    assert lines[1] == "  status: registered (version 5)"
    assert lines[-1] == "  position: 1 of 1"
    earlier = ["--at", "2024-03-01T00:00Z", "--by", "recorded", "--database-url", database_url]
    before = f"Application {a} as of 2024-03-01T00:00:00+00:00 (recording time):"
    assert kezek("application", str(a), *earlier).splitlines() == [before, "  not filed yet"]
    assert kezek("position", str(a), *earlier).splitlines() == [
        before,
        "  position: not on the list",
    ]


def test_a_view_behind_the_log_leaves_the_position_to_the_log(
    database_url: str, identity_key: IdentityKey
) -> None:
    with open_service(database_url, identity_key) as views:
        wl = views.waiting_list
        a = submit(wl, 1, filed_at=local(2024, 4, 1, 10), provider=PROVIDER)
        register(wl, a, day=local(2024, 4, 5, 10))
        views.runner.catch_up()
        at = AsOf(local(2024, 5, 1))
        first = place_as_of(views, a, at)
        assert first is not None
        assert (first.position, first.length, first.source) == (1, 1, "view")
        b = submit(wl, 2, filed_at=local(2024, 4, 1, 9), provider=PROVIDER)  # ahead of A
        register(wl, b, day=local(2024, 4, 8, 10))
        behind = place_as_of(views, a, at)  # the view has not seen B's registration yet
        assert behind is not None
        assert (behind.position, behind.length, behind.source) == (2, 2, "log")
        views.runner.catch_up()
        caught_up = place_as_of(views, a, at)
        assert caught_up is not None
        assert (caught_up.position, caught_up.length, caught_up.source) == (2, 2, "view")
        assert place_as_of(views, b, AsOf(local(2024, 4, 7))) is None  # not yet registered
        with pytest.raises(ApplicationNotFound):
            place_as_of(views, uuid.uuid4(), at)
