"""``duluan serve``: the web app on the record (SQLite or PostgreSQL) with the scheduler beside it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from duluan.config import load_config
from duluan.config.options import ConfigOpt, DbOpt, EsOpt


def serve(
    db: DbOpt = None,
    es: EsOpt = None,
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    secret_file: Annotated[Path | None, typer.Option("--secret-file", help="session signing key (created if missing)")] = None,
    https: Annotated[bool, typer.Option("--https", help="behind HTTPS: Secure cookies")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="processes serving requests (one per core)")] = 1,
    config: ConfigOpt = None,
) -> None:
    """Chạy ứng dụng web / serve the web app (login, queue, search, cases, dashboard)."""
    import uvicorn

    from duluan.index.factory import open_index
    from duluan.store.db import open_record

    from .app import WebConfig, create_app
    from .security import load_secret

    cfg = load_config(config)
    database = open_record(db, cfg.settings.database_url)
    index = open_index(database, cfg.settings, es)
    key_path = secret_file or Path(os.environ.get("DULUAN_SECRET_FILE", "duluan-data/web-secret"))
    secret = os.environ.get("DULUAN_SECRET_KEY") or load_secret(key_path)
    print(f"duluan: http://{host}:{port}/  (Ctrl+C để dừng / to stop)", flush=True)
    if workers > 1:
        # Python runs one request at a time per process: one process per core. Each worker opens the
        # record and the index again from what the environment now names (checked above, in this process).
        database.close()
        index.close()
        os.environ.update({"DULUAN_DB": database.url, "DULUAN_SECRET_KEY": secret, "DULUAN_WEB_WORKERS": str(workers),
                           "DULUAN_WEB_HTTPS": "1" if https else "0",
                           **({"DULUAN_ES": es} if es else {}),
                           **({"DULUAN_CONFIG_DIR": str(config)} if config else {})})
        uvicorn.run("duluan.web.app:from_environment", factory=True, workers=workers, host=host, port=port,
                    log_level="warning", access_log=False)
        return
    app = create_app(WebConfig(config=cfg, db=database, index=index, secret=secret, https=https))
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


DEMO_USERS = (("demo", "analyst", None), ("demo-lanhdao", "approver", None), ("demo-congan", "agency", "cong-an"),
              ("demo-admin", "admin", None))


def _demo_logins(db, cfg, data_dir: Path) -> str:
    """Demo users with one generated password, kept in the data dir (shown to whoever runs the demo)."""
    import secrets

    from duluan.cases.users import add_user, list_users

    path = data_dir / "demo-password"
    if path.exists():
        password = path.read_text().strip()
    else:
        password = "demo-" + secrets.token_urlsafe(9)
        path.touch(mode=0o600)
        path.write_text(password)
    have = {u["name"] for u in list_users(db)}
    for name, role, agency in DEMO_USERS:
        if name not in have:
            add_user(db, cfg, name, role, password, agency_id=agency)
    return password


def demo(
    once: Annotated[bool, typer.Option("--once", help="run one cycle and exit")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    data_dir: Annotated[Path, typer.Option("--data-dir", help="where the demo database lives")] = Path("duluan-data/demo"),
    mirror: Annotated[Path | None, typer.Option("--mirror", help="offline press mirror folder")] = None,
    port: Annotated[int, typer.Option("--port", help="port of the mirror server (0: any free)")] = 0,
    web_port: Annotated[int, typer.Option("--web-port", help="port of the web app")] = 8000,
) -> None:
    """Bản sao báo chí ngoại tuyến → thu thập, phân loại, lập chỉ mục, rồi mở ứng dụng web / crawl the offline mirror, then serve the web app."""
    import threading

    import uvicorn

    from duluan.pipeline.commands import demo_cycle, print_demo
    from duluan.pipeline.run import schedule

    from .app import WebConfig, create_app
    from .security import load_secret

    run = demo_cycle(data_dir, mirror, port)
    try:
        print_demo(run.result, json_out)
        if once:
            return
        password = _demo_logins(run.db, run.config, data_dir)
        app = create_app(WebConfig(config=run.config, db=run.db, index=run.index,
                                   secret=load_secret(data_dir / "web-secret")))
        # The scheduler crawls beside the web app, as in production.
        threading.Thread(target=schedule, args=(run.config, run.db, run.index, run.sources), daemon=True,
                         name="duluan-scheduler").start()
        print(f"\nMở / open: http://127.0.0.1:{web_port}/\n"
              f"Đăng nhập / log in: demo (chuyên viên / analyst), demo-lanhdao (phê duyệt / approver), "
              f"demo-congan (Công an tỉnh), demo-admin — mật khẩu / password: {password}\n"
              f"Bản sao báo chí / press mirror: {run.server.url}/ — Ctrl+C để dừng / to stop", flush=True)
        uvicorn.run(app, host="127.0.0.1", port=web_port, log_level="warning", access_log=False)
    finally:
        run.server.stop()


def site_build(
    out: Annotated[Path, typer.Option("--out", help="folder for the static pages and feed")],
    db: DbOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Xuất các thông cáo đã công bố thành trang tĩnh / write the published clarifications as static files."""
    import json

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from duluan.store.db import open_record

    from . import render
    from .app import HERE
    from .public import build_site

    cfg = load_config(config)
    database = open_record(db, cfg.settings.database_url)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]))
    env.globals["t"] = render.t
    print(json.dumps(build_site(database, cfg, env, out, cfg.settings.web_base_url), ensure_ascii=False))
