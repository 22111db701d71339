"""Any party document: ids, issuers and validity relations from the text and the front matter
(knowledge.registry), not from a list of ids; a document outside the five shipped ones is
searched, answered, shown and exported like the others."""

from __future__ import annotations

import shutil

import pytest
import yaml
from new_documents import (
    HD_05_DEADLINE,
    HD_05_ID,
    HD_05_ISSUER,
    hd_05_dong_nai,
    kl_198,
)
from streamlit.testing.v1 import AppTest
from test_ingest import OfficialDoc, official_dir, qd_124, write_txt

from assistant.cli import main
from knowledge.ingest import IngestError, IngestFailure, Relations, ingest_file, read_official
from knowledge.pack import load_pack
from knowledge.registry import document_id, ordered, resolve_reference
from knowledge.types import Status

SIXTH_QUESTION = (
    "Theo Quy định 124 và Hướng dẫn 05 của Ban Tổ chức Tỉnh ủy Đồng Nai, chi bộ trực thuộc "
    "phải hoàn thành kiểm điểm trước ngày nào?"
)


# --- ids, issuers, relations ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "number", "year", "place", "expected"),
    [
        ("Kết luận", "198-KL/TW", 2025, None, "kl-198-2025"),
        ("Quy định", "31-QĐ/TU", 2023, "Đồng Nai", "qd-31-2023-tu-dong-nai"),
        ("Hướng dẫn", "05-HD/BTCTU", 2024, "Đồng Nai", "hd-5-2024-btctu-dong-nai"),
        ("Hướng dẫn", "25-HD/BTCTW", 2023, None, "hd-25-2023"),
        ("Chỉ thị", "35-CT/TW", 2024, None, "ct-35-2024"),
    ],
)
def test_an_id_is_made_from_kind_number_year_and_a_local_issuer(
    kind, number, year, place, expected
):
    assert document_id(kind, number, year, place) == expected


def provincial_qd() -> OfficialDoc:
    return OfficialDoc(
        header_left=["TỈNH ỦY ĐỒNG NAI", "*", "Số 31-QĐ/TU"],
        header_right=["ĐẢNG CỘNG SẢN VIỆT NAM", "Đồng Nai, ngày 15 tháng 3 năm 2023"],
        title=["QUY ĐỊNH", "về chế độ báo cáo của các tổ chức đảng trực thuộc Tỉnh ủy"],
        preamble=["- Căn cứ Điều lệ Đảng;", "Ban Thường vụ Tỉnh ủy quy định như sau:"],
        body=[
            "Điều 1. Phạm vi",
            "Quy định này áp dụng với các tổ chức đảng trực thuộc Tỉnh ủy.",
            "Điều 2. Thời hạn báo cáo",
            "Báo cáo sáu tháng gửi trước ngày 15/6; báo cáo năm gửi trước ngày 15/12.",
        ],
        closing_left=["Nơi nhận:", "- Các tổ chức đảng trực thuộc,", "- Lưu Văn phòng Tỉnh ủy."],
        closing_right=["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Lê Văn Tỉnh"],
    )


@pytest.mark.parametrize(
    ("make", "doc_id", "issuer", "kind"),
    [
        (kl_198, "kl-198-2025", "Bộ Chính trị", "Kết luận"),
        (provincial_qd, "qd-31-2023-tu-dong-nai", "Ban Thường vụ Tỉnh ủy Đồng Nai", "Quy định"),
        (hd_05_dong_nai, HD_05_ID, HD_05_ISSUER, "Hướng dẫn"),
    ],
)
def test_a_document_without_a_digest_gets_its_id_and_issuer_from_its_header(
    make, doc_id, issuer, kind, tmp_path
):
    report = ingest_file(write_txt(make(), tmp_path / "vb.txt"), official_dir=official_dir())

    assert (report.doc_id, report.issuer, report.kind) == (doc_id, issuer, kind)
    assert report.new_document and report.compared_with == ""
    document = load_pack(official_dir()).document(doc_id)
    assert (document.issuer, document.kind, document.text.value) == (issuer, kind, "official")


