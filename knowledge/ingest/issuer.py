"""Who issued a document, read from its letterhead and its signature block.

The letterhead names the organ ("BAN CHẤP HÀNH TRUNG ƯƠNG", "TỈNH ỦY ĐỒNG NAI", "ĐẢNG BỘ TỈNH
ĐỒNG NAI / BAN TỔ CHỨC TỈNH ỦY"); the signature says on whose behalf it is signed ("T/M BỘ
CHÍNH TRỊ", "T/M BAN THƯỜNG VỤ"). A document signed "T/M" a body is that body's ("Bộ Chính
trị"; "Ban Thường vụ" of the organ in the letterhead); one signed by a head or deputy head
("K/T TRƯỞNG BAN") is the organ's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.ingest.layout import Closing, Header

ON_BEHALF = re.compile(r"^(?:T/M|TM\.)\s*(.+)$")
# Bodies that are named only with the organ they belong to.
PART_OF_ORGAN = ("BAN THƯỜNG VỤ", "BAN CHẤP HÀNH", "THƯỜNG TRỰC")
# "TỈNH ỦY ĐỒNG NAI", "ĐẢNG BỘ TỈNH ĐỒNG NAI", "THÀNH ỦY HÀ NỘI": the place is what follows.
PLACE = re.compile(
    r"^(?:ĐẢNG BỘ\s+)?(?:TỈNH ỦY|THÀNH ỦY|HUYỆN ỦY|QUẬN ỦY|THỊ ỦY|TỈNH|THÀNH PHỐ|HUYỆN|QUẬN)"
    r"\s+(.+)$"
)
# How organ words are written in running text.
CASED = (
    ("ban chấp hành trung ương", "Ban Chấp hành Trung ương"),
    ("bộ chính trị", "Bộ Chính trị"),
    ("ban bí thư", "Ban Bí thư"),
    ("ban thường vụ", "Ban Thường vụ"),
    ("ban chấp hành", "Ban Chấp hành"),
    ("ban tổ chức", "Ban Tổ chức"),
    ("ban tuyên giáo", "Ban Tuyên giáo"),
    ("ban dân vận", "Ban Dân vận"),
    ("ban nội chính", "Ban Nội chính"),
    ("ủy ban kiểm tra", "Ủy ban Kiểm tra"),
    ("văn phòng", "Văn phòng"),
    ("thường trực", "Thường trực"),
    ("trung ương", "Trung ương"),
    ("tỉnh ủy", "Tỉnh ủy"),
    ("thành ủy", "Thành ủy"),
    ("huyện ủy", "Huyện ủy"),
    ("quận ủy", "Quận ủy"),
    ("thị ủy", "Thị ủy"),
    ("đảng ủy", "Đảng ủy"),
    ("đảng bộ", "Đảng bộ"),
)


@dataclass(frozen=True)
class Issuer:
    """The issuing body as running text names it, and its place when it is local."""

    name: str  # "Ban Tổ chức Tỉnh ủy Đồng Nai", "Bộ Chính trị"
    place: str | None  # "Đồng Nai"; None for a central organ


def place_name(text: str) -> str:
    """ "ĐỒNG NAI" → "Đồng Nai"."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())


def organ_name(text: str) -> str:
    """An organ in running-text case: "BAN TỔ CHỨC TỈNH ỦY" → "Ban Tổ chức Tỉnh ủy"; a name
    the table does not know keeps capitals on its first two words ("Ban Thử nghiệm")."""
    lowered = " ".join(text.lower().split())
    out, rest, local = [], lowered, False
    while rest:
        for words, cased in CASED:
            if rest == words or rest.startswith(words + " "):
                out.append(cased)
                rest = rest[len(words) :].strip()
                local = local or cased.endswith(" ủy")
                break
        else:
            word, _, rest = rest.partition(" ")
            # After "Tỉnh ủy" comes a place ("Đồng Nai"); the first two words of an organ
            # the table does not know ("Ban Thử nghiệm") are capitalised.
            out.append(word[:1].upper() + word[1:] if local or len(out) < 2 else word)
    return " ".join(out)


def issuer_place(header: Header) -> str | None:
    """The place of a local issuer: its letterhead ("TỈNH ỦY ĐỒNG NAI"), else its date line."""
    for line in header.organs:
        if m := PLACE.match(line):
            return place_name(m.group(1))
    return header.place


def read_issuer(header: Header, closing: Closing, central: bool) -> Issuer:
    """The issuer of a document from its letterhead and signature.

    Args:
        header: the letterhead's organ lines and the date line's place.
        closing: the signature block's capacity lines.
        central: the number is a central one ("…/TW"): no place in the name.
    """
    organs = [line for line in header.organs if line != "BAN CHẤP HÀNH TRUNG ƯƠNG"] or list(
        header.organs
    )
    organ = organs[-1] if organs else None
    place = None if central else issuer_place(header)
    body = next((m.group(1).strip() for c in closing.capacity if (m := ON_BEHALF.match(c))), None)
    if body and not body.startswith(PART_OF_ORGAN):
        name = organ_name(body)
    elif body and organ:
        name = f"{organ_name(body)} {organ_name(organ)}"
    elif organ:
        name = organ_name(organ)
    else:
        name = "Chưa rõ cơ quan ban hành (không thấy ở phần đầu và phần ký)"
    if place and place.lower() not in name.lower() and organ:
        name = f"{name} {place}"
    under_centre = "BAN CHẤP HÀNH TRUNG ƯƠNG" in header.organs[:-1]
    if central and not body and under_centre and not name.endswith("Trung ương"):
        name = f"{name} Trung ương"  # "BAN TỔ CHỨC" under the central committee
    return Issuer(name, place)
