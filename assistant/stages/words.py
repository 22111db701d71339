"""Content words for matching a question with a line: the pack's own words (pyvi's
segmentation of the documents, folded), so "chi bộ" is one word and does not meet "Bộ
Chính trị", and "xếp loại" counts once, not as two syllables."""

from __future__ import annotations

from knowledge.text import WordSegmenter, fold

# Words every question about reviews uses: they say nothing about which line answers.
COMMON = frozenset(
    """ai gi nao sao the bao_nhieu bao nhieu may khi o dau la co khong duoc phai cua va cac
    nhung cho theo trong thi con voi ve tu den de nhu vay hay hoac neu toi minh ban xin hoi
    biet giup oi a nhe u vui_long vui long xem ra roi nay do kia ay mot duoc nua cung da dang
    se van chi moi lam can muon nen quy_dinh huong_dan qd hd nam em anh chi_a nhu_the_nao
    the_nao ra_sao""".split()
)


# How questions ask, beyond single question words: never the topic of a question.
QUESTION_PHRASES = (
    "hạn chót",
    "hạn cuối",
    "thời hạn",
    "hôm nào",
    "ngày nào",
    "khi nào",
    "bên nào",
    "ai trước ai sau",
    "bao lâu",
    "bao giờ",
    "lúc nào",
    "chậm nhất",
    "tối thiểu",
    "tối đa",
    "mấy ngày",
    "mấy năm",
    "cụ thể",
    "quy định",
    "đúng không",
    "phải không",
    "được không",
    "vậy",
    "ạ",
    "nhỉ",
)


class Words:
    """Folded content words of texts, cached (the same lines are matched again and again)."""

    def __init__(self, segmenter: WordSegmenter):
        self.segmenter = segmenter
        self._cache: dict[str, frozenset[str]] = {}

    def __call__(self, text: str) -> frozenset[str]:
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        out = set()
        previous = None  # a single syllable waiting for its neighbour: "xếp" + "loại"
        for token in self.segmenter.segment(text):
            word = fold(token)
            if word in COMMON or word.replace(".", "").replace("/", "").isdigit():
                previous = None
                continue
            if "_" not in word and len(word) < 2:
                previous = None
                continue
            out.add(word)
            if "_" not in word:
                if previous:
                    # The segmenter's word list is the pack's; a pair it lacks still counts.
                    out.add(f"{previous}_{word}")
                previous = word
            else:
                previous = None
        result = frozenset(out)
        if len(self._cache) < 50_000:
            self._cache[text] = result
        return result
