"""The question frame: what is asked, about whom, for which cycle, in which documents.

Built from the question alone (and, for an elliptical follow-up, the previous frame) before
any search, with rules over the accent-folded text and the documents' closed vocabulary. The
planner reads it to pick the provision and the span to lead with; the user sees it as "the
question understood".
"""

from __future__ import annotations

import re

from assistant.references import find_documents
from assistant.types import Asked, DocFact, Frame, Period, Premise, Subject
from knowledge.pack import Pack
from knowledge.spans import form_code
from knowledge.text import expand_shorthand, fold, normalize
from knowledge.vocabulary import LEVEL_NAMES, vocabulary

W = r"(?<![\w])"  # word start on folded text
E = r"(?![\w])"

REQUESTS = (
    # "đề thi", "đề kiểm tra" fold like "để thi đua", "để kiểm tra việc …": only a test set.
    (
        "quiz",
        rf"{W}(trac nghiem|cau hoi (kiem tra|on tap|thi)|quiz|"
        rf"(soan|ra|lam|tao|xin|mot|1|bo) de (thi|kiem tra)(?! dua)|de (thi|kiem tra)$){E}",
    ),
    ("lesson", rf"{W}(dan y|de cuong|bai giang|giao an|slide|trinh chieu){E}"),
    ("brief", rf"{W}(ban tin|thong cao){E}"),
    ("translate", rf"{W}(dich (sang|ra|giup)|translate|tieng anh giup){E}"),
    # An opinion or a forecast: the documents say what the rule is, not what will happen.
    ("opinion", rf"{W}(theo ban|ban nghi|y kien cua ban|du bao|du doan|lieu co se){E}"),
    (
        "draft",
        rf"(^|{W}(giup|ho|hay|xin|nho|muon|can|vui long|de nghi|co the|ban)\s)(soan|viet|lam|tao)"
        rf"( giup| ho| dum| cho)?( toi| em| minh| chung toi)? (mot |1 )?"
        rf"(nguyen van |day du |hoan chinh |toan bo |san )?(ban kiem diem|"
        rf"ban tu kiem diem|bao cao|to trinh|ke hoach|nghi quyet|bien ban|bai phat bieu|van ban|"
        rf"bai viet|email|thu){E}",
    ),
)
COMPARISON = re.compile(
    rf"{W}(khac (gi|nhau|nhu the nao|the nao|o diem nao|ra sao|bieu)|so voi|so sanh|"
    # "bao nhiêu điểm mới được xét": "mới" is "only then", not "new".
    rf"diem moi(?! (duoc|dat|co the|bi|phai|xet|xep|du|tinh))|"
    rf"thay doi (gi|nhung gi|the nao|nhu the nao|ra sao|nao)|co gi moi|moi co gi|khac biet|"
    rf"doi moi (gi|nhung gi)|gi moi|cai moi|khac truoc|so sanh|"
    rf"khac (qd|quy dinh|hd|huong dan|van ban|ky|nam) ?\d*){E}"
)
POLAR = re.compile(
    rf"({W}(co phai|phai khong|dung khong|co dung|dung chua|duoc khong|co duoc|co bi|co can|"
    rf"co phai la|hay khong|hay chua|phai chang|co dung la|co con|con duoc|duoc phep){E}"
    rf"|{W}(khong|chua|ko|k|hong)\s*[?.!]*\s*$)"
)
# "mẫu 2A hay mẫu 2B": a choice between two named things, not a yes/no question.
CHOICE = re.compile(
    rf"{W}(?:mau\s+)?\d{{1,2}}[abc]?\s+hay\s+(?:la\s+)?(?:mau\s+)?\d{{1,2}}[abc]?{E}"
)
NOT_POLAR = re.compile(rf"{W}co (may|bao nhieu|nhung|cac|gi){E}")
COUNT = re.compile(
    rf"{W}(may|bao nhieu)\s+(muc|buoc|truong hop|noi|nhom|loai|cap do|phu luc|mau|nhiem vu|"
    rf"noi dung|dieu|chuong|mat|yeu cau|doi tuong|tieu chi|ky|hinh thuc|nhom nhiem vu|"
    rf"quan he|cap|ban|loai mau){E}"
)
NUMBER = re.compile(
    rf"{W}((bao nhieu|may)\s*(diem|%|phan tram|ngay|thang|nam|lan|tuoi|gio|buoi)|ty le|"
    rf"phan tram|toi thieu|toi da|bao lau|nguong|tran|it nhat|bao nhieu|so diem|"
    rf"thang diem|khoang diem|may diem){E}|%"
)
DEADLINE = re.compile(
    rf"{W}(khi nao|luc nao|bao gio|thoi han|han chot|han cuoi|han nop|han gui|"
    rf"hoan thanh truoc|xong truoc|truoc ngay|ngay nao|thoi diem|thang (nao|may)|cham nhat|"
    rf"han(?! che)){E}"
)
LEVEL = re.compile(
    rf"{W}((xep|bi xep|duoc xep|xep loai|danh gia) (loai )?(gi|muc (gi|nao)|loai (gi|nao)|"
    rf"o muc nao|vao muc nao)|(thi|se|van) (duoc |bi )?xep loai( gi| the nao| nhu the nao| ra sao)|"
    # "xep laoi muc gi": a typo between "xếp" and "mức"
    rf"muc (xep loai )?nao|xep loai (gi|muc nao)|xep \w{{2,5}} muc (gi|nao)){E}"
)
FORM = re.compile(rf"{W}(mau|bieu mau){E}|{W}\d{{1,2}}[abc]{E}")
BODY = re.compile(
    rf"{W}(ai|co quan nao|cap nao|do ai|nguoi nao|ben nao|don vi nao|to chuc nao|noi nao|"
    rf"(o|ve|tai|den) dau|tham quyen|cap (tren )?nao|chu the nao|ai la nguoi|cap co tham quyen){E}"
)
# "ai trước, ai sau": an order, not a body.
ORDER = re.compile(
    rf"{W}(truoc ai sau|ai truoc|truoc hay sau|truoc hay|(ben|cap|ai) nao .{{0,40}}truoc|thu tu|"
    rf"(ai|hay .{{0,30}}) (kiem diem|danh gia|xep loai|lam) truoc){E}"
)
PURPOSE = re.compile(
    rf"{W}(muc dich|de lam gi|nham (muc dich )?(gi|lam gi)|y nghia|tac dung|dung (de )?lam gi){E}"
)
PROCEDURE = re.compile(
    rf"{W}(quy trinh|cac buoc|trinh tu|thu tu|cach thuc|lam (the|nhu the) nao|"
    rf"tien hanh (the|nhu the) nao|thuc hien (the|nhu the) nao|ra sao|(?<!tap )the nao|"
    rf"nhu the nao|cach (lam|danh gia|xep loai|kiem diem|tinh|cham)|nhu nao|xu ly (the|ra))"
    rf"{E}"
)
# "gồm những ai", "những cấp ủy nào": a list even though it says "ai" or "nào".
LIST_FIRST = re.compile(rf"{W}(gom nhung|bao gom|nhung ai|nhung( [\w,]+){{1,5}} (nao|gi)){E}")
LIST = re.compile(
    rf"{W}(nhung( [\w,]+){{1,5}} (nao|gi)|gom (nhung )?(gi|ai|nao|cac|nhung)|"
    rf"nhung (gi|ai|noi dung|truong hop|tieu chi|"
    rf"nhiem vu|doi tuong|nhom|y|mat|dieu kien|yeu cau|tieu chuan)|cac (truong hop|tieu chi|"
    rf"noi dung|nhiem vu|doi tuong|nhom|dieu kien|yeu cau|tieu chuan)|liet ke|bao gom|"
    rf"nao (phai|duoc|khong)){E}"
)
DOC_FACTS = (
    (
        DocFact.SIGNER,
        rf"{W}(ai ky|nguoi ky|ky boi|do ai ky|ky ten|ai la nguoi ky|dong chi nao ky){E}",
    ),
    (
        DocFact.ISSUER,
        rf"{W}(co quan nao ban hanh|ai ban hanh|do ai ban hanh|ban hanh boi|cua co quan nao|"
        rf"cap nao ban hanh|do (co quan|cap) nao|co quan ban hanh|ai ra){E}",
    ),
    (
        DocFact.IN_FORCE,
        rf"{W}(con hieu luc|het hieu luc|con ap dung|con dung|con duoc (ap dung|dung)|"
        rf"con gia tri|bi bai bo|bi huy bo|hieu luc khong|con hieu luc khong|con dung duoc|"
        rf"co con (hieu luc|ap dung)|da het hieu luc|sua doi|van ban (nao )?bo sung|"
        rf"khong con (doi tuong )?"
        rf"(ap dung|hieu luc)|het doi tuong|con doi tuong){E}",
    ),
    (
        DocFact.EFFECTIVE,
        rf"{W}(hieu luc (tu|ke tu) (ngay|khi|luc) nao|co hieu luc (tu )?(ngay|khi|luc) nao|"
        rf"ngay (co )?hieu luc|bat dau (ap dung|co hieu luc)|hieu luc tu|hieu luc khi nao|"
        rf"ap dung tu (ngay|khi) nao){E}",
    ),
    (
        DocFact.SIGNED,
        rf"{W}(ngay (ban hanh|ky)|ban hanh (ngay|khi|luc|nam|thang) nao|ban hanh khi nao|"
        rf"ky (ngay|khi|luc|nam) nao|ra doi (khi|luc|nam) nao|ngay nao|nam nao|ban hanh ngay){E}",
    ),
    (
        DocFact.STRUCTURE,
        rf"{W}((bao nhieu|may) (chuong|dieu)|bo cuc|cau truc){E}",
    ),
)
# Which documents a cycle uses ("năm 2025 xếp loại theo văn bản nào"): needs no document named.
APPLIES = re.compile(
    rf"{W}((theo|ap dung|dung|can cu|dua vao|thuc hien theo) (van ban|quy dinh|huong dan) nao|"
    rf"van ban nao (ap dung|duoc ap dung|dung|quy dinh)|(la )?van ban nao|ap dung (qd|quy dinh|"
    rf"huong dan|hd) nao|(quy dinh|huong dan|van ban)\s.{{0,60}}(dang co hieu luc|hien hanh|"
    rf"dang ap dung).{{0,40}}(so may|so bao nhieu|la gi|nao)){E}"
)
# "đã có văn bản nào sửa đổi, bổ sung chưa": whether it is still in force as it was.
AMEND = re.compile(rf"{W}(sua doi|van ban (nao )?bo sung){E}")
# "… thay thế …": which way the replacement goes decides replaces / replaced_by.
REPLACE = re.compile(rf"{W}(thay the|thay cho|thay bang|thay){E}")
PASSIVE = re.compile(rf"{W}(bi|duoc|da bi|da duoc) thay{E}|{W}thay bang{E}|{W}nao thay{E}")
META_DOC = re.compile(rf"{W}(van ban|quy dinh|huong dan) (nay|do|tren|nao){E}")

