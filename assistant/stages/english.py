"""English questions read in the documents' words: "Who rates a party cell?" becomes "ai xếp
loại chi bộ", so it gets a frame and a search; the answer stays in Vietnamese (a notice says
so). The glossary is assistant/data/english.yaml; words it lacks are left out."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

GLOSSARY = Path(__file__).resolve().parent.parent / "data" / "english.yaml"


@functools.cache
def _phrases() -> list[tuple[re.Pattern, str]]:
    raw = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["phrases"]
    ordered = sorted(raw.items(), key=lambda kv: -len(kv[0]))
    return [(re.compile(rf"(?<![a-z]){re.escape(k)}(?![a-z])"), v) for k, v in ordered]


def to_vietnamese(question: str) -> str:
    """The glossary's Vietnamese words for an English question, in its order, plus any
    document number it gives ("QĐ 124", "366")."""
    text = question.lower()
    found: list[tuple[int, str]] = []
    taken = [False] * len(text)
    for pattern, words in _phrases():
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append((m.start(), words))
    for m in re.finditer(r"\b(?:(qd|qđ|hd)\s*)?(\d{2,5})\b", text):
        if not any(taken[m.start() : m.end()]):
            kind = {"hd": "Hướng dẫn "}.get(m.group(1) or "", "Quy định " if m.group(1) else "")
            found.append((m.start(), f"{kind}{m.group(2)}"))
    found.sort()
    return " ".join(w for _, w in found) + ("?" if question.rstrip().endswith("?") else "")
