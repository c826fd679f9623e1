"""Personal data by role: what a bundle made for each role shows (docs/security.md).

Courts and the provider's own staff get the case file whole: format-2 events with their sealed
values opened (salt and value beside the digest), format-1 events as logged. Auditors and
complaint bodies get what their task needs: every sealed value redacted, an IIN shown as the
keyed reference the ledger already uses for applicants (`IdentityKey.applicant_ref`), a name
as its initials, contacts, the EDS signature and the dwelling's address as nothing; a format-1
event holding any such value is withheld (replay.sealing says why and how each still
verifies). A `Cut` makes the event files for one role and remembers what it redacted, for the
manifest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from domain.claims import IdentityKey
from domain.values import Role
from replay import sealing
from replay.bundle import (
    MANIFEST,
    Manifest,
    Signer,
    assemble,
    read_zip,
    sha256_hex,
    strict_json,
)
from replay.canonical import canonical_json
from replay.leaf_formats import Leaf
from replay.made_for import Redaction

# Who sees the case file whole; every other role (auditors, complaint bodies, and any role
# added later until it is placed here) gets it without personal data.
WHOLE = frozenset({Role.COURT, Role.OFFICER, Role.HEAD, Role.SYSTEM})
EXPORT_ROLES = (Role.COURT, Role.OFFICER, Role.HEAD, Role.COMPLAINT_BODY, Role.AUDITOR)
WHOLE_RULE = "the whole case file: nothing redacted"
REDACTED_RULE = (
    "IINs shown as keyed references (HMAC-SHA256 under the operator's identity key, as "
    "applicants' ids in events), names as initials; phone, e-mail, EDS signature and dwelling "
    "address not shown. A redacted value of a format-2 event stays proven by its salted "
    "digest; a format-1 event holding any is withheld: its inclusion proven, not its content."
)


def initials(name: str) -> str:
    """The initials of a name: "Aizhan Tsoi-Kim" -> "A. T."."""
    return " ".join(f"{word[0]}." for word in name.split())


def shown(kind: sealing.Kind, value: Any, identity: IdentityKey | None) -> str | None:
    if not isinstance(value, str):
        return None
    if kind == "iin":
        if identity is None:
            raise ValueError("a bundle that shows IINs as keyed references needs the identity key")
        return identity.applicant_ref(value)
    if kind == "name":
        return initials(value)
    return None


@dataclass
class Cut:
    """The event files of one bundle for `role`, and what was redacted in them."""

    role: Role
    identity: IdentityKey | None  # needed only where IINs become keyed references
    redacted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    withheld: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return self.role in WHOLE

    def event_file(self, name: str, leaf: Leaf) -> bytes:
        """The file for an event just read from the store (its document sealed in place)."""
        if leaf.format == 1:
            return leaf.data if self.whole else self._withhold(name, leaf.document, leaf.data)
        if not leaf.seals:
            return leaf.data
        for seal in leaf.seals:
            if self.whole:
                seal.open()
            else:
                seal.redact(self.role.value, shown(seal.kind, seal.value, self.identity))
        if not self.whole:
            self.redacted[name] = tuple(sorted(seal.path for seal in leaf.seals))
        return canonical_json(leaf.document)

    def kept_file(self, name: str, data: bytes, document: dict[str, Any]) -> bytes:
        """The file for an event of a bundle made whole (an administrative file as kept)."""
        if self.whole:
            return data
        if sealing.FORMAT_KEY not in document:
            return self._withhold(name, document, data)
        paths = []
        for path, kind, node in _opened(document):
            value = node.pop(sealing.VALUE)
            del node[sealing.SALT]
            node[sealing.REDACTED_FOR] = self.role.value
            node[sealing.SHOWN] = shown(kind, value, self.identity)
            paths.append(path)
        if not paths:
            return data
        self.redacted[name] = tuple(sorted(paths))
        return canonical_json(document)

    def _withhold(self, name: str, document: dict[str, Any], data: bytes) -> bytes:
        found = sealing.personal_values(document["topic"], document["state"])
        if not found:
            return data
        for item in found:
            item.replace(
                {
                    sealing.REDACTED_FOR: self.role.value,
                    sealing.SHOWN: shown(item.kind, item.value, self.identity),
                }
            )
        document[sealing.WITHHELD_FOR] = self.role.value
        self.redacted[name] = tuple(sorted(item.path for item in found))
        self.withheld.append(name)
        return canonical_json(document)

    def stated(self, manifest: Manifest) -> Manifest:
        """`manifest` saying for whom the bundle is made and what was redacted."""
        redaction = Redaction(
            self.role.value,
            WHOLE_RULE if self.whole else REDACTED_RULE,
            dict(sorted(self.redacted.items())),
            tuple(sorted(self.withheld)),
        )
        return replace(manifest, redaction=redaction)


def cut_bundle(data: bytes, role: Role, identity: IdentityKey, signer: Signer) -> bytes:
    """A bundle made whole (an administrative file as kept), cut for `role`: its manifest names
    the SHA-256 of the whole one (what the ComplaintForwarded event records) and is signed
    again by the operator. For a role that sees the case whole, the bundle itself."""
    if role in WHOLE:
        return data
    files = read_zip(data)
    manifest = Manifest.parse(strict_json(files[MANIFEST], MANIFEST))
    cut = Cut(role, identity)
    evidence = {name: files[name] for name in manifest.files}
    for entry in manifest.events:
        name = entry.file
        evidence[name] = cut.kept_file(name, files[name], strict_json(files[name], name))
    subject = {**manifest.subject, "cut_from": sha256_hex(data)}
    stated = cut.stated(replace(manifest, subject=subject))
    people = {name: files[name] for name in manifest.for_people}
    return assemble(stated, evidence, people, signer)


def _opened(document: dict[str, Any]) -> Iterator[tuple[str, sealing.Kind, dict[str, Any]]]:
    """The opened sealed values of a format-2 document, with their kind by `sealing.FIELDS`."""
    patterns = [(p.split("/"), kind) for p, kind in sealing.FIELDS.get(document["topic"], ())]
    pending: list[tuple[list[str], Any]] = [([], document["state"])]
    while pending:
        at, node = pending.pop()
        if isinstance(node, list):
            pending.extend(([*at, str(i)], item) for i, item in enumerate(node))
        elif isinstance(node, dict) and sealing.VALUE in node and sealing.SEALED in node:
            kinds = (k for parts, k in patterns if _matches(parts, at))
            kind: sealing.Kind = next(kinds, "contact")
            yield "/".join(at), kind, node
        elif isinstance(node, dict):
            pending.extend(([*at, key], item) for key, item in node.items())


def _matches(pattern: list[str], path: list[str]) -> bool:
    return len(pattern) == len(path) and all(
        p == q or (p == "*" and q.isdigit()) for p, q in zip(pattern, path, strict=True)
    )