PRESENT = re.compile(
    rf"{W}(nam nay|hien nay|hien hanh|bay gio|hien tai|moi nhat|dang ap dung|dang dung|"
    rf"ky nay|cuoi nam nay|quy dinh moi|huong dan moi|van ban moi|nam 2025|nam 2026|"
    rf"nam ngoai|2025|2026|tu nam 2025|tu 2025){E}"
)
OLD = re.compile(
    rf"{W}(nam 2023|nam 2024|2023|2024|truoc day|quy dinh cu|huong dan cu|van ban cu|"
    rf"ky 2023|ky 2024|hai nam truoc|nhung nam truoc){E}"
)
NEW_YEAR = re.compile(rf"{W}(2025|2026|2027|nam ngoai){E}")
OLD_DOCS = {"qd-124-2023", "hd-25-2023"}
NEW_DOCS = {"qd-366-2025", "hd-43-2025"}
ENGLISH = re.compile(
    r"\b(what|who|how|when|which|does|is|are|the|of|about|party|member|members|can|should|"
    r"must|rating|review|evaluation|regulation)\b",
    re.IGNORECASE,
)
PREMISE_NUMBER = re.compile(
    rf"{W}(\d+)\s*(ngay lam viec|ngay|thang|nam|diem|%|phan tram){E}|(\d+)\s*%"
)

