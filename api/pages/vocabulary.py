"""Every message the pages show: those written in the templates and the modules, and those
made from the declarations and the domain's values (act titles and nouns, field labels, the
choices of each enum, stages, kinds of term, events, causes). The catalogues must translate
them all (a test holds them to it); `python -m api.pages.vocabulary` lists the ones missing."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from importlib import resources

from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from api.pages import forms
from api.pages.i18n import DOMAIN, catalogue_path
from domain import acts
from domain.housing_application import HousingApplication
from domain.names import Language
from domain.values import ComplaintBody, ComplaintStatus, ComplaintSubject, DeadlineKind, Status

MODULE_MESSAGES = ("Kezek sign-in code: {code}. It works for {minutes} minutes. Tell no one.",)
# Words the pages take from the views as they are: a term's verdict, a list move, a channel
# and a delivery's state.
VERDICTS = (
    "open", "met", "missed", "lapsed", "void", "joined", "left", "moved",
    "account", "sms", "pending", "delivered", "failed",
)  # fmt: skip


def _humane(value: str) -> str:
    return value.replace("_", " ").capitalize()


def template_messages() -> Iterator[str]:
    folder = resources.files("api.pages").joinpath("templates")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        source = io.BytesIO(item.read_bytes())
        for _line, _function, message, _comments in babel_extract(
            source, ("_",), [], {"trimmed": "false"}
        ):
            if isinstance(message, str):
                yield message


def _controls(found: list[forms.Control]) -> Iterator[str]:
    for control in found:
        yield control.label
        yield from (_humane(o) for o in control.options)
        yield from _controls(control.children)


def made_messages() -> Iterator[str]:
    for act in acts.ALL:
        yield act.title
        yield act.noun
        yield from _controls(forms.controls(act.request))
    events = [
        name
        for name, value in vars(HousingApplication).items()
        if isinstance(value, type) and issubclass(value, HousingApplication.Act)
    ]
    yield from ["Applied", *events]
    for kind in (Status, DeadlineKind, ComplaintStatus, ComplaintSubject, ComplaintBody):
        yield from (_humane(str(member.value)) for member in kind)
    yield from VERDICTS
    yield from MODULE_MESSAGES


def messages() -> list[str]:
    return sorted(set(template_messages()) | set(made_messages()))


def missing(lang: Language) -> list[str]:
    """The messages the language's catalogue does not translate."""
    source = resources.files("api.pages").joinpath(catalogue_path(lang))
    with source.open("rb") as po:
        catalogue = read_po(po, locale=lang, domain=DOMAIN)
    return [m for m in messages() if not (found := catalogue.get(m)) or not found.string]


if __name__ == "__main__":
    for lang in ("kk", "ru"):
        for message in missing(lang):
            sys.stdout.write(f"{lang}\t{message}\n")
