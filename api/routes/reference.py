"""`GET /v1/reference`: the reference data a client needs to fill a form or show a list, with
names in Kazakh, Russian and English (domain.reference, domain.names). Public: no token."""

from __future__ import annotations

from fastapi import APIRouter

from api.schemas import Schema
from domain.names import (
    Language,
    category_names,
    document_names,
    list_names,
    provider_names,
)
from domain.reference import list_kinds, providers
from domain.values import DocumentKind

router = APIRouter(tags=["public"])


class CategoryPublic(Schema):
    code: str
    names: dict[Language, str]
    income_test: bool
    requires_certificate_from_work: bool


class ListPublic(Schema):
    code: str
    names: dict[Language, str]
    basis: str
    requires_workplace_bin: bool
    categories: list[CategoryPublic]


class ProviderPublic(Schema):
    code: str
    names: dict[Language, str]
    kind: str
    region: str
    tz: str
    three_year_residence: bool


class DocumentKindPublic(Schema):
    code: str
    names: dict[Language, str]


class ReferencePublic(Schema):
    providers: list[ProviderPublic]
    lists: list[ListPublic]
    document_kinds: list[DocumentKindPublic]


def reference() -> ReferencePublic:
    return ReferencePublic(
        providers=[
            ProviderPublic.copied(p, names=provider_names(p.code)) for p in providers().values()
        ],
        lists=[
            ListPublic.copied(
                kind,
                names=list_names(kind.code),
                categories=[
                    CategoryPublic.copied(c, names=category_names(c.code)) for c in kind.categories
                ],
            )
            for kind in list_kinds().values()
        ],
        document_kinds=[
            DocumentKindPublic(code=d.value, names=document_names(d)) for d in DocumentKind
        ],
    )


@router.get("/v1/reference", response_model=ReferencePublic, openapi_extra={"security": []})
async def read_reference() -> ReferencePublic:
    """Providers, lists with their categories, and document kinds, named in kk, ru and en."""
    return reference()