def test_a_guide_names_what_it_guides_and_the_pack_orders_it_after_the_shipped_texts(tmp_path):
    source = write_txt(hd_05_dong_nai(), tmp_path / "hd.txt")
    report = ingest_file(source, official_dir=official_dir())
    assert report.relations == Relations(guides=("qd-124-2023",))

    pack = load_pack(official_dir())

    assert [d.id for d in pack.documents] == [
        "qd-124-2023",
        "qd-125-2023",
        "hd-25-2023",
        "qd-366-2025",
        "hd-43-2025",
        HD_05_ID,
    ]
    info = pack[f"{HD_05_ID}/thong-tin"].text
    assert "Hướng dẫn thực hiện: Quy định 124-QĐ/TW." in info
    assert "Cơ quan ban hành: Ban Tổ chức Tỉnh ủy Đồng Nai." in info
    # The guide's sections hold their sentences, not empty headings.
    assert pack[f"{HD_05_ID}/muc-1/muc-1.1"].text == HD_05_DEADLINE.removeprefix("1.1. ")


def test_relations_set_by_the_user_make_the_other_document_replaced(tmp_path):
    # Say the provincial guide of 2024 is replaced by QĐ 366 (the user's choice): it is
    # shown as replaced; and a text the user says replaces QĐ 125 makes QĐ 125 replaced.
    ingest_file(
        write_txt(hd_05_dong_nai(), tmp_path / "hd.txt"),
        official_dir=official_dir(),
        relations=Relations(replaced_by="qd-366-2025", guides=("qd-124-2023",)),
    )
    ingest_file(
        write_txt(kl_198(), tmp_path / "kl.txt"),
        official_dir=official_dir(),
        relations=Relations(replaces="qd-125-2023"),
    )

    pack = load_pack(official_dir())

    guide = pack.document(HD_05_ID)
    assert guide.status is Status.REPLACED and guide.replaced_by.id == "qd-366-2025"
    old = pack.document("qd-125-2023")
    assert old.status is Status.REPLACED
    assert (old.replaced_by.id, old.replaced_by.number) == ("kl-198-2025", "198-KL/TW")
    assert "đã được thay thế bởi 198-KL/TW ngày 08/10/2025" in pack["qd-125-2023/thong-tin"].text
    front = yaml.safe_load((official_dir() / "kl-198-2025.md").read_text().split("---")[1])
    assert front["replaces"] == "Quy định 125-QĐ/TW ngày 10/10/2023 của Ban Bí thư"
    assert resolve_reference(front["replaces"], pack.documents) == "qd-125-2023"
    # Nothing was written to the shipped digest.
    assert "replaced_by" not in (load_pack().document("qd-125-2023").path.read_text())


def test_a_relation_to_an_unknown_document_is_refused_and_nothing_is_written(tmp_path):
    official = read_official(write_txt(kl_198(), tmp_path / "kl.txt"), official_dir=official_dir())
    with pytest.raises(IngestError) as caught:
        ingest_file(
            write_txt(kl_198(), tmp_path / "kl.txt"),
            official_dir=official_dir(),
            relations=Relations(guides=("qd-1-2020",)),
        )
    assert "Văn bản 'qd-1-2020' không có trong bộ văn bản" in str(caught.value)
    assert not official.path.exists()


def test_the_official_kl_198_and_the_note_about_it_do_not_collide(tmp_path):
    ingest_file(write_txt(kl_198(), tmp_path / "kl.txt"), official_dir=official_dir())

    pack = load_pack(official_dir())

    assert "ghi-chu/kl-198-2025" in pack  # the note, still cited as a note
    assert pack["kl-198-2025/muc-1"].doc_id == "kl-198-2025"  # the document's own provision
    assert pack["ghi-chu/kl-198-2025"].doc_id == "ghi-chu"
    assert pack.document("kl-198-2025").name == "Kết luận 198-KL/TW"


def test_a_mistyped_number_with_a_known_title_and_date_is_refused(tmp_path):
    doc = qd_124()
    doc.header_left = ["BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 142-QĐ/TW"]
    with pytest.raises(IngestError) as caught:
        ingest_file(write_txt(doc, tmp_path / "nham.txt"), official_dir=official_dir())
    assert caught.value.failure is IngestFailure.NUMBER_MISMATCH
    assert "có tên và ngày ký của Quy định 124-QĐ/TW (qd-124-2023)" in str(caught.value)


