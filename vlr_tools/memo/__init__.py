"""Review memos: the product of a review, in HTML, PDF, DOCX and Markdown, EN and JA.

>>> from vlr_tools.memo import build_memo, render_memo          # doctest: +SKIP
>>> memo = build_memo(ws, review.id, "ja")                        # doctest: +SKIP
>>> render_memo(memo, ("html", "pdf"), "exports/santa-rosa")      # doctest: +SKIP

:func:`build_memo` reads the review into a frozen :class:`Memo` (plain text,
tables and chart specifications); :func:`render_memo` writes it in any of
the four formats. The model is the same for every format, so the formats
never disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..i18n import check_lang
from .compose import Options, compose
from .gather import gather
from .model import (
    Bullets,
    Cell,
    Chart,
    Cover,
    Facts,
    Finding,
    Memo,
    Notice,
    Progress,
    Section,
    Table,
    Text,
)
from .render import FORMATS, RenderResult, memo_bytes, memo_filename, render_memo

__all__ = [
    "FORMATS",
    "Bullets",
    "Cell",
    "Chart",
    "Cover",
    "Facts",
    "Finding",
    "Memo",
    "Notice",
    "Progress",
    "RenderResult",
    "Section",
    "Table",
    "Text",
    "build_memo",
    "export_notebook_report",
    "memo_bytes",
    "memo_filename",
    "render_memo",
]


def build_memo(
    ws: Any,
    review_id: str,
    lang: str = "en",
    *,
    hlpf_year: int | None = None,
    include_personal: bool = False,
    show_reviewer_names: bool | None = None,
    generated: dt.date | None = None,
    response_sheet: str | None = None,
) -> Memo:
    """Build the review memo of ``review_id`` in ``lang`` ("en" or "ja").

    ``hlpf_year`` picks the HLPF in-depth review set coverage is compared
    with (default: the review's setting, else the city's VLR year).
    ``include_personal`` adds consultation participants' personal data; it
    is off by default and should stay off for anything that is shared.
    ``show_reviewer_names`` shows reviewers by name (True) or as "Reviewer 1"
    (False); None follows the review's ``show_reviewer_names`` setting,
    which defaults to True. ``response_sheet`` is the file name of the
    response sheet sent with the memo (see :mod:`vlr_tools.responses`): the
    recommendations section then tells the city to answer in it.
    """
    check_lang(lang)
    review = ws.review(review_id)
    if show_reviewer_names is None:
        settings = dict(getattr(review, "settings", None) or {})
        show_reviewer_names = bool(settings.get("show_reviewer_names", True))
    data = gather(
        ws,
        review_id,
        hlpf_year=hlpf_year,
        include_personal=include_personal,
        lang=lang,
        show_reviewer_names=show_reviewer_names,
    )
    options = Options(
        lang=lang,
        show_reviewer_names=show_reviewer_names,
        include_personal=include_personal,
        generated=generated,
        response_sheet=response_sheet or "",
    )
    return compose(data, options)


def export_notebook_report(ipynb_path: Any, out_html: Any) -> Any:
    """Export a notebook as a clean, offline HTML report (see :mod:`.notebook`)."""
    from .notebook import export_notebook_report as _export

    return _export(ipynb_path, out_html)
