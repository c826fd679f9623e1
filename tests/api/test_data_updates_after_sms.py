"""§11, Std 8 over HTTP, on both stores: an Appendix 3 update may name the SMS notice that
prompted it (`after_notice`); the server finds that notice's recorded delivery and counts the
15 working days from its day, and the audit trail and the deadline monitor show which start
counted. A notice of another application, or whose SMS was not delivered, is refused (409);
an unknown one is not found (404)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from uuid import UUID, uuid4

from fastapi.testclient import TestClient

from api.notice_delivery import Deliverer
from api.sms_gateway import FileSink, HttpGateway
from demo.synthetic import make_form
from domain.calendar import add_working_days
from domain.values import DeadlineKind
from projections.deadline_monitor import DeadlineMonitor
from tests.api.conftest import Tokens
from tests.api.test_data_updates import update
from tests.api.walk import Walk
from tests.integration.sms_gateway import Gateway, running_gateway


def registration_notice(walk: Walk, app_id: str) -> str:
    answer = walk.client.get("/v1/me/notices", headers=walk.applicant(app_id))
    assert answer.status_code == 200, answer.text
    (found,) = (n for n in answer.json()["notices"] if n["subject"] == "registered")
    notice: str = found["notice_id"]
    return notice


def test_an_update_counts_its_term_from_the_sms_delivered_p11_std8(
    client: TestClient, tokens: Tokens, tmp_path: Path
) -> None:
    walk = Walk(client, tokens)
    ledger = tokens.services.waiting_list
    mine = walk.registered(make_form(71))  # 18 March: its SMS is delivered that day
    Deliverer(ledger, FileSink(tmp_path / "sms.jsonl")).run_once()
    refused = walk.registered(make_form(72))
    with running_gateway(Gateway(status=400)) as refusing:
        gateway = HttpGateway(refusing.url)
        Deliverer(ledger, gateway).run_once()
        gateway.close()
    day = add_working_days(date(2024, 3, 18), 14)
    moment = f"{day.isoformat()}T12:00:00+05:00"
    iin = walk.forms[mine].applicant_iin
    late_grounds = update(iin, (day - timedelta(days=30)).isoformat())
    me = walk.applicant(mine)

    walk.fails(mine, "update-data", me, 404, effective_at=moment, update=late_grounds,
               after_notice=str(uuid4()))  # fmt: skip
    walk.broken_rule(mine, "update-data", me, "NoticeNotDeliveredBySms", "§11, Std 8",
                     effective_at=moment, update=late_grounds,
                     after_notice=registration_notice(walk, refused))  # fmt: skip
    theirs = walk.forms[refused].applicant_iin
    walk.broken_rule(
        refused, "update-data", walk.applicant(refused), "NoticeNotDeliveredBySms", "§11",
        effective_at=moment, update=update(theirs, "2024-03-18"),
        after_notice=registration_notice(walk, refused),
    )  # fmt: skip
    walk.act(mine, "update-data", me, effective_at=moment, update=late_grounds,
             after_notice=registration_notice(walk, mine))  # fmt: skip

    head = ledger.recorder.max_notification_id()
    trail = client.get(f"/v1/applications/{mine}/audit?at_least={head}", headers=walk.officer)
    (said,) = (a["summary"] for a in trail.json()["acts"] if a["event"] == "DataUpdated")
    assert "term counted from the SMS of notice" in said
    assert "delivered on 2024-03-18" in said
    services = tokens.services
    with services.database.transaction(write=False) as tx:
        terms = services.view(DeadlineMonitor).for_application(tx, UUID(mine))
    (term,) = (t for t in terms if t.kind is DeadlineKind.DATA_UPDATE)
    assert (term.status, term.starts_on) == ("met", date(2024, 3, 18))
    assert term.basis == "§11, Std 8, from the SMS notice's receipt"
    (event,) = (e for e in ledger.events.get(UUID(mine)) if type(e).__name__ == "DataUpdated")
    assert event.term_counted_from == "sms_delivered"
    assert event.update_due.starts_on == date(2024, 3, 18)
    assert event.update_due.due_on >= day
