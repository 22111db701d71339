"""What users type, made safe to search and to print back.

- `clean_question` drops terminal escape sequences, control characters and invisible format
  characters (zero-width spaces, BOM, bidirectional controls, lone surrogates). A question
  made only of them is empty, and nothing a user typed can steer a terminal when echoed.
- `terminal_safe` shows any control character left in text bound for a terminal (a file
  name in an error, an LLM's answer) as a visible escape such as `\\x1b`, never raw.
"""

from __future__ import annotations

import re
import unicodedata

# CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-byte ESC sequences, 8-bit CSI.
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|\x9b[0-?]*[ -/]*[@-~]"
)
SPACES = "\t\n\r\x0b\x0c"
# Bidirectional overrides and isolates reorder what a terminal shows.
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def has_surrogates(text: str) -> bool:
    """Whether `text` holds bytes that were not UTF-8 (Python keeps them as lone surrogates)."""
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def clean_question(text: str) -> str:
    """The question without escape sequences, control or invisible characters; whitespace
    controls become spaces."""
    text = ESCAPES.sub(" ", text)
    return "".join(" " if c in SPACES else c for c in text if c in SPACES or not _invisible(c))


def _invisible(c: str) -> bool:
    return unicodedata.category(c) in ("Cc", "Cf", "Cs")


def terminal_safe(text: str) -> str:
    """`text` with control characters (but newlines and tabs), bidirectional controls and lone
    surrogates written as visible escapes."""
    return "".join(_escaped(c) if _unsafe(c) else c for c in text)


def _unsafe(c: str) -> bool:
    if c in "\n\t":
        return False
    return unicodedata.category(c) in ("Cc", "Cs") or c in BIDI


def _escaped(c: str) -> str:
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class SafeStream:
    """A text stream that writes through `terminal_safe`: what the CLI prints can hold a
    user's file name or an LLM's text, and neither may reach the terminal as raw escapes."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


def raw_stream(stream):
    """The stream under a SafeStream (for the progress bar, which draws with \\r)."""
    return getattr(stream, "raw", stream)
