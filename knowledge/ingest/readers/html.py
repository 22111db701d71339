"""HTML pages (saved web pages of the published text) through BeautifulSoup."""

from __future__ import annotations

from pathlib import Path

from knowledge.ingest.readers.base import Reader
from knowledge.ingest.source import ZIP_MAGIC, ReadContext, SourceText, clean_lines, wrong_content

_HTML_BLOCKS = (
    "p div br li tr td th h1 h2 h3 h4 h5 h6 table section article header footer "
    "blockquote pre ul ol dd dt"
).split()


def _read_html(path: Path, data: bytes, context: ReadContext) -> SourceText:
    from bs4 import BeautifulSoup

    if b"\x00" in data[:4096] or data.lstrip()[:5] == b"%PDF-" or data.startswith(ZIP_MAGIC):
        raise wrong_content(path, data, "HTML")
    try:
        markup: str | bytes = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = data  # let BeautifulSoup use the declared charset
    soup = BeautifulSoup(markup, "html.parser")
    if soup.find() is None:
        raise wrong_content(path, data, "HTML")
    for tag in soup(["script", "style", "noscript", "template", "head", "title"]):
        tag.decompose()
    # Inline tags (<b>Điều 5.</b> Đối tượng) stay on one line; block tags end a line.
    for tag in soup.find_all(_HTML_BLOCKS):
        tag.insert_before("\n")
        tag.append("\n")
    return SourceText(path, "html", clean_lines(soup.get_text().splitlines()), wrapped=False)


READER = Reader("html", "HTML", (".html", ".htm"), (), _read_html)
