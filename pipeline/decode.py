"""Bytes → NFC Unicode HTML, whatever the page declares (issue #4).

Vietnamese pages arrive in every state: UTF-8 declared as ISO-8859-1,
Windows-1258 (base letter + combining tone mark, so it must be NFC-composed),
Windows-1258 bytes sent as "utf-8", and pre-Unicode *font* encodings: VNI
(base letter followed by a diacritic byte) and TCVN3/ABC (one byte per
precomposed letter), which browsers only render right with the matching
font and which reach us declared as Windows-1252 or ISO-8859-1.

Order of decisions:
1. BOM.  2. Valid UTF-8 with non-ASCII bytes is UTF-8, whatever is declared
   (legacy single-byte text is practically never valid UTF-8).
3. Otherwise score every plausible decoding (declared charsets, cp1258,
   cp1252, charset-normalizer's guess) by how Vietnamese the result looks.
4. Then check whether the text is VNI or TCVN3 seen through a Latin-1 lens,
   and convert when that removes the tell-tale symbols.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from duluan.errors import EncodingError, ExtractError


@dataclass(frozen=True)
class Decoded:
    text: str  # NFC
    encoding: str  # codec used, or "vni" / "tcvn3"
    declared: str | None


# -- legacy font encodings ---------------------------------------------------

# TCVN3 (TCVN 5712:1993 "ABC", font .VnTime): byte → letter.  Keys are the
# Latin-1 characters those bytes show as, so the table works on bytes decoded
# as Windows-1252/ISO-8859-1 and on TCVN3 text that was pasted into UTF-8.
_TCVN3_ROWS = {
    "a": ("\xb5\xb8\xb6\xb7\xb9", "àáảãạ"),
    "ă": ("\xa8\xbb\xbe\xbc\xbd\xc6", "ăằắẳẵặ"),
    "â": ("\xa9\xc7\xca\xc8\xc9\xcb", "âầấẩẫậ"),
    "e": ("\xcc\xd0\xce\xcf\xd1", "èéẻẽẹ"),
    "ê": ("\xaa\xd2\xd5\xd3\xd4\xd6", "êềếểễệ"),
    "i": ("\xd7\xdd\xd8\xdc\xde", "ìíỉĩị"),
    "o": ("\xdf\xe3\xe1\xe2\xe4", "òóỏõọ"),
    "ô": ("\xab\xe5\xe8\xe6\xe7\xe9", "ôồốổỗộ"),
    "ơ": ("\xac\xea\xed\xeb\xec\xee", "ơờớởỡợ"),
    "u": ("\xef\xf3\xf1\xf2\xf4", "ùúủũụ"),
    "ư": ("\xad\xf5\xf8\xf6\xf7\xf9", "ưừứửữự"),
    "y": ("\xfa\xfd\xfb\xfc\xfe", "ỳýỷỹỵ"),
    "đ": ("\xae", "đ"),
    "upper": ("\xa1\xa2\xa3\xa4\xa5\xa6\xa7", "ĂÂÊÔƠƯĐ"),
}
TCVN3 = {src: dst for srcs, dsts in _TCVN3_ROWS.values() for src, dst in zip(srcs, dsts, strict=True)}
_TCVN3_TRANS = str.maketrans(TCVN3)

# VNI Windows (font VNI-Times): a vowel is followed by a byte carrying its
# diacritics.  Each modifier maps to combining marks; NFC then composes.
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_MODIFIERS = {
    "ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    "â": _CIRC, "á": _CIRC + _ACUTE, "à": _CIRC + _GRAVE, "å": _CIRC + _HOOK, "ã": _CIRC + _TILDE, "ä": _CIRC + _DOT,
    "ê": _BREVE, "é": _BREVE + _ACUTE, "è": _BREVE + _GRAVE, "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
}
_VNI_MODIFIERS.update({k.upper(): v for k, v in list(_VNI_MODIFIERS.items())})
# Letters that stand alone in VNI (no preceding base letter).
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "o" + _HORN, "Ô": "O" + _HORN, "ö": "u" + _HORN, "Ö": "U" + _HORN,
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
    "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ",
}
_VNI_BASES = set("aeouyAEOUY") | {"ô", "ö", "Ô", "Ö"}
_VNI_RE = re.compile("([aeouyAEOUYôöÔÖ])([" + "".join(_VNI_MODIFIERS) + "])|([" + "".join(_VNI_SINGLE) + "])")


def vni_to_unicode(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(3):
            return _VNI_SINGLE[m.group(3)]
        base = m.group(1)
        base = _VNI_SINGLE.get(base, base)  # ô/ö as a base are ơ/ư
        return base + _VNI_MODIFIERS[m.group(2)]
    return unicodedata.normalize("NFC", _VNI_RE.sub(sub, text))


_MODIFIER_AFTER_VOWEL = re.compile("[aeouyAEOUYôöÔÖ][" + "".join(_VNI_MODIFIERS) + "]")
_MODIFIER = re.compile("[" + "".join(_VNI_MODIFIERS) + "]")


def _vni_like(text: str) -> bool:
    """Most diacritic bytes sit right after a vowel: VNI, not TCVN3."""
    total = len(_MODIFIER.findall(text))
    return total > 0 and len(_MODIFIER_AFTER_VOWEL.findall(text)) >= 0.6 * total


def tcvn3_to_unicode(text: str) -> str:
    return text.translate(_TCVN3_TRANS)


# -- scoring -----------------------------------------------------------------

_VI_LOWER = "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_VI_LETTERS = set(_VI_LOWER + _VI_LOWER.upper())
_LATIN1_VI = {c for c in _VI_LETTERS if ord(c) < 0x100}
# Latin-1 characters that never occur in Vietnamese text but fill legacy
# VNI/TCVN3 text read as Latin-1 (©«»·°×± are left out: real pages use them).
_TELLTALE = set("ÄÅÆÇËÎÏÐÑÖØÛÜÞßäåæçëîïðñöøûüþÿµ¶¸¹º¼½¾¿®§¨ª¬\xad¡¢£¤¥¦²³´÷")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)


def _visible(html: str) -> str:
    return _TAG.sub(" ", html)


def vi_score(text: str) -> tuple[float, int]:
    """(score, tell-tale count): Vietnamese letters up, legacy and garbage symbols down."""
    vi = other_vi = tell = bad = 0
    for ch in text:
        if ch in _VI_LETTERS:
            if ch in _LATIN1_VI:
                other_vi += 1
            else:
                vi += 1
        elif ch in _TELLTALE:
            tell += 1
        elif ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r") or 0x80 <= ord(ch) < 0xA0:
            bad += 1
        elif unicodedata.combining(ch):
            bad += 1  # a tone mark NFC could not attach: wrong codec
    return 2 * vi + other_vi - 3 * tell - 5 * bad, tell


# -- detection ---------------------------------------------------------------

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]+)", re.I)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str | None) -> tuple[str | None, str | None]:
    http = _CT_CHARSET.search(content_type or "")
    meta = _META.search(body[:4096])
    return (http.group(1) if http else None, meta.group(1).decode("ascii", "replace") if meta else None)


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML (or text) page to NFC Unicode; raises ``EncodingError`` when that is impossible."""
    http_cs, meta_cs = declared_charsets(body, content_type)
    declared = http_cs or meta_cs
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if body.startswith(bom):
            try:
                return _finish(body.decode(enc), enc, declared)
            except UnicodeDecodeError as e:
                raise EncodingError(f"byte-order mark says {enc} but the bytes are not: {e}") from None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        return _finish(text, "utf-8", declared)

    # Not UTF-8: try what the page says, the Vietnamese code page and its
    # Western sibling, and charset-normalizer's guess; keep the most Vietnamese.
    names = [_codec(http_cs), _codec(meta_cs), "cp1258", "cp1252"]
    best: tuple[float, str, str] | None = None
    for name in dict.fromkeys(n for n in names if n and n not in ("utf-8", "ascii")):
        try:
            cand = unicodedata.normalize("NFC", body.decode(name))
        except (UnicodeDecodeError, LookupError):
            continue
        score, _ = vi_score(_visible(cand))
        if best is None or score > best[0]:
            best = (score, name, cand)
    if best is None or best[0] < 0:
        guess = _charset_normalizer_guess(body)
        if guess is not None and (best is None or guess[0] > best[0]):
            best = guess
    if best is None:
        raise EncodingError(f"no character encoding fits these bytes (declared {declared or 'nothing'})")
    return _finish(best[2], best[1], declared, latin1_view=body.decode("cp1252", errors="replace"))


