"""`quydinh brief|quiz|compare|guide`: the workspaces on the command line.

Registered by assistant/cli.py through `add_workspace_parsers`. Each command loads the pack
(no index is needed), calls one workspace function and prints its cited document; `--json`
prints the structure on stdout (progress and "Đã ghi …" go to stderr), `--out FILE.md|.docx|.pdf`
also writes the document. Exit codes: 0 done, 1 the output file cannot be written (nothing is
left behind), 2 bad arguments (unknown document, topic, role, a question count outside 1…50).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from assistant.cited import CitedDocument
from assistant.workspaces import phrases
from assistant.workspaces.output import (
    OutputError,
    UnsupportedOutput,
    check_path,
    markers,
    numbering,
    source_line,
    walk,
    write,
)

BULLETS = {"item": "  • ", "option": "  • ", "quote": "  “", "note": "  ⓘ ", "answer": "  ✔ "}


def add_workspace_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Register `brief`, `quiz`, `compare` and `guide`."""
    p = subparsers.add_parser(
        "brief",
        help="bản tin: văn bản, hiệu lực, điểm chính, số liệu, thay đổi 2023→2025, trích dẫn",
    )
    p.add_argument(
        "documents", nargs="+", metavar="MÃ_VĂN_BẢN", help="ví dụ qd-366-2025 hd-43-2025"
    )
    p.add_argument(
        "--topic", action="append", default=[], metavar="CHỦ_ĐỀ",
        help="chủ đề của bản đồ cũ→mới (ví dụ bieu-mau) hoặc từ trong tên điều; lặp được",
    )  # fmt: skip
    _common(p, cmd_brief)

    p = subparsers.add_parser(
        "quiz", help="bài giảng: câu hỏi trắc nghiệm, đúng/sai và đáp án (--outline: cả dàn ý)"
    )
    p.add_argument("document", metavar="MÃ_VĂN_BẢN", help="ví dụ qd-124-2023")
    p.add_argument("-n", type=int, default=10, help="số câu hỏi, từ 1 đến 50 (mặc định 10)")
    p.add_argument("--seed", type=int, default=0, help="mã ngẫu nhiên: cùng mã, cùng bộ câu hỏi")
    p.add_argument(
        "--outline", action="store_true",
        help="kèm dàn ý theo chương, điều và các con số cần nhớ (bộ tài liệu bài giảng)",
    )  # fmt: skip
    _common(p, cmd_quiz)

    p = subparsers.add_parser("compare", help="so sánh văn bản cũ và văn bản thay thế, theo chủ đề")
    p.add_argument("old", metavar="VĂN_BẢN_CŨ", help="ví dụ qd-124-2023")
    p.add_argument("new", metavar="VĂN_BẢN_MỚI", help="ví dụ qd-366-2025")
    _common(p, cmd_compare)

    p = subparsers.add_parser(
        "guide", help="trường hợp của tôi: ai kiểm điểm, ai xếp loại, mẫu nào, thời hạn, tiêu chí"
    )
    p.add_argument("--org", required=True, help="loại tổ chức, ví dụ chi-bo-truc-thuoc")
    p.add_argument("--role", required=True, help="vai trò, ví dụ dang-vien, lanh-dao")
    p.add_argument("--year", default="nay", help="năm của kỳ kiểm điểm (mặc định: năm nay)")
    p.add_argument(
        "--public-unit", dest="public_unit", action="store_true",
        help="tổ chức ở đơn vị sự nghiệp công lập (bệnh viện, trường học…)",
    )  # fmt: skip
    _common(p, cmd_guide)


def _common(p: argparse.ArgumentParser, func: Callable) -> None:
    p.add_argument("--json", action="store_true", help="in cấu trúc dạng JSON")
    p.add_argument("--out", metavar="TỆP", help="ghi ra tệp .md, .docx hoặc .pdf")
    p.set_defaults(func=func)


# --- running a workspace ------------------------------------------------------------------------


def _progress(label: str, done: int, total: int) -> None:
    print(phrases.PROGRESS.format(label=label, done=done, total=total), file=sys.stderr, flush=True)


def _run(args: argparse.Namespace, build: Callable) -> int:
    """Check the output path, load the pack, build, print (text or JSON) and write."""
    from assistant.cli import UsageError, _settings
    from assistant.workspaces import WorkspaceError, context
    from knowledge.pack import load_pack

    settings = _settings(args)
    out = Path(args.out) if args.out else None
    if out is not None:
        try:
            check_path(out)
        except UnsupportedOutput as exc:
            raise UsageError(str(exc)) from None
        except OutputError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 1
    ctx = context(load_pack(settings.official_path, settings.documents_dir))
    try:
        structure, doc = build(ctx)
    except WorkspaceError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print(json.dumps(structure, ensure_ascii=False, indent=2))
    else:
        print(render_text(doc))
    if out is not None:
        try:
            write(doc, out)
        except OutputError as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 1
        print(phrases.WRITTEN.format(path=out), file=sys.stderr)
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    from assistant.workspaces import build_brief

    def build(ctx):
        doc = build_brief(ctx, args.documents, args.topic, progress=_progress)
        return doc.model_dump(), doc

    return _run(args, build)


def cmd_quiz(args: argparse.Namespace) -> int:
    from assistant.workspaces import build_lesson

    def build(ctx):
        quiz, doc = build_lesson(
            ctx, args.document, args.n, args.seed, outline=args.outline, progress=_progress
        )
        structure = {
            "questions": [q.model_dump() for q in quiz.questions],
            "document": quiz.document,
            "seed": quiz.seed,
            "notices": quiz.notices,
        }
        if args.outline:
            structure["outline"] = [s.model_dump() for s in doc.sections[:2]]
        return structure, doc

    return _run(args, build)


def cmd_compare(args: argparse.Namespace) -> int:
    from assistant.workspaces import build_comparison

    def build(ctx):
        comparison, doc = build_comparison(ctx, args.old, args.new, progress=_progress)
        return comparison.model_dump() | {"notices": doc.notices}, doc

    return _run(args, build)


def cmd_guide(args: argparse.Namespace) -> int:
    from assistant.workspaces import build_guide

    def build(ctx):
        guide = build_guide(
            ctx, args.org, args.role, args.year, public_unit=args.public_unit, progress=_progress
        )
        return guide.model_dump() | guide.document.model_dump(), guide.document

    return _run(args, build)


# --- the document as terminal text ---------------------------------------------------------------


def render_text(doc: CitedDocument) -> str:
    """A cited document for the terminal: notices, sections, statements with their [n]
    markers and caveats, then the numbered sources with their validity."""
    numbers = numbering(doc)
    lines = [doc.title.upper()]
    if doc.subtitle:
        lines.append(doc.subtitle)
    lines += [f"Lưu ý: {n}" for n in doc.notices]
    for depth, section in walk(doc.sections):
        lines += ["", ("■ " if depth == 1 else "  " * (depth - 1) + "▸ ") + section.title]
        for s in section.statements:
            text = s.text + markers(s, numbers)
            lead = BULLETS.get(s.kind, "  ")
            lines.append(lead + text + ("”" if s.kind == "quote" else ""))
            if s.caveat:
                lines.append("      " + phrases.CAVEAT.format(caveat=s.caveat))
    if doc.sources:
        lines += ["", phrases.SOURCES + ":"]
        lines += ["  " + source_line(n, s) for n, s in enumerate(doc.sources, start=1)]
    return "\n".join(lines)
