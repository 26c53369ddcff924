"""``duluan config check``."""

from __future__ import annotations

from duluan.config.options import ConfigOpt

from .loader import load_config


def check(config: ConfigOpt = None) -> None:
    """Kiểm tra cấu hình / validate the configuration files."""
    cfg = load_config(config)
    print(f"OK: {len(cfg.provinces.monitored)} tỉnh theo dõi / monitored provinces, "
          f"{len(cfg.sources.sources)} nguồn / sources, {len(cfg.agencies.agencies)} cơ quan / agencies, "
          f"{len(cfg.routing.routes)} chủ đề / topics, {len(cfg.alerts.rules)} quy tắc cảnh báo / alert rules")
