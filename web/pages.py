"""The HTML pages: login, triage queue, article, search and export, cases, dashboard, sources, admin."""

from __future__ import annotations

import csv
import io
import json
import secrets
from datetime import datetime
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from duluan.cases import policy, triage, workflow
from duluan.cases.policy import Actor
from duluan.cases.users import add_user, list_users, verify_password
from duluan.errors import CaseError, NotFound, PermissionDenied, QueryError
from duluan.store import articles as store
from duluan.store.crawlstate import open_errors, source_health
from duluan.store.db import utcnow

from . import queries, render
from .security import COOKIE

router = APIRouter()
LOGIN_CSRF = "duluan_login_csrf"
READERS = ("analyst", "approver", "admin")  # who reads the queue, search, dashboard and sources
ERRORS = (CaseError,)


def _ctx(request: Request):
    return request.app.state.ctx


def _page(request: Request, name: str, code: int = 200, **data) -> HTMLResponse:
    lang = "en" if request.cookies.get("lang") == "en" else "vi"
    session = request.state.session
    data |= {"actor": request.state.actor, "csrf": session.csrf if session else "", "lang": lang,
             "now": utcnow(), "path": request.url.path}
    return request.app.state.templates.TemplateResponse(request, name, data, status_code=code)


def _require_reader(actor: Actor) -> None:
    if actor.role not in READERS:
        raise PermissionDenied(f"{actor.name} ({actor.role}) không xem được trang này / cannot open this page: "
                               "chỉ xem hồ sơ của mình / only your own cases")


async def _form(request: Request):
    return getattr(request.state, "form", None) or await request.form()


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/queue"
    return target


# -- login ----------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = "/queue", error: str = ""):
    # Keep a token already issued: a second tab (or a stray request redirected here) must not
    # invalidate the form the user is filling in.
    token = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(32)
    response = _page(request, "login.html", next=_safe_next(next), error=error, login_csrf=token)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="lax", secure=_ctx(request).https, max_age=3600)
    return response


@router.post("/login")
async def login(request: Request):
    ctx = _ctx(request)
    form = await request.form()
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    token, expected = str(form.get("csrf_token", "")), request.cookies.get(LOGIN_CSRF, "")
    target = _safe_next(str(form.get("next", "")))
    if not expected or not secrets.compare_digest(token, expected):
        return HTMLResponse("<h1>403</h1><p>Thiếu hoặc sai mã CSRF / missing or wrong CSRF token.</p>", status_code=403)
    address = request.client.host if request.client else "?"
    wait = ctx.throttle.retry_after(username, address)
    if wait:
        response = _page(request, "login.html", code=429, next=target, login_csrf=expected,
                         error=f"Quá nhiều lần sai, thử lại sau {wait} giây / too many failed attempts, "
                               f"try again in {wait} s")
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        actor = verify_password(ctx.db, username, password)
    except PermissionDenied as e:
        ctx.throttle.failed(username, address)
        return _page(request, "login.html", code=401, next=target, login_csrf=expected, error=str(e))
    ctx.throttle.succeeded(username, address)
    cookie, _ = request.app.state.sessions.issue(actor.name)
    response = RedirectResponse(target if actor.role in READERS or not target.startswith("/queue") else "/cases",
                                status_code=303)
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="lax", secure=ctx.https,
                        max_age=request.app.state.sessions.max_age)
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
def logout():
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str):
    response = RedirectResponse(_safe_next(request.headers.get("referer") and urlsplit(
        request.headers["referer"]).path or "/queue"), status_code=303)
    response.set_cookie("lang", "en" if lang == "en" else "vi", samesite="lax", max_age=365 * 86400)
    return response


@router.get("/")
def home(request: Request):
    return RedirectResponse("/queue" if request.state.actor.role in READERS else "/cases", status_code=303)


# -- triage queue -------------------------------------------------------------------------


@router.get("/queue")
def queue_page(request: Request, province: str = "", kind: str = "", topic: str = "", status: str = "open",
               page: int = 1):
    actor = request.state.actor
    _require_reader(actor)
    ctx = _ctx(request)
    known = {p.id for p in ctx.config.provinces.profiles} | {p.id for p in ctx.config.provinces.map}
    f = queries.Filters(province=province if province in known else None, kind=kind or None, topic=topic or None,
                        status=status)
    size = 50
    offset = (max(page, 1) - 1) * size
    read = lambda: queries.queue(ctx.db, f, limit=size, offset=offset)  # noqa: E731
    total, rows = ctx.reads.get(("queue", repr(f), offset), read) if ctx.reads else read()
    return _page(request, "queue.html", rows=rows, total=total, filters=f, page=max(page, 1), size=size,
                 provinces=sorted(p.id for p in ctx.config.provinces.profiles),
                 topics=sorted(r.topic for r in ctx.config.routing.routes))