ASKED_LABELS = {
    Asked.BODY: "ai (cơ quan nào) thực hiện, quyết định",
    Asked.DEADLINE: "thời hạn, thời điểm",
    Asked.COUNT: "số lượng",
    Asked.NUMBER: "con số, tỷ lệ, ngưỡng",
    Asked.LEVEL: "mức xếp loại",
    Asked.FORM: "biểu mẫu",
    Asked.YESNO: "có hay không",
    Asked.LIST: "liệt kê",
    Asked.COMPARISON: "so sánh 2023–2024 với từ 2025",
    Asked.PURPOSE: "mục đích",
    Asked.PROCEDURE: "cách làm, trình tự",
    Asked.DOC_FACT: "thông tin văn bản",
    Asked.CONTENT: "nội dung quy định",
}
DOC_FACT_LABELS = {
    DocFact.ISSUER: "cơ quan ban hành",
    DocFact.SIGNER: "người ký",
    DocFact.SIGNED: "ngày ban hành",
    DocFact.EFFECTIVE: "ngày có hiệu lực",
    DocFact.REPLACES: "văn bản bị thay thế",
    DocFact.REPLACED_BY: "văn bản thay thế",
    DocFact.IN_FORCE: "còn hiệu lực hay không",
    DocFact.STRUCTURE: "bố cục",
    DocFact.APPLIES: "văn bản áp dụng cho kỳ đánh giá",
}
ROLE_LABELS = {
    "leader": "người giữ chức vụ lãnh đạo, quản lý",
    "no_post": "người không giữ chức vụ lãnh đạo, quản lý",
    "probationary": "đảng viên dự bị",
    "new_member": "đảng viên mới kết nạp",
    "outside_system": "đảng viên không làm việc trong hệ thống chính trị",
    "central_cadre": "cán bộ diện Trung ương quản lý",
    "basic_committee": "cấp ủy cơ sở",
    "branch_under": "chi bộ trực thuộc",
    "branch_basic": "chi bộ cơ sở",
    "provincial": "cấp ủy cấp tỉnh",
}
TIME_LABELS = {
    Period.NOW: "kỳ hiện hành (từ năm 2025)",
    Period.NEW: "từ kỳ năm 2025",
    Period.OLD: "kỳ năm 2023–2024",
}


