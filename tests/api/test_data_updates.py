"""Appendix 3 over HTTP, on both stores: a data update during consideration, signed and with its
declarations, on grounds already arisen (§11); a change of category recomputes what Std 8
requires, and the receipt, the application and the public list show it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from demo.synthetic import document, make_form
from domain.values import DocumentKind
from tests.api.conftest import Tokens
from tests.api.walk import APPENDIX_3_SIGNED, Walk, at


def update(form_iin: str, arose_on: str, **fields: Any) -> dict[str, Any]:
    return {
        "applicant_iin": form_iin,
        "reason": "I was called up for military service.",
        "grounds_arose_on": arose_on,
        "documents": [document(DocumentKind.OTHER, "order").model_dump(mode="json")],
        **APPENDIX_3_SIGNED,
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


def test_filing_checks_the_income_period_and_item_7_appendix_1_items_4_and_7(
    client: TestClient, tokens: Tokens
) -> None:
    """Appendix 1 item 4: the income is of the twelve months before applying (409 otherwise,
    422 for a period that is not twelve months); item 7 names what is underlined (422)."""
    walk = Walk(client, tokens)
    form = make_form(63).model_dump(mode="json")
    wages = {"kind": "wages", "amount_kzt": "1800000.00"}
    headers = tokens.applicant(form["applicant_iin"])

    def filing(**changed: Any) -> Any:
        body = {"provider": "almaty", "filed_at": at("18"), "form": {**form, **changed}}
        return client.post("/v1/applications", json=body, headers=headers)

    old = filing(income=[wages], income_period={"starts_on": "2022-12-01", "ends_on": "2023-11-30"})
    assert old.status_code == 409, old.text
    assert (old.json()["error"], old.json()["paragraph"]) == (
        "IncomePeriodNotTheLastYear",
        "Appendix 1 item 4",
    )
    short = filing(
        income=[wages], income_period={"starts_on": "2023-06-01", "ends_on": "2024-02-29"}
    )
    assert short.status_code == 422, short.text
    named = {"disability_elderly_or_serious_disease": [form["applicant_iin"]]}
    assert filing(**named).status_code == 422
    assert filing(**named, serious_conditions=[["flu"]]).status_code == 422
    filed = filing(
        **named,
        serious_conditions=[["elderly", "cardiovascular_disease"]],
        income=[wages],
        income_period={"starts_on": "2023-03-01", "ends_on": "2024-02-29"},
    )
    assert filed.status_code == 201, filed.text
    assert walk.state(filed.json()["application_id"])["status"] == "submitted"
