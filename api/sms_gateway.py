"""Where an SMS goes: a gateway adapter, its HTTP implementation, and the local file sink.

`SmsGateway` is what the delivery worker (api.notice_delivery) needs of any gateway: send one
message under an idempotency key and say whether it was taken, should be tried again, or was
refused for good. `HttpGateway` speaks Kezek's HTTP protocol (docs/notices.md, "The gateway"):
`POST` JSON `{"to", "text", "idempotency_key"}` with the key again in `Idempotency-Key`; 2xx
is delivered, 429 and 5xx, timeouts and refused connections are retried, any other answer is
refused. A provider's own protocol (an SMPP bridge, say) is another class with `send`.
Without `KEZEK_SMS_GATEWAY_URL`, `FileSink` appends each message to a local JSON-lines file,
once per key.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Protocol

import httpx

from config.settings import Settings


class Verdict(Enum):
    DELIVERED = "delivered"
    RETRY = "retry"  # not now: 429, 5xx, a timeout, no connection
    REFUSED = "refused"  # never: the gateway refused the message itself


@dataclass(frozen=True)
class Answer:
    verdict: Verdict
    detail: str = ""


class SmsGateway(Protocol):
    def send(self, to: str, text: str, key: str) -> Answer: ...

    def close(self) -> None: ...


class HttpGateway:
    """Kezek's HTTP gateway protocol, over one pooled httpx client."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self._client = httpx.Client(timeout=timeout)

    def send(self, to: str, text: str, key: str) -> Answer:
        body = {"to": to, "text": text, "idempotency_key": key}
        try:
            response = self._client.post(self.url, json=body, headers={"Idempotency-Key": key})
        except httpx.TimeoutException:
            return Answer(Verdict.RETRY, "timed out")
        except httpx.TransportError as error:  # refused, reset, unreachable
            return Answer(Verdict.RETRY, type(error).__name__)
        status = response.status_code
        if 200 <= status < 300:
            return Answer(Verdict.DELIVERED, str(status))
        if status == 429 or status >= 500:
            return Answer(Verdict.RETRY, str(status))
        return Answer(Verdict.REFUSED, f"{status} {response.reason_phrase}"[:200])

    def close(self) -> None:
        self._client.close()


class FileSink:
    """The demo's gateway: each message once per key, as one JSON line of `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)

    def _seen(self) -> set[str]:
        if not self.path.exists():
            return set()
        with self.path.open(encoding="utf-8") as lines:
            return {json.loads(line)["idempotency_key"] for line in lines if line.strip()}

    def send(self, to: str, text: str, key: str) -> Answer:
        with self._lock:
            if key not in self._seen():
                line = {"to": to, "text": text, "idempotency_key": key}
                line["at"] = datetime.now(UTC).isoformat()
                with self.path.open("a", encoding="utf-8") as sink:
                    sink.write(json.dumps(line, ensure_ascii=False) + "\n")
                    sink.flush()
                    os.fsync(sink.fileno())
        return Answer(Verdict.DELIVERED, "written")

    def close(self) -> None:
        """Nothing held open."""


def gateway_for(settings: Settings) -> SmsGateway:
    if settings.sms_gateway_url:
        return HttpGateway(settings.sms_gateway_url, settings.sms_timeout_seconds)
    return FileSink(settings.sms_sink)
