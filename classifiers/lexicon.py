"""Sentiment lexicon (Vietnamese and English, folded) that the trained model uses as features.

The model learns from a few hundred items; the lexicon brings words the corpus
never saw ("khởi sắc", "thriving", "bê bối") and keeps working on text without
diacritics. Entries are folded phrases so "tang truong" and "tăng trưởng" match.
"""

from __future__ import annotations

import re

from duluan.text import fold

POSITIVE = """
tang truong; tang manh; khoi sac; thanh cong; hieu qua; an tuong; ky luc; vuot ke hoach; vuot chi tieu;
phat trien; dot pha; thu hut; diem sang; dan dau; nang dong; hap dan; tu hao; phan khoi; vui mung;
khen thuong; bang khen; vinh danh; giai thuong; hoan thanh; khanh thanh; dua vao su dung; khoi cong;
cai thien; nang cao; ho tro; giup do; cuu tro; kip thoi; tan tinh; san sang; on dinh; an toan; sach dep;
nguoi dan hai long; hai long; don nhan; ung ho; duoc cong nhan; xuat sac; vo dich; chien thang; tang hang;
bao ton; ton vinh; thuan loi; trien vong; tich cuc; hop tac; ky ket; nhon nhip; sung tuc; no am;
growth; grew; record; thriving; success; successful; boost; boosted; praised; award; awarded; winner; won;
improve; improved; improvement; welcomed; opened; inaugurated; attract; attracted; leading; vibrant;
booming; impressive; celebrate; celebrated; champion; support; supported; rescued; efficient; safe;
strong; stronger; proud; record high; milestone; flourishing; upgrade; upgraded; expand; expanded;
thong xe; dat giai; gianh huy chuong; huy chuong vang; gianh quyen; thang hang; loi nguoc dong; an mung;
dong khach; hut khach; thu hut dong dao; gia cao; duoc gia; duoc mua; thu nhap tang; gap doi; cao nhat;
phuc hoi thanh cong; tang von; mo rong; chi vien; cuu ho; cuu nan; cam on; danh gia cao; yen tam; vui tuoi;
ron rang; soi noi; an toan tuyet doi; top; hang dau; xep hang cao; vao danh sach; len ngoi; thong minh;
magnet; boom; booms; soar; soared; soaring; best; lands; enjoy; enjoying; crowds; draw; draws; hub; thrive;
gains; gain; rises; rose; invest; investing; new plant; power up; clean power; highlight; celebrates;
promoted; victory; winning; generous; relief; help; helped; thanks; thanked; grateful; praise; honour; honored;
tat bat; don hang moi; ky them don hang; het hang; ban chay; chay hang; thu lai; lai cao; hoi sinh; chuyen minh;
dat chuan ocop; ocop bon sao; ocop 4 sao; quang ba thanh cong; dong dao khach; khach tham quan dong; hut hang;
xuat khau sang; lo hang dau tien; duoc vinh danh; duoc ton vinh; di san the gioi; bang chung nhan; thanh tich;
thu nhap tang; thu nhap cao; cai thien doi song; lan toa; diem den hap dan; dat ky luc; vuot moc; gianh giai;
sold out; sell out; sought after; breakthrough; pour in; poured in; full capacity; best prices; revival; revived;
first shipment; new orders; orders pour; bumper; bumper crop; heritage site; acclaimed; showcase; showcased;
rebound; rebounded; recovered; recovery; lifted; landmark deal; doubled; tripled; proud; pride; hailed
"""

