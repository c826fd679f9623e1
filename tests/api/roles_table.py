"""Who may call each operation of the API: the declared table that test_roles checks.

One row per operation (method and path template). A role not named in a row must be refused
with 403 and nothing written; without a token every operation but a public one answers 401.
Staff (officer, head) act and read only for their own provider, and an applicant only on
their own application: test_roles also tries staff of another provider and another applicant
wherever those roles are allowed. A new endpoint without a row here fails the suite.
"""

from __future__ import annotations

from domain.actors import IN_PROCESS_ONLY
from domain.values import Role

APPLICANT = Role.APPLICANT.value  # the applicant whose application it is (or whose IIN it files)
OFFICER = Role.OFFICER.value  # of the application's provider
HEAD = Role.HEAD.value  # of the application's provider
COMPLAINT_BODY = Role.COMPLAINT_BODY.value
COURT = Role.COURT.value
AUDITOR = Role.AUDITOR.value
PORTAL = Role.PORTAL.value  # the e-government portal's system, forwarding filings
SYSTEM = Role.SYSTEM.value  # the service's own scheduler: it calls no endpoint, has no token
PUBLIC = "public"  # anyone, with or without a token

# The roles a token carries. SYSTEM acts in process only: no token is issued for it, and one
# naming it is a 401 (test_roles: test_every_operation_but_a_public_one_needs_a_valid_token).
ROLES: tuple[str, ...] = tuple(role.value for role in Role if role not in IN_PROCESS_ONLY)
STAFF = frozenset({OFFICER, HEAD})
READERS = frozenset({APPLICANT, OFFICER, HEAD, COMPLAINT_BODY, COURT, AUDITOR})
OVERSIGHT = frozenset({OFFICER, HEAD, COMPLAINT_BODY, COURT, AUDITOR})

Operation = tuple[str, str]  # (method, path template), as in the OpenAPI document

APP = "/v1/applications/{application_id}"

TABLE: dict[Operation, frozenset[str]] = {
    # filing and the provider's first acts (§3-§10)
    ("POST", "/v1/applications"): frozenset({APPLICANT, PORTAL}),
    ("POST", f"{APP}/accept"): STAFF,
    ("POST", f"{APP}/assign"): frozenset({HEAD}),
    # consideration (§10-§13)
    ("POST", f"{APP}/notify-incomplete"): STAFF,
    ("POST", f"{APP}/find-complete"): STAFF,
    ("POST", f"{APP}/correct"): frozenset({APPLICANT}),
    ("POST", f"{APP}/find-still-incomplete"): STAFF,
    ("POST", f"{APP}/refuse-further-consideration"): frozenset({HEAD}),
    ("POST", f"{APP}/verify"): STAFF,
    ("POST", f"{APP}/schedule-hearing"): STAFF,
    ("POST", f"{APP}/hold-hearing"): STAFF,
    ("POST", f"{APP}/refuse"): frozenset({HEAD}),
    # on the list (§12.1, Art. 73-75)
    ("POST", f"{APP}/register"): STAFF,
    ("POST", f"{APP}/update-data"): frozenset({APPLICANT}),
    ("POST", f"{APP}/withdraw"): frozenset({APPLICANT}),
    ("POST", f"{APP}/deregister"): frozenset({HEAD}),
    ("POST", f"{APP}/pass-place"): frozenset({HEAD}),
    ("POST", f"{APP}/offers"): STAFF,
    ("POST", f"{APP}/offers/{{offer_id}}/decline"): frozenset({APPLICANT}),
    ("POST", f"{APP}/offers/{{offer_id}}/provide"): frozenset({HEAD}),
    # complaints (§14)
    ("POST", f"{APP}/complaints"): frozenset({APPLICANT}),
    ("POST", f"{APP}/complaints/{{complaint_id}}/forward"): STAFF,
    ("POST", f"{APP}/complaints/{{complaint_id}}/satisfy"): STAFF,
    ("POST", f"{APP}/complaints/{{complaint_id}}/decide"): frozenset({COMPLAINT_BODY, HEAD}),
    # the court (§15): its own token, or staff recording the decision received
    ("POST", f"{APP}/court-decisions"): frozenset({COURT, OFFICER, HEAD}),
    # reading
    ("GET", APP): READERS,
    ("GET", f"{APP}/position"): READERS,
    ("GET", f"{APP}/history"): READERS,
    ("GET", f"{APP}/audit"): READERS,
    ("GET", "/v1/audit/recorded-apart"): frozenset({COMPLAINT_BODY, COURT, AUDITOR}),
    ("GET", f"{APP}/as-of"): READERS,
    ("GET", f"{APP}/position/as-of"): READERS,
    # oversight and the public
    ("GET", "/v1/providers/{provider}/deadlines"): OVERSIGHT,
    ("GET", "/v1/queues/{provider}/{list_code}"): frozenset({PUBLIC}),
    ("GET", "/v1/queues/{provider}/{list_code}/as-of"): frozenset({PUBLIC}),
    ("GET", "/v1/transparency/checkpoint"): frozenset({PUBLIC}),
    ("GET", "/v1/transparency/inclusion"): frozenset({PUBLIC}),
    ("GET", "/v1/transparency/consistency"): frozenset({PUBLIC}),
    # court export bundles, and the administrative file of a forwarded complaint
    ("GET", "/v1/administrative-files/{sha256}"): frozenset({COMPLAINT_BODY, COURT, AUDITOR}),
    ("GET", f"{APP}/export"): OVERSIGHT,
    ("GET", "/v1/queues/{provider}/{list_code}/export"): frozenset(
        {HEAD, COMPLAINT_BODY, COURT, AUDITOR}
    ),
    # the applicant's personal account: their own notices (docs/notices.md)
    ("GET", "/v1/me/notices"): frozenset({APPLICANT}),
    ("POST", "/v1/me/notices/{notice_id}/read"): frozenset({APPLICANT}),
    ("GET", "/health"): frozenset({PUBLIC}),
    ("GET", "/v1/reference"): frozenset({PUBLIC}),
}


# Operations on the caller's own personal account: another applicant reads their own there.
OWN_ACCOUNT = frozenset({("GET", "/v1/me/notices"), ("POST", "/v1/me/notices/{notice_id}/read")})


def is_public(operation: Operation) -> bool:
    return PUBLIC in TABLE[operation]


def forbidden(operation: Operation) -> list[str]:
    """The roles this operation refuses with 403 (none for a public one)."""
    if is_public(operation):
        return []
    return [role for role in ROLES if role not in TABLE[operation]]
