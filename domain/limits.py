"""The stated limits on input, in one place: the request models, the OpenAPI document and the
docs (docs/security.md, "Limits on input") all take their numbers from here.

A limit is checked when a request (or any new value) is validated, never when a stored event
is decoded: events are immutable, and one stored before a limit existed must still load as it
was stored (`domain.transcodings` decodes with `STORED`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, Final

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, ValidationInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from domain.values import HousingCondition

# A request body, in bytes (api/body_limit.py): documents are attached by digest, never inlined.
BODY_BYTES: Final = 1_048_576

# Items of a list.
DOCUMENTS: Final = 100  # supporting documents of one form or one correction
FAMILY_MEMBERS: Final = 30  # Appendix 1 item 3, besides the applicant
INCOME_ITEMS: Final = 200  # Appendix 1 item 4: an item per member and kind of income
PERSONS_NAMED: Final = FAMILY_MEMBERS + 1  # each list of persons names the household at most
HOUSING_CONDITIONS: Final = len(HousingCondition)  # each condition once
MISSING_ITEMS: Final = 50  # items one incompleteness notice names (§10)
CHECKS: Final = 20  # checks of one verification (§11; five kinds of check)

# Characters of a string, counted after NFC normalisation (domain/text.py).
HOUSE_CHARS: Final = 20  # a house, building or apartment number
CODE_CHARS: Final = 64  # a code or number: provider, list, category, decision, cadastral
PLACE_CHARS: Final = 100  # a region, district or settlement
LINE_CHARS: Final = 200  # a name, a title, a street, a source, an e-mail, a short description
ADDRESS_CHARS: Final = 300  # an address, the place of a hearing, a file's reference
SIGNATURE_CHARS: Final = 512  # an EDS signature reference
FLOORS_NAMED: Final = 50  # the floors an applicant accepts (Appendix 1 item 12)
NOTE_CHARS: Final = 1000  # a check's detail, a missing item, the reason of a data update
PROSE_CHARS: Final = 5000  # reasons, a complaint's text, a position, the action taken

# Error answers (api/problems.py): a 422 lists at most the first PROBLEMS_LISTED problems, each
# field and message cut to PROBLEM_CHARS, all of them within PROBLEMS_BYTES once encoded; every
# detail is cut to DETAIL_CHARS. So a 422 answer stays under 8 KB, whatever was sent.
PROBLEMS_LISTED: Final = 20
PROBLEM_CHARS: Final = 200
PROBLEMS_BYTES: Final = 5000
DETAIL_CHARS: Final = 500

# The validation context under which stored events are decoded (no limit applies).
STORED: Final = "kezek.stored"


def as_stored(info: ValidationInfo) -> bool:
    """Whether the value is being decoded from a stored event, not taken as new input."""
    context = info.context
    return isinstance(context, dict) and context.get(STORED) is True


class InputCheck(ABC):
    """An annotation that checks new input (never a stored event's value) and states in the
    JSON Schema what it checks. `check` runs before the type's own validation if `before`."""

    before: ClassVar[bool] = False

    @abstractmethod
    def check(self, value: Any) -> Any:
        """The value, if new input may be it; else a PydanticCustomError."""

    @abstractmethod
    def stated(self) -> dict[str, Any]:
        """What the check states in the JSON Schema (maxItems, maxLength, pattern)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        if self.before:
            return core_schema.with_info_before_validator_function(self._new, handler(source))
        return core_schema.with_info_after_validator_function(self._new, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema.update(self.stated())
        return json_schema

    def _new(self, value: Any, info: ValidationInfo) -> Any:
        return value if as_stored(info) else self.check(value)


@dataclass(frozen=True)
class AtMost(InputCheck):
    """At most `limit` items in a list, counted before any item is validated, so that a long
    list is refused at once (OpenAPI: maxItems). Annotated[tuple[X, ...], AtMost(n)]."""

    limit: int
    before: ClassVar[bool] = True

    def check(self, value: Any) -> Any:
        if isinstance(value, list | tuple) and len(value) > self.limit:
            raise PydanticCustomError(
                "too_long",
                "List should have at most {max_length} items, not {actual_length}",
                {"max_length": self.limit, "actual_length": len(value)},
            )
        return value

    def stated(self) -> dict[str, Any]:
        return {"maxItems": self.limit}