def _search(pattern: str | re.Pattern, text: str) -> re.Match | None:
    return (pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)).search(text)


# A deadline the rule sets ("kiểm điểm phải xong trước ngày nào"), not the document's date.
RULE_DATE = re.compile(rf"{W}(xong|truoc|hoan thanh|ket thuc|gui|nop|bao cao|han){E}")
SIGNING = re.compile(rf"{W}(ban hanh|ky|ra doi){E}")


def _fact_matches(fact: DocFact, pattern: str, folded: str) -> bool:
    if not _search(pattern, folded):
        return False
    if fact is DocFact.SIGNED and RULE_DATE.search(folded) and not SIGNING.search(folded):
        return False
    return True


def detect_asked(folded: str, has_documents: bool) -> tuple[Asked, DocFact | None]:
    """The asked type of a folded question, without the yes/no form."""
    if COMPARISON.search(folded):
        return Asked.COMPARISON, None
    doc_fact = _doc_fact(folded, has_documents)
    if doc_fact is not None:
        return Asked.DOC_FACT, doc_fact
    for asked, pattern in (
        (Asked.COUNT, COUNT),
        # "… được 86 điểm, hoàn thành 100% … thì xếp loại gì": the numbers are the case told,
        # the level is what is asked.
        (Asked.LEVEL, LEVEL),
        (Asked.NUMBER, NUMBER),
        (Asked.DEADLINE, DEADLINE),
        (Asked.FORM, FORM),
        (Asked.LIST, LIST_FIRST),
        (Asked.PROCEDURE, ORDER),
        (Asked.BODY, BODY),
        (Asked.PURPOSE, PURPOSE),
        (Asked.PROCEDURE, PROCEDURE),
        (Asked.LIST, LIST),
    ):
        if pattern.search(folded):
            return asked, None
    return Asked.CONTENT, None


