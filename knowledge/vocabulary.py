"""The documents' closed vocabulary (knowledge/data/vocabulary.yaml), folded for matching.

Rating levels, criterion grades, the heads of deciding bodies, subjects (collective or
individual) and roles. Spans and question frames read the same lists, so "ai xep loai chi bo"
and "đảng ủy cơ sở xem xét, xếp loại các tổ chức đảng trực thuộc" meet on one set of terms.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.text import fold, has_diacritics, normalize

VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "vocabulary.yaml"
NEGATED_POST = re.compile(r"khong (?:giu|co) chuc vu(?: lanh dao,? quan ly)?")
PAIR = re.compile(r"\s*(?:,|va|hoac|,\s*va)\s*")

LEVEL_NAMES = {
    "htxsnv": "Hoàn thành xuất sắc nhiệm vụ",
    "httnv": "Hoàn thành tốt nhiệm vụ",
    "htnv": "Hoàn thành nhiệm vụ",
    "khtnv": "Không hoàn thành nhiệm vụ",
}


def phrase(term: str) -> re.Pattern:
    """A folded term as a whole-word pattern over folded text."""
    return _whole_words(fold(term))


def accented_phrase(term: str) -> re.Pattern:
    """A term, with its diacritics, as a whole-word pattern over lower-case NFC text."""
    return _whole_words(normalize(term).lower())


def _whole_words(term: str) -> re.Pattern:
    words = [re.escape(w) for w in term.replace(",", " , ").split()]
    return re.compile(r"(?<![\w])" + r"\s*".join(words) + r"(?![\w])")


@dataclass(frozen=True)
class Vocabulary:
    levels: tuple[tuple[str, tuple[re.Pattern, ...]], ...]  # (level key, patterns)
    grades: tuple[str, ...]
    body_patterns: tuple[re.Pattern, ...]
    body_stop: re.Pattern
    collective: tuple[re.Pattern, ...]
    individual: tuple[re.Pattern, ...]
    roles: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    domain: tuple[re.Pattern, ...]
    outside: tuple[re.Pattern, ...] = ()
    outside_accented: tuple[re.Pattern, ...] = ()  # the same, with diacritics
    related: tuple[tuple[str, tuple[re.Pattern, ...]], ...] = ()  # (title phrase, names)

    def level_of(self, folded: str) -> list[str]:
        """Rating levels named in folded text, in the order of the text; a longer name wins
        over the shorter one it contains ("không hoàn thành nhiệm vụ" is not "hoàn thành
        nhiệm vụ")."""
        found: list[tuple[int, int, str]] = []
        taken: list[tuple[int, int]] = []
        for key, patterns in self.levels:
            for pattern in patterns:
                for m in pattern.finditer(folded):
                    if any(a <= m.start() < b or a < m.end() <= b for a, b in taken):
                        continue
                    taken.append((m.start(), m.end()))
                    found.append((m.start(), m.end(), key))
        return [key for _, _, key in sorted(found)]

    def roles_of(self, folded: str) -> list[str]:
        out = []
        for key, patterns in self.roles:
            if any(p.search(folded) for p in patterns):
                out.append(key)
        # "không giữ chức vụ lãnh đạo, quản lý" names a leader's post only to deny it.
        if "no_post" in out and "leader" in out:
            rest = NEGATED_POST.sub(" ", folded)
            if not any(p.search(rest) for p in dict(self.roles)["leader"]):
                out.remove("leader")
        return out

    def subjects_of(self, folded: str) -> list[str]:
        """The subject a text names first ('collective' or 'individual'); both when it names
        them as a pair ("tập thể, cá nhân", "tập thể và cá nhân")."""
        first: dict[str, tuple[int, int]] = {}
        for kind, patterns in (("collective", self.collective), ("individual", self.individual)):
            for pattern in patterns:
                m = pattern.search(folded)
                if m and (kind not in first or m.start() < first[kind][0]):
                    first[kind] = (m.start(), m.end())
        order = sorted(first, key=lambda k: first[k][0])
        if len(order) == 2:
            gap = folded[first[order[0]][1] : first[order[1]][0]]
            if not PAIR.fullmatch(gap):
                return order[:1]
        return order

    def in_domain(self, folded: str) -> int:
        return sum(1 for p in self.domain if p.search(folded))

    def outside_domain(self, folded: str) -> int:
        """How many near-domain topics the documents do not cover the text names."""
        return sum(1 for p in self.outside if p.search(folded))

    def outside_in(self, question: str) -> int:
        """The same for a question as typed: a phrase typed with diacritics counts only
        with its own, so "thế đảng viên …" is not "thẻ đảng"."""
        lower = normalize(question).lower()
        folded = fold(lower)
        if len(folded) != len(lower):
            return self.outside_domain(folded)
        count = 0
        for plain, accented in zip(self.outside, self.outside_accented, strict=True):
            # Said with its diacritics, or typed without them ("ket nap" in a question that
            # has diacritics elsewhere).
            if accented.search(lower) or any(
                not has_diacritics(lower[m.start() : m.end()]) for m in plain.finditer(folded)
            ):
                count += 1
        return count

    def related_to(self, folded: str) -> list[str]:
        """The title phrases whose everyday names the text uses ("công đoàn" → "tổ chức
        chính trị - xã hội"), in the file's order."""
        return [means for means, names in self.related if any(p.search(folded) for p in names)]


@functools.cache
def vocabulary() -> Vocabulary:
    raw = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return Vocabulary(
        levels=tuple(
            (key, tuple(phrase(t) for t in sorted(terms, key=len, reverse=True)))
            for key, terms in raw["levels"].items()
        ),
        grades=tuple(raw["grades"]),
        body_patterns=tuple(phrase(t) for t in raw["body_heads"]),
        # Stops are matched with their diacritics: folding would take "Bí thư" for "bị".
        body_stop=re.compile(
            r"(?<![\w])("
            + "|".join(
                re.escape(t.lower()) for t in sorted(raw["body_stops"], key=len, reverse=True)
            )
            + r")(?![\w])"
        ),
        collective=tuple(phrase(t) for t in raw["subjects"]["collective"]),
        individual=tuple(phrase(t) for t in raw["subjects"]["individual"]),
        roles=tuple((key, tuple(phrase(t) for t in terms)) for key, terms in raw["roles"].items()),
        domain=tuple(phrase(t) for t in raw["domain"]),
        outside=tuple(phrase(t) for t in raw.get("outside", [])),
        outside_accented=tuple(accented_phrase(t) for t in raw.get("outside", [])),
        related=tuple(
            (means, tuple(phrase(t) for t in names))
            for means, names in (raw.get("related") or {}).items()
        ),
    )
