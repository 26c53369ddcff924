"""Publication date of a fetched article page (issue #14: ≥ 97 % on Vietnamese pages).

Evidence, strongest first; the first that gives a date wins:

1. publication markup: JSON-LD ``datePublished``, ``article:published_time`` and its kin,
   ``itemprop="datePublished"``, ``<time class="published" datetime>``;
2. the by-line, in every form Vietnamese outlets print it — "Thứ Ba, 25/11/2025 - 14:30",
   "25-11-2025 | 14:30 GMT+7", "14h30, 25/11/2025", "ngày 25 tháng 11 năm 2025, lúc 14:30",
   "2:30 PM 25/11/2025" and "2:30 CH 25/11/2025" (12-hour clocks), "14 giờ 30 phút ngày 25/11/2025",
   "2025-11-25 14:30" (year first), "25 Tháng 11, 2025", the foreign press's "November 25, 2025",
   "2 giờ trước", "hôm qua lúc 14:30", "3 hours ago" (against the fetch time) — the first date of a
   line, a publication line before an update line ("Cập nhật", "updated"), and never a date inside
   related links, lists or comments;
3. the feed item's date; 4. htmldate's guess over the whole page.

A pure function of the tree, the page and the source: no network.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

from htmldate import find_date

VN_TZ = timezone(timedelta(hours=7))

# 14:30, 14h30, 14 giờ 30 phút, 2:30:05 PM, 2:30 CH (the Vietnamese locale's SA / CH: sáng, chiều).
_CLOCK = (r"(\d{1,2})\s?(?:[:hg]|giờ)\s?(\d{2})(?::\d{2})?(?:\s?phút)?"
          r"(\s?[aApP]\.?[mM]\.?|\s(?:SA|CH)(?![^\W\d_]))?")
_EN_MONTH = (r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
             r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DMY_TIME = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\D{1,8}?" + _CLOCK + ")?")
_TIME_DMY = re.compile(r"(?<!\d)" + _CLOCK + r"\D{1,8}?(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# "ngày 25 tháng 11 năm 2025", "25 Tháng 11, 2025" (WordPress in Vietnamese), "25 tháng 11 2025".
_WORDS_DATE = re.compile(r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+|\s*,\s*|\s+)(\d{4})(?:\D{1,10}?"
                         + _CLOCK + ")?", re.I)
_YMD_TIME = re.compile(r"(?<!\d)(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)(?:\D{1,8}?" + _CLOCK + ")?")  # 2025-11-25 14:30
# The foreign press: "November 25, 2025 2:30 PM", "Nov. 25, 2025", "25 November 2025 14:30".
_EN_MDY = re.compile(r"\b" + _EN_MONTH + r"\s+(\d{1,2}),?\s+(\d{4})(?:\D{1,8}?" + _CLOCK + ")?", re.I)
_EN_DMY = re.compile(r"(?<!\d)(\d{1,2})\s+" + _EN_MONTH + r",?\s+(\d{4})(?:\D{1,8}?" + _CLOCK + ")?", re.I)
# Each pattern with the groups of its day, month, year, hour, minute and half of the day; at one
# position the first listed wins.
_PATTERNS = ((_TIME_DMY, (4, 5, 6, 1, 2, 3)), (_DMY_TIME, (1, 2, 3, 4, 5, 6)), (_WORDS_DATE, (1, 2, 3, 4, 5, 6)),
             (_YMD_TIME, (3, 2, 1, 4, 5, 6)), (_EN_MDY, (2, 1, 3, 4, 5, 6)), (_EN_DMY, (1, 2, 3, 4, 5, 6)))
# A clock just before a date written without one: "14 giờ 30 phút ngày 25 tháng 11 năm 2025".
_CLOCK_BEFORE = re.compile(_CLOCK + r"[\s,]*(?:ngày|lúc|-|\|)?[\s,]*$", re.I)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"), 1)}
_GMT = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})")
_RELATIVE = re.compile(r"(\d+)\s*(giây|phút|giờ|tiếng|ngày|tuần|tháng)\s*trước"
                       r"|(hôm qua|hôm nay|vừa xong|just now)"
                       r"|(\d+)\s*(second|minute|min|hour|hr|day|week|month)s?\s+ago", re.I)
_UNITS = {word: step for step, words in (
    (timedelta(seconds=1), ("giây", "second")), (timedelta(minutes=1), ("phút", "minute", "min")),
    (timedelta(hours=1), ("giờ", "tiếng", "hour", "hr")), (timedelta(days=1), ("ngày", "day")),
    (timedelta(weeks=1), ("tuần", "week")), (timedelta(days=30), ("tháng", "month"))) for word in words}
_CLOCK_RE = re.compile(_CLOCK)
_HINT = re.compile(r"date|time|publish|posted|created|ngay|thoi-?gian|byline|meta|dang", re.I)
_UPDATE = re.compile(r"cập nhật|update|modif|sửa", re.I)
# Blocks whose dates belong to other articles or to readers.
_ELSEWHERE = re.compile(
    r"relat|lien-?quan|tinlienquan|tin-?khac|othernews|other|xem-?them|doc-?them|more|read-?next|onward|"
    r"most|hot|sidebar|widget|comment|binh-?luan|y-?kien|footer|box-(?:category|relate)|views", re.I)
_META_PUBLISHED = ("article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
                   "publish-date", "article.published", "dc.date.issued", "date", "sailthru.date")


def parse_vietnamese_date(text: str, default_tz: timezone = VN_TZ) -> datetime | None:
    """The earliest date in ``text``: day before month as Vietnamese prints it, year first, or an
    English month name ("Nov 25, 2025"); None if none is valid."""
    tz = default_tz
    g = _GMT.search(text)
    if g:
        tz = timezone(timedelta(hours=int(g.group(2)) * (1 if g.group(1) == "+" else -1)))
    # The earliest date in the text: "25/11/2025 - 14:30 | Cập nhật: 15:00 26/11/2025" is the 25th.
    found = [(m.start(), i, m, groups) for i, (pattern, groups) in enumerate(_PATTERNS) if (m := pattern.search(text))]
    if not found:
        return None
    _, _, m, groups = min(found, key=lambda f: f[:2])
    d, mo, y, hh, mi, half = (m.group(k) for k in groups)
    if hh is None and (c := _CLOCK_BEFORE.search(text, max(0, m.start() - 40), m.start())):
        hh, mi, half = c.groups()
    try:
        month = int(mo) if mo.isdigit() else _MONTHS[mo[:3].lower()]
        return datetime(int(y), month, int(d), _hour(hh, half) if hh else 0, int(mi or 0), tzinfo=tz)
    except ValueError:
        return None


def _hour(hh: str, half: str | None) -> int:
    """The hour of a 12-hour clock ("2:05 PM" and "2:05 CH" are 14, "12:10 AM" is 0) or of a 24-hour one."""
    h = int(hh)
    if half and h <= 12:
        return h % 12 + (12 if half.lstrip()[0] in "pPcC" else 0)
    return h


def parse_relative(text: str, now: datetime) -> datetime | None:
    """"2 giờ trước", "30 phút trước", "3 hours ago", "hôm qua" (at its clock when it has one:
    "hôm qua lúc 14:30"), "vừa xong" against ``now`` (the fetch time)."""
    m = _RELATIVE.search(text)
    if not m:
        return None
    if m.group(3):
        word = m.group(3).lower()
        if word in ("vừa xong", "just now"):
            return now
        day = now - timedelta(days=1 if word == "hôm qua" else 0)
        c = _CLOCK_RE.search(text)
        if c is None:
            return day
        try:
            return day.replace(hour=_hour(c.group(1), c.group(3)), minute=int(c.group(2)),
                               second=0, microsecond=0)
        except ValueError:
            return day
    n, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(5))
    return now - int(n) * _UNITS[unit.lower()]


def _iso(value: str, tz: timezone) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1) if "T" not in value else
                                    value.replace("Z", "+00:00"))
    except ValueError:
        return parse_vietnamese_date(value, tz)
    return dt if dt.tzinfo else dt.replace(tzinfo=tz)


def _jsonld_dates(tree) -> list[str]:  # noqa: ANN001 — lxml tree
    out = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    out.append(item["datePublished"])
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity", "mainEntityOfPage"))
    return out


def _markup(tree, tz: timezone) -> datetime | None:  # noqa: ANN001
    candidates = _jsonld_dates(tree)
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _META_PUBLISHED:
            candidates.append(meta.get("content"))
    candidates += tree.xpath('//*[@itemprop="datePublished"]/@datetime | //*[@itemprop="datePublished"]/@content')
    candidates += tree.xpath('//time[contains(concat(" ", normalize-space(@class), " "), " published ")]/@datetime')
    for value in candidates:
        dt = _iso(value, tz)
        if dt is not None:
            return dt
    return None


def _elsewhere(el, around: set) -> bool:  # noqa: ANN001
    """Inside a list item, a related-links box, a sidebar, comments or the footer.

    Class words count only below the blocks around the article (``around``: the main
    block and its ancestors): VnExpress names its main column ``sidebar-1``.
    """
    for anc in el.iterancestors():
        if anc in around:
            return False
        if anc.tag in ("li", "aside", "nav", "footer"):
            return True
        if _ELSEWHERE.search(f"{anc.get('class', '')} {anc.get('id', '')}"):
            return True
    return False


def _text(el) -> str:  # noqa: ANN001
    return " ".join(" ".join(el.xpath(".//text()[not(ancestor::script) and not(ancestor::style)]")).split())


def _byline(tree, tz: timezone, now: datetime | None, main) -> datetime | None:  # noqa: ANN001
    around = set() if main is None else {main, *main.iterancestors()}
    published, updated = [], []
    for el in tree.xpath("//body//*[not(self::script) and not(self::style)]"
                         "[@class or @id or @data-role or @itemprop or self::time]"):
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("data-role"), el.get("itemprop"))))
        if el.tag != "time" and not _HINT.search(attrs):
            continue
        text = _text(el)[:200]
        if not text or len(el) > 8 or _elsewhere(el, around):
            continue
        dt = _iso(el.get("datetime", ""), tz) if el.tag == "time" and el.get("datetime") else None
        dt = dt or parse_vietnamese_date(text, tz) or (parse_relative(text, now) if now else None)
        if dt is None:
            continue
        (updated if _UPDATE.search(text) or _UPDATE.search(attrs) else published).append(dt)
        if len(published) >= 1:
            break
    found = published or updated
    return found[0] if found else None


def published_date(tree, url: str, tz: timezone, now: datetime | None = None,  # noqa: ANN001
                   feed_date: datetime | None = None, main=None) -> datetime | None:  # noqa: ANN001
    """The page's publication time in UTC, or None (see the module docstring for the order).

    ``main``: the element holding the article's paragraphs, when the caller knows it.
    """
    dt = _markup(tree, tz) or _byline(tree, tz, now, main)
    if dt is None and feed_date is not None:
        dt = feed_date
    if dt is None:
        try:
            found = find_date(tree, extensive_search=False, original_date=True,
                              outputformat="%Y-%m-%dT%H:%M:%S%z", url=url)
        except Exception:  # noqa: BLE001 — htmldate on hostile markup must not lose the article
            found = None
        if found:
            dt = datetime.fromisoformat(found)
            dt = dt if dt.tzinfo else dt.replace(tzinfo=tz)
    return dt.astimezone(timezone.utc) if dt is not None else None
