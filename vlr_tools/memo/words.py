"""The fixed words every memo renderer places around the model's content.

Kept apart from :mod:`.html` so that the Markdown and DOCX renderers do not
load the HTML template engine.
"""

from __future__ import annotations

from ..i18n import t


def labels(lang: str) -> dict[str, str]:
    """Fixed words the renderers place around the model's content."""
    keys = (
        "contents",
        "evidence",
        "priority",
        "comment",
        "recommendation",
        "note",
        "data_table",
        "chart_missing",
        "colophon",
        "sep",
        "table",
    )
    return {k: t(f"memo.label.{k}", lang) for k in keys}


def comment_label(who: str, lang: str) -> str:
    """ "Comment" or "Comment by Reviewer A": the label before a reviewer's comment."""
    return t("memo.label.comment_by", lang, who=who) if who else t("memo.label.comment", lang)
