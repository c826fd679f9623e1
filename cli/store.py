"""The store a command's `--database-url` names: its settings, and its ledger and views.

Every command that takes `--database-url` falls back on KEZEK_DATABASE_URL (config.settings).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from config.settings import Settings
from domain.waiting_list import WaitingList
from projections.database import ViewDatabase


def settings_for(database_url: str | None) -> Settings:
    """The configured settings, with the store `--database-url` names when it is given."""
    settings = Settings()
    if database_url is not None:
        settings = settings.model_copy(update={"database_url": database_url})
    return settings


@contextmanager
def opened_store(database_url: str | None) -> Iterator[tuple[WaitingList, ViewDatabase]]:
    """The ledger and the view database of the store, both closed when the command is done."""
    url = database_url or Settings().database_url
    waiting_list = WaitingList(env={"KEZEK_DATABASE_URL": url})
    database = ViewDatabase(url)
    try:
        yield waiting_list, database
    finally:
        database.close()
        waiting_list.close()
