"""What one service process holds: the ledger, the views and the runner that keeps them up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from api.auth import TokenIssuer
from api.settings import Settings, identity_key, token_key
from domain.waiting_list import WaitingList
from projections.catalog import live_projections
from projections.database import ViewDatabase
from projections.projection import Projection
from projections.runner import CatchUpRunner

P = TypeVar("P", bound=Projection)


@dataclass
class Services:
    settings: Settings
    waiting_list: WaitingList
    database: ViewDatabase
    runner: CatchUpRunner
    tokens: TokenIssuer

    @classmethod
    def open(cls, settings: Settings, *, follow: bool = True) -> Services:
        waiting_list = WaitingList(
            env={"KEZEK_DATABASE_URL": settings.database_url},
            identity_key=identity_key(settings),
        )
        database = ViewDatabase(settings.database_url)
        runner = CatchUpRunner(waiting_list, live_projections(database), database)
        runner.setup()
        if follow:
            runner.start()
        tokens = TokenIssuer(
            token_key(settings), issuer=settings.token_issuer, hours=settings.token_hours
        )
        return cls(settings, waiting_list, database, runner, tokens)

    def view(self, kind: type[P]) -> P:
        for projection in self.runner.projections:
            if isinstance(projection, kind):
                return projection
        raise LookupError(kind.__name__)

    def close(self) -> None:
        self.runner.stop()
        self.database.close()
        self.waiting_list.close()
