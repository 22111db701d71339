"""The four workspace pages, registered by ui/app.py like the other pages."""

from __future__ import annotations

from assistant.workspaces.intent import BRIEF, COMPARE, GUIDE, LESSON
from ui import workspace_brief, workspace_compare, workspace_guide, workspace_lesson

# (render, title, icon, url path), in the order of the navigation.
PAGES = (
    (workspace_brief.render, workspace_brief.TITLE, ":material/newspaper:", BRIEF),
    (workspace_lesson.render, workspace_lesson.TITLE, ":material/school:", LESSON),
    (workspace_compare.render, workspace_compare.TITLE, ":material/compare_arrows:", COMPARE),
    (workspace_guide.render, workspace_guide.TITLE, ":material/person_pin:", GUIDE),
)
SLUGS = tuple(p[3] for p in PAGES)