NEGATIVE = """
sai pham; vi pham; tham nhung; hoi lo; bat giu; khoi to; truy to; tuyen an; ky luat; canh cao; cach chuc;
tai nan; tu vong; thuong vong; bi thuong; chay; hoa hoan; sat lo; ngap lut; lu lut; han man; xam nhap man;
o nhiem; boc mui; ca chet; chat thai; xa thai; dinh cong; ngung viec; no luong; cham luong; that nghiep;
cham tien do; dap chieu; bo hoang; lang phi; that thoat; thua lo; dong cua; pha san; giam manh; sut giam;
ngo doc; dich benh; qua tai; thieu thuoc; buc xuc; khieu nai; khieu kien; tranh chap; cuong che; gay roi;
lua dao; buon lau; ma tuy; trom cap; cuop; giet; danh nhau; yeu kem; bat cap; tieu cuc; xuong cap;
that bai; khung hoang; dan ap; boc lot; che giau; bao che; bat cong; sup do; tham hoa; kinh hoang;
nguy hiem; bi phat; xu phat; dinh chi; thu hoi giay phep; ton dong; un tac; keo dai; khong dat;
corruption; bribery; arrested; charged; sentenced; accident; killed; dead; died; injured; fire; flood;
flooding; landslide; drought; pollution; polluted; toxic; strike; strikers; unpaid; layoffs; delayed;
abandoned; waste; wasted; losses; bankrupt; decline; declined; plunge; poisoning; outbreak; overloaded;
protest; protests; dispute; evicted; eviction; fraud; smuggling; drugs; theft; murder; violence; poor;
failure; failed; crisis; crackdown; exploited; exploitation; cover up; cover-up; scandal; unfair; collapse;
disaster; shocking; dangerous; fined; suspended; congestion; complaints; misconduct; violations;
nam tu; lanh an; bi cao; tham o; chiem doat; tron thue; cap cuu; nhap vien; xuong cap nghiem trong; o ga;
ngap; ngap sau; ngap nang; qua tai; nam ghep; mat tich; bi chim; chim tau; bi nan; chay rung; bi chay; kho khan; thieu nuoc;
thiet hai; mat mua; do bo; ep gia; lam ngo; bo mac; bo roi; noi loan; noi day; bat coc; hoang mang; hon loan;
te liet; doi tra; bi tru luong; tru luong; ngung viec; phan doi; tu vong; chet; tham o tai san;
ky luat canh cao; vi pham trong quan ly; un tac keo dai; xam nhap man sau; khong dong y; tranh chap lao dong;
battle; battles; lost; loss; worst; walk out; walked off; walkout; cut; cuts; dying; sewer; persecution;
under siege; wiped out; falling apart; arrest; arrests; attack; terrorism; overcrowded; capacity crisis;
untreated; salinity; salt water; sank; missing; shortage; backlog; overdue; slump; slumped; fell;
trang tay; mat trang; nuot chung; nuot tron; khai tu; xoa so; xoa ten; vut bo; tan nhan; bat binh; cuop dat;
cuong doat; thau tom; nhom loi ich; ban re; doi chac; nha cam quyen; giau giem; hoang loan; bat an; lo lang; lo ngai;
cong dan hang hai; bi ep; bi bo roi; bi lang quen; bi xoa; nguy co mat trang; thieu giao vien; thieu bac si;
tre hen; cham tre; bi day; dot bien; nho giot; trang tron; ung tac; ngap ung; sup lun; sut lun; vo de; vo bo;
cay trong chet; mat mua; thiet mang; nguoi chet; di doi khan cap; canh bao khan; cham giai ngan; hoat dong cam chung;
sinking; underwater; abandoned; slave; slaves; slavery; poisoning; poisoned; chaos; driven off; evacuated; evacuation;
collapsed; collapses; behind schedule; terminate; terminating; faulted; fault; intrusion; lack; lacks; short of;
starved; locked; fear; fears; terrified; silenced; erased; swallowed; neglect; neglected; exploited; dead fish;
doesn't care; does not care; betrayal; grabbed; grabbing; looted; bleak; despair; misery; suffering; victims;
breach; breached; erosion; eroded; contaminated; spill; leaked; leak; damaged; destroyed; casualties; stranded
"""


# Administrative boilerplate: positive words that official neutral news uses for plans, procedures and
# announcements ("triển khai hỗ trợ", "hoàn thành cấp đổi", "kế hoạch phát triển"). They count for less
# than achievement words so a plan does not read as an achievement.
WEAK_POSITIVE = """
hoan thanh; phat trien; ho tro; nang cao; on dinh; hop tac; ky ket; tich cuc; cai thien; mo rong; thuan loi;
an toan; san sang; khoi cong; nang dong; trien vong; support; supported; help; helped; expand; expanded;
improve; improved; improvement; upgrade; upgraded; efficient; safe; strong; stronger; invest; investing; opened
"""
WEAK_WEIGHT = 0.6


def _phrases(block: str) -> list[str]:
    return [p.strip() for p in block.replace("\n", " ").split(";") if p.strip()]


def _compile(phrases: list[str]) -> re.Pattern[str]:
    alts = sorted({fold(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alts) + r")(?![\w])")


_WEAK = {fold(p) for p in _phrases(WEAK_POSITIVE)}
_POS = _compile(_phrases(POSITIVE) + sorted(_WEAK))
_NEG = _compile(_phrases(NEGATIVE))
_NEGATED = re.compile(r"(?:khong|chua|chang|not|no|never|khong he)\s+$")


def lexicon_counts(text: str) -> tuple[float, float]:
    """(positive, negative) hit counts in ``text``; a negated positive counts as negative."""
    f = fold(text)
    pos = neg = 0.0
    for m in _POS.finditer(f):
        w = WEAK_WEIGHT if m.group(0) in _WEAK else 1.0
        if _NEGATED.search(f[max(0, m.start() - 10):m.start()]):
            neg += w
        else:
            pos += w
    for m in _NEG.finditer(f):
        if _NEGATED.search(f[max(0, m.start() - 10):m.start()]):
            pos += 0.5
        else:
            neg += 1
    return pos, neg


def lexicon_features(text: str) -> list[float]:
    """Scaled counts and their balance, appended to the TF-IDF vector."""
    pos, neg = lexicon_counts(text)
    total = pos + neg
    return [min(pos, 6) / 2.0, min(neg, 6) / 2.0, (pos - neg) / (total + 1.0), float(total == 0)]
