"""A notebook panel listing the figures to check, with the draft's page beside each one.

>>> panel = FiguresPanel(ws, review.id, lang="en")   # doctest: +SKIP
>>> panel                                             # doctest: +SKIP

The panel runs the figure checks (:func:`vlr_tools.claims.read_claims`) on
the review's stored draft and indicator table and lists the suggestions.
Picking one shows both sides (the draft's words and page, the table's value
and row, why) and jumps to the draft's page with the sentence highlighted.
*Confirm* and *Dismiss* (with the reason, which is required) save the
decision at once; a sentence that could be about two indicators gets a
picker to say which. Every problem shows as a message in the panel. All
text from the draft and from reviewers is HTML-escaped.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from .._shared import clip
from ..claims import decide_claim, link_claim, read_claims
from ..claims.model import SUGGESTED, WHICH_INDICATOR, ClaimCheck, ClaimsReport
from ..errors import VlrError
from ..i18n import check_lang, t

CARD_CSS = """
.vlr-fig{font-family:sans-serif;font-size:13px;border-left:4px solid #b26a00;padding:6px 10px;
 background:#fffaf2;max-width:52em}
.vlr-fig .vlr-fig-k{font-weight:600;color:#444;margin-top:4px}
.vlr-fig .vlr-fig-v{margin:0 0 2px 0;line-height:1.4}
.vlr-fig q{font-style:italic}
.vlr-fig-meta{color:#666;font-size:12px}
.vlr-msg-ok{color:#1b5e20}.vlr-msg-error{color:#b71c1c}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def check_label(check: ClaimCheck, lang: str) -> str:
    """One line for the list: "F0d8ec0 · p. 14 · Value differs from the table · 88 percent"."""
    pages = ", ".join(str(p) for p in check.pages)
    status = "" if check.status == SUGGESTED else f" [{t(f'claims.status.{check.status}', lang)}]"
    return (
        f"{check.id} · {t('claims.where.pages', lang, pages=pages)} · "
        f"{t(f'claims.kind.{check.kind}', lang)} · {clip(' '.join(check.quote.split()), 50)}{status}"
    )


def check_card_html(check: ClaimCheck, lang: str) -> str:
    """Both sides of one suggestion as HTML (escaped): the draft's words, the table's row, why."""
    rows = [
        (t("claims.col.kind", lang), t(f"claims.kind.{check.kind}", lang)),
        (
            t("claims.col.draft", lang),
            f"<q>{_esc(check.quote)}</q> <span class='vlr-fig-meta'>"
            f"{_esc(t('claims.where.pages', lang, pages=', '.join(str(p) for p in check.pages)))}"
            f" · {_esc(check.ref)}</span>",
        ),
    ]
    if check.indicator or (check.table and check.table != "—"):
        table = f"{check.indicator} {check.indicator_name}".strip()
        if check.table and check.table != "—":
            table = f"{table}: {check.table}" if table else check.table
        side = _esc(table)
        if check.table_where:
            side += f" <span class='vlr-fig-meta'>({_esc(check.table_where)})</span>"
        rows.append((t("claims.col.table", lang), side))
    rows.append((t("claims.col.reason", lang), _esc(check.reason(lang))))
    if check.link:
        rows.append(
            (t("claims.col.link", lang), f"<span class='vlr-fig-meta'>{_esc(check.link)}</span>")
        )
    if check.status != SUGGESTED:
        who = f" · {check.decided_by}" if check.decided_by else ""
        rows.append(
            (t("claims.col.status", lang), _esc(t(f"claims.status.{check.status}", lang) + who))
        )
    if check.note:
        rows.append((t("claims.col.note", lang), _esc(check.note)))
    # Plain blocks, not a <dl>: notebook and Voila style sheets lay definition lists out
    # in columns of their own.
    body = "".join(
        f"<div class='vlr-fig-k'>{_esc(k)}</div><div class='vlr-fig-v'>{v}</div>" for k, v in rows
    )
    return f"<div class='vlr-fig'>{body}</div>"


class FiguresPanel:
    """The figures to check of review ``review_id``, with the page of each (see the module docs).

    Attributes (for notebooks and tests): ``report`` (the last
    :class:`~vlr_tools.claims.ClaimsReport`), ``picker`` (the list),
    ``show_all`` (include decided ones), ``detail`` (both sides),
    ``page_view`` (the draft's page), ``note``, ``confirm_button``,
    ``dismiss_button``, ``indicator`` and ``link_button`` (for a sentence
    that could be about two indicators), ``message``; ``widget`` is the
    laid-out panel.
    """

    def __init__(
        self,
        ws: Any,
        review_id: str,
        *,
        reviewer: str | None = None,
        lang: str = "en",
        show_all: bool = False,
    ) -> None:
        from ..review import open_review

        check_lang(lang)
        self.ws = ws
        self.review_id = review_id
        self.reviewer = reviewer
        self.lang = lang
        self.rv = open_review(ws, review_id)
        self.report: ClaimsReport = read_claims(self.rv, save=True, reviewer=reviewer)
        style = {"description_width": "9em"}
        self.picker = w.Select(
            options=[],
            description=t("claims.widget.pick", lang),
            rows=8,
            layout=w.Layout(width="60em"),
            style=style,
        )
        self.show_all = w.Checkbox(value=show_all, description=t("claims.widget.all", lang))
        self.summary = w.HTML()
        self.detail = w.HTML()
        self.page_view = w.HTML()
        self.note = w.Textarea(
            description=t("claims.widget.note", lang),
            layout=w.Layout(width="46em", height="4em"),
            style=style,
        )
        self.confirm_button = w.Button(
            description=t("claims.widget.confirm", lang), button_style="primary", icon="check"
        )
        self.dismiss_button = w.Button(description=t("claims.widget.dismiss", lang), icon="times")
        self.indicator = w.Dropdown(
            options=[], description=t("claims.widget.choose", lang), style=style
        )
        self.link_button = w.Button(description=t("claims.widget.link", lang), icon="link")
        self.message = w.HTML()
        self.picker.observe(lambda _c: self.show(), names="value")
        self.show_all.observe(lambda _c: self.refresh(), names="value")
        self.confirm_button.on_click(lambda _b: self.decide("confirmed"))
        self.dismiss_button.on_click(lambda _b: self.decide("dismissed"))
        self.link_button.on_click(lambda _b: self.link())
        self.decision_box = w.VBox([self.note, w.HBox([self.confirm_button, self.dismiss_button])])
        self.link_box = w.HBox([self.indicator, self.link_button])
        title = t("claims.widget.title", lang)
        self.widget = w.VBox(
            [
                w.HTML(
                    f"<style>{CARD_CSS}</style><b>{_esc(title)}</b> · {_esc(self.rv.city_name)} "
                    f"{_esc(self.rv.version)}<br><span class='vlr-fig-meta'>"
                    f"{_esc(t('claims.widget.intro', lang))}</span>"
                ),
                self.summary,
                w.HBox([self.picker, self.show_all]),
                self.detail,
                self.decision_box,
                self.link_box,
                self.message,
                self.page_view,
            ]
        )
        self.refresh()

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)

    # -- the list ----------------------------------------------------------------------

    @property
    def checks(self) -> list[ClaimCheck]:
        """The suggestions listed (undecided ones, or all with ``show_all``)."""
        return [c for c in self.report.checks if self.show_all.value or c.status == SUGGESTED]

    def refresh(self, keep: str | None = None) -> None:
        """Redraw the list; keep ``keep`` (a check id) selected when it is still listed."""
        lang = self.lang
        checks = self.checks
        notes = "".join(
            f"<br><i>{_esc(n.partition(chr(10))[2] if lang == 'ja' else n.partition(chr(10))[0])}</i>"
            for n in self.report.notes
        )
        self.summary.value = (
            _esc(
                t(
                    "claims.cli.header",
                    lang,
                    city=self.rv.city_name,
                    version=self.rv.version,
                    claims=len(self.report.claims),
                    linked=self.report.linked,
                    checks=len(self.report.open_checks),
                )
            )
            + notes
        )
        self.picker.options = [(check_label(c, lang), c.id) for c in checks]
        ids = [c.id for c in checks]
        if not ids:
            self.picker.value = None
            self.detail.value = f"<i>{_esc(t('claims.widget.empty', lang))}</i>"
            self.page_view.value = ""
            self._controls(None)
            return
        self.picker.value = keep if keep in ids else ids[0]
        self.show()

    def current(self) -> ClaimCheck | None:
        value = self.picker.value
        return next((c for c in self.report.checks if c.id == value), None)

    def show(self, check_id: str | None = None) -> None:
        """Show a suggestion and jump to its page, the sentence highlighted."""
        if check_id is not None and check_id != self.picker.value:
            self.picker.value = check_id  # the observer calls show() again
            return
        check = self.current()
        self._controls(check)
        if check is None:
            return
        self.detail.value = check_card_html(check, self.lang)
        self.page_view.value = self.page_html(check)

    def page_html(self, check: ClaimCheck) -> str:
        """The draft's page of ``check`` with its words highlighted."""
        from ..annotations import search
        from .annotations import render_page_html

        draft = self.rv.draft
        claim = self.report.claim(check.claim_id)
        words = claim.text if claim is not None else check.quote
        hits = search(draft, words, page=check.page) or search(draft, check.quote, page=check.page)
        return render_page_html(draft, check.page, (), hits[:1], lang=self.lang)

    def _controls(self, check: ClaimCheck | None) -> None:
        which = check is not None and check.kind == WHICH_INDICATOR
        self.decision_box.layout.display = "none" if check is None or which else ""
        self.link_box.layout.display = "" if which else "none"
        if which and check is not None:
            self.indicator.options = [
                (
                    f"{i} {getattr(self.rv.indicators.get(i), 'name', '') if self.rv.indicators else ''}",
                    i,
                )
                for i in check.candidates
            ] + [(t("claims.widget.choose_none", self.lang), "none")]

    # -- decisions ---------------------------------------------------------------------

    def _say(self, text: str, ok: bool) -> None:
        cls = "vlr-msg-ok" if ok else "vlr-msg-error"
        self.message.value = f"<div class='{cls}'>{_esc(text)}</div>"

    def decide(self, decision: str) -> ClaimCheck | None:
        """Confirm or dismiss the suggestion shown; a dismissal needs the reason in the note."""
        check = self.current()
        if check is None:
            return None
        try:
            saved = decide_claim(
                self.ws,
                self.review_id,
                check.id,
                decision,
                note=self.note.value,
                reviewer=self.reviewer,
                report=self.report,
            )
        except VlrError as exc:
            self._say(t("claims.widget.problem", self.lang, message=str(exc)), ok=False)
            return None
        self.report = read_claims(self.rv, save=True, reviewer=self.reviewer)
        self.note.value = ""
        self.refresh(keep=saved.id)
        self._say(
            t(
                "claims.widget.saved",
                self.lang,
                check=saved.id,
                status=t(f"claims.status.{decision}", self.lang),
            ),
            ok=True,
        )
        return saved

    def link(self) -> str | None:
        """Say which indicator the sentence shown is about, then run the checks again."""
        check = self.current()
        if check is None or not self.indicator.value:
            return None
        try:
            chosen = link_claim(
                self.ws,
                self.review_id,
                check.claim_id,
                self.indicator.value,
                reviewer=self.reviewer,
            )
        except VlrError as exc:
            self._say(t("claims.widget.problem", self.lang, message=str(exc)), ok=False)
            return None
        self.report = read_claims(self.rv, save=True, reviewer=self.reviewer)
        self.refresh()
        self._say(t("claims.widget.linked", self.lang, indicator=chosen), ok=True)
        return chosen

    def frame(self) -> Any:
        """The suggestions as a DataFrame (id, kind, pages, draft, table, why, status, note)."""
        import pandas as pd

        lang = self.lang
        return pd.DataFrame(
            [
                {
                    t("claims.col.id", lang): c.id,
                    t("claims.col.kind", lang): t(f"claims.kind.{c.kind}", lang),
                    t("claims.col.page", lang): ", ".join(str(p) for p in c.pages),
                    t("claims.col.draft", lang): c.quote,
                    t("claims.col.indicator", lang): c.indicator,
                    t("claims.col.table", lang): c.table,
                    t("claims.col.reason", lang): c.reason(lang),
                    t("claims.col.status", lang): t(f"claims.status.{c.status}", lang),
                    t("claims.col.note", lang): c.note,
                }
                for c in self.report.checks
            ]
        )

    def snapshot_html(self) -> str:
        """The suggestion shown and its page as one standalone HTML document (for screenshots)."""
        title = _esc(t("claims.widget.title", self.lang))
        items = "".join(f"<li>{_esc(label)}</li>" for label, _v in self.picker.options)
        return (
            f'<!DOCTYPE html><html lang="{_esc(self.lang)}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{CARD_CSS} body{{margin:16px;font-family:sans-serif}}"
            f" .vlr-side{{display:flex;gap:18px;align-items:flex-start}}"
            f" ul{{font-size:13px}}</style></head><body><h3>{title} · {_esc(self.rv.city_name)} "
            f"{_esc(self.rv.version)}</h3><p>{self.summary.value}</p><ul>{items}</ul>"
            f"<div class='vlr-side'><div>{self.detail.value}{self.message.value}</div>"
            f"<div>{self.page_view.value}</div></div></body></html>"
        )


def figures_panel(ws: Any, review_id: str, **kwargs: Any) -> FiguresPanel:
    """Build a :class:`FiguresPanel` (notebook convenience)."""
    return FiguresPanel(ws, review_id, **kwargs)


__all__ = ["FiguresPanel", "check_card_html", "check_label", "figures_panel"]
