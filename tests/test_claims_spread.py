"""One false claim followed across outlets (issue #12 'Done when'): proposed appearances, the public
ClaimReview listing them, and re-checks that see a correction, a deletion and an unchanged copy."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from conftest import DULUAN, REPO, run_cli, run_json

PASSWORD = "mat-khau-that-dai-2025"
CLAIM = "Chính quyền Hải Phòng che giấu 300 người chết trong vụ sập giàn giáo ở Dương Kinh"
FILLER = ("Người dân trong khu vực cho biết họ rất lo lắng và mong muốn được biết sự thật. "
          "Nhiều gia đình đã tìm đến hiện trường để hỏi thăm tin tức người thân. ") * 3


def page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="article:published_time" content="2025-11-02T08:00:00+07:00"></head><body>'
            f"<header><nav><a href='/'>Trang chủ</a></nav></header><article><h1>{title}</h1>{body}</article>"
            f"<footer>© Báo thử</footer></body></html>").encode()


class Outlets:
    """Four outlets on one loopback server; pages can be changed or deleted mid-test."""

    def __init__(self):
        self.pages: dict[str, tuple[int, bytes]] = {}
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if self.path == "/robots.txt":
                    status, data = 200, b"User-agent: *\nAllow: /\n"
                else:
                    status, data = outer.pages.get(self.path, (404, b"<html><body>Not found</body></html>"))
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8" if self.path != "/robots.txt"
                                 else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def outlets():
    o = Outlets()
    yield o
    o.server.shutdown()


def test_a_claim_spreads_is_answered_and_rechecked(tmp_path, outlets):
    items = {
        "first": ("nguon-a", "Hải Phòng che giấu thảm họa giàn giáo?", [f"{CLAIM}, theo một nguồn tin giấu tên.", FILLER]),
        "copy": ("nguon-b", "Tin sốc từ Hải Phòng", [f"Trang này đưa lại: {CLAIM}, theo một nguồn tin giấu tên.", FILLER]),
        "rewrite": ("nguon-c", "Giàn giáo sập ở Dương Kinh",
                    ["Theo một nguồn tin, tại Dương Kinh (Hải Phòng), có tới 300 người đã chết sau vụ sập giàn "
                     "giáo nhưng chính quyền im lặng.", FILLER]),
        "other": ("nguon-d", "Hải Phòng khánh thành cầu mới",
                  ["Sáng nay, Hải Phòng khánh thành cầu mới, hàng nghìn người dân đến dự lễ.", FILLER]),
    }
    lines = []
    for key, (source, title, paras) in items.items():
        path = f"/{source}/{key}.html"
        outlets.pages[path] = (200, page(title, paras))
        lines.append(json.dumps({"url": outlets.base + path, "source": source, "source_kind": "foreign",
                                 "title": title, "body": "\n".join(paras), "published": "2025-11-02T08:00:00"},
                                ensure_ascii=False))
    (tmp_path / "items.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    config = tmp_path / "config"
    shutil.copytree(REPO / "config", config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (config / "sources.yaml").write_text(yaml.safe_dump({"sources": [
        {"id": s, "name": s, "kind": "foreign", "homepage": f"{outlets.base}/{s}/", "allow_private": True,
         "sections": [f"{outlets.base}/{s}/"],
         "rate_limit_per_sec": 50} for s, _, _ in items.values()]}, allow_unicode=True), "utf-8")
    db = f"sqlite:///{tmp_path / 'duluan.db'}"
    c = ["--db", db, "--config", str(config)]
    run_json("import", str(tmp_path / "items.jsonl"), *c, "--json")
    for name, role, agency in (("ana", "analyst", None), ("police", "agency", "cong-an"), ("boss", "approver", None)):
        args = [*DULUAN, "users", "add", name, "--role", role, "--password-stdin", *c] + (["--agency", agency] if agency else [])
        assert subprocess.run(args, input=PASSWORD + "\n", text=True, capture_output=True, cwd=REPO).returncode == 0
    ids = {json.loads(l)["url"].rsplit("/", 1)[1].split(".")[0]: json.loads(l)["id"]
           for l in run_cli("export", "--db", db).stdout.splitlines()}

    case = run_json("case", "open", ids["first"], "--as", "ana", *c, "--json")["case_id"]
    claimed = run_json("case", "claim", str(case), "--text", CLAIM, "--as", "ana", *c, "--json")
    links = {p["article_id"]: p["link"] for p in claimed["proposed"]}
    assert set(links) == {ids["copy"], ids["rewrite"]}  # proposed: the copy and the rewrite, not the other story
    assert links[ids["copy"]] == "confirmed"
    (claim,) = claimed["case"]["claims"]
    assert claim["text"] == CLAIM and claim["field"] == "body" and claim["start"] == 0 and claim["end"] == len(CLAIM)
    assert claim["appearances"][0] == {**claim["appearances"][0], "article_id": ids["first"], "link": "confirmed"}
    if links[ids["rewrite"]] == "suggested":
        run_json("case", "appearance", str(case), ids["rewrite"], "--confirm", "--as", "ana", *c, "--json")
    proc = subprocess.run([*DULUAN, "case", "appearance", str(case), ids["other"], "--confirm", "--as", "ana", *c],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1  # never proposed: refused

    run_json("case", "route", str(case), "--agency", "cong-an", "--as", "ana", *c, "--json")
    subprocess.run([*DULUAN, "case", "draft", str(case), "--as", "police", "--out", str(tmp_path / "n.docx"), *c],
                   check=True, capture_output=True, cwd=REPO)
    run_json("case", "approve", str(case), "--as", "boss", *c, "--json")
    run_json("case", "publish", str(case), "--as", "boss", *c, "--json")

    run_json("site", "build", *c, "--out", str(tmp_path / "site"))
    html = (tmp_path / "site" / "public" / "clarifications" / f"{case}.html").read_text("utf-8")
    (review,) = json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))
    urls = {a["url"] for a in review["itemReviewed"]["appearance"]}
    assert review["claimReviewed"] == CLAIM
    assert {outlets.base + "/nguon-b/copy.html", outlets.base + "/nguon-c/rewrite.html"} <= urls
    assert outlets.base + "/nguon-d/other.html" not in urls

    # The first outlet corrects its story, the second deletes its copy, the third keeps it.
    outlets.pages["/nguon-a/first.html"] = (200, page("Hải Phòng: vụ sập giàn giáo ở Dương Kinh", [
        "Đính chính: vụ sập giàn giáo ở Dương Kinh làm 2 người tử vong, theo công bố của cơ quan chức năng.", FILLER]))
    del outlets.pages["/nguon-b/copy.html"]
    result = run_json("recheck", "--once", *c, "--json")
    status = {o["article_id"]: o["status"] for o in result["outcomes"]}
    assert status == {ids["first"]: "corrected", ids["copy"]: "removed", ids["rewrite"]: "unchanged"}
    shown = run_json("case", "show", str(case), "--as", "ana", *c, "--json")
    apps = {a["article_id"]: a for a in shown["claims"][0]["appearances"]}
    assert apps[ids["first"]]["status"] == "corrected" and "2 người tử vong" in apps[ids["first"]]["diff"]
    assert apps[ids["copy"]]["status"] == "removed" and apps[ids["copy"]]["checked_at"]

    # An outage is not a deletion: the server gone, the statuses stay and the fetch is counted unreachable.
    outlets.server.shutdown()
    outlets.server.server_close()
    again = run_json("recheck", "--once", *c, "--json")
    assert again["unreachable"] == 3
    shown = run_json("case", "show", str(case), "--as", "ana", *c, "--json")
    assert {a["article_id"]: a["status"] for a in shown["claims"][0]["appearances"]}[ids["rewrite"]] == "unchanged"


def test_a_new_article_carrying_an_open_claim_joins_the_case(tmp_path):
    """Imported later, a word-for-word copy is matched against the open claim and joins as an appearance."""
    db = f"sqlite:///{tmp_path / 'duluan.db'}"
    first = {"url": "https://a.example/1", "source": "a", "source_kind": "foreign", "title": "Tin đồn",
             "body": f"{CLAIM}, theo một nguồn tin giấu tên. {FILLER}"}
    later = {"url": "https://b.example/2", "source": "b", "source_kind": "foreign", "title": "Đăng lại",
             "body": f"Có người viết: {CLAIM}. {FILLER}"}
    (tmp_path / "1.jsonl").write_text(json.dumps(first, ensure_ascii=False) + "\n", "utf-8")
    (tmp_path / "2.jsonl").write_text(json.dumps(later, ensure_ascii=False) + "\n", "utf-8")
    run_json("import", str(tmp_path / "1.jsonl"), "--db", db, "--json")
    run_cli("users", "add", "ana", "--role", "analyst", "--password-stdin", "--db", db, input=PASSWORD + "\n")
    a_id = json.loads(run_cli("export", "--db", db).stdout.splitlines()[0])["id"]
    case = run_json("case", "open", a_id, "--as", "ana", "--db", db, "--json")["case_id"]
    assert run_json("case", "claim", str(case), "--text", CLAIM, "--as", "ana", "--db", db, "--json")["proposed"] == []
    run_json("import", str(tmp_path / "2.jsonl"), "--db", db, "--json")
    shown = run_json("case", "show", str(case), "--as", "ana", "--db", db, "--json")
    apps = shown["claims"][0]["appearances"]
    assert [a["link"] for a in apps] == ["confirmed", "confirmed"] and apps[1]["url"] == later["url"]
