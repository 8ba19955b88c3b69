"""A notebook view to review a draft's SDG mapping paragraph by paragraph.

>>> view = MappingReview(ws, review.id, map_draft(draft), hlpf_year=2025)  # doctest: +SKIP
>>> view                                                                  # doctest: +SKIP

For each paragraph it shows the text with the evidence of each suggestion
highlighted, the suggested goals and targets with accept / reject buttons,
and a form to add a goal or target the mapping missed. Every click is saved
to the workspace at once (:func:`vlr_tools.coverage.decide`) and the
coverage chart below is redrawn from the decisions.

Draft text is HTML-escaped *before* the ``<mark>`` tags are put around the
evidence, so a draft cannot inject markup into the notebook.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from ..charts import goal_label
from ..coverage import (
    Decision,
    MappingView,
    ParagraphInfo,
    coverage_figure,
    coverage_frame,
    decide,
    effective_matches,
    load_decisions,
    mapping_view,
    undo_decision,
)
from ..errors import ConflictError, VlrError
from ..framework import get_framework
from ..i18n import check_lang, t
from ..indicators import IndicatorTable, LocalIndicator

__all__ = ["MappingReview", "highlight", "mapping_review"]

_MARK_STYLE = "background:#FFE58A;padding:0 1px"


def _spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans of ``phrases`` in ``text``, ignoring case."""
    found: list[tuple[int, int]] = []
    for phrase in phrases:
        phrase = unicodedata.normalize("NFKC", str(phrase or "")).strip()
        if not phrase:
            continue
        pattern = re.escape(phrase).replace(r"\ ", r"\s+")
        # Whole words for Latin text ("waste" should not light up "wastewater"),
        # any position for Japanese (no spaces between words).
        bounded = (r"(?<!\w)" if phrase[0].isascii() and phrase[0].isalnum() else "") + pattern
        bounded += r"(?!\w)" if phrase[-1].isascii() and phrase[-1].isalnum() else ""
        hits = list(re.finditer(bounded, text, re.IGNORECASE)) or list(
            re.finditer(pattern, text, re.IGNORECASE)
        )
        found += [(m.start(), m.end()) for m in hits if m.end() > m.start()]
    return _merge(found)


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _decided_on(goal: int, target: str | None, lang: str) -> str:
    """What a decision is about, as a reviewer reads it: "Target 11.6" or the goal's label."""
    return f"{t('common.target', lang)} {target}" if target else goal_label(goal, lang)


def highlight(text: str, phrases: Iterable[str] = (), spans: Iterable[tuple[int, int]] = ()) -> str:
    """``text`` as safe HTML with each evidence phrase wrapped in ``<mark>``.

    Everything outside and inside the marks is escaped, so draft text such as
    ``<script>`` is shown literally. ``spans`` are exact (start, end)
    offsets (the mapping's evidence offsets); ``phrases`` are searched for,
    ignoring case.

    >>> highlight("Solid <waste> & more waste", ["waste"])
    'Solid &lt;<mark style="background:#FFE58A;padding:0 1px">waste</mark>&gt; &amp; more <mark style="background:#FFE58A;padding:0 1px">waste</mark>'
    """
    parts: list[str] = []
    position = 0
    given = [(int(a), int(b)) for a, b in spans if 0 <= int(a) < int(b) <= len(text)]
    for start, end in _merge(given + _spans(text, phrases)):
        parts.append(html.escape(text[position:start], quote=False))
        parts.append(
            f'<mark style="{_MARK_STYLE}">{html.escape(text[start:end], quote=False)}</mark>'
        )
        position = end
    parts.append(html.escape(text[position:], quote=False))
    return "".join(parts)


