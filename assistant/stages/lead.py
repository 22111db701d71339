"""The lead: one fixed Vietnamese shape per asked type, filled only with the pack's words.

"Có 4 mức: … [1]", "Mức xếp loại: … [1]", "Không. Quy định 124-QĐ/TW đã được thay thế bởi …
[1]": every sentence is built from a span or a line of a cited provision (or the front
matter of a cited document), with its marker. "Có" / "Không" are said only where the pack
decides them: a listed exemption, a premise the pack confirms or contradicts, a document's
status.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.references import ORDINALS
from assistant.stages.cues import counted_noun
from assistant.stages.plan import NOT_THIS_POINT, Plan
from assistant.stages.scoring import NEW_DOCS, OLD_DOCS, ROLE_CONFLICTS, Choice
from assistant.stages.words import COMMON, Words
from assistant.types import Asked, DocFact, Frame, LeadSentence, Period
from knowledge.caveats import field_caveat_suffix
from knowledge.pack import Pack
from knowledge.registry import kind_name_of_id
from knowledge.spans import COUNT as SPAN_COUNT
from knowledge.spans import NUMBER_WORDS, SpanIndex, _lines, label_tags, lead_in_of
from knowledge.text import fold
from knowledge.types import Document, Provision, SpanKind, Status, TextKind
from knowledge.vocabulary import LEVEL_NAMES

Cite = Callable[[Provision], int]  # a provision's marker, assigned on first use
SHORT_LINES, SHORT_CHARS = 6, 520  # a provision said whole for a content question
MAX_BODY_LINE = 360  # a body's whole line is said when it is no longer than this
MAX_ITEMS = 8
MAX_ITEM_CHARS = 240
NOUN_WORDS = {
    "muc": "mức",
    "buoc": "bước",
    "truong hop": "trường hợp",
    "noi": "nơi",
    "nhom": "nhóm",
    "loai": "loại",
    "cap do": "cấp độ",
    "phu luc": "phụ lục",
    "mau": "mẫu",
    "nhiem vu": "nhiệm vụ",
    "noi dung": "nội dung",
    "dieu": "điều",
    "chuong": "chương",
    "mat": "mặt",
    "yeu cau": "yêu cầu",
    "doi tuong": "đối tượng",
    "tieu chi": "tiêu chí",
    "ky": "kỳ",
    "hinh thuc": "hình thức",
}
COMPARATOR = re.compile(
    r"(chưa đủ|dưới|không quá|tối thiểu|ít nhất|trên|từ|tối đa)\s+(\d+)", re.IGNORECASE
)


def _end(text: str) -> str:
    return text.strip().rstrip(".;:").rstrip()


def _mark(text: str, *markers: int) -> str:
    shown = "".join(f"[{m}]" for m in markers)
    return f"{_end(text)} {shown}."


@dataclass
class LeadBuilder:
    pack: Pack
    spans: SpanIndex
    words: Words

    # --- context phrases ----------------------------------------------------------------

    def context(self, choice: Choice, frame: Frame, role: str) -> str:
        document = self.pack.document(choice.doc_id)
        if document.is_notes:
            return f"Theo ghi chú của bản tóm lược ({choice.provision.title})"
        if choice.doc_id in NEW_DOCS and (role != "answer" or _wants_new(frame)):
            return f"Từ kỳ năm 2025, theo {document.name}"
        if choice.doc_id in OLD_DOCS and (role == "previous" or _wants_new(frame)):
            return f"Kỳ 2023–2024, theo {document.name}"
        if choice.doc_id in OLD_DOCS:
            return f"Theo {document.name} (dùng cho kỳ 2023–2024)"
        return f"Theo {document.name}"

    # --- the body of a sentence, per asked type -------------------------------------------

    def body(self, choice: Choice, frame: Frame) -> str:
        asked = frame.focus if frame.asked is Asked.YESNO else frame.asked
        span = choice.span
        ranked = self._ranked_item(choice, frame)
        if ranked is not None:
            return ranked
        if choice.overview:
            return self._overview(choice.provision)
        if span is not None and span.kind is SpanKind.ENUMERATION:
            items = [i for i in span.items if _about(i, frame)] or list(span.items)
            shown = [_end(i)[:MAX_ITEM_CHARS] for i in items[:MAX_ITEMS]]
            listed = "; ".join(_lower_first(i) for i in shown)
            if asked is Asked.COUNT:
                said = _stated_count(span.text, len(span.items))
                if said:
                    return f"có {said}: {listed}"  # the document's own words ("ba nhóm")
                noun = _counted_noun(frame.question) or _noun_in(span.text) or "ý"
                return f"có {len(span.items)} {noun}: {listed}"
            return f"{_end(span.text)}: {listed}"
        if asked is Asked.COUNT and span is not None and span.kind is SpanKind.COUNT:
            head, colon, rest = span.sentence.partition(":")
            if colon and span.text in head and rest.strip():
                return f"có {span.text}: {_end(rest.strip())}"
        if (
            asked is Asked.BODY
            and span is not None
            and span.kind is SpanKind.BODY
            and ";" in span.sentence
            and len(span.sentence) <= MAX_BODY_LINE
        ):
            # Who does what, for the case the line describes: the whole line ("… tự đánh
            # giá, tự xếp loại …; đảng ủy cơ sở xem xét, đánh giá, xếp loại …").
            return _end(_strip_bullet(span.sentence))
        listing = self._listing(choice, frame, asked)
        if asked is Asked.LEVEL:
            level = self._level_of(choice)
            if level:
                said = listing or _end(choice.clause)
                return f'mức xếp loại "{LEVEL_NAMES[level]}" — {_lower_first(said)}'
        if listing is None and asked is Asked.CONTENT and not frame.polar:
            whole = self._short_whole(choice)
            if whole:
                return whole
        return listing or _end(choice.clause)

    def _ranked_item(self, choice: Choice, frame: Frame) -> str | None:
        """The item a question names by its rank ("nhóm quan điểm thứ ba …"): of the chosen
        list, or of the chosen provision's only list."""
        nth = _ordinal(frame.question)
        if nth is None:
            return None
        span = choice.span
        if span is not None and span.kind is SpanKind.ENUMERATION:
            lists = [span]
        else:
            lists = [
                s for s in self.spans.of(choice.provision.id) if s.kind is SpanKind.ENUMERATION
            ]
        if len(lists) != 1 or nth > len(lists[0].items):
            return None
        only = lists[0]
        return f"{_end(only.text)} — thứ {nth}: {_lower_first(_end(only.items[nth - 1]))}"

    def _short_whole(self, choice: Choice) -> str | None:
        """A short provision said whole, for a question on what it says: its few lines
        hold the answer together ("… là gì?")."""
        lines = [_end(_strip_bullet(line)) for line in _lines(choice.provision)]
        if not 1 < len(lines) <= SHORT_LINES or sum(map(len, lines)) > SHORT_CHARS:
            return None
        return _together(lines)

    def _overview(self, provision: Provision) -> str:
        """A provision in brief: its own lines, then the opening of each part under it."""
        parts = [_end(_strip_bullet(line)) for line in _lines(provision)[:3]]
        for child_id in provision.children_ids[:5]:
            child = self.pack[child_id]
            first = _lines(child)[0] if _lines(child) else (child.title or "")
            if first:
                parts.append(
                    f"{child.label.split(', ')[-1]}: {_lower_first(_end(_strip_bullet(first)))}"
                )
        if not parts:
            return _end(provision.title or provision.label)
        return _together(parts)

    def _listing(self, choice: Choice, frame: Frame, asked: Asked) -> str | None:
        """The whole list a chosen line belongs to, when one line is not the answer: the
        line is the list's lead-in ("Người đánh giá …:"), the question asks for a list and
        the line lists inline ("về ba mặt: a; b; c"), or the question asks for values that
        sit in several items ("nhóm chung … bao nhiêu điểm, nhóm kết quả … bao nhiêu")."""
        provision = choice.provision
        lines = _lines(provision)
        span = choice.span
        line = span.line if span is not None else _line_index(lines, choice.clause)
        if line is None:
            return None
        enumerations = [s for s in self.spans.of(provision.id) if s.kind is SpanKind.ENUMERATION]
        own = next((e for e in enumerations if e.line == line), None)
        if own is not None:  # the chosen line is a lead-in
            items = [i for i in own.items if _about(i, frame)] or list(own.items)
            if asked not in (Asked.LIST, Asked.COUNT, Asked.PROCEDURE, Asked.PURPOSE):
                items = self._closest_first(items, frame)
            listed = "; ".join(_lower_first(_end(i)[:MAX_ITEM_CHARS]) for i in items[:MAX_ITEMS])
            return f"{_end(own.text)}: {listed}"
        if asked in (Asked.LIST, Asked.COUNT) and span is not None and ";" in span.sentence:
            return _end(span.sentence)
        bullets = [_strip_bullet(x) for x in lines if x.startswith("- ")]
        if (
            asked in (Asked.LIST, Asked.PROCEDURE, Asked.PURPOSE)
            and provision.title
            and 1 < len(bullets) == len(lines)
        ):
            # A provision of bullets under its title alone ("Yêu cầu, nguyên tắc" over five
            # lines): the title is the list's lead-in.
            listed = "; ".join(_lower_first(_end(i)[:MAX_ITEM_CHARS]) for i in bullets[:MAX_ITEMS])
            return f"{_end(provision.title)}: {listed}"
        if asked is Asked.NUMBER and span is not None:
            parent = next((e for e in enumerations if e.line < line <= e.line + len(e.items)), None)
            if parent is not None:
                asked_words = self.words(frame.question)
                valued = {s.line for s in self.spans.of(provision.id) if s.kind is span.kind}
                named = [i for i in parent.items if self.words(i.split(":")[0]) & asked_words]
                hit: list[str] = []
                for k, item in enumerate(parent.items):
                    if parent.line + 1 + k not in valued:
                        continue  # an item without a value of the kind asked is not one
                    if item in named or (
                        hit and hit[-1] == parent.items[k - 1] and EXCEPTION.match(fold(item))
                    ):
                        hit.append(item)  # "Riêng với …": the exception to the item before
                if len(hit) < 2:
                    hit = named
                if len(hit) >= 2:
                    listed = "; ".join(_lower_first(_end(i)) for i in hit[:MAX_ITEMS])
                    return f"{_end(parent.text)}: {listed}"
        return None

    def _closest_first(self, items: list[str], frame: Frame) -> list[str]:
        """Cases of a list with the one the question describes first ("chi bộ trực thuộc đảng
        ủy cơ sở" among three cases of who rates whom), when one stands out."""
        asked_words = self.words(frame.question) - COMMON
        scored = [len(self.words(i) & asked_words) for i in items]
        if len(items) < 2 or not scored:
            return items
        best = max(range(len(items)), key=lambda k: scored[k])
        if sorted(scored)[-2] >= scored[best]:
            return items
        return [items[best], *items[:best], *items[best + 1 :]]

    def _level_of(self, choice: Choice) -> str | None:
        if choice.span is not None and choice.span.kind is SpanKind.LEVEL:
            return choice.span.value
        profile = self.spans.profiles.get(choice.provision.id)
        return profile.level if profile else None

    def sentence(self, choice: Choice, frame: Frame, role: str, cite: Cite) -> LeadSentence:
        marker = cite(choice.provision)
        text = f"{self.context(choice, frame, role)}: {self.body(choice, frame)}"
        return LeadSentence(text=_mark(text, marker), role=role, markers=[marker])

    # --- the whole lead ------------------------------------------------------------------

    def lead(self, plan: Plan, frame: Frame, cite: Cite) -> list[LeadSentence]:
        if plan.outcome == "not_covered":
            return self._not_covered(plan, frame, cite)
        if frame.asked is Asked.DOC_FACT and frame.doc_fact is not None:
            facts = self._doc_facts(plan, frame, cite)
            if facts:
                return facts
        if frame.asked is Asked.COMPARISON:
            compared = self._comparison(plan, frame, cite)
            if compared:
                return compared
        assert plan.primary is not None
        out: list[LeadSentence] = []
        premise = frame.premise
        if premise is not None and premise.kind == "form" and premise.doc_id:
            return self._form_premise(plan, frame, cite)
        verdict = self._verdict(plan.primary, frame) if frame.polar else None
        first = self.sentence(plan.primary, frame, "answer", cite)
        if verdict:
            first = first.model_copy(update={"text": f"{verdict}. {first.text}", "role": "premise"})
        out.append(first)
        if plan.secondary is not None:
            role = "previous" if plan.secondary.doc_id in OLD_DOCS else "next"
            out.append(self.sentence(plan.secondary, frame, role, cite))
        if plan.gap and plan.gap_topic is not None:
            # The rule the digest has comes first, then what it lacks for the cycle asked.
            out.append(
                LeadSentence(
                    text=(
                        "Bản tóm lược chưa xác minh quy định tương ứng của văn bản áp dụng từ kỳ "
                        f"năm 2025 ({_lower_first(_end(plan.gap))})."
                    ),
                    role="gap",
                )
            )
        return out

    def _form_premise(self, plan: Plan, frame: Frame, cite: Cite) -> list[LeadSentence]:
        """ "Mẫu 2C trong Hướng dẫn 25": the pack says which document has that form."""
        premise = frame.premise
        assert premise is not None and premise.doc_id
        document = self.pack.document(premise.doc_id)
        holder = plan.primary
        out = []
        if holder is not None and holder.doc_id == premise.doc_id:
            marker = cite(holder.provision)
            # The whole line that names the form (its users and its code), not a clause of it.
            said = holder.span.sentence if holder.span is not None else holder.clause
            verdict = "Có. " if frame.polar else ""
            text = f"{verdict}Theo {document.name}: {_end(_strip_bullet(said))}"
            return [LeadSentence(text=_mark(text, marker), role="premise", markers=[marker])]
        own = [
            p
            for p in self.pack.trees[premise.doc_id].provisions
            if any(s.kind is SpanKind.FORM for s in self.spans.of(p.id))
        ]
        code = premise.value.upper()
        if own:
            marker = cite(own[0])
            codes = sorted({s.text for s in self.spans.of(own[0].id) if s.kind is SpanKind.FORM})
            text = f"Không. {document.name} không có Mẫu {code}; các mẫu của văn bản này: " + (
                ", ".join(codes)
            )
            out.append(LeadSentence(text=_mark(text, marker), role="premise", markers=[marker]))
        else:
            out.append(
                LeadSentence(text=f"Không. {document.name} không có Mẫu {code}.", role="premise")
            )
        if holder is not None:
            out.append(self.sentence(holder, frame, "next", cite))
        return out

    def _not_covered(self, plan: Plan, frame: Frame, cite: Cite) -> list[LeadSentence]:
        placeholder = plan.placeholder
        out = []
        if plan.absent:
            official = frame.documents and all(
                self.pack.document(d).text is TextKind.OFFICIAL for d in frame.documents
            )
            text = (
                f"Văn bản chính thức đã nạp không có {plan.absent}."
                if official
                else f"Bản tóm lược không có {plan.absent}. Hãy tra cứu văn bản chính thức hoặc "
                "nạp văn bản đó vào trợ lý."
            )
            out.append(LeadSentence(text=text, role="not_covered"))
        if placeholder is not None:
            marker = cite(placeholder)
            note = placeholder.coverage_note
            note = f" {note[:1].upper()}{note[1:]}" if note else ""
            text = (
                f"Bản tóm lược chưa có nội dung của {placeholder.citation} [{marker}].{note} "
                "Hãy tra cứu văn bản chính thức hoặc nạp văn bản đó vào trợ lý."
            )
            out.append(LeadSentence(text=text.strip(), role="not_covered", markers=[marker]))
        if plan.missing and plan.nearest is not None:
            marker = cite(plan.nearest.provision)
            text = (
                f"Bản tóm lược không nêu {plan.missing} mà câu hỏi hỏi. Nội dung gần nhất là "
                f"{plan.nearest.provision.citation} [{marker}], nhưng không nêu điều này. Hãy tra "
                "cứu văn bản chính thức hoặc nạp văn bản đó vào trợ lý."
            )
            if plan.nearest_says:
                # "Phụ lục 4: cá nhân …" → "phụ lục 4 dành cho cá nhân …"
                said = _lower_first(_end(plan.nearest.clause))
                said = re.sub(r"\s*:\s*", " dành cho ", said, count=1)
                text = (
                    f"Bản tóm lược chỉ nêu {said} [{marker}], không nêu {plan.missing}. Hãy "
                    "tra cứu văn bản chính thức hoặc nạp văn bản đó vào trợ lý."
                )
            out.append(LeadSentence(text=text, role="not_covered", markers=[marker]))
        if plan.gap and plan.placeholder is None and not plan.missing:
            # Asked for the 2025 rule, which the digest does not hold: say so first.
            why = "" if plan.gap == NOT_THIS_POINT else f" ({_lower_first(_end(plan.gap))})"
            text = (
                f"Bản tóm lược chưa có quy định của văn bản áp dụng từ kỳ năm 2025 về điểm này"
                f"{why}. Hãy tra cứu văn bản chính thức hoặc nạp văn bản đó vào trợ lý."
            )
            out.append(LeadSentence(text=text, role="not_covered"))
        if plan.secondary is not None:
            out.append(self.sentence(plan.secondary, frame, "previous", cite))
        return out

    # --- yes / no --------------------------------------------------------------------------

    def _verdict(self, choice: Choice, frame: Frame) -> str | None:
        """ "Có" or "Không" where the pack decides it; None otherwise."""
        premise = frame.premise
        span = choice.span
        lines = _lines(choice.provision)
        lead_in = ""
        if span is not None:
            lead_in = lead_in_of(lines, span.line) or ""
        elif choice.clause:
            lead_in = choice.clause.split(": ", 1)[0] if ": " in choice.clause else ""
        exemption = bool(re.search(r"\btrừ\b", lead_in, re.IGNORECASE))
        if premise is not None and premise.kind == "relation":
            old, new = premise.value.split(">")
            if old in self.pack.trees and new in self.pack.trees:
                replaced_by = self.pack.document(new).replaced_by
                return "Có" if replaced_by is not None and replaced_by.id == old else "Không"
            return None
        if premise is not None and premise.kind == "form" and premise.doc_id:
            codes = {
                s.value
                for p in self.pack.trees[premise.doc_id].provisions
                for s in self.spans.of(p.id)
                if s.kind is SpanKind.FORM
            }
            return "Có" if premise.value in codes else "Không"
        if (
            premise is not None
            and span is not None
            and premise.kind in ("duration", "score", "percent")
        ):
            asserted = _number(premise.value)
            stated = _number(span.value)
            if asserted is None or stated is None:
                return None
            comparator = COMPARATOR.search(span.text)
            if exemption and comparator:
                inside = _satisfies(asserted, comparator.group(1).lower(), stated)
                return "Không" if inside else "Có"
            return "Có" if asserted == stated else "Không"
        if premise is not None and premise.kind == "level":
            level = self._level_of(choice)
            if level:
                return "Có" if level == premise.value else "Không"
        if exemption and choice.clause:
            item = choice.clause.split(": ", 1)[-1]
            if _covers(self.words(item), self.words(frame.question)):
                return "Không"
        return None

    # --- document facts --------------------------------------------------------------------

    def _doc_facts(self, plan: Plan, frame: Frame, cite: Cite) -> list[LeadSentence]:
        fact = frame.doc_fact
        if fact is DocFact.APPLIES:
            return self._applies(frame, cite)
        doc_ids = [d for d in frame.documents if d in self.pack.trees]
        if not doc_ids and plan.primary is not None:
            doc_ids = [plan.primary.doc_id]
        out = []
        facts = frame.doc_facts or [fact]
        for doc_id in doc_ids:
            document = self.pack.document(doc_id)
            if document.is_notes:
                continue
            info = self.pack[f"{doc_id}/thong-tin"]
            # "đã có văn bản nào sửa đổi chưa", "không còn áp dụng từ ngày nào" are not
            # answered by "Có" or "Không", only by the status itself.
            verdict = NOT_POLAR_STATUS.search(fold(frame.question)) is None
            texts = [t for t in (_doc_fact_sentence(document, f, verdict) for f in facts) if t]
            if not texts:
                continue
            marker = cite(info)
            text = _together(texts)
            # The fact asked is one the digest has not verified: not covered, said so.
            role = "not_covered" if _unverified(document, fact) else "answer"
            out.append(LeadSentence(text=_mark(text, marker), role=role, markers=[marker]))
            if fact in (DocFact.REPLACED_BY, DocFact.IN_FORCE) and document.replaced_by:
                successor = document.replaced_by.id
                if successor in self.pack.trees:
                    rule = self.pack.document(successor).applies_to
                    m2 = cite(self.pack[f"{successor}/thong-tin"])
                    out.append(
                        LeadSentence(
                            text=_mark(f"Văn bản thay thế dùng cho: {_lower_first(rule)}", m2),
                            role="next",
                            markers=[m2],
                        )
                    )
        return out

    def _applies(self, frame: Frame, cite: Cite) -> list[LeadSentence]:
        note = self.pack.provisions.get("ghi-chu/van-ban-ky-2025")
        if note is None:
            return []
        lines = _lines(note)
        want_old = frame.time is Period.OLD
        chosen = [ln for ln in lines if ("2023" in ln) == want_old] or lines[:1]
        marker = cite(note)
        text = _mark(lines[0] if not chosen else chosen[0].removeprefix("- "), marker)
        return [LeadSentence(text=text, role="answer", markers=[marker])]

    # --- comparison ----------------------------------------------------------------------

    def _comparison(self, plan: Plan, frame: Frame, cite: Cite) -> list[LeadSentence]:
        """Both cycles' rules and what changed, from the project's old→new map (its notes)."""
        out = []
        topics = [t for t in plan.topics if t.note_id in self.pack]
        if len(topics) == 1:
            topic = topics[0]
            marker = cite(self.pack[topic.note_id])
            for label, side in (("Kỳ 2023–2024", topic.old), ("Từ kỳ năm 2025", topic.new)):
                out.append(
                    LeadSentence(
                        text=_mark(f"{label}: {_lower_first(side.text())}", marker),
                        role="answer",
                        markers=[marker],
                    )
                )
            out.append(
                LeadSentence(
                    text=_mark(f"Điểm thay đổi: {_lower_first(topic.change)}", marker),
                    role="answer",
                    markers=[marker],
                )
            )
        elif topics:
            parts, markers = [], []
            for topic in topics:
                marker = cite(self.pack[topic.note_id])
                markers.append(marker)
                parts.append(
                    f"{_lower_first(topic.title)}: {_lower_first(_end(topic.change))} [{marker}]"
                )
            out.append(
                LeadSentence(
                    text="Những thay đổi chính từ kỳ năm 2025 so với kỳ 2023–2024: "
                    + "; ".join(parts)
                    + ".",
                    role="answer",
                    markers=markers,
                )
            )
        return out


