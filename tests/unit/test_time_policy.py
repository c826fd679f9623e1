"""Who may say when an act took effect, and how far back (domain.acts.timing): no I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.actors import Actor
from domain.acts.timing import TimePolicy, Timing
from domain.clock import ScenarioClock
from domain.errors import ActInTheFuture, BackdatedTooFar, BackdatingWithoutReason, TimeNotYours
from domain.values import Role

NOW = datetime(2024, 4, 8, 6, 0, tzinfo=UTC)  # Monday 8 April 2024, 11:00 in Almaty
TZ = "Asia/Almaty"
APPLICANT = Actor(id="app-1", role=Role.APPLICANT)
OFFICER = Actor(id="officer-1", role=Role.OFFICER, provider="almaty")
PORTAL = Actor(id="egov", role=Role.PORTAL)


def test_an_act_without_a_moment_takes_effect_when_the_server_records_it() -> None:
    for policy in TimePolicy:
        timing = policy.decide(OFFICER, NOW)
        assert (timing.effective_at, timing.recorded_at, timing.backdated_because) == (NOW, NOW, "")


def test_the_applicant_may_not_date_an_act_and_the_field_is_named() -> None:
    for policy in TimePolicy:
        with pytest.raises(TimeNotYours) as error:
            policy.decide(APPLICANT, NOW, NOW - timedelta(days=1), "I was ill")
        assert error.value.field == "effective_at"


def test_a_moment_within_the_clocks_skew_is_not_backdating() -> None:
    timing = TimePolicy.RECORDED_NOW.decide(APPLICANT, NOW, NOW - timedelta(minutes=4))
    assert timing.backdated_because == ""


def test_no_one_dates_an_act_in_the_future() -> None:
    with pytest.raises(ActInTheFuture):
        TimePolicy.PAPER_ACT.decide(OFFICER, NOW, NOW + timedelta(hours=1), "why")


def test_staff_backdating_needs_a_written_reason_kept_with_the_act() -> None:
    paper = NOW - timedelta(days=2)
    with pytest.raises(BackdatingWithoutReason):
        TimePolicy.PAPER_ACT.decide(OFFICER, NOW, paper)
    timing = TimePolicy.PAPER_ACT.decide(OFFICER, NOW, paper, " signed on paper; system down ")
    assert timing == Timing(paper, NOW, "signed on paper; system down")


def test_staff_may_date_a_paper_act_at_most_three_working_days_back() -> None:
    # Monday 8 April: 3 working days back is Wednesday 3 April (4, 5 and 8 April between).
    Timing(datetime(2024, 4, 3, 5, tzinfo=UTC), NOW, "paper").require_window(TZ)
    with pytest.raises(BackdatedTooFar) as error:
        Timing(datetime(2024, 4, 2, 5, tzinfo=UTC), NOW, "paper").require_window(TZ)
    assert "3 working days" in error.value.detail


def test_only_the_portal_states_its_receipt_and_only_24_hours_back() -> None:
    receipt = NOW - timedelta(hours=20)
    assert TimePolicy.RECEIVED.decide(PORTAL, NOW, receipt).effective_at == receipt
    with pytest.raises(BackdatedTooFar):
        TimePolicy.RECEIVED.decide(PORTAL, NOW, NOW - timedelta(hours=25))
    with pytest.raises(TimeNotYours):
        TimePolicy.RECEIVED.decide(APPLICANT, NOW, receipt)
    with pytest.raises(TimeNotYours):  # staff act on the provider's side, not the portal's
        TimePolicy.RECEIVED.decide(OFFICER, NOW, receipt)


def test_a_scenario_clock_records_forward_only() -> None:
    clock = ScenarioClock()
    later, earlier = NOW, NOW - timedelta(days=3)
    clock.committed(clock.recording_moment(clock.now(later)))
    assert clock.now(earlier) == earlier  # the scenario walks another case from its start
    assert clock.recording_moment(earlier) == later  # but the log never runs backwards
    refused = ScenarioClock()
    refused.recording_moment(refused.now(later))  # an act refused: never committed
    assert refused.recording_moment(earlier) == earlier
