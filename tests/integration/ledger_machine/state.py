"""The machine's state: the store under test and its own copy of every application."""

from __future__ import annotations

import random
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any
from unittest import mock
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from hypothesis.stateful import Bundle, RuleBasedStateMachine

from domain import ledger_base
from domain import waiting_list as waiting_list_module
from domain.claims import ApplicantClaim, IdentityKey
from domain.clock import ScenarioClock
from domain.housing_application import HousingApplication
from domain.waiting_list import WaitingList
from tests.conftest import POSTGRES_URL, postgres_connect
from tests.keys import IDENTITY_KEY_HEX

applications = Bundle("applications")

FAR = 10**9  # `repository.get(id, version=FAR)` replays from the store, bypassing the cache


class LedgerState(RuleBasedStateMachine):
    """The store under test (a SQLite file or a PostgreSQL schema, by `backend`) and the
    machine's own copy of every application filed on it."""

    backend = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self._tmpdir: str | None = None
        self._schema: str | None = None
        if self.backend == "sqlite":
            self._tmpdir = tempfile.mkdtemp(prefix="kezek-stateful-")
            self.url = f"sqlite:///{Path(self._tmpdir) / 'kezek.db'}"
        else:
            self._schema = f"kezek_stateful_{uuid.uuid4().hex[:12]}"
            with postgres_connect() as conn:
                conn.execute(f"CREATE SCHEMA {self._schema}")
            self.url = f"{POSTGRES_URL}?schema={self._schema}"
        self.key = IdentityKey(bytes.fromhex(IDENTITY_KEY_HEX))
        self.wl = WaitingList(
            clock=ScenarioClock(), env={"KEZEK_DATABASE_URL": self.url}, identity_key=self.key
        )
        ids = random.Random(20240321)  # reproducible ids: ties are broken by the id
        self._uuid_patch = mock.patch.object(
            waiting_list_module,
            "uuid4",
            side_effect=lambda: UUID(int=ids.getrandbits(128), version=4),
        )
        # One actor at a time: any write conflict is a bug, so do not wait through 30 retries.
        self._retry_patch = mock.patch.object(ledger_base, "MAX_ATTEMPTS", 2)
        self._uuid_patch.start()
        self._retry_patch.start()
        self.order: list[UUID] = []  # applications in filing order
        self.model: dict[UUID, HousingApplication] = {}

    def teardown(self) -> None:
        self.wl.close()
        self._uuid_patch.stop()
        self._retry_patch.stop()
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
        if self._schema is not None:
            with postgres_connect() as conn:
                conn.execute(f"DROP SCHEMA {self._schema} CASCADE")

    def _fresh(self, aggregate_id: UUID) -> Any:
        """The aggregate replayed from the store, bypassing the cache."""
        return self.wl.repository.get(aggregate_id, version=FAR)

    def _fresh_or_none(self, aggregate_id: UUID) -> Any:
        try:
            return self._fresh(aggregate_id)
        except AggregateNotFoundError:
            return None

    def _claim_holder(self, iin: str, provider: str, list_code: str) -> UUID | None:
        claim = self._fresh_or_none(self.key.claim_id(iin, provider, list_code))
        assert claim is None or isinstance(claim, ApplicantClaim)
        return None if claim is None else claim.holder

    def _open_holder(self, iin: str, provider: str, list_code: str) -> UUID | None:
        for i in self.order:
            a = self.model[i]
            if (
                a.holder_iin == iin
                and a.provider == provider
                and a.form.list_code == list_code
                and not a.is_closed
            ):
                return i
        return None

    @staticmethod
    def _list_of(app: HousingApplication) -> tuple[str, str]:
        return (app.provider, app.form.list_code)