NOT_POLAR_STATUS = re.compile(
    r"(?<![\w])(sua doi|bo sung|tu ngay nao|tu khi nao)(?![\w])"  # "kể từ ngày nào" too
)


def _unverified(document: Document, fact: DocFact) -> bool:
    """Whether the digest lacks a document fact (its signer, its effective date)."""
    return (fact is DocFact.SIGNER and not document.signer) or (
        fact is DocFact.EFFECTIVE and not document.effective
    )


def _doc_fact_sentence(document: Document, fact: DocFact, verdict: bool = True) -> str | None:
    d = document
    polar = fact is DocFact.IN_FORCE and verdict  # "Có.", "Không.", "Một phần." first
    suffix = lambda f: field_caveat_suffix(d, f)  # noqa: E731 - a one-line helper
    if fact is DocFact.ISSUER:
        return f"{d.name} do {d.issuer} ban hành{suffix('issuer')}, ký ngày {d.signed:%d/%m/%Y}"
    if fact is DocFact.SIGNER:
        if d.signer:
            return f"Người ký {d.name}: {d.signer}{suffix('signer')}"
        return f"Bản tóm lược chưa xác minh người ký {d.name}"
    if fact is DocFact.SIGNED:
        return f"{d.name} do {d.issuer} ký ban hành ngày {d.signed:%d/%m/%Y}{suffix('signed')}"
    if fact is DocFact.EFFECTIVE:
        if d.effective:
            return f"{d.name} có hiệu lực từ ngày {d.effective:%d/%m/%Y}{suffix('effective')}"
        return f"Ngày có hiệu lực của {d.name} chưa xác minh trong bản tóm lược"
    if fact is DocFact.REPLACES:
        if d.replaces:
            return f"{d.name} thay thế {d.replaces}{suffix('replaces')}"
        return f"Bản tóm lược không ghi {d.name} thay thế văn bản nào"
    if fact in (DocFact.REPLACED_BY, DocFact.IN_FORCE):
        if d.status is Status.REPLACED and d.replaced_by:
            rb = d.replaced_by
            kind = kind_name_of_id(rb.id)
            head = "Không. " if polar else ""
            return f"{head}{d.name} đã được thay thế bởi {kind} {rb.number} ngày {rb.date:%d/%m/%Y}"
        if d.status is Status.PARTLY_INAPPLICABLE:
            head = "Một phần. " if polar else ""
            return f"{head}{d.name}: {_lower_first(_end(d.status_note or ''))}"
        head = (
            "Có. "
            if polar
            else ("" if fact is DocFact.IN_FORCE else "Chưa thấy văn bản thay thế. ")
        )
        return (
            f"{head}{d.name} còn hiệu lực (theo các nguồn đã đối chiếu, đến khoảng tháng 01/2026)"
        )
    if fact is DocFact.STRUCTURE:
        if d.structure:
            return f"{d.name} có bố cục: {d.structure}{suffix('structure')}"
        return f"Bản tóm lược chưa xác minh bố cục của {d.name}"
    return None


