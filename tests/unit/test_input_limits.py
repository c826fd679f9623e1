"""The stated limits (domain/limits.py) and rules of text (domain/text.py): every field of every
request is bounded and states it, text is NFC and free of control and bidirectional characters,
and a stored event is decoded as it was stored, whatever the limits became."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ValidationError

from demo.synthetic import make_form
from domain import acts, limits
from domain.forms import ApplicationForm
from domain.limits import AtMost
from domain.records import ComplaintForm
from domain.text import Line, Prose
from domain.transcodings import ModelAsDict

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"
REQUESTS = sorted({act.request for act in acts.ALL}, key=lambda model: model.__name__)
SHA = "b5f273b8409ccdab5dffaf525942dfa1312df9dd822794067dbee81bfdd66f94"


class Sample(BaseModel):
    name: Annotated[str, Line(10)] = "x"
    text: Annotated[str, Prose(10)] = ""
    items: Annotated[tuple[int, ...], AtMost(3)] = ()


def unbounded(node: Any, path: str, number_beside: bool = False) -> list[str]:
    """Paths of the JSON Schema's strings without maxLength (or free ones without pattern) and
    arrays without maxItems; dates, enums and a decimal's string form are bounded otherwise."""
    found: list[str] = []
    if isinstance(node, list):
        numbers = any(isinstance(n, dict) and n.get("type") == "number" for n in node)
        for index, item in enumerate(node):
            found += unbounded(item, f"{path}/{index}", numbers)
    elif isinstance(node, dict):
        kind = node.get("type")
        shaped = "enum" in node or "const" in node or "format" in node
        free = kind == "string" and not shaped and not number_beside
        if free and ("maxLength" not in node or "pattern" not in node):
            found.append(path)
        if kind == "array" and "maxItems" not in node:
            found.append(path)
        for key, value in node.items():
            if key not in ("examples", "default"):
                found += unbounded(value, f"{path}/{key}")
    return found


@pytest.mark.parametrize("model", REQUESTS, ids=lambda model: model.__name__)
def test_every_string_and_list_of_every_request_states_its_limit(model: type[BaseModel]) -> None:
    assert unbounded(model.model_json_schema(), model.__name__) == []


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b", "\u061c", "\u200e", "\u200f"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u2028", "\u2029"],
)
def test_control_and_bidirectional_characters_are_refused_in_lines_and_prose(char: str) -> None:
    for field in ("name", "text"):
        with pytest.raises(ValidationError) as refused:
            Sample.model_validate({field: f"ab{char}c"})
        [error] = refused.value.errors()
        assert error["type"] == "text_character"
        assert f"(U+{ord(char):04X}) at position 2" in error["msg"]


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_a_line_allows_no_tab_newline_or_carriage_return(char: str) -> None:
    with pytest.raises(ValidationError):
        Sample(name=f"a{char}b")


def test_prose_keeps_tabs_and_line_feeds_but_not_carriage_returns() -> None:
    assert Sample(text="a\n\tb").text == "a\n\tb"
    with pytest.raises(ValidationError):
        Sample(text="a\r\nb")


def test_text_is_nfc_normalised_and_counted_after() -> None:
    composed = "Ёлкай"  # Ё and й decompose in NFD
    decomposed = unicodedata.normalize("NFD", composed * 2)
    assert len(decomposed) > 10
    assert Sample(name=decomposed).name == composed * 2


def test_a_list_over_its_limit_is_refused_before_its_items_are_validated() -> None:
    with pytest.raises(ValidationError) as refused:
        Sample.model_validate({"items": ["not a number"] * 1000})
    assert [e["type"] for e in refused.value.errors()] == ["too_long"]


def test_digits_of_other_scripts_are_no_phone_number() -> None:
    form = make_form(1).model_dump(mode="json")
    with pytest.raises(ValidationError):
        ApplicationForm.model_validate(form | {"phone": "+7" + "\u0663" * 10})


def beyond_every_limit() -> dict[str, Any]:
    """An Appendix 1 form as an old release could have stored it."""
    form = make_form(1).model_dump(mode="json")
    return form | {
        "applicant_name": unicodedata.normalize("NFD", "Айгерім") + "\x00\u202e\x1b[2J",
        "documents": [{"kind": "other", "title": "scan\u2066", "sha256": SHA}] * 600,
        "signature": "s" * 2000,
        "list_code": form["list_code"],
    }


def test_a_stored_form_beyond_today_s_limits_decodes_exactly_as_stored() -> None:
    stored = beyond_every_limit()
    with pytest.raises(ValidationError):
        ApplicationForm.model_validate(stored)  # as a request: refused
    decoded = ModelAsDict(ApplicationForm).decode(stored)
    assert isinstance(decoded, ApplicationForm)
    assert decoded.applicant_name == stored["applicant_name"]  # not normalised
    assert len(decoded.documents) == 600
    assert decoded.model_dump(mode="json") == stored


def test_a_stored_complaint_with_a_control_character_decodes_as_stored() -> None:
    text = "Please\r\nhelp\x07"
    stored = {"subject": "inaction", "filed_with": "provider", "text": text}
    decoded = ModelAsDict(ComplaintForm).decode(stored)
    assert isinstance(decoded, ComplaintForm)
    assert decoded.text == text


def test_the_docs_state_every_limit_as_the_module_does() -> None:
    section = DOCS.read_text().split("## Limits on input", 1)[1].split("\n## ", 1)[0]
    stated = dict(re.findall(r"^\| `([A-Z_]+)` \| (\d+) \|", section, flags=re.MULTILINE))
    declared = {
        name: str(value)
        for name, value in vars(limits).items()
        if name.isupper() and isinstance(value, int)
    }
    assert stated == declared
