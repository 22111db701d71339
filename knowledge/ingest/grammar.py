"""The grammar of an official party document: the patterns its lines are recognised by."""

from __future__ import annotations

import re
import unicodedata

from knowledge.ingest.source import clean_line
from knowledge.registry import KINDS

NUMBER_RE = re.compile(
    r"(?:^|\s)Số\s*:?\s*(\d+)\s*[-–]\s*(QĐ|QD|HD|KL|CT)\s*/\s*([A-ZĐƯ]+(?:\s*-\s*[A-ZĐƯ]+)?)"
)
DATE_RE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
# The title word of each kind the registry knows ("QUY ĐỊNH", "KẾT LUẬN"), without spaces.
TITLE_WORDS = {k.title.replace(" ", ""): k.name for k in KINDS}
KIND_WORDS = "|".join(k.name for k in KINDS)
SEPARATOR = re.compile(r"^[\s\-–—_*=.·~]+$")
PREAMBLE_START = re.compile(r"^[-–+]?\s*(Căn cứ|Xét|Thực hiện|Theo đề nghị|Tại (phiên|cuộc) họp)\b")
CLOSING_START = re.compile(r"^(Nơi nhận\s*:|(T/M|K/T|T/L|TM\.|KT\.|TL\.)\s*[A-ZĐ])")
SIGNER_CAPACITY = re.compile(r"(?:^|\s)(T/M|K/T|T/L|TM\.|KT\.|TL\.)\s*[A-ZĐ]")
# Only the document's own clause on its force counts ("Quy định này có hiệu lực …"), not a
# sentence about a disciplinary decision taking effect.
_IN_FORCE = rf"(?:{KIND_WORDS}) này có hiệu lực(?: thi hành)?(?: kể)? từ ngày"
EFFECTIVE_ON_SIGNING = re.compile(_IN_FORCE + r" ký", re.I)
EFFECTIVE_ON_DATE = re.compile(
    _IN_FORCE + r" (?:(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})|(\d{1,2}) tháng (\d{1,2}) năm (\d{4}))",
    re.I,
)

SRC_CHAPTER = re.compile(r"^(?:Chương|CHƯƠNG)\s+([IVXLC]+)\b\s*[.:\-–]?\s*(.*)$")
SRC_ROMAN_PART = re.compile(r"^([IVX]{1,4})\s*[.\-–]\s*(\S.*)$")
SRC_ARTICLE = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d+)\s*(?:[.:]\s*(.*))?$")
SRC_POINT = re.compile(r"^(\d+)\.(\d+)\.?(?:\s+(.*))?$")
SRC_CLAUSE = re.compile(r"^(\d+)\.(?:\s+(.*))?$")
SRC_SUBPOINT = re.compile(r"^([a-zđ])\)\s*(.*)$")
SRC_BULLET = re.compile(r"^[-–—•∙*]\s*(\S.*)$")
TERMINAL = tuple(".;:!?…")


def normalise_number(number: str) -> str:
    """'124 - QD/TW' and '124-QĐ/TW' compare equal."""
    text = clean_line(number).upper().replace(" ", "").replace("–", "-")
    return re.sub(r"-QD/", "-QĐ/", text)


def squash(line: str) -> str:
    return line.replace(" ", "")


def is_title_word(line: str) -> bool:
    return line == line.upper() and squash(line).rstrip(":") in TITLE_WORDS


def mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def sentence_case(text: str) -> str:
    """An all-capitals title in the format's sentence case ("QUY ĐỊNH CHUNG" → "Quy định chung")."""
    if not mostly_upper(text):
        return text
    lowered = text.lower()
    lowered = re.sub(r"\bđiều (\d+)", r"Điều \1", lowered)
    lowered = re.sub(r"\bđảng\b", "Đảng", lowered)
    return lowered[:1].upper() + lowered[1:]


def fold(text: str) -> str:
    """Lower case without diacritics ("Điều" → "dieu"), to compare words whatever the accents."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("Ɖ", "D").replace("ɖ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
