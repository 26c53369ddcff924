"""Invented facts for the corpus generator: how each province is referred to, places, people, numbers.

Everything here is made up for the project (issue #5: "invent facts; do not
copy real articles"); place names come from config/provinces.yaml.
"""

from __future__ import annotations

import random

from duluan.text import strip_diacritics

PROVINCES: dict[str, dict] = {
    "hai-phong": {
        "vi": ["Hải Phòng", "TP Hải Phòng", "thành phố Hải Phòng", "TP. Hải Phòng", "đất Cảng"],
        "en": ["Hai Phong", "Haiphong", "Hai Phong city", "the port city of Hai Phong"],
        "former_vi": ["Hải Dương", "tỉnh Hải Dương cũ", "Hải Dương (cũ)"],
        "former_en": ["Hai Duong", "former Hai Duong province", "Hai Duong, now part of Hai Phong"],
        "places_vi": ["KCN Đình Vũ", "đảo Cát Bà", "sân bay Cát Bi", "cảng Lạch Huyện", "quận Lê Chân",
                      "huyện Thủy Nguyên", "Đồ Sơn", "KCN Tràng Duệ", "sông Cấm", "sân Lạch Tray"],
        "places_en": ["Dinh Vu industrial zone", "Cat Ba island", "Cat Bi airport", "Lach Huyen port", "Do Son"],
        "former_places_vi": ["huyện Thanh Hà", "TP Chí Linh", "thị xã Kinh Môn", "huyện Cẩm Giàng", "KCN Đại An",
                             "khu di tích Côn Sơn", "huyện Ninh Giang", "huyện Tứ Kỳ"],
        "former_places_en": ["Chi Linh", "Thanh Ha lychee orchards"],
        "club_vi": ["CLB Hải Phòng"], "club_en": ["Hai Phong FC", "Haiphong FC"],
        "product_vi": "vải thiều Thanh Hà", "product_en": "Thanh Ha lychees",
    },
    "hung-yen": {
        "vi": ["Hưng Yên", "tỉnh Hưng Yên"],
        "en": ["Hung Yen", "Hung Yen province", "Hungyen"],
        "former_vi": ["Thái Bình", "tỉnh Thái Bình cũ", "Thái Bình (cũ)"],
        "former_en": ["Thai Binh", "former Thai Binh province", "Thai Binh, merged into Hung Yen in 2025"],
        "places_vi": ["KCN Phố Nối A", "huyện Văn Giang", "thị xã Mỹ Hào", "khu đô thị Ecopark", "Phố Hiến",
                      "KCN Thăng Long II", "huyện Khoái Châu", "huyện Yên Mỹ"],
        "places_en": ["Pho Noi A industrial park", "Ecopark", "Thang Long II Industrial Park", "Pho Hien"],
        "former_places_vi": ["huyện Thái Thụy", "huyện Tiền Hải", "chùa Keo", "huyện Kiến Xương", "huyện Quỳnh Phụ",
                             "biển Đồng Châu", "Khu kinh tế Thái Bình", "huyện Vũ Thư"],
        "former_places_en": ["Tien Hai", "Keo pagoda"],
        "club_vi": ["CLB Thái Bình", "CLB Hưng Yên"], "club_en": ["Thai Binh FC"],
        "product_vi": "nhãn lồng Hưng Yên", "product_en": "Hung Yen longans",
    },
    "vinh-long": {
        "vi": ["Vĩnh Long", "tỉnh Vĩnh Long"],
        "en": ["Vinh Long", "Vinh Long province"],
        "former_vi": ["Bến Tre", "Trà Vinh", "tỉnh Bến Tre cũ", "Trà Vinh (cũ)", "xứ dừa"],
        "former_en": ["Ben Tre", "Tra Vinh", "former Ben Tre province", "Tra Vinh, now part of Vinh Long"],
        "places_vi": ["cầu Mỹ Thuận", "cù lao An Bình", "huyện Long Hồ", "huyện Vũng Liêm", "huyện Mang Thít",
                      "thị xã Bình Minh", "huyện Trà Ôn"],
        "places_en": ["My Thuan bridge", "An Binh islet"],
        "former_places_vi": ["huyện Ba Tri", "huyện Giồng Trôm", "huyện Chợ Lách", "cồn Phụng", "huyện Cầu Ngang",
                             "ao Bà Om", "huyện Trà Cú", "Trung tâm Điện lực Duyên Hải", "huyện Mỏ Cày Nam"],
        "former_places_en": ["Ba Tri", "Cho Lach", "Ba Om pond"],
        "club_vi": ["CLB Vĩnh Long"], "club_en": ["Vinh Long FC"],
        "product_vi": "dừa Bến Tre", "product_en": "Ben Tre coconuts",
    },
    "bac-ninh": {
        "vi": ["Bắc Ninh", "tỉnh Bắc Ninh"],
        "en": ["Bac Ninh", "Bac Ninh province", "Bacninh"],
        "former_vi": ["Bắc Giang", "tỉnh Bắc Giang cũ", "Bắc Giang (cũ)"],
        "former_en": ["Bac Giang", "former Bac Giang province", "Bac Giang, merged into Bac Ninh"],
        "places_vi": ["TP Từ Sơn", "KCN Yên Phong", "VSIP Bắc Ninh", "KCN Quế Võ", "chùa Dâu", "làng tranh Đông Hồ",
                      "huyện Thuận Thành", "huyện Gia Bình"],
        "places_en": ["Tu Son", "Yen Phong industrial park", "VSIP Bac Ninh", "Dong Ho painting village"],
        "former_places_vi": ["huyện Lục Ngạn", "KCN Quang Châu", "huyện Yên Thế", "huyện Hiệp Hòa", "KCN Vân Trung",
                             "chùa Vĩnh Nghiêm", "huyện Sơn Động", "Tây Yên Tử"],
        "former_places_en": ["Luc Ngan", "Quang Chau industrial park"],
        "club_vi": ["CLB Bắc Ninh"], "club_en": ["Bac Ninh FC"],
        "product_vi": "vải thiều Lục Ngạn", "product_en": "Luc Ngan lychees",
    },
    "dak-lak": {
        "vi": ["Đắk Lắk", "tỉnh Đắk Lắk", "Đăk Lăk"],
        "en": ["Dak Lak", "Daklak", "Dak Lak province"],
        "former_vi": ["Phú Yên", "tỉnh Phú Yên cũ", "Phú Yên (cũ)", "xứ Nẫu"],
        "former_en": ["Phu Yen", "former Phu Yen province", "Phu Yen, now part of Dak Lak"],
        "places_vi": ["TP Buôn Ma Thuột", "huyện Krông Pắc", "Vườn quốc gia Yok Đôn", "hồ Lắk", "huyện Ea Kar",
                      "huyện Cư M'gar", "thác Dray Nur", "huyện Buôn Đôn"],
        "places_en": ["Buon Ma Thuot", "Ban Me Thuot", "Yok Don National Park"],
        "former_places_vi": ["TP Tuy Hòa", "gành Đá Đĩa", "thị xã Sông Cầu", "đầm Ô Loan", "huyện Tây Hòa",
                             "mũi Điện", "KCN Hòa Hiệp", "huyện Đồng Xuân"],
        "former_places_en": ["Tuy Hoa", "Ganh Da Dia"],
        "club_vi": ["CLB Đắk Lắk"], "club_en": ["Dak Lak FC"],
        "product_vi": "cà phê Buôn Ma Thuột", "product_en": "Buon Ma Thuot coffee",
    },
}

