"""The FastAPI application: context, session middleware, security headers, error pages.

    create_app(WebConfig) ─▶ FastAPI
        middleware: security headers on every answer; the session read once per request and
                    the user looked up again (a disabled account is out at once)
        /login /logout /static /public/…  open
        every other page                  a session, else a redirect to /login
        /api/…                            a session, else 401 JSON
        every POST, PUT, PATCH, DELETE    the session's CSRF token (form field or X-CSRF-Token), else 403
"""

from __future__ import annotations

import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from duluan.cache import SqliteDataVersion, UntilChanged
from duluan.cases.policy import Actor
from duluan.config import Config
from duluan.errors import DuluanError, NotFound, PermissionDenied
from duluan.index.base import SearchIndex
from duluan.store import Database

from . import render
from .security import COOKIE, HEADERS, Session, Sessions, Throttle, csrf_ok

HERE = Path(__file__).resolve().parent
OPEN_PREFIXES = ("/login", "/static/", "/public/", "/healthz", "/favicon.ico")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
log = structlog.get_logger("duluan.web")


@dataclass
class WebConfig:
    config: Config
    db: Database
    index: SearchIndex
    secret: str
    https: bool = False  # Secure cookies when served behind HTTPS
    throttle: Throttle = field(default_factory=Throttle)
    actors: dict = field(default_factory=dict)  # user name → (Actor | None, expiry)
    reads: UntilChanged | None = None  # read models kept until the record changes (an SQLite record)


ACTOR_TTL = 2.0  # seconds a looked-up user is trusted: a disabled account is out within this


def _actor(ctx: WebConfig, session: Session | None) -> Actor | None:
    from duluan.cases.users import acting_user

    if session is None:
        return None
    now = time.monotonic()
    hit = ctx.actors.get(session.user)
    if hit is not None and hit[1] > now:
        return hit[0]
    try:
        actor: Actor | None = acting_user(ctx.db, session.user)
    except PermissionDenied:
        actor = None
    if actor is not None and actor.disabled:
        actor = None
    ctx.actors[session.user] = (actor, now + ACTOR_TTL)
    return actor


def warm_index(index: SearchIndex) -> threading.Thread:
    """Warm the search index on a thread of its own (the app answers meanwhile; a search that
    comes first waits for the same load). A failure is logged, and the first search tries again."""
    def run() -> None:
        started = time.perf_counter()
        try:
            index.warm()
        except DuluanError as e:
            log.error("search_index_warm_failed", error=str(e),
                      hint="lần tìm kiếm đầu sẽ nạp lại / the first search loads it again")
            return
        log.info("search_index_warm", seconds=round(time.perf_counter() - started, 2))

    thread = threading.Thread(target=run, daemon=True, name="duluan-index-warm")
    thread.start()
    return thread


def create_app(ctx: WebConfig) -> FastAPI:
    path = ctx.db.sqlite_path
    if ctx.reads is None and path and path != ":memory:":
        # PostgreSQL has no cheap "anything changed?" probe: its pages are read each time
        ctx.reads = UntilChanged(SqliteDataVersion(path))
    @asynccontextmanager
    async def lifespan(app: FastAPI):  # noqa: ANN202
        app.state.warming = warm_index(ctx.index)
        yield

    app = FastAPI(title="duluan", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.ctx = ctx
    app.state.sessions = Sessions(ctx.secret)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(quote=quote, t=render.t)  # a function, not a macro: cheaper on 50-row pages
    templates.env.auto_reload = False  # templates are package files: no stat() of each one per page
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next):
        started = time.perf_counter()
        path = request.url.path
        if path.startswith(("/static/", "/healthz", "/favicon.ico")):  # nothing private: no session work
            response = await call_next(request)
            for k, v in HEADERS.items():
                response.headers.setdefault(k, v)
            return response
        session = app.state.sessions.read(request.cookies.get(COOKIE))
        actor = _actor(ctx, session)
        request.state.session = session if actor else None
        request.state.actor = actor
        is_api = path.startswith("/api/") or path == "/api"
        if not path.startswith(OPEN_PREFIXES) and actor is None:
            if is_api:
                response: Response = JSONResponse({"error": "cần đăng nhập / login required"}, status_code=401)
            else:
                response = RedirectResponse(f"/login?next={quote(path)}", status_code=303)
        elif request.method not in SAFE_METHODS and path != "/login" and not await _csrf_valid(request):
            response = JSONResponse({"error": "thiếu hoặc sai mã CSRF / missing or wrong CSRF token"},
                                    status_code=403) if is_api or _wants_json(request) else HTMLResponse(
                "<h1>403</h1><p>Thiếu hoặc sai mã CSRF / missing or wrong CSRF token.</p>", status_code=403)
        else:
            try:
                response = await call_next(request)
            except Exception:  # noqa: BLE001 — one page failing must answer 500, not drop the connection
                log.exception("http_error", method=request.method, path=path)
                response = JSONResponse({"error": "lỗi máy chủ / server error"}, status_code=500) if is_api \
                    else HTMLResponse("<h1>500</h1><p>Lỗi máy chủ / server error.</p>", status_code=500)
        for k, v in HEADERS.items():
            response.headers.setdefault(k, v)
        if path.startswith(("/api/", "/login", "/articles", "/cases")):
            response.headers.setdefault("Cache-Control", "no-store")
        log.info("http", method=request.method, path=path, status=response.status_code,
                 user=actor.name if actor else None, ms=round((time.perf_counter() - started) * 1000, 1))
        return response

    async def _csrf_valid(request: Request) -> bool:
        token = request.headers.get("x-csrf-token")
        if token is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            token = form.get("csrf_token")  # type: ignore[assignment]
            request.state.form = form
        return csrf_ok(request.state.session, token if isinstance(token, str) else None)

    @app.exception_handler(PermissionDenied)
    async def _denied(request: Request, exc: PermissionDenied):
        return _error(request, 403, str(exc))

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound):
        return _error(request, 404, str(exc))

    @app.exception_handler(DuluanError)
    async def _refused(request: Request, exc: DuluanError):
        return _error(request, 400, str(exc))

    def _error(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/") or _wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        session = getattr(request.state, "session", None)
        return templates.TemplateResponse(request, "error.html", {
            "status": status, "message": message, "actor": getattr(request.state, "actor", None),
            "csrf": session.csrf if session else "", "lang": "en" if request.cookies.get("lang") == "en" else "vi",
            "path": request.url.path}, status_code=status)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True}

    from . import api, pages

    app.include_router(pages.router)
    app.include_router(api.router)
    return app


def from_environment() -> FastAPI:
    """The app of one ``duluan serve --workers N`` process, from what the command put in the environment."""
    import math
    import os

    from duluan.config import load_config
    from duluan.index.factory import open_index
    from duluan.store.db import open_record

    cfg = load_config(None)  # DULUAN_CONFIG_DIR when the command was given --config
    database = open_record(None, cfg.settings.database_url)  # DULUAN_DB, set by the command
    workers = max(1, int(os.environ.get("DULUAN_WEB_WORKERS", "1")))
    # Each worker counts failed logins on its own: split the limit so that all of them together allow
    # at most five attempts, plus one per extra worker, in the window.
    throttle = Throttle(limit=max(1, math.ceil(Throttle.LIMIT / workers)))
    return create_app(WebConfig(config=cfg, db=database, index=open_index(database, cfg.settings, None),
                                secret=os.environ["DULUAN_SECRET_KEY"], https=os.environ.get("DULUAN_WEB_HTTPS") == "1",
                                throttle=throttle))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") and "text/html" not in request.headers.get(
        "accept", "")

