"""An act's form, made from its declaration's request model, and the posted form read back
into that model.

Each field of the request becomes a control by its type: text (a line, or prose in a text
area), a choice of an enum's values, a check box, a number, a day, a moment (in the
provider's zone), a file (a document's SHA-256 is taken from the file itself: the file is not
kept), a group of check boxes for a list of choices, and a fieldset for a nested model or for
each of the first SLOTS items of a list of them (the later ones optional). The act's time
fields are left out: a page records the act now (a paper act dated back goes through the API,
with its reason).
"""

from __future__ import annotations

import hashlib
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Union, get_args, get_origin
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ValidationError
from starlette.datastructures import FormData, UploadFile

from domain.acts.definition import TIME_FIELDS
from domain.calendar import zone as tz_zone
from domain.text import Prose

MAX_DEPTH = 3
# Items a form offers for a list of records (documents, missing items); an act needing more
# goes through the API, whose request limits are the act's own.
SLOTS = 3


@dataclass
class Control:
    name: str  # dotted: complaint.text, documents.0.kind
    label: str
    kind: str  # text, prose, choice, check, number, day, moment, file, choices, group
    required: bool
    options: list[str] = field(default_factory=list)
    children: list[Control] = field(default_factory=list)
    hint: str = ""
    many: bool = False  # a group that stands for one item of a list
    slot: int = 0  # which item, for a group that stands for one

    @property
    def dom_id(self) -> str:
        return "f-" + self.name.replace(".", "-")


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type under Annotated and Optional, and whether None is allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _is_prose(annotation: Any, metadata: list[Any]) -> bool:
    found = list(metadata)
    while get_origin(annotation) in (Annotated, Union, types.UnionType):
        found += list(getattr(annotation, "__metadata__", ()))
        annotation = get_args(annotation)[0]
    return any(isinstance(m, Prose) for m in found)


def label_of(name: str) -> str:
    return name.replace("_", " ").capitalize()


def controls(model: type[BaseModel], prefix: str = "", depth: int = 0) -> list[Control]:
    found: list[Control] = []
    for name, info in model.model_fields.items():
        if not prefix and name in TIME_FIELDS:
            continue
        path = f"{prefix}{name}"
        kind_of, optional = _unwrap(info.annotation)
        required = info.is_required() and not optional
        hint = info.description or ""
        control = Control(path, label_of(name), "text", required, hint=hint)
        origin = get_origin(kind_of)
        if origin in (list, tuple):
            item, _ = _unwrap(get_args(kind_of)[0])
            if isinstance(item, type) and issubclass(item, Enum):
                control.kind, control.options = "choices", [e.value for e in item]
            elif isinstance(item, type) and issubclass(item, BaseModel) and depth < MAX_DEPTH:
                found.extend(_slots(control, item, depth))
                continue
            else:
                control.kind = "lines"
        elif isinstance(kind_of, type) and issubclass(kind_of, BaseModel):
            if depth >= MAX_DEPTH:
                continue
            control.kind, control.children = "group", controls(kind_of, f"{path}.", depth + 1)
        elif isinstance(kind_of, type) and issubclass(kind_of, Enum):
            control.kind, control.options = "choice", [e.value for e in kind_of]
        elif kind_of is bool:
            control.kind = "check"
        elif kind_of is int:
            control.kind = "number"
        elif kind_of is date:
            control.kind = "day"
        elif kind_of is AwareDatetime or kind_of is datetime:
            control.kind = "moment"
        elif name == "sha256":
            control.kind = "file"
        elif _is_prose(info.annotation, info.metadata):
            control.kind = "prose"
        found.append(control)
    return found


def _slots(control: Control, item: type[BaseModel], depth: int) -> list[Control]:
    """One fieldset per item a form offers; only the first can be required."""
    groups = []
    for slot in range(SLOTS):
        children = controls(item, f"{control.name}.{slot}.", depth + 1)
        if slot:
            _relax(children)
        required = control.required and not slot
        groups.append(
            Control(control.name, control.label, "group", required, [], children, control.hint)
        )
        groups[-1].many, groups[-1].slot = True, slot
    return groups


def _relax(found: list[Control]) -> None:
    for control in found:
        control.required = False
        _relax(control.children)


class FormProblem(ValueError):
    """What the posted form lacks, by field: shown beside the fields, nothing written."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


async def _value(control: Control, form: FormData, tz: ZoneInfo) -> Any:
    raw = form.get(control.name)
    if control.kind == "check":
        return raw is not None
    if control.kind == "choices":
        return [v for v in form.getlist(control.name) if isinstance(v, str)]
    if control.kind == "file":
        if isinstance(raw, UploadFile) and raw.filename:
            return hashlib.sha256(await raw.read()).hexdigest()
        return None
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip() if control.kind != "prose" else raw.replace("\r\n", "\n").strip()
    if control.kind == "lines":
        return [line.strip() for line in text.splitlines() if line.strip()]
    if control.kind == "moment":
        try:
            return datetime.fromisoformat(text).replace(tzinfo=tz).isoformat()
        except ValueError:
            return text
    return text


async def read(model: type[BaseModel], fields: list[Control], form: FormData, tz: str) -> BaseModel:
    """The request the form asks for; FormProblem naming each field that does not hold."""
    zone = tz_zone(tz)  # from `tzdata`, never the system's database

    async def collect(found: list[Control]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for control in found:
            key = control.name.rsplit(".", 1)[-1]
            if control.kind == "group":
                inner = await collect(control.children)
                if not inner and not control.required:
                    continue
                if control.many:
                    data.setdefault(key, []).append(inner)
                else:
                    data[key] = inner
            else:
                value = await _value(control, form, zone)
                if value is not None and value != []:
                    data[key] = value
        return data

    data = await collect(fields)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems: dict[str, str] = {}
        for problem in error.errors()[:20]:
            where = ".".join(str(p) for p in problem["loc"]) or "form"
            problems.setdefault(where, problem["msg"])
        raise FormProblem(problems) from None
