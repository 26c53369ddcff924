"""Published clarifications without login: a page per language with ClaimReview JSON-LD, an Atom
feed, and the same as static files (issue #12, publishing)."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import httpx

from conftest import run_json
from web_support import login, web_site  # noqa: F401

ATOM = "{http://www.w3.org/2005/Atom}"


def _ld(html: str) -> list[dict]:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert m, "the page carries JSON-LD"
    return json.loads(m.group(1))


def _published_case(site) -> int:
    ana, police, boss = (login(site, u) for u in ("ana", "police", "boss"))
    article = site.flagged[2]
    cid = ana.post("/api/cases", json={"article_id": article}).json()["case_id"]
    ana.post(f"/api/cases/{cid}/route", json={"agency": "cong-an"})
    stranger = httpx.Client(base_url=site.url)
    assert stranger.get(f"/public/clarifications/{cid}").status_code == 404  # not public before publication
    police.post(f"/api/cases/{cid}/draft", json={"lang": "vi", "claims": [
        {"text": "Hàng trăm người chết nhưng bị giấu", "facts": "Có 2 người tử vong, đã được công bố ngày 12/8."}]})
    boss.post(f"/api/cases/{cid}/approve", json={})
    assert boss.post(f"/api/cases/{cid}/publish", json={}).json()["status"] == "published"
    return cid


def test_public_pages_feed_and_static_site(web_site, tmp_path):
    cid = _published_case(web_site)
    stranger = httpx.Client(base_url=web_site.url, follow_redirects=False)
    vi = stranger.get(f"/public/clarifications/{cid}")
    assert vi.status_code == 200
    (review,) = _ld(vi.text)
    assert review["@type"] == "ClaimReview" and review["inLanguage"] == "vi"
    assert review["claimReviewed"] == "Hàng trăm người chết nhưng bị giấu"
    assert review["reviewRating"]["alternateName"] == "Sai sự thật"
    assert review["author"]["name"] == "Công an tỉnh" and review["datePublished"]
    assert review["itemReviewed"]["@type"] == "Claim" and review["itemReviewed"]["firstAppearance"]["url"]
    assert review["workTranslation"]["url"].endswith(f"/public/clarifications/{cid}?lang=en")
    en = stranger.get(f"/public/clarifications/{cid}", params={"lang": "en"})
    (review_en,) = _ld(en.text)
    assert review_en["inLanguage"] == "en" and review_en["reviewRating"]["alternateName"] == "False"
    assert review_en["translationOfWork"]["url"].endswith(f"/public/clarifications/{cid}")

    feed = stranger.get("/public/clarifications.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert any(e.find(f"{ATOM}id").text.endswith(f"/public/clarifications/{cid}") for e in entries)

    built = run_json("site", "build", "--db", web_site.db, "--out", str(tmp_path / "site"))
    assert cid in built["cases"]
    static = (tmp_path / "site" / "public" / "clarifications" / f"{cid}.html").read_text("utf-8")
    assert _ld(static) == _ld(vi.text)  # the same page as served
    assert (tmp_path / "site" / "public" / "clarifications.atom").read_bytes().startswith(b"<?xml")
