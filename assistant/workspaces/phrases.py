"""Every fixed phrase the workspaces write, in one place (shared by code and tests).

A generated statement is made of words from its cited provisions joined by the phrases below.
`TEMPLATES` lists every phrase that may appear inside a statement's text; the extractive check
(assistant/workspaces/check.py) removes them and requires every other fragment to come from a
cited provision. Slots named `n` stand for a number and `letter` for an option letter; any
other slot is filled with words taken from a provision.
"""

from __future__ import annotations

from knowledge.types import CONFIDENCE_LABELS

# --- phrases inside statements (checked) ------------------------------------------------------

BLANK = "____"
FILLED = "[{value}]"  # the value put into a true/false sentence, shown as such
TRUE, FALSE = "Đúng", "Sai"

QUESTION = {
    "form": "Theo {citation}, mẫu nào điền đúng vào chỗ trống: “{stem}”?",
    "level": "Theo {citation}, mức xếp loại nào điền đúng vào chỗ trống: “{stem}”?",
    "grade": "Theo {citation}, cấp độ nào điền đúng vào chỗ trống: “{stem}”?",
    "score": "Theo {citation}, khoảng điểm nào điền đúng vào chỗ trống: “{stem}”?",
    "deadline": "Theo {citation}, thời hạn nào điền đúng vào chỗ trống: “{stem}”?",
    "duration": "Theo {citation}, thời lượng nào điền đúng vào chỗ trống: “{stem}”?",
    "body": "Theo {citation}, chủ thể nào điền đúng vào chỗ trống: “{stem}”?",
    "step": "Theo {citation}, nội dung nào điền đúng vào chỗ trống: “{stem}”?",
}
TRUE_FALSE = "Theo {citation}, câu sau đúng hay sai: “{sentence}”?"
SINGLE_SOURCE = " (Lưu ý: ý này chỉ dựa trên {label}.)"
OPTION = "{letter}. {option}"
ANSWER = "Câu {n}: {letter}. {answer}. Căn cứ ({citation}): “{sentence}”"
QUESTION_NUMBER = "Câu {n}. {question}"

GAP = "{citation} — chưa có nội dung: {note}"
PARTIAL = "{citation} — chưa đầy đủ: {note}"
MISSING = "Bản tóm lược chưa có nội dung này trong các văn bản của kỳ ({documents})."
NOT_MAPPED = "{document} không có trong bản đồ cũ→mới."
CHANGE = "{topic}: {change}"
OLD_SIDE = "Kỳ 2023–2024: {text}"
NEW_SIDE = "Từ kỳ 2025: {text}"
NOT_CONFIRMED = "Chưa xác minh: {note}"
KEY_POINT = "{label}: {text}"
MORE = " …"

TEMPLATES = (
    *QUESTION.values(),
    TRUE_FALSE,
    *(SINGLE_SOURCE.format(label=label) for label in CONFIDENCE_LABELS.values()),
    OPTION,
    ANSWER,
    QUESTION_NUMBER,
    GAP,
    PARTIAL,
    MISSING,
    NOT_MAPPED,
    CHANGE,
    OLD_SIDE,
    NEW_SIDE,
    NOT_CONFIRMED,
    KEY_POINT,
    MORE,
    BLANK,
    TRUE,
    FALSE,
)

# --- titles, headings and notices (not statements) -------------------------------------------

BRIEF_TITLE = "Bản tin: {documents}"
BRIEF_TOPICS = "Chủ đề: {topics}"
BRIEF_ABOUT = "Văn bản và hiệu lực"
BRIEF_POINTS = "Những điểm chính"
BRIEF_NUMBERS = "Số liệu, thời hạn và biểu mẫu"
BRIEF_CHANGES = "Những gì thay đổi từ 2023 đến 2025"
BRIEF_QUOTES = "Câu trích dẫn"
NUMBER_GROUPS = {
    "score": "Điểm số và tỷ lệ",
    "deadline": "Thời hạn và thời lượng",
    "form": "Biểu mẫu",
}
BRIEF_MORE_TOPICS = (
    "Bản tin chỉ nêu các thay đổi chính; bản đồ cũ→mới có {n} chủ đề, xem đủ ở trang So sánh "
    "(quydinh compare)."
)

LESSON_TITLE = "Bài giảng: {document}"
OUTLINE = "Dàn ý theo chương, điều"
KEY_NUMBERS = "Các con số, thời hạn cần nhớ"
QUIZ = "Câu hỏi kiểm tra"
ANSWER_KEY = "Đáp án"
QUIZ_TITLE = "Câu hỏi kiểm tra: {document}"
QUIZ_SUBTITLE = "{n} câu hỏi, mã ngẫu nhiên (seed) {seed}"
QUIZ_SHORT = (
    "Bản tóm lược chỉ đủ nội dung cho {made} câu hỏi về {document} (đã yêu cầu {asked}); "
    "trợ lý không đặt câu hỏi từ điều chưa có nội dung."
)
QUIZ_NONE = (
    "Bản tóm lược của {document} không có nội dung đủ để đặt câu hỏi có đáp án chắc chắn "
    "(các điều có nội dung không nêu mẫu, mức xếp loại, khoảng điểm, thời hạn hay chủ thể "
    "quyết định)."
)
QUIZ_SINGLE = "Câu hỏi có ghi “chỉ dựa trên một nguồn” được đặt từ ý chưa có nguồn thứ hai."

