"""A notebook panel to read a draft page by page, find passages and annotate them.

>>> panel = AnnotationPanel(ws, review.id, draft, lang="en")   # doctest: +SKIP
>>> panel                                                       # doctest: +SKIP

The panel shows one page of the draft's text (annotated passages and search
hits highlighted), page navigation, a search box, the passage to annotate
(typed or pasted quote, or a paragraph picked from the page), kind,
comment, checklist criterion and SDG links, an *Add* button, and the
annotations on the page with a reply box and status buttons. Every problem
(quote not on the page, empty comment, unknown SDG code, a draft that is
not the review's) shows as a message in the panel; nothing is half-saved.
All text from the draft and from reviewers is HTML-escaped.

:func:`render_page_html` is the same page rendering as plain HTML, for
exports and screenshots.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .._shared import clip
from ..annotations import (
    Annotation,
    SearchHit,
    annotate,
    check_draft,
    list_annotations,
    reply,
    search,
    set_status,
)
from ..annotations.model import MAX_QUOTE, vocabulary
from ..annotations.store import _template
from ..annotations.text import index_draft
from ..errors import ConflictError, VlrError
from ..i18n import check_lang, t

if TYPE_CHECKING:
    from ..documents import Draft

#: Colours of highlighted passages, by annotation kind (search hits are blue).
KIND_COLOURS = {
    "question": "#fff3b0",
    "correction": "#ffd6d6",
    "missing_evidence": "#ffe0b2",
    "suggestion": "#d8f3dc",
    "good_practice": "#cdeffd",
}
HIT_COLOUR = "#b3d4ff"

PAGE_CSS = """
.vlr-page{font-family:'Noto Serif','Noto Serif CJK JP',Georgia,serif;font-size:15px;
 line-height:1.55;max-width:52em;padding:1em 1.4em;border:1px solid #ccc;background:#fff;
 color:#222;box-shadow:0 1px 3px rgba(0,0,0,.12)}
.vlr-page-head{font:600 12px/1.4 sans-serif;color:#555;border-bottom:1px solid #ddd;
 margin-bottom:.6em;padding-bottom:.3em}
.vlr-para{margin:.45em 0}
.vlr-heading{font-weight:700;font-family:sans-serif}
.vlr-table{font-family:sans-serif;font-size:13px;background:#f7f7f7;padding:2px 4px}
.vlr-ref{font:11px/1 monospace;color:#888;margin-right:.5em;user-select:none}
.vlr-page mark{padding:0 1px;border-radius:2px}
.vlr-page mark.vlr-hit{outline:2px solid #2f6fdf}
.vlr-page sup.vlr-n{font:700 10px sans-serif;color:#7a4b00;margin-left:1px}
.vlr-card{font-family:sans-serif;font-size:13px;border-left:4px solid #ccc;padding:4px 8px;
 margin:4px 0;background:#fafafa}
.vlr-card q{font-style:italic;color:#444}
.vlr-meta{color:#666;font-size:12px}
.vlr-reply{margin:2px 0 2px 1.2em;color:#333}
.vlr-msg-ok{color:#1b5e20}.vlr-msg-error{color:#b71c1c}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_page_html(
    draft: Draft,
    page: int,
    annotations: Iterable[Annotation] = (),
    hits: Iterable[SearchHit] = (),
    *,
    lang: str = "en",
    standalone: bool = False,
) -> str:
    """One page of ``draft`` as HTML, with annotated spans and search hits in ``<mark>``.

    Every character of the draft is escaped; a mark's ``title`` shows the
    annotation's kind and comment (escaped too). Annotations are numbered in
    the order given. With ``standalone`` the result is a whole HTML
    document (for a browser or a screenshot).
    """
    vocab = vocabulary()
    index = index_draft(draft)
    ps, pe = index.page_span(page)
    spans: list[tuple[int, int, str, str, int | None]] = []
    for n, a in enumerate(annotations, start=1):
        if a.start is None or a.end is None or a.end <= ps or a.start >= pe:
            continue
        label = _label(vocab, a.kind, lang)
        title = f"{n}. {label}: {clip(a.comment, 200)}"
        spans.append((a.start, a.end, f"vlr-ann vlr-kind-{a.kind}", title, n))
    for h in hits:
        if h.end > ps and h.start < pe:
            spans.append((h.start, h.end, "vlr-hit", "", None))
    head = t("annotations.page", lang, page=page)
    printed = draft.page(page).label
    if printed and printed != str(page):
        head += f" ({_esc(printed)})"
    parts = [
        f'<div class="vlr-page" lang="{_esc(draft.lang)}">',
        f'<div class="vlr-page-head">{_esc(draft.name)} · {_esc(head)} / {draft.page_count}</div>',
    ]
    paragraphs = draft.page(page).paragraphs
    first = next((i for i, p in enumerate(index.paragraphs) if p.page == page), 0)
    for k, para in enumerate(paragraphs):
        a0 = index.para_starts[first + k]
        a1 = index.para_ends[first + k]
        cls = {"heading": "vlr-heading", "table": "vlr-table"}.get(para.kind, "")
        body = _marked(index.text, a0, a1, spans)
        parts.append(
            f'<p class="vlr-para {cls}" data-ref="{_esc(para.ref)}">'
            f'<span class="vlr-ref">{_esc(para.ref)}</span>{body}</p>'
        )
    if not paragraphs:
        parts.append('<p class="vlr-para"><i>(no text on this page)</i></p>')
    parts.append("</div>")
    style = (
        PAGE_CSS
        + "".join(f".vlr-page mark.vlr-kind-{k}{{background:{c}}}" for k, c in KIND_COLOURS.items())
        + f".vlr-page mark.vlr-hit{{background:{HIT_COLOUR}}}"
    )
    fragment = f"<style>{style}</style>" + "".join(parts)
    if not standalone:
        return fragment
    return (
        f'<!DOCTYPE html><html lang="{_esc(lang)}"><head><meta charset="utf-8">'
        f"<title>{_esc(draft.name)} {_esc(head)}</title></head><body>{fragment}</body></html>"
    )


def _label(vocab: Any, kind: str, lang: str) -> str:
    try:
        return str(vocab.kind(kind).label(lang))
    except VlrError:
        return kind


def _marked(
    text: str, a0: int, a1: int, spans: Sequence[tuple[int, int, str, str, int | None]]
) -> str:
    """Escaped ``text[a0:a1]`` with ``<mark>`` around the parts covered by ``spans``."""
    inside = [(max(s, a0), min(e, a1), c, ti, n) for s, e, c, ti, n in spans if s < a1 and e > a0]
    if not inside:
        return _esc(text[a0:a1])
    cuts = sorted({a0, a1, *(s for s, *_ in inside), *(e for _s, e, *_ in inside)})
    out: list[str] = []
    for x, y in zip(cuts, cuts[1:], strict=False):
        if x >= y:
            continue
        covering = [sp for sp in inside if sp[0] <= x and sp[1] >= y]
        chunk = _esc(text[x:y])
        if not covering:
            out.append(chunk)
            continue
        classes = " ".join(dict.fromkeys(" ".join(c for _s, _e, c, _t, _n in covering).split()))
        titles = " | ".join(ti for *_x, ti, _n in covering if ti)
        numbers = [n for *_x, n in covering if n is not None and _x[1] == y]
        sup = "".join(f'<sup class="vlr-n">{n}</sup>' for n in numbers)
        out.append(f'<mark class="{_esc(classes)}" title="{_esc(titles)}">{chunk}</mark>{sup}')
    return "".join(out)


class AnnotationPanel:
    """Widgets to page through ``draft``, search it and annotate passages of review ``review_id``.

    Attributes (for notebooks and tests): ``page`` (the page number input),
    ``prev_button``/``next_button``, ``search_text``/``search_button``/
    ``search_results``, ``page_view`` (HTML of the page), ``paragraph``
    (pick a paragraph of the page), ``quote``, ``kind``, ``comment``,
    ``criterion``, ``sdg``, ``add_button``, ``message``, ``annotation_list``;
    per annotation on the page ``reply_inputs[id]``, ``reply_buttons[id]``
    and ``status_buttons[(id, status)]``. ``widget`` is the laid-out panel.
    """

    def __init__(
        self,
        ws: Any,
        review_id: str,
        draft: Draft,
        *,
        reviewer: str | None = None,
        lang: str = "en",
        page: int = 1,
    ) -> None:
        check_lang(lang)
        self.ws = ws
        self.review_id = review_id
        self.draft = draft
        self.reviewer = reviewer
        self.lang = lang
        self.hits: list[SearchHit] = []
        self._syncing = False
        vocab = vocabulary()
        wide = w.Layout(width="46em")
        style = {"description_width": "8em"}
        self.page = w.BoundedIntText(
            value=min(max(1, page), draft.page_count),
            min=1,
            max=draft.page_count,
            description=t("annotations.widget.page", lang),
            layout=w.Layout(width="14em"),
            style=style,
        )
        self.page_total = w.Label(t("annotations.widget.of", lang, n=draft.page_count))
        self.prev_button = w.Button(description=t("annotations.widget.prev", lang))
        self.next_button = w.Button(description=t("annotations.widget.next", lang))
        self.search_text = w.Text(
            placeholder=t("annotations.widget.search_placeholder", lang),
            description=t("annotations.widget.search", lang),
            layout=w.Layout(width="32em"),
            style=style,
        )
        self.search_button = w.Button(
            description=t("annotations.widget.search", lang), icon="search"
        )
        self.search_results = w.Dropdown(
            options=[], description=t("annotations.widget.results", lang), layout=wide, style=style
        )
        self.search_status = w.HTML()
        self.page_view = w.HTML()
        self.paragraph = w.Dropdown(
            description=t("annotations.widget.paragraph", lang), layout=wide, style=style
        )
        self.quote = w.Textarea(
            placeholder=t("annotations.widget.quote_placeholder", lang),
            description=t("annotations.widget.quote", lang),
            layout=w.Layout(width="46em", height="4.5em"),
            style=style,
        )
        self.kind = w.Dropdown(
            options=[(k.label(lang), k.id) for k in vocab.kinds],
            description=t("annotations.widget.kind", lang),
            style=style,
        )
        self.comment = w.Textarea(
            description=t("annotations.widget.comment", lang),
            layout=w.Layout(width="46em", height="6em"),
            style=style,
        )
        template = _template(ws, review_id)
        self.criterion = w.Dropdown(
            options=[(t("annotations.widget.no_criterion", lang), "")]
            + [(f"{c.id} · {clip(c.question(lang), 60)}", c.id) for c in template.criteria],
            description=t("annotations.widget.criterion", lang),
            layout=wide,
            style=style,
        )
        self.sdg = w.Text(
            placeholder=t("annotations.widget.sdg_placeholder", lang),
            description=t("annotations.widget.sdg", lang),
            style=style,
        )
        self.add_button = w.Button(
            description=t("annotations.widget.add", lang), button_style="primary", icon="plus"
        )
        self.message = w.HTML()
        self.annotation_list = w.VBox()
        self.reply_inputs: dict[str, w.Textarea] = {}
        self.reply_buttons: dict[str, w.Button] = {}
        self.status_buttons: dict[tuple[str, str], w.Button] = {}

        self.prev_button.on_click(lambda _b: self.go(self.page.value - 1))
        self.next_button.on_click(lambda _b: self.go(self.page.value + 1))
        self.page.observe(lambda _c: self.refresh(), names="value")
        self.search_button.on_click(lambda _b: self.find())
        self.search_text.continuous_update = False
        self.search_results.observe(self._picked_hit, names="value")
        self.paragraph.observe(self._picked_paragraph, names="value")
        self.add_button.on_click(lambda _b: self.add())

        check = check_draft(ws, review_id, draft)
        banner = ""
        if not check.ok:
            self.add_button.disabled = True
            banner = f"<div class='vlr-msg-error'>{_esc(check.message)}</div>"
        title = t("annotations.widget.title", lang)
        self.widget = w.VBox(
            [
                w.HTML(
                    f"<style>{PAGE_CSS}</style><b>{_esc(title)}</b> · {_esc(draft.name)}{banner}"
                ),
                w.HBox([self.prev_button, self.page, self.page_total, self.next_button]),
                w.HBox([self.search_text, self.search_button]),
                self.search_status,
                self.search_results,
                self.page_view,
                w.HTML(f"<b>{_esc(t('annotations.widget.passage', lang))}</b>"),
                self.paragraph,
                self.quote,
                self.kind,
                self.comment,
                self.criterion,
                self.sdg,
                self.add_button,
                self.message,
                self.annotation_list,
            ]
        )
        self.refresh()

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)

    # -- pages -----------------------------------------------------------------------

    @property
    def current_page(self) -> int:
        return int(self.page.value)

    def go(self, page: int) -> None:
        """Show ``page`` (clamped to the draft's pages)."""
        self.page.value = min(max(1, int(page)), self.draft.page_count)

    def annotations(self) -> list[Annotation]:
        """The review's annotations (fresh from the workspace)."""
        return list_annotations(self.ws, self.review_id)

    def refresh(self) -> None:
        """Redraw the page, the paragraph picker and the list of annotations on the page."""
        page = self.current_page
        anns = self.annotations()
        on_page = [a for a in anns if a.page == page]
        self.page_view.value = render_page_html(
            self.draft, page, on_page, self.hits, lang=self.lang
        )
        self._syncing = True
        try:
            self.paragraph.options = [(t("annotations.widget.whole_page", self.lang), "")] + [
                (f"{p.ref} · {clip(p.text, 70)}", p.ref) for p in self.draft.page(page).paragraphs
            ]
            self.paragraph.value = ""
        finally:
            self._syncing = False
        self._list(on_page, sum(1 for a in anns if a.page is None))

    def _list(self, on_page: list[Annotation], unanchored: int) -> None:
        lang = self.lang
        vocab = vocabulary()
        self.reply_inputs.clear()
        self.reply_buttons.clear()
        self.status_buttons.clear()
        children: list[w.Widget] = [w.HTML(f"<b>{_esc(t('annotations.widget.on_page', lang))}</b>")]
        if not on_page:
            children.append(w.HTML(f"<i>{_esc(t('annotations.widget.none_on_page', lang))}</i>"))
        for n, a in enumerate(on_page, start=1):
            children.append(self._card(n, a, vocab))
        if unanchored:
            children.append(
                w.HTML(f"<i>{_esc(t('annotations.widget.unanchored', lang, n=unanchored))}</i>")
            )
        self.annotation_list.children = tuple(children)

    def _card(self, n: int, a: Annotation, vocab: Any) -> w.Widget:
        lang = self.lang
        colour = KIND_COLOURS.get(a.kind, "#ccc")
        links = [a.criterion] if a.criterion else []
        links += [f"SDG {c}" for c in a.sdg]
        try:
            status = vocab.status(a.status).label(lang)
        except VlrError:
            status = a.status
        replies = "".join(
            f"<div class='vlr-reply'>↳ <b>{_esc(r.reviewer)}</b>: {_esc(r.comment)}</div>"
            for r in a.replies
        )
        card = w.HTML(
            f"<div class='vlr-card' style='border-left-color:{colour}'>"
            f"<b>{n}. {_esc(_label(vocab, a.kind, lang))}</b> "
            f"<span class='vlr-meta'>· {_esc(a.paragraph or '')} · {_esc(status)} · "
            f"{_esc(a.reviewer)}{' · ' + _esc(', '.join(links)) if links else ''}</span><br>"
            f"<q>{_esc(clip(a.quote, 160))}</q><br>{_esc(a.comment)}{replies}</div>"
        )
        box = w.Textarea(
            placeholder=t("annotations.widget.reply_placeholder", lang),
            layout=w.Layout(width="30em", height="2.6em"),
        )
        send = w.Button(description=t("annotations.widget.reply", lang), icon="reply")
        send.on_click(lambda _b, aid=a.id: self.answer(aid))
        self.reply_inputs[a.id] = box
        self.reply_buttons[a.id] = send
        buttons = []
        for status_id, key in (
            ("resolved", "resolve"),
            ("withdrawn", "withdraw"),
            ("open", "reopen"),
        ):
            if status_id == a.status:
                continue
            b = w.Button(description=t(f"annotations.widget.{key}", lang))
            b.on_click(lambda _b, aid=a.id, s=status_id, v=a.version: self.mark(aid, s, v))
            self.status_buttons[(a.id, status_id)] = b
            buttons.append(b)
        return w.VBox([card, w.HBox([box, send, *buttons])])

    # -- finding -----------------------------------------------------------------------

    def find(self, text: str | None = None) -> list[SearchHit]:
        """Search the draft for ``text`` (default: the search box), jump to the first hit."""
        if text is not None:
            self.search_text.value = text
        query = self.search_text.value.strip()
        self.hits = search(self.draft, query) if query else []
        self._syncing = True
        try:
            self.search_results.options = [
                (f"p. {h.page} · {clip(h.snippet, 90)}", i) for i, h in enumerate(self.hits)
            ]
            self.search_results.value = None
        finally:
            self._syncing = False
        if not query:
            self.search_status.value = ""
        elif self.hits:
            self.search_status.value = _esc(
                t("annotations.widget.hits", self.lang, n=len(self.hits))
            )
            self._use_hit(0)
        else:
            self.search_status.value = (
                f"<span class='vlr-msg-error'>"
                f"{_esc(t('annotations.widget.no_hits', self.lang, text=query))}</span>"
            )
            self.refresh()
        return self.hits

    def _use_hit(self, i: int) -> None:
        hit = self.hits[i]
        if self.current_page != hit.page:
            self.page.value = hit.page  # refresh() runs through the observer
        else:
            self.refresh()
        self._syncing = True
        try:
            self.search_results.value = i
            self.quote.value = hit.text
        finally:
            self._syncing = False

    def _picked_hit(self, change: dict[str, Any]) -> None:
        if self._syncing or change["new"] is None:
            return
        self._use_hit(int(change["new"]))

    def _picked_paragraph(self, change: dict[str, Any]) -> None:
        if self._syncing or not change["new"]:
            return
        para = self.draft.get(change["new"])
        if para is not None:
            self.quote.value = para.text[:MAX_QUOTE]

    # -- saving --------------------------------------------------------------------------

    def _say(self, text: str, ok: bool) -> None:
        cls = "vlr-msg-ok" if ok else "vlr-msg-error"
        self.message.value = f"<div class='{cls}'>{_esc(text)}</div>"

    def add(self) -> Annotation | None:
        """Save the annotation described by the inputs; show the outcome in ``message``."""
        if self.add_button.disabled:
            self._say(check_draft(self.ws, self.review_id, self.draft).message, ok=False)
            return None
        try:
            ann = annotate(
                self.ws,
                self.review_id,
                self.draft,
                page=self.current_page,
                quote=self.quote.value,
                comment=self.comment.value,
                kind=self.kind.value,
                paragraph=self.paragraph.value or None,
                criterion=self.criterion.value or None,
                sdg=self.sdg.value,
                reviewer=self.reviewer,
            )
        except VlrError as exc:
            self._say(t("annotations.widget.problem", self.lang, message=str(exc)), ok=False)
            return None
        kind = _label(vocabulary(), ann.kind, self.lang)
        self.comment.value = ""
        self.quote.value = ""
        self.sdg.value = ""
        self.criterion.value = ""
        self.refresh()
        self._say(
            t(
                "annotations.widget.added",
                self.lang,
                kind=kind,
                page=ann.page,
                paragraph=ann.paragraph,
            ),
            ok=True,
        )
        return ann

    def answer(self, annotation_id: str) -> None:
        """Save the text of the reply box under annotation ``annotation_id``."""
        box = self.reply_inputs.get(annotation_id)
        text = box.value if box is not None else ""
        try:
            reply(self.ws, self.review_id, annotation_id, text, self.reviewer)
        except VlrError as exc:
            self._say(t("annotations.widget.problem", self.lang, message=str(exc)), ok=False)
            return
        self.refresh()
        self._say(t("annotations.widget.replied", self.lang), ok=True)

    def mark(self, annotation_id: str, status: str, version: int | None = None) -> None:
        """Set an annotation's status; a colleague's change made meanwhile is reported, not overwritten."""
        try:
            set_status(
                self.ws,
                self.review_id,
                annotation_id,
                status,
                reviewer=self.reviewer,
                expected_version=version,
            )
        except ConflictError as exc:
            self.refresh()
            self._say(t("annotations.widget.conflict", self.lang, message=str(exc)), ok=False)
            return
        except VlrError as exc:
            self._say(t("annotations.widget.problem", self.lang, message=str(exc)), ok=False)
            return
        self.refresh()
        label = vocabulary().status(status).label(self.lang)
        self._say(t("annotations.widget.status_set", self.lang, status=label), ok=True)

    def snapshot_html(self) -> str:
        """The current page and its annotation cards as one standalone HTML document."""
        cards = "".join(
            c.children[0].value
            for c in self.annotation_list.children
            if isinstance(c, w.VBox) and c.children and isinstance(c.children[0], w.HTML)
        )
        page = render_page_html(
            self.draft,
            self.current_page,
            [a for a in self.annotations() if a.page == self.current_page],
            self.hits,
            lang=self.lang,
        )
        title = _esc(t("annotations.widget.title", self.lang))
        return (
            f'<!DOCTYPE html><html lang="{_esc(self.lang)}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{PAGE_CSS} body{{margin:16px}}"
            f" .vlr-side{{display:flex;gap:18px;align-items:flex-start}}"
            f" .vlr-cards{{width:24em}}</style></head><body><h3 style='font-family:sans-serif'>"
            f"{title} · {_esc(self.draft.name)}</h3><div class='vlr-side'><div>{page}</div>"
            f"<div class='vlr-cards'>{cards}{self.message.value}</div></div></body></html>"
        )


def annotation_panel(ws: Any, review_id: str, draft: Draft, **kwargs: Any) -> AnnotationPanel:
    """Build an :class:`AnnotationPanel` (notebook convenience)."""
    return AnnotationPanel(ws, review_id, draft, **kwargs)


__all__ = ["AnnotationPanel", "annotation_panel", "render_page_html"]
