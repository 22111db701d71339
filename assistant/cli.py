"""`quydinh`: the command line. It parses input, calls one library function, prints the result.

Exit codes: 0 success, 1 a domain error (bad knowledge file, index or backend problem),
2 bad arguments or input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from assistant import prompts
from assistant.settings import Settings
from knowledge.errors import KnowledgeError
from knowledge.pack import document_files, load_pack, load_trees, parse_files


class UsageError(Exception):
    """Bad arguments or input: exit code 2."""


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    for key in ("data_dir", "chroma_url", "embedding", "engine", "official_dir"):
        value = getattr(args, key, None)
        if value is not None:
            overrides[key] = value
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise UsageError(f"Cài đặt không hợp lệ ({details}).") from None


# --- check / docs -------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.paths:
        targets = [Path(p) for p in args.paths]
        missing = [str(p) for p in targets if not p.exists()]
        if missing:
            raise UsageError(f"Không tìm thấy: {', '.join(missing)}.")
        files = [f for t in targets for f in (document_files(t) if t.is_dir() else [t])]
        trees, problems = parse_files(files)
    else:
        trees, problems = load_trees([settings.documents_dir, settings.official_path])
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"Có {len(problems)} lỗi; bộ văn bản chưa dùng được.", file=sys.stderr)
        return 1
    count = sum(len(t.provisions) for t in trees)
    print(f"Bộ văn bản hợp lệ: {len(trees)} văn bản, {count} quy định.")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    settings = _settings(args)
    pack = load_pack(settings.official_path, settings.documents_dir)
    rows = []
    for doc in pack.documents:
        cov = pack.coverage(doc.id)
        rows.append(
            (
                doc.id,
                doc.name,
                f"{doc.signed:%d/%m/%Y}",
                prompts.status_text(doc),
                prompts.TEXT_LABELS[doc.text.value],
                f"{cov.with_content}/{cov.total}",
            )
        )
    header = ("Mã", "Văn bản", "Ngày ký", "Hiệu lực", "Bản văn", "Có nội dung")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if args.verbose:
        for doc in pack.documents:
            cov = pack.coverage(doc.id)
            print(f"\n{doc.name}: {cov.with_content}/{cov.total} có nội dung")
            if cov.partial:
                print("  Chưa đầy đủ: " + "; ".join(cov.partial))
            if cov.not_covered:
                print("  Chưa có nội dung: " + "; ".join(cov.not_covered))
    return 0


# --- parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quydinh",
        description="Trợ lý Quy định: hỏi đáp có trích dẫn về QĐ 124, QĐ 125, HD 25.",
    )
    parser.add_argument("--data-dir", dest="data_dir", help="thư mục dữ liệu (mặc định .data)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    p = sub.add_parser("check", help="kiểm tra bộ văn bản (định dạng, mã, số thứ tự)")
    p.add_argument("paths", nargs="*", help="tệp hoặc thư mục cần kiểm tra (mặc định: cả bộ)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("docs", help="liệt kê văn bản, hiệu lực và mức độ có nội dung")
    p.add_argument("-v", "--verbose", action="store_true", help="liệt kê điều chưa có nội dung")
    p.set_defaults(func=cmd_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own message; bad arguments exit 2
        return int(exc.code or 0)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
