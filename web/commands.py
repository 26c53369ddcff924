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
    config: ConfigOpt = None,
) -> None:
    """Chạy ứng dụng web / serve the web app (login, queue, search, cases, dashboard)."""
    import uvicorn

    from duluan.index.factory import open_index
    from duluan.store.db import open_database, resolve_url

    from .app import WebConfig, create_app
    from .security import load_secret

    cfg = load_config(config)
    database = open_database(resolve_url(db, cfg.settings.database_url))
    index = open_index(database, cfg.settings, es)
    key_path = secret_file or Path(os.environ.get("DULUAN_SECRET_FILE", "duluan-data/web-secret"))
    secret = os.environ.get("DULUAN_SECRET_KEY") or load_secret(key_path)
    app = create_app(WebConfig(config=cfg, db=database, index=index, secret=secret, https=https))
    print(f"duluan: http://{host}:{port}/  (Ctrl+C để dừng / to stop)", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
