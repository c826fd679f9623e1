"""Life on the list: data updates, withdrawal, deregistration, succession, offers and housing
(§11, Appendix 3, Art. 73-75).

These acts check their stage themselves: a wrong one names the rule it breaks (not on the
list, no open offer) rather than only the stage.
"""

from __future__ import annotations

from domain.actors import APPLICANT, SIGNATORY, STAFF
from domain.acts import requests as r
from domain.acts.definition import ActDefinition, ListEffect, Scope, Terms
from domain.values import CLOSED, ON_THE_LIST
from domain.values import Status as S  # noqa: N817

OPEN = frozenset(S) - CLOSED

UPDATE_DATA = ActDefinition(
    name="update-data", noun="a data update", basis="§11, Std 8, Appendix 3",
    title="Update, change or supplement the data given earlier (Appendix 3, §11, Std 8).",
    event="DataUpdated", command="update_data", request=r.DataUpdateCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=ON_THE_LIST, leads_to=None,
    checks_stage=False, terms=Terms(opens=("update_due",)), operation="update_data",
    tag="on the list",
)  # fmt: skip
WITHDRAW = ActDefinition(
    name="withdraw", noun="a withdrawal", basis="§3, Art. 73",
    title="Withdraw the application, or leave the list, of the applicant's own will.",
    event="Withdrawn", command="withdraw", request=r.WithdrawalCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=OPEN, leads_to=S.WITHDRAWN,
    checks_stage=False, effect=ListEffect.ENDS, terms=Terms(ends_consideration=True),
    operation="withdraw_application", tag="on the list",
)  # fmt: skip
DEREGISTER = ActDefinition(
    name="deregister", noun="deregistration", basis="Art. 73",
    title="Take the citizen off the list on a ground of Art. 73, signed by the head.",
    event="Deregistered", command="deregister", request=r.DeregistrationCreate,
    roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=ON_THE_LIST, leads_to=S.DEREGISTERED,
    checks_stage=False, effect=ListEffect.ENDS, terms=Terms(ends_consideration=True),
    operation="deregister_citizen", tag="on the list", list_cause_names_ground=True,
)  # fmt: skip
PASS_PLACE = ActDefinition(
    name="pass-place", noun="a succession", basis="Art. 73",
    title="Pass the place, with its priority, to a family member (Art. 73), signed by the head.",
    event="PlacePassedToFamilyMember", command="pass_place_to_family_member",
    request=r.SuccessionCreate, roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=ON_THE_LIST,
    leads_to=None, checks_stage=False, effect=ListEffect.PASSES_PLACE,
    operation="pass_place_to_family_member", tag="on the list",
)  # fmt: skip
OFFER_HOUSING = ActDefinition(
    name="offer-housing", noun="an offer", basis="Art. 74 para 1, Art. 75",
    title="Offer a dwelling to the citizen, in the order of the list (Art. 74 para 1, Art. 75).",
    event="HousingOffered", command="offer_housing", request=r.OfferCreate,
    roles=STAFF, scope=Scope.PROVIDER, from_stages=frozenset({S.REGISTERED}),
    leads_to=S.OFFERED, checks_stage=False, effect=ListEffect.OPENS_OFFER,
    path="/{application_id}/offers", status_code=201, answers="offer_id",
    operation="offer_housing", tag="on the list",
)  # fmt: skip
DECLINE_OFFER = ActDefinition(
    name="decline-offer", noun="declining an offer", basis="Art. 75",
    title="Decline the offer as the applicant, keeping the place on the list (Art. 75).",
    event="OfferDeclined", command="decline_offer", request=r.OfferDeclineCreate,
    roles=APPLICANT, scope=Scope.OWN, from_stages=frozenset({S.OFFERED}), leads_to=S.REGISTERED,
    checks_stage=False, effect=ListEffect.CLOSES_OFFER,
    path="/{application_id}/offers/{offer_id}/decline", target="offer_id",
    operation="decline_offer", tag="on the list",
)  # fmt: skip
PROVIDE_HOUSING = ActDefinition(
    name="provide-housing", noun="provision of housing", basis="Art. 73, Art. 75",
    title="Provide the offered dwelling, signed by the head; the citizen leaves the list "
          "(Art. 73).",
    event="HousingProvided", command="provide_housing", request=r.HousingProvisionCreate,
    roles=SIGNATORY, scope=Scope.PROVIDER, from_stages=frozenset({S.OFFERED}),
    leads_to=S.HOUSED, checks_stage=False, effect=ListEffect.ENDS,
    terms=Terms(ends_consideration=True), path="/{application_id}/offers/{offer_id}/provide",
    target="offer_id", operation="provide_housing", tag="on the list",
)  # fmt: skip