def _doc_fact(folded: str, has_documents: bool) -> DocFact | None:
    matched = next((f for f, p in DOC_FACTS if _fact_matches(f, p, folded)), None)
    if (
        APPLIES.search(folded)
        and not REPLACE.search(folded)
        and not AMEND.search(folded)
        # "QĐ 124 và QĐ 125, văn bản nào ký trước, ký ngày nào"
        and not (has_documents and matched is not None)
    ):
        return DocFact.APPLIES
    if not has_documents and not META_DOC.search(folded):
        return None
    if matched is not None:
        return matched
    replace = REPLACE.search(folded)
    if replace:
        if PASSIVE.search(folded):
            return DocFact.REPLACED_BY
        # "QĐ 124 thay thế văn bản nào" (the document first) / "văn bản thay thế QĐ 124".
        before = folded[: replace.start()]
        named_before = re.search(r"\d{2,5}", before)
        return DocFact.REPLACES if named_before else DocFact.REPLACED_BY
    return None


def all_doc_facts(folded: str, has_documents: bool) -> list[DocFact]:
    """Every document fact a question asks ("ai ký, ngày nào": signer and date)."""
    found = [fact for fact, pattern in DOC_FACTS if _fact_matches(fact, pattern, folded)]
    first = _doc_fact(folded, has_documents)
    if first is not None and first not in found:
        found.insert(0, first)
    if REPLACE.search(folded) and first not in (DocFact.REPLACES, DocFact.REPLACED_BY):
        found.append(DocFact.REPLACED_BY if PASSIVE.search(folded) else DocFact.REPLACES)
    return list(dict.fromkeys(found))


def _period(folded: str, documents: list[str], doc_fact: DocFact | None) -> tuple[Period, bool]:
    if OLD.search(folded):
        return Period.OLD, True
    if NEW_YEAR.search(folded):
        return Period.NEW, True
    if PRESENT.search(folded):
        return Period.NOW, True
    named = set(documents)
    if named & OLD_DOCS and not named & NEW_DOCS:
        return Period.OLD, True
    if named & NEW_DOCS and not named & OLD_DOCS:
        return Period.NEW, True
    return Period.NOW, False


def _premise(folded: str, documents: list[str], polar: bool, level: str | None) -> Premise | None:
    doc = documents[0] if len(documents) == 1 else None
    code = re.search(rf"{W}(?:mau\s+)?(\d{{1,2}}[abc])(?![\w])|{W}mau\s+(\d{{1,2}}){E}", folded)
    if code and CHOICE.search(folded):
        return None  # "mẫu 2A hay mẫu 2B?": a choice between forms asserts neither
    if code:
        raw = code.group(1) or code.group(2)
        return Premise(kind="form", value=form_code(raw), text=code.group(0), doc_id=doc)
    if not polar:
        return None
    if len(documents) == 2 and REPLACE.search(folded):
        first, second = documents
        if PASSIVE.search(folded):
            first, second = second, first
        return Premise(kind="relation", value=f"{first}>{second}", text="thay thế")
    number = PREMISE_NUMBER.search(folded)
    if number:
        value, unit = (
            (number.group(1), number.group(2)) if number.group(1) else (number.group(3), "%")
        )
        kind = {"diem": "score", "%": "percent", "phan tram": "percent"}.get(unit, "duration")
        value = value if kind != "duration" else f"{int(value)} {unit}"
        return Premise(kind=kind, value=value, text=number.group(0), doc_id=doc)
    if level:
        return Premise(kind="level", value=level, text=LEVEL_NAMES[level], doc_id=doc)
    return None


