"""``duluan users|agencies|case|triage|audit|report|feedback …``: the commands of ``cases/``.

Every command names the acting user with ``--as USER`` and asks ``cases/policy.py``
before it reads or changes anything; a refusal is one line on stderr and exit code 2
(``cli.app.main``). Passwords are read from stdin and never echoed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from duluan.config import load_config
from duluan.config.options import ConfigOpt, DbOpt, JsonOpt
from duluan.errors import CaseError

AsOpt = Annotated[Optional[str], typer.Option("--as", help="người dùng thực hiện / the acting user")]
CaseArg = Annotated[int, typer.Argument(help="mã hồ sơ / case id")]


def _ctx(db: str | None, config):
    from duluan.store.db import open_record

    cfg = load_config(config)
    return cfg, open_record(db, cfg.settings.database_url)


def _actor(cfg, database, name: str | None):
    """The ``--as`` user; with ``cases.cli_password`` their password is read from stdin (first line) and checked."""
    from .users import acting_user, verify_password

    if cfg.settings.cases.cli_password and name:
        return verify_password(database, name, sys.stdin.readline().rstrip("\r\n"))
    return acting_user(database, name)


def _print(result, json_out: bool, line: str) -> None:
    if json_out:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        print(line)


def _now(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        raise CaseError(f"thời điểm không hợp lệ / not an ISO time: {value!r}") from None
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


# -- users, agencies ------------------------------------------------------------------


def users_add(
    name: Annotated[str, typer.Argument(help="tên đăng nhập / user name")],
    role: Annotated[str, typer.Option("--role", help="analyst | agency | approver | viewer | admin")],
    agency: Annotated[Optional[str], typer.Option("--agency", help="cơ quan (agency officer, viewer)")] = None,
    email: Annotated[Optional[str], typer.Option("--email", help="địa chỉ nhận nhắc việc / for reminders")] = None,
    topics: Annotated[Optional[str], typer.Option("--topics", help="viewer: extra topics, comma-separated")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="đọc mật khẩu từ stdin / read the "
                                                                          "password from stdin")] = False,
    as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None,
) -> None:
    """Thêm người dùng / add a user (the password is read from stdin, never echoed)."""
    from . import policy
    from .users import add_user

    cfg, database = _ctx(db, config)
    # Without --as the command acts as the server console (whoever can run it holds the database
    # URL anyway, and the first admin has to come from somewhere); with --as only an admin may.
    if as_ is not None:
        policy.require(_actor(cfg, database, as_), "users")
    if not password_stdin:
        raise CaseError("mật khẩu chỉ đọc từ stdin / give --password-stdin and pipe the password in")
    password = sys.stdin.readline().rstrip("\r\n")
    if 0 < len(password) < 8:
        print("Cảnh báo / warning: mật khẩu dưới 8 ký tự là yếu / a password under 8 characters is weak",
              file=sys.stderr)
    user = add_user(database, cfg, name, role, password, agency_id=agency, email=email,
                    topics=[t.strip() for t in topics.split(",") if t.strip()] if topics else None)
    del password
    _print(user, json_out, f"Đã thêm / added {user['name']} ({user['role']}"
                           f"{', ' + user['agency'] if user['agency'] else ''})")


def users_list(as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Danh sách người dùng / list users (admin)."""
    from . import policy
    from .users import list_users

    cfg, database = _ctx(db, config)
    policy.require(_actor(cfg, database, as_), "users")
    users = list_users(database)
    if json_out:
        print(json.dumps(users, ensure_ascii=False))
        return
    for u in users:
        print(f"{u['name']}\t{u['role']}\t{u['agency'] or '—'}\t{'khóa / disabled' if u['disabled'] else ''}")


def _set_disabled(name: str, disabled: bool, as_, db, json_out, config) -> None:
    from . import policy
    from .users import set_disabled

    cfg, database = _ctx(db, config)
    policy.require(_actor(cfg, database, as_), "users")
    user = set_disabled(database, name, disabled)
    _print(user, json_out, f"{user['name']}: {'đã khóa / disabled' if disabled else 'đã mở / enabled'}")


