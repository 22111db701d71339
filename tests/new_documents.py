"""Party documents the pack has no digest for, in the official layout, written by the tests:
a provincial Hướng dẫn that guides QĐ 124 (the "sixth document") and a Kết luận of the
Politburo numbered like the note the digest keeps about Kết luận 198."""

from __future__ import annotations

from test_ingest import OfficialDoc

HD_05_ID = "hd-5-2024-btctu-dong-nai"
HD_05_ISSUER = "Ban Tổ chức Tỉnh ủy Đồng Nai"
# What the guide says, and the question only it and QĐ 124 together answer.
HD_05_DEADLINE = (
    "1.1. Chi bộ trực thuộc đảng ủy cơ sở hoàn thành kiểm điểm, đánh giá, xếp loại chất lượng "
    "trước ngày 15/12/2024."
)
HD_05_BODY_LINE = (
    "2.1. Đảng ủy cơ sở xem xét, quyết định xếp loại chất lượng chi bộ trực thuộc sau khi "
    "chi bộ tự kiểm điểm."
)


def hd_05_dong_nai() -> OfficialDoc:
    """Hướng dẫn 05-HD/BTCTU of the organisation board of the Đồng Nai provincial committee,
    guiding QĐ 124 for the 2024 cycle."""
    return OfficialDoc(
        header_left=["ĐẢNG BỘ TỈNH ĐỒNG NAI", "BAN TỔ CHỨC TỈNH ỦY", "*", "Số 05-HD/BTCTU"],
        header_right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Đồng Nai, ngày 20 tháng 11 năm 2024"],
        title=[
            "HƯỚNG DẪN",
            "thực hiện Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị",
            "về kiểm điểm, đánh giá, xếp loại chất lượng năm 2024 trong Đảng bộ tỉnh",
        ],
        preamble=[
            "- Căn cứ Quy định số 124-QĐ/TW ngày 04/10/2023 của Bộ Chính trị;",
            "- Căn cứ Hướng dẫn số 25-HD/BTCTW ngày 10/11/2023 của Ban Tổ chức Trung ương;",
            "Ban Tổ chức Tỉnh ủy hướng dẫn như sau:",
        ],
        body=[
            "1. Thời gian kiểm điểm",
            HD_05_DEADLINE,
            "1.2. Đảng ủy cơ sở hoàn thành kiểm điểm, xếp loại chất lượng trước ngày 31/12/2024.",
            "2. Thẩm quyền xếp loại chất lượng",
            HD_05_BODY_LINE,
            "2.2. Ban thường vụ huyện ủy, thành ủy quyết định xếp loại chất lượng đảng bộ, "
            "chi bộ cơ sở trực thuộc.",
            "3. Tổ chức thực hiện",
            "Các huyện ủy, thành ủy và đảng ủy trực thuộc Tỉnh ủy báo cáo kết quả về Ban Tổ "
            "chức Tỉnh ủy trước ngày 15/01/2025.",
        ],
        closing_left=["Nơi nhận:", "- Các huyện ủy, thành ủy,", "- Lưu Ban Tổ chức Tỉnh ủy."],
        closing_right=["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Trần Thị Mẫu"],
    )


def kl_198() -> OfficialDoc:
    """Kết luận 198-KL/TW of the Politburo (a synthetic text: the digest has only a note)."""
    return OfficialDoc(
        header_left=["BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 198-KL/TW"],
        header_right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Hà Nội, ngày 08 tháng 10 năm 2025"],
        title=["KẾT LUẬN", "của Bộ Chính trị về đánh giá cán bộ"],
        preamble=[
            "Tại phiên họp ngày 03/10/2025, sau khi nghe Ban Tổ chức Trung ương báo cáo, Bộ "
            "Chính trị kết luận như sau:",
        ],
        body=[
            "1. Cán bộ được đánh giá định kỳ hằng quý, hằng năm và đột xuất khi có yêu cầu.",
            "2. Cơ quan quản lý cán bộ đề xuất mức xếp loại và kiến nghị điều chuyển, bố trí "
            "công tác khác đối với cán bộ không hoàn thành nhiệm vụ.",
            "3. Ban Tổ chức Trung ương báo cáo Bộ Chính trị trước ngày 15 của tháng cuối mỗi quý.",
        ],
        closing_left=["Nơi nhận:", "- Các tỉnh ủy, thành ủy,", "- Lưu Văn phòng Trung ương."],
        closing_right=["T/M BỘ CHÍNH TRỊ", "Nguyễn Văn Kết"],
    )