@router.post("/queue/bulk")
async def queue_bulk(request: Request):
    actor = request.state.actor
    ctx = _ctx(request)
    form = await _form(request)
    ids = [str(i) for i in form.getlist("ids")]
    action = str(form.get("action", ""))
    reason = str(form.get("reason", "")).strip()
    if not ids:
        raise CaseError("chưa chọn bài nào / select at least one item (x)")
    done = 0
    for article_id in ids:
        if action in ("confirm", "dismiss"):
            triage.decide(ctx.db, ctx.config, actor, article_id, action,
                          reason or ("xác nhận hàng loạt / bulk confirm" if action == "confirm" else ""))
        elif action == "open":
            workflow.open_case(ctx.db, ctx.config, actor, article_id)
        else:
            raise CaseError(f"thao tác không có / unknown action {action!r}")
        done += 1
    back = _safe_next(str(form.get("back", "/queue")))
    return RedirectResponse(back, status_code=303)


# -- article ------------------------------------------------------------------------------


def _may_read_article(ctx, actor: Actor, article_id: str) -> None:
    if actor.role in READERS:
        return
    case = queries.case_of_article(ctx.db, article_id)
    why = policy.read_fence(actor, case.agency_id, case.topic, ctx.config) if case else "không có hồ sơ / no case"
    if why:
        raise NotFound(f"không có bài / no article {article_id}")  # do not confirm it exists


def article_view(ctx, actor: Actor, article_id: str) -> dict:
    _may_read_article(ctx, actor, article_id)
    a = store.get_article(ctx.db, article_id)
    if a is None:
        raise NotFound(f"không có bài / no article {article_id}")
    c = a.classification
    title_spans, body_spans = [], []
    offset = len(a.title) + 2  # release-0.1 evidence indexes title + "\n\n" + body
    for e in c.evidence:
        field = getattr(e, "field", None)
        if field == "title":
            title_spans.append((e.start, e.end, e.signal, e.explanation))
        elif field == "body":
            body_spans.append((e.start, e.end, e.signal, e.explanation))
        elif e.start < len(a.title):
            title_spans.append((e.start, e.end, e.signal, e.explanation))
        else:
            body_spans.append((e.start - offset, e.end - offset, e.signal, e.explanation))
    decision = triage.effective(ctx.db, [a.id]).get(a.id)
    case = queries.case_of_article(ctx.db, a.id)
    suggestion = None
    try:
        suggestion = workflow.auto_agency(ctx.config, c.topic)
    except CaseError:
        pass
    return {"a": a, "c": c, "title_segments": render.segments(a.title, title_spans),
            "body_segments": render.segments(a.body, body_spans), "decision": decision, "case": case,
            "snapshots": queries.snapshots(ctx.db, a.id), "copies": queries.cluster(ctx.db, a.cluster_id, a.id),
            "suggestion": suggestion,
            "agency_name": ctx.config.agencies.current(suggestion, utcnow().date()).name if suggestion else None}


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str):
    ctx = _ctx(request)
    data = article_view(ctx, request.state.actor, article_id)
    return _page(request, "article.html", **data,
                 topics=sorted(r.topic for r in ctx.config.routing.routes),
                 provinces=sorted(p.id for p in ctx.config.provinces.profiles))


@router.post("/articles/{article_id}/triage")
async def article_triage(request: Request, article_id: str):
    ctx = _ctx(request)
    form = await _form(request)
    triage.decide(ctx.db, ctx.config, request.state.actor, article_id, str(form.get("decision", "")),
                  str(form.get("reason", "")), topic=str(form.get("topic") or "") or None,
                  province=str(form.get("province") or "") or None)
    return RedirectResponse(f"/articles/{quote(article_id)}", status_code=303)


@router.post("/articles/{article_id}/case")
def article_open_case(request: Request, article_id: str):
    ctx = _ctx(request)
    case = workflow.open_case(ctx.db, ctx.config, request.state.actor, article_id)
    return RedirectResponse(f"/cases/{case['id']}", status_code=303)


