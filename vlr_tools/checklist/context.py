"""What the pre-checks read: the draft's text and sections, indicators, consultation log.

A :class:`Context` loads each source once and lazily, so a check that needs
only the draft never opens the spreadsheets.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..errors import ChecklistError
from .suggestion import _fold, precheck_settings


@dataclass
class Context:
    """Everything one pre-check run reads, loaded once and lazily."""

    city: Any
    version: str | None
    hlpf_year: int | None = None
    draft_path: Path | None = None
    indicators_path: Path | None = None
    consultations_path: Path | None = None
    draft_date: dt.date | None = None
    coastal: bool = False
    ws: Any = None
    review_id: str | None = None
    #: The draft and indicator rows when the review hands them over (no files to read).
    loaded_draft: Any = None
    indicator_rows: list[Any] | None = None
    #: The review's consultations (None: read the log file, if any).
    review_consultations: list[Any] | None = None
    settings: dict[str, Any] = field(default_factory=precheck_settings)
    #: i18n keys (checklist.precheck.note_*) with their values: what a reason should add.
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @cached_property
    def draft(self) -> Any:
        if self.loaded_draft is not None:
            return self.loaded_draft
        if self.draft_path is None:
            raise ChecklistError("no draft to pre-check: give the draft file")
        return _load_draft_cached(str(self.draft_path), self.draft_path.stat().st_mtime_ns)

    @cached_property
    def text(self) -> str:
        return _fold(self.draft.text)

    def pages_with(self, phrases: Iterable[str]) -> tuple[int, ...]:
        pages: set[int] = set()
        for phrase in phrases:
            pages.update(p.page for p in self.draft.search(phrase))
        return tuple(sorted(pages))

    def has_any(self, phrases: Iterable[str]) -> list[str]:
        return [p for p in phrases if _fold(p) in self.text]

    @cached_property
    def headings(self) -> list[Any]:
        return self.draft.paragraphs("heading")

    @cached_property
    def goal_sections(self) -> dict[int, list[Region]]:
        """Goal number -> the parts of the draft under a heading that names the goal."""
        found: dict[int, list[Region]] = {}
        paras = self.draft.paragraphs()
        for n, para in enumerate(paras):
            if para.kind != "heading":
                continue
            goal = _goal_of_heading(para.text)
            if goal is None:
                continue
            body = []
            for nxt in paras[n + 1 :]:
                if nxt.kind == "heading" and (
                    _structural(nxt) or _goal_of_heading(nxt.text) is not None
                ):
                    break
                body.append(nxt)
            found.setdefault(goal, []).append(Region(title=para.text, paragraphs=(para, *body)))
        return dict(sorted(found.items()))

    @cached_property
    def goals_dismissed(self) -> dict[int, tuple[int, ...]]:
        """Goals whose only sections call them not applicable (with the pages)."""
        phrases = [_fold(p) for p in self.settings.get("dismissal_phrases", [])]
        out: dict[int, tuple[int, ...]] = {}
        for goal, regions in self.goal_sections.items():
            texts = [_fold(" ".join(p.text for p in r.paragraphs)) for r in regions]
            if all(any(ph in text for ph in phrases) for text in texts):
                out[goal] = tuple(sorted({p for r in regions for p in r.pages}))
        return out

    @cached_property
    def goals_reviewed(self) -> dict[int, tuple[int, ...]]:
        """Goals the draft has a section on (not merely dismissed), with the heading pages."""
        return {
            g: tuple(sorted({r.paragraphs[0].page for r in regions}))
            for g, regions in self.goal_sections.items()
            if g not in self.goals_dismissed
        }

    @cached_property
    def indicators(self) -> list[Any]:
        if self.indicator_rows is not None:
            return list(self.indicator_rows)
        if self.indicators_path is None or not self.indicators_path.is_file():
            return []
        return _load_indicator_rows(self.indicators_path)

    @cached_property
    def consultations(self) -> list[Any]:
        """Consultations held on or before the draft's date (a later one cannot be in it)."""
        records = self._workspace_consultations()
        if records is None:
            records = self._file_consultations()
        if self.draft_date is None:
            return records
        kept = [c for c in records if c.date is None or c.date <= self.draft_date]
        later = len(records) - len(kept)
        if later:
            self.notes.append(("note_later", {"n": later}))
        return kept

    def _workspace_consultations(self) -> list[Any] | None:
        """Consultations saved in the review (imported and perhaps corrected there), if any."""
        if self.review_consultations is not None:
            return self.review_consultations
        if self.ws is None or self.review_id is None:
            return None
        from ..consultations.store import load_consultations

        return load_consultations(self.ws, self.review_id) or None

    def _file_consultations(self) -> list[Any]:
        if self.consultations_path is None or not self.consultations_path.is_file():
            return []
        from ..consultations.reader import read_consultation_log

        result = read_consultation_log(self.consultations_path, dayfirst=True)
        if result.rejected:
            self.notes.append(
                ("note_rejected", {"n": len(result.rejected), "file": self.consultations_path.name})
            )
        return list(result.consultations)

    def section_pages(self, words: Iterable[str]) -> tuple[list[Region], tuple[int, ...]]:
        """Parts of the draft under a heading containing one of ``words``, and their pages.

        A part runs from its heading to the next *structural* heading (a
        chapter, or a numbered heading such as "8.2 ..."): text extracted from
        PDF tables sometimes looks like a heading, and must not cut a section
        short.
        """
        wanted = [_fold(w) for w in words]
        paras = self.draft.paragraphs()
        regions: list[Region] = []
        for n, para in enumerate(paras):
            if para.kind != "heading" or not any(w in _fold(para.text) for w in wanted):
                continue
            body = []
            for nxt in paras[n + 1 :]:
                if nxt.kind == "heading" and _structural(nxt):
                    break
                body.append(nxt)
            regions.append(Region(title=para.text, paragraphs=(para, *body)))
        pages = sorted({p.page for r in regions for p in r.paragraphs})
        return regions, tuple(pages)


