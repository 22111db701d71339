"""Untrusted text is rendered as text (issue 12, item 4): Markdown and HTML in an official
text's provisions, in an LLM's answer and in what a user types never become live links,
images or HTML, neither on the pages (AppTest) nor in any export (Markdown, Word, PDF). The
words stay, shown literally."""

from __future__ import annotations

import html
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from pypdf import PdfReader
from ui_support import (
    ALLOWED_LINK,
    MARKDOWN,
    PAYLOAD,
    PAYLOAD_WORDS,
    ask,
    assistant_messages,
    live_in_markdown,
    page_is_text_only,
    run_app,
    texts,
    unescaped,
)

from assistant import prompts, runtime
from assistant.export import conversation_document, to_docx, to_markdown, to_pdf
from assistant.settings import Settings
from knowledge.pack import SHIPPED_DOCUMENTS

pytestmark = pytest.mark.slow

QUESTION = "Quy định 125 áp dụng cho ai?"
LLM_WORDS = "Mô hình còn viết thêm:"
LLM_REPLY = f"Quy định áp dụng cho đảng bộ cơ sở và chi bộ cơ sở [1]. {LLM_WORDS} {PAYLOAD}"
TYPED = f"{QUESTION} {PAYLOAD}"


@pytest.fixture(scope="module")
def payload_dirs(pack_retriever, tmp_path_factory) -> dict[str, str]:
    """The shipped documents, with QĐ 125 turned into an official text whose Mục I carries the
    payload; and a data folder seeded with the session's index (only Mục I is re-embedded)."""
    root = tmp_path_factory.mktemp("payload")
    documents = root / "documents"
    shutil.copytree(SHIPPED_DOCUMENTS, documents)
    path = documents / "qd-125-2023.md"
    text = path.read_text(encoding="utf-8")
    line = (
        "- Quy định áp dụng cho đảng bộ cơ sở và chi bộ cơ sở trong các đơn vị sự nghiệp công lập."
    )
    assert line in text and "text: digest" in text
    text = text.replace("text: digest", "text: official", 1).replace(line, f"{line} {PAYLOAD}")
    path.write_text(text, encoding="utf-8")
    data = root / "data"
    shutil.copytree(Path(pack_retriever.settings.data_dir) / "index", data / "index")
    return {"QUYDINH_DATA_DIR": str(data), "QUYDINH_DOCUMENTS_DIR": str(documents)}


@pytest.fixture(autouse=True)
def _payload_env(payload_dirs, monkeypatch):
    for key, value in payload_dirs.items():
        monkeypatch.setenv(key, value)


def _fake_llm(monkeypatch) -> None:
    monkeypatch.setenv("QUYDINH_ENGINE", "llm")
    monkeypatch.setattr(
        "assistant.answering.make_chat_model",
        lambda settings: GenericFakeChatModel(messages=iter([AIMessage(content=LLM_REPLY)])),
    )


def _shown(elements) -> str:
    return "\n".join(unescaped(t) for t in texts(elements))


# --- the pages --------------------------------------------------------------------------------


def test_an_official_texts_markup_is_shown_as_text_in_the_answer_and_its_citation():
    at = ask(run_app(), QUESTION)
    [message] = assistant_messages(at)
    assert page_is_text_only(at) == []
    lead = _shown(message.markdown)
    assert all(word in lead for word in PAYLOAD_WORDS), lead
    # The trust line says where the words come from: the official text.
    assert message.expander[0].label.startswith(":material/verified_user: Văn bản chính thức")
    cited = message.expander[1]
    assert any(PAYLOAD_WORDS[0] in unescaped(i.value) for i in cited.info)


def test_an_official_texts_markup_is_text_in_the_tree_the_search_and_the_print_view():
    at = run_app(page="van-ban", doc="qd-125-2023")
    assert page_is_text_only(at) == []
    assert PAYLOAD_WORDS[1] in _shown(at.markdown)
    at.text_input(key="browse-search").set_value("xem them onerror").run()
    assert page_is_text_only(at) == []
    assert any("onerror" in m and "Mục I" in m for m in [_shown(at.markdown)])
    printed = run_app(page="van-ban", doc="qd-125-2023", print="1")
    assert page_is_text_only(printed) == []
    assert PAYLOAD_WORDS[2] in _shown(printed.markdown)