# -- search ---------------------------------------------------------------------------------


def _search_all(index, q: str, cap: int = 1_000_000):
    """Every hit of ``q``, page by page (exports are complete, not the first page)."""
    offset, size = 0, 500
    while offset < cap:
        result = index.search(q, limit=size, offset=offset)
        yield from result.hits
        offset += size
        if offset >= result.total or not result.hits:
            return


@router.get("/search")
def search_page(request: Request, q: str = "", page: int = 1):
    _require_reader(request.state.actor)
    ctx = _ctx(request)
    size, result, facets, error = 20, None, {}, None
    if q.strip():
        try:
            result = ctx.index.search(q, limit=size, offset=(max(page, 1) - 1) * size)
            try:
                facets = ctx.index.facets(q)
            except (NotImplementedError, AttributeError):
                facets = {}
        except QueryError as e:
            error = str(e)
    return _page(request, "search.html", q=q, result=result, facets=facets, error=error, page=max(page, 1),
                 size=size)


@router.get("/search/export.{fmt}")
def search_export(request: Request, fmt: str, q: str = ""):
    _require_reader(request.state.actor)
    ctx = _ctx(request)
    if fmt not in ("csv", "jsonl"):
        raise NotFound("định dạng / format: csv | jsonl")
    hits = _search_all(ctx.index, q or "*")
    stamp = datetime.now().strftime("%Y%m%d-%H%M")

    def lines():
        if fmt == "jsonl":
            for h in hits:
                yield json.dumps(h.to_dict(), ensure_ascii=False) + "\n"
            return
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["id", "title", "source", "published", "url", "snippet"])
        for h in hits:
            w.writerow([h.id, h.title, h.source, h.published or "", h.url, h.snippet])
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
    return StreamingResponse(lines(), media_type=media, headers={
        "Content-Disposition": f'attachment; filename="duluan-search-{stamp}.{fmt}"'})


# -- cases ------------------------------------------------------------------------------------


@router.get("/cases")
def cases_page(request: Request, status: str = ""):
    ctx = _ctx(request)
    cases = workflow.list_cases(ctx.db, ctx.config, request.state.actor, status or None)
    return _page(request, "cases.html", cases=cases, status_filter=status, states=workflow.STATES)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int):
    ctx = _ctx(request)
    actor = request.state.actor
    case = workflow.show(ctx.db, ctx.config, actor, case_id)
    may = {a for a in ("route", "draft", "approve", "return", "publish", "close")
           if actor.role in policy.ALLOWED[a] and case["status"] in workflow.TRANSITIONS[a][0]}
    agencies = [(a.id, a.name) for a in ctx.config.agencies.agencies
                if ctx.config.agencies.current(a.id, utcnow().date()).id == a.id]
    return _page(request, "case.html", case=case, may=may, agencies=agencies,
                 state_names=workflow.STATE_NAMES)


@router.post("/cases/{case_id}/{action}")
async def case_action(request: Request, case_id: int, action: str):
    ctx = _ctx(request)
    actor = request.state.actor
    form = await _form(request)
    if action == "route":
        agency = str(form.get("agency") or "")
        workflow.route(ctx.db, ctx.config, actor, case_id, agency=agency or None, auto=not agency)
    elif action == "draft":
        from duluan.cases.notices import Claim

        claims = [Claim(text=t.strip(), facts=f.strip()) for t, f in zip(form.getlist("claim"), form.getlist("facts"))
                  if str(t).strip()]
        workflow.draft(ctx.db, ctx.config, actor, case_id, lang=str(form.get("lang", "vi")), claims=claims or None)
    elif action == "approve":
        workflow.approve(ctx.db, ctx.config, actor, case_id)
    elif action == "return":
        workflow.return_(ctx.db, ctx.config, actor, case_id, str(form.get("comment", "")))
    elif action == "publish":
        workflow.publish(ctx.db, ctx.config, actor, case_id)
    elif action == "close":
        workflow.close(ctx.db, ctx.config, actor, case_id, str(form.get("comment", "")) or None)
    elif action == "claim":
        workflow.add_claim(ctx.db, ctx.config, actor, case_id, text=str(form.get("text", "")))
    elif action == "appearance":
        workflow.decide_appearance(ctx.db, ctx.config, actor, case_id, str(form.get("article_id", "")),
                                   str(form.get("decision")) == "confirm")
    else:
        raise NotFound(f"thao tác không có / no action {action!r}")
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}/notice.docx")
def case_notice(request: Request, case_id: int):
    ctx = _ctx(request)
    data = workflow.notice_bytes(ctx.db, ctx.config, request.state.actor, case_id)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f'attachment; filename="thong-cao-{case_id}.docx"'})


