#!/usr/bin/python3
"""Generate sohoa's demo batch: samples/batch/ (one folder per dossier + manifest.csv) and
samples/truth/ (per-page text truth + pages.json).

Run with Debian's python3 and python3-pil (no other dependency):
    /usr/bin/python3 samples/make_samples.py
Deterministic: fixed seed, fixed fonts (DejaVu, Debian's fonts-dejavu-core), no timestamps in the
outputs. Re-running rewrites samples/batch and samples/truth from scratch.

Conventions (same as ../shared/corpus): the upright page is rendered first; `skew_deg` is applied
next (counter-clockwise positive, the sign of PIL's Image.rotate), then the quarter turn
`rotation_ccw` (0/90/180/270, counter-clockwise). To restore: rotate clockwise by rotation_ccw, then
by -skew_deg. Truth = the rendered text lines of the upright page, top to bottom; in a two-column
header (agency | national motto) the two blocks' lines that share a baseline form one truth line,
left block first -- the reading a line-based OCR engine produces. Seals and signature strokes are
graphics, not text: they are not in the truth.
"""
import csv
import json
import os
import random
import shutil
import sys
import unicodedata

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
BATCH = os.path.join(HERE, "batch")
TRUTH = os.path.join(HERE, "truth")
FONT_DIR = "/usr/share/fonts/truetype/dejavu"
SEED = 20260302

PAPER_RGB = (247, 245, 238)
INK_RGB = (28, 28, 34)
SEAL_RGB = (205, 32, 45)
PEN_RGB = (25, 55, 165)

