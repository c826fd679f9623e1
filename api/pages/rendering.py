"""What every page shares: the Jinja2 templates, the visitor's language, session and CSRF
token, and an HTML answer with the cookies and headers that go with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from api.auth import Forbidden, NotAuthenticated, Principal
from api.deps import ServicesDep
from api.pages import i18n, sessions
from api.pages.i18n import Writer
from api.services import Services
from domain.names import LANGUAGES, Language
from domain.reference import get_provider
from domain.values import Role

DEFAULT_TZ: Final = "Asia/Almaty"  # a page with no provider of its own (both zones of KZ: +5)
ENVIRONMENT: Final = Environment(
    loader=PackageLoader("api.pages", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
# The pages load nothing from elsewhere and run no script but their own.
HEADERS: Final = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self';"
    " script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass
class Visit:
    """One request of a page: who (if signed in), in which language, with which CSRF token."""

    request: Request
    services: Services
    lang: Language
    remember_lang: bool
    session: sessions.Session | None
    sid: str | None
    visitor: str
    new_visitor: bool
    extra_cookies: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def principal(self) -> Principal | None:
        return None if self.session is None else self.session.principal

    @property
    def csrf(self) -> str:
        return sessions.csrf_token(self.session, self.visitor)

    def gettext(self, message: str) -> str:
        return i18n.translations(self.lang).gettext(message)

    def writer(self, provider: str | None = None) -> Writer:
        tz = get_provider(provider).tz if provider else DEFAULT_TZ
        return Writer(self.lang, tz)

    def require(self, *roles: Role) -> Principal:
        """The signed-in principal, if of one of `roles` (no session: sign in first)."""
        principal = self.principal
        if principal is None:
            raise NotAuthenticated("sign in first")
        principal.require(*roles)
        return principal

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        html = ENVIRONMENT.get_template(template).render(
            _=self.gettext,
            lang=self.lang,
            languages=LANGUAGES,
            principal=self.principal,
            csrf=self.csrf,
            path=self.request.url.path,
            write=self.writer(context.pop("provider_tz", None)),
            **context,
        )
        return self.finish(HTMLResponse(html, status_code=status))

    def redirect(self, to: str) -> Response:
        return self.finish(RedirectResponse(to, status_code=303))

    def finish(self, response: Response) -> Response:
        response.headers.update(HEADERS)
        if self.remember_lang:
            sessions.set_cookie(self.request, response, i18n.LANG_COOKIE, self.lang, 365 * 86400)
        if self.new_visitor:
            sessions.set_cookie(
                self.request, response, sessions.ANONYMOUS_COOKIE, self.visitor, 86400
            )
        for name, value, seconds in self.extra_cookies:
            sessions.set_cookie(self.request, response, name, value, seconds)
        return response


async def get_visit(request: Request, services: ServicesDep) -> Visit:
    lang, remember = i18n.chosen(request)
    sid = request.cookies.get(sessions.SESSION_COOKIE)
    session = None
    if sid:
        session = await run_in_threadpool(sessions.find, services.database, sid)
        if session is not None and session.jti in services.revocations.current.jtis:
            session = None  # the token it came from was revoked
    visitor, new = sessions.visitor_secret(request)
    return Visit(request, services, lang, remember, session, sid, visitor, new)


VisitDep = Annotated[Visit, Depends(get_visit)]


def refusal(visit: Visit, error: Exception) -> Response:
    """A page's 401 (sign in), 403 (not for this role or scope), CSRF refusal."""
    if isinstance(error, NotAuthenticated):
        return visit.redirect("/signin")
    status = 403 if isinstance(error, Forbidden | sessions.CsrfRefused) else 400
    return visit.render("refused.html", status=status, reason=str(error))
