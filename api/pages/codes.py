"""One-time sign-in codes for applicants, sent by SMS to the phone on their application.

A code has 6 digits, lives 5 minutes and takes at most 5 tries; an IIN gets at most 3 codes an
hour. The store keeps them (so every process agrees), each as an HMAC under the token key of
the applicant's keyed reference, the code and its moment: never the code, never the IIN. The
answer to a request is the same whether or not the IIN has an application (a code is "sent"
and counted for an unknown IIN too, to nobody).

The SMS itself goes through a `CodeSender`: by default the notices' outbox and gateway
(`OutboxSms`). The message names no IIN and no name: only the code and how long it lives.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Final, Protocol

from domain.ledger_base import LedgerBase
from domain.notifying import send_one_off_sms
from projections.database import ViewDatabase

TABLE: Final = "kezek_signin_codes"
DIGITS: Final = 6
LIFETIME_SECONDS: Final = 5 * 60
MAX_TRIES: Final = 5
CODES_PER_HOUR: Final = 3


class CodeSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


@dataclass(frozen=True)
class OutboxSms:
    """The notices' own way out: a one-off SMS queued in the outbox, which the delivery
    worker (`kezek serve`, `kezek notify`) posts to the gateway or writes to the local sink
    (domain.notifying.send_one_off_sms, docs/notices.md). Each code goes under a key of its
    own, so a retry of the worker never sends one twice."""

    ledger: LedgerBase

    def send(self, phone: str, text: str) -> None:
        send_one_off_sms(self.ledger, phone=phone, text=text, key=f"signin:{secrets.token_hex(16)}")


SCHEMA: Final = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (holder TEXT NOT NULL, code_hash TEXT NOT NULL,"
    " sent_at BIGINT NOT NULL, tries INTEGER NOT NULL, used INTEGER NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_holder ON {TABLE} (holder, sent_at)",
)


class SignInCodes:
    def __init__(self, database: ViewDatabase, key: bytes, sender: CodeSender) -> None:
        self._database = database
        self._key = key
        self.sender = sender

    def _hash(self, holder: str, code: str, sent_at: int) -> str:
        message = f"{holder}\x00{code}\x00{sent_at}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def issue(self, holder: str, phone: str | None, text: str) -> bool:
        """A new code for the holder (sent when there is a phone), unless 3 went this hour.
        Whether one went is for the log and tests; the visitor is told the same either way."""
        now = int(time.time())
        code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
        with self._database.transaction() as tx:
            tx.execute(f"DELETE FROM {TABLE} WHERE sent_at < ?", (now - 2 * 3600,))
            row = tx.fetchone(
                f"SELECT COUNT(*) FROM {TABLE} WHERE holder = ? AND sent_at > ?",
                (holder, now - 3600),
            )
            if row is not None and int(row[0]) >= CODES_PER_HOUR:
                return False
            # An earlier code stops working when a new one is sent.
            tx.execute(f"UPDATE {TABLE} SET used = 1 WHERE holder = ?", (holder,))
            tx.execute(
                f"INSERT INTO {TABLE} (holder, code_hash, sent_at, tries, used)"
                " VALUES (?, ?, ?, 0, 0)",
                (holder, self._hash(holder, code, now), now),
            )
        if phone is None:
            return False
        self.sender.send(phone, text.format(code=code, minutes=LIFETIME_SECONDS // 60))
        return True

    def redeem(self, holder: str, code: str) -> bool:
        """Whether `code` is the holder's live code; each try counts, the 5th is the last."""
        now = int(time.time())
        with self._database.transaction() as tx:
            row = tx.fetchone(
                f"SELECT code_hash, sent_at, tries FROM {TABLE} WHERE holder = ? AND used = 0"
                " AND sent_at >= ? ORDER BY sent_at DESC LIMIT 1",
                (holder, now - LIFETIME_SECONDS),
            )
            if row is None or int(row[2]) >= MAX_TRIES:
                return False
            stored, sent_at = str(row[0]), int(row[1])
            good = len(code) == DIGITS and hmac.compare_digest(
                stored, self._hash(holder, code, sent_at)
            )
            tx.execute(
                f"UPDATE {TABLE} SET tries = tries + 1, used = ? WHERE holder = ? AND sent_at = ?",
                (1 if good else 0, holder, sent_at),
            )
        return good
