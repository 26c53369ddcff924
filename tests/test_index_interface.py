"""Everything callers use is declared by ``SearchIndex`` and behaves alike on both backends:
``ids``, ``status``, ``reindex``, ``outbox_target`` (issue #9; the query parity suite is
``test_index_parity.py``)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from duluan.index.base import SearchIndex
from duluan.index.sqlite import SqliteIndex
from duluan.records import Article, Classification
from es_support import make_es_index


def _a(i: int, title: str = "Tin Hải Phòng") -> Article:
    return Article(id=f"ix{i}", url=f"https://example.vn/ix{i}", source="baohaiphong", source_kind="domestic",
                   language="vi", title=title, body=f"Bài {i} về Hải Phòng.",
                   published=datetime(2025, 7, i, tzinfo=timezone.utc),
                   classification=Classification(provinces=["hai-phong"]))


@pytest.fixture(params=["sqlite", "elasticsearch"])
def index(request, tmp_path):
    if request.param == "sqlite":
        idx: SearchIndex = SqliteIndex(tmp_path / "search.db")
    else:
        idx = make_es_index(request.getfixturevalue("es_url"), prefix=f"iface-{uuid.uuid4().hex[:6]}")
    yield idx
    if request.param == "elasticsearch":
        idx.drop()
    idx.close()


def test_ids_status_and_reindex(index):
    assert index.upsert([_a(1), _a(2), _a(3)]) == 3
    assert index.ids() == {"ix1", "ix2", "ix3"}
    state = index.status()
    assert state["backend"] == index.name and state["documents"] == 3
    done = index.reindex(iter([_a(2, "Đà Nẵng"), _a(4)]))
    assert done["written"] == 2
    assert index.ids() == {"ix2", "ix4"} and index.status()["documents"] == 2
    assert [h.id for h in index.search("da nang").hits] == ["ix2"]


def test_outbox_target_names_one_index(index, tmp_path):
    assert isinstance(index.outbox_target, str) and 0 < len(index.outbox_target) <= 40
    assert index.outbox_target.startswith(index.name if index.name == "sqlite" else "es:")
