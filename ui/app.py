"""Trợ lý Quy định — the Streamlit app (`streamlit run ui/app.py`).

Pages: Hỏi đáp (chat), Văn bản (browse the documents), the workspaces (ui/workspace_pages.py:
Bản tin, Bài giảng, So sánh, Trường hợp của tôi) and Đo lường (the latest evaluation). A deep
link `?page=van-ban&doc=<id>&p=<provision id>` (or just `?doc=…&p=…`) opens the Văn bản page at
one provision; `?page=hoi-dap&q=<question>` asks a question.
"""

from __future__ import annotations

import streamlit as st

from assistant.prompts import UI
from ui import browse_page, chat_page, eval_page, upload_page, widgets, workspace_pages

CHAT, BROWSE, EVAL = "hoi-dap", widgets.BROWSE_SLUG, "do-luong"

st.set_page_config(page_title=UI.APP_TITLE, page_icon=widgets.ICON, layout="centered")
widgets.style()

# The page a deep link asks for is the one served at the app's root for this run.
requested = st.query_params.get("page")
if requested not in (CHAT, BROWSE, EVAL, *workspace_pages.SLUGS):
    requested = BROWSE if ("doc" in st.query_params or "p" in st.query_params) else CHAT

pages = [
    st.Page(render, title=title, icon=icon, url_path=slug, default=slug == requested)
    for render, title, icon, slug in (
        (chat_page.render, UI.PAGE_CHAT, ":material/forum:", CHAT),
        (browse_page.render, UI.PAGE_BROWSE, ":material/menu_book:", BROWSE),
        *workspace_pages.PAGES,
        (eval_page.render, UI.PAGE_EVAL, ":material/monitoring:", EVAL),
    )
]
widgets.PAGES.update(zip((CHAT, BROWSE, *workspace_pages.SLUGS, EVAL), pages, strict=True))
pages.append(st.Page(upload_page.render, **upload_page.PAGE))

st.navigation(pages).run()
