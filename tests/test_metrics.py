"""evals.metrics on hand-made cases, with values computed by hand."""

from __future__ import annotations

import math

import pytest

from evals.metrics import (
    CaseResult,
    accent_gap,
    citation_precision,
    citation_recall,
    citation_validity,
    fact_found,
    fact_recall,
    false_refusal_rate,
    hit_at_k,
    matches,
    ndcg_at_k,
    percentile,
    reciprocal_rank,
    refusal_recall,
    summarize,
    to_article,
    to_articles,
)

D12 = "qd-124-2023/dieu-12"
D12K1 = "qd-124-2023/dieu-12/khoan-1"
D12K4 = "qd-124-2023/dieu-12/khoan-4"
D1 = "qd-124-2023/dieu-1"
D5 = "qd-124-2023/dieu-5"
D7 = "qd-124-2023/dieu-7"


# -- matches ------------------------------------------------------------------------------------


def test_matches_prefix_on_path_segments():
    assert matches(D12, D12)
    assert matches(D12, D12K1)
    assert matches(D12, "qd-124-2023/dieu-12/khoan-4/diem-4.3/tiet-d")
    assert matches("qd-124-2023", D12)


def test_matches_is_not_a_string_prefix():
    assert not matches(D1, D12)
    assert not matches(D1, "qd-124-2023/dieu-1" + "0")
    assert not matches("hd-25-2023/muc-5/muc-5.1", "hd-25-2023/muc-5/muc-5.10")
    assert not matches("qd-12", "qd-124-2023/dieu-1")


def test_matches_specific_gold_does_not_match_ancestor():
    assert not matches(D12K1, D12)
    assert not matches(D12K1, "qd-124-2023/dieu-12/khoan-2")


def test_matches_tolerates_slashes_and_rejects_empty():
    assert matches(D12 + "/", D12K1)
    assert not matches("", D12)


# -- retrieval metrics ----------------------------------------------------------------------------


def test_hit_at_k():
    retrieved = [D5, D7, D12K4]
    assert hit_at_k(retrieved, [D12], 3) == 1.0
    assert hit_at_k(retrieved, [D12], 2) == 0.0
    assert hit_at_k(retrieved, [D1], 3) == 0.0  # dieu-1 is not a prefix of dieu-12
    assert hit_at_k([], [D12], 5) == 0.0
    assert hit_at_k(retrieved, [D1, D7], 2) == 1.0


def test_hit_at_k_needs_gold():
    with pytest.raises(ValueError):
        hit_at_k([D12], [], 5)


def test_reciprocal_rank():
    assert reciprocal_rank([D12K1, D5], [D12]) == 1.0
    assert reciprocal_rank([D5, D7, D12K1], [D12]) == pytest.approx(1 / 3)
    assert reciprocal_rank([D5, D7, D12K1], [D12], k=2) == 0.0
    assert reciprocal_rank([D5, D7], [D12]) == 0.0
    with pytest.raises(ValueError):
        reciprocal_rank([D12], [])


def test_ndcg_single_gold_by_hand():
    # Relevant at rank 2 only: DCG = 1/log2(3); ideal = 1/log2(2) = 1.
    assert ndcg_at_k([D5, D12K1, D7], [D12]) == pytest.approx(1 / math.log2(3))
    assert ndcg_at_k([D12, D5], [D12]) == pytest.approx(1.0)
    assert ndcg_at_k([D5, D7], [D12]) == 0.0


def test_ndcg_each_gold_counted_once():
    # Two clauses of the one gold article: only the first earns gain.
    assert ndcg_at_k([D12K1, D12K4], [D12]) == pytest.approx(1.0)
    assert ndcg_at_k([D5, D12K1, D12K4], [D12]) == pytest.approx(1 / math.log2(3))


def test_ndcg_two_golds_by_hand():
    # Gold {dieu-12, dieu-5}; relevant at ranks 1 and 3.
    # DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3).
    expected = 1.5 / (1 + 1 / math.log2(3))
    assert ndcg_at_k([D12K1, D7, D5], [D12, D5]) == pytest.approx(expected)
    # Ideal DCG covers min(len(gold), k): with k=1 only one gold can be placed.
    assert ndcg_at_k([D12K1, D5], [D12, D5], k=1) == pytest.approx(1.0)


