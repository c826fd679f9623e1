"""An application stored before today's limits (domain/limits.py), with 600 documents and a
name holding NUL, a right-to-left override and an ANSI escape, still loads exactly as stored
and can still be acted on, on both stores: limits judge new input, never stored events."""

from __future__ import annotations

import unicodedata
import uuid
from typing import Any

from eventsourcing.persistence import StoredEvent

from demo.synthetic import officer
from domain import acts
from domain.forms import ApplicationForm, SupportingDocument
from domain.housing_application import HousingApplication
from domain.values import DocumentKind, Status
from domain.waiting_list import WaitingList
from tests.integration.walk import local, submit

NAME = unicodedata.normalize("NFD", "Айгерім") + "\x00\u202e\x1b[2J"
SHA = "b5f273b8409ccdab5dffaf525942dfa1312df9dd822794067dbee81bfdd66f94"
SCANS = (SupportingDocument(kind=DocumentKind.OTHER, title="page", sha256=SHA),) * 600


def store_as_an_old_release(wl: WaitingList) -> uuid.UUID:
    """A copy of a real filing's event under a new id, its form beyond every limit of today."""
    filed = submit(wl, 1, filed_at=local(2024, 3, 18))
    [original] = wl.recorder.select_events(filed, lte=1)
    state: dict[str, Any] = wl.mapper.transcoder.decode(original.state)
    form: ApplicationForm = state["form"]
    state["form"] = form.model_copy(update={"applicant_name": NAME, "documents": SCANS})
    app_id = uuid.uuid4()
    stored = StoredEvent(
        originator_id=app_id,
        originator_version=1,
        topic=original.topic,
        state=wl.mapper.transcoder.encode(state),
    )
    wl.recorder.insert_events([stored])
    return app_id


def test_an_application_stored_beyond_today_s_limits_loads_as_stored_and_is_acted_on(
    waiting_list: WaitingList,
) -> None:
    app_id = store_as_an_old_release(waiting_list)
    app = waiting_list.application(app_id)
    assert isinstance(app, HousingApplication)
    assert app.form.applicant_name == NAME
    assert app.form.documents == SCANS
    waiting_list.perform(
        acts.ACCEPT, app_id, actor=officer("almaty"), effective_at=local(2024, 3, 18, 11)
    )
    accepted = waiting_list.application(app_id)
    assert accepted.status is Status.ACCEPTED
    assert accepted.form.applicant_name == NAME
