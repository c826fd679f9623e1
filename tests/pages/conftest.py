"""The pages' tests in process: the API's fixtures, and the local SMS gateway's outbox in a
temporary file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import client, clock, services, settings, tokens  # noqa: F401


@pytest.fixture(autouse=True)
def outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sms-outbox.jsonl"
    monkeypatch.setenv("KEZEK_SMS_OUTBOX", str(path))
    return path