def test_ndcg_nested_golds_credit_the_most_specific():
    # Gold dieu-12 and its khoản 1: khoản 1 at rank 1 takes the specific gold and khoản 4
    # at rank 2 the article, so the ranking is ideal.
    assert ndcg_at_k([D12K1, D12K4], [D12, D12K1]) == pytest.approx(1.0)


def test_ndcg_needs_gold():
    with pytest.raises(ValueError):
        ndcg_at_k([D12], [])


# -- articles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provision_id", "article"),
    [
        ("qd-124-2023/dieu-12/khoan-4/diem-4.3/tiet-d", D12),
        (D12, D12),
        ("qd-124-2023/thong-tin", "qd-124-2023/thong-tin"),
        ("hd-25-2023/muc-5/muc-5.1", "hd-25-2023/muc-5"),
        ("hd-25-2023/muc-6", "hd-25-2023/muc-6"),
        ("qd-125-2023/muc-iii/nhiem-vu-3", "qd-125-2023/muc-iii/nhiem-vu-3"),
        ("qd-125-2023/muc-iv/quan-he-1", "qd-125-2023/muc-iv/quan-he-1"),
        ("qd-125-2023/muc-ii", "qd-125-2023/muc-ii"),
        ("qd-366-2025/chuong-i/noi-dung-1", "qd-366-2025/chuong-i/noi-dung-1"),
        ("qd-366-2025/chuong-ii", "qd-366-2025/chuong-ii"),
        ("qd-366-2025/dieu-11/khoan-2", "qd-366-2025/dieu-11"),
        ("hd-43-2025/noi-dung-4", "hd-43-2025/noi-dung-4"),
        ("qd-124-2023", "qd-124-2023"),
    ],
)
def test_to_article(provision_id, article):
    assert to_article(provision_id) == article


def test_to_articles_dedups_in_order():
    ids = [D12K4, D5 + "/khoan-2", D12K1, "hd-25-2023/muc-5/muc-5.2", D12]
    assert to_articles(ids) == [D12, D5, "hd-25-2023/muc-5"]
    assert to_articles([]) == []


# -- citations ---------------------------------------------------------------------------------


def test_citation_validity():
    known = {D12, D12K1, D5}
    assert citation_validity([D12K1, D5], known) == 1.0
    assert citation_validity([D12K1, "qd-124-2023/dieu-99"], known) == 0.5
    assert citation_validity([], known) == 1.0


def test_citation_precision():
    # dieu-12/khoan-1 lies under gold dieu-12; dieu-5 does not.
    assert citation_precision([D12K1, D5], [D12]) == 0.5
    # Citing the article of a gold clause counts (same branch); a sibling clause does not.
    assert citation_precision([D12], [D12K4]) == 1.0
    assert citation_precision([D12K1], [D12K4]) == 0.0
    # Duplicates count once; no citation scores 0.
    assert citation_precision([D12K1, D12K1, D5], [D12]) == 0.5
    assert citation_precision([], [D12]) == 0.0
    # The prefix edge case holds here too.
    assert citation_precision([D12], [D1]) == 0.0
    with pytest.raises(ValueError):
        citation_precision([D12], [])


def test_citation_recall():
    assert citation_recall([D12K1], [D12, D5]) == 0.5
    assert citation_recall([D12K1, D5 + "/khoan-2"], [D12, D5]) == 1.0
    assert citation_recall([], [D12]) == 0.0
    assert citation_recall([D12], [D1]) == 0.0
    with pytest.raises(ValueError):
        citation_recall([D12], [])


# -- facts -------------------------------------------------------------------------------------


def test_fact_matching_ignores_case_and_diacritics():
    answer = "Đảng viên mới kết nạp CHƯA ĐỦ 6 THÁNG thì không phải kiểm điểm."
    assert fact_found(answer, ["chua du 6 thang"])
    assert fact_found("dang vien moi ket nap chua du 6 thang", ["chưa đủ 6 tháng"])
    assert fact_found(answer, ["sáu tháng", "6 tháng"])
    assert not fact_found(answer, ["12 tháng"])
    assert not fact_found(answer, [""])


def test_fact_matching_handles_decomposed_unicode_and_spaces():
    decomposed = "Ho\u0300an tha\u0300nh  xuất sắc"  # NFD accents, double space
    assert fact_found(decomposed, ["hoàn thành xuất sắc"])


