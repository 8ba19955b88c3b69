"""The page view: annotate a draft on the page as the city laid it out.

>>> view = page_view(ws, review_id, lang="en")     # doctest: +SKIP
>>> view                                          # doctest: +SKIP

The view draws one page of the review's stored draft (rendered by pdfium
from the stored file, or from the PDF rendering the intake made of a Word
draft) with a transparent text layer over it: selecting words with the mouse
fills the quote, its context and the page, and a small form (kind, comment,
criterion, SDG links) saves the annotation at once. Saved annotations are
drawn as highlights coloured by kind; clicking one (or its entry in the list
beside the page) opens its thread with replies and status buttons. The words
behind the mapping's goal suggestions can be underlined on the same page.

Keyboard users search (every hit is a button), or pick a paragraph of the
page, then write the comment: the same form, no mouse needed.

Why pdfium and not PDF.js: the draft's text was read with pdfium, so its
character boxes give a text layer whose every word carries the offset the
anchoring uses; nothing has to be matched twice, the browser needs no 1 MB
PDF library, and the page is drawn the same in JupyterLab, Voila and a
screenshot. The browser side is a small ES module (``static/pageview.js``)
run by anywidget, the standard way to make a Jupyter widget without a build
step; everything is served from the kernel, nothing from the internet.

State lives in the widget's traits (page, image, words, highlights, the
selection, the open thread), which the Jupyter widget manager restores after
a browser reload, and every annotation is in the workspace the moment it is
saved, so a new view shows it again.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import ipywidgets
import traitlets

from .._shared import clip
from ..annotations import (
    annotate,
    check_draft,
    get_annotation,
    list_annotations,
    reply,
    search,
    set_status,
)
from ..annotations.model import MAX_QUOTE, vocabulary
from ..annotations.store import _template
from ..annotations.text import CONTEXT_CHARS, index_draft
from ..errors import ConflictError, VlrError
from ..i18n import check_lang, load_strings, t
from ..pages import PageLayout

if TYPE_CHECKING:
    from ..documents import Draft
    from ..review import OpenReview

STATIC = Path(__file__).resolve().parent.parent / "static"

#: Colour of search hits on the page.
HIT_COLOUR = "#2f6fdf"


def _strings(lang: str) -> dict[str, str]:
    """Every ``pageview.*`` text in ``lang`` (the browser side shows them)."""
    return {
        key.split(".", 1)[1]: texts.get(lang) or texts["en"]
        for key, texts in load_strings().items()
        if key.startswith("pageview.")
    }


class PageView(anywidget.AnyWidget):
    """The page view widget (see the module docstring).

    Build it with :func:`page_view`. Methods for scripts and tests do what
    the browser does: :meth:`go`, :meth:`select`, :meth:`save`,
    :meth:`find`, :meth:`use_hit`, :meth:`pick_paragraph`, :meth:`open_thread`,
    :meth:`answer`, :meth:`mark`. ``timings`` keeps how long the last page
    change and the last save took (seconds).
    """

    _esm = STATIC / "pageview.js"
    _css = STATIC / "pageview.css"

    page = traitlets.Int(1).tag(sync=True)
    page_count = traitlets.Int(1).tag(sync=True)
    image = traitlets.Bytes(b"").tag(sync=True)
    size: traitlets.List[Any] = traitlets.List([612.0, 792.0]).tag(sync=True)
    runs: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    has_text = traitlets.Bool(True).tag(sync=True)
    highlights: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    evidence: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    show_evidence = traitlets.Bool(False).tag(sync=True)
    #: The paragraph whose evidence is outlined (set by :meth:`show_paragraph`).
    focus = traitlets.Unicode("").tag(sync=True)
    hits: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    search_text = traitlets.Unicode("").tag(sync=True)
    search_note = traitlets.Unicode("").tag(sync=True)
    paragraphs: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    pending = traitlets.Dict({}).tag(sync=True)
    thread = traitlets.Dict({}).tag(sync=True)
    message = traitlets.Dict({}).tag(sync=True)
    zoom = traitlets.Float(1.0).tag(sync=True)
    info = traitlets.Dict({}).tag(sync=True)
    kinds: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    criteria: traitlets.List[Any] = traitlets.List([]).tag(sync=True)
    labels = traitlets.Dict({}).tag(sync=True)
    lang = traitlets.Unicode("en").tag(sync=True)
    can_save = traitlets.Bool(True).tag(sync=True)
    #: Answer to the browser's "ping": a view restored from a saved notebook whose
    #: kernel is gone gets none, and says so instead of ignoring clicks.
    pong = traitlets.Float(0.0).tag(sync=True)

    def __init__(
        self,
        ws: Any,
        review_id: str,
        draft: Draft,
        layout: PageLayout,
        *,
        reviewer: str | None = None,
        lang: str = "en",
        page: int = 1,
        mapping: Any = None,
        rendering_note: bool = False,
        illustrative: bool = False,
        **kwargs: Any,
    ) -> None:
        check_lang(lang)
        super().__init__(**kwargs)
        self.ws = ws
        self.review_id = review_id
        self.draft = draft
        self.pages = layout
        self.reviewer = reviewer
        self.mapping = mapping
        self.rendering_note = rendering_note
        self.timings: dict[str, float] = {}
        self._hits: list[Any] = []
        vocab = vocabulary()
        self.lang = lang
        self.labels = _strings(lang)
        self.kinds = [
            {"id": k.id, "label": k.label(lang), "colour": k.colour or "#999999"}
            for k in vocab.kinds
        ]
        template = _template(ws, review_id)
        self.criteria = [
            {"id": c.id, "label": f"{c.id} · {clip(c.question(lang), 70)}"}
            for c in template.criteria
        ]
        check = check_draft(ws, review_id, draft)
        self.can_save = check.ok
        self.info = {
            "name": draft.name,
            "review": review_id,
            "illustrative": illustrative,
            "mismatch": "" if check.ok else check.message,
            "rendering": rendering_note,
        }
        self.page_count = layout.page_count
        self.page = min(max(1, int(page)), layout.page_count)
        self._draw()
        self.observe(self._on_page, names="page")
        self.observe(self._on_evidence, names="show_evidence")
        self.on_msg(self._on_msg)

    # -- pages ------------------------------------------------------------------------

    def go(self, page: int) -> None:
        """Show ``page`` (clamped to the drawn pages)."""
        self.page = min(max(1, int(page)), self.page_count)

    def _on_page(self, _change: Any) -> None:
        self._draw()

    def _draw(self) -> None:
        started = time.perf_counter()
        page = self.page
        layer = self.pages.layer(page)
        image = self.pages.image(page)
        with self.hold_sync():
            self.size = list(layer.size)
            self.runs = layer.to_json()
            self.has_text = layer.has_text
            self.image = image
            self.pending = {}
            self._paragraph_list(layer)
            self._highlight()
            self._evidence()
            self._show_hits()
            if self.rendering_note:
                first = layer.span[0] if layer.span else None
                draft_page = index_draft(self.draft).page_of(first) if first is not None else "?"
                self.info = {**self.info, "rendering_page": draft_page}
        self.timings["page"] = time.perf_counter() - started

    def _draft_pages(self) -> set[int]:
        """Pages of the draft (the anchoring's) whose words are on the page shown."""
        if self.pages.same_pages:
            return {self.page}
        span = self.pages.layer(self.page).span
        if span is None:
            return set()
        index = index_draft(self.draft)
        return set(range(index.page_of(span[0]), index.page_of(max(span[0], span[1] - 1)) + 1))

    def _paragraph_list(self, layer: Any) -> None:
        span = layer.span
        if span is None:
            self.paragraphs = []
            return
        index = index_draft(self.draft)
        out = []
        for i, para in enumerate(index.paragraphs):
            a, b = index.para_starts[i], index.para_ends[i]
            if b > span[0] and a < span[1]:
                out.append({"ref": para.ref, "label": f"{para.ref} · {clip(para.text, 80)}"})
        self.paragraphs = out

    def _highlight(self) -> None:
        vocab = vocabulary()
        colours = {k.id: k.colour or "#999999" for k in vocab.kinds}
        drafted = self._draft_pages()
        out = []
        n = 0
        for a in list_annotations(self.ws, self.review_id):
            if a.start is None or a.end is None or a.page not in drafted:
                continue
            rects = self.pages.rects(self.page, a.start, a.end)
            if not rects:
                continue
            n += 1
            try:
                kind = vocab.kind(a.kind).label(self.lang)
            except VlrError:
                kind = a.kind
            try:
                status = vocab.status(a.status).label(self.lang)
            except VlrError:
                status = a.status
            out.append(
                {
                    "id": a.id,
                    "n": n,
                    "kind": a.kind,
                    "kind_label": kind,
                    "status": a.status,
                    "status_label": status,
                    "colour": colours.get(a.kind, "#999999"),
                    "rects": [list(r) for r in rects],
                    "comment": clip(a.comment, 160),
                    "quote": clip(a.quote, 120),
                    "replies": len(a.replies),
                }
            )
        self.highlights = out

    def _on_evidence(self, _change: Any) -> None:
        self._evidence()

    def _evidence(self) -> None:
        if not self.show_evidence or self.mapping is None:
            self.evidence = []
            return
        from ..coverage import load_decisions
        from ..framework import get_framework

        fw = get_framework()
        decided = {
            (d.paragraph_ref, d.goal, d.target): d.action
            for d in load_decisions(self.ws, self.review_id)
        }
        index = index_draft(self.draft)
        starts = {p.ref: index.para_starts[i] for i, p in enumerate(index.paragraphs)}
        # the line above each paragraph: a programme's name read with its description
        above = {p.ref: index.para_starts[i - 1] for i, p in enumerate(index.paragraphs) if i}
        drafted = self._draft_pages()
        out = []
        for para in self.mapping.paragraphs:
            if para.page not in drafted or not para.matches:
                continue
            base = starts.get(para.ref)
            if base is None:
                continue
            for m in para.matches:
                goal = fw.goal(m.goal)
                for ev in m.evidence:
                    at = above.get(para.ref, base) if ev.place == "heading" else base
                    rects = self.pages.rects(self.page, at + ev.start, at + ev.end)
                    if rects:
                        decision = decided.get((para.ref, m.goal, ev.target)) or decided.get(
                            (para.ref, m.goal, None), ""
                        )
                        said = (
                            f" ({t(f'pageview.decision.{decision}', self.lang)})"
                            if decision
                            else ""
                        )
                        if ev.place == "heading":
                            said += f" ({t('pageview.named', self.lang)})"
                        out.append(
                            {
                                "goal": m.goal,
                                "kind": ev.kind,
                                "colour": goal.colour,
                                "decision": decision,
                                "title": f"SDG {m.goal} {goal.title(self.lang)}: "
                                f"{ev.source if ev.kind == 'meaning' else ev.text}{said}",
                                "rects": [list(r) for r in rects],
                                "paragraph": para.ref,
                                "focus": para.ref == self.focus,
                            }
                        )
        self.evidence = out

    # -- choosing the words -------------------------------------------------------------

    def select(self, start: int, end: int, text: str = "") -> dict[str, Any]:
        """Take draft text ``[start, end)`` (a mouse selection) as the passage to annotate.

        ``start`` -1 means the selection held only words outside the draft's
        text (``text`` is what was selected): said so, nothing is pending.
        """
        self.message = {}
        if start is None or int(start) < 0 or int(end) <= int(start):
            if text.strip():
                self._say(
                    t("pageview.outside_text", self.lang, text=clip(text.strip(), 60)), ok=False
                )
            self.pending = {}
            return {}
        full = self.draft.text
        start, end = min(int(start), len(full)), min(int(end), len(full))
        while start < end and full[start].isspace():
            start += 1
        while end > start and full[end - 1].isspace():
            end -= 1
        if end - start > MAX_QUOTE:
            self._say(t("pageview.too_long", self.lang, n=end - start, max=MAX_QUOTE), ok=False)
            self.pending = {}
            return {}
        index = index_draft(self.draft)
        page = index.page_of(start)
        para = index.paragraph_at(start)
        before, after = index.context(start, end, CONTEXT_CHARS)
        self.pending = {
            "start": start,
            "end": end,
            "page": page,
            "page_label": index.page_labels[page - 1],
            "paragraph": para.ref if para else "",
            "quote": full[start:end],
            "prefix": before,
            "suffix": after,
            "typed": False,
        }
        return dict(self.pending)

    def type_quote(self, quote: str) -> None:
        """Annotate words typed in the box (pages without a text layer, or by choice)."""
        pages = sorted(self._draft_pages()) or [min(self.page, self.draft.page_count)]
        self.pending = {"quote": quote, "page": pages[0], "typed": True}

    def pick_paragraph(self, ref: str) -> dict[str, Any]:
        """Take a whole paragraph of the page as the passage (keyboard path)."""
        span = index_draft(self.draft).paragraph_span(ref)
        if span is None:
            self._say(t("pageview.not_saved", self.lang, message=f"no paragraph {ref!r}"), ok=False)
            return {}
        return self.select(span[0], min(span[1], span[0] + MAX_QUOTE))

    def find(self, text: str) -> list[Any]:
        """Search the draft (all dash, quote and word-form variants); go to the first hit."""
        query = " ".join(str(text or "").split())
        self.search_text = query
        self._hits = search(self.draft, query) if query else []
        if not query:
            self.search_note = ""
        elif not self._hits:
            self.search_note = t("pageview.no_hits", self.lang, text=query)
        else:
            variants = [h for h in self._hits if h.how == "variant"]
            self.search_note = (
                t(
                    "pageview.hits_variant",
                    self.lang,
                    n=len(self._hits),
                    v=len(variants),
                    example=clip(variants[0].text, 40),
                )
                if variants
                else t("pageview.hits", self.lang, n=len(self._hits))
            )
        self._show_hits()
        if self._hits:
            self.use_hit(0)
        return list(self._hits)

    def _show_hits(self) -> None:
        out = []
        for i, h in enumerate(self._hits[:200]):
            drawn = self._drawn_page(h.start)
            rects = self.pages.rects(self.page, h.start, h.end) if drawn == self.page else []
            out.append(
                {
                    "i": i,
                    "page": drawn or h.page,
                    "label": f"p. {h.page} · {clip(h.snippet, 90)}",
                    "how": h.how,
                    "rects": [list(r) for r in rects],
                }
            )
        self.hits = out

    def _drawn_page(self, offset: int) -> int | None:
        if self.pages.same_pages:
            return index_draft(self.draft).page_of(offset)
        return self.pages.page_of_offset(offset)

    def use_hit(self, i: int) -> dict[str, Any]:
        """Go to search hit ``i`` and take its words as the passage (keyboard path)."""
        if not 0 <= int(i) < len(self._hits):
            return {}
        hit = self._hits[int(i)]
        drawn = self._drawn_page(hit.start)
        if drawn is not None and drawn != self.page:
            self.page = drawn  # redraws and clears the pending passage
        self._show_hits()
        return self.select(hit.start, hit.end)

    # -- saving -----------------------------------------------------------------------

    def _say(self, text: str, ok: bool, *, saved: bool = False) -> None:
        self.message = {
            "text": text,
            "level": "ok" if ok else "error",
            "saved": saved,
            "at": time.time(),
        }

    def save(
        self,
        *,
        kind: str,
        comment: str,
        criterion: str | None = None,
        sdg: Any = "",
        quote: str | None = None,
    ) -> Any:
        """Save the pending passage with this remark; returns the annotation, or None.

        A problem (empty comment, unknown SDG code, a quote typed that is not
        on the page) is shown in the view; nothing is half-saved, and what
        was typed stays in the form.
        """
        started = time.perf_counter()
        pending = dict(self.pending)
        if quote is not None and (pending.get("typed") or not pending):
            self.type_quote(quote)
            pending = dict(self.pending)
        if not pending.get("quote"):
            self._say(
                t("pageview.not_saved", self.lang, message=t("pageview.select_hint", self.lang)),
                ok=False,
            )
            return None
        try:
            ann = annotate(
                self.ws,
                self.review_id,
                self.draft,
                page=int(pending["page"]),
                quote=str(pending["quote"]),
                comment=comment,
                kind=kind,
                criterion=criterion or None,
                sdg=sdg,
                reviewer=self.reviewer,
                near=pending.get("start"),
            )
        except VlrError as exc:
            self._say(t("pageview.not_saved", self.lang, message=str(exc)), ok=False)
            return None
        with self.hold_sync():
            self.pending = {}
            self._highlight()
            label = vocabulary().kind(ann.kind).label(self.lang)
            as_typed = " ".join(str(pending["quote"]).split()) == " ".join(ann.quote.split())
            key = "pageview.saved" if as_typed else "pageview.saved_variant"
            self._say(
                t(
                    key,
                    self.lang,
                    kind=label,
                    page=ann.page,
                    paragraph=ann.paragraph,
                    quote=clip(ann.quote, 80),
                ),
                ok=True,
                saved=True,
            )
            self.open_thread(ann.id)
        self.timings["save"] = time.perf_counter() - started
        return ann

    def open_thread(self, annotation_id: str) -> dict[str, Any]:
        """Show annotation ``annotation_id`` with its replies and status buttons."""
        try:
            a = get_annotation(self.ws, self.review_id, annotation_id)
        except VlrError as exc:
            self._say(str(exc), ok=False)
            return {}
        vocab = vocabulary()
        try:
            kind = vocab.kind(a.kind)
            kind_label, colour = kind.label(self.lang), kind.colour or "#999999"
        except VlrError:
            kind_label, colour = a.kind, "#999999"
        try:
            status = vocab.status(a.status).label(self.lang)
        except VlrError:
            status = a.status
        self.thread = {
            "id": a.id,
            "version": a.version,
            "kind": a.kind,
            "kind_label": kind_label,
            "colour": colour,
            "status": a.status,
            "status_label": status,
            "page": a.page,
            "paragraph": a.paragraph or "",
            "quote": a.quote,
            "prefix": a.prefix,
            "suffix": a.suffix,
            "comment": a.comment,
            "criterion": a.criterion or "",
            "sdg": list(a.sdg),
            "reviewer": a.reviewer,
            "created": a.created[:16].replace("T", " "),
            "replies": [
                {"reviewer": r.reviewer, "comment": r.comment, "created": r.created[:16]}
                for r in a.replies
            ],
            "actions": [
                {"status": s, "label": t(f"pageview.{key}", self.lang)}
                for s, key in (
                    ("resolved", "resolve"),
                    ("withdrawn", "withdraw"),
                    ("open", "reopen"),
                )
                if s != a.status
            ],
        }
        return dict(self.thread)

    def answer(self, annotation_id: str, text: str) -> bool:
        """Save a reply under annotation ``annotation_id``."""
        try:
            reply(self.ws, self.review_id, annotation_id, text, self.reviewer)
        except VlrError as exc:
            self._say(t("pageview.not_saved", self.lang, message=str(exc)), ok=False)
            return False
        self.open_thread(annotation_id)
        self._highlight()
        self._say(t("pageview.replied", self.lang), ok=True)
        return True

    def mark(self, annotation_id: str, status: str, version: int | None = None) -> bool:
        """Set an annotation's status; a colleague's change made meanwhile is reported."""
        try:
            set_status(
                self.ws,
                self.review_id,
                annotation_id,
                status,
                reviewer=self.reviewer,
                expected_version=version,
            )
        except (ConflictError, VlrError) as exc:
            self.open_thread(annotation_id)
            self._say(t("pageview.not_saved", self.lang, message=str(exc)), ok=False)
            return False
        self.open_thread(annotation_id)
        self._highlight()
        label = vocabulary().status(status).label(self.lang)
        self._say(t("pageview.status_set", self.lang, status=label), ok=True)
        return True

    def show_paragraph(self, ref: str) -> None:
        """Go to paragraph ``ref``'s page with the mapping evidence shown, the paragraph outlined."""
        index = index_draft(self.draft)
        span = index.paragraph_span(ref)
        if span is None:
            return
        drawn = self._drawn_page(span[0])
        with self.hold_sync():
            self.show_evidence = True
            self.focus = ref
            if drawn is not None and drawn != self.page:
                self.page = drawn
            else:
                self._evidence()

    def follow(self, mapping_review: Any) -> PageView:
        """Keep this view on the paragraph a :class:`MappingReview` shows.

        A reviewer accepting or rejecting a suggestion then sees, on the
        page, the words that triggered it.
        """

        def moved(_change: Any = None) -> None:
            current = mapping_review.current
            if current is not None:
                self.show_paragraph(current.ref)

        mapping_review.position.observe(moved, names="value")
        if hasattr(mapping_review, "on_decided"):
            # an accepted or rejected suggestion shows as such on the page at once
            mapping_review.on_decided.append(self._evidence)
        moved()
        return self

    def refresh(self) -> None:
        """Redraw highlights from the workspace (a colleague's new annotations show up)."""
        self._highlight()
        if self.thread.get("id"):
            self.open_thread(str(self.thread["id"]))

    # -- the browser ----------------------------------------------------------------------

    def _on_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        try:
            if kind == "select":
                self.select(
                    int(content.get("start", -1)),
                    int(content.get("end", -1)),
                    str(content.get("text") or ""),
                )
            elif kind == "save":
                self.save(
                    kind=str(content.get("kind") or ""),
                    comment=str(content.get("comment") or ""),
                    criterion=str(content.get("criterion") or "") or None,
                    sdg=str(content.get("sdg") or ""),
                    quote=content.get("quote"),
                )
            elif kind == "typed":
                self.type_quote(str(content.get("quote") or ""))
            elif kind == "clear":
                self.pending = {}
                self.message = {}
            elif kind == "open":
                self.open_thread(str(content.get("id") or ""))
            elif kind == "close":
                self.thread = {}
            elif kind == "reply":
                self.answer(str(content.get("id") or ""), str(content.get("text") or ""))
            elif kind == "status":
                version = content.get("version")
                self.mark(
                    str(content.get("id") or ""),
                    str(content.get("status") or ""),
                    int(version) if version is not None else None,
                )
            elif kind == "search":
                self.find(str(content.get("text") or ""))
            elif kind == "hit":
                self.use_hit(int(content.get("i", -1)))
            elif kind == "paragraph":
                self.pick_paragraph(str(content.get("ref") or ""))
            elif kind == "refresh":
                self.refresh()
            elif kind == "ping":
                self.pong = time.time()
        except Exception as exc:  # noqa: BLE001 - every error must reach the reviewer
            from .common import error_message

            self._say(error_message(exc, self.lang), ok=False)


class TextPanelView(ipywidgets.VBox):
    """The text panel in place of the page view, for drafts with nothing to draw."""

    def __init__(self, panel: Any, note: str) -> None:
        import html

        super().__init__(
            [ipywidgets.HTML(f"<p class='vlr-pv-note'>{html.escape(note)}</p>"), panel.widget]
        )
        self.panel = panel

    def follow(self, _mapping_review: Any) -> TextPanelView:
        """Nothing to follow: the text panel has its own paging."""
        return self


def page_view(
    ws: Any,
    review_id: str,
    *,
    reviewer: str | None = None,
    lang: str = "en",
    page: int = 1,
    evidence: bool = False,
) -> Any:
    """The page view of review ``review_id``'s stored draft (see :class:`PageView`).

    A draft with nothing to draw (Markdown or text, or a Word draft on a
    machine without LibreOffice) gets the text panel instead
    (:class:`~vlr_tools.widgets.annotations.AnnotationPanel`) with a note saying why.
    """
    from ..review import open_review

    rv = open_review(ws, review_id)
    return view_for(rv, reviewer=reviewer, lang=lang, page=page, evidence=evidence)


def view_for(
    rv: OpenReview,
    *,
    reviewer: str | None = None,
    lang: str = "en",
    page: int = 1,
    evidence: bool = False,
) -> Any:
    """The page view of an open review (or the text panel when nothing can be drawn)."""
    draft = rv.draft
    drawing = rv.page_drawing()
    if drawing is None:
        from .annotations import AnnotationPanel

        panel = AnnotationPanel(rv.ws, rv.id, draft, reviewer=reviewer, lang=lang, page=page)
        note = t("pageview.no_rendering", lang, format=draft.format.upper())
        return TextPanelView(panel, note)
    path, same_pages = drawing
    layout = PageLayout.open(path, draft, same_pages=same_pages)
    try:
        mapping = rv.mapping()
    except VlrError:
        mapping = None
    return PageView(
        rv.ws,
        rv.id,
        draft,
        layout,
        reviewer=reviewer,
        lang=lang,
        page=page,
        mapping=mapping,
        rendering_note=not same_pages,
        illustrative=rv.illustrative,
        show_evidence=evidence,
    )


__all__ = ["PageView", "TextPanelView", "page_view", "view_for"]
