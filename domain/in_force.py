"""A value in force while one act is recorded: the request's Idempotency-Key (domain.idempotency),
the server's moment and the reason for backdating (domain.clock). A context variable, set for a
block, so that threads and tasks serving other requests never see it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Generic, TypeVar

T = TypeVar("T")


class InForce(Generic[T]):
    def __init__(self, name: str) -> None:
        self._var: ContextVar[T | None] = ContextVar(name, default=None)

    @contextmanager
    def during(self, value: T | None) -> Iterator[None]:
        """`value` is in force within the block, and what was before it after."""
        token = self._var.set(value)
        try:
            yield
        finally:
            self._var.reset(token)

    def get(self) -> T | None:
        return self._var.get()