def test_fact_recall():
    answer = "Gửi hồ sơ trước ngày 15/02 năm sau, theo Mẫu 04."
    assert fact_recall(answer, [["15/02", "15/2"], ["Mẫu 04"]]) == 1.0
    assert fact_recall(answer, [["15/02"], ["31/12"]]) == 0.5
    assert fact_recall("", [["15/02"]]) == 0.0
    with pytest.raises(ValueError):
        fact_recall(answer, [])


# -- refusals and accent gap ---------------------------------------------------------------------


def test_refusal_recall_and_false_refusal_rate():
    pairs = [(False, True), (False, False), (False, True), (True, False), (True, True)]
    assert refusal_recall(pairs) == pytest.approx(2 / 3)
    assert false_refusal_rate(pairs) == pytest.approx(1 / 2)
    assert refusal_recall([(True, False)]) is None
    assert false_refusal_rate([(False, True)]) is None


def _case(**kw) -> CaseResult:
    defaults = {"answerable": True, "refused": False}
    defaults.update(kw)
    return CaseResult(**defaults)


def test_accent_gap():
    cases = [
        _case(retrieved=[D12K1], gold=[D12]),  # accented, hit
        _case(retrieved=[D5], gold=[D12]),  # accented, miss
        _case(retrieved=[D12K1], gold=[D12], tags=["unaccented"]),  # hit
        _case(retrieved=[D5], gold=[D12], tags=["unaccented"]),  # miss
        _case(retrieved=[D5], gold=[D12], tags=["unaccented"]),  # miss
        _case(answerable=False, retrieved=[D5], tags=["unaccented"]),  # out of scope: ignored
    ]
    assert accent_gap(cases) == pytest.approx(0.5 - 1 / 3)
    assert accent_gap(cases[:2]) is None
    # Hit@5 by default: a hit at rank 6 does not count.
    late = [D5] * 5 + [D12]
    assert (
        accent_gap([_case(retrieved=late, gold=[D12]), _case(gold=[D12], tags=["unaccented"])]) == 0
    )


# -- percentiles -------------------------------------------------------------------------------


def test_percentile_linear_interpolation():
    values = [10.0, 20.0, 30.0, 40.0]
    # rank (n-1)*p/100: p50 -> 1.5 -> 25; p95 -> 2.85 -> 30 + 0.85*10 = 38.5
    assert percentile(values, 50) == pytest.approx(25.0)
    assert percentile(values, 95) == pytest.approx(38.5)
    assert percentile([40.0, 10.0, 30.0, 20.0], 50) == pytest.approx(25.0)  # unsorted input
    assert percentile(values, 0) == 10.0
    assert percentile(values, 100) == 40.0
    assert percentile([7.0], 95) == 7.0
    assert percentile([1.0, 2.0, 3.0], 50) == 2.0


def test_percentile_errors():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


# -- summarize ---------------------------------------------------------------------------------