class MappingReview:
    """Page through a draft's paragraphs and accept, reject or add SDG mappings.

    Parts (ipywidgets, for tests and layout): ``position`` (index of the
    paragraph shown), ``prev_button`` / ``next_button``, ``goal_filter``
    (page only through paragraphs mapped to one goal), ``header`` and
    ``text`` (HTML), ``rows`` (one line per suggested or decided goal/target;
    their buttons are in ``buttons[(goal, target)][action]``), the add form
    ``add_goal`` / ``add_target`` / ``note`` / ``add_button``, ``messages``,
    and ``chart`` (an Output showing :attr:`figure`, the coverage chart).
    ``widget`` is the whole view.
    """

    def __init__(
        self,
        ws: Any,
        review_id: str,
        draft_mapping: Any,
        *,
        indicators: IndicatorTable | Iterable[LocalIndicator] | None = None,
        hlpf_year: int | None = None,
        reviewer: str | None = None,
        lang: str = "en",
        only_mapped: bool = True,
    ) -> None:
        check_lang(lang)
        self.ws = ws
        self.review_id = review_id
        self.reviewer = reviewer
        self.lang = lang
        self.hlpf_year = hlpf_year
        self.indicators = list(indicators) if indicators is not None else None
        self.view: MappingView = mapping_view(draft_mapping)
        self.only_mapped = only_mapped
        self.decisions: list[Decision] = load_decisions(ws, review_id)
        self.frame = coverage_frame(self.view, self.indicators, self.decisions, hlpf_year, lang)
        self.figure = coverage_figure(self.frame, lang)
        self.buttons: dict[tuple[int, str | None], dict[str, w.Button]] = {}
        #: Called after each decision is saved or undone (e.g. a page view that follows).
        self.on_decided: list[Any] = []
        fw = get_framework()

        self.goal_filter = w.Dropdown(
            description=t("coverage.widget.filter", lang),
            options=[(t("coverage.widget.all_goals", lang), 0)]
            + [(goal_label(g.number, lang), g.number) for g in fw.goals],
            value=0,
            layout=w.Layout(width="28em"),
        )
        self.position = w.BoundedIntText(
            value=0, min=0, max=0, description=t("coverage.widget.paragraph", lang),
            layout=w.Layout(width="14em"),
        )  # fmt: skip
        self.prev_button = w.Button(description="◀", layout=w.Layout(width="3em"))
        self.next_button = w.Button(description="▶", layout=w.Layout(width="3em"))
        self.count = w.HTML()
        #: The decisions set aside when the draft's file was replaced (none: empty).
        self.aside = w.HTML(value=self._aside_html())
        self.header = w.HTML()
        self.text = w.HTML(layout=w.Layout(border="1px solid #ddd", padding="6px"))
        self.rows = w.VBox()
        self.add_goal = w.Dropdown(
            description=t("coverage.widget.add_goal", lang),
            options=[(goal_label(g.number, lang), g.number) for g in fw.goals],
            value=1,
            layout=w.Layout(width="26em"),
        )
        self.add_target = w.Dropdown(
            description=t("coverage.widget.add_target", lang), layout=w.Layout(width="26em")
        )
        self.note = w.Text(
            description=t("coverage.widget.note", lang),
            placeholder=t("coverage.widget.note_hint", lang),
            layout=w.Layout(width="40em"),
        )
        self.add_button = w.Button(
            description=t("coverage.widget.add", lang), button_style="primary", icon="plus"
        )
        self.messages = w.HTML()
        self.chart = w.Output()

        self._refs: list[str] = []
        self._filter_refs()
        self._fill_targets()
        self.prev_button.on_click(lambda _b: self.go(self.position.value - 1))
        self.next_button.on_click(lambda _b: self.go(self.position.value + 1))
        self.position.observe(lambda _c: self._show(), names="value")
        self.goal_filter.observe(lambda _c: self._filtered(), names="value")
        self.add_goal.observe(lambda _c: self._fill_targets(), names="value")
        self.add_button.on_click(lambda _b: self.add())

        self.widget = w.VBox(
            [
                w.HBox(
                    [
                        self.goal_filter,
                        self.prev_button,
                        self.position,
                        self.next_button,
                        self.count,
                    ]
                ),
                self.aside,
                self.header,
                self.text,
                self.rows,
                w.HBox([self.add_goal, self.add_target]),
                w.HBox([self.note, self.add_button]),
                self.messages,
                self.chart,
            ]
        )
        self._show()
        self._draw_chart()

    def _aside_html(self) -> str:
        """The mapping decisions set aside by a replaced file, with the words they were about."""
        from ..coverage import DECISION_KIND
        from ..replacement import unplaced_decisions

        lang = self.lang
        items = []
        for rec in unplaced_decisions(self.ws, self.review_id):
            if rec.data.get("kind") != DECISION_KIND:
                continue
            data = rec.data.get("data") or {}
            target = data.get("target")
            what = _decided_on(int(data.get("goal") or 0), target, lang)
            state = t(
                f"coverage.widget.state.{data.get('action') or 'accept'}",
                lang,
                who=str(rec.data.get("decided_by") or "?"),
            )
            words = str(rec.data.get("words") or "")
            clipped = words[:160] + ("…" if len(words) > 160 else "")
            items.append(
                f"<li><b>{html.escape(what)}</b> · {html.escape(state)} · "
                f"<span style='color:#555'>{html.escape(clipped)}</span></li>"
            )
        if not items:
            return ""
        head = html.escape(t("coverage.widget.aside", lang, n=len(items)))
        return (
            "<div style='border-left:4px solid #b26b00;padding:4px 8px;margin:4px 0'>"
            f"{head}<ul style='margin:2px 0'>{''.join(items)}</ul></div>"
        )

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)

    # -- navigation ----------------------------------------------------------------
    @property
    def refs(self) -> list[str]:
        """References of the paragraphs paged through, in reading order."""
        return list(self._refs)

    @property
    def current(self) -> ParagraphInfo | None:
        """The paragraph shown, or None when there is nothing to show."""
        if not self._refs:
            return None
        return self.view.paragraph(self._refs[self.position.value])

    def go(self, index: int) -> None:
        """Show paragraph number ``index`` (0-based) of :attr:`refs` (clamped)."""
        if self._refs:
            self.position.value = max(0, min(index, len(self._refs) - 1))

    def show_ref(self, ref: str) -> None:
        """Jump to the paragraph ``ref`` (e.g. ``p12.3``), clearing the goal filter if needed."""
        if ref not in self._refs:
            self.goal_filter.value = 0
        if ref not in self._refs:
            self.only_mapped = False
            self._filter_refs()
        self.go(self._refs.index(ref))

    def _filter_refs(self) -> None:
        goal = self.goal_filter.value
        matches = effective_matches(self.view, self.decisions)
        if goal:
            mapped = set(matches.loc[matches["goal"] == goal, "ref"])
        else:
            mapped = set(matches["ref"])
        suggested = set(self.view.matches["ref"]) if not goal else set()
        self._refs = [
            p.ref
            for p in self.view.paragraphs
            if not (self.only_mapped or goal) or p.ref in mapped or p.ref in suggested
        ]
        self.position.max = max(0, len(self._refs) - 1)

    def _filtered(self) -> None:
        self._filter_refs()
        if self.position.value == 0:
            self._show()
        else:
            self.position.value = 0

    # -- display -------------------------------------------------------------------
    def _decisions_for(self, ref: str) -> dict[tuple[int, str | None], Decision]:
        return {(d.goal, d.target): d for d in self.decisions if d.paragraph_ref == ref}

    def _show(self) -> None:
        lang = self.lang
        para = self.current
        self.buttons = {}
        if para is None:
            self.count.value = ""
            self.header.value = f"<i>{html.escape(t('coverage.widget.nothing', lang))}</i>"
            self.text.value = ""
            self.rows.children = ()
            return
        self.count.value = html.escape(
            t("coverage.widget.of", lang, n=self.position.value + 1, total=len(self._refs))
        )
        self.header.value = (
            f"<b>{html.escape(para.ref)}</b> · {html.escape(t('common.page', lang))} {para.page}"
            + (f" · {html.escape(para.section)}" if para.section else "")
        )
        suggestions = self.view.matches[self.view.matches["ref"] == para.ref]
        spans = [tuple(sp) for lst in suggestions["spans"] for sp in lst]
        # Exact offsets from the mapping when it gave them, else find the words.
        evidence = [] if spans else [e for lst in suggestions["evidence"] for e in lst]
        self.text.value = highlight(para.text, evidence, spans)  # type: ignore[arg-type]
        decided = self._decisions_for(para.ref)
        keys: dict[tuple[int, str | None], dict[str, Any]] = {}
        for row in suggestions.sort_values(["goal", "score"], ascending=[True, False]).itertuples():
            key = (int(row.goal), row.target or None)
            keys.setdefault(key, {"score": float(row.score), "evidence": list(row.evidence)})
        for key in decided:
            keys.setdefault(key, {"score": None, "evidence": []})
        lines = []
        for key in sorted(keys, key=lambda k: (k[0], k[1] or "")):
            lines.append(self._row(key, keys[key], decided.get(key)))
        self.rows.children = tuple(lines)

    def _row(
        self, key: tuple[int, str | None], info: dict[str, Any], decision: Decision | None
    ) -> w.HBox:
        lang = self.lang
        goal, target = key
        fw = get_framework()
        colour = fw.goal(goal).colour
        name = _decided_on(goal, target, lang)
        if decision is not None:
            state = t(f"coverage.widget.state.{decision.action}", lang, who=decision.reviewer)
        else:
            state = t("coverage.widget.state.suggested", lang)
        score = "" if info["score"] is None else f" · {info['score']:.2f}"
        words = ", ".join(dict.fromkeys(info["evidence"]))[:240]  # room for a reading
        note = (
            f" · <i>{html.escape(decision.note)}</i>"
            if decision is not None and decision.note
            else ""
        )
        label = w.HTML(
            f"<span style='display:inline-block;width:0.9em;height:0.9em;background:{colour};"
            f"margin-right:4px'></span><b>{html.escape(name)}</b>{html.escape(score)} · "
            f"{html.escape(state)}"
            + (f" · <span style='color:#555'>{html.escape(words)}</span>" if words else "")
            + note,
            layout=w.Layout(width="46em"),
        )
        accept = w.Button(description=t("coverage.widget.accept", lang), icon="check",
                          layout=w.Layout(width="8em"))  # fmt: skip
        reject = w.Button(description=t("coverage.widget.reject", lang), icon="times",
                          layout=w.Layout(width="8em"))  # fmt: skip
        undo = w.Button(description=t("coverage.widget.undo", lang), icon="undo",
                        layout=w.Layout(width="8em"), disabled=decision is None)  # fmt: skip
        if decision is not None:
            (accept if decision.action in ("accept", "add") else reject).button_style = (
                "success" if decision.action in ("accept", "add") else "danger"
            )
        accept.on_click(lambda _b: self.decide(goal, target, "accept"))
        reject.on_click(lambda _b: self.decide(goal, target, "reject"))
        undo.on_click(lambda _b: self.undo(goal, target))
        self.buttons[key] = {"accept": accept, "reject": reject, "undo": undo}
        return w.HBox([label, accept, reject, undo])

    def _fill_targets(self) -> None:
        goal = self.add_goal.value
        fw = get_framework()
        options: list[tuple[str, str]] = [(t("coverage.widget.goal_only", self.lang), "")]
        options += [
            (f"{tg.code} {tg.title(self.lang)[:70]}", tg.code) for tg in fw.children(str(goal))
        ]
        self.add_target.options = options
        self.add_target.value = ""

    def _draw_chart(self) -> None:
        # show_figure gives Voila/JupyterLab the plotly JSON and exports an HTML fallback.
        from .common import show_figure

        show_figure(self.figure, output=self.chart)

    def _say(self, text: str, ok: bool = True) -> None:
        colour = "#1a7f37" if ok else "#b00020"
        self.messages.value = f"<span style='color:{colour}'>{html.escape(text)}</span>"

    # -- actions -------------------------------------------------------------------
    def decide(
        self, goal: int, target: str | None, action: str, note: str | None = None
    ) -> Decision | None:
        """Save a decision for the paragraph shown and refresh the view and the chart."""
        para = self.current
        if para is None:
            return None
        existing = self._decisions_for(para.ref).get((goal, target or None))
        try:
            decision = decide(
                self.ws,
                self.review_id,
                para.ref,
                goal,
                target or None,
                action,
                reviewer=self.reviewer,
                note=self.note.value if note is None else note,
                expected_version=existing.version if existing is not None else 0,
            )
        except ConflictError as exc:
            self._reload()
            current = getattr(exc, "current", None)
            who = getattr(current, "updated_by", "") or "?"
            self._say(t("coverage.widget.conflict", self.lang, who=who), ok=False)
            return None
        except VlrError as exc:
            self._say(str(exc), ok=False)
            return None
        self.note.value = ""
        self._reload()
        self._say(t(f"coverage.widget.saved.{action}", self.lang, ref=para.ref,
                    item=target or goal_label(goal, self.lang)))  # fmt: skip
        return decision

    def add(self) -> Decision | None:
        """Add the goal/target chosen in the add form to the paragraph shown."""
        return self.decide(int(self.add_goal.value), self.add_target.value or None, "add")

    def undo(self, goal: int, target: str | None) -> bool:
        """Remove the decision on ``goal``/``target`` for the paragraph shown."""
        para = self.current
        if para is None:
            return False
        try:
            removed = undo_decision(
                self.ws, self.review_id, para.ref, goal, target, reviewer=self.reviewer
            )
        except VlrError as exc:
            self._say(str(exc), ok=False)
            return False
        self._reload()
        self._say(t("coverage.widget.undone", self.lang, ref=para.ref))
        return removed

    def _reload(self) -> None:
        ref = self._refs[self.position.value] if self._refs else None
        self.decisions = load_decisions(self.ws, self.review_id)
        self.frame = coverage_frame(
            self.view, self.indicators, self.decisions, self.hlpf_year, self.lang
        )
        self.figure = coverage_figure(self.frame, self.lang)
        self._filter_refs()
        if ref is not None and ref not in self._refs:
            # A rejected paragraph stays in view until the reviewer moves on.
            self._refs.insert(self._position_for(ref), ref)
            self.position.max = max(0, len(self._refs) - 1)
        if ref is not None and ref in self._refs:
            index = self._refs.index(ref)
            if self.position.value != index:
                self.position.value = index
        self._show()
        self._draw_chart()
        for callback in list(self.on_decided):
            callback()

    def _position_for(self, ref: str) -> int:
        order = [p.ref for p in self.view.paragraphs]
        where = order.index(ref) if ref in order else len(order)
        return sum(1 for r in self._refs if order.index(r) < where)


def mapping_review(ws: Any, review_id: str, draft_mapping: Any, **kwargs: Any) -> MappingReview:
    """Build a :class:`MappingReview` (keyword arguments as for the class)."""
    return MappingReview(ws, review_id, draft_mapping, **kwargs)