def test_the_cli_sets_relations_and_prints_them(tmp_path, capsys):
    source = write_txt(kl_198(), tmp_path / "kl.txt")
    assert main(["ingest", str(source), "--replaces", "qd-125-2023", "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["document_id"] == "kl-198-2025" and data["new_document"] is True
    assert data["relations"] == {"replaces": "qd-125-2023", "replaced_by": None, "guides": []}
    assert main(["ingest", str(source), "--guides", "qd-9-2000"]) == 2
    assert "Mã văn bản 'qd-9-2000'" in capsys.readouterr().err


def test_the_shipped_order_comes_from_the_front_matter():
    pack = load_pack()
    shuffled = list(reversed(pack.documents))
    assert [d.id for d in ordered(shuffled)] == [
        "qd-124-2023",
        "qd-125-2023",
        "hd-25-2023",
        "qd-366-2025",
        "hd-43-2025",
    ]


# --- a sixth document, searched, answered, shown, exported --------------------------------


@pytest.fixture(scope="module")
def sixth(pack_retriever, tmp_path_factory):
    """The shipped pack plus the provincial guide, indexed from a copy of the session's index
    (only the guide's provisions are embedded)."""
    from assistant.answering import Assistant
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    data = tmp_path_factory.mktemp("sixth") / "data"
    shutil.copytree(pack_retriever.settings.index_path, data / "index")
    settings = Settings(data_dir=data)
    source = write_txt(hd_05_dong_nai(), data.parent / "hd05.txt")
    ingest_file(source, official_dir=settings.official_path, index_dir=settings.index_path)
    retriever = Retriever.load(settings)
    return Assistant(retriever)


@pytest.mark.slow
def test_a_sixth_document_is_answered_together_with_qd_124(sixth, pack_retriever):
    built = sixth.retriever.build_report
    # Only the guide is embedded: every chunk of the shipped pack's index is reused.
    assert built.reused == pack_retriever.build_report.total
    assert 0 < built.embedded == built.total - built.reused

    answer = sixth.answer(SIXTH_QUESTION)

    first, second = (s.text for s in answer.lead[:2])
    assert first.startswith("Theo Hướng dẫn 05-HD/BTCTU: Chi bộ trực thuộc đảng ủy cơ sở")
    assert first.endswith("trước ngày 15/12/2024 [1].")
    assert second.startswith("Kỳ 2023–2024, theo Quy định 124-QĐ/TW:")
    assert "dịp cuối năm" in second and second.endswith("[2].")
    assert [c.id for c in answer.citations] == [
        f"{HD_05_ID}/muc-1/muc-1.1",
        "qd-124-2023/dieu-14/khoan-2",
    ]
    assert [c.text_kind for c in answer.citations] == ["official", "digest"]
    assert answer.validity.startswith("Quy định 124-QĐ/TW đã được thay thế bởi Quy định 366")


@pytest.mark.slow
def test_the_sixth_document_is_searched_exported_and_shown_like_the_others(sixth, monkeypatch):
    from assistant.export import conversation_document, to_markdown

    found = sixth.retriever.search("Hướng dẫn 05 Tỉnh ủy Đồng Nai thẩm quyền xếp loại")
    assert found.doc_filter == [HD_05_ID]
    assert found.hits[0].doc_id == HD_05_ID

    exported = to_markdown(conversation_document([sixth.answer(SIXTH_QUESTION)], sixth.pack))
    assert f"(`{HD_05_ID}/muc-1/muc-1.1`): số hiệu 05-HD/BTCTU; ký ngày 20/11/2024" in exported

    monkeypatch.setenv("QUYDINH_DATA_DIR", str(sixth.settings.data_dir))
    at = AppTest.from_file("../ui/app.py", default_timeout=120)
    at.query_params.update({"page": "van-ban", "doc": HD_05_ID})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox[0].value == HD_05_ID
    shown = "\n".join(m.value for m in at.markdown)
    assert "Ban Tổ chức Tỉnh ủy Đồng Nai" in shown
    assert "Chi bộ trực thuộc đảng ủy cơ sở hoàn thành kiểm điểm" in shown
