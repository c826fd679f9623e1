"""§8, §10-§14, Std 5: which act gives which notice, on which channel, is declared once; the
table of docs/notices.md says the same; SMS retries back off exponentially, with jitter, and
are bounded."""

from __future__ import annotations

import re
from pathlib import Path

from api.notice_delivery import Backoff
from domain.acts import ALL

DOCS = Path(__file__).resolve().parents[2] / "docs" / "notices.md"


def test_the_docs_table_names_every_declared_notice_and_its_channels() -> None:
    rows = re.findall(r"^\| ([a-z-]+) \| `([a-z_]+)`[^|]*\|([^|]*)\|$", DOCS.read_text(), re.M)
    documented = {act: (subject, sms.strip() == "yes") for act, subject, sms in rows}
    declared = {a.name: (a.notice.subject, a.notice.sms) for a in ALL if a.notice is not None}
    assert documented == declared


def test_the_correction_term_counts_from_the_incompleteness_notice_p11() -> None:
    counted = {a.name: a.notice.receipt_starts for a in ALL if a.notice and a.notice.receipt_starts}
    assert counted == {"notify-incomplete": "correction_due"}


def test_retries_back_off_exponentially_with_jitter_up_to_a_cap() -> None:
    backoff = Backoff(base=2.0, cap=60.0, max_attempts=8)
    for attempt, ceiling in ((1, 2.0), (2, 4.0), (3, 8.0), (6, 60.0), (30, 60.0)):
        waits = [backoff.delay(attempt) for _ in range(200)]
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(set(waits)) > 100  # jittered: workers do not retry in step
