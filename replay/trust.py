"""Whose key the offline verifier checks a bundle with: the operator's, pinned by whoever checks.

A bundle names the key it was signed with, but anyone can sign a bundle of their own making and
name their own key in it, so checking with the key a bundle carries proves nothing about who
signed it. `kezek verify` therefore checks with a key it is given: `--key KEY` (the key, or a
file holding it) or `--trust FILE` (the operator's keys, one a line: several while a key is
rotated). Only `--trust-embedded-key`, to explore a bundle, takes the bundle's own key, and the
verdict says NOT pinned.

`--witness-key W` (repeated) and `--quorum N` add the witnesses whose cosignatures
(replay.cosignatures) the bundle's checkpoint must carry: N of them, all by default.

Only the standard library, replay.signed_notes and replay.cosignatures: the offline verifier
imports this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from replay.cosignatures import Cosigner
from replay.signed_notes import Key, NoteError, open_note, read_key

WHERE_PUBLISHED = (
    "the operator publishes its verifier key: GET /v1/transparency/checkpoint answers it as "
    "verifier_key, and `kezek checkpoint` and `kezek export` print it"
)
NOT_PINNED = (
    "kezek verify: no key pinned: pass --key KEY (or a file holding it), or --trust FILE "
    "listing the operator's verifier keys, one a line\n"
    f"({WHERE_PUBLISHED}; --trust-embedded-key only explores: it trusts whoever made the bundle)"
)


class TrustError(ValueError):
    """Nothing to check with, or a key that cannot be read: the check cannot begin (exit 2)."""


def read_trust_file(path: str | Path) -> tuple[Key, ...]:
    """The keys of a trust file: one a line; lines starting with # and anything after a key on
    its line (a key has no spaces) are comments."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        why = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise TrustError(f"trust file {path}: cannot read it ({why})") from None
    keys: list[Key] = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        try:
            keys.append(Key.parse(words[0]))
        except NoteError as error:
            raise TrustError(f"trust file {path}, line {number}: {error}") from None
    if not keys:
        raise TrustError(f"trust file {path}: no key in it ({WHERE_PUBLISHED})")
    return tuple(keys)


@dataclass(frozen=True)
class Trust:
    """The keys pinned, or (`embedded`, for exploration only) the bundle's own."""

    pinned: tuple[Key, ...] = ()
    embedded: bool = False
    witnesses: tuple[Cosigner, ...] = ()  # whose cosignatures the checkpoint must carry
    quorum: int = 0  # how many of them

    def with_witnesses(self, keys: Sequence[str], quorum: int | None = None) -> Trust:
        """These witness keys (each the key or a file holding it), `quorum` of them (default:
        all) required; raises TrustError when one cannot be read or the quorum is impossible."""
        try:
            witnesses = tuple(Cosigner.parse(read_key(given)) for given in keys)
        except NoteError as error:
            raise TrustError(f"witness key: {error}") from None
        needed = len(witnesses) if quorum is None else quorum
        if not 0 <= needed <= len(witnesses):
            raise TrustError(f"--quorum {needed} with {len(witnesses)} witness key(s)")
        return replace(self, witnesses=witnesses, quorum=needed)

    @classmethod
    def of(
        cls,
        key: str | None = None,
        trust_file: str | Path | None = None,
        *,
        embedded: bool = False,
    ) -> Trust:
        """What the command line asks for; raises TrustError when it pins nothing (and does
        not ask to explore) or both pins and explores."""
        keys: list[Key] = []
        if key is not None:
            try:
                keys.append(Key.parse(read_key(key)))
            except NoteError as error:
                raise TrustError(f"key: {error}") from None
        if trust_file is not None:
            keys.extend(read_trust_file(trust_file))
        if embedded and keys:
            raise TrustError(
                "kezek verify: --trust-embedded-key with --key or --trust: pin a key or "
                "explore with the bundle's own, not both"
            )
        if not keys and not embedded:
            raise TrustError(NOT_PINNED)
        return cls(tuple(keys), embedded)

    @classmethod
    def given(cls, trust: Trust | str | None) -> Trust:
        """`trust` itself, or one pinned key; raises TrustError when it pins nothing (and does
        not explore) or the key cannot be read."""
        if isinstance(trust, str):
            try:
                return cls((Key.parse(trust),))
            except NoteError as error:
                raise TrustError(f"key: {error}") from None
        if trust is None or not (trust.pinned or trust.embedded):
            raise TrustError(NOT_PINNED)
        return trust

    def caveats(self, named: str, checking_with: Key) -> list[str]:
        """What the verdict must say of the key: NOT pinned when exploring; which key checks
        a bundle that names another."""
        if self.embedded:
            return [
                f"NOT pinned: checking with the key the bundle itself carries "
                f"({checking_with.short}). Anyone can make a bundle that verifies with a key of "
                "their own: this shows the bundle is whole, not that the operator signed it. Pin "
                "the operator's key with --key or --trust."
            ]
        if names(named, checking_with):
            return []
        pinned = ", ".join(key.short for key in self.pinned)
        among = f", the first of the pinned {pinned}" if len(self.pinned) > 1 else ""
        return [
            f"note: the bundle names the key {named[:60]!r}; checking with the key pinned "
            f"({checking_with.short}{among})"
        ]

    def key_for(self, named: str, statement: bytes | None) -> Key:
        """The key to check a bundle with that names the key `named` and holds `statement`:
        the bundle's own when exploring; else the pinned key it names, else a pinned key that
        signed its statement (the manifest's key edited), else the first pinned (every
        signature then fails, each on its own line)."""
        if self.embedded:
            return Key.parse(named)
        for key in self.pinned:
            if names(named, key):
                return key
        return next((key for key in self.pinned if _signs(statement, key)), self.pinned[0])


def names(vkey: str, key: Key) -> bool:
    """Whether the verifier key text `vkey` is `key`."""
    try:
        return Key.parse(vkey) == key
    except NoteError:
        return False


def _signs(statement: bytes | None, key: Key) -> bool:
    try:
        open_note((statement or b"").decode("utf-8", "replace"), key)
    except NoteError:
        return False
    return True
