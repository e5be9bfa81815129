"""How a page is answered: a Jinja2 template (autoescaped) with the Chinese catalogue's
`t` and `label`, the menu of what the account's role may open, and the session's CSRF
token for its forms; an htmx request gets the page's fragment alone. Errors on pages are
answered as Chinese pages (the API's problem details stay JSON): a missing or ended
session goes to the login page, anything else says what happened and what to do."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.domain.places import Places
from services.domain.reads import read_kind
from services.domain.roles import ROLE_LABELS, Permission, Principal
from services.entrypoints.web import TEMPLATES_DIR
from services.i18n import has, label, t
from services.i18n.summaries import periods_label, summarise
from services.usecases.compliance.sweep import CHINA
from services.usecases.compliance.workbooks import step_text

P = Permission
NO_STORE = {"Cache-Control": "no-store"}  # pages hold personal data: kept off disks
NOT_PAGES = ("/api/", "/health/", "/metrics", "/static/")

# (catalogue key, address, any of these permissions opens it)
MENU: tuple[tuple[str, str, tuple[Permission, ...]], ...] = (
    ("web.nav.dashboard", "/", (P.SELF,)),
    ("web.nav.ledger", "/ledger", (P.PROBLEMS_READ,)),
    ("web.nav.households", "/households", (P.HOUSEHOLDS_READ,)),
    ("web.nav.audit", "/audit", (P.AUDIT_VERIFY,)),
    ("web.nav.quality", "/quality", (P.REJECTED_READ, P.REJECTED_READ_OWN)),
    ("web.nav.system", "/system", (P.PROJECTIONS_READ,)),
    ("web.nav.national", "/national", (P.NATIONAL_IMPORT,)),
)


def _percent(value: Any) -> str:
    return "" if value is None or value == "" else f"{float(value) * 100:.1f}%"


def _local(value: Any, seconds: bool = False) -> str:
    """A moment in the county's time (UTC+8), to the minute (or the second)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value, CHINA)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def _percent_number(value: Any) -> float | None:
    return None if value is None or value == "" else round(float(value) * 100, 1)


def _place(code: str, places: Places, level: str) -> str:
    return str(getattr(places, level)(code))


def _phase_short(phase: Any) -> str:
    return label("phase", phase).split("：")[0]


def _summary(check: str, stored: str) -> str:
    return summarise(check, stored).text


def _read_what(what: str) -> str:
    """A personal-data read's `what` in Chinese: its kind's label, then what it names."""
    kind, detail = read_kind(what or "")
    return " ".join(x for x in (label("read", kind), detail) if x)


ENV = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.globals.update(t=t, label=label, has=has, P=P)
ENV.filters.update(
    read_what=_read_what,
    percent=_percent,
    local=_local,
    percent_number=_percent_number,
    place=_place,
    phase_short=_phase_short,
    summary=_summary,
    periods=lambda labels: periods_label(labels or ()),
    step_text=lambda text, step, check: step_text(step, text, check),
    q=lambda v: quote(str(v), safe=""),
)


def menu(who: Principal | None) -> list[tuple[str, str]]:
    if who is None:
        return []
    return [(t(key), href) for key, href, needs in MENU if any(who.may(p) for p in needs)]


def csrf_of(request: Request) -> str:
    credential = getattr(request.state, "credential", None) or {}
    return str(credential.get("csrf_token") or "")


def page(
    request: Request,
    template: str,
    who: Principal | None,
    *,
    fragment: str | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page, or (an htmx request, when the page has one) its fragment alone."""
    name = fragment if fragment and request.headers.get("HX-Request") else template
    html = ENV.get_template(name).render(
        request=request,
        who=who,
        role_label=ROLE_LABELS.get(who.role, who.role) if who else "",
        csrf=csrf_of(request),
        menu=menu(who),
        path=request.url.path,
        places=context.pop("places", None) or Places(),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def back_to(path: str, **query: str) -> RedirectResponse:
    """After a form: back to a page of this site (never elsewhere), with a notice."""
    target = path if path.startswith("/") and not path.startswith("//") else "/"
    if query:
        target += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
    return RedirectResponse(target, status_code=303)


Handler = Callable[[Request, Exception], Awaitable[Response]]


def install(app: FastAPI) -> None:
    """Every error handler the API installed answers a page's request with a page."""
    for kind, handler in list(app.exception_handlers.items()):
        app.exception_handlers[kind] = _as_page(handler)


def _as_page(handler: Handler) -> Handler:
    async def handle(request: Request, e: Exception) -> Response:
        response = await handler(request, e)
        path = request.url.path
        if path.startswith(NOT_PAGES) or path == "/openapi.json":
            return response
        body = json.loads(bytes(response.body))
        code = body.get("code", "INTERNAL_ERROR")
        if code in ("AUTH_REQUIRED", "SESSION_ENDED"):
            return RedirectResponse(f"/login?next={quote(path, safe='/')}", status_code=303)
        return page(
            request,
            "error.html",
            getattr(request.state, "principal", None),
            status=response.status_code,
            code=code,
            title=body.get("title", ""),
            http_status=response.status_code,
        )

    return handle
