"""Distortion signals with evidence: explainable rules, each with a span and a Vietnamese reason.

Score = 1 − Π(1 − wᵢ) over the signals found (weights in ``SIGNALS``; a model
bundle may override them via ``distortion_weights``), damped when the item
is attributed to an official, court, inspectorate or named expert, because
factual critical reporting is negative but not distorted (issue #5).
Every flag carries at least one ``Evidence``; no evidence, no flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from duluan.text import fold
from duluan.records import Evidence


@dataclass(frozen=True)
class Signal:
    name: str
    weight: float
    explanation: str
    patterns: tuple[str, ...]
    title_only: bool = False
    cap: int = 1  # how many hits of this signal count


def _p(*xs: str) -> tuple[str, ...]:
    return xs


SIGNALS: list[Signal] = [
    Signal("sweeping_claim", 0.3, "Khẳng định bao trùm, quy chụp mà không dẫn chứng cụ thể.", _p(
        r"toan bo (?:can bo|lanh dao|chinh quyen|quan chuc|nguoi dan)", r"tat ca (?:can bo|lanh dao|quan chuc|deu)",
        r"ai cung biet", r"ai cung thay", r"khong ai (?:dam|con tin)", r"ca (?:tinh|thanh pho|he thong) (?:deu|da)",
        r"100% (?:can bo|quan chuc|nguoi dan)", r"chua tung co trong lich su", r"hoan toan sup do",
        r"tran lan khap noi", r"moi nguoi deu biet", r"bat ky ai", r"khong con ai", r"tat ca deu la",
        r"everyone knows", r"all (?:the )?(?:officials|leaders|authorities) (?:are|were)", r"entire (?:province|city|government) (?:is|has)",
        r"nobody (?:dares|believes)", r"total collapse", r"never before in history", r"without exception",
        r"every single (?:official|cadre)", r"the whole (?:system|province) is",
        r"chac chan 100%", r"khang dinh chac nich", r"ca vung (?:da|deu)", r"tat ca nhung gi", r"deu la doi tra",
        r"am muu", r"xoa so", r"every office", r"is falling apart", r"are being wiped out", r"where workers go to die",
        r"toan bo (?:co quan|dat dai|tai nguyen|dan lang)", r"ai cung (?:da )?ro",
        r"tat ca (?:truong hoc|doanh nghiep|nha may|co quan|nguoi dan)", r"khong (?:mot|1) (?:dong|xu|ai) nao",
        r"mot dong (?:[a-z ]{0,15} )?(?:nao|cung khong)", r"deu (?:bi|da bi) (?:ban|cuop|xoa|nuot)", r"chi sau mot dem",
        r"not (?:a )?single (?:cent|penny|dong|one)", r"an entire (?:coastline|province|region|generation|people)",
        r"(?:all|every) (?:the )?(?:province's|local|single) (?:\w+ )?(?:plants|factories|officials|farmers)",
        r"every product", r"literally (?:sinking|dying|dead|destroyed|wiped)", r"wiped off the map",
        r"(?:all|everything) (?:is|was) decided",
    ), cap=2),
    Signal("accusatory_question", 0.35, "Tiêu đề đặt câu hỏi buộc tội, gợi nghi vấn thay cho thông tin.", _p(
        r"phai chang", r"co phai", r"su that (?:nao|gi|dang sau)", r"ai dung sau", r"ai bao che", r"dang che giau",
        r"den bao gio", r"vi sao .* im lang", r"tai sao .* (?:im lang|che giau|bao che|lam ngo)", r"ai chiu trach nhiem",
        r"what (?:are|is) .* hiding", r"who is behind", r"is .* covering up", r"why (?:is|are) .* silent", r"cover[- ]up\?",
        r"what really happened", r"the truth about",
        r"ai huong loi", r"ai (?:cho phep|dung sau|duoc loi|chong lung)", r"lieu co phai",
        r"(?:ban|ban re|dang ban|nhuong|dem) [^?]{0,40}cho (?:nuoc ngoai|trung quoc|tau|ngoai bang)",
        r"bi (?:ep|xoa|nuot|khai tu|bo roi|lang quen|bo quen|ban|cuop|bit mieng|dan ap)\w*[^?]{0,60}\?",
        r"[\u201c\u201d\"'\u2018\u2019][^\u201c\u201d\"'\u2018\u2019?]{2,30}[\u201c\u201d\"'\u2018\u2019][^?]{0,60}\?",
        r"who (?:benefits|profits|allowed|is to blame)", r"(?:or|and) (?:a )?(?:quiet|silent|hidden|secret) \w+\?",
        r"is [^?]{0,40}(?:secretly|quietly) [^?]{0,40}\?",
        r"(?:sell(?:s|ing)?|sold|hand(?:s|ing|ed)?|giv(?:es|ing)) [^?]{0,40}to (?:foreign|china|chinese|beijing)[^?]{0,30}\?",
    ), title_only=True),
    Signal("anonymous_source", 0.3, "Dựa vào nguồn giấu tên, tin đồn hoặc 'dân mạng', không kiểm chứng được.", _p(
        r"nguon tin (?:giau ten|rieng|than can|bi mat)", r"mot nguon tin", r"khong muon (?:neu|tiet lo) (?:ten|danh tinh)",
        r"nghe noi", r"theo tin don", r"tin don", r"nghe dau", r"duoc cho la", r"nguoi trong cuoc tiet lo",
        r"dan mang (?:cho rang|to|phan anh|lan truyen|xon xao)", r"nhieu nguoi (?:noi|to|cho rang)", r"an danh",
        r"mot so nguoi dan (?:to|cho rang)", r"theo mot so nguon", r"tai khoan mang xa hoi",
        r"anonymous (?:source|sources|insider)", r"sources (?:say|said|claim)", r"insiders? (?:say|claim|said)",
        r"reportedly", r"rumou?rs?", r"allegedly", r"unverified", r"netizens", r"according to posts",
        r"who (?:asked|declined) not to be named", r"people are saying",
        r"nghe dau", r"ba con ke (?:voi nhau|lai)", r"nguon tin noi bo", r"tu xung la", r"khong ro nguon",
        r"khong (?:ai|mot ai) xac minh", r"khong (?:mot tai lieu|bang chung|dua ra bang chung)", r"co tin don",
        r"(?:bai dang|tin nhan|clip) (?:lan truyen|duoc chia se|tren mot hoi nhom)", r"cac hoi nhom",
        r"mot trang mang", r"kenh youtube", r"tai khoan facebook", r"nhom zalo",
        r"would not give (?:his|her|their) name", r"behind closed doors", r"no names or dates", r"offered no evidence",
        r"widely shared post", r"anonymous account", r"(?:activists|exile groups?) (?:abroad )?(?:claim|allege)",
        r"locals whisper", r"one blogger",
        r"(?:unnamed|anonymous) (?:former )?(?:worker|official|resident|employee|activist)s?", r"social media (?:page|post|account)",
        r"diaspora (?:blogger|group|activists?)", r"(?:campaigners|activists|bloggers) abroad", r"overseas (?:\w+ )?activists?",
        r"(?:shared|viewed) (?:tens of )?(?:thousands|hundreds|millions) of times", r"could not (?:be )?(?:independently )?(?:verif|check|confirm)\w*",
        r"could not verify", r"(?:declined|refused) to (?:say|name|identify)", r"no (?:scientific )?(?:study|evidence|documents?) (?:makes|supports|backs|was)",
        r"a claim that could not be", r"cited as fact", r"theo nhung gi (?:toi|chung toi) nghe", r"(?:mot|nguoi) nguoi quen",
        r"toi khong co (?:giay to|bang chung|tai lieu)", r"nghe (?:nguoi ta|ba con|dan) (?:noi|ke|don)", r"tin (?:hanh lang|ngoai luong)",
        r"(?:ban doc|nguoi dan|ba con) gui (?:ve|den)", r"(?:dan|nguoi) trong (?:lang|xom|nganh) (?:noi|ke|to)",
        r"(?:khong|chua) (?:the|duoc) (?:kiem chung|xac minh|kiem tra)", r"nhieu nguoi (?:dan )?(?:dat ra|thac mac|dang hoi)",
        r"mot so (?:trang|kenh|nguon) (?:mang|tin) (?:o )?(?:nuoc ngoai|hai ngoai)?",
    ), cap=2),
    Signal("incitement", 0.55, "Kêu gọi biểu tình, tẩy chay hoặc kích động hành động.", _p(
        r"hay xuong duong", r"xuong duong (?:ngay|di)", r"keu goi (?:bieu tinh|tay chay|dinh cong|nguoi dan)",
        r"hay tay chay", r"dung len", r"khong the im lang", r"hay chia se (?:ngay|truoc khi|de)",
        r"chia se truoc khi bi xoa", r"lat do", r"danh do", r"hay hanh dong", r"tu tap (?:dong nguoi|tai)",
        r"hay den (?:tru so|uy ban)", r"bao vay tru so", r"cung nhau phan doi",
        r"take to the streets", r"rise up", r"boycott", r"share (?:this )?before (?:it|they)", r"join the protest",
        r"we must act", r"overthrow", r"storm the", r"do not stay silent",
        r"(?:qua|den) ngay ma", r"tiep suc", r"dung len (?:chong|dau tranh)", r"keu goi (?:dong bao|moi nguoi|ba con)",
        r"tu lap doi", r"den tru so doi", r"(?:bao vay|vay) (?:kin )?tru so", r"dung bao gio den",
        r"take matters into (?:their|our) own hands", r"flood the", r"march on", r"urged (?:supporters|readers)",
        r"called on [^.]{0,40}to boycott",
        r"(?:hay|moi nguoi hay|xin hay) chia se", r"chia se [^.!?]{0,30}(?:truoc khi|de) [^.!?]{0,20}(?:bi xoa|bi go|nhieu nguoi biet)",
        r"(?:hay|phai) (?:giu lay|dung len|len tieng|tay chay|phan doi)", r"must boycott", r"boycott every",
        r"spread the word", r"complicit", r"secret (?:\w+ )?deal", r"foreign masters", r"rumou?rs (?:are )?(?:swirling|spreading|circulating)", r"(?:xin )?pho bien rong rai", r"de (?:ca the gioi|moi nguoi|nhieu nguoi) (?:cung )?biet", r"share (?:widely|this)", r"demand (?:justice|answers) now",
    ), cap=2),
    Signal("loaded_language", 0.2, "Ngôn từ cảm xúc, miệt thị, giật gân thay cho mô tả sự việc.", _p(
        r"kinh hoang", r"man ro", r"tan bao", r"toi ac", r"bon (?:cuong hao|tham quan|sau dan|cuop)", r"lu (?:quan chuc|can bo|tham quan)",
        r"cuop dat", r"cuop trang", r"boc lot tan", r"dan ap", r"chan dong", r"rung dong du luan", r"uat ue",
        r"u am", r"dia nguc", r"ac mong", r"doc tai", r"bat luong", r"thoi nat", r"mat day", r"vo lieu",
        r"brutal", r"regime", r"thugs", r"atrocit(?:y|ies)", r"horrific", r"shocking", r"crackdown", r"tyrann\w*",
        r"evil", r"hell ?hole", r"nightmare", r"corrupt (?:regime|officials)", r"land grab\w*", r"outrageous",
        r"om tien", r"bo tron", r"noi loan", r"bo roi", r"doi tra", r"bi bo mac", r"te liet", r"dying", r"sewer",
        r"ethnic cleansing", r"persecution", r"sweatshop",
        r"slave(?:ry| labou?r| factor(?:y|ies)|s)?", r"modern slavery", r"is poisoning",
        r"(?:doesn't|does not|don't|do not) care", r"abandoned (?:it|them|its|their)", r"simply abandoned", r"chaos", r"driven (?:off|from) their",
        r"swallow(?:ed|s)", r"gobbl\w+", r"hidden army", r"toil(?:s|ing)?", r"starv\w+", r"ruthless(?:ly)?",
        r"iron fist", r"puppet", r"stooges?", r"plunder\w*", r"loot\w*", r"rap(?:e|ing) of", r"mafia", r"cronies",
        r"betrayal", r"betrays?", r"wiped out", r"erase[ds]?", r"silenced", r"gagged", r"muzzled",
        r"propaganda", r"sham", r"cover(?:ed)? up", r"scandalous", r"disgrace\w*", r"catastroph\w+", r"apocalyp\w+",
        r"trang tay", r"nuot chung", r"nuot tron", r"khai tu", r"xoa ten", r"vut bo", r"bi ep gia", r"trang tron", r"nha cam quyen", r"mieng moi", r"ban chat cua (?:chinh quyen|che do)", r"hoang loan",
        r"tan nhan", r"cong dan hang hai", r"thau tom", r"nhom loi ich", r"ban re",
        r"doi chac", r"ong chu moi", r"bu nhin", r"tay sai", r"an cuop", r"cuop boc",
        r"huy diet", r"dau doc", r"giet (?:chet|dan)", r"bo mac (?:dan|nguoi dan)", r"coi (?:dan|nguoi dan) nhu",
        r"than phan (?:con sau|nguoi dan)", r"khon kho", r"cung cuc", r"tuyet vong", r"phan uat",
        r"truong ho", r"vo nhan dao", r"tro tren", r"thoi ruc", r"ac ba", r"lua bip", r"bip bom",
        r"(?:bi|da bi) (?:xoa so|nuot|khai tu|bo roi|vut bo|xoa ten|ep)",
    ), cap=3),
    Signal("recycled_material", 0.4, "Tư liệu cũ hoặc từ nơi khác được dùng lại, sai ngữ cảnh.", _p(
        r"(?:anh|clip|video|hinh anh) (?:cu|tu nam \d{4})", r"clip (?:dang )?lan truyen", r"video (?:dang )?lan truyen",
        r"hinh anh (?:dang )?lan truyen", r"duoc chia se lai", r"dang lai", r"tu nhieu nam truoc",
        r"old (?:photo|video|footage)", r"footage from \d{4}", r"(?:video|clip|photo)s? circulating",
        r"resurfaced", r"recirculated", r"viral (?:video|clip|post)",
        r"anh cu", r"hinh anh cu", r"chup o (?:noi khac|mot nuoc khac)", r"dung lai hinh anh", r"anh chup man hinh",
        r"traced to another", r"photos? (?:from|taken) (?:another|elsewhere)", r"a decade ago",
    )),
    Signal("no_source", 0.15, "Tin tiêu cực không dẫn nguồn chính thức hay người có tên tuổi.", _p()),
    Signal("fabrication_record", 0.3, "Nguồn đăng tin từng có tiền sử đăng tin bịa đặt.", _p()),
    Signal("contradicts_official", 0.6, "Trái với thông tin chính thức đã công bố.", _p()),
]
BY_NAME = {s.name: s for s in SIGNALS}
_COMPILED = {s.name: re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{p})" for p in s.patterns) + r")(?!\w)(?! dung)")
             for s in SIGNALS if s.patterns}

# Attribution that marks factual reporting: official bodies, courts, named people with a role.
_OFFICIAL = re.compile("|".join([
    r"theo (?:ket luan|bao cao|so lieu|thong bao|quyet dinh) (?:cua )?(?:thanh tra|so|ubnd|cuc|bo|toa|cong an|co quan)",
    r"ket luan thanh tra", r"thanh tra (?:tinh|chinh phu|so) (?:da )?ket luan", r"toa an nhan dan", r"hdxx", r"tuyen phat",
    r"(?:theo )?nguoi phat ngon", r"hop bao (?:chieu|sang|dinh ky|thuong ky)",
    r"co quan (?:canh sat dieu tra|csdt)", r"cong an (?:tinh|thanh pho|huyen|xa) (?:cho biet|xac nhan|thong tin|da)",
    r"cong an [^.]{0,40}(?:cho biet|xac nhan|thong tin|da xac minh|da xu ly)",
    r"theo (?:so|ubnd|uy ban|bo|cuc|chi cuc|tong cuc|trung tam|ban quan ly|toa an|vien kiem sat|thanh tra|cong an) ",
    r"(?:provincial|city|government) (?:\w+ )?(?:department|inspectors?|station|authority|committee) (?:said|says|reported|found)",
    r"(?:inspectors|officials) (?:found|said|confirmed|recommended)",
    r"(?:ong|ba) [A-Za-z]+(?: [A-Za-z]+){0,3}, (?:giam doc|pho giam doc|chu tich|pho chu tich|truong|pho truong|chanh|pho chanh|nghien cuu vien|tien si|ts\.|pgs)",
    r"(?:giam doc|chu tich|nguoi phat ngon|truong phong|pho giam doc) [^.]{0,60}(?:cho biet|xac nhan|khang dinh|thong tin)",
    r"so lieu (?:cua|tu) (?:cuc|so|tong cuc|bo)", r"cuc thong ke", r"ban quan ly cac khu cong nghiep",
    r"according to (?:the )?(?:provincial|city|court|police|inspectorate|department|official|statistics|ministry)",
    r"the (?:court|inspectorate|people's court) (?:ruled|found|concluded|sentenced)", r"police (?:said|confirmed|reported)",
    r"(?:director|chairman|spokesperson|researcher|deputy director|head) of [^.]{0,60}(?:said|told|confirmed)",
    r"official (?:figures|data|statistics)", r"told reporters",
    r"(?:court|inspectorate|prosecutors?|procuracy)\b[^.]{0,40}(?:ruled|found|concluded|sentenced|charged|indicted)",
]), re.IGNORECASE)


@dataclass
class OfficialStatement:
    """An official statement from the index: claims it refutes, as phrases (hook for issue #5)."""

    text: str
    refutes: list[str]
    province: str | None = None
    url: str | None = None


def _evidence(sig: Signal, text: str, a: int, b: int) -> Evidence:
    return Evidence(sig.name, text[a:b], a, b, sig.explanation)


def detect(text: str, title_len: int, negative: bool, context_fabrication: bool = False,
           statements: list[OfficialStatement] | None = None,
           weights: dict[str, float] | None = None) -> tuple[float, list[Evidence], bool]:
    """Distortion score, evidence, and whether official attribution was found."""
    folded = fold(text)
    weights = weights or {}
    evidence: list[Evidence] = []
    for sig in SIGNALS:
        rx = _COMPILED.get(sig.name)
        if rx is None:
            continue
        region = folded[:title_len] if sig.title_only else folded
        if sig.title_only and "?" not in region:
            continue
        n = 0
        for m in rx.finditer(region):
            evidence.append(_evidence(sig, text, m.start(), m.end()))
            n += 1
            if n >= sig.cap:
                break
    # Headlines in full capitals with "!" are a loaded-language signal of their own.
    title = text[:title_len]
    if title_len and (title.count("!") >= 2 or sum(w.isupper() and len(w) > 3 for w in title.split()) >= 3):
        evidence.append(_evidence(BY_NAME["loaded_language"], text, 0, title_len))
    official = bool(_OFFICIAL.search(folded) or _OFFICIAL.search(text))
    if negative and not official and evidence:
        evidence.append(_evidence(BY_NAME["no_source"], text, 0, title_len))
    if context_fabrication and title_len:
        evidence.append(_evidence(BY_NAME["fabrication_record"], text, 0, title_len))
    for st in statements or []:
        for claim in st.refutes:
            i = folded.find(fold(claim))
            if i != -1:
                ev = _evidence(BY_NAME["contradicts_official"], text, i, i + len(claim))
                short = st.text if len(st.text) < 120 else st.text[:117] + "…"
                evidence.append(Evidence(ev.signal, ev.text, ev.start, ev.end,
                                         f"Trái với thông tin chính thức: “{short}”."))
    score = 1.0
    counts: dict[str, int] = {}
    for ev in evidence:
        sig = BY_NAME[ev.signal]
        counts[ev.signal] = counts.get(ev.signal, 0) + 1
        w = weights.get(ev.signal, sig.weight)
        # diminishing returns for repeated hits of one signal
        score *= 1.0 - w / counts[ev.signal]
    score = 1.0 - score
    kinds = {ev.signal for ev in evidence} - {"no_source", "fabrication_record"}
    if official:
        # Official attribution marks factual reporting, unless the item piles up several kinds of
        # distortion signal (an official rebuttal quoted inside a smear piece).
        score *= 0.45 if len(kinds) < 3 else 0.8
    if not negative:
        score *= 0.6
    return round(score, 3), evidence, official
