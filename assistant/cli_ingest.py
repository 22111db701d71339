"""`quydinh ingest FILE [--doc ID] [--json]` and `quydinh ingest --remove ID`.

Registered by assistant/cli.py through `add_ingest_parser`; like the other commands it parses
input, calls one library function (`knowledge.ingest.ingest_file` or `remove_ingested`, the
same ones the app calls) and prints its typed result. Progress (each page of a scan) goes to
stderr, so that `--json` output stays clean.
Exit codes: 0 loaded or removed, 1 bad input (nothing written), 2 bad arguments or a missing
file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from knowledge.ingest import (
    IngestError,
    Progress,
    Relations,
    format_removal,
    format_report,
    ingest_file,
    remove_ingested,
    report_json,
)
from knowledge.pack import document_files

INDEX_HINT = "Để tìm kiếm dùng {what}, chạy lại: quydinh index"


def add_ingest_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the `ingest` sub-command."""
    p = subparsers.add_parser(
        "ingest",
        help="nạp văn bản chính thức (PDF, bản quét, ảnh, DOCX, DOC, ODT, HTML, TXT) thay cho "
        "bản tóm lược, hoặc gỡ văn bản đã nạp",
        description=(
            "Đọc văn bản chính thức (bản quét và ảnh chụp được nhận dạng chữ), nhận bố cục "
            "(chương, điều, khoản, điểm, tiết; mục của hướng dẫn), ghi bản chuẩn vào <thư mục "
            "dữ liệu>/official/<mã>.md và in báo cáo so sánh với bản tóm lược. Bản tóm lược "
            "đi kèm không bị sửa. --remove gỡ văn bản đã nạp: trợ lý dùng lại bản tóm lược."
        ),
    )
    p.add_argument(
        "file",
        metavar="TỆP",
        nargs="?",
        help="tệp .pdf, .docx, .doc, .odt, .html/.htm, .txt hoặc ảnh .png, .jpg, .tif",
    )
    p.add_argument(
        "--doc",
        metavar="MÃ",
        help="mã văn bản, ví dụ qd-124-2023 (mặc định: nhận từ số hiệu và ngày ở đầu văn bản)",
    )
    p.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    relations = p.add_argument_group(
        "quan hệ hiệu lực (chỉ với văn bản chưa có bản tóm lược; mặc định: theo lời văn)"
    )
    relations.add_argument("--replaces", metavar="MÃ", help="văn bản này thay thế văn bản MÃ")
    relations.add_argument(
        "--replaced-by", metavar="MÃ", help="văn bản này đã bị văn bản MÃ thay thế"
    )
    relations.add_argument(
        "--guides",
        metavar="MÃ",
        action="append",
        help="văn bản này hướng dẫn thực hiện văn bản MÃ (nêu nhiều lần được)",
    )
    p.add_argument(
        "--remove",
        metavar="MÃ",
        help="gỡ văn bản chính thức đã nạp có mã này; trợ lý dùng lại bản tóm lược",
    )
    p.set_defaults(func=cmd_ingest)


def _show_progress(step: Progress) -> None:
    print(f"… {step.message}", file=sys.stderr, flush=True)


def _failed(exc: IngestError) -> int:
    print(f"Lỗi: {exc}", file=sys.stderr)
    print("Không có gì được ghi; văn bản và chỉ mục giữ nguyên.", file=sys.stderr)
    return 1


def cmd_ingest(args: argparse.Namespace) -> int:
    # Imported here: assistant.cli imports this module to register the command.
    from assistant.cli import UsageError, _settings

    settings = _settings(args)
    if args.remove is not None:
        if args.file is not None or args.doc is not None or _relations(args) is not None:
            raise UsageError(
                "--remove không dùng cùng TỆP, --doc hay quan hệ hiệu lực: chỉ nêu mã cần gỡ."
            )
        return _remove(args, settings)
    if args.file is None:
        raise UsageError("Thiếu TỆP cần nạp (hoặc --remove MÃ để gỡ văn bản đã nạp).")
    source = Path(args.file)
    if not source.exists():
        raise UsageError(f"Không tìm thấy tệp: {source}.")
    if not source.is_file():
        raise UsageError(f"{source} là thư mục, không phải tệp. Chỉ rõ một tệp văn bản.")
    folders = (settings.documents_dir, settings.official_path)
    known = sorted({p.stem for folder in folders for p in document_files(folder)})
    relations = _relations(args)
    named = [args.doc] + ([] if relations is None else _named(relations))
    for doc_id in (d for d in named if d is not None):
        if doc_id not in known:
            raise UsageError(
                f"Mã văn bản '{doc_id}' không có trong bộ văn bản. Các mã hợp lệ: "
                f"{', '.join(known)}. Văn bản mới không cần --doc: mã được đặt theo loại, số "
                "và năm ở phần đầu văn bản."
            )
    try:
        report = ingest_file(
            source,
            args.doc,
            official_dir=settings.official_path,
            documents_dir=settings.documents_dir,
            index_dir=settings.index_path,
            progress=_show_progress,
            relations=relations,
        )
    except IngestError as exc:
        return _failed(exc)
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False, indent=2))
        print(INDEX_HINT.format(what="văn bản này"), file=sys.stderr)
    else:
        print(format_report(report))
        print(INDEX_HINT.format(what="văn bản này"))
    return 0


def _relations(args: argparse.Namespace) -> Relations | None:
    """The relations given on the command line, or None to keep what the text states."""
    if not (args.replaces or args.replaced_by or args.guides):
        return None
    return Relations(
        replaces=args.replaces, replaced_by=args.replaced_by, guides=tuple(args.guides or ())
    )


def _named(relations: Relations) -> list[str]:
    return [d for d in (relations.replaces, relations.replaced_by, *relations.guides) if d]


def _remove(args: argparse.Namespace, settings) -> int:
    try:
        removal = remove_ingested(
            args.remove,
            official_dir=settings.official_path,
            documents_dir=settings.documents_dir,
            index_dir=settings.index_path,
        )
    except IngestError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        print("Không có gì bị xóa; văn bản và chỉ mục giữ nguyên.", file=sys.stderr)
        return 1
    hint = INDEX_HINT.format(what="lại bản tóm lược")
    if args.json:
        data = {
            "removed": removal.doc_id,
            "path": str(removal.path),
            "digest": removal.digest_name,
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        print(hint, file=sys.stderr)
    else:
        print(format_removal(removal))
        print(hint)
    return 0
