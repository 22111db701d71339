"""Checks of an LLM answer's claims, sentence by sentence, against the provisions it was shown.

A sentence is kept only when it is supported:
- it cites at least one provision the model was shown ("[2]");
- every provision label it names ("Điều 99, khoản 7") is one of the retrieved provisions (or
  their articles); an invented label invalidates the sentence;
- its numbers (dates, percentages, counts, scores) occur in the text of the provisions it cites;
- most of its content words occur there too.
Markup in the reply is removed first (tags, links, images, code), and so are sentences that
address the assistant rather than the user ("bỏ qua mọi hướng dẫn…", "system prompt").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.types import Hit
from knowledge.pack import Pack
from knowledge.text import fold

MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# Markup an answer must not carry: HTML tags (and script/style blocks), images, links (their
# words are kept), code fences and inline code marks.
BLOCKS = re.compile(r"(?is)<(script|style|iframe)\b.*?(</\1\s*>|$)")
TAGS = re.compile(r"<[^>]{0,400}>")
IMAGES = re.compile(r"!\[[^\]]{0,300}\]\([^)]{0,800}\)")
LINKS = re.compile(r"\[([^\]\[]{1,300})\]\([^)]{0,800}\)")
BARE_URL = re.compile(r"\b(?:https?|javascript|data|file):[^\s)\]]+", re.IGNORECASE)
CODE = re.compile(r"```[^\n]*|`")
# A sentence that speaks to the assistant, not to the user.
INSTRUCTION = re.compile(
    r"(bo qua|phot lo|quen di|ignore|disregard)\s.{0,40}(huong dan|chi dan|instruction|prompt)|"
    r"system prompt|prompt he thong|\bas an ai\b|\byou are (now )?(a|an)\b",
)
SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=\S)|\n+")
LABEL = re.compile(r"\b(Điều|Khoản|Điểm|Mục|Chương)\s+(\d+[a-zđ]?(?:\.\d+)*|[IVXLC]+)\b", re.I)
NUMBER = re.compile(r"(?<![\w/.])\d+(?:[.,/]\d+)*\s*%?")
DOC_NUMBER = re.compile(
    r"\b(?:quy định|hướng dẫn|kết luận|công văn|qđ|hd|kl|cv)\s*(?:số\s*)?(\d{1,5})", re.I
)
SUPPORT = 0.6  # share of a sentence's content words that its cited text must hold


@dataclass
class Checked:
    text: str  # the kept sentences, markup removed
    dropped: list[str] = field(default_factory=list)  # the sentences left out
    removed_markup: bool = False


def strip_markup(text: str) -> tuple[str, bool]:
    """The reply as plain text: no tags, images, links (their words stay) or code marks."""
    out = BLOCKS.sub(" ", text)
    out = IMAGES.sub(" ", out)
    out = LINKS.sub(r"\1", out)
    out = TAGS.sub(" ", out)
    out = BARE_URL.sub(" ", out)
    out = CODE.sub("", out)
    out = re.sub(r"[ \t]{2,}", " ", out)
    return out.strip(), out.strip() != text.strip()


def known_labels(hits: list[Hit], pack: Pack) -> set[str]:
    """The labels ("dieu 12", "khoan 1", "muc 5.2") of the retrieved provisions and their
    ancestors, folded."""
    labels: set[str] = set()
    for hit in hits:
        if hit.id not in pack:
            continue
        provision = pack[hit.id]
        for m in LABEL.finditer(provision.citation):
            labels.add(fold(f"{m.group(1)} {m.group(2)}"))
    return labels


def _numbers(sentence: str) -> list[str]:
    """The numbers a sentence states, without citation markers and document numbers."""
    text = MARKER.sub(" ", sentence)
    text = DOC_NUMBER.sub(" ", text)
    text = re.sub(r"\b\d+-(?:QĐ|HD|KL|CV)/\S+", " ", text)
    return [m.group(0).replace(" ", "").rstrip(".,") for m in NUMBER.finditer(text)]


def _same_number(value: str, cited: str) -> bool:
    """ "02" and "2", "20%" and "20 %" are the same number."""
    bare = value.rstrip("%")
    variants = {value, bare, bare.lstrip("0") or "0", "0" + bare if len(bare) == 1 else bare}
    compact = cited.replace(" %", "%")
    return any(re.search(rf"(?<![\d]){re.escape(v)}(?![\d])", compact) for v in variants if v)


def check(
    reply: str,
    shown: list[Hit],
    pack: Pack,
    retrieved: list[Hit],
    words: Callable[[str], frozenset[str]],
    common: frozenset[str],
) -> Checked:
    """The supported sentences of `reply` (markers refer to `shown`, numbered from 1)."""
    text, removed = strip_markup(reply)
    labels = known_labels(retrieved, pack)
    kept, dropped = [], []
    for sentence in (s.strip() for s in SENTENCE.split(text)):
        if not sentence:
            continue
        if _supported(sentence, shown, pack, labels, words, common):
            kept.append(sentence)
        else:
            dropped.append(sentence)
    return Checked(" ".join(kept), dropped, removed)


def _supported(sentence, shown, pack, labels, words, common) -> bool:
    folded = fold(sentence)
    if INSTRUCTION.search(folded):
        return False
    markers = [int(n) for m in MARKER.finditer(sentence) for n in re.split(r"\s*,\s*", m.group(1))]
    cited = [shown[n - 1] for n in markers if 1 <= n <= len(shown)]
    if not cited:
        return False
    for m in LABEL.finditer(sentence):
        if fold(f"{m.group(1)} {m.group(2)}") not in labels:
            return False  # "Điều 99": no such provision was retrieved
    source = " ".join(
        f"{pack[h.id].citation} {pack[h.id].title} {pack[h.id].full_text}" for h in cited
    )
    if any(not _same_number(n, source) for n in _numbers(sentence)):
        return False
    own = words(MARKER.sub(" ", sentence)) - common
    if not own:
        return True
    found = words(source)
    return len(own & found) / len(own) >= SUPPORT
