"""Every act stored by the code before acts became declarations moved between the stages its
declaration now states: the declarations describe the procedure the ledger has recorded."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

from domain import acts
from domain.claims import IdentityKey
from domain.clock import ScenarioClock
from domain.housing_application import HousingApplication
from domain.values import Status
from domain.waiting_list import WaitingList
from tests.keys import IDENTITY_KEY_HEX

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store-2026-12-05.sqlite.gz"


def test_every_stored_act_moved_between_its_declared_stages(tmp_path: Path) -> None:
    path = tmp_path / "kezek.db"
    with gzip.open(FIXTURE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    key = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
    wl = WaitingList(
        clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": f"sqlite:///{path}"}, identity_key=key
    )
    try:
        seen: set[str] = set()
        topic = f"{HousingApplication.__module__}:{HousingApplication.__qualname__}."
        notifications = wl.recorder.select_notifications(start=1, limit=100_000)
        assert notifications, "the fixture holds no events"
        for n in notifications:
            if not n.topic.startswith(topic):
                continue
            act = acts.BY_EVENT[n.topic.removeprefix(topic)]
            seen.add(act.name)
            after = wl.repository.get(n.originator_id, version=n.originator_version)
            assert isinstance(after, HousingApplication)
            leads_to = act.leads_to
            event = wl.mapper.to_domain_event(n)
            if act is acts.CORRECT and not event.awaits_finding:  # type: ignore[attr-defined]
                leads_to = Status.COMPLETE  # recorded before the officer's finding existed
            if leads_to is not None:
                assert after.status is leads_to, (act.name, after.status)
            if n.originator_version == 1:
                assert act is acts.FILE
                continue
            before = wl.repository.get(n.originator_id, version=n.originator_version - 1)
            assert isinstance(before, HousingApplication)
            if act.from_stages is not None:
                assert before.status in act.from_stages, (act.name, before.status)
            if act.leads_to is None and act.name != acts.VERIFY.name:
                # The stage stays, except where a complaint's remedy restores the place.
                assert after.status is before.status or after.status is Status.REGISTERED
        # The walk takes nearly every act; the rest are covered by the unit tests.
        assert len(seen) >= 15, sorted(seen)
    finally:
        wl.close()
