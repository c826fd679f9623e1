"""The pages' route class: a refusal is a page, not problem+json. No session: to /signin;
a role or scope that does not allow it, or a form without its CSRF token: 403; an unknown
list or case: 404. Each says why, in the visitor's language, and nothing was written."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute

from api.auth import Forbidden, NotAuthenticated
from api.pages import i18n
from api.pages.rendering import ENVIRONMENT, HEADERS
from api.pages.sessions import CsrfRefused
from api.problems import NotFound
from domain.errors import ApplicationNotFound
from domain.names import LANGUAGES

REFUSALS = (NotAuthenticated, Forbidden, CsrfRefused, NotFound, ApplicationNotFound)


def refused(request: Request, error: Exception) -> Response:
    if isinstance(error, NotAuthenticated):
        response: Response = RedirectResponse("/signin", status_code=303)
    else:
        lang, _ = i18n.chosen(request)
        status = 404 if isinstance(error, NotFound | ApplicationNotFound) else 403
        html = ENVIRONMENT.get_template("refused.html").render(
            _=i18n.translations(lang).gettext,
            lang=lang,
            languages=LANGUAGES,
            principal=None,
            path=request.url.path,
            status=status,
            reason=str(error),
        )
        response = HTMLResponse(html, status_code=status)
    response.headers.update(HEADERS)
    return response


class PageRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except REFUSALS as error:
                return refused(request, error)

        return handle
