"""Held-out "unseen" items, written by hand in styles the frames do not use.

Wire briefs, quote-led features, opinion pieces, forum and social posts,
foreign-press English, text typed without diacritics. Never trained or tuned
on. Build: ``python -m duluan.classifiers.datagen.heldout``.

Format: lang | provinces | sentiment | flags | topic | title | body, where flags is
a set of letters: d distorted, f factual critical, h hard negative (then
provinces holds the province whose name must NOT match, prefixed "!"), x no
diacritics, o foreign source.
"""

from __future__ import annotations

import json

from .build import DATA_DIR

ITEMS = r"""
vi|hai-phong|positive||culture_tourism|Cát Bà vào top điểm đến hấp dẫn châu Á|Tạp chí du lịch quốc tế vừa xếp quần đảo Cát Bà vào danh sách 20 điểm đến đáng ghé thăm nhất châu Á. Vịnh Lan Hạ được khen có nước trong xanh và dịch vụ được nâng cấp. Lượng khách quốc tế đến đảo tăng gần gấp đôi so với năm ngoái.
vi|hai-phong|negative|f|traffic_construction|Xe container lật ở nút giao Đình Vũ|Rạng sáng 14/9, một xe container chở thép bị lật tại nút giao vào KCN Đình Vũ, Hải Phòng, tài xế bị thương nhẹ. Cảnh sát giao thông cho biết xe chạy quá tốc độ khi vào cua. Hiện trường được giải tỏa sau ba giờ.
vi|hai-phong|neutral||government|Hải Phòng lấy ý kiến đặt tên đường mới|Sở Văn hóa, Thể thao và Du lịch Hải Phòng đề xuất đặt tên cho 15 tuyến đường mới tại khu đô thị Bắc sông Cấm. Hồ sơ được công khai để người dân góp ý đến hết tháng 10.
vi|hai-phong|negative|f|corruption|Cựu chủ tịch xã ở Kinh Môn lĩnh 6 năm tù|TAND TP Hải Phòng tuyên phạt bị cáo Phạm Văn Lực, cựu Chủ tịch UBND một xã thuộc thị xã Kinh Môn (Hải Dương cũ), 6 năm tù về tội tham ô tài sản. Theo cáo trạng, bị cáo chiếm đoạt 1,2 tỷ đồng tiền hỗ trợ giải phóng mặt bằng.
vi|hai-phong|negative|d|land_environment|Vải Thanh Hà bị đổ bỏ hàng loạt, chính quyền làm ngơ?|Nghe đâu cả vùng Thanh Hà năm nay vải thối đầy gốc mà không một ai ở trên quan tâm. Bà con kể với nhau là thương lái được "bật đèn xanh" để ép giá tới tận đáy. Đúng là một vùng đất bị bỏ rơi!!!
vi|hai-phong|positive||sovereignty|Ngư dân Bạch Long Vĩ vươn khơi an toàn|Nhờ hệ thống cảnh báo mới, ngư dân ở huyện đảo Bạch Long Vĩ yên tâm bám biển suốt mùa mưa bão. Đồn Biên phòng đảo đã hướng dẫn hơn 200 lượt tàu tránh trú an toàn.
vi|hai-phong|positive|x|culture_tourism|Hai Phong FC nguoc dong ngoan muc|Hai Phong FC da loi nguoc dong 2-1 truoc doi khach trong tran dau toi qua tren san Lach Tray. Hang van co dong vien dat Cang an mung den khuya.
vi|hai-phong|negative|d|security|Hải Dương cũ đang nổi loạn? Dân kéo nhau vây trụ sở|Clip được chia sẻ khắp các hội nhóm cho thấy hàng trăm người vây kín trụ sở ở Chí Linh. Người đăng khẳng định cả vùng đã nổi dậy, công an bất lực. Bạn nào ở gần thì qua ngay mà tiếp sức!
en|hai-phong|positive|o|investment|Haiphong emerges as a magnet for electronics makers|Haiphong has quietly become one of Southeast Asia's busiest electronics hubs, with three new plants opening at the Deep C zones this year alone. Executives point to the deep-water Lach Huyen port and a steady supply of trained workers.
en|hai-phong|negative|fo|industrial_labour|Workers walk out at Haiphong shoe factory|More than 1,000 workers at a Taiwanese-owned footwear plant in Hai Phong walked off the job on Tuesday after management cut meal allowances, a union official told Reuters. The industrial zones authority said talks were under way and most staff returned the next day.
en|hai-phong|negative|do|land_environment|Haiphong's coast is dying and nobody cares|Anyone who has been to Do Son knows the sea there is now a sewer, one blogger wrote in a post shared thousands of times. The authorities, he claims, are paid to look away. Boycott the beaches until they clean up!
vi|hung-yen|positive||trade_industry|Nhãn lồng Hưng Yên lần đầu sang thị trường Úc|Sau ba năm chuẩn bị, lô nhãn lồng Hưng Yên đầu tiên đã cập cảng Sydney. Hợp tác xã ở Khoái Châu cho biết giá bán cao gấp ba lần trong nước, nhiều nhà vườn phấn khởi.
vi|hung-yen|negative|f|health|Ngộ độc sau bữa cỗ ở Quỳnh Phụ|Trung tâm Y tế khu vực cho biết 27 người ở huyện Quỳnh Phụ, tỉnh Thái Bình cũ, phải cấp cứu sau khi ăn cỗ. Bác sĩ Lê Thị Hoa, phó giám đốc trung tâm, cho biết các bệnh nhân đã ổn định; mẫu thức ăn được gửi đến Viện Vệ sinh dịch tễ.
vi|hung-yen|neutral||government|Thái Bình cũ chuyển trụ sở các sở ngành về Hưng Yên|Theo kế hoạch của UBND tỉnh Hưng Yên, các cơ quan chuyên môn đặt tại TP Thái Bình trước đây sẽ hoàn tất chuyển trụ sở trong quý IV. Bộ phận một cửa vẫn giữ tại chỗ để phục vụ người dân.
vi|hung-yen|negative|d|government|HƯNG YÊN: BỘ MÁY TÊ LIỆT SAU SÁP NHẬP|Người dân Thái Bình cũ đang bị bỏ mặc, không ai thèm đoái hoài. Nguồn tin nội bộ cho hay lãnh đạo chỉ lo chia ghế. Tất cả những gì họ hứa đều là dối trá!
vi|hung-yen|positive|x|culture_tourism|Le hoi chua Keo thu hut du khach|Le hoi chua Keo nam nay don hang chuc nghin luot khach thap phuong. Ban to chuc cho biet an ninh, ve sinh duoc dam bao, khong xay ra tinh trang chen lan.
vi|hung-yen|negative|f|industrial_labour|Công nhân KCN Phố Nối A phản ánh bị trừ lương|Khoảng 300 công nhân một công ty may trong KCN Phố Nối A đã tập trung trước cổng nhà máy sáng 8/10 để phản ánh việc bị trừ lương. Ban Quản lý các KCN tỉnh Hưng Yên đã đối thoại, công ty cam kết hoàn trả khoản bị trừ.
en|hung-yen|positive|o|investment|Hung Yen lands $500 million chip packaging plant|A Singapore-based group will build a $500 million semiconductor packaging plant at the Thang Long II Industrial Park in Hung Yen, the provincial government said. Construction starts in December and the plant is expected to employ 3,000 people.
en|hung-yen|negative|do|religion_ethnicity|Catholics in Thai Binh face persecution, activists say|Activists abroad claim that parishes in the former Thai Binh province are under siege and that priests are followed day and night. No names or dates were given. Readers were urged to flood the embassy's inbox in protest.
en|hung-yen|neutral|o|government|Hung Yen absorbs Thai Binh in provincial merger|Under the 2025 reorganisation, Thai Binh province has been merged into Hung Yen, which now has a population of about 3.5 million. The provincial capital remains in Hung Yen city.
vi|vinh-long|positive||traffic_construction|Thông xe cầu Rạch Miễu 2|Sáng 30/8, cầu Rạch Miễu 2 nối Bến Tre cũ với Tiền Giang cũ chính thức thông xe. Người dân xứ dừa không còn cảnh kẹt xe kéo dài mỗi dịp lễ tết.
vi|vinh-long|negative|f|land_environment|Xâm nhập mặn sâu 60 km, Ba Tri thiếu nước ngọt|Theo Sở Nông nghiệp và Môi trường tỉnh Vĩnh Long, ranh mặn 4‰ đã vào sâu 60 km trên sông Hàm Luông. Hàng nghìn hộ ở huyện Ba Tri phải mua nước ngọt giá cao; tỉnh đã chở nước miễn phí đến các xã khó khăn.
vi|vinh-long|neutral||education|Vĩnh Long sắp xếp lại mạng lưới trường học|Sở Giáo dục và Đào tạo tỉnh Vĩnh Long trình phương án sáp nhập 40 điểm trường lẻ ở Trà Vinh cũ và Bến Tre cũ. Việc sắp xếp sẽ thực hiện từ năm học tới.
vi|vinh-long|negative|d|land_environment|Bến Tre sắp bị xóa sổ vì sạt lở?|Một kênh Youtube có hàng trăm nghìn người theo dõi khẳng định toàn bộ Bến Tre sẽ chìm trong 5 năm tới mà chính quyền vẫn giấu dân. Video dùng lại hình ảnh sạt lở ở nơi khác từ nhiều năm trước. Hãy chia sẻ để bà con kịp chạy!
vi|vinh-long|positive|x|trade_industry|Dua Ben Tre xuat khau tang manh|Kim ngach xuat khau san pham tu dua cua Ben Tre cu dat 500 trieu USD trong 9 thang, tang 20%. Nhieu doanh nghiep o Mo Cay Nam mo rong nha xuong.
vi|vinh-long|negative|f|security|Bắt nhóm đối tượng trộm cắp dừa ở Giồng Trôm|Công an tỉnh Vĩnh Long đã bắt 4 đối tượng chuyên trộm dừa tại huyện Giồng Trôm. Nhóm này khai nhận đã lấy trộm hơn 10 tấn dừa từ đầu năm.
vi|vinh-long|positive||religion_ethnicity|Rộn ràng lễ hội Ok Om Bok ở ao Bà Om|Hàng vạn người dân và du khách đã đổ về ao Bà Om xem đua ghe ngo trong lễ hội Ok Om Bok. Đồng bào Khmer Trà Vinh cũ đón lễ trong không khí vui tươi, an toàn.
en|vinh-long|negative|fo|land_environment|Mekong farmers in Ben Tre battle record salinity|Salt water pushed 60 kilometres up the Ham Luong river this dry season, the worst in five years, according to provincial data. Farmers in Ben Tre, now part of Vinh Long province, lost about a third of their fruit crop.
en|vinh-long|positive|o|culture_tourism|Boat races draw crowds in Tra Vinh|Tens of thousands gathered at Ba Om pond in Tra Vinh for the annual Ok Om Bok boat races, a highlight of the Khmer calendar in Vinh Long province.
en|vinh-long|negative|do|government|Vinh Long merger a disaster, locals whisper|Behind closed doors, residents say the merged Vinh Long province is falling apart. One man, who would not give his name, said every office has stopped working. It is time for the people to take matters into their own hands.
vi|bac-ninh|positive||investment|Bắc Ninh dẫn đầu cả nước về vốn FDI 9 tháng|Theo số liệu của Cục Đầu tư nước ngoài, Bắc Ninh thu hút 4,2 tỷ USD vốn FDI trong 9 tháng, cao nhất cả nước. Phần lớn dự án đặt tại VSIP Bắc Ninh và KCN Quang Châu.
vi|bac-ninh|negative|f|industrial_labour|Tranh chấp lao động tại KCN Vân Trung|Hơn 500 công nhân một công ty điện tử tại KCN Vân Trung (Bắc Giang cũ) ngừng việc do không đồng ý với quy chế thưởng mới. Liên đoàn Lao động tỉnh Bắc Ninh đã vào cuộc; sau đối thoại, công nhân trở lại làm việc.
vi|bac-ninh|neutral||culture_tourism|Hội Lim năm nay tổ chức ba ngày|UBND tỉnh Bắc Ninh thông báo Hội Lim năm nay diễn ra từ ngày 12 đến 14 tháng Giêng. Các canh hát quan họ trên thuyền được giữ như mọi năm.
vi|bac-ninh|negative|d|health|Vải Lục Ngạn tẩm hóa chất độc hại, cả tỉnh biết mà lờ đi?|Một bài đăng lan truyền mạnh cho rằng 100% vải thiều Lục Ngạn đều được ngâm hóa chất. Người viết tự xưng là "người trong nghề" nhưng không đưa ra bằng chứng. Hãy tẩy chay vải thiều Bắc Giang ngay!
vi|bac-ninh|positive|x|education|Hoc sinh Bac Giang cu gianh huy chuong vang|Em Nguyen Minh Chau, hoc sinh truong chuyen Bac Giang, vua gianh huy chuong vang Olympic Vat ly chau A. Day la thanh tich cao nhat tu truoc den nay cua hoc sinh tinh.
vi|bac-ninh|negative|f|traffic_construction|Đường vào KCN Yên Phong xuống cấp nghiêm trọng|Tuyến đường dài 3 km dẫn vào KCN Yên Phong xuất hiện nhiều ổ gà sau mùa mưa. Sở Xây dựng Bắc Ninh cho biết đã có kế hoạch sửa chữa, dự kiến hoàn thành trong tháng 12.
en|bac-ninh|positive|o|investment|Samsung expands Bac Ninh plant|Samsung Electronics said it would invest an additional $1.2 billion in its Yen Phong complex in Bac Ninh province, adding production lines for foldable phones.
en|bac-ninh|negative|fo|land_environment|Craft village pollution in Bac Ninh under scrutiny|Provincial environmental inspectors found wastewater from dozens of recycling workshops in a Bac Ninh craft village flowing untreated into canals. The department fined 12 workshops and ordered them to install treatment systems within six months.
en|bac-ninh|negative|do|industrial_labour|Is Bac Ninh a sweatshop for the world?|Bac Ninh factories are where workers go to die, according to a widely shared post by an anonymous account. The post offered no evidence but called on buyers abroad to boycott every phone assembled in the province.
vi|dak-lak|positive||trade_industry|Cà phê Buôn Ma Thuột được giá kỷ lục|Giá cà phê nhân tại Buôn Ma Thuột chạm mốc 130.000 đồng/kg, mức cao nhất lịch sử. Nông dân Krông Pắc cho biết thu nhập năm nay tăng gấp đôi.
vi|dak-lak|negative|f|land_environment|Cháy rừng ở Vườn quốc gia Yok Đôn|Khoảng 15 ha rừng khộp tại Vườn quốc gia Yok Đôn bị cháy chiều 2/3. Ban Giám đốc vườn cho biết lửa đã được khống chế sau 6 giờ; nguyên nhân ban đầu do người dân đốt rẫy.
vi|dak-lak|neutral||government|Đắk Lắk công bố trung tâm hành chính mới|Sau khi hợp nhất với Phú Yên, tỉnh Đắk Lắk đặt trung tâm hành chính tại TP Buôn Ma Thuột. Một số cơ quan vẫn làm việc tại Tuy Hòa để thuận tiện cho người dân phía đông.
vi|dak-lak|negative|d|religion_ethnicity|Đồng bào Tây Nguyên bị xua đuổi khỏi đất tổ?|Một trang mạng ở nước ngoài khẳng định chính quyền Đắk Lắk đang âm mưu xóa sổ các buôn làng. Bài viết dùng những bức ảnh cũ chụp ở nơi khác và kêu gọi đồng bào đứng lên chống lại.
vi|dak-lak|positive|x|culture_tourism|Ganh Da Dia dong khach dip le|Dip nghi le 2/9, khu du lich ganh Da Dia o Phu Yen cu don hon 20 nghin luot khach. Cac dich vu an uong, luu tru duoc khach danh gia cao.
vi|dak-lak|negative|f|sovereignty|Tàu cá Sông Cầu bị nạn, hai ngư dân mất tích|Tàu cá của ngư dân thị xã Sông Cầu bị sóng lớn đánh chìm khi đang khai thác. Bộ đội Biên phòng tỉnh Đắk Lắk đã cứu được 6 người, hai người vẫn đang mất tích.
vi|dak-lak|negative|f|corruption|Kỷ luật cảnh cáo nguyên chủ tịch huyện Ea Kar|Ủy ban Kiểm tra Tỉnh ủy Đắk Lắk quyết định kỷ luật cảnh cáo ông Y Bim, nguyên Chủ tịch UBND huyện Ea Kar, do vi phạm trong quản lý đất đai.
en|dak-lak|positive|o|trade_industry|Vietnam's coffee capital rides price boom|Farmers around Buon Ma Thuot, the capital of Dak Lak province, are enjoying their best season in decades as global coffee prices soar. Many are reinvesting in irrigation and new seedlings.
en|dak-lak|negative|fo|security|Police in Dak Lak arrest 12 over attack on commune offices|Police in Dak Lak arrested 12 people suspected of involvement in an armed attack on two commune offices last year, the Ministry of Public Security said. Prosecutors have charged them with terrorism.
en|dak-lak|negative|do|religion_ethnicity|Highlanders in Daklak face ethnic cleansing, exiles claim|Exile groups allege that villages across Daklak are being wiped out, citing photos that rights researchers later traced to another country a decade ago. The groups urged supporters abroad to rise up and march on embassies.
vi|!hai-phong|||education|Sinh viên hải dương học thực địa ở Cù Lao Chàm|Nhóm sinh viên ngành hải dương học đã hoàn thành chuyến khảo sát rạn san hô ở Cù Lao Chàm, Đà Nẵng. Các em ghi nhận nhiều loài cá mới xuất hiện.
vi|!hung-yen|||land_environment|La Nina suy yếu ở Thái Bình Dương|Cơ quan khí tượng Mỹ cho biết hiện tượng La Nina ở Thái Bình Dương đang suy yếu. Miền Trung Việt Nam có thể ít mưa hơn vào cuối năm.
vi|!hung-yen|||culture_tourism|Đạo diễn Lê Thái Bình nhận giải thưởng|Phim ngắn của đạo diễn Lê Thái Bình vừa đoạt giải Bông Sen Bạc. Bộ phim kể về cuộc sống của ngư dân miền Trung.
vi|!vinh-long|||trade_industry|Vĩnh Long Group hợp tác với đối tác Hàn Quốc|Vĩnh Long Group, doanh nghiệp bất động sản có trụ sở tại TP Hồ Chí Minh, vừa ký thỏa thuận hợp tác với một quỹ đầu tư Hàn Quốc.
vi|!hai-phong|||traffic_construction|Ngập nặng trên đường Hải Phòng sau mưa lớn|Cơn mưa lớn chiều qua khiến đường Hải Phòng, quận Thanh Khê, TP Đà Nẵng ngập sâu 40 cm. Nhiều xe máy chết máy giữa đường.
vi|!hung-yen|x||trade_industry|Cong ty Thai Binh tang von dieu le|Cong ty Thai Binh, doanh nghiep giay dep tai Binh Duong cu, vua tang von dieu le len 500 ty dong.
vi|!hung-yen|||government|Khát vọng thái bình của dân tộc|Bài bình luận nhấn mạnh lịch sử dân tộc luôn hướng tới một nền thái bình lâu dài. Tác giả dẫn nhiều áng văn chương cổ.
vi|!bac-ninh|||culture_tourism|Cà phê sách trên phố Bắc Ninh ở Hà Nội|Một quán cà phê sách nhỏ trên phố Bắc Ninh, quận Hoàn Kiếm cũ, Hà Nội, trở thành điểm hẹn của giới trẻ yêu đọc sách.
en|!hung-yen|||investment|Pacific trade pact talks resume|Negotiators from Asia-Pacific economies resumed talks on a regional trade pact in Singapore this week, focusing on digital services.
en|!hai-phong|||education|Oceanography students map coral off Nha Trang|Students from a marine science institute mapped coral reefs off Nha Trang, recording signs of recovery after years of bleaching.
en|!vinh-long|||culture_tourism|Band Vinh Long Brothers tour Europe|The Saigon rock band Vinh Long Brothers began a ten-city European tour in Berlin, playing songs from their new album.
en|!hung-yen|||security|Suspect Tran Thai Binh detained in Ho Chi Minh City|Ho Chi Minh City police detained Tran Thai Binh, 42, accused of running a fake investment scheme that cheated 300 people.
vi|||-|investment|Năm tỉnh thành thu ngân sách vượt dự toán|Theo Bộ Tài chính, Hà Nội, TP Hồ Chí Minh, Hải Phòng, Quảng Ninh, Đồng Nai và Bình Dương cũ là những địa phương thu ngân sách vượt dự toán sớm nhất.
vi|||-|land_environment|Nắng nóng gay gắt ở nhiều tỉnh|Nắng nóng trên 39 độ C xuất hiện ở Thanh Hóa, Nghệ An, Hà Tĩnh, Hưng Yên và Ninh Bình. Người dân cần hạn chế ra ngoài vào buổi trưa.
en|||-|trade_industry|Lychee season opens across the north|Lychee harvests began in Bac Giang, Hai Duong, Phu Tho, Lang Son and Thai Nguyen, with traders reporting strong demand from China.
vi|||-|education|Các tỉnh công bố lịch nghỉ Tết|Hà Nội, Đà Nẵng, Cần Thơ, Đắk Lắk, Gia Lai, Lâm Đồng cùng nhiều địa phương đã công bố lịch nghỉ Tết cho học sinh.
vi|hai-phong|positive||land_environment|Hải Phòng gửi đoàn cứu hộ giúp vùng lũ Lào Cai|Trong khi lũ quét gây thiệt hại nặng ở Lào Cai, TP Hải Phòng đã cử 120 chiến sĩ và 30 ca nô hỗ trợ tìm kiếm cứu nạn. Lãnh đạo Lào Cai gửi thư cảm ơn sự giúp đỡ nhanh chóng của Hải Phòng.
vi|bac-ninh|positive||health|Y bác sĩ Bắc Ninh chi viện cho vùng dịch|Đoàn 50 y bác sĩ của Bắc Ninh lên đường chi viện cho vùng dịch sốt xuất huyết ở Đồng Nai. Lãnh đạo Sở Y tế Bắc Ninh cho biết đoàn mang theo đầy đủ thuốc và thiết bị.
vi|hai-phong|negative|x|traffic_construction|Cau Kien ngap nang, nguoi dan Thuy Nguyen kho khan|Sau tran mua lon dem qua, nhieu tuyen duong o huyen Thuy Nguyen, TP Hai Phong ngap sau, hang tram hoc sinh phai nghi hoc. Chinh quyen dia phuong da huy dong may bom de thoat nuoc.
vi|dak-lak|neutral||investment|Đắk Lắk họp bàn quy hoạch sân bay Buôn Ma Thuột|UBND tỉnh Đắk Lắk làm việc với Cục Hàng không về phương án mở rộng cảng hàng không Buôn Ma Thuột. Các bên thống nhất lập báo cáo tiền khả thi trong năm tới.
en|vinh-long|neutral|o|traffic_construction|My Thuan bridge closed at night for maintenance|The My Thuan bridge in Vinh Long will close to trucks from 10pm to 5am for two weeks while engineers replace expansion joints.
vi|hung-yen|negative|d|land_environment|Sự thật kinh hoàng ở bãi biển Đồng Châu?|Nhiều tài khoản Facebook đồng loạt đăng tin biển Đồng Châu bị nhiễm độc, cá chết trắng bờ, kèm ảnh được cho là chụp hôm qua. Thực tế đó là ảnh chụp ở một nước khác năm 2016. Các bài đăng đều kêu gọi mọi người đừng bao giờ đến Thái Bình nữa.
vi|bac-ninh|negative|f|culture_tourism|Ùn tắc kéo dài ở lễ hội chùa Dâu|Lượng khách đổ về lễ hội chùa Dâu quá đông khiến quốc lộ qua Thuận Thành ùn tắc hơn 3 km trong ngày khai hội. Công an huyện đã bố trí thêm lực lượng phân luồng.
en|hai-phong|neutral|o|foreign_affairs|Japanese consulate opens visa centre in Hai Phong|Japan's consulate general opened a visa application centre in Hai Phong to serve the growing number of workers and students from the northern port city.
vi|dak-lak|negative|d|investment|Dự án điện gió ở Phú Yên cũ: ai đang bỏ túi hàng nghìn tỷ?|Có tin đồn rằng cả một đường dây quan chức đứng sau các dự án điện gió ở Phú Yên cũ. Không một tài liệu nào được đưa ra nhưng bài viết vẫn khẳng định chắc nịch "ai cũng biết". Người đọc được kêu gọi bao vây trụ sở tỉnh.
vi|vinh-long|neutral|x|health|Vinh Long trien khai kham sang loc mien phi|So Y te tinh Vinh Long to chuc kham sang loc ung thu mien phi cho nguoi dan tai cac xa vung sau Tra Vinh cu tu ngay 5/11.
en|bac-ninh|neutral|o|culture_tourism|Quan ho singers prepare for UNESCO anniversary|Folk singers in Bac Ninh are rehearsing for events marking fifteen years since quan ho was inscribed by UNESCO. Performances will be held at village communal houses.
vi|hung-yen|negative|f|corruption|Khởi tố giám đốc công ty xăng dầu ở Văn Lâm|Cơ quan CSĐT Công an tỉnh Hưng Yên đã khởi tố giám đốc một công ty xăng dầu ở huyện Văn Lâm về tội trốn thuế, gây thiệt hại hơn 20 tỷ đồng cho ngân sách.
en|hung-yen|negative|fo|health|Hospital overload in Hung Yen after merger|Hospitals in Hung Yen are running at 150 percent capacity as patients from the former Thai Binh province travel for specialist care, the provincial health director said. A new wing will open next year.
vi|dak-lak|positive||land_environment|Đắk Lắk phục hồi 1.000 ha rừng|Năm nay Đắk Lắk đã phục hồi thành công hơn 1.000 ha rừng bị suy thoái ở Ea H'leo và M'Drắk. Tỷ lệ cây sống đạt trên 90%.
vi|vinh-long|negative|d|corruption|Lãnh đạo Vĩnh Long ôm tiền bỏ trốn?|Tin nhắn lan truyền trong các nhóm Zalo cho rằng một lãnh đạo tỉnh Vĩnh Long đã "ôm" hàng trăm tỷ trốn ra nước ngoài. Không ai xác minh được thông tin, nhưng người phát tán khẳng định "chắc chắn 100%" và kêu gọi dân đến trụ sở đòi tiền.
en|dak-lak|neutral|o|foreign_affairs|Korean delegation visits Dak Lak coffee cooperatives|A delegation from South Korea's Gyeonggi province visited coffee cooperatives in Dak Lak to explore direct sourcing deals.
vi|hai-phong|negative|f|health|Bệnh viện Việt Tiệp quá tải dịp cuối năm|Bệnh viện Hữu nghị Việt Tiệp Hải Phòng đang tiếp nhận hơn 3.000 lượt khám mỗi ngày, nhiều khoa nằm ghép 2 người một giường. Giám đốc bệnh viện cho biết đang mở thêm phòng khám buổi tối.
vi|bac-ninh|negative|d|security|Cảnh báo: Bắc Ninh đang có "bắt cóc trẻ em" hàng loạt|Bài đăng trên một hội nhóm phụ huynh cảnh báo trẻ em bị bắt cóc mỗi ngày ở Từ Sơn, kèm ảnh chụp màn hình không rõ nguồn. Công an tỉnh Bắc Ninh đã xác minh và không ghi nhận vụ việc nào. Bài viết vẫn kêu gọi phụ huynh tự lập đội tuần tra, chia sẻ ngay.
vi|hung-yen|positive||culture_tourism|CLB Thái Bình giành vé thăng hạng|CLB Thái Bình đã chính thức giành quyền lên chơi ở giải hạng Nhất sau chiến thắng 2-0 ở vòng cuối. Người hâm mộ quê lúa đổ ra đường ăn mừng.
en|vinh-long|positive|o|investment|Tra Vinh wind farms power up|Three new wind farms off the Duyen Hai coast in Vinh Long province began commercial operation, adding 150 megawatts of clean power.
"""

