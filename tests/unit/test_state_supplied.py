"""§9, §12 last paragraph: the provider may not demand documents and information that the
state information systems supply. No I/O."""

from __future__ import annotations

import pytest

from demo.synthetic import officer
from domain.errors import DocumentFromStateSystems
from domain.records import MissingItem
from domain.values import DocumentKind, Status
from tests.unit.cases import accepted, local


def notify(*missing: MissingItem) -> Status:
    app = accepted()
    app.notify_incomplete(
        actor=officer("almaty"), effective_at=local(2024, 3, 19), missing=list(missing)
    )
    return app.status


@pytest.mark.parametrize("kind", [DocumentKind.SOCIAL_STATUS_PROOF, DocumentKind.INCOME_STATEMENT])
def test_a_notice_naming_a_document_the_state_systems_supply_is_refused_par_9(
    kind: DocumentKind,
) -> None:
    """§9 names the documents of social vulnerability and taxable income among those the
    state systems supply; §12: they may not be demanded."""
    with pytest.raises(DocumentFromStateSystems) as error:
        notify(MissingItem(document=kind, description="bring a copy"))
    assert error.value.paragraph == "§9, §12"


def test_it_may_be_named_when_the_state_system_holds_no_data_std_8() -> None:
    """Std 8: "in the absence of data in the information system" the copy is submitted; the
    notice then says which system was asked and held nothing."""
    item = MissingItem(
        document=DocumentKind.INCOME_STATEMENT,
        description="income for the last 12 months",
        not_in_state_system="IS Income: no record for 2023",
    )
    assert notify(item) is Status.INCOMPLETE


def test_documents_the_state_systems_do_not_hold_are_named_as_before() -> None:
    assert notify(MissingItem(document=DocumentKind.SANITARY_CONCLUSION, description="x")) is (
        Status.INCOMPLETE
    )
