"""Untrusted text as text: provision text, official texts, LLM output and user input never
become live links, images or HTML, in the UI or in an export.

Two escapers, because their readers differ:
- `escape_markdown` (strict) is for Streamlit, whose Markdown also reads `:material/…:`
  icons, `:red[…]` colours and `$…$` LaTeX: it escapes every character that can start
  markup. The backslashes never show, since Streamlit renders the Markdown.
- `markdown_text` (minimal) is for an exported .md file, which people also read raw: it
  escapes only what would become markup there, so "áp dụng cho: (30/08/2025)" stays as
  written. Bare addresses go into code spans, where no renderer turns them into links.

Links appear only where the project builds them, through `safe_url`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

# CommonMark lets any ASCII punctuation be escaped with a backslash. These are the ones that
# start markup in Streamlit's Markdown (links, emphasis, code, HTML, tables, LaTeX, colours,
# e-mail autolinks).
MARKUP = re.compile(r"([\\`*_{}\[\]()<>#|~$&!:@])")
# A line opening with "-", "+", "=" or "1." would start a list or a heading underline.
LIST_MARK = re.compile(r"^(\s*)([-+=]|\d+\.)", re.MULTILINE)
# GitHub-flavoured Markdown links a bare "www." address by itself.
WWW = re.compile(r"(?i)\b(www)\.")
BULLET = re.compile(r"^\s*[-•]\s+")
INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

# --- exported Markdown ---------------------------------------------------------------------

# Addresses a GFM renderer would link by itself: URLs, "www." names and e-mail addresses.
ADDRESS = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]{1,15}://|www\.)[^\s<>]*[^\s<>.,;:!?'\")\]]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
# Inline markup: code, emphasis, strike-through, a tag or autolink, an entity, a backslash
# that would escape what follows, and the ends of link text ("](", "][", "]:").
INLINE = re.compile(
    r"[`*~]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?])|&(?=#?\w+;)"
    r"|\\(?=[!-/:-@\[-`{-~])|\](?=[(\[:])"
)
# What opens a block at the start of a line: a heading, a quote, a list item, a reference
# definition, a thematic break or heading underline.
BLOCK_START = re.compile(
    r"^(#{1,6}(?=\s|$)|>|[+*-](?=\s|$)|\d{1,9}(?=[.)](?:\s|$))|\[|=+\s*$|-{3,}\s*$)"
)


def escape_markdown(text: str) -> str:
    """Text shown literally when Streamlit renders it as Markdown: no links, HTML, emphasis,
    lists, icons or formulas."""
    text = WWW.sub(r"\1\\.", MARKUP.sub(r"\\\1", text))
    return LIST_MARK.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", text)


def safe_markdown_block(text: str) -> str:
    """Several lines of untrusted text (a provision's own text, an LLM answer) as Streamlit
    Markdown: each line a paragraph and each "- " line a list item, every word escaped."""
    return _block(text, escape_markdown)


def markdown_text(text: str) -> str:
    """One line of untrusted text for an exported .md file: the fewest escapes that keep it
    from becoming markup; addresses shown as code, never as links."""
    text = " ".join(text.split())
    out, last = [], 0
    for m in ADDRESS.finditer(text):
        out.append(_inline(text[last : m.start()]))
        out.append(code_span(m.group(0)))
        last = m.end()
    out.append(_inline(text[last:]))
    line = "".join(out).strip()
    start = BLOCK_START.match(line)
    if start and not line.startswith("`"):
        # "1. …" (an ordered list would renumber), "# …", "> …", "- …", "[x]: …".
        cut = start.end() if start.group(0)[:1].isdigit() else 0
        line = f"{line[:cut]}\\{line[cut:]}"
    return line


def markdown_block(text: str) -> str:
    """Several lines of untrusted text for an exported .md file (see `markdown_text`)."""
    return _block(text, markdown_text)


def printable(text: str) -> str:
    """`text` without the characters XML (DOCX) and PDF text cannot hold: control characters
    other than tab and newline, lone surrogates, U+FFFE and U+FFFF."""
    return INVALID.sub("", text)


def code_span(text: str) -> str:
    """`text` as an inline code span, fenced by more backticks than it holds."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _inline(text: str) -> str:
    return INLINE.sub(lambda m: "\\" + m.group(0), text)


def _block(text: str, escape) -> str:
    blocks: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        bullet = BULLET.match(line)
        if bullet:
            item = f"- {escape(line[bullet.end() :])}"
            if blocks and blocks[-1].startswith("- "):
                blocks[-1] += "\n" + item
            else:
                blocks.append(item)
        else:
            blocks.append(escape(line))
    return "\n\n".join(blocks)


# --- links the project builds --------------------------------------------------------------


def safe_url(url: str) -> str | None:
    """A public source's address fit for a link: http(s) only, with the characters that could
    end a Markdown link or break out of an attribute percent-encoded; None otherwise."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe="/:?#[]@!$&'*+,;=%~.-_")


def site_name(url: str) -> str:
    """ "thanhnien.vn" for a link to a page on it."""
    host = urlsplit(url).netloc.rsplit("@", 1)[-1].split(":")[0].lower()
    return host.removeprefix("www.").removeprefix("amp.") or url
