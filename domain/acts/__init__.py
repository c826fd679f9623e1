"""Every act of the procedure, declared once (domain.acts.definition says what a declaration
holds). The API's routes, the docs' role table, the deadline monitor's rules and the demo's
moves are all built from `ALL`."""

from __future__ import annotations

from domain.acts.definition import ActDefinition, ListEffect, Scope
from domain.acts.procedure import (
    ACCEPT,
    ASSIGN,
    CORRECT,
    DECIDE_COMPLAINT,
    DECLINE_OFFER,
    DEREGISTER,
    FILE,
    FILE_COMPLAINT,
    FIND_COMPLETE,
    FIND_STILL_INCOMPLETE,
    FORWARD_COMPLAINT,
    HOLD_HEARING,
    NOTIFY_INCOMPLETE,
    OFFER_HOUSING,
    PASS_PLACE,
    PROVIDE_HOUSING,
    RECORD_COURT_DECISION,
    REFUSE,
    REFUSE_FURTHER_CONSIDERATION,
    REGISTER,
    SATISFY_COMPLAINT,
    SCHEDULE_HEARING,
    UPDATE_DATA,
    VERIFY,
    WITHDRAW,
)
from domain.acts.timing import TimePolicy

# In the order of the procedure, which is also the API's order of operations.
ALL: tuple[ActDefinition, ...] = (
    FILE,
    ACCEPT,
    ASSIGN,
    NOTIFY_INCOMPLETE,
    FIND_COMPLETE,
    CORRECT,
    FIND_STILL_INCOMPLETE,
    REFUSE_FURTHER_CONSIDERATION,
    VERIFY,
    SCHEDULE_HEARING,
    HOLD_HEARING,
    REFUSE,
    REGISTER,
    UPDATE_DATA,
    WITHDRAW,
    DEREGISTER,
    PASS_PLACE,
    OFFER_HOUSING,
    DECLINE_OFFER,
    PROVIDE_HOUSING,
    FILE_COMPLAINT,
    FORWARD_COMPLAINT,
    SATISFY_COMPLAINT,
    DECIDE_COMPLAINT,
    RECORD_COURT_DECISION,
)
BY_NAME: dict[str, ActDefinition] = {act.name: act for act in ALL}
BY_EVENT: dict[str, ActDefinition] = {act.event: act for act in ALL}

__all__ = [
    "ACCEPT", "ALL", "ASSIGN", "BY_EVENT", "BY_NAME", "CORRECT", "DECIDE_COMPLAINT",
    "DECLINE_OFFER", "DEREGISTER", "FILE", "FILE_COMPLAINT", "FIND_COMPLETE",
    "FIND_STILL_INCOMPLETE", "FORWARD_COMPLAINT", "HOLD_HEARING", "NOTIFY_INCOMPLETE",
    "OFFER_HOUSING", "PASS_PLACE", "PROVIDE_HOUSING", "RECORD_COURT_DECISION", "REFUSE",
    "REFUSE_FURTHER_CONSIDERATION", "REGISTER", "SATISFY_COMPLAINT", "SCHEDULE_HEARING",
    "UPDATE_DATA", "VERIFY", "WITHDRAW", "ActDefinition", "ListEffect", "Scope", "TimePolicy",
]  # fmt: skip
