"""The SMS delivery worker: from the outbox to the gateway, exactly once under its key.

For each SMS row whose next attempt is due (oldest first), the worker first counts the attempt
and sets the next one (`Outbox.count_attempt`, committed), then sends the message under the
row's stable key (domain.notices.delivery_key), then records the answer: delivered, or, when
the gateway refused it or the attempts ran out, not delivered (domain.notifying
.record_delivery: an event and the row's change in one transaction). A worker killed anywhere
in between leaves the row pending; the next one sends it again under the same key, which a
gateway honouring `Idempotency-Key` does not deliver twice. Retries back off exponentially,
with jitter, up to `max_attempts`. One worker at a time delivers (the store's lock
`outbox/sms`, released when its process ends, however it ends). docs/notices.md.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from api.notice_texts import sms_text
from api.sms_gateway import SmsGateway, Verdict
from config.settings import Settings
from domain.ledger_base import LedgerBase
from domain.notices import delivery_key
from domain.notifying import record_delivery
from domain.values import Channel

LOCK = "outbox/sms"


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with equal jitter: attempt n waits between half and all of
    base * 2^(n-1), at most `cap`; after `max_attempts` the message is not delivered."""

    base: float = 2.0
    cap: float = 600.0
    max_attempts: int = 8

    @classmethod
    def of(cls, settings: Settings) -> Backoff:
        return cls(
            settings.sms_backoff_seconds,
            settings.sms_backoff_cap_seconds,
            settings.sms_max_attempts,
        )

    def delay(self, attempt: int) -> float:
        ceiling: float = min(self.cap, self.base * 2.0 ** min(attempt - 1, 30))
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 (jitter, not secrets)


@dataclass
class Tally:
    delivered: int = 0
    failed: int = 0
    retried: int = 0


class Deliverer:
    def __init__(
        self,
        ledger: LedgerBase,
        gateway: SmsGateway,
        backoff: Backoff | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.ledger = ledger
        self.gateway = gateway
        self.backoff = backoff or Backoff()
        self.now = now
        self.outbox: Any = getattr(ledger.recorder, "outbox")  # noqa: B009 (the store's)

    def run_once(self, limit: int = 100) -> Tally:
        """Send every SMS due now (at most `limit`)."""
        tally = Tally()
        for row in self.outbox.due(self.now(), limit):
            self.deliver(row, tally)
        return tally

    def deliver(self, row: dict[str, Any], tally: Tally) -> None:
        attempts = int(row["attempts"]) + 1
        notice = UUID(row["notice_id"])
        wait = timedelta(seconds=self.backoff.delay(attempts))
        self.outbox.count_attempt(int(row["seq"]), attempts, self.now() + wait)
        answer = self.gateway.send(row["phone"], sms_text(row), delivery_key(notice, Channel.SMS))
        if answer.verdict is Verdict.DELIVERED:
            record_delivery(self.ledger, row, delivered=True, attempts=attempts)
            tally.delivered += 1
        elif answer.verdict is Verdict.REFUSED or attempts >= self.backoff.max_attempts:
            reason = f"{answer.verdict.value} after {attempts} attempt(s): {answer.detail}"
            record_delivery(self.ledger, row, delivered=False, attempts=attempts, reason=reason)
            tally.failed += 1
        else:
            tally.retried += 1

    def pause(self, idle: float) -> float:
        """Seconds until the next attempt is due (at most `idle`)."""
        due: datetime | None = self.outbox.next_due()
        if due is None:
            return idle
        return max(0.0, min(idle, (due - self.now()).total_seconds()))

    def follow(self, stop: threading.Event, idle: float = 0.5) -> None:
        """Deliver until `stop` is set, holding the store's delivery lock."""
        with self.ledger.recorder.exclusive(LOCK):  # type: ignore[attr-defined]
            while not stop.is_set():
                tally = self.run_once()
                if not (tally.delivered or tally.failed or tally.retried):
                    stop.wait(max(0.01, self.pause(idle)))


def start_in_thread(ledger: LedgerBase, gateway: SmsGateway, backoff: Backoff) -> threading.Event:
    """A delivery worker in a daemon thread of this process (`kezek serve`); set the event
    returned to stop it."""
    stop = threading.Event()
    worker = Deliverer(ledger, gateway, backoff)
    threading.Thread(target=worker.follow, args=(stop,), name="kezek-notify", daemon=True).start()
    return stop
