"""Kazakh, Russian and English: `?lang=` (then remembered in a cookie), else the cookie, else
Accept-Language, else Kazakh; every label through the babel catalogues; moments in the
provider's zone, named."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.pages.i18n import from_accept_language, translations
from api.pages.vocabulary import missing
from demo.synthetic import make_form
from tests.api.conftest import Tokens
from tests.api.walk import Walk


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_message_of_the_pages_is_translated(lang: str) -> None:
    assert missing(lang) == []  # type: ignore[arg-type]


def html_lang(page: str) -> str:
    found = re.search(r'<html lang="(\w+)"', page)
    assert found
    return found.group(1)


def test_the_language_is_asked_then_remembered_else_the_browsers_else_kazakh(
    client: TestClient,
) -> None:
    assert html_lang(client.get("/", headers={"Accept-Language": "de"}).text) == "kk"
    assert html_lang(client.get("/", headers={"Accept-Language": "ru-RU,en;q=0.8"}).text) == "ru"
    asked = client.get("/?lang=en")
    assert html_lang(asked.text) == "en"
    assert "HttpOnly" in asked.headers["set-cookie"]
    assert html_lang(client.get("/", headers={"Accept-Language": "ru"}).text) == "en"
    assert "Очереди на жильё" in client.get("/?lang=ru").text


def test_accept_language_follows_the_q_values() -> None:
    assert from_accept_language("en;q=0.5, kk;q=0.9, ru;q=0.7") == "kk"
    assert from_accept_language("fr, de;q=0.9") is None


def test_moments_are_written_in_the_providers_zone_named(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    form = make_form(21)
    app_id = walk.registered(form)
    services = tokens.services
    assert services.wait_for(services.waiting_list.recorder.max_notification_id() or 0, 10)
    page = client.get(f"/queues/almaty/{form.list_code}?lang=ru&find={app_id}").text
    # Filed at 10:00 in Almaty on 18 March 2024 (UTC+5): so written, in Russian.
    assert "18 марта 2024, 10:00 (Алматы, UTC+05:00)" in page


def test_english_pages_name_each_act_in_words_not_by_its_event_class() -> None:
    """A place's history says why it changed in the reader's words, English included."""
    english = translations("en")
    assert english.gettext("HousingProvided") == "Housing provided"
    assert english.gettext("PlacePassedToFamilyMember") == "Place passed to a family member"
    assert english.gettext("Your place on the list") == "Your place on the list"
