"""Configuration files load, and a bad file names the file, the line and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from duluan.config import load_config, load_model
from duluan.config.loader import CONFIG_DIR
from duluan.config.models import ProvincesConfig, SourcesConfig
from duluan.errors import ConfigError


def test_bundled_config_monitors_the_five_merged_provinces():
    cfg = load_config()
    assert cfg.provinces.monitored == ["hai-phong", "hung-yen", "vinh-long", "bac-ninh", "dak-lak"]
    absorbed = {p.id: [a.name for a in p.absorbed] for p in cfg.provinces.profiles}
    assert absorbed["hai-phong"] == ["Hải Dương"]
    assert absorbed["hung-yen"] == ["Thái Bình"]
    assert absorbed["vinh-long"] == ["Bến Tre", "Trà Vinh"]
    assert absorbed["bac-ninh"] == ["Bắc Giang"]
    assert absorbed["dak-lak"] == ["Phú Yên"]
    assert len(cfg.provinces.map) == 34


def test_agencies_follow_2025_mergers():
    from datetime import date

    cfg = load_config()
    assert cfg.agencies.current("so-khdt", date(2025, 8, 1)).id == "so-tai-chinh"
    assert cfg.agencies.current("so-khdt", date(2024, 8, 1)).id == "so-khdt"
    assert cfg.agencies.current("so-tttt", date(2026, 1, 1)).id == "so-vhttdl"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_wrong_value_names_file_line_and_fix(tmp_path):
    p = _write(tmp_path, "sources.yaml", """sources:
  - id: a
    name: A
    kind: domestic
    feeds: [http://a.example/rss]
  - id: b
    name: B
    kind: abroad
    feeds: [http://b.example/rss]
""")
    with pytest.raises(ConfigError) as e:
        load_model(p, SourcesConfig)
    msg = str(e.value)
    assert str(p) in msg and e.value.line == 8
    assert "kind" in msg and "abroad" in msg
    assert "fix" in msg


def test_unknown_key_is_refused_with_its_line(tmp_path):
    p = _write(tmp_path, "sources.yaml", "sources:\n  - id: a\n    name: A\n    kind: domestic\n    feeds: [x]\n    rate_limt: 2\n")
    with pytest.raises(ConfigError) as e:
        load_model(p, SourcesConfig)
    assert e.value.line == 6 and "rate_limt" in str(e.value)


def test_yaml_syntax_error_names_line(tmp_path):
    p = _write(tmp_path, "provinces.yaml", "monitored: [hai-phong\nprofiles: []\n")
    with pytest.raises(ConfigError) as e:
        load_model(p, ProvincesConfig)
    assert e.value.line is not None and "YAML" in str(e.value)


def test_missing_env_variable_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_SUCH_MIRROR", raising=False)
    p = _write(tmp_path, "sources.yaml", "sources:\n  - id: a\n    name: A\n    kind: domestic\n    feeds: ['${NO_SUCH_MIRROR}/rss']\n")
    with pytest.raises(ConfigError) as e:
        load_model(p, SourcesConfig)
    assert "NO_SUCH_MIRROR" in str(e.value) and e.value.line == 5


def test_source_without_entry_point_is_refused(tmp_path):
    p = _write(tmp_path, "sources.yaml", "sources:\n  - id: a\n    name: A\n    kind: domestic\n")
    with pytest.raises(ConfigError, match="feeds, sitemaps or sections"):
        load_model(p, SourcesConfig)


def test_routing_to_unknown_agency_fails_at_load(tmp_path):
    d = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, d, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    routing = d / "routing.yaml"
    routing.write_text(routing.read_text(encoding="utf-8").replace("lead: [cong-an]", "lead: [so-khong-co]", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="so-khong-co"):
        load_config(d)


def test_duplicate_key_is_refused(tmp_path):
    p = _write(tmp_path, "sources.yaml", "sources: []\nsources: []\n")
    with pytest.raises(ConfigError) as e:
        load_model(p, SourcesConfig)
    assert e.value.line == 2


def _provinces(tmp_path, monitored: str) -> Path:
    text = (CONFIG_DIR / "provinces.yaml").read_text(encoding="utf-8")
    start = text.index("monitored:")
    end = text.index("\n", start)
    return _write(tmp_path, "provinces.yaml", text[:start] + f"monitored: [{monitored}]" + text[end:])


def test_any_of_the_34_units_can_be_monitored_without_a_profile(tmp_path):
    cfg = load_model(_provinces(tmp_path, "quang-tri, hai-phong"), ProvincesConfig)
    qt = cfg.profile("quang-tri")
    assert qt.name == "Quảng Trị" and qt.aliases == ["Quang Tri"]
    assert [(f.name, f.aliases) for f in qt.absorbed] == [("Quảng Bình", ["Quang Binh"])]
    assert cfg.profile("hai-phong").places  # a written profile is kept as it is


def test_monitoring_an_unknown_unit_names_the_known_ones(tmp_path):
    with pytest.raises(ConfigError) as e:
        load_model(_provinces(tmp_path, "quang-tri, atlantis"), ProvincesConfig)
    assert "atlantis" in str(e.value) and "quang-tri" in str(e.value) and str(tmp_path) in str(e.value)
