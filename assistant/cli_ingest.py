"""`quydinh ingest FILE [--doc ID]`: load an official text and print the report.

Registered by assistant/cli.py through `add_ingest_parser`; like the other commands it parses
input, calls one library function (`knowledge.ingest.ingest_file`) and prints its typed result.
Progress (each page of a scan) goes to stderr.
Exit codes: 0 loaded, 1 bad input (nothing written), 2 bad arguments or a missing file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.ingest import IngestError, Progress, format_report, ingest_file
from knowledge.pack import document_files


def add_ingest_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the `ingest` sub-command."""
    p = subparsers.add_parser(
        "ingest",
        help="nạp văn bản chính thức (PDF, bản quét, ảnh, DOCX, DOC, ODT, HTML, TXT) thay cho "
        "bản tóm lược",
        description=(
            "Đọc văn bản chính thức (bản quét và ảnh chụp được nhận dạng chữ), nhận bố cục "
            "(chương, điều, khoản, điểm, tiết; mục của hướng dẫn), ghi bản chuẩn vào <thư mục "
            "dữ liệu>/official/<mã>.md và in báo cáo so sánh với bản tóm lược. Bản tóm lược "
            "đi kèm không bị sửa."
        ),
    )
    p.add_argument(
        "file",
        metavar="TỆP",
        help="tệp .pdf, .docx, .doc, .odt, .html/.htm, .txt hoặc ảnh .png, .jpg, .tif",
    )
    p.add_argument(
        "--doc",
        metavar="MÃ",
        help="mã văn bản, ví dụ qd-124-2023 (mặc định: nhận từ số hiệu và ngày ở đầu văn bản)",
    )
    p.set_defaults(func=cmd_ingest)


def _show_progress(step: Progress) -> None:
    print(f"… {step.message}", file=sys.stderr, flush=True)


def cmd_ingest(args: argparse.Namespace) -> int:
    # Imported here: assistant.cli imports this module to register the command.
    from assistant.cli import UsageError, _settings

    settings = _settings(args)
    source = Path(args.file)
    if not source.exists():
        raise UsageError(f"Không tìm thấy tệp: {source}.")
    if not source.is_file():
        raise UsageError(f"{source} là thư mục, không phải tệp. Chỉ rõ một tệp văn bản.")
    known = sorted(p.stem for p in document_files(settings.documents_dir))
    if args.doc is not None and args.doc not in known:
        raise UsageError(
            f"Mã văn bản '{args.doc}' không có trong bộ văn bản. Các mã hợp lệ: {', '.join(known)}."
        )
    try:
        report = ingest_file(
            source,
            args.doc,
            official_dir=settings.official_path,
            documents_dir=settings.documents_dir,
            progress=_show_progress,
        )
    except IngestError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        print("Không có gì được ghi; văn bản và chỉ mục giữ nguyên.", file=sys.stderr)
        return 1
    print(format_report(report))
    print("Để tìm kiếm dùng văn bản này, chạy lại: quydinh index")
    return 0
