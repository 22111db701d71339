"""The Trường hợp của tôi page: kind of organisation, role and year → who reviews, who rates
and decides, which form, the deadlines and the criteria of each level, each line cited with
its validity; questions to ask next open the chat with the case filled in."""

from __future__ import annotations

import streamlit as st

from assistant.workspaces import build_guide
from assistant.workspaces.cases import FIRST_YEAR, ORGS, ROLES
from ui import widgets
from ui import workspace_view as view

TITLE = "Trường hợp của tôi"
INTRO = (
    "Chọn loại tổ chức đảng, vai trò của bạn và năm của kỳ kiểm điểm: trợ lý nêu ai kiểm điểm, "
    "ai đánh giá, xếp loại và ai quyết định, mẫu nào, thời hạn và tiêu chí của từng mức, mỗi ý "
    "có trích dẫn và hiệu lực. Từ năm 2025 dùng Quy định 366-QĐ/TW và Hướng dẫn 43-HD/BTCTW."
)
ORG, PUBLIC, ROLE, YEAR = (
    "Loại tổ chức đảng",
    "Ở đơn vị sự nghiệp công lập (bệnh viện, trường học…)",
    "Vai trò của bạn",
    "Năm của kỳ kiểm điểm",
)
CHAT = "hoi-dap"


def _index(options: list[str], wanted: str) -> int:
    return options.index(wanted) if wanted in options else 0


def render() -> None:
    st.title(f":material/person_pin: {TITLE}")
    st.caption(INTRO)
    ctx = view.workspace_context()
    orgs, roles = [o.id for o in ORGS], [r.id for r in ROLES]
    org_labels = {o.id: o.label for o in ORGS}
    role_labels = {r.id: r.label for r in ROLES}
    years = [str(y) for y in range(FIRST_YEAR, ctx.today.year + 2)]
    left, right = st.columns(2)
    org = left.selectbox(
        ORG, orgs, index=_index(orgs, view.query("org")), format_func=org_labels.get,
        key="guide-org",
    )  # fmt: skip
    role = right.selectbox(
        ROLE, roles, index=_index(roles, view.query("role")), format_func=role_labels.get,
        key="guide-role",
    )  # fmt: skip
    year = left.selectbox(
        YEAR, years, index=_index(years, view.query("year", str(ctx.today.year))), key="guide-year"
    )
    public = right.checkbox(PUBLIC, value=view.query("public") == "1", key="guide-public")
    guide = view.build(
        lambda p: build_guide(ctx, org, role, year, public_unit=public, progress=p), TITLE
    )
    doc = guide.document
    st.header(view.escape_markdown(doc.title))
    st.caption(view.escape_markdown(doc.subtitle))
    view.downloads(doc, f"truong-hop-{org}-{role}-{year}", "guide")
    view.render_document(ctx, doc)
    st.markdown(f"**{view.phrases.GUIDE_CHAT}**")
    for question in guide.questions:
        if CHAT in widgets.PAGES:
            st.page_link(
                widgets.PAGES[CHAT], label=question, icon=":material/forum:",
                query_params={"q": question},
            )  # fmt: skip
        else:
            st.caption(view.escape_markdown(question))