def _charset_normalizer_guess(body: bytes) -> tuple[float, str, str] | None:
    from charset_normalizer import from_bytes

    match = from_bytes(body).best()
    if match is None:
        return None
    text = unicodedata.normalize("NFC", str(match))
    return vi_score(_visible(text))[0], match.encoding, text


def _finish(text: str, encoding: str, declared: str | None, latin1_view: str | None = None) -> Decoded:
    text = unicodedata.normalize("NFC", text)
    visible = _visible(text)
    score, tell = vi_score(visible)
    # Legacy font encodings leave Latin-1 symbols where Vietnamese letters
    # belong; convert only when that makes most of them disappear.
    if tell >= 3:
        base = latin1_view if latin1_view is not None else text
        # VNI puts its diacritic byte right after a vowel ("Vieät"); TCVN3's
        # letters follow consonants as often as not ("Néi").  Both tables
        # remove the tell-tale symbols, so this decides which one applies.
        convert = vni_to_unicode if _vni_like(base) else tcvn3_to_unicode
        cand = unicodedata.normalize("NFC", convert(base))
        s, t = vi_score(_visible(cand))
        if s > score and t <= tell * 0.3:
            encoding, text = ("vni" if convert is vni_to_unicode else "tcvn3"), cand
    visible = _visible(text)
    garbage = sum(1 for ch in visible if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r"))
    if visible and garbage > max(3, len(visible) * 0.01):
        raise EncodingError(f"{garbage} undecodable characters after decoding as {encoding} "
                            f"(declared {declared or 'nothing'})")
    return Decoded(text, encoding, declared)