# -- dashboard, sources, admin ------------------------------------------------------------------


@router.get("/dashboard")
def dashboard_page(request: Request):
    _require_reader(request.state.actor)
    ctx = _ctx(request)
    d = queries.dashboard(ctx.db)
    names = {p.id: p.name for p in [*ctx.config.provinces.map, *ctx.config.provinces.profiles]}
    # "An ninh, tuyên truyền chống phá, tội phạm" → "An ninh": the chart's row label, the full one on hover
    topic_names = {r.topic: r.label.split(",")[0] for r in ctx.config.routing.routes if r.label}
    agency_names = {a.id: a.name for a in ctx.config.agencies.agencies}
    charts = {
        "coverage": render.line_chart(d["months"], "Số bài theo tháng / articles per month"),
        "sentiment": render.stacked_bars([(names.get(p, p), v) for p, v in d["sentiment"]],
                                         [("negative", "tiêu cực / negative"), ("neutral", "trung tính / neutral"),
                                          ("positive", "tích cực / positive")],
                                         "Sắc thái theo tỉnh / sentiment by province"),
        "sources": render.bar_chart(d["sources"], "Nguồn nhiều bài nhất / top sources"),
        "topics": render.bar_chart([(topic_names.get(t, t), n) for t, n in d["topics"]], "Chủ đề / topics", color=render.PALETTE[2]),
        "cases": render.stacked_bars([(agency_names.get(a, a), v) for a, v in d["cases"]], [("overdue", "quá hạn / overdue"), ("open", "đang xử lý / open"),
                                                  ("done", "xong / done")],
                                     "Hồ sơ theo cơ quan / cases by agency"),
    }
    return _page(request, "dashboard.html", d=d, charts=charts)


@router.get("/sources")
def sources_page(request: Request):
    _require_reader(request.state.actor)
    ctx = _ctx(request)
    sources = ctx.config.sources.sources
    health = source_health(ctx.db, [s.id for s in sources])
    now = utcnow()
    quiet = {h.source for h in health if h.last_run is None or
             (now - h.last_run).total_seconds() > 3 * 60 * next(s.interval_minutes for s in sources
                                                                 if s.id == h.source)}
    return _page(request, "sources.html", health=health, quiet=quiet, errors=open_errors(ctx.db)[:100],
                 names={s.id: s.name for s in sources})


@router.get("/admin")
def admin_page(request: Request, error: str = ""):
    actor = request.state.actor
    policy.require(actor, "users")
    ctx = _ctx(request)
    return _page(request, "admin.html", users=list_users(ctx.db), sources=ctx.config.sources.sources,
                 agencies=ctx.config.agencies.agencies, rules=ctx.config.alerts.rules,
                 channels=ctx.config.alerts.channels, roles=policy.ROLES, error=error)


@router.post("/admin/users")
async def admin_add_user(request: Request):
    actor = request.state.actor
    policy.require(actor, "users")
    ctx = _ctx(request)
    form = await _form(request)
    add_user(ctx.db, ctx.config, str(form.get("name", "")), str(form.get("role", "")), str(form.get("password", "")),
             agency_id=str(form.get("agency") or "") or None, email=str(form.get("email") or "") or None)
    return RedirectResponse("/admin", status_code=303)


# -- public: published clarifications, no login -------------------------------------------------


@router.get("/public/clarifications.atom")
def public_feed(request: Request):
    from .public import atom_feed, published_cases

    ctx = _ctx(request)
    body = atom_feed(published_cases(ctx.db, ctx.config), ctx.config.settings.web_base_url)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/public/clarifications/{case_id}")
def public_clarification(request: Request, case_id: int, lang: str = "vi"):
    from .public import published_cases, render_page

    ctx = _ctx(request)
    items = published_cases(ctx.db, ctx.config, case_id)
    if not items:
        raise NotFound(f"không có thông cáo / no published clarification {case_id}")
    html = render_page(request.app.state.templates.env, items[0], "en" if lang == "en" else "vi",
                       ctx.config.settings.web_base_url)
    return HTMLResponse(html)
