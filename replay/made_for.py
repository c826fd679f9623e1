"""For whom a bundle is made, and what was redacted for them: the manifest's `made_for` and
`redacted` members, and the verifier's reading of them.

    "made_for": "auditor",
    "redacted": {"rule": "<what the role is not shown, in words>",
                 "fields": {"events/0001.json": ["form/_data_/applicant_iin", ...], ...},
                 "withheld": ["events/0003.json", ...]}

A bundle of format kezek-court-export/1 has neither (made whole, before bundles named a role).
Only the standard library and replay.sealing: the offline verifier reads manifests through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from replay.sealing import Reading


@dataclass(frozen=True)
class Redaction:
    made_for: str | None = "court"  # None: a /1 bundle
    rule: str = ""
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # file -> paths
    withheld: tuple[str, ...] = ()  # format-1 event files carried without their leaf's bytes

    def as_json(self) -> dict[str, Any]:
        if self.made_for is None:
            return {}
        fields = {name: list(paths) for name, paths in self.fields.items()}
        return {
            "made_for": self.made_for,
            "redacted": {"rule": self.rule, "fields": fields, "withheld": list(self.withheld)},
        }

    @classmethod
    def parse(
        cls, top: Mapping[str, Any], *, legacy: bool, error: Callable[[str], Exception]
    ) -> Redaction:
        """The members of a manifest (`legacy`: of format /1, which has none); raises
        `error(message)` naming what is wrong."""
        if legacy:
            return cls(None)
        made_for, redacted = top.get("made_for"), top.get("redacted")
        if not isinstance(made_for, str) or not isinstance(redacted, dict):
            raise error("manifest: made_for or redacted is missing or malformed")
        rule, fields = redacted.get("rule"), redacted.get("fields")
        withheld: Any = redacted.get("withheld")
        if not isinstance(rule, str) or not isinstance(fields, dict) or not _texts(withheld):
            raise error("manifest: redacted lacks its rule, fields or withheld")
        if not all(_texts(paths) for paths in fields.values()):
            raise error("manifest: redacted.fields is not lists of text")
        return cls(made_for, rule, {k: tuple(v) for k, v in fields.items()}, tuple(withheld))

    def summary(self) -> str:
        if self.made_for is None:
            return "made whole (before bundles named a role)"
        if not self.fields and not self.withheld:
            return f"made for {self.made_for}: whole, nothing redacted"
        values = sum(len(paths) for paths in self.fields.values())
        return (
            f"made for {self.made_for}: {values} personal value(s) redacted, "
            f"{len(self.withheld)} event(s) withheld (listed above)"
        )

    def check(self, name: str, reading: Reading) -> tuple[list[str], list[str]]:
        """Failures and notes for the event file `name`: what was redacted for the bundle's
        role is reported, what differs from the manifest's word fails."""
        failures = [f"{name}: {problem}" for problem in reading.problems]
        if sorted(reading.redacted) != sorted(self.fields.get(name, ())):
            failures.append(f"{name}: its redacted values are not the ones the manifest declares")
        if (reading.withheld_for is not None) != (name in self.withheld):
            failures.append(f"{name}: withheld or not, unlike what the manifest declares")
        notes = []
        if reading.withheld_for is not None:
            notes.append(
                f"{name}: withheld for role {reading.withheld_for}: its leaf (format 1) commits "
                "to the whole event, so its inclusion is proven but its content is the "
                "operator's signed word only"
            )
        elif reading.redacted:
            notes.append(
                f"{name}: redacted for role {self.made_for}: {', '.join(reading.redacted)}"
            )
        return failures, notes


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
