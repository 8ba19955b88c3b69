"""A draft mapping as a table: paragraphs and one row per suggested goal or target."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import MappingError

if TYPE_CHECKING:
    import pandas as pd


#: Columns of the matches table that every view here works from.
MATCH_COLUMNS = (
    "ref",
    "page",
    "section",
    "kind",
    "goal",
    "target",
    "score",
    "evidence",
    "spans",
    "source",
    "decision",
    "note",
)
_REF = re.compile(r"^p(\d+)\.(\d+)$")


@dataclass(frozen=True)
class ParagraphInfo:
    """What the coverage views need to know about one paragraph of the draft."""

    ref: str
    page: int
    section: str = ""
    kind: str = "text"
    words: int = 0
    chapter: str = ""
    text: str = ""
    level: int = 0


@dataclass(frozen=True)
class MappingView:
    """A draft mapping reduced to paragraphs and suggested matches (one row per match)."""

    paragraphs: tuple[ParagraphInfo, ...]
    matches: pd.DataFrame
    title: str = ""
    vocabulary_version: str = ""
    #: The reading by meaning's version ("" when the words alone made the mapping).
    meaning_version: str = ""
    by_ref: Mapping[str, ParagraphInfo] = field(default_factory=dict, compare=False)
    #: True when ``paragraphs`` is the whole draft (not only the mapped paragraphs of a table).
    complete: bool = False

    def paragraph(self, ref: str) -> ParagraphInfo | None:
        return self.by_ref.get(ref)


def _word_count(text: str) -> int:
    # Japanese has no spaces: count ~2 characters of CJK text as one word.
    cjk = len(re.findall(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]", text))
    return len(re.findall(r"[A-Za-z0-9]+", text)) + cjk // 2


_ANNEX = re.compile(r"^(?:annex|appendix|付録|別添|資料)\s*[\w.]*", re.IGNORECASE)
#: A chapter with more paragraphs than this is split into its level-2 sections.
CHAPTER_SPLIT = 40


def _chapters(paragraphs: Sequence[Any]) -> dict[str, str]:
    """Paragraph ref -> the part of the draft it belongs to (a heatmap row, a coverage unit).

    A part is the chapter (level-1 heading) above the paragraph; a long
    chapter (more than :data:`CHAPTER_SPLIT` paragraphs, e.g. "4. Progress
    on the Goals" holding one section per goal) is split at its level-2
    headings. Text before the first heading belongs to the part "".
    Repeated titles ("Where we stand" under every goal) are prefixed with
    their chapter's title so that every part has its own label.
    """
    places: list[tuple[str, tuple[str, str] | None, tuple[str, str] | None]] = []
    l1: tuple[str, str] | None = None
    l2: tuple[str, str] | None = None
    for para in paragraphs:
        if getattr(para, "kind", "") == "heading":
            level = getattr(para, "level", 1) or 1
            if level <= 1:
                l1, l2 = (para.ref, " ".join(para.text.split())), None
            elif level == 2:
                l2 = (para.ref, " ".join(para.text.split()))
        places.append((para.ref, l1, l2))
    sizes: dict[str | None, int] = {}
    for _, one, _ in places:
        key = one[0] if one else None
        sizes[key] = sizes.get(key, 0) + 1
    chosen: list[tuple[str, tuple[str, str] | None, tuple[str, str] | None]] = []
    for ref, one, two in places:
        split = sizes.get(one[0] if one else None, 0) > CHAPTER_SPLIT and two is not None
        chosen.append((ref, two if split else one, one if split else None))
    titles: dict[str, set[str]] = {}
    for _, part, _ in chosen:
        if part is not None:
            titles.setdefault(part[1], set()).add(part[0])
    labels: dict[str, str] = {}
    out: dict[str, str] = {}
    for ref, part, parent in chosen:
        if part is None:
            out[ref] = ""
            continue
        label = labels.get(part[0])
        if label is None:
            label = part[1]
            if parent is not None and (len(titles[part[1]]) > 1 or _ANNEX.match(parent[1])):
                # "Annex A › SDG 1: No Poverty": an annex table is not the goal's chapter.
                annex = _ANNEX.match(parent[1])
                label = f"{annex.group(0).rstrip('.: ') if annex else parent[1]} › {part[1]}"
            while label in labels.values():
                label += " ·"
            labels[part[0]] = label
        out[ref] = label
    return out


def _info(para: Any, chapter: str) -> ParagraphInfo:
    return ParagraphInfo(
        ref=str(para.ref),
        page=int(para.page),
        section=str(getattr(para, "section", "") or ""),
        kind=str(getattr(para, "kind", "text") or "text"),
        words=_word_count(str(para.text)),
        chapter=chapter,
        text=str(para.text),
        level=int(getattr(para, "level", 0) or 0),
    )


def _evidence_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    out = []
    for item in value:
        if getattr(item, "kind", None) == "meaning" and getattr(item, "source", ""):
            # the reading by meaning has no words of its own: say what it read
            out.append(str(item.source))
            continue
        text = getattr(item, "text", None)
        if text is None and isinstance(item, Mapping):
            text = item.get("text") or item.get("term")
        if text is None and isinstance(item, tuple | list) and item and isinstance(item[0], str):
            text = item[0]
        if text is None:
            text = str(item)
        out.append(str(text))
    return out


def mapping_view(draft_mapping: Any) -> MappingView:
    """Reduce a draft mapping to a :class:`MappingView` (paragraphs + one row per match).

    Accepts the result of :func:`vlr_tools.mapping.map_draft`, a
    :class:`MappingView`, or a DataFrame with at least the columns ``ref,
    page, goal`` (optionally the other :data:`MATCH_COLUMNS`, ``text`` and
    ``words``). Each suggested goal gives one goal-level row (``target``
    None, the goal's score and all its evidence) and one row per target it
    has evidence for (that target's evidence), so reviewers can decide on
    either.
    """
    import pandas as pd

    if isinstance(draft_mapping, MappingView):
        return draft_mapping
    if isinstance(draft_mapping, pd.DataFrame):
        return _view_from_frame(draft_mapping)
    draft = getattr(draft_mapping, "draft", None)
    items = getattr(draft_mapping, "paragraphs", None)
    if draft is None or items is None or callable(items):
        raise MappingError(
            "coverage needs a draft mapping (from vlr_tools.mapping.map_draft) or a table "
            f"of matches; got {type(draft_mapping).__name__}"
        )
    paragraphs = draft.paragraphs()
    chapters = _chapters(paragraphs)
    infos = tuple(_info(p, chapters.get(p.ref, "")) for p in paragraphs)
    by_ref = {p.ref: p for p in infos}
    rows = []
    for item in items:
        info = by_ref.get(str(item.ref))
        if info is None:
            continue
        for match in item.matches:
            rows += _match_rows(info, match)
    frame = pd.DataFrame(rows, columns=list(MATCH_COLUMNS))
    version = getattr(draft_mapping, "vocabulary_version", "") or ""
    return MappingView(
        paragraphs=infos,
        matches=_typed(frame),
        title=str(getattr(draft, "title", "") or ""),
        vocabulary_version=str(version),
        meaning_version=str(getattr(draft_mapping, "meaning_version", "") or ""),
        by_ref=by_ref,
        complete=True,
    )


def _target_score(weight: float) -> float:
    try:
        from ..mapping import score_of
    except ImportError:  # pragma: no cover - the mapping module is part of the package
        return min(1.0, weight / 3.0)
    return float(score_of(weight))


def _match_rows(info: ParagraphInfo, match: Any) -> list[dict[str, Any]]:
    """The goal-level row and one row per target of one suggested goal in one paragraph."""
    evidence = tuple(getattr(match, "evidence", ()) or ())
    base = {
        "ref": info.ref,
        "page": info.page,
        "section": info.section,
        "kind": info.kind,
        "goal": int(match.goal),
        "source": "suggested",
        "decision": "",
        "note": "",
    }
    rows = [
        base
        | {
            "target": None,
            "score": float(getattr(match, "score", 0.0) or 0.0),
            "evidence": _evidence_list(evidence),
            "spans": _spans_of(evidence),
        }
    ]
    targets = tuple(getattr(match, "targets", ()) or ())
    if not targets and getattr(match, "target", None):
        targets = (str(match.target),)
    for code in targets:
        mine = [e for e in evidence if getattr(e, "target", None) == code]
        weight = sum(float(getattr(e, "weight", 1.0) or 0.0) for e in mine)
        rows.append(
            base
            | {
                "target": str(code),
                "score": round(_target_score(weight), 3) if mine else rows[0]["score"],
                "evidence": _evidence_list(mine),
                "spans": _spans_of(mine),
            }
        )
    return rows


def _spans_of(evidence: Iterable[Any]) -> list[tuple[int, int]]:
    spans = []
    for e in evidence:
        if getattr(e, "place", "") == "heading":
            continue  # words of the programme's name on the line above, not of this text
        start, end = getattr(e, "start", None), getattr(e, "end", None)
        if isinstance(start, int) and isinstance(end, int) and end > start:
            spans.append((start, end))
    return spans


def _view_from_frame(frame: pd.DataFrame) -> MappingView:
    import pandas as pd

    missing = [c for c in ("ref", "page", "goal") if c not in frame.columns]
    if missing:
        raise MappingError(
            f"the matches table lacks the column(s) {', '.join(missing)}; "
            f"allowed columns: {', '.join(MATCH_COLUMNS)}"
        )
    data = frame.copy()
    defaults: dict[str, Any] = {
        "section": "",
        "kind": "text",
        "target": None,
        "score": 1.0,
        "evidence": None,
        "spans": None,
        "source": "suggested",
        "decision": "",
        "note": "",
    }
    for column, default in defaults.items():
        if column not in data.columns:
            data[column] = [default] * len(data)
    data["evidence"] = [_evidence_list(v) for v in data["evidence"]]
    data["spans"] = [list(v) if isinstance(v, list | tuple) else [] for v in data["spans"]]
    infos: dict[str, ParagraphInfo] = {}
    for row in data.itertuples(index=False):
        if row.ref not in infos:
            text = str(getattr(row, "text", "") or "")
            infos[row.ref] = ParagraphInfo(
                ref=str(row.ref),
                page=int(row.page),
                section=str(row.section or ""),
                kind=str(row.kind or "text"),
                words=int(getattr(row, "words", 0) or _word_count(text)),
                chapter=str(getattr(row, "chapter", "") or row.section or ""),
                text=text,
                level=int(getattr(row, "level", 0) or (1 if row.kind == "heading" else 0)),
            )
    ordered = tuple(sorted(infos.values(), key=lambda p: _ref_key(p.ref)))
    return MappingView(
        paragraphs=ordered,
        matches=_typed(pd.DataFrame(data[list(MATCH_COLUMNS)])),
        by_ref={p.ref: p for p in ordered},
    )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame["page"] = frame["page"].astype("int64")
    frame["goal"] = frame["goal"].astype("int64")
    frame["score"] = frame["score"].astype("float64")
    frame["target"] = frame["target"].astype("object").where(frame["target"].notna(), None)
    return frame


def _ref_key(ref: str) -> tuple[int, int]:
    match = _REF.match(ref)
    return (int(match[1]), int(match[2])) if match else (0, 0)
