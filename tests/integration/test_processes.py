"""Many processes, one truth, on both stores: three `kezek serve` processes and a `kezek project
--follow` worker on one store, clients writing through all of them while processes are killed
with SIGKILL and restarted, and the demo walking beside them. Afterwards every server publishes
the same dense list, every acknowledged registration stands where it should, no act was
recorded twice, and `kezek rebuild --check` finds no drift."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from uuid import UUID

import httpx
from typer.testing import CliRunner

from cli.main import app as cli
from demo.resumable import SCOPE
from domain.clock import ScenarioClock
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase
from tests.integration.cluster import OFFICER, Client, Cluster, caught_up, environment, served_list

LOAD_SECONDS = 14
KILLS = 5


def test_processes_killed_at_random_serve_one_truth(database_url: str, tmp_path: Path) -> None:
    env = environment(database_url, tmp_path)
    cluster = Cluster(env, tmp_path)
    try:
        first = cluster.add("serve")
        cluster.add("serve")
        cluster.add("serve")
        cluster.add("worker")
        stop = threading.Event()
        clients = [Client(cluster, 10_000 * (n + 1), seed=n) for n in range(3)]
        threads = [threading.Thread(target=c.run_until, args=(stop,)) for c in clients]
        for thread in threads:
            thread.start()
        demo = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "demo", "--no-fresh", "-n", "120", "--seed", "3"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        rng = random.Random(11)
        for _ in range(KILLS):
            time.sleep(LOAD_SECONDS / KILLS)
            cluster.restart(rng.choice(cluster.members))
        stop.set()
        for thread in threads:
            thread.join(120)
        output, _ = demo.communicate(timeout=300)
        assert demo.returncode == 0, output.decode()[-2000:]  # the bulk writer finished
        assert_demo_acts_are_in_the_ledger(database_url)

        servers = cluster.servers()
        caught_up(servers)
        lists = [served_list(server) for server in servers]
        assert all(served == lists[0] for served in lists), "the servers publish different lists"
        assert [position for position, _ in lists[0]] == list(range(1, len(lists[0]) + 1))
        order = {app_id: position for position, app_id in lists[0]}
        registered = {app: n for c in clients for app, n in c.registered.items()}
        assert len(registered) >= 10, "the load was too light to mean anything"
        assert sum(c.retries for c in clients) > 0, "no request met a dying server"
        for app_id in registered:
            state = httpx.get(f"{first.url}/v1/applications/{app_id}", headers=OFFICER).json()
            audit = httpx.get(f"{first.url}/v1/applications/{app_id}/audit", headers=OFFICER)
            acts = [act["event"] for act in audit.json()["acts"]]
            # Filed, accepted, complete, verified, registered: each once, never twice; the demo
            # may then have offered housing to the head of the list (and provided it).
            walked = ["Applied", "Accepted", "FoundComplete", "Verified", "Registered"]
            assert acts[:5] == walked, acts
            assert all(acts.count(act) == 1 for act in walked), acts
            on_list = state["status"] in {"registered", "offered"}
            assert (app_id in order) == on_list, state
            for server in servers if on_list else ():
                response = httpx.get(
                    f"{server.url}/v1/applications/{app_id}/position", headers=OFFICER
                )
                assert response.status_code == 200, response.text
                assert response.json()["position"] == order[app_id]
        result = CliRunner().invoke(cli, ["rebuild", "--check", "--database-url", database_url])
        assert result.exit_code == 0, result.output
        assert result.output.count("index equal to a fresh fold") == len(servers)

    finally:
        cluster.stop()


def assert_demo_acts_are_in_the_ledger(database_url: str) -> None:
    """Every act the demo kept a key for is in the ledger's own log (not in tables of its own)."""
    database = ViewDatabase(database_url)
    wl = WaitingList(clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": database_url})
    try:
        with database.transaction(write=False) as tx:
            rows = tx.fetchall("SELECT events FROM kezek_idempotency WHERE scope = ?", (SCOPE,))
        assert len(rows) > 100, "the demo recorded too few acts"
        pairs = tuple(
            (UUID(originator), int(version))
            for (events,) in rows
            for originator, version in json.loads(events)
        )
        assert len(wl.recorder.notification_ids(pairs)) == len(pairs)  # type: ignore[attr-defined]
    finally:
        wl.close()
        database.close()


def test_a_retry_after_a_kill_answers_the_first_answer_once(
    database_url: str, tmp_path: Path
) -> None:
    env = environment(database_url, tmp_path)
    cluster = Cluster(env, tmp_path)
    try:
        one, other = cluster.add("serve"), cluster.add("serve")
        client = Client(cluster, 50_000, seed=1)
        client.walk_one()
        (app_id,) = client.registered
        # The register act itself again: same key, same body, answered by the one server...
        key, first = next(
            (k, a) for k, a in client.answers.items() if a.get("queue_number") is not None
        )
        one.kill()
        body: dict[str, str] = {}
        again = httpx.post(
            f"{other.url}/v1/applications/{app_id}/register",
            json=body,
            headers={**OFFICER, "Idempotency-Key": key},
        )
        # ...through the other, after the first died: the first answer, and no new event.
        assert again.status_code == 200, again.text
        assert again.json() == first
        assert again.headers["idempotent-replayed"] == "true"
        state = httpx.get(f"{other.url}/v1/applications/{app_id}", headers=OFFICER).json()
        assert state["version"] == 5
    finally:
        cluster.stop()
