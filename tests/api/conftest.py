"""A real service (FastAPI app, WaitingList, projection runner) on each store, and tokens.

The tests walk cases through 2024's calendar. The service takes no moment from an applicant
and lets staff date an act only a few days back, so the tests do not send moments: a test
states when an act happens as `effective_at` (or `filed_at`) in the body it writes, and the
scenario client sets the service's clock to that moment and sends the body without it (as
if the server ran then). `raw_client` sends bodies exactly as written, on the same service.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import ALGORITHM, Principal, key_id
from api.services import Services
from config.settings import Settings
from domain.clock import ScenarioClock
from domain.values import Role
from tests.keys import IDENTITY_KEY_HEX

TOKEN_KEY_HEX = "746f6b656e2d6b65792d666f722d74657374732d6f6e6c792d6e6f742d7265616c"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        identity_key=IDENTITY_KEY_HEX,  # type: ignore[arg-type]
        token_key=TOKEN_KEY_HEX,  # type: ignore[arg-type]
        identity_key_file=tmp_path / "identity.key",
        token_key_file=tmp_path / "token.key",
    )


SCENARIO_FIELDS = ("effective_at", "filed_at")


class ScenarioClient(TestClient):
    """Sets the service's clock to the moment a test wrote into a body, then sends the body
    without it."""

    def __init__(self, app: Any, clock: ScenarioClock) -> None:
        super().__init__(app, raise_server_exceptions=False)
        self.clock = clock

    def request(self, method: str, url: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        body = kwargs.get("json")
        if method.upper() == "POST" and isinstance(body, dict):
            for name in SCENARIO_FIELDS:
                moment = _moment(body.get(name))
                if moment is not None:  # a malformed one goes to the service as written
                    body = {k: v for k, v in body.items() if k != name}
                    self.clock.set(moment)
            kwargs["json"] = body
        return super().request(method, url, **kwargs)


def _moment(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


@pytest.fixture
def clock() -> ScenarioClock:
    return ScenarioClock()


@pytest.fixture
def client(settings: Settings, clock: ScenarioClock) -> Iterator[TestClient]:
    with ScenarioClient(create_app(settings, clock=clock), clock) as test_client:
        yield test_client


@pytest.fixture
def raw_client(client: TestClient) -> TestClient:
    """The same service, sent bodies exactly as written (moments included)."""
    return TestClient(client.app, raise_server_exceptions=False)


@pytest.fixture
def services(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


class Tokens:
    def __init__(self, services: Services) -> None:
        self.services = services

    def header(self, principal: Principal) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.services.tokens.issue(principal)}"}

    def signed(
        self, claims: dict[str, object], key_hex: str = TOKEN_KEY_HEX, *, with_kid: bool = True
    ) -> dict[str, str]:
        """A header with `claims` signed as they are, under the service's key (or `key_hex`),
        whatever the issuer would refuse to mint."""
        key = bytes.fromhex(key_hex)
        headers = {"kid": key_id(key)} if with_kid else {}
        return {"Authorization": f"Bearer {jwt.encode(claims, key, ALGORITHM, headers=headers)}"}

    def applicant(self, iin: str) -> dict[str, str]:
        ref = self.services.waiting_list.identity.applicant_ref(iin)
        return self.header(Principal(subject=ref, role=Role.APPLICANT))

    def staff(self, role: Role, provider: str = "almaty") -> dict[str, str]:
        return self.header(Principal(subject=f"{role.value}-1", role=role, provider=provider))

    def reader(self, role: Role) -> dict[str, str]:
        # A complaint body speaks as the body the tests file complaints with.
        subject = "quality-body" if role is Role.COMPLAINT_BODY else f"{role.value}-1"
        return self.header(Principal(subject=subject, role=role))


@pytest.fixture
def tokens(services: Services) -> Tokens:
    return Tokens(services)
