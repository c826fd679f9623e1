"""How dates, enums and pydantic values are written into stored events.

Type names are part of the stored format: never rename one (add a new name instead).
"""

from __future__ import annotations

import inspect
from datetime import date
from enum import Enum
from types import ModuleType
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding
from pydantic import BaseModel

from domain import actors, forms, limits, records, values


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EnumAsValue(Transcoding):
    def __init__(self, enum: type[Enum]) -> None:
        self.type = enum
        self.name = f"enum:{enum.__name__}"

    def encode(self, obj: Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> Enum:
        enum: type[Enum] = self.type
        return enum(data)


class ModelAsDict(Transcoding):
    def __init__(self, model: type[BaseModel]) -> None:
        self.type = model
        self.name = f"model:{model.__name__}"

    def encode(self, obj: BaseModel) -> Any:
        return obj.model_dump(mode="json")

    def decode(self, data: Any) -> BaseModel:
        # As stored: no limit or rule of text added since the event was written applies, and
        # nothing is normalised (domain/limits.py).
        model: type[BaseModel] = self.type
        return model.model_validate(data, context={limits.STORED: True})


def _members(module: ModuleType, base: type) -> list[type]:
    return [
        obj
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, base) and obj is not base and obj.__module__ == module.__name__
    ]


def register_kezek_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    for enum in _members(values, Enum):
        transcoder.register(EnumAsValue(enum))
    for module in (actors, forms, records):
        for model in _members(module, BaseModel):
            transcoder.register(ModelAsDict(model))
