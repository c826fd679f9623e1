"""Appendix 3 over HTTP, on both stores: a data update during consideration, signed and with its
declarations, on grounds already arisen (§11); a change of category recomputes what Std 8
requires, and the receipt, the application and the public list show it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from demo.synthetic import document, make_form
from domain.values import DocumentKind
from tests.api.conftest import Tokens
from tests.api.walk import Walk, at


def update(form_iin: str, arose_on: str, **fields: Any) -> dict[str, Any]:
    return {
        "applicant_iin": form_iin,
        "reason": "I was called up for military service.",
        "grounds_arose_on": arose_on,
        "documents": [document(DocumentKind.OTHER, "order").model_dump(mode="json")],
        "consents": {"housing_check": True, "protected_secret": True},
        "signature": "eds-signature-0123456789abcdef",
        **fields,
    }


def test_a_data_update_during_consideration_recomputes_the_category_appendix_3(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    form = make_form(61, list_code="state_employees", category_code="civil_servants")
    app_id = walk.verified(form)
    me = walk.applicant(app_id)
    unsigned = {k: v for k, v in update(form.applicant_iin, "2024-03-18").items()}
    del unsigned["signature"]
    walk.fails(app_id, "update-data", me, 422, update=unsigned)
    walk.broken_rule(
        app_id, "update-data", me, "GroundsNotYetArisen", "§11",
        update=update(form.applicant_iin, "2024-03-20"),
    )  # fmt: skip
    to_military = update(form.applicant_iin, "2024-03-18", category_code="military")
    walk.broken_rule(
        app_id, "update-data", me, "UpdateWithoutDocuments", "Appendix 3", update=to_military
    )
    certificate = document(DocumentKind.CERTIFICATE_FROM_WORK, "unit").model_dump(mode="json")
    updated = walk.act(
        app_id, "update-data", me, update={**to_military, "documents": [certificate]}
    )
    assert updated["status"] == "verified"
    assert "civil_servants -> military" in updated["consequence"]
    assert "certificate_from_work" in updated["consequence"]
    assert walk.state(app_id)["category_code"] == "military"
    walk.act(app_id, "register?wait=true", walk.head, effective_at=at("19", "12:00"))
    page = client.get("/v1/queues/almaty/state_employees").json()
    assert [line["category_code"] for line in page["lines"]] == ["military"]


def test_no_data_update_after_the_application_closed_appendix_3(
    client: TestClient, tokens: Tokens
) -> None:
    walk = Walk(client, tokens)
    form = make_form(62)
    app_id = walk.verified(form)
    me = walk.applicant(app_id)
    walk.act(app_id, "withdraw", me)
    walk.broken_rule(
        app_id, "update-data", me, "DataUpdateWhileNotRegistered", "Appendix 3",
        update=update(form.applicant_iin, "2024-03-18"),
    )  # fmt: skip
