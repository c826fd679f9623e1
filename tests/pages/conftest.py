"""The pages' tests in process use the API's fixtures."""

from __future__ import annotations

from tests.api.conftest import client, clock, services, settings, tokens  # noqa: F401