COMPARE_TITLE = "So sánh {old} và {new}"
COMPARE_SUBTITLE = "Theo bản đồ cũ→mới: {n} chủ đề"
COMPARE_SWAPPED = "{given} là văn bản mới; đã so sánh {old} (cũ) với {new} (mới)."
OLD_LABEL, NEW_LABEL, CHANGE_LABEL = "Kỳ 2023–2024", "Từ kỳ 2025", "Điểm thay đổi"

GUIDE_TITLE = "Trường hợp của tôi"
GUIDE_SUBTITLE = "{role} · {org} · kỳ năm {year}"
GUIDE_APPLIES = "Văn bản áp dụng"
GUIDE_REFERENCE = "Quy định của kỳ 2023–2024 (chỉ để tham khảo, không áp dụng cho kỳ năm {year})"
GUIDE_NEW_FIRST = (
    "Kỳ năm {year} áp dụng {documents}; nội dung nào bản tóm lược của các văn bản này chưa có "
    "thì được ghi rõ, và quy định của kỳ 2023–2024 chỉ được nêu để tham khảo."
)
GUIDE_OLD = "Kỳ năm {year} áp dụng {documents}; các văn bản này nay đã được thay thế."
GUIDE_CHAT = "Hỏi tiếp trong trang Hỏi đáp"
GUIDE_QUESTIONS = (
    "Tôi là {role} ở {org}, kỳ năm {year} ai quyết định xếp loại tôi?",
    "Tôi là {role} ở {org}, kỳ năm {year} dùng mẫu bản kiểm điểm nào?",
    "Tôi là {role} ở {org}, kỳ năm {year} thời hạn kiểm điểm là khi nào?",
)
PUBLIC_UNIT = "trong đơn vị sự nghiệp công lập"

DIGEST_NOTICE = (
    "Nội dung lấy từ bản tóm lược do dự án tự viết từ các nguồn công khai, không phải nguyên "
    "văn văn bản; mỗi ý ghi quy định được trích dẫn."
)
COVERAGE_NOTICE = "{document}: {coverage}."
CHANGES_NOTICE = "Phần so sánh lấy từ bản đồ cũ→mới, là ghi chú của dự án, không phải lời văn."
TEXT_KIND_LABELS = {
    "digest": "bản tóm lược",
    "official": "văn bản chính thức",
    "note": "ghi chú của bản tóm lược",
}
SOURCES = "Nguồn trích dẫn"
CAVEAT = "Mức xác minh: {caveat}"

# --- bad input -------------------------------------------------------------------------------

UNKNOWN_DOCUMENT = "Không có văn bản '{given}' trong bộ văn bản. Các mã văn bản: {known}."
NO_DOCUMENT = "Hãy chọn ít nhất một văn bản. Các mã văn bản: {known}."
UNKNOWN_TOPIC = (
    "Không có chủ đề '{given}' trong {documents}. Các chủ đề của bản đồ cũ→mới: {known}; "
    "hoặc một từ có trong tên điều, mục (ví dụ: biểu mẫu, thời hạn)."
)
QUIZ_RANGE = "Số câu hỏi phải từ {low} đến {high} (đã nhập {given})."
NOT_A_PAIR = "Bản đồ cũ→mới không so sánh {old} với {new}. Các cặp có thể so sánh: {pairs}."
UNKNOWN_ORG = "Bộ văn bản không mô tả loại tổ chức '{given}'. Các loại tổ chức: {known}."
UNKNOWN_ROLE = "Bộ văn bản không mô tả vai trò '{given}'. Các vai trò: {known}."
BAD_YEAR = "Năm '{given}' không hợp lệ: nhập năm có bốn chữ số (ví dụ 2025) hoặc 'nay'."
YEAR_TOO_OLD = (
    "Bộ văn bản chỉ có quy định cho các kỳ từ năm 2023 (Quy định 124-QĐ/TW); năm {year} "
    "dùng văn bản cũ hơn mà trợ lý không có."
)
YEAR_TOO_NEW = "Năm {year} chưa tới; bộ văn bản có quy định cho các kỳ đến năm {last}."
OUT_SUFFIX = "Tệp ra phải có đuôi .md, .docx hoặc .pdf (đã nhập '{path}')."
OUT_FAILED = "Không ghi được tệp {path}: {reason}. Cách sửa: chọn thư mục đã có và ghi được."
OUT_FONT = (
    "Không tìm thấy phông chữ {path} để viết PDF. Cách sửa: chạy `make ingest-tools` "
    "(cài fonts-dejavu-core)."
)
WRITTEN = "Đã ghi {path}."
PROGRESS = "… {label} ({done}/{total})"
