"""The API side of the pages: `GET /v1/reference` names everything in three languages, and
`/docs` works with no internet (its assets are Kezek's own)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from domain.names import LANGUAGES, missing_names
from domain.reference import list_kinds, providers
from domain.values import DocumentKind


def test_every_provider_list_category_and_document_has_a_kazakh_and_a_russian_name() -> None:
    assert missing_names() == []


def test_the_reference_names_providers_lists_categories_and_documents_in_kk_ru_en(
    client: TestClient,
) -> None:
    answer = client.get("/v1/reference")
    assert answer.status_code == 200
    body = answer.json()
    assert [p["code"] for p in body["providers"]] == list(providers())
    assert [k["code"] for k in body["lists"]] == list(list_kinds())
    assert {d["code"] for d in body["document_kinds"]} == {d.value for d in DocumentKind}
    named = [*body["providers"], *body["lists"], *body["document_kinds"]]
    named += [c for k in body["lists"] for c in k["categories"]]
    assert all(set(n["names"]) == set(LANGUAGES) and all(n["names"].values()) for n in named)
    almaty = next(p for p in body["providers"] if p["code"] == "almaty")
    assert almaty["names"]["ru"] == "Акимат города Алматы"


def test_the_docs_load_every_asset_from_kezek_itself(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assets = re.findall(r"""(?:src|href)=["']([^"']+)""", page.text)
    assets += re.findall(r"""url: ?["']([^"']+)""", page.text)
    assert assets
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
