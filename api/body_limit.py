"""Request bodies over the stated limit (domain.limits.BODY_BYTES) are refused with 413 before
anything parses them.

A pure ASGI middleware around every route: a declared `Content-Length` over the limit is refused
without reading a byte of the body; a body without one (chunked) is read here, counting, and
refused as soon as the count passes the limit, else handed on whole to the application (which
buffers a JSON body whole anyway). No route needs a larger body: documents are attached by their
digest, never inlined.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem
from domain import limits


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:  # the server refuses such framing before us; count instead
                return None
    return None


class BodyLimit:
    """Refuse (413, problem+json) a request whose body is over `limit` bytes."""

    def __init__(self, app: ASGIApp, limit: int = limits.BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None:
            if declared > self.limit:
                await self.refuse(scope, receive, send)
            else:  # the server delivers no more than was declared
                await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        counted = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client went away
                break
            counted += len(message.get("body", b""))
            if counted > self.limit:
                await self.refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, self.replay(messages, receive), send)

    @staticmethod
    def replay(messages: list[Message], receive: Receive) -> Receive:
        """The messages already read, in order, then whatever the client sends next."""
        pending = list(messages)

        async def replayed() -> Message:
            return pending.pop(0) if pending else await receive()

        return replayed

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(
            413,
            "body-too-large",
            "Request body too large",
            f"a request body is at most {self.limit:,} bytes; attach documents by their digest",
            limit=self.limit,
        )
        # The rest of the body is never read: the server closes the connection after answering.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)
