"""A real service (FastAPI app, WaitingList, projection runner) on each store, and tokens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import Principal
from api.services import Services
from config.settings import Settings
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


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def services(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


class Tokens:
    def __init__(self, services: Services) -> None:
        self.services = services

    def header(self, principal: Principal) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.services.tokens.issue(principal)}"}

    def applicant(self, iin: str) -> dict[str, str]:
        ref = self.services.waiting_list.identity.applicant_ref(iin)
        return self.header(Principal(subject=ref, role=Role.APPLICANT))

    def staff(self, role: Role, provider: str = "almaty") -> dict[str, str]:
        return self.header(Principal(subject=f"{role.value}-1", role=role, provider=provider))

    def reader(self, role: Role) -> dict[str, str]:
        return self.header(Principal(subject=f"{role.value}-1", role=role))


@pytest.fixture
def tokens(services: Services) -> Tokens:
    return Tokens(services)