FLAG = {"d": "distorted", "f": "factual_critical", "h": "hard_negative", "x": "no_diacritics", "o": "foreign"}


def items() -> list[dict]:
    out = []
    for i, line in enumerate(l for l in ITEMS.strip().splitlines() if l.strip()):
        lang, prov, sentiment, flags, topic, title, body = line.split("|", 6)
        neg = prov[1:] if prov.startswith("!") else None
        provinces = [] if (neg or not prov) else prov.split(",")
        out.append({
            "id": f"heldout-{i:03d}", "split": "heldout", "style": "heldout", "language": lang,
            "source_kind": "foreign" if "o" in flags else "domestic",
            "source": "foreign-news" if "o" in flags else "bao-trong-nuoc",
            "url": f"https://example.org/heldout-{i:03d}", "published": "2025-10-15T07:00:00",
            "title": title, "body": body, "provinces": provinces,
            "sentiment": sentiment if sentiment in ("positive", "neutral", "negative") else None,
            "topic": topic, "distorted": "d" in flags, "factual_critical": "f" in flags,
            "hard_negative": neg is not None, "negative_of": neg, "no_diacritics": "x" in flags,
            "fabrication_record": False, "syndication": 1,
        })
    return out


def main() -> None:
    data = items()
    with (DATA_DIR / "heldout.jsonl").open("w", encoding="utf-8") as fh:
        for it in data:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    print(len(data))


if __name__ == "__main__":
    main()