def users_disable(name: Annotated[str, typer.Argument()], as_: AsOpt = None, db: DbOpt = None,
                  json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Khóa người dùng / disable a user (admin): they can do nothing any more."""
    _set_disabled(name, True, as_, db, json_out, config)


def users_enable(name: Annotated[str, typer.Argument()], as_: AsOpt = None, db: DbOpt = None,
                 json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Mở khóa người dùng / enable a user again (admin)."""
    _set_disabled(name, False, as_, db, json_out, config)


def agencies_list(
    json_out: JsonOpt = False, config: ConfigOpt = None,
    db: DbOpt = None, as_: AsOpt = None,  # accepted like every command's; the directory is configuration
    all_: Annotated[bool, typer.Option("--all", help="cả cơ quan đã đổi tên, sáp nhập / include replaced ones")] = False,
    on: Annotated[Optional[str], typer.Option("--on", help="ngày / date (YYYY-MM-DD), default today")] = None,
) -> None:
    """Danh bạ cơ quan với tên hiện hành / the agency directory with current names."""
    cfg = load_config(config)
    day = date.fromisoformat(on) if on else date.today()
    replaces: dict[str, list[str]] = {}
    for a in cfg.agencies.agencies:
        if not a.active(day):
            replaces.setdefault(cfg.agencies.current(a.id, day).id, []).append(a.id)
    items = []
    for a in cfg.agencies.agencies:
        active = a.active(day)
        if not active and not all_:
            continue
        current = cfg.agencies.current(a.id, day)
        items.append({"id": a.id, "name": current.name if not active else a.name, "name_en": a.name_en,
                      "active": active, "current_id": current.id, "symbol": a.symbol, "email": a.email,
                      "valid_from": a.valid_from.isoformat() if a.valid_from else None,
                      "valid_to": a.valid_to.isoformat() if a.valid_to else None,
                      "replaced_by": a.replaced_by, "replaces": replaces.get(a.id, [])})
    if json_out:
        print(json.dumps(items, ensure_ascii=False))
        return
    for i in items:
        print(f"{i['id']}\t{i['name']}\t{i['name_en']}" + ("" if i["active"] else f"\t→ {i['current_id']}"))


# -- cases ----------------------------------------------------------------------------


def case_open(article_id: Annotated[str, typer.Argument(help="mã bài / article id")], as_: AsOpt = None,
              db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Mở hồ sơ từ một bài báo / open a case from an article (analyst)."""
    from .workflow import open_case

    cfg, database = _ctx(db, config)
    case = open_case(database, cfg, _actor(cfg, database, as_), article_id)
    _print({"case_id": case["id"], **case}, json_out,
           f"Hồ sơ / case {case['id']}: {case['status']}, hạn / due {case['due']}")


def case_route(case_id: CaseArg,
               auto: Annotated[bool, typer.Option("--auto", help="theo chủ đề / from the topic")] = False,
               agency: Annotated[Optional[str], typer.Option("--agency", help="cơ quan chọn / chosen agency")] = None,
               as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Chuyển hồ sơ cho cơ quan chủ trì / route a case to its agency (analyst)."""
    from .workflow import route

    from duluan.alerts.dispatch import deliver

    cfg, database = _ctx(db, config)
    case = route(database, cfg, _actor(cfg, database, as_), case_id, agency=agency, auto=auto)
    deliver(database, cfg)  # tell the agency now, as import and crawl deliver what they raised before exiting
    _print({"case_id": case["id"], **case}, json_out,
           f"Hồ sơ / case {case['id']} → {case['agency']} ({case['agency_name']})")


def _evidence(items: list[str]) -> tuple[str, ...]:
    out = []
    for item in items:
        p = Path(item)
        if p.is_file():
            out.append(f"{p.name} (sha256 {hashlib.sha256(p.read_bytes()).hexdigest()[:16]})")
        else:
            out.append(item)
    return tuple(out)


def case_draft(
    case_id: CaseArg,
    out: Annotated[Path, typer.Option("--out", help="tệp .docx / the notice as .docx")],
    lang: Annotated[str, typer.Option("--lang", help="vi | en")] = "vi",
    claim: Annotated[Optional[list[str]], typer.Option("--claim", help="nội dung sai / a claim (repeat)")] = None,
    facts: Annotated[Optional[list[str]], typer.Option("--facts", help="sự thật trả lời claim cùng thứ tự / "
                                                                       "the facts answering each claim")] = None,
    evidence: Annotated[Optional[list[str]], typer.Option("--evidence", help="tài liệu kèm / evidence file or URL")] = None,
    as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None,
) -> None:
    """Soạn thông cáo báo chí / draft the clarification notice (the routed agency)."""
    from .notices import Claim
    from .workflow import draft

    claims = None
    if claim:
        facts = list(facts or [])
        if len(facts) > len(claim):
            raise CaseError("nhiều --facts hơn --claim / more --facts than --claim")
        attached = _evidence(evidence or [])
        claims = [Claim(c, facts[i] if i < len(facts) else "", attached if i == len(claim) - 1 else ())
                  for i, c in enumerate(claim)]
    elif evidence:
        raise CaseError("--evidence cần kèm --claim / --evidence needs a --claim it supports")
    cfg, database = _ctx(db, config)
    data, case = draft(database, cfg, _actor(cfg, database, as_), case_id, lang=lang, claims=claims)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    _print({"case_id": case["id"], **case, "out": str(out)}, json_out,
           f"Hồ sơ / case {case['id']}: {case['status']} — {out}")


def case_approve(case_id: CaseArg, as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False,
                 config: ConfigOpt = None) -> None:
    """Phê duyệt thông cáo / approve the notice (approver)."""
    from .workflow import approve

    cfg, database = _ctx(db, config)
    case = approve(database, cfg, _actor(cfg, database, as_), case_id)
    _print({"case_id": case["id"], **case}, json_out, f"Hồ sơ / case {case['id']}: {case['status']}")


def case_return(case_id: CaseArg,
                comment: Annotated[str, typer.Option("--comment", help="ý kiến / what to change")],
                as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Trả lại bản thảo kèm ý kiến / send the draft back with a comment (approver)."""
    from .workflow import return_

    cfg, database = _ctx(db, config)
    case = return_(database, cfg, _actor(cfg, database, as_), case_id, comment)
    _print({"case_id": case["id"], **case}, json_out, f"Hồ sơ / case {case['id']}: {case['status']}")


def case_publish(case_id: CaseArg, as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False,
                 config: ConfigOpt = None) -> None:
    """Công bố thông cáo đã duyệt / publish the approved notice (analyst, approver)."""
    from .workflow import publish

    cfg, database = _ctx(db, config)
    case = publish(database, cfg, _actor(cfg, database, as_), case_id)
    _print({"case_id": case["id"], **case}, json_out, f"Hồ sơ / case {case['id']}: {case['status']}")


def case_close(case_id: CaseArg,
               comment: Annotated[Optional[str], typer.Option("--comment", help="lý do / why (needed "
                                                                              "before publication)")] = None,
               as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Đóng hồ sơ / close a case (analyst, approver)."""
    from .workflow import close

    cfg, database = _ctx(db, config)
    case = close(database, cfg, _actor(cfg, database, as_), case_id, comment)
    _print({"case_id": case["id"], **case}, json_out, f"Hồ sơ / case {case['id']}: {case['status']}")


def case_show(case_id: CaseArg, as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False,
              config: ConfigOpt = None) -> None:
    """Xem hồ sơ và nhật ký / show a case with its audit trail (the view is audited)."""
    from .workflow import show

    cfg, database = _ctx(db, config)
    case = show(database, cfg, _actor(cfg, database, as_), case_id)
    if json_out:
        print(json.dumps(case, ensure_ascii=False))
        return
    print(f"Hồ sơ / case {case['id']}: {case['status']} — {case['agency_name'] or '—'}, hạn / due {case['due']}")
    print(f"Bài / article: {case['article_detail']['title']} ({case['article_detail']['url']})")
    for e in case["events"]:
        print(f"  {e['seq']:>3} {e['at']} {e['actor']} {e['action']} {e['from'] or ''}→{e['to'] or ''}")


def case_list(status: Annotated[Optional[str], typer.Option("--status", help="open | routed | drafted | approved | "
                                                                             "returned | published | closed")] = None,
              as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Danh sách hồ sơ được xem / the cases the user may read."""
    from .workflow import list_cases

    cfg, database = _ctx(db, config)
    cases = list_cases(database, cfg, _actor(cfg, database, as_), status)
    if json_out:
        print(json.dumps(cases, ensure_ascii=False))
        return
    for c in cases:
        print(f"{c['id']}\t{c['status']}\t{c['agency'] or '—'}\t{c['due']}\t"
              f"{'QUÁ HẠN / OVERDUE' if c['overdue'] else ''}\t{c['article_detail']['title'][:80]}")
    print(f"{len(cases)} hồ sơ / cases")


def case_notice(case_id: CaseArg, out: Annotated[Path, typer.Option("--out")], as_: AsOpt = None,
                db: DbOpt = None, config: ConfigOpt = None) -> None:
    """Tải thông cáo đã lưu / write the stored notice of a case (audited as a view)."""
    from .workflow import notice_bytes

    cfg, database = _ctx(db, config)
    out.write_bytes(notice_bytes(database, cfg, _actor(cfg, database, as_), case_id))
    print(out)


def case_tick(now: Annotated[Optional[str], typer.Option("--now", help="ISO time (tests, catch-up)")] = None,
              deliver: Annotated[bool, typer.Option("--deliver/--no-deliver", help="gửi ngay / send now")] = True,
              db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Nhắc hạn, chuyển lãnh đạo, bản tin ngày, hạn báo cáo / what the scheduler does, once."""
    from .deadlines import tick

    cfg, database = _ctx(db, config)
    result = tick(database, cfg, _now(now), deliver=deliver)
    _print(result, json_out, " ".join(f"{k}={v}" for k, v in result.items()))


def triage(article_id: Annotated[str, typer.Argument(help="mã bài / article id")],
           confirm: Annotated[bool, typer.Option("--confirm", help="xác nhận cờ / confirm the flag")] = False,
           dismiss: Annotated[bool, typer.Option("--dismiss", help="bỏ qua cờ / dismiss the flag")] = False,
           reason: Annotated[str, typer.Option("--reason", help="lý do / why")] = "",
           topic: Annotated[Optional[str], typer.Option("--topic")] = None,
           province: Annotated[Optional[str], typer.Option("--province")] = None,
           agency: Annotated[Optional[str], typer.Option("--agency", help="chuyển cho / route to")] = None,
           as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Xác nhận hoặc bỏ qua một cờ / confirm or dismiss a flag, with overrides (analyst)."""
    from .triage import decide

    if confirm == dismiss:
        raise CaseError("chọn một / give exactly one of --confirm or --dismiss")
    cfg, database = _ctx(db, config)
    d = decide(database, cfg, _actor(cfg, database, as_), article_id, "confirm" if confirm else "dismiss", reason,
               topic, province, agency)
    _print(d, json_out, f"{d['article']}: {d['decision']} ({d['actor']})")


def audit_verify(case: Annotated[Optional[int], typer.Option("--case", help="một hồ sơ / one case")] = None,
                 as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Kiểm tra chuỗi băm nhật ký / verify the hash chain of the audit trail."""
    from . import policy
    from .audit import verify

    cfg, database = _ctx(db, config)
    if as_:  # an operator holding the database URL may verify without a user; a named user needs the right
        policy.require(_actor(cfg, database, as_), "audit")
    result = verify(database, case)
    _print(result, json_out, f"{result['cases']} hồ sơ / cases, {result['events']} sự kiện / events: "
                             f"{'toàn vẹn / intact' if result['ok'] else 'BỊ SỬA / TAMPERED'}")
    if not result["ok"]:
        for p in result["problems"]:
            print(f"hồ sơ / case {p['case']} seq {p['seq']}: {p['problem']}", file=sys.stderr)
        raise typer.Exit(1)


def report(
    from_: Annotated[str, typer.Option("--from", help="từ ngày / from (YYYY-MM-DD)")],
    to: Annotated[str, typer.Option("--to", help="đến ngày / to (YYYY-MM-DD), inclusive")],
    out: Annotated[Path, typer.Option("--out", help="tệp .docx")],
    province: Annotated[Optional[str], typer.Option("--province", help="mã tỉnh / province id")] = None,
    as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None,
) -> None:
    """Báo cáo 6 tháng / năm (.docx) / the 6-monthly or annual report as .docx."""
    from . import policy
    from .reports import build_report

    cfg, database = _ctx(db, config)
    if as_ is not None:
        policy.require(_actor(cfg, database, as_), "report")
    try:
        start, end = date.fromisoformat(from_), date.fromisoformat(to)
    except ValueError as e:
        raise CaseError(f"ngày không hợp lệ / invalid date: {e}") from None
    if end < start:
        raise CaseError("--to trước --from / --to is before --from")
    if province is not None and province not in {p.id for p in cfg.provinces.profiles}:
        raise CaseError(f"tỉnh không theo dõi / not a monitored province: {province!r}")
    data, summary = build_report(database, cfg, start, end, province)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    _print({**summary, "out": str(out)}, json_out, f"{out}: {summary['articles']} bài / articles, "
                                                    f"{summary['cases']} hồ sơ / cases")


def feedback_export(out: Annotated[Path, typer.Option("--out", help="JSONL")], as_: AsOpt = None,
                    db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Xuất quyết định của chuyên viên làm dữ liệu huấn luyện / export triage decisions as labelled JSONL."""
    from . import policy
    from .feedback import export

    cfg, database = _ctx(db, config)
    policy.require(_actor(cfg, database, as_), "feedback")
    n = export(database, out)
    _print({"items": n, "out": str(out)}, json_out, f"{n} mục / items → {out}")


# -- claims, appearances, re-checks (issue #12) ------------------------------------------------


def case_claim(case_id: CaseArg,
               text: Annotated[Optional[str], typer.Option("--text", help="the claim as it reads in the article")] = None,
               start: Annotated[Optional[int], typer.Option("--start", help="or its span: first character")] = None,
               end: Annotated[Optional[int], typer.Option("--end", help="…and the character after the last")] = None,
               as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Thêm nội dung cần làm rõ và tìm nơi đăng lại / add a claim; its other appearances are proposed."""
    from .workflow import add_claim

    cfg, database = _ctx(db, config)
    result = add_claim(database, cfg, _actor(cfg, database, as_), case_id, text, start, end)
    _print(result, json_out, f"Nội dung / claim {result['claim_id']}: {len(result['proposed'])} "
                             "nơi đăng lại đề xuất / appearances proposed")


def case_appearance(case_id: CaseArg, article_id: Annotated[str, typer.Argument(help="mã bài / article id")],
                    confirm: Annotated[bool, typer.Option("--confirm", help="it carries the claim")] = False,
                    reject: Annotated[bool, typer.Option("--reject", help="it does not")] = False,
                    as_: AsOpt = None, db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Xác nhận hoặc bác nơi đăng lại / confirm or reject a proposed appearance (analyst)."""
    from .workflow import decide_appearance

    if confirm == reject:
        raise CaseError("chọn một / give exactly one of --confirm or --reject")
    cfg, database = _ctx(db, config)
    case = decide_appearance(database, cfg, _actor(cfg, database, as_), case_id, article_id, confirm)
    _print(case, json_out, f"{article_id}: {'xác nhận / confirmed' if confirm else 'bác / rejected'}")


def recheck(once: Annotated[bool, typer.Option("--once", help="one pass, then exit (else every interval)")] = False,
            db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Kiểm tra lại nơi đăng tin đã được làm rõ / fetch every confirmed appearance again: unchanged, corrected, removed."""
    import time as _time

    from .recheck import recheck as run

    cfg, database = _ctx(db, config)
    while True:
        result = run(database, cfg, force=once)
        _print(result, json_out, ", ".join(f"{k}: {result[k]}" for k in
                                            ("checked", "unchanged", "corrected", "removed", "unreachable")))
        if once:
            return
        _time.sleep(cfg.settings.spread.recheck_hours * 3600)