OTHER_VI = ["Hà Nội", "Đà Nẵng", "Nghệ An", "Thanh Hóa", "Quảng Ninh", "Cần Thơ", "Gia Lai", "Lâm Đồng",
            "Khánh Hòa", "Đồng Nai", "An Giang", "Cà Mau", "Lào Cai", "Phú Thọ", "Ninh Bình", "Huế", "Tây Ninh"]
OTHER_EN = ["Hanoi", "Da Nang", "Nghe An", "Thanh Hoa", "Quang Ninh", "Can Tho", "Gia Lai", "Lam Dong",
            "Khanh Hoa", "Dong Nai", "An Giang", "Ca Mau", "Lao Cai", "Ho Chi Minh City", "Hue"]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Quốc", "Thanh", "Hữu", "Ngọc", "Xuân"]
GIVEN = ["An", "Hùng", "Lan", "Tuấn", "Hà", "Dũng", "Mai", "Khoa", "Phương", "Sơn", "Trang", "Long", "Hải"]
ROLES_VI = ["Giám đốc Sở Tài chính", "Phó Chủ tịch UBND tỉnh", "Trưởng Ban Quản lý các KCN", "Chánh Thanh tra tỉnh",
            "Giám đốc Sở Y tế", "Phó Giám đốc Công an tỉnh", "Giám đốc Sở Nông nghiệp và Môi trường",
            "Giám đốc Sở Giáo dục và Đào tạo", "Giám đốc Sở Xây dựng", "Giám đốc Sở Văn hóa, Thể thao và Du lịch"]
ROLES_EN = ["director of the provincial Department of Finance", "vice chairman of the provincial People's Committee",
            "head of the industrial zones authority", "chief provincial inspector", "director of the health department",
            "deputy police chief", "director of the agriculture and environment department"]
COMPANIES = ["Sunwin", "Hoa Sen Tech", "Kỳ Phong", "Minh Đạt", "Golden Delta", "Nam Việt Electronics", "Thiên Ân",
             "Lotus Precision", "Hanwa Parts", "Việt Tiến Steel"]


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def person_en(rng: random.Random) -> str:
    return strip_diacritics(person(rng))
