"""The whole case flow in a real browser: Debian's chromium driven by Playwright (issue #11).

Screenshots land in ``test-artifacts/screenshots/`` (or $DULUAN_ARTIFACTS) for a person to look at.
"""

from __future__ import annotations

import shutil

import pytest

from web_support import ARTIFACTS, PASSWORD, web_site  # noqa: F401

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which("chromium"):
        pytest.fail("Debian's chromium is not installed: `make browser` (apt-get install chromium)", pytrace=False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _shot(page, name: str) -> None:
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def _login(browser, site, user: str):
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site.url + "/queue")
    assert "/login" in page.url
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:1000]
    return ctx, page, errors


def _logout(ctx, page):
    page.click("header form button")
    page.wait_for_load_state()
    assert "/login" in page.url
    ctx.close()


def test_triage_with_the_keyboard_then_the_whole_case_flow(browser, web_site):
    ctx, page, errors = _login(browser, web_site, "ana")
    _shot(page, "01-queue")
    rows = page.locator("table.queue tbody tr[data-href]")
    assert rows.count() >= 3
    # j j x: the second row is selected with the keyboard; dismiss it with a reason.
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    second = rows.nth(1)
    assert "cursor" in (second.get_attribute("class") or "")
    dismissed_href = second.get_attribute("data-href")
    assert second.locator("input[type=checkbox]").is_checked()
    page.fill("input[name=reason]", "tin trùng, đã xử lý / duplicate, handled")
    page.click("button[value=dismiss]")
    page.wait_for_load_state()
    assert page.locator(f'tr[data-href="{dismissed_href}"]').count() == 0  # gone from the open queue
    # k then o opens the item under the cursor.
    page.keyboard.press("j")
    page.keyboard.press("o")
    page.wait_for_url("**/articles/**")
    article_url = page.url
    _shot(page, "02-article")
    opened = "/articles/" + article_url.rsplit("/articles/", 1)[1]
    page.goto(web_site.url + "/queue")  # the article just read is no longer bold; the others still are
    assert "unread" not in (page.locator(f'tr[data-href="{opened}"]').get_attribute("class") or "")
    assert page.locator("table.queue tbody tr.unread").count() == rows.count() - 1
    page.goto(article_url)
    page.click("#open-case")
    page.wait_for_url("**/cases/**")
    case_url = page.url
    page.select_option("select[name=agency]", "cong-an")
    page.click("#do-route")
    page.wait_for_load_state()
    assert page.locator("#case-status").get_attribute("data-status") == "routed"
    _shot(page, "03-case-routed")
    page.goto(web_site.url + "/search?q=hai+phong")  # no diacritics typed
    assert page.locator(".results li").count() > 3
    _shot(page, "04-search")
    page.goto(web_site.url + "/dashboard")
    assert page.locator("svg.chart").count() >= 4
    _shot(page, "05-dashboard")
    _logout(ctx, page)

    ctx, page, errors2 = _login(browser, web_site, "police")
    page.goto(case_url)
    page.fill("textarea[name=claim]", "Chính quyền che giấu số người chết")
    page.fill("textarea[name=facts]", "Cơ quan chức năng đã công bố đầy đủ, kịp thời danh sách nạn nhân.")
    page.click("#do-draft")
    page.wait_for_load_state()
    assert page.locator("#case-status").get_attribute("data-status") == "drafted"
    _shot(page, "06-case-drafted")
    _logout(ctx, page)

    ctx, page, errors3 = _login(browser, web_site, "culture")  # another agency: fenced out
    response = page.goto(case_url)
    assert response.status == 403
    assert page.goto(article_url).status == 404
    _logout(ctx, page)

    ctx, page, errors4 = _login(browser, web_site, "boss")
    page.goto(case_url)
    page.click("#do-approve")
    page.wait_for_load_state()
    assert page.locator("#case-status").get_attribute("data-status") == "approved"
    page.click("#do-publish")
    page.wait_for_load_state()
    assert page.locator("#case-status").get_attribute("data-status") == "published"
    timeline = page.locator(".timeline li").all_inner_texts()
    assert len(timeline) >= 5 and any("publish" in t for t in timeline)
    _shot(page, "07-case-published")
    _logout(ctx, page)
    fenced = [e for e in errors3 if "Failed to load resource" not in e]  # the 403 and 404 above
    assert not (errors + errors2 + fenced + errors4), "no script errors and no CSP violations"
