"""What must hold after every step, and at teardown for a second ledger on the same store."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from hypothesis.stateful import invariant

from demo.synthetic import iin_for
from domain.clock import ScenarioClock
from domain.priority import key_application
from domain.values import ON_THE_LIST, Status
from domain.waiting_list import WaitingList
from tests.integration.ledger_machine.replay import LogReplay
from tests.integration.ledger_machine.strategies import LISTS, POOL, PROVIDERS
from tests.unit.lawful_paths import IN_CONSIDERATION, Search

# The search may go on past the machine's CEILING (mid-2026), not into 2027's estimated feast.
SEARCH_UNTIL = datetime(2026, 11, 30, tzinfo=UTC)


class LedgerInvariants(LogReplay):
    """Checked after every step, and at teardown against a second ledger on the store."""

    def teardown(self) -> None:
        try:
            if self.order:
                self._check_with_fresh_ledger()
                self._check_no_dead_ends()
        finally:
            super().teardown()

    def _check_no_dead_ends(self) -> None:
        """§12: whatever the random acts left an application in (complaints, courts, remedies
        included), the provider's lawful acts still lead it to a decision
        (tests/unit/test_every_state_reaches_a_decision.py searches the same way)."""
        search = Search(now=SEARCH_UNTIL)
        for app_id in self.order:
            app = self.model[app_id]
            if app.status in IN_CONSIDERATION:
                search.way_to_decision(copy.deepcopy(app))

    @invariant()
    def store_cache_and_model_agree(self) -> None:
        for app_id in self.order:
            cached = self.wl.application(app_id)
            stored = self.wl.repository.get(app_id, version=cached.version)
            assert stored == cached, f"application {app_id} differs between cache and store"
            assert not list(self.wl.repository.event_store.get(app_id, gt=cached.version))
            assert cached == self.model[app_id], f"application {app_id} changed behind the act"

    @invariant()
    def log_replays_to_the_stated_queue_numbers(self) -> None:
        self._catch_up()

    @invariant()
    def lists_hold_exactly_the_registered(self) -> None:
        self._catch_up()
        for provider, list_code in self.lists:
            on = {
                i: self.model[i]
                for i in self.order
                if self._list_of(self.model[i]) == (provider, list_code)
                and self.model[i].status in ON_THE_LIST
            }
            queue = self.wl.queue(provider, list_code)
            keys = [] if queue is None else list(queue.keys)
            assert keys == sorted(set(keys)), "a list is sorted, without repeats"
            assert len(keys) == len(on)
            assert {key_application(k) for k in keys} == set(on), "the list holds the registered"
            for k in keys:
                assert k == on[key_application(k)].priority_key
            stated = [self.wl.position(i) for i in on]
            assert all(p is not None and p[1] == len(on) for p in stated)
            positions = sorted(p[0] for p in stated if p is not None)
            assert positions == list(range(1, len(on) + 1)), "positions are 1..n"
            assert keys == self.lists[(provider, list_code)], "the replay agrees with the list"
            offered = set() if queue is None else set(queue.offered)
            assert offered == {i.hex for i, a in on.items() if a.status is Status.OFFERED}

    @invariant()
    def one_open_application_per_citizen(self) -> None:
        holders: dict[tuple[str, str, str], list[UUID]] = {}
        for i in self.order:
            a = self.model[i]
            if not a.is_closed:
                holders.setdefault((a.holder_iin, *self._list_of(a)), []).append(i)
        for (iin, provider, list_code), ids in holders.items():
            assert len(ids) == 1, f"{len(ids)} open applications for one citizen and list"
            claim = self._claim_holder(iin, provider, list_code)
            assert claim == ids[0], "the citizen's claim names their open application"

    def _check_with_fresh_ledger(self) -> None:
        self._catch_up()
        other = WaitingList(
            clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": self.url}, identity_key=self.key
        )
        try:
            for app_id in self.order:
                assert other.application(app_id) == self.wl.application(app_id)
            for provider, list_code in self.lists:
                assert other.queue(provider, list_code) == self.wl.queue(provider, list_code)
            iins = {iin_for(s) for s in POOL} | {self.model[i].holder_iin for i in self.order}
            for iin in iins:
                for provider in PROVIDERS:
                    for list_code in LISTS:
                        claim_id = self.key.claim_id(iin, provider, list_code)
                        assert self._fresh_or_none(claim_id) == _get_or_none(other, claim_id)
        finally:
            other.close()


def _get_or_none(app: WaitingList, aggregate_id: UUID) -> Any:
    try:
        return app.repository.get(aggregate_id)
    except AggregateNotFoundError:
        return None
