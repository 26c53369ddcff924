"""``duluan alerts …``: deliver what is queued, show what is not delivered yet."""

from __future__ import annotations

import json

from duluan.config import load_config
from duluan.config.options import ConfigOpt, DbOpt, JsonOpt


def _db(cfg, db: str | None):
    from duluan.store.db import open_record

    return open_record(db, cfg.settings.database_url)


def deliver(db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Gửi các cảnh báo đang chờ / send pending alerts (email, webhook)."""
    from .dispatch import deliver as run_deliver

    cfg = load_config(config)
    counts = run_deliver(_db(cfg, db), cfg, force=True)
    if json_out:
        print(json.dumps(counts))
    else:
        print(f"Đã gửi / sent {counts['sent']}, lỗi / failed {counts['failed']}")


def status(db: DbOpt = None, json_out: JsonOpt = False, config: ConfigOpt = None) -> None:
    """Cảnh báo chưa gửi được / alerts not yet delivered, with their last error."""
    from .dispatch import undelivered

    cfg = load_config(config)
    items = undelivered(_db(cfg, db))
    if json_out:
        print(json.dumps({"pending": items}, ensure_ascii=False))
        return
    for i in items:
        print(f"{i['id']} {i['rule']} → {i['channel']} ×{i['attempts']}: {i['last_error'] or 'chưa gửi / not sent yet'}")
    print(f"{len(items)} cảnh báo chờ / pending")