def _wants_new(frame: Frame) -> bool:
    return frame.time in (Period.NOW, Period.NEW) and not (set(frame.documents) & set(OLD_DOCS))


def _together(parts: list[str]) -> str:
    """Clauses said as one sentence: "a; b; c", each after the first in lower case."""
    return "; ".join([parts[0], *(_lower_first(p) for p in parts[1:])])


def _lower_first(text: str) -> str:
    if (
        len(text) > 1
        and text[0].isupper()
        and not text[1].isupper()
        and not text.startswith(
            ("Quy định", "Hướng dẫn", "Bộ Chính trị", "Ban ", "Mẫu", "Điều", "Kết luận", "Công văn")
        )
    ):
        return text[0].lower() + text[1:]
    return text


def _strip_bullet(line: str) -> str:
    return line[2:].strip() if line.startswith("- ") else line.strip()


def _line_index(lines: list[str], clause: str) -> int | None:
    for index, line in enumerate(lines):
        item = line[2:] if line.startswith("- ") else line
        if item.strip() and item.strip()[:40] in clause:
            return index
    return None


def _about(item: str, frame: Frame) -> bool:
    """False for a list item labelled for the other subject ("Tập thể: …" when the question
    is about an individual) or for a conflicting role."""
    tags = label_tags(item)
    subject = frame.subject
    if subject.kind and not subject.both:
        other = "individual" if subject.kind == "collective" else "collective"
        if other in tags and subject.kind not in tags:
            return False
    for role in subject.roles:
        if tags & ROLE_CONFLICTS.get(role, set()) and role not in tags:
            return False
    return True


