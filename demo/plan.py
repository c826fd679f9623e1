"""The district plan: who files where, to which list, on which path, and when housing is
offered. Everything is drawn from the one seeded source of chance, in a fixed order, so that a
seed always gives the same district."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from itertools import accumulate

from demo.cases import Case
from demo.district import (
    BELOW_NORM_SHARE,
    FIRST_OFFER,
    LAST_OFFER,
    LIST_WEIGHTS,
    OFFER_SHARE,
    OTHER_LIST_WEIGHT,
    PROVIDERS,
    SPECIAL_PATHS,
    STARTS_INCOMPLETE,
    Route,
)
from demo.moments import next_working_day, office_moment
from demo.offers import OfferRound
from demo.paths import plan_path
from demo.script import Setting
from demo.synthetic import household_form
from domain.calendar import start_of_day
from domain.reference import get_provider, list_kinds


def plan_cases(setting: Setting, applications: int) -> list[Case]:
    """Draw every application of the district and plan all of its acts."""
    rng = setting.rng
    paths: list[Route] = []
    for path, share, least in SPECIAL_PATHS:
        paths += [path] * max(least, round(share * applications))
    paths = paths[:applications]
    paths += [Route.REGISTERED] * (applications - len(paths))
    rng.shuffle(paths)
    codes = [code for code in list_kinds() if code in LIST_WEIGHTS] + [
        code for code in list_kinds() if code not in LIST_WEIGHTS
    ]
    weights = [LIST_WEIGHTS.get(code, OTHER_LIST_WEIGHT) for code in codes]
    shares = list(accumulate(p[1] for p in PROVIDERS))
    cumulative = list(accumulate(weights))
    cases: list[Case] = []
    for serial, path in enumerate(paths, start=1):
        provider, _, settlement, region = rng.choices(PROVIDERS, cum_weights=shares)[0]
        list_code = rng.choices(codes, cum_weights=cumulative)[0]
        case = new_case(setting, serial, path, provider, settlement, region, list_code)
        plan_path(setting, case)
        cases.append(case)
        setting.result.paths[path] += 1
    return cases


def new_case(
    setting: Setting,
    serial: int,
    path: Route,
    provider: str,
    settlement: str,
    region: str,
    list_code: str,
) -> Case:
    """A household's case on `path` (its form drawn from the setting's generator)."""
    rng = setting.rng
    needs_spouse = path is Route.SUCCESSION
    form = household_form(
        rng,
        setting.iins,
        list_code=list_code,
        family_size=rng.randint(1, 4) if needs_spouse else None,
        with_spouse=True if needs_spouse else None,
        accepts_smaller=rng.random() < 0.85,
        settlement=settlement,
        region=region,
        missing_documents=rng.choice((1, 1, 2)) if path in STARTS_INCOMPLETE else 0,
    )
    return Case(
        serial=serial,
        route=path,
        provider=provider,
        tz=get_provider(provider).tz,
        settlement=settlement,
        form=form,
        holder_iin=form.applicant_iin,
        family=list(form.family),
    )


def plan_offer_rounds(setting: Setting, cases: list[Case]) -> list[tuple[datetime, OfferRound]]:
    """Offer rounds spread over the years, to the lists in proportion to their applications."""
    rng = setting.rng
    lists = Counter((case.provider, case.form.list_code) for case in cases)
    where = list(lists)
    cumulative = list(accumulate(lists[w] for w in where))
    rounds: list[tuple[datetime, OfferRound]] = []
    for _ in range(max(4, round(OFFER_SHARE * len(cases)))):
        provider, list_code = rng.choices(where, cum_weights=cumulative)[0]
        tz = get_provider(provider).tz
        day = next_working_day(
            date.fromordinal(rng.randint(FIRST_OFFER.toordinal(), LAST_OFFER.toordinal()))
        )
        at = office_moment(rng, day, tz, start_of_day(day, tz))
        below = rng.random() < BELOW_NORM_SHARE
        rounds.append((at, OfferRound(provider, list_code, below)))
    return rounds
