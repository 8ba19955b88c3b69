"""A notebook panel to rate checklist criteria and save each rating to the workspace.

>>> panel = ChecklistPanel(ws, review.id, reviewer="Reviewer A")   # doctest: +SKIP
>>> panel.widget                                                    # doctest: +SKIP

Pick a review and a criterion, read the question, what good looks like and
the pre-check's suggestion (labelled as a suggestion), then rate, cite pages,
comment, recommend, set a priority and press Save: the rating is written to
the workspace at once. Any problem (a page beyond the draft, an unknown
rating, a colleague's change made meanwhile) is shown in the panel, never as
a traceback; nothing typed is lost.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from ..checklist import (
    PRIORITIES,
    RATINGS,
    combined_suggestion,
    get_rating,
    precheck,
    progress_frame,
    rate,
    rating_label,
    review_template,
)
from ..checklist.ratings import priority_label
from ..errors import ConflictError, VlrError
from ..i18n import check_lang, t


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


class ChecklistPanel:
    """Widgets to rate the criteria of a review in workspace ``ws``.

    Attributes: ``review`` and ``criterion`` pickers, ``question`` (HTML with
    the question, what good looks like and the source), ``suggestion`` (HTML)
    and ``use_suggestion`` (button), the inputs ``reviewer``, ``rating``,
    ``pages``, ``comment``, ``recommendation``, ``priority``, the
    ``save_button``, ``messages`` (HTML with the outcome) and ``progress``.
    ``widget`` is the laid-out panel to display.
    """

    def __init__(
        self,
        ws: Any,
        review_id: str | None = None,
        *,
        reviewer: str | None = None,
        lang: str = "en",
        run_prechecks: bool = True,
    ) -> None:
        check_lang(lang)
        self.ws = ws
        self.lang = lang
        self.run_prechecks = run_prechecks
        self._version: int | None = None
        self._suggestions: dict[str, list[Any] | None] = {}
        layout = w.Layout(width="44em")
        style = {"description_width": "10em"}
        reviews = ws.reviews()
        self.review = w.Dropdown(
            description=t("checklist.widget.review", lang),
            options=[(f"{r.label} ({r.id})", r.id) for r in reviews],
            value=review_id
            if review_id in {r.id for r in reviews}
            else (reviews[-1].id if reviews else None),
            layout=layout,
            style=style,
        )
        self.criterion = w.Dropdown(
            description=t("checklist.widget.criterion", lang), layout=layout, style=style
        )
        self.question = w.HTML()
        self.suggestion = w.HTML()
        self.use_suggestion = w.Button(
            description=t("checklist.widget.use_suggestion", lang), disabled=True
        )
        self.reviewer = w.Text(
            description=t("checklist.widget.reviewer", lang),
            value=reviewer or getattr(ws, "reviewer", None) or "",
            layout=layout,
            style=style,
        )
        self.rating = w.Dropdown(
            description=t("checklist.widget.rating", lang),
            options=[(t("checklist.rating.unrated", lang), "")]
            + [(rating_label(r, lang), r) for r in RATINGS],
            value="",
            layout=layout,
            style=style,
        )
        self.pages = w.Text(
            description=t("checklist.widget.pages", lang),
            placeholder=t("checklist.widget.pages_hint", lang),
            layout=layout,
            style=style,
        )
        self.comment = w.Textarea(
            description=t("checklist.widget.comment", lang), layout=layout, style=style
        )
        self.recommendation = w.Textarea(
            description=t("checklist.widget.recommendation", lang), layout=layout, style=style
        )
        self.priority = w.Dropdown(
            description=t("checklist.widget.priority", lang),
            options=[(priority_label(p, lang), p) for p in PRIORITIES],
            value="medium",
            layout=layout,
            style=style,
        )
        self.save_button = w.Button(
            description=t("checklist.widget.save", lang), button_style="primary"
        )
        self.messages = w.HTML()
        self.progress = w.HTML()
        #: Called with the saved rating after each save (e.g. :class:`ChecklistSummary`).
        self.on_saved: list[Any] = []

        self.review.observe(self._on_review, names="value")
        self.criterion.observe(self._on_criterion, names="value")
        self.reviewer.observe(self._on_criterion, names="value")
        self.save_button.on_click(self._on_save)
        self.use_suggestion.on_click(self._on_use_suggestion)

        self.widget = w.VBox(
            [
                self.review,
                self.criterion,
                self.question,
                w.HBox([self.suggestion, self.use_suggestion]),
                self.reviewer,
                self.rating,
                self.pages,
                self.comment,
                self.recommendation,
                self.priority,
                self.save_button,
                self.messages,
                self.progress,
            ]
        )
        if self.review.value is None:
            self._message(t("checklist.widget.no_review", lang), error=True)
        else:
            self._on_review()

    # -- display --------------------------------------------------------------

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook only
        from IPython.display import display

        display(self.widget)

    def _message(self, text: str, *, error: bool = False) -> None:
        colour = "#b00020" if error else "#1a7f37"
        self.messages.value = f'<div style="color:{colour}">{_esc(text)}</div>'

    def _show_progress(self) -> None:
        if self.review.value is None:
            self.progress.value = ""
            return
        frame = progress_frame(self.ws, self.review.value, self.lang)
        total = frame[frame["area"] == "all"].iloc[0]
        self.progress.value = _esc(
            t(
                "checklist.widget.progress",
                self.lang,
                rated=int(total["rated"]),
                total=int(total["criteria"]),
            )
        )

    # -- events ---------------------------------------------------------------

    def _on_review(self, _change: Any = None) -> None:
        rid = self.review.value
        if rid is None:
            return
        try:
            tpl = review_template(self.ws, rid)
        except VlrError as exc:
            self._message(str(exc), error=True)
            return
        current = self.criterion.value
        self.criterion.options = [
            (f"{c.id}  {c.question(self.lang)[:70]}", c.id) for c in tpl.criteria
        ]
        if current in tpl.ids:
            self.criterion.value = current
        elif tpl.ids:
            self.criterion.value = tpl.ids[0]
        self._on_criterion()
        self._show_progress()

    def _suggestions_for_review(self) -> list[Any] | None:
        rid = self.review.value
        if rid in self._suggestions:
            return self._suggestions[rid]
        found: list[Any] | None = None
        if self.run_prechecks:
            try:
                review = self.ws.review(rid)
                found = precheck(self.ws, review.city, review.version, review_id=rid)
            except VlrError as exc:
                # e.g. a review whose draft is not stored yet: say so, offer no suggestion
                self._message(str(exc).splitlines()[0], error=True)
                found = None
        self._suggestions[rid] = found
        return found

    def _on_criterion(self, _change: Any = None) -> None:
        rid, cid = self.review.value, self.criterion.value
        if rid is None or cid is None:
            return
        tpl = review_template(self.ws, rid)
        c = tpl.criterion(cid)
        lang = self.lang
        self.question.value = (
            f"<b>{_esc(c.id)}</b> {_esc(c.question(lang))}<br>"
            f"<i>{_esc(t('checklist.col.good', lang))}:</i> {_esc(c.good(lang))}<br>"
            f"<small>{_esc(t('checklist.col.source', lang))}: {_esc(c.source)}</small>"
        )
        suggestions = self._suggestions_for_review()
        s = combined_suggestion(suggestions or [], cid)
        self._current_suggestion = s
        if s is None:
            self.suggestion.value = f"<i>{_esc(t('checklist.widget.no_suggestion', lang))}</i>"
            self.use_suggestion.disabled = True
        else:
            text = t(
                "checklist.widget.suggestion",
                lang,
                rating=rating_label(s.rating, lang),
                reason=s.reason(lang),
            )
            evidence = ", ".join(s.evidence[:10])
            self.suggestion.value = (
                f"<div><b>[{_esc(t('checklist.suggested', lang))}]</b> {_esc(text)}"
                + (
                    f"<br><small>{_esc(t('checklist.col.evidence', lang))}: {_esc(evidence)}</small>"
                    if evidence
                    else ""
                )
                + "</div>"
            )
            self.use_suggestion.disabled = False
        self._load_rating()

    def _load_rating(self) -> None:
        """Fill the inputs with the current reviewer's stored rating, if any."""
        rid, cid, who = self.review.value, self.criterion.value, self.reviewer.value.strip()
        existing = None
        if rid and cid and who:
            try:
                existing = get_rating(self.ws, rid, cid, who)
            except VlrError:
                existing = None
        if existing is None:
            # 0 = "must not exist yet": a colleague's rating saved meanwhile is not overwritten.
            self._version = 0
            self.rating.value = ""
            self.pages.value = ""
            self.comment.value = ""
            self.recommendation.value = ""
            self.priority.value = "medium"
            self.messages.value = ""
            return
        self._version = existing.version
        self.rating.value = existing.rating if existing.rating in RATINGS else ""
        self.pages.value = ", ".join(str(p) for p in existing.pages)
        self.comment.value = existing.comment
        self.recommendation.value = existing.recommendation
        self.priority.value = existing.priority if existing.priority in PRIORITIES else "medium"
        self._message(t("checklist.widget.existing", self.lang, version=existing.version))

    def _on_use_suggestion(self, _button: Any = None) -> None:
        s = getattr(self, "_current_suggestion", None)
        if s is None:
            return
        self.rating.value = s.rating
        self.pages.value = ", ".join(str(p) for p in s.pages)
        if not self.comment.value.strip():
            self.comment.value = s.reason(self.lang)

    def _on_save(self, _button: Any = None) -> None:
        rid, cid = self.review.value, self.criterion.value
        if rid is None or cid is None:
            self._message(t("checklist.widget.no_review", self.lang), error=True)
            return
        s = getattr(self, "_current_suggestion", None)
        try:
            saved = rate(
                self.ws,
                rid,
                cid,
                self.rating.value,
                pages=self.pages.value,
                comment=self.comment.value,
                recommendation=self.recommendation.value,
                priority=self.priority.value,
                reviewer=self.reviewer.value.strip() or None,
                expected_version=self._version,
                suggested=s.rating if s is not None and s.rating == self.rating.value else None,
            )
        except ConflictError as exc:
            current = exc.current
            data = getattr(current, "data", None) or {}
            self._message(
                t(
                    "checklist.widget.conflict",
                    self.lang,
                    who=getattr(current, "updated_by", "?"),
                    rating=rating_label(str(data.get("rating", "")), self.lang),
                ),
                error=True,
            )
            # Keep what the user typed; remember the stored version so a second save is deliberate.
            self._version = getattr(current, "version", self._version)
            return
        except VlrError as exc:
            self._message(t("checklist.widget.error", self.lang, message=str(exc)), error=True)
            return
        self._version = saved.version
        for callback in list(self.on_saved):
            callback(saved)
        self._message(
            t(
                "checklist.widget.saved",
                self.lang,
                criterion=saved.criterion_id,
                rating=rating_label(saved.rating, self.lang),
                reviewer=saved.reviewer,
            )
        )
        self._show_progress()


