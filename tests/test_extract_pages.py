"""Extraction on the varied page set (issue #14): never worse than bare trafilatura, dates ≥ 97 %.

The pages (``tests/fixtures/pages``, built by its ``build.py``) are fictional stories in many
CMS shapes, VI and EN, 100–250 KB each with the scripts and furniture real pages carry.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import trafilatura

from duluan.config.models import Source
from duluan.errors import ExtractError
from duluan.pipeline.extract import extract
from duluan.records import RawPage

PAGES = Path(__file__).parent / "fixtures" / "pages"
MANIFEST = json.loads((PAGES / "manifest.json").read_text("utf-8"))
MIN_F1 = 0.95  # pinned gate (trafilatura tests/eval_gate.py style); measured 0.999 when written
MIN_DATES = 0.97


def _page(m: dict) -> RawPage:
    url = f"https://bao.example.vn/{m['path'].replace('/', '-')}"
    return RawPage(url=url, final_url=url, status=200, headers={"content-type": "text/html; charset=utf-8"},
                   body=(PAGES / m["path"]).read_bytes(), fetched_at=datetime.fromisoformat(m["fetched_at"]),
                   source_id="pages")


def _source(m: dict) -> Source:
    return Source(id="pages", name="pages", kind="domestic" if m["lang"] == "vi" else "foreign",
                  language=m["lang"], feeds=["https://bao.example.vn/rss.xml"])


def _counts(got: str, gold: str) -> tuple[int, int, int]:
    g, o = Counter(got.split()), Counter(gold.split())
    return sum((g & o).values()), sum(g.values()), sum(o.values())


def _f1(common: int, got: int, gold: int) -> float:
    return 2 * common / (got + gold) if got + gold else 0.0


@pytest.fixture(scope="module")
def results():
    out = []
    for m in MANIFEST:
        page = _page(m)
        try:
            article = extract(page, _source(m))
            body, published = article.body, article.published
        except ExtractError:
            body, published = "", None
        bare = trafilatura.extract(page.body.decode("utf-8"), url=page.final_url) or ""
        out.append((m, body, published, bare))
    return out


def test_the_page_set_is_varied_and_weighs_what_real_pages_weigh():
    assert len(MANIFEST) >= 50
    assert len({m["cms"] for m in MANIFEST}) >= 15
    assert {m["lang"] for m in MANIFEST} == {"vi", "en"}
    sizes = [(PAGES / m["path"]).stat().st_size for m in MANIFEST]
    assert 100_000 <= statistics.median(sizes) <= 250_000 and min(sizes) >= 80_000


def test_pipeline_f1_is_at_least_bare_trafilatura(results):
    pipe, bare = [0, 0, 0], [0, 0, 0]
    lost = []
    for m, body, _, raw in results:
        pipe = [a + b for a, b in zip(pipe, _counts(body, m["gold_body"]))]
        bare = [a + b for a, b in zip(bare, _counts(raw, m["gold_body"]))]
        if not body and raw:
            lost.append(m["path"])
    f_pipe, f_bare = _f1(*pipe), _f1(*bare)
    assert not lost, f"no article text where trafilatura finds some: {lost}"
    assert f_pipe >= f_bare, (f_pipe, f_bare)
    assert f_pipe >= MIN_F1, f_pipe


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_never_much_worse_than_trafilatura_on_any_page(results, lang):
    worse = []
    for m, body, _, raw in results:
        if m["lang"] != lang:
            continue
        a, b = _f1(*_counts(body, m["gold_body"])), _f1(*_counts(raw, m["gold_body"]))
        if a < b - 0.05:
            worse.append((m["path"], round(a, 3), round(b, 3)))
    assert not worse, worse


def test_dates_on_vietnamese_pages(results):
    vi = [(m, published) for m, _, published, _ in results if m["lang"] == "vi"]
    wrong = [(m["path"], m["published"], published and published.isoformat()) for m, published in vi
             if published is None or abs((published - datetime.fromisoformat(m["published"])).total_seconds()) >= 60]
    accuracy = 1 - len(wrong) / len(vi)
    assert accuracy >= MIN_DATES, wrong
