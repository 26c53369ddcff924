"""Hard negatives (a province name that is not the province) and passing mentions in lists.

Format: language | negative_of | topic | sentiment | title | body. ``negative_of``
is the monitored province whose name appears but must not be matched; ``-``
for a list item. Gold provinces are empty for all of these.
"""

HARD = r"""
vi|hai-phong|culture_tourism|-|Viện Hải dương học đón khách tham quan dịp hè|Viện Hải dương học ở Nha Trang, Khánh Hòa, đón hơn {N} lượt khách trong tháng {M}. Bảo tàng trưng bày hàng nghìn mẫu sinh vật biển. Các nhà khoa học cũng giới thiệu nghiên cứu hải dương học mới.
vi|hai-phong|education|-|Sinh viên ngành hải dương học thực tập trên tàu nghiên cứu|{M}0 sinh viên ngành hải dương học của một trường đại học ở Hà Nội vừa hoàn thành chuyến thực tập trên biển. Các em đo nhiệt độ, độ mặn và dòng chảy. Giảng viên {X} hướng dẫn đoàn.
vi|hung-yen|land_environment|-|El Nino quay trở lại ở Thái Bình Dương|Các chuyên gia khí tượng cho biết nhiệt độ mặt nước biển ở vùng xích đạo Thái Bình Dương đang tăng. Hiện tượng El Nino có thể gây nắng nóng tại {O}. Người dân được khuyến cáo tiết kiệm nước.
vi|hung-yen|investment|-|Diễn đàn kinh tế châu Á – Thái Bình Dương họp tại {O}|Các bộ trưởng châu Á – Thái Bình Dương thảo luận về chuỗi cung ứng và thương mại số. Hội nghị diễn ra tại {O} trong hai ngày. Nhiều thỏa thuận hợp tác được ký kết.
vi|hung-yen|culture_tourism|-|Ca sĩ Thái Bình ra mắt album mới|Ca sĩ Thái Bình vừa ra mắt album gồm {M} ca khúc về tình yêu và quê hương. Đêm nhạc ra mắt diễn ra tại {O} với hàng nghìn khán giả. Anh cho biết sẽ tổ chức tour diễn cuối năm.
vi|hung-yen|security|-|Bắt giữ đối tượng Nguyễn Thái Bình lừa đảo chiếm đoạt tài sản|Công an {O} đã bắt giữ Nguyễn Thái Bình, 35 tuổi, về hành vi lừa đảo qua mạng. Đối tượng chiếm đoạt hơn {N} triệu đồng của nhiều người. Vụ việc đang được điều tra.
vi|hung-yen|trade_industry|-|Tập đoàn Thái Bình mở rộng chuỗi cửa hàng|Tập đoàn Thái Bình vừa khai trương thêm {M} cửa hàng tại {O}. Doanh nghiệp đặt mục tiêu tăng doanh thu {M}0% năm nay. Ban lãnh đạo cho biết sẽ tuyển thêm nhân viên.
vi|vinh-long|trade_industry|-|Công ty Vĩnh Long Food ra mắt sản phẩm mới|Công ty Vĩnh Long Food có trụ sở tại {O} vừa giới thiệu dòng bánh kẹo mới. Sản phẩm được phân phối tại các siêu thị lớn. Giám đốc công ty cho biết doanh số tăng đều.
vi|vinh-long|culture_tourism|-|Ông Trần Vĩnh Long được vinh danh nghệ nhân|Ông Trần Vĩnh Long, nghệ nhân gốm ở {O}, vừa được trao danh hiệu nghệ nhân ưu tú. Ông đã gắn bó với nghề hơn {M}0 năm. Các tác phẩm của ông được trưng bày tại bảo tàng.
vi|vinh-long|traffic_construction|-|Sửa chữa mặt đường Vĩnh Long ở {O}|Từ ngày {D}, đường Vĩnh Long tại quận trung tâm {O} sẽ được sửa chữa mặt đường. Các phương tiện được hướng dẫn đi đường vòng. Công trình kéo dài khoảng {M} tuần.
vi|hai-phong|traffic_construction|-|Va chạm giao thông trên đường Hải Phòng, Đà Nẵng|Chiều {D}, hai xe máy va chạm trên đường Hải Phòng, quận Thanh Khê, Đà Nẵng, làm {M} người bị thương nhẹ. Công an quận đang làm rõ nguyên nhân. Giao thông khu vực bị ảnh hưởng trong ít phút.
vi|hai-phong|culture_tourism|-|Quán phở trên phố Hải Phòng ở Đà Nẵng hút khách|Một quán phở nhỏ trên phố Hải Phòng, trung tâm Đà Nẵng, thu hút đông thực khách mỗi sáng. Chủ quán cho biết đã mở cửa hơn {M}0 năm. Du khách đánh giá nước dùng đậm đà.
vi|bac-ninh|traffic_construction|-|Cấm xe tải vào đường Bắc Ninh ở {O}|UBND {O} quyết định cấm xe tải trên {M} tấn đi vào đường Bắc Ninh giờ cao điểm. Quy định có hiệu lực từ ngày {D}. Lực lượng chức năng sẽ tăng cường kiểm tra.
vi|dak-lak|traffic_construction|-|Mở rộng đường Phú Yên tại {O}|Dự án mở rộng đường Phú Yên ở {O} đã hoàn thành {M}0% khối lượng. Tuyến đường dài {N} m được lát lại vỉa hè. Nhà thầu cam kết bàn giao đúng hạn.
vi|hung-yen|culture_tourism|-|Ban nhạc Thái Bình ra mắt MV|Ban nhạc Thái Bình gồm {M} thành viên trẻ ở {O} vừa ra mắt MV đầu tay. Sản phẩm đạt hơn {N} nghìn lượt xem sau một ngày. Nhóm cho biết đang chuẩn bị album.
vi|hung-yen|government|-|Mong một thời thái bình, thịnh trị|Bài viết bình luận về khát vọng một đất nước thái bình, thịnh vượng. Tác giả nhắc lại nhiều giai đoạn lịch sử. Ông {X} cho rằng hòa bình là nền tảng phát triển.
vi|hai-phong|land_environment|-|Hải dương mênh mông và những bí ẩn chưa lời giải|Các nhà nghiên cứu ước tính con người mới khám phá một phần nhỏ của đại hải dương. Nhiều loài sinh vật ở đáy biển chưa được đặt tên. Công nghệ robot lặn mở ra hướng nghiên cứu mới.
en|hai-phong|education|-|Oceanography institute in Nha Trang opens new lab|The Institute of Oceanography in Nha Trang has opened a new marine biology lab. Researchers will study coral reefs off {O}. The lab cost {N} billion dong.
en|hung-yen|land_environment|-|Pacific warming signals return of El Nino|Sea surface temperatures across the equatorial Pacific are rising, meteorologists said. The Thai Binh Duong, as the Pacific is called in Vietnamese, drives rainfall patterns across the region. Farmers in {O} are advised to save water.
en|hung-yen|culture_tourism|-|Singer Thai Binh announces year-end tour|Pop singer Thai Binh will perform in {M} cities including {O} at the end of the year. Mr Thai Binh said the tour celebrates his tenth year on stage. Tickets go on sale next week.
en|vinh-long|trade_industry|-|Vinh Long Group expands coffee chain|Vinh Long Group, a food company based in {O}, opened {M} new coffee shops this quarter. The company plans to list shares next year. Revenue rose {M}0 percent.
en|hai-phong|traffic_construction|-|Road works close Hai Phong Street in Da Nang|A section of Hai Phong Street in Da Nang's Thanh Khe district will close for resurfacing from {D}. Drivers should use nearby roads. The work will take {M} weeks.
en|hung-yen|investment|-|Asia-Pacific ministers meet in {O}|Trade ministers from across the Asia-Pacific met in {O} to discuss digital trade. Several cooperation agreements were signed. The next meeting will be held in Singapore.
en|hung-yen|security|-|Man named Nguyen Thai Binh arrested for online fraud|Police in {O} arrested Nguyen Thai Binh, 35, for defrauding dozens of people online. He allegedly took {N} million dong. The case is under investigation.
"""

