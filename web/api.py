"""The JSON API under ``/api``: the pages' rules (session, role and agency, CSRF on writes) in JSON."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from duluan.cases import policy, triage, workflow
from duluan.errors import CaseError, NotFound, QueryError

from .pages import READERS, _require_reader, article_view

router = APIRouter(prefix="/api")


def _ctx(request: Request):
    return request.app.state.ctx


@router.get("/search")
def api_search(request: Request, q: str = "", limit: int = 20, offset: int = 0):
    _require_reader(request.state.actor)
    try:
        result = _ctx(request).index.search(q or "*", limit=max(1, min(limit, 500)), offset=max(offset, 0))
    except QueryError as e:
        return JSONResponse({"error": str(e)}, status_code=400)
    return result.to_dict()


@router.get("/articles/{article_id}")
def api_article(request: Request, article_id: str):
    v = article_view(_ctx(request), request.state.actor, article_id)
    out = v["a"].to_dict()
    out |= {"decision": v["decision"], "case": v["case"].id if v["case"] else None,
            "snapshots": [{**s, "fetched_at": s["fetched_at"].isoformat() if s["fetched_at"] else None}
                          for s in v["snapshots"]],
            "cluster": [{**c, "published": c["published"].isoformat() if c["published"] else None}
                        for c in v["copies"]],
            "routing_suggestion": v["suggestion"]}
    return out


@router.post("/articles/{article_id}/triage")
async def api_triage(request: Request, article_id: str):
    ctx = _ctx(request)
    body = await _json(request)
    return triage.decide(ctx.db, ctx.config, request.state.actor, article_id, str(body.get("decision", "")),
                         str(body.get("reason", "")), topic=body.get("topic"), province=body.get("province"))


@router.get("/cases")
def api_cases(request: Request, status: str | None = None):
    ctx = _ctx(request)
    return workflow.list_cases(ctx.db, ctx.config, request.state.actor, status)


@router.post("/cases", status_code=201)
async def api_open_case(request: Request):
    ctx = _ctx(request)
    body = await _json(request)
    if not isinstance(body.get("article_id"), str):
        raise CaseError('cần {"article_id": …} / body must be {"article_id": "…"}')
    case = workflow.open_case(ctx.db, ctx.config, request.state.actor, body["article_id"])
    return {"case_id": case["id"], **case}


@router.get("/cases/{case_id}")
def api_case(request: Request, case_id: int):
    ctx = _ctx(request)
    return workflow.show(ctx.db, ctx.config, request.state.actor, case_id)


@router.post("/cases/{case_id}/{action}")
async def api_case_action(request: Request, case_id: int, action: str):
    ctx = _ctx(request)
    actor = request.state.actor
    body = await _json(request)
    if action == "route":
        return workflow.route(ctx.db, ctx.config, actor, case_id, agency=body.get("agency"),
                              auto=not body.get("agency"))
    if action == "draft":
        from duluan.cases.notices import Claim

        claims = [Claim(text=str(c.get("text", "")), facts=str(c.get("facts", ""))) for c in body.get("claims", [])
                  if isinstance(c, dict) and str(c.get("text", "")).strip()]
        _docx, case = workflow.draft(ctx.db, ctx.config, actor, case_id, lang=str(body.get("lang", "vi")),
                                     claims=claims or None)
        return case
    if action == "approve":
        return workflow.approve(ctx.db, ctx.config, actor, case_id)
    if action == "return":
        return workflow.return_(ctx.db, ctx.config, actor, case_id, str(body.get("comment", "")))
    if action == "publish":
        return workflow.publish(ctx.db, ctx.config, actor, case_id)
    if action == "close":
        return workflow.close(ctx.db, ctx.config, actor, case_id, body.get("comment"))
    if action == "claim":
        return workflow.add_claim(ctx.db, ctx.config, actor, case_id, text=body.get("text"), start=body.get("start"),
                                  end=body.get("end"))
    if action == "appearance":
        return workflow.decide_appearance(ctx.db, ctx.config, actor, case_id, str(body.get("article_id", "")),
                                          bool(body.get("confirm")))
    raise NotFound(f"thao tác không có / no action {action!r}")


@router.get("/openapi.json")
def api_schema(request: Request):
    policy.require(request.state.actor, "users")  # OpenAPI docs for signed-in admins
    return request.app.openapi()


@router.get("/me")
def api_me(request: Request):
    a = request.state.actor
    return {**asdict(a), "reader": a.role in READERS}


async def _json(request: Request) -> dict:
    try:
        body = await request.json()
    except ValueError:
        raise CaseError("thân yêu cầu phải là JSON / the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise CaseError("thân yêu cầu phải là JSON / the body must be a JSON object")
    return body