MOTTO = [("bold", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("bold_ul", "Độc lập - Tự do - Hạnh phúc")]

# --------------------------------------------------------------------------------------------
# The dossiers. Place names and people are fictional; codes follow the national forms.
# --------------------------------------------------------------------------------------------
DOSSIERS = [
    {
        "dossier_code": "000.00.04.H38-260302-0001",
        "title": "Đăng ký thành lập doanh nghiệp tư nhân, DNTN Vật liệu xây dựng Đức Thịnh",
        "procedure_code": "1.001612.000.00.00.H38",
        "procedure_name": "Đăng ký thành lập doanh nghiệp tư nhân",
        "agency": "Sở Tài chính",
        "unit": "Trung tâm Phục vụ hành chính công tỉnh",
        "level": "province",
        "received_date": "2026-03-02",
        "applicant": "Nguyễn Văn An",
        "so_bien_nhan": "BN-2026-000123",
    },
    {
        "dossier_code": "000.00.09.H38-260415-0007",
        "title": "Yêu cầu cấp Phiếu lý lịch tư pháp số 1 - Trần Thị Bích Ngọc",
        "procedure_code": "2.001417.000.00.00.H38",
        "procedure_name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
        "agency": "Sở Tư pháp",
        "unit": "Trung tâm Phục vụ hành chính công tỉnh",
        "level": "province",
        "received_date": "2026-04-15",
        "applicant": "Trần Thị Bích Ngọc",
        "so_bien_nhan": "BN-2026-004517",
    },
    {
        "dossier_code": "000.15.30.H38-250618-0023",
        "title": "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu, thửa đất số 215 tờ bản đồ số 12",
        "procedure_code": "1.004227.000.00.00.H38",
        "procedure_name": "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu",
        "agency": "Phòng Tài nguyên và Môi trường",
        "unit": "Bộ phận một cửa huyện Đông Hòa",
        "level": "district",
        "received_date": "2025-06-18",
        "applicant": "Lê Đức Thắng",
        "so_bien_nhan": "ĐH-2025-0618-023",
    },
    {
        "dossier_code": "000.41.31.H38-260520-0004",
        "title": "Đăng ký khai sinh cho trẻ Đặng Minh Đạt",
        "procedure_code": "1.001193.000.00.00.H38",
        "procedure_name": "Đăng ký khai sinh",
        "agency": "Ủy ban nhân dân xã Hòa Hiệp",
        "unit": "Bộ phận một cửa xã Hòa Hiệp",
        "level": "commune",
        "received_date": "2026-05-20",
        "applicant": "Đặng Quốc Đạt",
        "so_bien_nhan": "HH-2026-0520-004",
    },
]

# Page blocks:
#   ("motto",) ("header2", [left lines], [right lines]) ("title", t) ("sub", t) ("center", t)
#   ("kv", label, value) ("para", t) ("item", t) ("gap", lines) ("date", t)
#   ("sign", title, hint, name, {"seal": [ring text], "pen": bool})
D1_P1 = [
    ("motto",), ("gap", 1.2),
    ("title", "ĐƠN ĐỀ NGHỊ ĐĂNG KÝ KINH DOANH"),
    ("sub", "(Doanh nghiệp tư nhân)"), ("gap", 0.6),
    ("center", "Kính gửi: Phòng Đăng ký kinh doanh, Sở Tài chính tỉnh Đắk Lắk"), ("gap", 0.6),
    ("kv", "Tôi là (ghi họ tên bằng chữ in hoa)", "NGUYỄN VĂN AN"),
    ("kv", "Giới tính", "Nam. Sinh ngày: 12/08/1985. Dân tộc: Kinh. Quốc tịch: Việt Nam"),
    ("kv", "Số định danh cá nhân", "054085001234, cấp ngày 20/04/2021"),
    ("kv", "Nơi cấp", "Cục Cảnh sát quản lý hành chính về trật tự xã hội"),
    ("kv", "Địa chỉ thường trú", "số 27 đường Điện Biên Phủ, phường Tuy Hòa, tỉnh Đắk Lắk"),
    ("kv", "Điện thoại", "0905 123 456. Thư điện tử: an.nguyen@example.vn"),
    ("para", "Đăng ký doanh nghiệp tư nhân do tôi làm chủ với các nội dung sau đây:"),
    ("kv", "1. Tên doanh nghiệp", "Doanh nghiệp tư nhân Vật liệu xây dựng Đức Thịnh"),
    ("kv", "Tên doanh nghiệp viết tắt", "DNTN ĐỨC THỊNH"),
    ("kv", "2. Địa chỉ trụ sở chính", "số 15 đường Độc Lập, phường Đông Hòa, tỉnh Đắk Lắk"),
    ("kv", "3. Vốn đầu tư", "1.500.000.000 đồng (Một tỷ năm trăm triệu đồng)"),
    ("kv", "4. Ngành, nghề kinh doanh", "theo danh sách đính kèm đơn này"),
    ("para", "Tôi cam kết là người đại diện theo pháp luật của doanh nghiệp, không đồng thời là chủ hộ "
             "kinh doanh, chủ doanh nghiệp tư nhân khác; chịu trách nhiệm trước pháp luật về tính hợp "
             "pháp, chính xác và trung thực của nội dung đơn đề nghị này."),
    ("date", "Đắk Lắk, ngày 02 tháng 3 năm 2026"),
    ("sign", "CHỦ DOANH NGHIỆP TƯ NHÂN", "(Ký và ghi họ tên)", "Nguyễn Văn An", {"pen": True}),
]

D1_P2 = [
    ("title", "DANH SÁCH NGÀNH, NGHỀ KINH DOANH ĐĂNG KÝ"),
    ("sub", "(Kèm theo Đơn đề nghị đăng ký kinh doanh của Doanh nghiệp tư nhân Đức Thịnh)"), ("gap", 0.8),
    ("item", "1. Bán buôn vật liệu, thiết bị lắp đặt khác trong xây dựng, mã ngành 4663 (ngành chính)."),
    ("item", "2. Bán lẻ đồ ngũ kim, sơn, kính và thiết bị lắp đặt khác trong xây dựng trong các cửa hàng "
             "chuyên doanh, mã ngành 4752."),
    ("item", "3. Vận tải hàng hóa bằng đường bộ, mã ngành 4933."),
    ("item", "4. Kho bãi và lưu giữ hàng hóa, mã ngành 5210."),
    ("item", "5. Bán buôn đồ dùng khác cho gia đình, trừ dược phẩm, mã ngành 4649."),
    ("gap", 0.5),
    ("para", "Doanh nghiệp cam kết đáp ứng đầy đủ điều kiện kinh doanh đối với ngành, nghề kinh doanh có "
             "điều kiện trước khi đi vào hoạt động. Kho chứa vật liệu đặt tại thôn Phước Lâm, bảo đảm "
             "khoảng cách an toàn về phòng cháy, chữa cháy và bảo vệ môi trường theo quy định."),
    ("para", "Đề nghị Phòng Đăng ký kinh doanh xem xét, đối chiếu mã ngành với Hệ thống ngành kinh tế Việt "
             "Nam và đăng ký cho doanh nghiệp. Mọi thay đổi về ngành, nghề kinh doanh sau khi đăng ký, "
             "doanh nghiệp sẽ thông báo đến cơ quan đăng ký kinh doanh trong thời hạn mười ngày."),
    ("date", "Đắk Lắk, ngày 02 tháng 3 năm 2026"),
    ("sign", "CHỦ DOANH NGHIỆP", "(Ký và ghi họ tên)", "Nguyễn Văn An", {"pen": True}),
]

D1_P3 = [
    ("motto",), ("gap", 1.0),
    ("title", "GIẤY ỦY QUYỀN"),
    ("sub", "(Về việc nộp hồ sơ và nhận kết quả đăng ký doanh nghiệp)"), ("gap", 0.6),
    ("kv", "Bên ủy quyền", "ông Nguyễn Văn An, sinh ngày 12/08/1985"),
    ("kv", "Số định danh cá nhân", "054085001234"),
    ("kv", "Bên được ủy quyền", "ông Đỗ Đình Đông, sinh ngày 03/11/1990"),
    ("kv", "Số định danh cá nhân", "054090007788"),
    ("kv", "Địa chỉ", "thôn Đông Phước, xã Hòa Hiệp, tỉnh Đắk Lắk"),
    ("para", "Nội dung ủy quyền: ông Đỗ Đình Đông được thay mặt tôi nộp hồ sơ đăng ký thành lập Doanh "
             "nghiệp tư nhân Đức Thịnh tại Trung tâm Phục vụ hành chính công tỉnh, sửa đổi, bổ sung hồ sơ "
             "theo yêu cầu của cơ quan đăng ký kinh doanh và nhận Giấy chứng nhận đăng ký doanh nghiệp."),
    ("para", "Thời hạn ủy quyền: kể từ ngày ký đến khi hoàn thành thủ tục đăng ký doanh nghiệp. Bên được "
             "ủy quyền không được ủy quyền lại cho người khác."),
    ("date", "Đắk Lắk, ngày 28 tháng 02 năm 2026"),
    ("sign", "NGƯỜI ỦY QUYỀN", "(Ký, ghi rõ họ tên)", "Nguyễn Văn An", {"pen": True}),
]

D2_P1 = [
    ("motto",), ("gap", 1.0),
    ("title", "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP"),
    ("sub", "(Dùng cho cá nhân có yêu cầu cấp Phiếu lý lịch tư pháp)"), ("gap", 0.6),
    ("center", "Kính gửi: Sở Tư pháp tỉnh Đắk Lắk"), ("gap", 0.4),
    ("kv", "1. Họ và tên", "TRẦN THỊ BÍCH NGỌC"),
    ("kv", "2. Giới tính", "Nữ. 3. Ngày, tháng, năm sinh: 25/12/1994"),
    ("kv", "4. Nơi sinh", "xã Đức Phổ, huyện Cát Tiên, tỉnh Lâm Đồng"),
    ("kv", "5. Quốc tịch", "Việt Nam. 6. Dân tộc: Kinh"),
    ("kv", "7. Nơi thường trú", "số 08 đường Đinh Tiên Hoàng, phường Buôn Ma Thuột, tỉnh Đắk Lắk"),
    ("kv", "8. Số định danh cá nhân", "068194004321"),
    ("kv", "9. Họ tên cha", "Trần Văn Định. 10. Họ tên mẹ: Đoàn Thị Đào"),
    ("kv", "11. Số lượng Phiếu lý lịch tư pháp yêu cầu cấp", "02 bản"),
    ("para", "Mục đích yêu cầu cấp Phiếu: bổ sung hồ sơ dự tuyển viên chức ngành giáo dục tại Trường "
             "Trung học phổ thông Đống Đa. Tôi xin cam đoan những lời khai trên là đúng sự thật và "
             "chịu trách nhiệm trước pháp luật về lời khai của mình."),
    ("date", "Đắk Lắk, ngày 15 tháng 4 năm 2026"),
    ("sign", "NGƯỜI KHAI", "(Ký, ghi rõ họ tên)", "Trần Thị Bích Ngọc", {"pen": True}),
]

D2_P2 = [
    ("title", "BẢN KHAI QUÁ TRÌNH CƯ TRÚ, HỌC TẬP VÀ CÔNG TÁC"),
    ("sub", "(Kèm theo Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp)"), ("gap", 0.8),
    ("kv", "Họ và tên người khai", "Trần Thị Bích Ngọc"),
    ("para", "Quá trình cư trú, học tập và công tác từ đủ 14 tuổi đến nay, khai theo thứ tự thời gian:"),
    ("item", "Từ 09/2008 đến 06/2012: học sinh Trường Trung học phổ thông Đạ Tẻh, tỉnh Lâm Đồng; cư trú "
             "tại xã Đức Phổ, huyện Cát Tiên."),
    ("item", "Từ 09/2012 đến 06/2016: sinh viên Trường Đại học Đà Lạt, chuyên ngành Sư phạm Địa lý; cư "
             "trú tại ký túc xá của trường."),
    ("item", "Từ 08/2016 đến 12/2020: giáo viên hợp đồng Trường Trung học cơ sở Điện Biên, thành phố Đà Nẵng."),
    ("item", "Từ 01/2021 đến nay: nhân viên Công ty cổ phần Giáo dục Đông Dương, cư trú tại phường Buôn Ma Thuột."),
    ("gap", 0.5),
    ("para", "Tôi xin cam đoan bản khai quá trình cư trú, học tập và công tác trên đây là đầy đủ, đúng sự "
             "thật; nếu khai không đúng, tôi xin hoàn toàn chịu trách nhiệm."),
    ("date", "Đắk Lắk, ngày 15 tháng 4 năm 2026"),
    ("sign", "NGƯỜI KHAI", "(Ký, ghi rõ họ tên)", "Trần Thị Bích Ngọc", {"pen": True}),
]

D2_P3 = [
    ("header2", ["UBND TỈNH ĐẮK LẮK", "TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    ("gap", 1.0),
    ("title", "PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    ("sub", "Mã hồ sơ: 000.00.09.H38-260415-0007"), ("gap", 0.6),
    ("para", "Trung tâm Phục vụ hành chính công tỉnh đã tiếp nhận hồ sơ của bà Trần Thị Bích Ngọc, địa "
             "chỉ số 08 đường Đinh Tiên Hoàng, phường Buôn Ma Thuột, điện thoại 0983 456 789."),
    ("kv", "Nội dung yêu cầu giải quyết", "cấp Phiếu lý lịch tư pháp số 1"),
    ("kv", "Thành phần hồ sơ", "tờ khai, bản khai quá trình cư trú, giấy xác nhận cư trú"),
    ("kv", "Số lượng hồ sơ", "01 bộ"),
    ("kv", "Thời gian giải quyết", "10 ngày làm việc"),
    ("kv", "Thời gian nhận hồ sơ", "09 giờ 20 phút, ngày 15/4/2026"),
    ("kv", "Thời gian trả kết quả", "ngày 29/4/2026"),
    ("para", "Khi đến nhận kết quả, người nộp hồ sơ mang theo phiếu hẹn này và căn cước để đối chiếu. "
             "Quá hạn ba tháng kể từ ngày hẹn trả mà không đến nhận, kết quả được chuyển lưu trữ."),
    ("sign", "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)", "Đinh Thị Hồng Đào", {"pen": True}),
]

D2_P4 = [
    ("header2", ["CÔNG AN TỈNH ĐẮK LẮK", "CÔNG AN PHƯỜNG", "BUÔN MA THUỘT"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    ("gap", 1.0),
    ("title", "GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ"), ("gap", 0.6),
    ("para", "Công an phường Buôn Ma Thuột xác nhận thông tin về cư trú của công dân như sau:"),
    ("kv", "Họ, chữ đệm và tên", "TRẦN THỊ BÍCH NGỌC"),
    ("kv", "Ngày, tháng, năm sinh", "25/12/1994. Giới tính: Nữ"),
    ("kv", "Số định danh cá nhân", "068194004321"),
    ("kv", "Nơi thường trú", "số 08 đường Đinh Tiên Hoàng, phường Buôn Ma Thuột, tỉnh Đắk Lắk"),
    ("kv", "Họ tên chủ hộ", "Trần Văn Định. Quan hệ với chủ hộ: con đẻ"),
    ("para", "Giấy xác nhận có giá trị sáu tháng kể từ ngày cấp, dùng để bổ sung hồ sơ đề nghị cấp Phiếu "
             "lý lịch tư pháp tại Sở Tư pháp."),
    ("date", "Buôn Ma Thuột, ngày 10 tháng 4 năm 2026"),
    ("sign", "TRƯỞNG CÔNG AN PHƯỜNG", "(Ký, ghi rõ họ tên, đóng dấu)", "Đại úy Đặng Văn Đông",
     {"pen": True, "seal": "CÔNG AN PHƯỜNG BUÔN MA THUỘT * TỈNH ĐẮK LẮK *"}),
]

D3_P1 = [
    ("motto",), ("gap", 1.0),
    ("title", "GIẤY ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT"), ("gap", 0.5),
    ("center", "Kính gửi: Ủy ban nhân dân huyện Đông Hòa"), ("gap", 0.4),
    ("kv", "1. Người sử dụng đất", "ông Lê Đức Thắng, sinh năm 1978"),
    ("kv", "Số định danh cá nhân", "054078002468"),
    ("kv", "Vợ", "bà Phan Thị Điệp, sinh năm 1981, số định danh 054181003579"),
    ("kv", "Địa chỉ thường trú", "thôn Phú Hiệp 1, xã Hòa Hiệp Bắc, huyện Đông Hòa, tỉnh Phú Yên"),
    ("kv", "2. Thửa đất đề nghị cấp giấy", "thửa số 215, tờ bản đồ số 12"),
    ("kv", "Địa chỉ thửa đất", "thôn Phú Hiệp 1, xã Hòa Hiệp Bắc"),
    ("kv", "Diện tích", "312,5 mét vuông, trong đó đất ở 200 mét vuông"),
    ("kv", "Nguồn gốc sử dụng", "được cha mẹ cho sử dụng ổn định từ năm 1996"),
    ("kv", "3. Tài sản gắn liền với đất", "nhà ở cấp bốn, diện tích xây dựng 96 mét vuông"),
    ("para", "Đất không có tranh chấp, không thuộc hành lang bảo vệ đê điều, đường điện cao thế; phù hợp "
             "với quy hoạch sử dụng đất đã được phê duyệt. Đề nghị được cấp đổi tên đồng sở hữu cho "
             "cả hai vợ chồng theo quy định của Luật Đất đai."),
    ("para", "Tôi xin cam đoan nội dung kê khai trên đơn là đúng sự thật, nếu sai tôi hoàn toàn chịu "
             "trách nhiệm trước pháp luật."),
    ("date", "Đông Hòa, ngày 18 tháng 6 năm 2025"),
    ("sign", "NGƯỜI VIẾT ĐƠN", "(Ký, ghi rõ họ tên)", "Lê Đức Thắng", {"pen": True}),
]

D3_P2 = [
    ("title", "BẢN MÔ TẢ RANH GIỚI, MỐC GIỚI THỬA ĐẤT"), ("gap", 0.6),
    ("kv", "Thửa đất số", "215. Tờ bản đồ số: 12. Xã Hòa Hiệp Bắc"),
    ("kv", "Người sử dụng đất", "ông Lê Đức Thắng và bà Phan Thị Điệp"),
    ("para", "Ranh giới thửa đất được xác định theo hiện trạng sử dụng, có tường rào xây gạch và trụ bê "
             "tông đánh dấu tại các góc thửa; các mốc giới đã được các chủ sử dụng đất liền kề ký xác nhận."),
    ("item", "Phía Đông giáp đường đất rộng 4 mét dẫn ra đường Độc Lập, dài 15,20 mét."),
    ("item", "Phía Tây giáp thửa đất số 216 của ông Đào Duy Đức, dài 15,00 mét."),
    ("item", "Phía Nam giáp thửa đất số 230 của bà Đoàn Thị Đượm, dài 20,80 mét."),
    ("item", "Phía Bắc giáp mương thoát nước của thôn, dài 20,50 mét."),
    ("para", "Các bên liền kề thống nhất ranh giới nêu trên, không có tranh chấp, khiếu nại. Bản mô tả "
             "được lập thành ba bản có giá trị như nhau, mỗi bên giữ một bản."),
    ("date", "Hòa Hiệp Bắc, ngày 12 tháng 6 năm 2025"),
    ("sign", "NGƯỜI SỬ DỤNG ĐẤT", "(Ký, ghi rõ họ tên)", "Lê Đức Thắng", {"pen": True}),
]

D3_P3 = [
    ("header2", ["ỦY BAN NHÂN DÂN", "XÃ HÒA HIỆP BẮC"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    ("gap", 1.0),
    ("title", "BIÊN BẢN XÁC MINH HIỆN TRẠNG SỬ DỤNG ĐẤT"), ("gap", 0.6),
    ("para", "Hôm nay, ngày 10 tháng 6 năm 2025, tại thôn Phú Hiệp 1, đoàn xác minh của Ủy ban nhân dân "
             "xã Hòa Hiệp Bắc gồm ông Đặng Đình Độ, công chức địa chính, và ông Đỗ Văn Được, trưởng thôn, "
             "đã tiến hành xác minh hiện trạng thửa đất số 215, tờ bản đồ số 12."),
    ("para", "Kết quả xác minh: thửa đất do hộ ông Lê Đức Thắng sử dụng ổn định, liên tục từ năm 1996 "
             "đến nay để ở và trồng cây lâu năm; trên đất có nhà ở cấp bốn và giếng đào. Đất không có "
             "tranh chấp, không vi phạm quy hoạch, không lấn chiếm đất công."),
    ("para", "Biên bản được lập xong hồi 10 giờ cùng ngày, đã đọc lại cho các thành viên nghe và thống "
             "nhất ký tên."),
    ("sign", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Đoàn Đức Định",
     {"pen": True, "seal": "ỦY BAN NHÂN DÂN XÃ HÒA HIỆP BẮC * HUYỆN ĐÔNG HÒA *"}),
]

D4_P1 = [
    ("motto",), ("gap", 1.0),
    ("title", "TỜ KHAI ĐĂNG KÝ KHAI SINH"), ("gap", 0.5),
    ("center", "Kính gửi: Ủy ban nhân dân xã Hòa Hiệp, tỉnh Đắk Lắk"), ("gap", 0.4),
    ("kv", "Họ, chữ đệm, tên người yêu cầu", "ĐẶNG QUỐC ĐẠT"),
    ("kv", "Số định danh cá nhân", "054088006543"),
    ("kv", "Nơi cư trú", "thôn Đông Phước, xã Hòa Hiệp, tỉnh Đắk Lắk"),
    ("kv", "Quan hệ với người được khai sinh", "cha đẻ"),
    ("para", "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:"),
    ("kv", "Họ, chữ đệm, tên", "ĐẶNG MINH ĐẠT"),
    ("kv", "Ngày, tháng, năm sinh", "06/5/2026, ghi bằng chữ: ngày sáu tháng năm năm hai nghìn không trăm hai mươi sáu"),
    ("kv", "Giới tính", "Nam. Dân tộc: Kinh. Quốc tịch: Việt Nam"),
    ("kv", "Nơi sinh", "Bệnh viện Đa khoa khu vực Đông Hòa"),
    ("kv", "Họ, chữ đệm, tên người mẹ", "Đỗ Thị Diệu Hiền, năm sinh 1992"),
    ("kv", "Họ, chữ đệm, tên người cha", "Đặng Quốc Đạt, năm sinh 1988"),
    ("para", "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, được sự thỏa "
             "thuận nhất trí của các bên liên quan theo quy định pháp luật."),
    ("date", "Hòa Hiệp, ngày 20 tháng 5 năm 2026"),
    ("sign", "NGƯỜI YÊU CẦU", "(Ký, ghi rõ họ, chữ đệm, tên)", "Đặng Quốc Đạt", {"pen": True}),
]

D4_P2 = [
    ("motto",), ("gap", 1.0),
    ("title", "TRÍCH LỤC KẾT HÔN"),
    ("sub", "(Bản sao)"), ("gap", 0.6),
    ("kv", "Họ, chữ đệm, tên người chồng", "ĐẶNG QUỐC ĐẠT"),
    ("kv", "Ngày, tháng, năm sinh", "14/02/1988. Dân tộc: Kinh"),
    ("kv", "Nơi cư trú", "thôn Đông Phước, xã Hòa Hiệp"),
    ("kv", "Họ, chữ đệm, tên người vợ", "ĐỖ THỊ DIỆU HIỀN"),
    ("kv", "Ngày, tháng, năm sinh", "30/9/1992. Dân tộc: Kinh"),
    ("kv", "Nơi cư trú", "khu phố Long Thủy, phường Đông Hòa"),
    ("kv", "Nơi đăng ký kết hôn", "Ủy ban nhân dân xã Hòa Hiệp"),
    ("kv", "Ngày, tháng, năm đăng ký", "16/10/2023. Số: 87/2023"),
    ("para", "Bản sao được cấp từ Sổ đăng ký kết hôn lưu tại Ủy ban nhân dân xã Hòa Hiệp, có giá trị sử "
             "dụng thay cho bản chính trong các giao dịch dân sự, trừ trường hợp pháp luật có quy định khác."),
    ("date", "Hòa Hiệp, ngày 19 tháng 5 năm 2026"),
    ("sign", "NGƯỜI KÝ BẢN SAO", "(Ký, ghi rõ họ tên)", "Đinh Văn Đạo", {"pen": True}),
]

D4_P3 = [
    ("header2", ["SỞ Y TẾ TỈNH ĐẮK LẮK", "BỆNH VIỆN ĐA KHOA", "KHU VỰC ĐÔNG HÒA"],
     ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]),
    ("gap", 1.0),
    ("title", "GIẤY CHỨNG SINH"), ("gap", 0.6),
    ("kv", "Họ và tên mẹ", "Đỗ Thị Diệu Hiền. Năm sinh: 1992"),
    ("kv", "Số định danh cá nhân", "054192008642"),
    ("kv", "Nơi đăng ký thường trú", "thôn Đông Phước, xã Hòa Hiệp, tỉnh Đắk Lắk"),
    ("kv", "Dân tộc", "Kinh"),
    ("para", "Đã sinh con vào lúc 04 giờ 35 phút, ngày 06 tháng 5 năm 2026, tại Khoa Sản, Bệnh viện Đa "
             "khoa khu vực Đông Hòa."),
    ("kv", "Số con trong lần sinh này", "01. Giới tính của con: Nam"),
    ("kv", "Cân nặng", "3.200 gam. Tình trạng sức khỏe: bình thường"),
    ("kv", "Người đỡ đẻ", "hộ sinh Đàm Thị Duyên"),
    ("kv", "Dự định đặt tên con", "Đặng Minh Đạt"),
    ("date", "Đông Hòa, ngày 08 tháng 5 năm 2026"),
    ("sign", "GIÁM ĐỐC", "(Ký, ghi rõ họ tên, đóng dấu)", "Bác sĩ Đồng Văn Điền",
     {"pen": True, "seal": "BỆNH VIỆN ĐA KHOA KHU VỰC ĐÔNG HÒA * SỞ Y TẾ *"}),
]

# Each page: dossier index, file name, index_in_file, blocks, kind, dpi stored (None = not stored),
# render dpi, skew, rotation_ccw, effects, distinctive phrase (a substring of exactly one page).
PAGES = [
    dict(d=0, file="1.jpg", blocks=D1_P1, kind="colour", dpi=300, skew=3.5, rot=0, fx=[],
         phrase="Vật liệu xây dựng Đức Thịnh"),
    dict(d=0, file="2.png", blocks=D1_P2, kind="grey", dpi=300, skew=0.0, rot=0, fx=[],
         phrase="Kho chứa vật liệu đặt tại thôn Phước Lâm"),
    dict(d=0, file="3.png", blocks=D1_P3, kind="grey", dpi=200, skew=-2.0, rot=0, fx=["alpha"],
         phrase="không được ủy quyền lại cho người khác"),
    dict(d=1, file="1.tif", blocks=D2_P1, kind="bilevel", dpi=300, skew=0.0, rot=0, fx=[],
         phrase="Trường Trung học phổ thông Đống Đa"),
    dict(d=1, file="1.tif", blocks=D2_P2, kind="bilevel", dpi=300, skew=0.0, rot=180, fx=[],
         phrase="Sư phạm Địa lý"),
    dict(d=1, file="1.tif", blocks=D2_P3, kind="bilevel", dpi=300, skew=1.2, rot=0, fx=[],
         phrase="kết quả được chuyển lưu trữ"),
    dict(d=1, file="2.jpg", blocks=D2_P4, kind="colour", dpi=200, skew=0.0, rot=90, fx=[],
         phrase="có giá trị sáu tháng kể từ ngày cấp"),
    dict(d=2, file="1.jpg", blocks=D3_P1, kind="colour", dpi=300, skew=0.0, rot=270, fx=[],
         phrase="hành lang bảo vệ đê điều"),
    dict(d=2, file="2.png", blocks=D3_P2, kind="grey", dpi=300, skew=6.0, rot=0, fx=["blur"],
         phrase="mương thoát nước của thôn"),
    dict(d=2, file="3.jpg", blocks=D3_P3, kind="colour", dpi=200, skew=-8.0, rot=0, fx=[],
         phrase="trồng cây lâu năm"),
    dict(d=3, file="1.jpg", blocks=D4_P1, kind="colour", dpi=300, skew=0.0, rot=0, fx=[],
         phrase="thỏa thuận nhất trí của các bên liên quan"),
    dict(d=3, file="2.png", blocks=D4_P2, kind="grey", dpi=None, skew=0.0, rot=0, fx=[],
         phrase="Sổ đăng ký kết hôn"),
    dict(d=3, file="10.jpg", blocks=D4_P3, kind="colour", dpi=300, skew=0.0, rot=0, fx=["noise", "blur"],
         phrase="hộ sinh Đàm Thị Duyên"),
]


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------
class Fonts:
    def __init__(self, dpi):
        px = lambda pt: round(pt * dpi / 72.0)
        self.body = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSerif.ttf"), px(12))
        self.bold = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSerif-Bold.ttf"), px(12))
        self.title = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSerif-Bold.ttf"), px(14))
        self.italic = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSerif-Italic.ttf"), px(12))
        self.head = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSerif-Bold.ttf"), px(11.5))
        self.head2 = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSerifCondensed-Bold.ttf"), px(11))
        self.seal = ImageFont.truetype(os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf"), px(8))
        self.line = round(px(12) * 1.45)


def wrap(draw, text, font, width, first_indent=0):
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        trial = w if not cur else cur + " " + w
        avail = width - (first_indent if not lines else 0)
        if draw.textlength(trial, font=font) <= avail or not cur:
            cur = trial
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def draw_seal(size, ring_text, font, rng):
    """A round red seal as an 'L' mask (255 = ink): two rings, text around, a star in the middle."""
    r = size // 2
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    w = max(3, size // 55)
    d.ellipse([w, w, size - w, size - w], outline=255, width=w * 2)
    ri = int(r * 0.68)
    d.ellipse([r - ri, r - ri, r + ri, r + ri], outline=255, width=w)
    # star
    import math
    pts = []
    for k in range(10):
        rad = r * (0.30 if k % 2 == 0 else 0.12)
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((r + rad * math.cos(a), r + rad * math.sin(a)))
    d.polygon(pts, fill=255)
    # text around, clockwise from the top-left
    n = len(ring_text)
    rt = r * 0.84
    for i, ch in enumerate(ring_text):
        a = -math.pi + math.pi * 0.15 + i * (2 * math.pi * 0.93) / n
        cw = font.getbbox("M")[2] * 2
        tile = Image.new("L", (cw, cw), 0)
        ImageDraw.Draw(tile).text((cw // 2, cw // 2), ch, font=font, fill=255, anchor="mm")
        tile = tile.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        cx, cy = r + rt * math.cos(a), r + rt * math.sin(a)
        mask.paste(255, (int(cx - cw / 2), int(cy - cw / 2)), tile)
    # uneven ink: knock out a few random blotches
    holes = Image.new("L", (size, size), 255)
    hd = ImageDraw.Draw(holes)
    for _ in range(40):
        x, y, rr = rng.uniform(0, size), rng.uniform(0, size), rng.uniform(2, size / 30)
        hd.ellipse([x - rr, y - rr, x + rr, y + rr], fill=rng.randint(60, 200))
    mask = ImageChops.multiply(mask, holes)
    return mask.filter(ImageFilter.GaussianBlur(1.0))


def draw_signature(w, h, rng, width):
    """A pen signature as an 'L' mask: a few connected loops and a flourish."""
    import math
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    pts = []
    n = rng.randint(4, 6)                      # letters
    steps = n * 24
    heights = [rng.uniform(0.7, 1.3) for _ in range(n + 1)]
    for k in range(steps + 1):
        t = k / 24.0 * 2 * math.pi            # one loop per letter
        u = k / steps
        j, fr = divmod(k, 24)
        amp = h * 0.2 * (heights[j] * (1 - fr / 24.0) + heights[min(j + 1, n)] * fr / 24.0)
        x = w * (0.08 + 0.72 * u) - w * 0.06 * math.sin(t)
        y = h * (0.55 - 0.12 * u) - amp * math.cos(t) * (1.5 if j == 0 else 1.0)
        pts.append((x, y))
    d.line(pts, fill=255, width=width, joint="curve")
    # flourish underline
    y0 = h * rng.uniform(0.7, 0.8)
    fl = [(w * 0.05 + i * w * 0.9 / 20, y0 + math.sin(i / 3.0) * h * 0.05 - i * h * 0.006) for i in range(21)]
    d.line(fl, fill=255, width=max(2, width - 1), joint="curve")
    return mask.filter(ImageFilter.GaussianBlur(0.6))


def render_page(spec, rng):
    dpi = spec["dpi"] or 300
    W, H = round(8.27 * dpi), round(11.69 * dpi)
    mm = dpi / 25.4
    left, right, top = round(30 * mm), round(20 * mm), round(20 * mm)
    F = Fonts(dpi)
    img = Image.new("RGB", (W, H), PAPER_RGB)
    d = ImageDraw.Draw(img)
    lines = []
    y = top
    text_w = W - left - right
    ink = INK_RGB
    pen_mask = Image.new("L", (W, H), 0)
    seal_mask = Image.new("L", (W, H), 0)

    def put(text, font, x, anchor="la", underline=False):
        d.text((x, y), text, font=font, fill=ink, anchor=anchor)
        lines.append(text)
        if underline:
            tw = d.textlength(text, font=font)
            x0 = x - tw / 2 if anchor[0] == "m" else x
            uy = y + font.size * 1.2
            d.line([(x0 + tw * 0.1, uy), (x0 + tw * 0.9, uy)], fill=ink, width=max(2, dpi // 100))

    cx = left + text_w / 2
    right_cx = left + text_w * 0.72
    for b in spec["blocks"]:
        kind = b[0]
        if kind == "motto":
            for style, t in MOTTO:
                put(t, F.head, cx, "ma", underline=style == "bold_ul")
                y += F.line
        elif kind == "header2":
            # the agency block hugs the left margin, the motto the right one (as on real forms)
            hf = F.head2
            wl = max(d.textlength(t, font=hf) for t in b[1])
            wr = max(d.textlength(t, font=hf) for t in b[2])
            lcx = left - round(10 * mm) + wl / 2
            rcx = W - right - wr / 2
            if rcx - wr / 2 - (lcx + wl / 2) < 8 * mm:
                raise RuntimeError("header blocks collide: %s" % spec["file"])
            y0 = y
            n0 = len(lines)
            for i, t in enumerate(b[1]):
                put(t, hf, lcx, "ma", underline=i == len(b[1]) - 1)
                y += F.line
            y1, y = y, y0
            for i, t in enumerate(b[2]):
                put(t, hf, rcx, "ma", underline=i == len(b[2]) - 1)
                y += F.line
            # truth: rows that share a baseline are one line, left block first (reading order)
            row_l, row_r = lines[n0:n0 + len(b[1])], lines[n0 + len(b[1]):]
            del lines[n0:]
            for i in range(max(len(row_l), len(row_r))):
                lines.append(" ".join(r[i] for r in (row_l, row_r) if i < len(r)))
            y = max(y, y1)
        elif kind == "title":
            for t in wrap(d, b[1], F.title, text_w):
                put(t, F.title, cx, "ma")
                y += round(F.line * 1.15)
        elif kind in ("sub", "center"):
            font = F.italic if kind == "sub" else F.body
            for t in wrap(d, b[1], font, text_w):
                put(t, font, cx, "ma")
                y += F.line
        elif kind == "kv":
            label = b[1] + ": "
            lw = d.textlength(label, font=F.body)
            vlines = wrap(d, b[2], F.bold if b[2].isupper() else F.body, text_w, first_indent=lw)
            vfont = F.bold if b[2].isupper() else F.body
            d.text((left, y), label, font=F.body, fill=ink)
            d.text((left + lw, y), vlines[0], font=vfont, fill=ink)
            lines.append(label + vlines[0])
            y += F.line
            for t in vlines[1:]:
                put(t, vfont, left)
                y += F.line
        elif kind in ("para", "item"):
            indent = round(10 * mm) if kind == "para" else 0
            hang = round(6 * mm) if kind == "item" else 0
            ls = wrap(d, b[1], F.body, text_w - hang, first_indent=indent - hang if kind == "para" else 0)
            for i, t in enumerate(ls):
                x = left + (indent if (kind == "para" and i == 0) else 0) + (hang if (kind == "item" and i > 0) else 0)
                put(t, F.body, x)
                y += F.line
        elif kind == "gap":
            y += round(F.line * b[1])
        elif kind == "date":
            y += round(F.line * 0.5)
            put(b[1], F.italic, right_cx, "ma")
            y += F.line
        elif kind == "sign":
            title, hint, name, opts = b[1], b[2], b[3], b[4]
            put(title, F.bold, right_cx, "ma")
            y += F.line
            put(hint, F.italic, right_cx, "ma")
            y += F.line
            sig_h = round(24 * mm)
            if opts.get("pen"):
                sw, sh = round(45 * mm), round(20 * mm)
                sm = draw_signature(sw, sh, rng, max(3, dpi // 75))
                pen_mask.paste(sm, (round(right_cx - sw / 2 + rng.uniform(-5, 5) * mm), y + round(2 * mm)), sm)
            if opts.get("seal"):
                size = round(38 * mm)
                sm = draw_seal(size, opts["seal"], F.seal, rng).rotate(rng.uniform(-40, 40), resample=Image.BICUBIC)
                # centred left of the signature so it covers the start of it and part of the title
                sx = round(right_cx - sw / 2 - size * 0.35)
                sy = round(y - size * 0.45)
                seal_mask.paste(sm, (sx, sy), sm)
            y += sig_h
            put(name, F.bold, right_cx, "ma")
            y += F.line
        else:
            raise ValueError(kind)
        if y > H - round(15 * mm):
            raise RuntimeError("page overflows: %s %s" % (spec["file"], lines[-1]))

    # inks: multiply coloured layers onto the page (red over black stays black-ish, like real seals)
    for mask, rgb, strength in ((pen_mask, PEN_RGB, 0.9), (seal_mask, SEAL_RGB, 0.85)):
        if mask.getbbox() is None:
            continue
        layer = Image.new("RGB", (W, H), (255, 255, 255))
        layer.paste(rgb, (0, 0), mask.point(lambda v: int(v * strength)))
        img = ImageChops.multiply(img, layer)
    return img, lines, dpi


def text_bbox(img):
    g = img.convert("L").point(lambda v: 255 if v < 160 else 0)
    return g.getbbox()


def degrade(img, spec, rng):
    """skew -> quarter turn -> blur/noise; returns (image, alpha or None)."""
    W, H = img.size
    alpha = None
    fill = PAPER_RGB
    if spec["skew"]:
        # nothing may leave the frame: check the rotated ink box
        import math
        x0, y0, x1, y1 = text_bbox(img)
        a = math.radians(spec["skew"])
        for (px, py) in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            dx, dy = px - W / 2, py - H / 2
            rx = W / 2 + dx * math.cos(a) + dy * math.sin(a)
            ry = H / 2 - dx * math.sin(a) + dy * math.cos(a)
            if not (0 <= rx < W and 0 <= ry < H):
                raise RuntimeError("skewed text leaves the frame: %s" % spec["file"])
        if "alpha" in spec["fx"]:
            alpha = Image.new("L", (W, H), 255).rotate(spec["skew"], resample=Image.BICUBIC, fillcolor=0)
        img = img.rotate(spec["skew"], resample=Image.BICUBIC, fillcolor=fill)
    if spec["rot"]:
        img = img.rotate(spec["rot"], expand=True)
        if alpha is not None:
            alpha = alpha.rotate(spec["rot"], expand=True)
    if "noise" in spec["fx"]:
        noise = Image.effect_noise(img.size, 7).convert("RGB")
        img = ImageChops.add(img, noise, scale=1.0, offset=-128)
    if "blur" in spec["fx"]:
        img = img.filter(ImageFilter.GaussianBlur(0.9 * (spec["dpi"] or 300) / 300))
    return img, alpha


def main():
    rng = random.Random(SEED)
    for p in (BATCH, TRUTH):
        if os.path.isdir(p):
            shutil.rmtree(p)
        os.makedirs(p)

    # the manifest
    cols = ["dossier_code", "title", "procedure_code", "procedure_name", "agency", "unit", "level",
            "received_date", "applicant", "so_bien_nhan"]
    with open(os.path.join(BATCH, "manifest.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for dz in DOSSIERS:
            w.writerow([dz[c] for c in cols])

    # pages; multi-page files are collected then written once
    records, multi = [], {}
    seq_of = {}
    for spec in PAGES:
        code = DOSSIERS[spec["d"]]["dossier_code"]
        img, lines, dpi = render_page(spec, rng)
        img, alpha = degrade(img, spec, rng)
        seq_of[code] = seq_of.get(code, 0) + 1
        seq = seq_of[code]
        folder = os.path.join(BATCH, code)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, spec["file"])
        tdir = os.path.join(TRUTH, code)
        os.makedirs(tdir, exist_ok=True)
        lines = [unicodedata.normalize("NFC", t) for t in lines]
        with open(os.path.join(tdir, "%d.txt" % seq), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        dpi_kw = {"dpi": (dpi, dpi)} if spec["dpi"] else {}
        index_in_file = 0
        if spec["kind"] == "colour":
            img.save(path, quality=76, optimize=True, subsampling=2, **dpi_kw)
        elif spec["kind"] == "grey":
            g = img.convert("L")
            # a flatbed's grey scan: quantise the paper to white-ish steps to keep PNG small
            g = g.point(lambda v: min(255, (v // 8) * 8 + 12) if v > 200 else (v // 4) * 4)
            if alpha is not None:
                # grey + alpha; transparent pixels carry black, as phone-scanner exports often do
                g = Image.composite(g, Image.new("L", g.size, 0), alpha.point(lambda v: 255 if v > 0 else 0))
                g = g.convert("LA")
                g.putalpha(alpha)
            g.save(path, optimize=True, **dpi_kw)
        elif spec["kind"] == "bilevel":
            bw = img.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.NONE)
            multi.setdefault(path, []).append(bw)
            index_in_file = len(multi[path]) - 1
        else:
            raise ValueError(spec["kind"])
        records.append({
            "dossier": code, "seq": seq, "file": "%s/%s" % (code, spec["file"]),
            "index_in_file": index_in_file, "dpi": spec["dpi"], "skew_deg": spec["skew"],
            "rotation_ccw": spec["rot"], "kind": spec["kind"],
            "width": img.size[0], "height": img.size[1],
            "alpha": alpha is not None, "effects": [e for e in spec["fx"] if e != "alpha"],
            "seal": any(b[0] == "sign" and "seal" in b[4] for b in spec["blocks"]),
            "signature": any(b[0] == "sign" and b[4].get("pen") for b in spec["blocks"]),
            "truth": "%s/%d.txt" % (code, seq),
            "phrase": unicodedata.normalize("NFC", spec["phrase"]),
        })
        # a phrase must be on its own page and on no other page
        if spec["phrase"] not in " ".join(lines):
            raise RuntimeError("phrase not on page: %s" % spec["phrase"])
    for path, pages in multi.items():
        pages[0].save(path, save_all=True, append_images=pages[1:], compression="group4",
                      dpi=(300, 300))
    all_text = {}
    for r in records:
        with open(os.path.join(TRUTH, r["truth"]), encoding="utf-8") as f:
            all_text[r["truth"]] = " ".join(f.read().split("\n"))
    for r in records:
        hits = [k for k, v in all_text.items() if r["phrase"] in v]
        if hits != [r["truth"]]:
            raise RuntimeError("phrase %r not unique: %s" % (r["phrase"], hits))
    with open(os.path.join(TRUTH, "pages.json"), "w", encoding="utf-8") as f:
        json.dump({"conventions": "skew_deg: CCW+ (PIL rotate sign), applied first; rotation_ccw "
                                  "applied after; restore = rotate CW by rotation_ccw then by -skew_deg; "
                                  "dpi null = no resolution stored in the file (rendered at 300); truth lines: upright "
                                  "reading order, two-column header rows joined left then right",
                   "pages": records}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    total = 0
    for root, _, files in os.walk(BATCH):
        for fn in files:
            total += os.path.getsize(os.path.join(root, fn))
    print("samples: %d dossiers, %d pages, batch %.2f MB" % (len(DOSSIERS), len(records), total / 1e6))


if __name__ == "__main__":
    sys.exit(main())