class ChecklistSummary:
    """The review's summary charts and tables, redrawn each time a rating is saved.

    >>> summary = ChecklistSummary(ws, review.id, lang="ja", panel=panel)   # doctest: +SKIP

    With ``panel`` (a :class:`ChecklistPanel`) the charts follow its saves;
    :meth:`refresh` redraws them by hand. With nothing rated, the ratings
    chart says so instead of showing an empty axis; tables show empty cells,
    not ``<NA>``, and whole texts.
    """

    def __init__(
        self, ws: Any, review_id: str, *, lang: str = "en", panel: ChecklistPanel | None = None
    ) -> None:
        check_lang(lang)
        self.ws = ws
        self.review_id = review_id
        self.lang = lang
        self.progress_chart = w.Output()
        self.ratings_chart = w.Output()
        self.table = w.HTML()
        self.recommendations = w.HTML()
        self.refreshed = 0
        self.widget = w.VBox(
            [
                w.HTML(f"<h3>{_esc(t('checklist.summary.title', lang))}</h3>"),
                self.progress_chart,
                self.ratings_chart,
                w.HTML(f"<h4>{_esc(t('checklist.summary.recommendations', lang))}</h4>"),
                self.recommendations,
                w.HTML(f"<h4>{_esc(t('checklist.summary.table', lang))}</h4>"),
                self.table,
            ]
        )
        if panel is not None:
            panel.on_saved.append(lambda _saved: self.refresh())
        self.refresh()

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook only
        from IPython.display import display

        display(self.widget)

    def refresh(self) -> None:
        """Redraw both charts and both tables from the workspace."""
        from ..checklist import progress_figure, ratings_figure, summary_frame, top_recommendations
        from .common import show_figure, table_html

        lang = self.lang
        show_figure(progress_figure(self.ws, self.review_id, lang), output=self.progress_chart)
        show_figure(ratings_figure(self.ws, self.review_id, lang), output=self.ratings_chart)
        recs = top_recommendations(self.ws, self.review_id, lang=lang)
        self.recommendations.value = (
            table_html(recs)
            if len(recs)
            else f"<i>{_esc(t('checklist.summary.no_recommendations', lang))}</i>"
        )
        frame = summary_frame(self.ws, self.review_id, lang)
        shown = frame[
            [
                "criterion_id",
                "question",
                "rating_label",
                "status",
                "priority",
                "pages",
                "comment",
                "recommendation",
            ]
        ]
        self.table.value = table_html(shown)
        self.refreshed += 1
