"""Who files where in the national data set, and how the country is cut into shards.

Claims and lists are per (provider, list), so shards that hold disjoint sets of providers never
act on the same aggregate; their IINs come from disjoint serial ranges, so no citizen is drawn
twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from demo.cases import Case
from demo.district import LIST_WEIGHTS, SPECIAL_PATHS, Route
from demo.paths import plan_path
from demo.plan import new_case
from demo.script import Setting
from demo.synthetic import IIN_SERIALS
from domain.reference import providers

BIG_CITIES = {"almaty": 9.0, "astana": 8.0, "shymkent": 5.0}

Provider = tuple[str, float, str, str, str]  # code, weight, settlement, region, tz


def national_providers() -> list[Provider]:
    """(code, weight, settlement, region, tz) of every provider: cities of republican
    significance dominate, the rest follow a Zipf-like tail (rank r weighs 3 / (r + 2))."""
    out: list[Provider] = []
    for rank, (code, p) in enumerate(sorted(providers().items())):
        weight = BIG_CITIES.get(code, 3.0 / (rank % 25 + 2))
        out.append((code, weight, p.region, p.region, p.tz))
    return out


@dataclass(frozen=True)
class Shard:
    """One part of the country: its providers, how many applications it files, from which
    serial on, and the IIN serials its citizens are drawn from."""

    index: int
    count: int
    providers: tuple[Provider, ...]
    first_serial: int
    iin_serials: range


def shards(applications: int, count: int) -> list[Shard]:
    """`count` shards of about equal weight (the heaviest provider first into the lightest
    shard), each filing applications in proportion to its weight."""
    where = national_providers()
    count = max(1, min(count, len(where)))
    groups: list[list[Provider]] = [[] for _ in range(count)]
    for provider in sorted(where, key=lambda p: (-p[1], p[0])):
        lightest = min(range(count), key=lambda i: (sum(p[1] for p in groups[i]), i))
        groups[lightest].append(provider)
    total = sum(p[1] for p in where)
    exact = [applications * sum(p[1] for p in g) / total for g in groups]
    sizes = [int(x) for x in exact]
    by_remainder = sorted(range(count), key=lambda i: (-(exact[i] - sizes[i]), i))
    for i in by_remainder[: applications - sum(sizes)]:
        sizes[i] += 1
    low, high = IIN_SERIALS.start, IIN_SERIALS.stop
    out, first = [], 1
    for i, group in enumerate(groups):
        serials = range(low + (high - low) * i // count, low + (high - low) * (i + 1) // count)
        out.append(Shard(i, sizes[i], tuple(sorted(group)), first, serials))
        first += sizes[i]
    return out


def plan_national(
    setting: Setting, count: int, first_serial: int, where: tuple[Provider, ...]
) -> list[Case]:
    """Like the demo's plan_cases, over the given providers and the six lists."""
    rng = setting.rng
    paths: list[Route] = []
    for path, share, least in SPECIAL_PATHS:
        paths += [path] * max(least if count >= 60 else 0, round(share * count))
    paths = paths[:count]
    paths += [Route.REGISTERED] * (count - len(paths))
    rng.shuffle(paths)
    codes = list(LIST_WEIGHTS)
    list_weights = list(accumulate(LIST_WEIGHTS[c] for c in codes))
    provider_weights = list(accumulate(w[1] for w in where))
    cases = []
    for serial, path in enumerate(paths, start=first_serial):
        code, _, settlement, region, _ = rng.choices(where, cum_weights=provider_weights)[0]
        list_code = rng.choices(codes, cum_weights=list_weights)[0]
        case = new_case(setting, serial, path, code, settlement, region, list_code)
        plan_path(setting, case)
        cases.append(case)
    return cases
