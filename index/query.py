"""duluan's search language, parsed once into a small model that each backend compiles.

    hai phong                  words, all required (AND)
    "Hải Phòng"                a phrase, word by word
    kind:foreign               source kind (domestic, foreign, official)

Vietnamese matching (DESIGN "Vietnamese matching rule", issue #14): a word typed with
diacritics matches those diacritics (``canonical``: NFC, case, đ/Đ/Ð, old/new tone
placement unified), a word typed without any matches folded (``bao`` finds *báo*,
*bão*, *bảo*).  Phrases follow the rule word by word: ``"khu công nghiệp"`` is *khu*
folded, then *công nghiệp* with its marks.  Both backends index two aligned streams of
each text, ``search_text`` (folded) and ``mark_text`` (canonical), cut at the same places.
    a OR b, NOT a, -a, (a b)   boolean logic; AND may be written out
    cang*                      prefix
    province:hai-phong source:baohaiphong lang:vi topic:security
    sentiment:negative flagged:true from:2025-07-01 to:2025-12-31
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from datetime import date, datetime, timezone

from duluan.errors import QueryError

from duluan.text import canonical_char, char_table, fold_char, fold_query, has_diacritics, normalise, retone


@dataclass(frozen=True)
class Term:
    text: str  # canonical when ``marked`` (typed with diacritics), else folded
    prefix: bool = False
    marked: bool = False


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # each canonical when marked, else folded
    marked: tuple[bool, ...] = ()  # per word; empty when no word is marked

    def marks(self) -> tuple[bool, ...]:
        return self.marked or (False,) * len(self.words)

    @property
    def any_marked(self) -> bool:
        return any(self.marked)


@dataclass(frozen=True)
class Field:
    name: str
    value: str


@dataclass(frozen=True)
class And:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Node", ...]


@dataclass(frozen=True)
class Not:
    item: "Node"


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Term | Phrase | Field | And | Or | Not | MatchAll

FIELDS = ("province", "source", "kind", "lang", "topic", "sentiment", "flagged", "from", "to")
KINDS = ("domestic", "foreign", "official")
SENTIMENTS = ("positive", "neutral", "negative")
# Letters and digits; "_" separates, as in SQLite's unicode61 tokenizer (its token characters are L* N*).
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_TOKEN = re.compile(r'\s+|\(|\)|"[^"]*"?|-(?=[^\s-])|[^\s()"]+')


def words(text: str) -> list[str]:
    """Folded word tokens, the same split the SQLite unicode61 tokenizer makes."""
    return _WORD.findall(fold_query(text))


def _search_char(c: str) -> str:
    f = fold_char(c)
    return f if f.isalnum() else " "


_SEARCH_MAP = char_table(_search_char)


def search_text(text: str) -> str:
    """The text both backends index: folded, every separator a space, same length as ``text``.

    One function tokenises for SQLite FTS5 and Elasticsearch alike (issue #6): the index
    splits it on spaces, so "Ea H'leo", "covid-19" and "Đà Nẵng" give the same words on
    both backends, and an offset in it is an offset in the original (for highlights).
    """
    return _SEARCH_MAP(text or "")


def _mark_char(c: str) -> str:
    return canonical_char(c) if fold_char(c).isalnum() else " "


_MARK_MAP = char_table(_mark_char)


def mark_text(text: str) -> str:
    """The canonical twin of ``search_text``: diacritics kept, spaces exactly where it has them.

    Token *i* of ``mark_text(t).split()`` is the canonical form of token *i* of
    ``search_text(t).split()``, so a phrase may take each word from either stream.
    """
    return index_texts(text)[1]


# Both maps work character by character and retone within a word, so a text maps word by word
# with the same result; news reuses a few thousand words, and a cached word skips the tone
# regex (36 → 23 µs of CPU for a 600-character body, bulk indexing, issue #14).
@lru_cache(maxsize=1 << 17)
def _word_forms(word: str) -> tuple[str, str]:
    return _SEARCH_MAP(word), retone(_MARK_MAP(word))


def index_texts(text: str) -> tuple[str, str]:
    """``(search_text(text), mark_text(text))`` in one pass over the words, for indexing.

    One cached lookup a word replaces a translate of the whole text for each stream (79 → 55 µs
    of CPU for a bench article's title and body, issue #14).
    """
    if not text:
        return "", ""
    folded, marked = zip(*map(_word_forms, text.split(" ")))
    return " ".join(folded), " ".join(marked)


def query_words(text: str) -> list[tuple[str, bool]]:
    """The words of typed text, each as (form to match, typed with diacritics?)."""
    text = normalise(text)
    folded, marked = search_text(text), mark_text(text)
    out = []
    for m in re.finditer(r"\S+", folded):
        s, e = m.span()
        if has_diacritics(text[s:e]):
            out.append((marked[s:e], True))
        else:
            out.append((folded[s:e], False))
    return out


def _word_node(ws: list[tuple[str, bool]], prefix: bool = False) -> "Term | Phrase":
    if len(ws) == 1:
        return Term(ws[0][0], prefix=prefix, marked=ws[0][1])
    marks = tuple(m for _, m in ws)
    return Phrase(tuple(w for w, _ in ws), marks if any(marks) else ())


def published_utc(value: datetime | None) -> str | None:
    """How both backends store a publication time: ISO 8601 in UTC (naive means UTC).

    ``from:``/``to:`` compare whole UTC days against it.
    """
    if value is None:
        return None
    value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    return value.isoformat()


def _field_value(name: str, raw: str, pos: int) -> Field:
    value = raw.strip()
    if not value:
        raise QueryError(f"bộ lọc '{name}:' thiếu giá trị / filter '{name}:' needs a value", pos)
    if name in ("from", "to"):
        try:
            date.fromisoformat(value)
        except ValueError:
            raise QueryError(f"ngày không hợp lệ / invalid date {value!r} — dùng / use YYYY-MM-DD", pos) from None
    elif name == "flagged":
        v = value.lower()
        if v not in ("true", "false", "yes", "no", "1", "0"):
            raise QueryError(f"flagged: chỉ nhận true/false / takes true or false, got {value!r}", pos)
        value = "true" if v in ("true", "yes", "1") else "false"
    elif name == "sentiment":
        value = value.lower()
        if value not in SENTIMENTS:
            raise QueryError(f"sentiment: một trong / one of {', '.join(SENTIMENTS)}; got {value!r}", pos)
    elif name == "province":
        value = "-".join(words(value))
    elif name == "lang":
        value = value.lower()
    elif name == "kind":
        value = value.lower()
        if value not in KINDS:
            raise QueryError(f"kind: một trong / one of {', '.join(KINDS)}; got {value!r}", pos)
    return Field(name, value)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[str, int]] = []
        for m in _TOKEN.finditer(text):
            if not m.group().isspace():
                self.tokens.append((m.group(), m.start()))
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def pos(self) -> int:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else len(self.text)

    def take(self) -> tuple[str, int]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        node = self.or_expr()
        if self.peek() is not None:
            tok, pos = self.take()
            raise QueryError(f"thừa {tok!r} / unexpected {tok!r}", pos)
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            if self.peek() in (None, ")", "OR"):
                raise QueryError("OR thiếu vế sau / OR needs something after it", self.pos())
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items: list[Node] = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.take()
                continue
            items.append(self.unary())
        if not items:
            raise QueryError("thiếu từ khóa / a search term is missing", self.pos())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        tok, pos = self.tokens[self.i]
        if tok in ("NOT", "-"):
            self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError(f"{tok} thiếu từ phía sau / {tok} needs a term after it", pos)
            return Not(self.unary())
        return self.primary()

    def primary(self) -> Node:
        tok, pos = self.take()
        if tok == "(":
            if self.peek() == ")":
                raise QueryError("ngoặc rỗng / empty parentheses", pos)
            node = self.or_expr()
            if self.peek() != ")":
                raise QueryError("thiếu dấu ')' / missing ')'", pos)
            self.take()
            return node
        if tok == ")":
            raise QueryError("thừa dấu ')' / unmatched ')'", pos)
        if tok.startswith('"'):
            if len(tok) < 2 or not tok.endswith('"'):
                raise QueryError('thiếu dấu " đóng / unclosed quote', pos)
            ws = query_words(tok[1:-1])
            if not ws:
                raise QueryError("cụm từ rỗng / empty phrase", pos)
            return _word_node(ws)
        name, sep, rest = tok.partition(":")
        if sep and name.lower() in FIELDS:
            if not rest and self.peek() and self.peek().startswith('"'):
                rest = self.take()[0].strip('"')
            return _field_value(name.lower(), rest.strip('"'), pos)
        prefix = tok.endswith("*")
        ws = query_words(tok)
        if not ws:
            raise QueryError(f"không tìm được theo {tok!r} / nothing searchable in {tok!r}", pos)
        # "covid-19", "H'leo": one token typed, several words indexed, so a phrase
        return _word_node(ws, prefix=prefix and len(ws) == 1)


def parse(text: str) -> Node:
    """Parse a query; raises ``QueryError`` naming the position of the mistake."""
    return _Parser(text).parse()


def positive_terms(node: Node) -> list[Term | Phrase]:
    """Terms and phrases that count towards relevance (not under a NOT)."""
    if isinstance(node, (Term, Phrase)):
        return [node]
    if isinstance(node, (And, Or)):
        return [t for n in node.items for t in positive_terms(n)]
    return []
