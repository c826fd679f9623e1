"""The act every synthetic case starts with, outside the demo's own walk: the citizen files
their form (the served demo's cases in progress, the benchmarks, the tests' walks)."""

from __future__ import annotations

from datetime import datetime

from domain import acts
from domain.forms import ApplicationForm
from domain.receipts import Receipt
from domain.waiting_list import WaitingList


def file_own(wl: WaitingList, form: ApplicationForm, provider: str, at: datetime) -> Receipt:
    """The citizen whose form it is files it with `provider`, taking effect at `at`."""
    actor = wl.applicant(form.applicant_iin)
    return wl.perform(acts.FILE, form=form, provider=provider, actor=actor, effective_at=at)