LISTS = r"""
vi|-|land_environment|-|Mưa lớn diện rộng ở miền Bắc|Mưa lớn kéo dài gây ngập cục bộ tại Hà Nội, Hải Phòng, Quảng Ninh, Ninh Bình, Phú Thọ và Thái Nguyên. Trung tâm Dự báo khí tượng thủy văn quốc gia cảnh báo nguy cơ lũ quét ở vùng núi. Người dân được khuyến cáo hạn chế ra đường.
vi|-|investment|-|Mười địa phương dẫn đầu thu hút FDI|Theo Cục Đầu tư nước ngoài, các địa phương dẫn đầu thu hút FDI gồm TP Hồ Chí Minh, Hà Nội, Bắc Ninh, Quảng Ninh, Đồng Nai và Thái Nguyên. Tổng vốn đăng ký cả nước tăng {M}%. Ngành chế biến chế tạo chiếm tỷ trọng lớn nhất.
vi|-|education|-|Công bố điểm chuẩn lớp 10 nhiều địa phương|Nhiều địa phương như Hà Nội, Đà Nẵng, Hưng Yên, Nghệ An, Cần Thơ đã công bố điểm chuẩn lớp 10. Điểm chuẩn năm nay nhìn chung tăng nhẹ. Thí sinh xác nhận nhập học trước ngày {D}.
vi|-|health|-|Bộ Y tế cảnh báo sốt xuất huyết tăng|Số ca sốt xuất huyết tăng ở Hà Nội, TP Hồ Chí Minh, Đồng Nai, Vĩnh Long, An Giang và Cà Mau. Bộ Y tế đề nghị các địa phương tăng cường diệt lăng quăng. Người dân cần đi khám khi sốt cao.
vi|-|trade_industry|-|Giá cà phê tăng kỷ lục|Giá cà phê nhân xô tại Gia Lai, Lâm Đồng, Đắk Lắk và Đồng Nai đồng loạt tăng lên mức cao mới. Các doanh nghiệp xuất khẩu cho biết nhu cầu thế giới lớn. Giới phân tích dự báo giá còn biến động.
vi|-|government|-|34 tỉnh thành sau sáp nhập vận hành chính quyền hai cấp|Từ ngày 1/7, các địa phương như Tuyên Quang, Lào Cai, Bắc Ninh, Hưng Yên, Ninh Bình, Quảng Trị, Gia Lai và Đồng Tháp vận hành mô hình mới. Bộ Nội vụ sẽ tổng kết sau sáu tháng. Người dân có thể tra cứu địa giới mới trực tuyến.
vi|-|culture_tourism|-|Lịch thi đấu vòng {M} V-League|Vòng đấu này có các trận đáng chú ý tại Hà Nội, Thanh Hóa, Nghệ An và Nam Định. Đương kim vô địch làm khách trên sân của đội mới lên hạng. Các trận đấu được truyền hình trực tiếp.
en|-|land_environment|-|Heavy rain floods parts of northern Vietnam|Heavy rain flooded streets in Hanoi, Hai Phong, Quang Ninh, Ninh Binh and Phu Tho on {D}. Forecasters warned of flash floods in mountain areas. Schools in some districts closed.
en|-|investment|-|Foreign investment rises in northern provinces|Foreign direct investment rose in Hanoi, Bac Ninh, Quang Ninh, Thai Nguyen and Hai Phong, the planning ministry said. Electronics remained the largest sector. Total registered capital rose {M} percent.
en|-|trade_industry|-|Coffee prices jump in Central Highlands|Coffee prices rose in Gia Lai, Lam Dong, Dak Lak and Dong Nai as global supplies tightened. Exporters said demand was strong. Analysts expect volatility to continue.
en|-|health|-|Dengue cases rise across the south|Dengue fever cases increased in Ho Chi Minh City, Dong Nai, Vinh Long, An Giang and Ca Mau. The health ministry urged provinces to step up prevention. Hospitals are prepared for more patients.
"""
