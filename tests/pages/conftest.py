from tests.api.conftest import client, clock, settings  # noqa: F401 (the API's fixtures)
