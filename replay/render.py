"""The bundle's pages for people: the audit trail, the position history, a list as of a moment.

For people, not evidence: the evidence is the events/ files, checked by `kezek verify`. Every
value is HTML-escaped; nothing is shown that the views do not draw from the events, and the
position history names no other application (only the kind of act that moved this one and its
place in the log). The pages are deterministic: the same rows make the same bytes (no clock,
no script, no external resource; a Content-Security-Policy forbids both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING

from replay.bundle import MANIFEST, STATEMENT

if TYPE_CHECKING:
    from projections.audit_trail import AuditEntry
    from projections.notice_trail import NoticeLine
    from projections.position_history import PositionChange
    from replay.asof_list import Entry

AUDIT_TRAIL = "rendered/audit-trail.html"
POSITION_HISTORY = "rendered/position-history.html"
LIST = "rendered/list.html"
NOT_EVIDENCE = (
    "For people, not evidence. The evidence is the event files (events/*.json) of this bundle, "
    "each proven to be in the operator's signed transparency log; check it with "
    "`kezek verify` and the operator's published key. This page was rendered from the "
    "service's views at export time; its SHA-256 is in manifest.json."
)
_STYLE = (
    "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
    "td,th{border:1px solid #999;padding:.25em .5em;vertical-align:top;text-align:left}"
    ".note{border:2px solid #b00;padding:.5em;max-width:60em}"
)

Cell = str | int | date | datetime | None


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def page(
    title: str,
    facts: Mapping[str, Cell],
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    notes: Sequence[str] = (),
) -> bytes:
    """A whole HTML page: the title, the facts of the subject, one table; all escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{escape(NOT_EVIDENCE)}</p>',
        "<dl>",
        *(f"<dt>{escape(k)}</dt><dd>{escape(_text(v))}</dd>" for k, v in facts.items()),
        "</dl>",
        *(f"<p>{escape(note)}</p>" for note in notes),
        "<table><thead><tr>",
        *(f"<th>{escape(h)}</th>" for h in header),
        "</tr></thead><tbody>",
    ]
    count = 0
    for row in rows:
        count += 1
        parts.append("<tr>" + "".join(f"<td>{escape(_text(c))}</td>" for c in row) + "</tr>")
    if not count:
        parts.append(f'<tr><td colspan="{len(header)}">(none)</td></tr>')
    parts += ["</tbody></table>", "</body></html>", ""]
    return "\n".join(parts).encode("utf-8")


def audit_trail_page(
    facts: Mapping[str, Cell],
    entries: Sequence[AuditEntry],
    notices: Mapping[int, NoticeLine] | None = None,
) -> bytes:
    sent = notices or {}
    header = (
        "version",
        "log position",
        "act",
        "took effect (UTC)",
        "recorded (UTC)",
        "why dated earlier",
        "by",
        "basis",
        "reasons",
        "summary",
        "term",
        "term due",
        "term kept",
        "notice to the applicant",
    )
    rows = [
        (
            e.version,
            e.seq,
            e.event,
            e.effective_at,
            e.recorded_at,
            e.backdated_because,
            " ".join(p for p in (e.actor_role, e.actor_provider, e.actor_id) if p),
            e.basis,
            e.reasons,
            e.summary,
            e.deadline_kind.replace("_", " "),
            e.deadline_due_on,
            _term(e.deadline_status, e.late_by),
            notice_text(sent.get(e.version)),
        )
        for e in entries
    ]
    return page("Audit trail", facts, header, rows)


def notice_text(line: NoticeLine | None) -> str:
    """Which notice went out, where, and when it was delivered and opened (UTC)."""
    if line is None:
        return ""
    parts = [f"{line.subject}: personal account {line.delivered_at.isoformat()}"]
    parts.append(f"opened {line.opened_at.isoformat()}" if line.opened_at else "not opened")
    if line.sms_delivered_at is not None:
        parts.append(f"SMS delivered {line.sms_delivered_at.isoformat()}, attempt {line.attempts}")
    elif line.sms_failed_at is not None:
        parts.append(f"SMS NOT DELIVERED after {line.attempts} attempt(s): {line.reason}")
    elif line.sms:
        parts.append("SMS pending")
    if line.term:
        parts.append(line.term)
    return "; ".join(parts)


def _term(status: str, late_by: int | None) -> str:
    if late_by:
        return f"{status}, {late_by} working day(s) late"
    return status


def position_history_page(facts: Mapping[str, Cell], changes: Sequence[PositionChange]) -> bytes:
    header = (
        "took effect (UTC)",
        "recorded (UTC)",
        "from",
        "to",
        "whose act",
        "cause",
        "event version",
        "log position",
    )
    rows = [
        (
            c.effective_at,
            c.recorded_at,
            _place(c.old_position),
            _place(c.new_position),
            "this application's own" if c.own else f"another application ({c.kind})",
            c.cause,
            c.application_version,
            c.seq,
        )
        for c in changes
    ]
    notes = (
        "Positions count from 1 at the head of the list; '-' is off the list. A change by "
        "another application names only the kind of its act and its place in the log.",
    )
    return page("Position history", facts, header, rows, notes)


def _place(position: int | None) -> str:
    return "-" if position is None else str(position)


def list_page(facts: Mapping[str, Cell], entries: Sequence[Entry]) -> bytes:
    header = ("position", "application", "priority moment (UTC)", "offer open")
    rows = [
        (e.position, str(e.application_id), e.priority_moment, "yes" if e.offer_open else "")
        for e in entries
    ]
    notes = (
        "The order is recomputed from the list's events in this bundle: by business time, "
        "every change that took effect at or before the moment, in order of taking effect; "
        "by recording time, the list after the last version recorded by then.",
    )
    return page("List as of a moment", facts, header, rows, notes)


def readme(facts: Mapping[str, Cell], rendered: Sequence[str]) -> bytes:
    """README.txt: what the bundle holds and how to check it by hand."""
    lines = [
        "Kezek court export: the administrative file of one case (or one list).",
        "",
        *(f"{k}: {_text(v)}" for k, v in facts.items()),
        "",
        "Evidence:",
        f"  {MANIFEST}   RFC 8785 JSON: the events, their inclusion proofs, the signed",
        "                  checkpoint, the verifier key and the SHA-256 of every file",
        f"  {STATEMENT}   the operator's signed note naming the SHA-256 of {MANIFEST}",
        "  events/NNNN.json one event per version: RFC 8785 JSON of position, originator_id,",
        "                  originator_version, topic and the stored state",
        "",
        "For people, not evidence:",
        *(f"  {name}" for name in [*rendered, "README.txt"]),
        "",
        "To check: kezek verify BUNDLE.zip --key '<the operator's published verifier key>'",
        "(or python -m replay.verify). By hand: each event file must equal its RFC 8785 form;",
        "its leaf hash is SHA-256(0x00 || file bytes); the proof in the manifest leads from it",
        "to the checkpoint's root (RFC 9162 section 2.1.3.2); the checkpoint and the statement",
        "are C2SP signed notes (Ed25519) verified with the key; versions run 1..n without gaps.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")