@dataclass(frozen=True)
class Region:
    """A heading and the text under it up to the next structural heading."""

    title: str
    paragraphs: tuple[Any, ...]

    @property
    def pages(self) -> tuple[int, ...]:
        return tuple(sorted({p.page for p in self.paragraphs}))


# "1. Introduction", "3.1 Scope", "5.10 ...", "Annex A.": not "70 Improving" or "4.0 Worsening",
# which are table cells that PDF text extraction can take for headings.
_NUMBERED = re.compile(
    r"^\s*(?:\d{1,2}\.(?:[1-9]\d?\.?)*|annex\s+[a-z0-9]+\.?|chapter\s+\d+\.?)\s+\S", re.I
)
_GOAL_START = re.compile(r"^\s*(?:SDG|Goal)\s*\d", re.I)


_GOAL_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(?:SDG|Goal|目標)\s*(\d{1,2})(?![\d.])\s*(.*)$", re.I
)


def _goal_of_heading(text: str) -> int | None:
    """The goal a heading is about ("5.9 SDG 14: Life Below Water" -> 14), else None.

    The heading must start with the goal and go on with at most its title:
    a table row extracted as a heading ("SDG 1 No Poverty Progressing CBMS...")
    is not a goal section.
    """
    m = _GOAL_HEADING.match(text)
    if not m:
        return None
    goal = int(m.group(1))
    if not 1 <= goal <= 17:
        return None
    rest = _fold(m.group(2)).strip(" :.-–—|")
    if not rest:
        return goal
    from ..framework import get_framework

    g = get_framework().goal(goal)
    titles = [_fold(x) for x in (g.short_en, g.title_en, g.short_ja, g.title_ja) if x]
    # A trailing remark in brackets ("(Life below water)") is still the title.
    rest = re.sub(r"[()（）]", "", rest).strip()
    if any(rest == title or title.startswith(rest) for title in titles):
        return goal
    return (
        goal
        if any(rest.startswith(title) and len(rest) <= len(title) + 12 for title in titles)
        else None
    )


def _structural(para: Any) -> bool:
    """A heading that opens a section of the draft's outline.

    Numbered headings, goal headings and unnumbered chapter headings are;
    sub-headings without a number ("Where we stand") and table cells that
    text extraction took for headings ("SDG 1 No Poverty Progressing ...",
    "70 Improving") are not.
    """
    text = para.text.strip()
    if _goal_of_heading(text) is not None:
        return True
    if _GOAL_START.match(text):
        return False
    if _NUMBERED.match(text):
        return True
    return para.level <= 1 and not text[:1].isdigit()


def outline(draft: Any) -> list[Region]:
    """The draft split at its structural headings (see :func:`_structural`).

    Text before the first such heading, and a draft without any, fall back to
    the document's own sections.
    """
    regions: list[Region] = []
    current: list[Any] = []
    for para in draft.paragraphs():
        if para.kind == "heading" and _structural(para):
            if current and current[0].kind == "heading":
                regions.append(Region(title=current[0].text, paragraphs=tuple(current)))
            current = [para]
        elif current:
            current.append(para)
    if current and current[0].kind == "heading":
        regions.append(Region(title=current[0].text, paragraphs=tuple(current)))
    if not regions:
        return [
            Region(title=s.title, paragraphs=tuple(s.paragraphs))
            for s in draft.sections()
            if s.title
        ]
    return regions


@lru_cache(maxsize=8)
def _load_draft_cached(path: str, _mtime: int) -> Any:
    from ..documents import load_draft

    return load_draft(path)


def _load_indicator_rows(path: Path) -> list[Any]:
    """The city's indicator table (:class:`~vlr_tools.indicators.LocalIndicator` records)."""
    from ..indicators import load_indicators

    return list(load_indicators(path))
