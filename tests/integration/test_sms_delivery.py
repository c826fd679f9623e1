"""§12.1, Std 5: SMS notices reach a real HTTP gateway exactly once under their keys: through
503s (retried with back-off), a refusal (failed at once, shown as not delivered), a gateway
that cannot be reached (retried, then not delivered), and a worker killed with SIGKILL at
random points of its delivery, again and again (nothing lost, nothing sent twice)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import UUID

from api.notice_delivery import Backoff, Deliverer
from api.sms_gateway import HttpGateway
from domain.notice_record import NoticeRecord
from domain.notifying import send_one_off_sms
from domain.sms import segments
from domain.values import Channel
from domain.waiting_list import WaitingList
from tests.integration.sms_gateway import Gateway, running_gateway
from tests.integration.walk import local, register, submit
from tests.keys import IDENTITY_KEY_HEX

QUICK = Backoff(base=0.01, cap=0.05, max_attempts=30)
ROOT = Path(__file__).resolve().parents[2]


def registered(wl: WaitingList, count: int) -> None:
    for serial in range(1, count + 1):
        app_id = submit(wl, serial, filed_at=local(2024, 3, 4))
        register(wl, app_id, day=local(2024, 3, 5))


def sms_rows(wl: WaitingList) -> list[dict[str, object]]:
    outbox = wl.recorder.outbox  # type: ignore[attr-defined]
    rows: list[dict[str, object]] = outbox.due(local(2100, 1, 1), 10_000)
    return rows


def outbox_sms(wl: WaitingList) -> list[dict[str, object]]:
    outbox = wl.recorder.outbox  # type: ignore[attr-defined]
    return [{**r, "status": r["sms_status"]} for r in outbox.every(sms=True)]


def deliver_all(worker: Deliverer, wl: WaitingList, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while sms_rows(wl) and time.monotonic() < deadline:
        worker.run_once()
        time.sleep(0.01)


def test_every_sms_arrives_once_through_503s_std5(waiting_list: WaitingList) -> None:
    registered(waiting_list, 4)
    code = send_one_off_sms(waiting_list, phone="+77011234567", text="Kezek: 123456", key="otp-1")
    with running_gateway(Gateway(unavailable=6)) as gateway:
        client = HttpGateway(gateway.url, timeout=5)
        deliver_all(Deliverer(waiting_list, client, QUICK), waiting_list)
        client.close()
    rows = outbox_sms(waiting_list)
    assert len(rows) == 5
    assert {r["status"] for r in rows} == {"delivered"}
    assert sum(1 for r in rows if int(str(r["attempts"])) > 1) >= 1  # the 503s were retried
    assert sorted(gateway.delivered.values()) == [1] * 5
    assert f"kezek-{code}-sms" in gateway.delivered
    assert all(segments(text) <= 2 for _, text in gateway.texts.values())
    for row in rows:
        record = waiting_list.repository.get(UUID(str(row["notice_id"])))
        assert isinstance(record, NoticeRecord)
        assert Channel.SMS in record.delivered


def test_a_refused_message_fails_at_once_and_an_unreachable_gateway_after_its_retries(
    waiting_list: WaitingList,
) -> None:
    registered(waiting_list, 1)
    with running_gateway(Gateway(status=400)) as gateway:
        client = HttpGateway(gateway.url, timeout=5)
        Deliverer(waiting_list, client, QUICK).run_once()
        client.close()
    (refused,) = outbox_sms(waiting_list)
    assert (refused["status"], refused["attempts"]) == ("failed", 1)

    send_one_off_sms(waiting_list, phone="+77011234567", text="Kezek: 654321", key="otp-2")
    nowhere = HttpGateway("http://127.0.0.1:9/sms", timeout=1)  # the discard port: refused
    deliver_all(Deliverer(waiting_list, nowhere, Backoff(0.01, 0.02, max_attempts=3)), waiting_list)
    nowhere.close()
    statuses = sorted((r["status"], r["attempts"]) for r in outbox_sms(waiting_list))
    assert statuses == [("failed", 1), ("failed", 3)]


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_nothing_twice(
    waiting_list: WaitingList, database_url: str, tmp_path: Path
) -> None:
    registered(waiting_list, 24)
    expected = {f"kezek-{r['notice_id']}-sms" for r in sms_rows(waiting_list)}
    assert len(expected) == 24
    rng = random.Random(15)
    with running_gateway(Gateway(unavailable=8, delay=0.03)) as gateway:
        env = {
            **os.environ, "KEZEK_DATABASE_URL": database_url, "KEZEK_SMS_GATEWAY_URL": gateway.url,
            "KEZEK_IDENTITY_KEY": IDENTITY_KEY_HEX, "KEZEK_SMS_BACKOFF_SECONDS": "0.02",
            "KEZEK_SMS_BACKOFF_CAP_SECONDS": "0.1", "KEZEK_SMS_MAX_ATTEMPTS": "50",
        }  # fmt: skip
        command = [sys.executable, "-m", "cli", "notify", "--follow"]
        kills = 0
        while kills < 6:
            seen = gateway.requests
            worker = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while gateway.requests == seen and time.monotonic() < deadline:
                time.sleep(0.005)  # until it is delivering
            time.sleep(rng.uniform(0.0, 0.15))
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            kills += 1
        worker = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 90
        while sms_rows(waiting_list) and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.terminate()
        assert worker.wait(timeout=30) == 0
    assert set(gateway.delivered) == expected  # nothing lost
    assert set(gateway.delivered.values()) == {1}  # nothing delivered twice
    assert {r["status"] for r in outbox_sms(waiting_list)} == {"delivered"}
    for key in expected:
        record = waiting_list.repository.get(UUID(key.removeprefix("kezek-").removesuffix("-sms")))
        assert isinstance(record, NoticeRecord)
        assert Channel.SMS in record.delivered
