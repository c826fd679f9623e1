from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from domain.calendar import zone
from domain.reference import (
    UnknownReference,
    get_list_kind,
    get_provider,
    list_kinds,
    providers,
)

REPUBLICAN_CITIES = {"astana", "almaty", "shymkent"}
LIST_CODES = {
    "veterans",
    "orphans",
    "large_families",
    "socially_vulnerable",
    "state_employees",
    "emergency_housing",
}


def test_at_least_twenty_providers_with_slug_codes() -> None:
    assert len(providers()) >= 20
    for code, provider in providers().items():
        assert code == provider.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert provider.name.strip()
        assert provider.region.strip()


def test_every_provider_zone_exists_in_tzdata() -> None:
    for provider in providers().values():
        assert zone(provider.tz).key == provider.tz


def test_providers_cover_the_zones_of_kazakhstan() -> None:
    zones = {p.tz for p in providers().values()}
    assert zones >= {
        "Asia/Almaty",
        "Asia/Aqtobe",
        "Asia/Oral",
        "Asia/Qyzylorda",
        "Asia/Qostanay",
        "Asia/Atyrau",
        "Asia/Aqtau",
    }
    assert {p.kind for p in providers().values()} == {
        "republican_city",
        "region",
        "district",
        "regional_town",
    }


def test_all_providers_are_on_utc_plus_5_since_march_2024() -> None:
    for provider in providers().values():
        offset = datetime(2024, 3, 1, 12, tzinfo=UTC).astimezone(zone(provider.tz)).utcoffset()
        assert offset == timedelta(hours=5), provider.code


def test_only_the_republican_cities_require_three_years() -> None:
    for provider in providers().values():
        assert provider.three_year_residence is (provider.code in REPUBLICAN_CITIES)
        assert (provider.kind == "republican_city") is (provider.code in REPUBLICAN_CITIES)


def test_known_provider_zones() -> None:
    assert get_provider("aktobe-town").tz == "Asia/Aqtobe"
    assert get_provider("uralsk-town").tz == "Asia/Oral"
    assert get_provider("kostanay-town").tz == "Asia/Qostanay"
    assert get_provider("astana").tz == "Asia/Almaty"


def test_six_lists_with_unique_codes_and_categories() -> None:
    assert set(list_kinds()) == LIST_CODES
    category_codes: list[str] = []
    for code, kind in list_kinds().items():
        assert code == kind.code
        assert kind.categories, code
        assert kind.basis.startswith("Housing Relations Art. 74 para 2")
        codes = [c.code for c in kind.categories]
        assert len(codes) == len(set(codes)), code
        category_codes.extend(codes)
        for category in kind.categories:
            assert kind.category(category.code) is category
    assert len(category_codes) == len(set(category_codes))


def test_only_state_employees_need_a_workplace_bin() -> None:
    for kind in list_kinds().values():
        assert kind.requires_workplace_bin is (kind.code == "state_employees")


def test_certificate_from_work_for_military_special_bodies_and_elected_office() -> None:
    needing = {
        c.code
        for kind in list_kinds().values()
        for c in kind.categories
        if c.requires_certificate_from_work
    }
    assert needing == {"military", "special_state_bodies", "elected_officials"}


def test_income_test_follows_appendix_1_item_4() -> None:
    vulnerable = get_list_kind("socially_vulnerable")
    assert not vulnerable.category("families_with_disabled_children").income_test
    for code in ("disability_group_1_2", "age_pensioners", "kandas", "single_parent_families"):
        assert vulnerable.category(code).income_test, code
    for list_code in ("veterans", "orphans", "state_employees", "emergency_housing"):
        assert not any(c.income_test for c in get_list_kind(list_code).categories), list_code


def test_socially_vulnerable_categories() -> None:
    codes = {c.code for c in get_list_kind("socially_vulnerable").categories}
    assert codes >= {
        "disability_group_1_2",
        "families_with_disabled_children",
        "severe_chronic_disease",
        "age_pensioners",
        "kandas",
        "disaster_victims",
        "families_of_fallen_on_duty",
        "single_parent_families",
        "large_families_low_income",
    }


def test_unknown_codes_name_what_is_unknown() -> None:
    with pytest.raises(UnknownReference, match="service provider 'atlantis'") as raised:
        get_provider("atlantis")
    assert isinstance(raised.value, KeyError)
    with pytest.raises(UnknownReference, match="list 'pirates'"):
        get_list_kind("pirates")
    with pytest.raises(UnknownReference, match="category of the list 'orphans'"):
        get_list_kind("orphans").category("age_pensioners")


def test_reference_data_is_loaded_once_and_read_only() -> None:
    assert providers() is providers()
    assert list_kinds() is list_kinds()
    with pytest.raises(TypeError):
        providers()["x"] = get_provider("astana")  # type: ignore[index]