def test_an_llm_answers_markup_is_shown_as_text(monkeypatch):
    _fake_llm(monkeypatch)
    at = ask(run_app(), QUESTION)
    [message] = assistant_messages(at)
    assert page_is_text_only(at) == []
    lead = _shown(message.markdown)
    # The supported sentence stays; the one carrying the markup has no support and is dropped
    # (assistant/claims.py), with a notice: what is left is rendered as text.
    assert "Quy định áp dụng cho đảng bộ cơ sở và chi bộ cơ sở [1]" in lead
    assert LLM_WORDS not in lead and "onerror" not in lead
    notices = _shown(message.caption)
    assert prompts.LLM_MARKUP in notices or "Đã bỏ 1 câu" in notices, notices
    technical = next(e for e in message.expander if e.label == "Chi tiết kỹ thuật")
    assert "soạn bởi mô hình ngôn ngữ" in _shown(technical.caption)


def test_what_a_user_types_is_shown_as_text():
    at = ask(run_app(), TYPED)
    [user] = [m for m in at.chat_message if m.name == "user"]
    assert unescaped(user.markdown[0].value) == TYPED
    assert page_is_text_only(at) == []


# --- every export -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def payload_document(payload_dirs):
    """One conversation holding all three: the official text's markup, the LLM's (its
    unsupported sentence dropped by the claim check) and the user's."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in payload_dirs.items():
            patch.setenv(key, value)
        assistant = runtime.get_assistant(Settings())
    fake = GenericFakeChatModel(messages=iter([AIMessage(content=LLM_REPLY)]))
    answers = [
        assistant.answer(QUESTION),
        assistant.answer(QUESTION, engine="llm", chat_model=fake),
        assistant.answer(TYPED),
    ]
    assert answers[1].engine == "llm"
    return conversation_document(answers, assistant.pack)


def test_the_markdown_export_keeps_markup_as_text(payload_document):
    text = to_markdown(payload_document)
    assert live_in_markdown(text) == []
    rendered = MARKDOWN.render(text)
    for word in PAYLOAD_WORDS:
        assert html.escape(word, quote=False) in rendered, word
    assert LLM_WORDS not in text  # the LLM's unsupported sentence never reaches an export


def test_the_word_export_has_no_link_picture_or_field_but_the_sources(payload_document, tmp_path):
    path = to_docx(payload_document, tmp_path / "hoi-dap.docx")
    with zipfile.ZipFile(path) as docx:
        names = docx.namelist()
        body = docx.read("word/document.xml").decode()
        rels = docx.read("word/_rels/document.xml.rels").decode()
    assert not [n for n in names if n.startswith("word/media/") or "embeddings" in n]
    assert "<w:fldSimple" not in body and "<w:instrText" not in body
    assert "<w:drawing" not in body and "<w:object" not in body
    targets = re.findall(r'Type="[^"]*/hyperlink" Target="([^"]*)"', rels)
    assert targets and all(ALLOWED_LINK.match(html.unescape(t)) for t in targets)
    plain = html.unescape(re.sub(r"<[^>]+>", "", body))
    for word in PAYLOAD_WORDS:
        assert word in plain, word
    assert LLM_WORDS not in plain


def test_the_pdf_export_has_no_link_or_script_but_the_sources(payload_document, tmp_path):
    path = to_pdf(payload_document, tmp_path / "hoi-dap.pdf")
    raw = path.read_bytes()
    assert b"/JavaScript" not in raw and b"/JS " not in raw and b"/Launch" not in raw
    reader = PdfReader(path)
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            uris.append(str(action.get("/URI", "")))
    assert uris and all(ALLOWED_LINK.match(u) for u in uris), uris
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for word in ("onerror=alert(1)", "<script>alert(2)</script>"):
        assert word in text, word
    assert LLM_WORDS not in text
