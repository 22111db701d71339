"""The workspaces: Bản tin (briefing), Bài giảng (lesson kit: outline and quiz), So sánh
(comparison) and Trường hợp của tôi (my case). Each builds a `CitedDocument` from the pack, the
old→new map and the typed spans, every statement cited to the provision its words come from.
"""

from assistant.workspaces.base import Context, WorkspaceError, context
from assistant.workspaces.brief import build_brief
from assistant.workspaces.compare import build_comparison
from assistant.workspaces.guide import build_guide
from assistant.workspaces.lesson import build_lesson
from assistant.workspaces.quiz import build_quiz

__all__ = [
    "Context",
    "WorkspaceError",
    "build_brief",
    "build_comparison",
    "build_guide",
    "build_lesson",
    "build_quiz",
    "context",
]