def looks_english(question: str) -> bool:
    """A question written in English ("Who rates the quality of a party cell?")."""
    words = re.findall(r"[A-Za-z]+", question)
    return (
        len(words) >= 3 and len(ENGLISH.findall(question)) >= 2 and not _looks_vietnamese(question)
    )


def build_frame(question: str, pack: Pack) -> Frame:
    """The frame of one question (no history)."""
    text = expand_shorthand(normalize(question))
    folded = fold(text)
    vocab = vocabulary()
    documents = find_documents(text, pack)
    asked, doc_fact = detect_asked(folded, bool(documents))
    polar = bool(POLAR.search(folded)) and not NOT_POLAR.search(folded)
    focus = asked
    if polar and asked not in (Asked.DOC_FACT, Asked.COMPARISON):
        asked = Asked.YESNO
    request = next((name for name, pattern in REQUESTS if _search(pattern, folded)), None)
    time, explicit = _period(folded, documents, doc_fact)
    levels = vocab.level_of(folded)
    level = levels[0] if levels else None
    kinds = vocab.subjects_of(folded)
    roles = vocab.roles_of(folded)
    subject = Subject(
        kind=kinds[0] if kinds else _kind_from_roles(roles),
        both=len(kinds) == 2,
        roles=roles,
    )
    english = looks_english(question)
    doc_facts = all_doc_facts(folded, bool(documents)) if doc_fact else []
    frame = Frame(
        question=normalize(question),
        doc_facts=doc_facts,
        documents=documents,
        time=time,
        time_explicit=explicit,
        subject=subject,
        asked=asked,
        focus=focus,
        polar=polar,
        doc_fact=doc_fact,
        level=level,
        premise=_premise(folded, documents, polar, level),
        request=request,
        english=english,
    )
    return frame.model_copy(update={"shown": describe(frame, pack)})


def _kind_from_roles(roles: list[str]) -> str | None:
    if set(roles) & {"leader", "no_post", "probationary", "new_member", "outside_system"}:
        return "individual"
    if set(roles) & {"basic_committee", "branch_under", "branch_basic", "provincial"}:
        return "collective"
    return None


def _looks_vietnamese(text: str) -> bool:
    folded = fold(text)
    return folded != text.lower() or bool(
        re.search(r"\b(dang vien|chi bo|kiem diem|xep loai|quy dinh|huong dan|khong)\b", folded)
    )


def describe(frame: Frame, pack: Pack) -> str:
    """The frame in words: "Hỏi: thời hạn · về: đảng viên · kỳ hiện hành (từ năm 2025)"."""
    asked = ASKED_LABELS[frame.asked]
    if frame.asked is Asked.DOC_FACT and frame.doc_fact:
        asked = DOC_FACT_LABELS[frame.doc_fact]
    elif frame.asked is Asked.YESNO and frame.focus not in (Asked.YESNO, Asked.CONTENT):
        asked = f"có hay không ({ASKED_LABELS[frame.focus]})"
    parts = [f"Hỏi: {asked}"]
    about = [ROLE_LABELS[r] for r in frame.subject.roles if r in ROLE_LABELS]
    if not about and frame.subject.kind:
        about = ["tập thể" if frame.subject.kind == "collective" else "cá nhân"]
        if frame.subject.both:
            about = ["tập thể và cá nhân"]
    if frame.level:
        about.append(f'mức "{LEVEL_NAMES[frame.level]}"')
    if about:
        parts.append("về: " + ", ".join(about))
    if frame.documents:
        names = [pack.document(d).name for d in frame.documents if d in pack.trees]
        parts.append("văn bản: " + ", ".join(names))
    if frame.asked is not Asked.DOC_FACT:
        parts.append(TIME_LABELS[frame.time])
    if frame.premise:
        parts.append(f"tiền đề cần kiểm tra: {frame.premise.text}")
    return " · ".join(parts)
