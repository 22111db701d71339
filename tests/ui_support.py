"""Helpers for the Streamlit tests (AppTest) and the untrusted-text checks shared by the UI and
export tests."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
TIMEOUT = 180

# Markup a document, an LLM or a user could send, each piece of which a renderer could turn
# into something live: a tag that loads or runs something, a link, an image, an autolink.
PAYLOAD = (
    'Xem thêm <img src=x onerror=alert(1)> <iframe src="http://beacon.invalid/f"></iframe> '
    "<script>alert(2)</script> [bấm vào đây](javascript:alert(3)) "
    "![](http://beacon.invalid/p.png) www.beacon.invalid <http://beacon.invalid/a> "
    "*đậm* `mã`"
)
# The payload's words, as a reader must still see them (text is text, not dropped).
PAYLOAD_WORDS = ("<img src=x onerror=alert(1)>", "<script>alert(2)</script>", "javascript:alert(3)")
LIVE_TAGS = re.compile(
    r"<(img|iframe|script|style|object|embed|svg|video|audio|form|input|link|meta|base)\b", re.I
)
# What a GitHub-flavoured renderer (Streamlit's included) links by itself.
AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|javascript)://|\bwww\.|[\w.+-]+@[\w-]+\.[a-z]{2,}")
# Links the project builds: deep links into the app, and public sources (never the payload's).
ALLOWED_LINK = re.compile(r"^(?:\?page=[a-z-]+&|https?://(?!beacon\.invalid))")
PROJECT_LINK = re.compile(r"\]\((\?page=[^)\s]+|https?://[^)\s]+)\)")
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)

MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
MARKDOWN.validateLink = lambda url: True  # so that a javascript: link is seen, not dropped


def run_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def assistant_messages(at: AppTest):
    return [m for m in at.chat_message if m.name == "assistant"]


def unescaped(text: str) -> str:
    """Markdown source as a reader sees it (escapes removed): for assertions on wording."""
    return re.sub(r"\\(.)", r"\1", text)


def live_in_markdown(source: str) -> list[str]:
    """What in a Markdown source would be live once rendered: HTML that loads or runs
    something, a link the project did not build, or an address a GFM renderer would link by
    itself (Streamlit's Markdown does). An empty list means: text only."""
    found = [f"<{m.group(1)}" for m in LIVE_TAGS.finditer(MARKDOWN.render(source))]
    for href in re.findall(r'<a href="([^"]*)"', MARKDOWN.render(source)):
        if not ALLOWED_LINK.match(href.replace("&amp;", "&")):
            found.append(f"link {href}")
    for token in MARKDOWN.parse(source):
        for child in token.children or []:
            if child.type == "image":
                found.append(f"image {child.attrs.get('src')}")
    # Autolinks are a GFM extension CommonMark parsers do not know: look at the source, with
    # code spans and the project's own link targets taken out.
    rest = PROJECT_LINK.sub("]()", CODE_SPAN.sub("", source))
    found += [f"autolink {m.group(0)}" for m in AUTOLINK.finditer(rest)]
    return found


def markdown_sources(at: AppTest) -> list[str]:
    """Every piece of Markdown the page renders: text, captions, alerts, headings, and the
    labels of expanders, buttons and downloads (Streamlit renders those as Markdown too)."""
    sources: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title"):
        sources += [e.value for e in at.get(kind)]
    sources += [e.value for e in at.header] + [e.value for e in at.subheader]
    sources += [e.label for e in at.expander] + [b.label for b in at.button]
    sources += [d.proto.label for d in at.get("download_button")]
    return [s for s in sources if isinstance(s, str)]


def page_is_text_only(at: AppTest) -> list[str]:
    """Everything live on an AppTest page (see `live_in_markdown`), plus any Markdown element
    allowed to hold raw HTML and any HTML element but the app's own stylesheet."""
    found = [f"{s[:60]!r}: {p}" for s in markdown_sources(at) for p in live_in_markdown(s)]
    found += [f"allow_html: {m.value[:60]!r}" for m in at.markdown if m.proto.allow_html]
    for html in at.get("html"):
        body = html.proto.body
        if not body.lstrip().startswith("<style"):
            found.append(f"html: {body[:60]!r}")
    return found
