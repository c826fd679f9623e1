"""A live `kezek serve` on 127.0.0.1 with a few cases in it, for the browser tests and
`make screenshots`: an application that lacks a document (its applicant is told so), one just
filed, one registered, and complaints before the quality body and a higher body."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from api.auth import Principal, TokenIssuer
from demo.synthetic import checks_for, make_form
from domain.claims import IdentityKey
from domain.forms import ApplicationForm
from domain.values import Role
from tests.api.conftest import TOKEN_KEY_HEX
from tests.api.walk import MISSING, incomplete_form
from tests.integration.test_cli_serve import serve_env, serving
from tests.keys import IDENTITY_KEY_HEX

PROVIDER = "almaty"
OFFICER = Principal(subject="officer-1", role=Role.OFFICER, provider=PROVIDER)
HEAD = Principal(subject="head-1", role=Role.HEAD, provider=PROVIDER)
QUALITY_BODY = Principal(subject="quality-body", role=Role.COMPLAINT_BODY)
HIGHER_BODY = Principal(subject="higher-body", role=Role.COMPLAINT_BODY)
COURT = Principal(subject="court-1", role=Role.COURT)


@dataclass
class Live:
    base: str
    folder: Path
    issuer: TokenIssuer = field(default_factory=lambda: TokenIssuer(bytes.fromhex(TOKEN_KEY_HEX)))
    identity: IdentityKey = field(
        default_factory=lambda: IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
    )
    cases: dict[str, str] = field(default_factory=dict)
    forms: dict[str, ApplicationForm] = field(default_factory=dict)

    @property
    def outbox(self) -> Path:
        return self.folder / "sms.jsonl"  # the local SMS gateway's sink

    @property
    def downloads(self) -> Path:
        return self.folder / "downloads"

    def token(self, principal: Principal) -> str:
        return self.issuer.issue(principal)

    def applicant(self, case: str) -> Principal:
        ref = self.identity.applicant_ref(self.forms[case].applicant_iin)
        return Principal(subject=ref, role=Role.APPLICANT)

    def post(self, path: str, principal: Principal, status: int = 200, **body: Any) -> Any:
        answer = httpx.post(
            f"{self.base}/v1/applications{path}?wait=true",
            json=body,
            headers={"Authorization": f"Bearer {self.token(principal)}"},
            timeout=30,
        )
        assert answer.status_code == status, answer.text
        return answer.json()

    def file(self, case: str, form: ApplicationForm) -> str:
        self.forms[case] = form
        body = {"provider": PROVIDER, "form": form.model_dump(mode="json")}
        self.cases[case] = self.post("", self.applicant(case), 201, **body)["application_id"]
        return self.cases[case]

    def head(self) -> int:
        """The log's head: what a refused form must leave as it was."""
        return int(httpx.get(f"{self.base}/health", timeout=10).json()["head"])

    def sms_to(self, phone: str) -> list[str]:
        if not self.outbox.exists():
            return []
        found = [json.loads(line) for line in self.outbox.read_text().splitlines()]
        return [m["text"] for m in found if m["to"] == phone]


def seed(live: Live) -> None:
    incomplete = live.file("incomplete", incomplete_form(1))
    live.post(f"/{incomplete}/accept", OFFICER)
    live.post(f"/{incomplete}/notify-incomplete", OFFICER, missing=MISSING)
    live.file("submitted", make_form(2))
    for n in (3, 4, 5):
        registered = live.file(f"registered-{n}", make_form(n))
        live.post(f"/{registered}/accept", OFFICER)
        live.post(f"/{registered}/find-complete", OFFICER)
        checks = [
            c.model_dump(mode="json") for c in checks_for(live.forms[f"registered-{n}"], PROVIDER)
        ]
        live.post(f"/{registered}/verify", OFFICER, checks=checks)
        live.post(f"/{registered}/register", OFFICER)
    for case, body in (("quality", "quality_body"), ("higher", "higher_body")):
        app_id = live.file(case, make_form(10 if case == "quality" else 11))
        complaint = {"subject": "inaction", "filed_with": body, "text": f"No answer ({case})."}
        live.post(f"/{app_id}/complaints", live.applicant(case), 201, complaint=complaint)


@contextmanager
def live_service(folder: Path) -> Iterator[Live]:
    env = {
        **serve_env(folder),
        "KEZEK_SMS_SINK": str(folder / "sms.jsonl"),
        "KEZEK_SIGNING_KEY_FILE": str(folder / "signing.key"),
    }
    with serving(env, folder) as (base, _):
        live = Live(base, folder)
        seed(live)
        yield live