# An item that makes an exception to the one before it ("Riêng với ban thường vụ …").
EXCEPTION = re.compile(r"^(-\s*)?(rieng|tru|ngoai tru)\b")
# "thứ tư" (fourth) and "thứ tự" (order) fold alike: unaccented "thu tu" is not a rank.
ORDINAL = re.compile(r"(?<![\w])thứ\s+(nhất|hai|ba|tư|năm|sáu|bảy|tám|\d)(?![\w])")
ORDINAL_PLAIN = re.compile(r"(?<![\w])thu\s+(nhat|hai|ba|nam|sau|bay|tam|\d)(?![\w])")


def _ordinal(question: str) -> int | None:
    """The item a question names by its rank ("nhóm thứ ba", "bước thứ 2")."""
    m = ORDINAL.search(question.lower()) or ORDINAL_PLAIN.search(question.lower())
    if m is None:
        return None
    word = fold(m.group(1))
    return int(ORDINALS.get(word, word))  # the rank words references.py reads too


def _stated_count(lead_in: str, count: int) -> str | None:
    """The count as the list's lead-in says it ("gồm ba nhóm", "6 nội dung"), when it is the
    number of items listed."""
    folded = fold(lead_in)
    if len(folded) != len(lead_in):
        return None  # combining marks: the folded positions are not the text's
    for match in SPAN_COUNT.finditer(folded):
        number = match.group(1)
        value = int(number) if number.isdigit() else NUMBER_WORDS.get(number, 0)
        if value == count:
            return lead_in[match.start() : match.end()]  # fold keeps the length
    return None


def _counted_noun(question: str) -> str | None:
    """The counted noun as a lead says it ("mức", "bước")."""
    noun = counted_noun(question)
    return NOUN_WORDS.get(noun) if noun else None


def _noun_in(text: str) -> str | None:
    m = re.search(r"\d+\s+(\w+(?:\s\w+)?)\s*:", text)
    return m.group(1) if m else None


def _number(value: str) -> int | None:
    m = re.match(r"(\d+)", value)
    return int(m.group(1)) if m else None


def _satisfies(asserted: int, comparator: str, stated: int) -> bool:
    return {
        "chưa đủ": asserted < stated,
        "dưới": asserted < stated,
        "không quá": asserted <= stated,
        "tối đa": asserted <= stated,
        "tối thiểu": asserted >= stated,
        "ít nhất": asserted >= stated,
        "trên": asserted > stated,
        "từ": asserted >= stated,
    }.get(comparator, asserted == stated)


def _covers(item: frozenset[str], asked: frozenset[str]) -> bool:
    """True when most of a list item's words are in the question (the question names it)."""
    return bool(item) and len(item & asked) / len(item) >= 0.6
