"""The pages as a person sees them (issue 13), through `streamlit.testing.v1.AppTest`: the one
shape of an answer, the Văn bản page's search, chapters, coverage, forms and print view, the
Đo lường page with and without reports, and an empty conversation's downloads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ui_support import ask, assistant_messages, run_app, texts, unescaped

from assistant import prompts

UI = prompts.UI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("ui-pages-data")


@pytest.fixture(autouse=True)
def _shared_data(shared_data, monkeypatch):
    monkeypatch.setenv("QUYDINH_DATA_DIR", str(shared_data))


# --- one answer, one shape ------------------------------------------------------------------


def test_an_answer_is_lead_then_one_trust_line_then_validity_once():
    at = ask(run_app(), "Đảng viên dự bị có phải kiểm điểm không?")
    [message] = assistant_messages(at)
    parts = list(message.children.values())
    kinds = [type(p).__name__ for p in parts]
    # Nothing but the question as understood (a caption) comes before the lead.
    first_markdown = kinds.index("Markdown")
    assert set(kinds[:first_markdown]) <= {"Caption"}
    assert "Đảng viên trong toàn Đảng phải kiểm điểm" in unescaped(parts[first_markdown].value)
    # No box before the answer, no stack of hedges: the lead is text, not an alert.
    assert not message.info or all(i.proto.icon == ":material/push_pin:" for i in message.info)
    assert not message.warning
    # One trust line right after the lead, closed, opening to one line per source.
    expanders = [p for p in parts if type(p).__name__ == "Expander"]
    trust = expanders[0]
    assert unescaped(trust.label) == (
        ":material/verified_user: Bản tóm lược, không phải nguyên văn · 1 trích dẫn: "
        "Quy định 124-QĐ/TW"
    )
    assert not trust.proto.expanded
    details = [unescaped(c) for c in texts(trust.caption)]
    assert details[0].startswith("[1] Điều 5, khoản 2, điểm 2.1 — Quy định 124-QĐ/TW: Bản tóm lược")
    assert any("Bản tóm lược do dự án tự viết" in d for d in details)
    # Validity said once, naming the successor with a link to it.
    validity = [m for m in texts(message.markdown) if UI.VALIDITY in m]
    assert len(validity) == 1
    assert (
        "[Xem quy định thay thế\\: Quy định 366-QĐ/TW](?page=van-ban&doc=qd-366-2025)"
        in (validity[0])
    )


def test_engine_settings_and_timing_are_only_in_the_collapsed_technical_details():
    at = ask(run_app(), "Ai quyết định xếp loại chi bộ?")
    [message] = assistant_messages(at)
    [technical] = [e for e in message.expander if e.label == UI.TECHNICAL]
    assert not technical.proto.expanded
    lines = [unescaped(c) for c in texts(technical.caption)]
    assert lines[0].startswith("Trả lời trong ") and "soạn bởi bộ trích xuất" in lines[0]
    assert "mã cấu hình " in lines[0]
    assert any(line.startswith("Kết quả tìm kiếm 1: ") for line in lines)
    # Nowhere else in the answer: no developer line under the lead.
    outside = texts(message.markdown) + [
        c for c in texts(message.caption) if c not in texts(technical.caption)
    ]
    assert not any("mã cấu hình" in unescaped(t) or "extractive" in t for t in outside)


def test_an_empty_conversation_offers_no_download_but_says_why():
    at = run_app()
    assert not at.sidebar.get("download_button")
    assert UI.EXPORT_NOTHING in texts(at.sidebar.caption)


def test_the_page_icon_is_bundled_and_print_leaves_out_the_chrome():
    at = run_app()
    [style] = [h.proto.body for h in at.get("html")]
    assert "@media print" in style and '[data-testid="stSidebar"]' in style
    assert "googleapis" not in style and "gstatic" not in style
    icon = Path(__file__).resolve().parents[1] / "ui" / "assets" / "icon.svg"
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<svg")
    assert "http" not in icon.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")


# --- the Văn bản page: search ---------------------------------------------------------------


def _search(at, query: str, *, everywhere: bool = False):
    if everywhere:
        at.get("button_group")[0].set_value(UI.SEARCH_ALL).run()
    at.text_input(key="browse-search").set_value(query).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_search_without_accents_finds_the_accented_words_in_context():
    at = _search(run_app(page="van-ban", doc="qd-366-2025"), "xep loai")
    [count] = [c for c in texts(at.caption) if "kết quả cho" in c]
    assert count.startswith("6 kết quả cho “xep loai” trong Quy định 366-QĐ/TW")
    shown = texts(at.markdown)
    # Each hit: its citation, then the words around it with the match in bold.
    assert "**Chương III, nội dung thứ 3 — Quy định 366-QĐ/TW**" in shown
    assert any('Tỷ lệ **xếp loại** "Hoàn thành xuất sắc nhiệm vụ"' in m for m in shown)
    assert [b.label for b in at.button if (b.key or "").startswith("hit-")][:1] == [UI.SEARCH_OPEN]


def test_search_across_all_documents_and_open_a_hit():
    at = _search(run_app(page="van-ban", doc="qd-366-2025"), "Mẫu 02A", everywhere=True)
    [count] = [c for c in texts(at.caption) if "kết quả cho" in c]
    assert "trong mọi văn bản" in count
    hits = [m for m in texts(at.markdown) if m.startswith("**") and "Hướng dẫn 25-HD/BTCTW" in m]
    assert hits
    next(b for b in at.button if (b.key or "").startswith("hit-hd-25-2023")).click().run()
    assert at.query_params["doc"] == ["hd-25-2023"] or at.query_params["doc"] == "hd-25-2023"
    assert texts(at.subheader)[0].startswith("Quy định được mở: ")


def test_search_with_no_hits_says_so_with_a_suggestion():
    at = _search(run_app(page="van-ban", doc="qd-366-2025"), "zzzqqq")
    [info] = at.info
    assert info.value.startswith("Không tìm thấy “zzzqqq” trong Quy định 366-QĐ/TW.")
    assert "Gợi ý: dùng ít từ hơn" in info.value


def test_a_punctuation_only_or_very_long_search_gets_a_notice():
    at = _search(run_app(page="van-ban", doc="qd-366-2025"), "!!! ... ??? ---")
    assert texts(at.warning) == [UI.SEARCH_PUNCTUATION]
    at = _search(at, "xếp loại " * 1200)  # 10,800 characters
    notices = [unescaped(w) for w in texts(at.warning)]
    assert any(w.startswith("Từ khóa dài 10799 ký tự; chỉ 200 ký tự đầu") for w in notices)
    [count] = [c for c in texts(at.caption) if "kết quả cho" in c]
    assert len(count) < 200  # the query is not echoed whole


# --- the Văn bản page: chapters, coverage, forms, print --------------------------------------


def test_chapters_are_headings_and_coverage_counts_the_real_articles():
    at = run_app(page="van-ban", doc="qd-366-2025")
    assert texts(at.subheader)[:3] == ["Chương I", "Chương III", "Chương IV"]
    assert f"Chương II — :material/block: {UI.NOT_COVERED}" in [e.label for e in at.expander]
    assert "4 nội dung trong bản tóm lược" in texts(at.caption)
    [progress] = at.get("progress")
    # QĐ 366 has 19 articles: coverage is counted against them, not against the digest's units.
    assert progress.proto.text.startswith("1/19 điều có nội dung")


def test_a_guide_lists_the_forms_it_names_with_who_uses_them():
    at = run_app(page="van-ban", doc="hd-25-2023")
    [forms] = [e for e in at.expander if UI.FORMS in e.label]
    assert forms.label.endswith("(4)")
    items = texts(forms.markdown)
    form_02a = next(m for m in items if m.startswith("- **Mẫu 02A**"))
    assert "**Ai dùng:** người không giữ chức vụ lãnh đạo, quản lý" in form_02a
    assert "(?page=van-ban&doc=hd-25-2023&p=hd-25-2023%2Fmuc-2)" in form_02a


def test_the_print_view_of_an_article_has_its_text_and_no_app_controls():
    at = run_app(page="van-ban", doc="qd-124-2023", p="qd-124-2023/dieu-12", print="1")
    shown = texts(at.markdown)
    assert "### Điều 12. Tiêu chí xếp loại" in shown
    assert texts(at.header) == ["Quy định 124\\-QĐ/TW"] or unescaped(at.header[0].value) == (
        "Quy định 124-QĐ/TW"
    )
    assert not at.text_input and not at.selectbox and not at.button
    assert not any(m.startswith("### Điều 13") for m in shown)  # one article only
    assert UI.PRINT_HELP in texts(at.caption)


def test_the_print_view_of_a_document_has_every_article():
    at = run_app(page="van-ban", doc="qd-124-2023", print="1")
    articles = [m for m in texts(at.markdown) if m.startswith("#### Điều ")]
    assert len(articles) == 19
    assert not at.text_input and not at.selectbox


# --- the Đo lường page ------------------------------------------------------------------------


def _summary(value: float) -> dict:
    retrieval = {k: value for k in ("hit@1", "hit@5", "article_hit@5", "mrr@10", "ndcg@10")}
    return {
        "retrieval": retrieval,
        "lead_fact_recall": value,
        "lead_accent_gap": 0.0,
        "asked_type_accuracy": value,
        "outcome_accuracy": value,
        "hit@5_accented": value,
        "hit@5_unaccented": value,
        "accent_gap": 0.0,
        "fact_recall": value,
        "citation_validity": 1.0,
        "citation_precision": value,
        "citation_recall": value,
        "refusal_recall": value,
        "false_refusal_rate": 0.0,
        "latency_ms": {"p50": 20.0, "p95": 30.0},
        "date": "2026-01-01T00:00:00",
        "settings_hash": "abcd1234",
        "engine": "extractive",
        "n_cases": 2,
        "by_asked": {},
    }


def _report(value: float, prefix: str) -> dict:
    case = {"question": "Ai đánh giá chi bộ?", "answerable": True, "cited": ["hd-25-2023/muc-3"]}
    return {
        "summary": _summary(value),
        "cases": [
            case | {"id": f"{prefix}1", "tags": ["who"], "metrics": {"hit@5": 1.0}},
            case | {"id": f"{prefix}2", "tags": ["refusal"], "answerable": False, "metrics": {}},
        ],
    }


@pytest.fixture
def reports(tmp_path, monkeypatch) -> Path:
    from evals import runner

    folder = tmp_path / "reports"
    folder.mkdir()
    monkeypatch.setattr(runner, "REPORTS", folder)
    return folder


def test_evaluation_page_shows_test_and_dev_side_by_side_with_vietnamese_names(reports):
    (reports / "eval-test.json").write_text(json.dumps(_report(0.96, "t")), encoding="utf-8")
    (reports / "eval-dev.json").write_text(json.dumps(_report(0.5, "d")), encoding="utf-8")
    at = run_app(page="do-luong")
    summary, cases = at.dataframe
    assert list(summary.value.columns) == [*UI.EVAL_SPLITS.values(), UI.EVAL_TARGET]
    assert summary.value.loc["Ý chính ở câu đầu", UI.EVAL_SPLITS["test"]] == "0.960"
    assert summary.value.loc["Ý chính ở câu đầu", UI.EVAL_SPLITS["dev"]] == "0.500"
    assert not any(name in summary.value.index for name in ("hit@1", "mrr@10", "ndcg@10"))
    explained = "\n".join(texts(at.markdown))
    assert "**Ý chính ở câu đầu**: Câu trả lời nêu đúng ý chính ngay câu đầu." in explained
    assert list(cases.value[UI.EVAL_COLUMNS["id"]]) == ["t1", "t2"]
    at.multiselect[0].set_value(["refusal"]).run()
    assert list(at.dataframe[1].value[UI.EVAL_COLUMNS["id"]]) == ["t2"]


def test_evaluation_page_without_a_report_offers_to_run_it(reports):
    at = run_app(page="do-luong")
    [info] = at.info
    assert info.value.startswith("Chưa có báo cáo đánh giá")
    assert "Chạy đánh giá" in info.value
    assert [b.label for b in at.button] == [UI.EVAL_RUN]


def test_a_corrupt_report_is_a_vietnamese_message_and_an_offer_to_run(reports):
    (reports / "eval-test.json").write_text('{"summary": {"retrieval": ', encoding="utf-8")
    at = run_app(page="do-luong")
    [info] = at.info
    shown = unescaped(info.value)
    assert "bị hỏng hoặc không đúng định dạng (JSONDecodeError" in shown
    assert "eval-test.json" in shown
    assert [b.label for b in at.button] == [UI.EVAL_RUN]
    assert not at.exception


def test_the_evaluation_runs_from_the_page_with_progress_and_is_then_shown(reports, monkeypatch):
    from evals import runner

    steps: list[tuple[str, int, int]] = []

    def evaluate_splits(settings, splits, *, progress):
        for split in splits:
            for i in range(3):
                progress(f"{split}: hệ thống", i + 1, 3)
                steps.append((split, i + 1, 3))
        return {"test": _report(0.9, "t"), "dev": _report(0.8, "d")}

    monkeypatch.setattr(runner, "evaluate_splits", evaluate_splits)
    at = run_app(page="do-luong")
    at.button(key="eval-run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert steps[-1] == ("dev", 3, 3)
    assert (reports / "eval-test.json").exists() and (reports / "eval-dev.json").exists()
    summary = at.dataframe[0]
    assert summary.value.loc["Ý chính ở câu đầu", UI.EVAL_SPLITS["test"]] == "0.900"
    assert [b.label for b in at.button] == [UI.EVAL_RUN_AGAIN]