def test_summarize_hand_made_run():
    records = [
        # 1. answerable, accented: hit at rank 1, cites the gold clause, both facts.
        {
            "answerable": True,
            "refused": False,
            "retrieved": [D12K1, D5],
            "cited": [D12K1],
            "gold": [D12],
            "facts": [["20%"], ["Tốt"]],
            "answer": "Không quá 20%; mọi tiêu chí đạt mức Tốt trở lên [1].",
            "latency_ms": 100.0,
            "tags": ["member", "number"],
        },
        # 2. answerable, unaccented: hit at rank 2, cites one right and one wrong, one fact of two.
        {
            "answerable": True,
            "refused": False,
            "retrieved": [D7, D5 + "/khoan-2/diem-2.1"],
            "cited": [D5 + "/khoan-2/diem-2.1", "qd-124-2023/dieu-99"],
            "gold": [D5],
            "facts": [["6 tháng"], ["đình chỉ"]],
            "answer": "Dang vien moi ket nap chua du 6 thang [1].",
            "latency_ms": 300.0,
            "tags": ["member", "unaccented"],
        },
        # 3. not covered: retrieval counts, facts do not.
        {
            "answerable": True,
            "refused": False,
            "retrieved": ["qd-124-2023/dieu-8"],
            "cited": ["qd-124-2023/dieu-8"],
            "gold": ["qd-124-2023/dieu-8"],
            "facts": [],
            "answer": "Bản tóm lược chưa có nội dung của Điều 8.",
            "outcome": "not_covered",
            "latency_ms": 200.0,
            "tags": ["trainer", "not_covered"],
        },
        # 4. answerable but refused: a false refusal, left out of answer-quality metrics.
        {
            "answerable": True,
            "refused": True,
            "retrieved": [D7],
            "cited": [],
            "gold": [D12],
            "facts": [["50%"]],
            "answer": "Tôi không tìm thấy.",
            "latency_ms": 400.0,
            "tags": ["member"],
        },
        # 5. out of scope, correctly refused.
        {
            "answerable": False,
            "refused": True,
            "retrieved": [D5],
            "gold": [],
            "facts": [],
            "answer": "Câu hỏi nằm ngoài phạm vi.",
            "latency_ms": 1000.0,
            "tags": ["reporter", "out_of_scope"],
        },
    ]
    known = {D12, D12K1, D5, D5 + "/khoan-2/diem-2.1", "qd-124-2023/dieu-8"}
    result = summarize(records, known_ids=known)

    assert result["n_cases"] == 5
    assert result["n_answerable"] == 4
    assert result["n_unanswerable"] == 1

    retrieval = result["retrieval"]
    assert retrieval["n"] == 4  # cases 1-4; the out-of-scope case has no gold
    assert retrieval["hit@1"] == pytest.approx(2 / 4)
    assert retrieval["hit@5"] == pytest.approx(3 / 4)
    assert retrieval["mrr@10"] == pytest.approx((1 + 0.5 + 1 + 0) / 4)
    assert retrieval["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3) + 1 + 0) / 4)
    assert retrieval["article_hit@5"] == pytest.approx(3 / 4)

    # 4 citations over all cases, one unknown id.
    assert result["citation_validity"] == pytest.approx(3 / 4)
    # Cases 1-3 (not refused): precision 1, 1/2, 1; recall 1, 1, 1.
    assert result["citation_precision"] == pytest.approx((1 + 0.5 + 1) / 3)
    assert result["citation_recall"] == pytest.approx(1.0)
    # Cases 1-2 have facts and were answered: 1 and 1/2.
    assert result["fact_recall"] == pytest.approx(0.75)

    # Refusal recall counts the not-covered case (3) and the out-of-scope one (5): both abstain.
    assert result["refusal_recall"] == 1.0
    # False refusals: of the three cases that expect an answer (1, 2, 4), case 4 abstained.
    assert result["false_refusal_rate"] == pytest.approx(1 / 3)

    # Accented answerable cases 1, 3, 4: hits 1, 1, 0; unaccented case 2: hit.
    assert result["hit@5_accented"] == pytest.approx(2 / 3)
    assert result["hit@5_unaccented"] == 1.0
    assert result["accent_gap"] == pytest.approx(2 / 3 - 1)

    # Latencies 100, 300, 200, 400, 1000 -> sorted 100, 200, 300, 400, 1000.
    assert result["latency_ms"]["p50"] == pytest.approx(300.0)
    assert result["latency_ms"]["p95"] == pytest.approx(400 + 0.8 * 600)
    assert result["latency_ms"]["mean"] == pytest.approx(400.0)

    by_tag = result["by_tag"]
    assert by_tag["member"]["n"] == 3
    assert by_tag["member"]["hit@5"] == pytest.approx(2 / 3)
    assert by_tag["member"]["fact_recall"] == pytest.approx(0.75)
    assert by_tag["not_covered"]["fact_recall"] is None
    assert by_tag["out_of_scope"]["hit@5"] is None


def test_summarize_accepts_case_results_and_empty_input():
    cases = [_case(retrieved=[D12], gold=[D12], facts=[["x"]], answer="X", latency_ms=5.0)]
    result = summarize(cases)
    assert result["retrieval"]["hit@1"] == 1.0
    assert result["citation_validity"] is None  # no known ids given
    assert result["citation_precision"] == 0.0  # answered without citations

    empty = summarize([])
    assert empty["n_cases"] == 0
    assert empty["retrieval"]["hit@5"] is None
    assert empty["fact_recall"] is None
    assert empty["refusal_recall"] is None
    assert empty["accent_gap"] is None
    assert empty["latency_ms"]["p50"] is None
