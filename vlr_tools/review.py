"""The review a reviewer holds: one object that hands every feature its inputs.

Every feature (mapping, coverage, checklist pre-checks and page checks,
annotations, indicators, consultations, the memo) asks the review for what it
works on, instead of looking in the repository's sample folders::

    rv = open_review(ws, "baguio-v1-1a2b3c4d")   # or ws.open_review(...)
    rv.city.name            # the city's profile, from the workspace
    rv.draft.page_count     # the stored draft file, read once (and its reading kept)
    rv.indicators           # the indicator table imported into the review, or None
    rv.consultations        # the consultation log imported into the review
    rv.mapping()            # the SDG mapping the reviewer saw (stored), or a fresh one

The sample cities reach a workspace through the same intake as a real city
(:mod:`vlr_tools.intake`), so nothing here knows about them.

A review keeps how its draft was read (record ``draft_reading``): its mapping
decisions, claims and saved mapping name paragraphs by reference (``p12.3``),
and those must keep pointing at the same text when the reading rules of
:mod:`vlr_tools.documents` improve. A review that began before readings were
kept gets the reading its saved mapping fits (see :meth:`OpenReview.draft`).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import warnings
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import DocumentError, UnknownReviewError, WorkspaceError

if TYPE_CHECKING:
    from .documents import Draft
    from .indicators.table import IndicatorTable
    from .mapping import DraftMapping
    from .workspace import Review, Workspace
    from .workspace.cities import CityProfile, StoredDraft

#: Record kind and key of the mapping a reviewer last ran (``vlr map --review``).
MAPPING_KIND = "mapping_run"
MAPPING_KEY = "latest"
#: Record kind of the reading a review keeps of its draft (key: the sha256 of the file read).
READING_KIND = "draft_reading"
#: Record kinds of the indicator table imported into a review.
INDICATOR_KIND = "indicator"
INDICATOR_SOURCE_KIND = "indicator_source"
INDICATOR_SOURCE_KEY = "table"


def draft_cache_dir() -> Path:
    """Where stored drafts are written out for libraries that need a file path."""
    root = os.environ.get("VLR_CACHE_DIR")
    base = Path(root) if root else Path(tempfile.gettempdir()) / f"vlr-cache-{os.getuid()}"
    return base / "drafts"


def materialise(ws: Workspace, sha256: str, filename: str) -> Path:
    """The stored file ``sha256`` as a file named ``filename`` in the draft cache.

    Content-addressed: the file is written once (atomically) and reused;
    a file in the cache whose bytes no longer match is written again.
    """
    folder = draft_cache_dir() / sha256
    path = folder / (Path(filename).name or "draft")
    if path.is_file():
        from .workspace.cities import sha256_of

        if path.stat().st_size and sha256_of(path.read_bytes()) == sha256:
            return path
    folder.mkdir(parents=True, exist_ok=True)
    data = ws.blob(sha256)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return path


_DRAFTS: dict[tuple[str, str | None], Draft] = {}


def _read_draft(path: str, sha256: str, lang: str | None) -> Draft:
    """Read a draft file once per content and language (the path may differ)."""
    from .documents import load_draft

    key = (sha256, lang)
    found = _DRAFTS.get(key)
    if found is None or not Path(path).is_file():
        found = load_draft(path, lang=lang)
        if len(_DRAFTS) >= 8:
            _DRAFTS.pop(next(iter(_DRAFTS)))
        _DRAFTS[key] = found
    return found


class OpenReview:
    """One review with its city, stored draft, indicator table and consultation log.

    Each input is read from the workspace once, on first use. ``record`` is
    the :class:`~vlr_tools.workspace.Review` row (id, city slug, version,
    reviewers, settings).
    """

    def __init__(self, ws: Workspace, review: Review | str) -> None:
        self.ws = ws
        self.record: Review = ws.review(review) if isinstance(review, str) else review

    def __repr__(self) -> str:
        return f"<OpenReview {self.id} ({self.record.city} {self.record.version})>"

    # -- the review --------------------------------------------------------------------

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def slug(self) -> str:
        """The city's slug."""
        return self.record.city

    @property
    def version(self) -> str:
        """The draft version reviewed (``v1``...)."""
        return self.record.version

    @property
    def settings(self) -> dict[str, Any]:
        return dict(self.record.settings or {})

    # -- the city ------------------------------------------------------------------------

    @cached_property
    def city(self) -> CityProfile | None:
        """The city's profile, or None when the workspace has none for the review's slug."""
        return self.ws.find_city(self.record.city)

    @property
    def city_name(self) -> str:
        """The city's name from its profile (the slug only when there is no profile)."""
        return self.city.name if self.city else self.record.city

    @property
    def illustrative(self) -> bool:
        """True for the sample cities' reviews (made-up drafts and data)."""
        if self.city is not None:
            return bool(self.city.illustrative)
        return bool(self.settings.get("illustrative"))

    @property
    def hlpf_year(self) -> int | None:
        """The HLPF year the review checks against: the review's setting, else the city's."""
        value = str(self.settings.get("hlpf_year") or "")
        if value.isdigit():
            return int(value)
        return self.city.hlpf_year if self.city else None

    @property
    def coastal(self) -> bool | None:
        """Whether the city is coastal (None: not known)."""
        return self.city.coastal if self.city else None

    # -- the draft ----------------------------------------------------------------------

    @cached_property
    def draft_file(self) -> StoredDraft | None:
        """The stored draft file of the review's city and version, or None."""
        return self.ws.find_draft(self.record.city, self.record.version)

    @property
    def has_draft(self) -> bool:
        return self.draft_file is not None

    def _require_draft(self) -> StoredDraft:
        stored = self.draft_file
        if stored is None:
            raise DocumentError(
                f"review {self.id} has no stored draft: no draft {self.version!r} of "
                f"{self.slug!r} is in the workspace; add it with "
                f"`vlr draft add {self.slug} FILE --version {self.version}`"
            )
        return stored

    @cached_property
    def draft_path(self) -> Path:
        """A local file with the draft's text source (the OCR'd copy when pages were OCR'd)."""
        stored = self._require_draft()
        name = stored.filename
        if stored.text_sha256:
            name = f"{Path(name).stem}.ocr.pdf"
        return materialise(self.ws, stored.text_source, name)

    @cached_property
    def original_path(self) -> Path:
        """A local file with the draft exactly as received."""
        stored = self._require_draft()
        return materialise(self.ws, stored.sha256, stored.filename)

    @cached_property
    def draft(self) -> Draft:
        """The stored draft, read into pages and paragraphs as it was when the review began.

        The first time, the file is read (once per file per process) and the
        reading is kept in the review; afterwards the kept reading is used, so
        that the review's paragraph references keep naming the same text
        whatever later versions of the reader would make of the file. A review
        that began before readings were kept and has a saved mapping gets the
        reader version whose paragraphs its saved evidence fits, with a warning
        when none fits all of it.
        """
        stored = self._require_draft()
        draft = self._kept_reading(stored)
        if draft is None:
            draft = self._first_reading(stored)
        # Cite the file as received, even when its text came from an OCR'd copy.
        return dataclasses.replace(draft, path=self.original_path, sha256=stored.sha256)

    def _kept_reading(self, stored: StoredDraft) -> Draft | None:
        from .documents import draft_from_reading

        rec = self.ws.get(self.id, READING_KIND, stored.text_source)
        if rec is None or (stored.lang and rec.data.get("lang") != stored.lang):
            return None
        try:
            return draft_from_reading(rec.data)
        except DocumentError as exc:
            warnings.warn(f"review {self.id}: {exc}; the draft file is read again", stacklevel=3)
            return None

    def _first_reading(self, stored: StoredDraft) -> Draft:
        from .documents import READER_VERSION, READERS, load_draft, reading_of

        path, lang = str(self.draft_path), stored.lang or None
        draft = _read_draft(path, stored.text_source, lang)
        reader = READER_VERSION
        run = self.ws.get(self.id, MAPPING_KIND, MAPPING_KEY)
        if run is not None and run.data.get("draft_sha256") == stored.sha256:
            fit = evidence_fit(run.data, draft)
            for older in sorted(READERS, reverse=True)[1:]:
                if fit >= 1.0:
                    break
                candidate = load_draft(path, lang=lang, reader=older)
                older_fit = evidence_fit(run.data, candidate)
                if older_fit > fit:
                    draft, reader, fit = candidate, older, older_fit
            if fit < 1.0:
                warnings.warn(
                    f"review {self.id}: its saved mapping was made on a reading of the draft "
                    f"that no reader version reproduces ({fit:.0%} of its evidence fits the "
                    "closest); paragraph references in its decisions and claims may name "
                    f"other text now: check them (`vlr map --review {self.id}`)",
                    stacklevel=3,
                )
        try:
            self.ws.put(self.id, READING_KIND, stored.text_source, reading_of(draft, reader))
        except WorkspaceError:
            pass  # a read-only workspace or no reviewer name: kept by the next one who can
        return draft

    def page_drawing(self, *, make: bool = True) -> tuple[Path, bool] | None:
        """The PDF the page view draws, and whether its pages are the draft's pages.

        A PDF draft is drawn from its stored file (the OCR'd copy when pages
        were OCR'd: it looks the same and has their words); a DOCX from the
        PDF rendering the intake made with LibreOffice (``False``: that
        rendering has page numbers of its own). A DOCX taken in before
        renderings were kept is drawn now (with ``make``) and the rendering
        stored. None for Markdown or text drafts, or when LibreOffice is missing.
        """
        stored = self._require_draft()
        if stored.format == "pdf":
            return self.draft_path, True
        if stored.format != "docx":
            return None
        rendering = stored.rendering
        if rendering is not None and self.ws.has_blob(rendering["sha256"]):
            return materialise(
                self.ws, rendering["sha256"], f"{Path(stored.filename).stem}.pdf"
            ), False
        if not make:
            return None
        from .pages import render_docx, rendering_pages

        data = render_docx(self.original_path)
        if data is None:
            return None
        self.ws.put_rendering(
            self.slug, self.version, data, pages=rendering_pages(data), tool="LibreOffice"
        )
        self.__dict__.pop("draft_file", None)
        return self.page_drawing(make=False)

    @property
    def draft_date(self) -> Any:
        """When the city sent the draft (None: not recorded)."""
        return self.draft_file.received if self.draft_file else None

    # -- tables ---------------------------------------------------------------------------

    @cached_property
    def indicators(self) -> IndicatorTable | None:
        """The indicator table imported into the review, or None."""
        return stored_indicators(self.ws, self.id)

    @cached_property
    def consultations(self) -> list[Any]:
        """The consultation records imported into the review (empty when none)."""
        from .consultations.store import load_consultations

        return list(load_consultations(self.ws, self.id))

    # -- mapping --------------------------------------------------------------------------

    @cached_property
    def vocabulary(self) -> Any:
        """The shared vocabulary plus the city's local terms and the review's own."""
        from .vocabulary import Term, load_vocabulary

        vocab = load_vocabulary(workspace=self.ws, review_id=self.id)
        if self.city is not None and self.city.local_terms:
            known = {f.name for f in dataclasses.fields(Term)}
            terms = [
                Term(**{k: v for k, v in t.items() if k in known}) for t in self.city.local_terms
            ]
            vocab = vocab.with_terms(terms, label=f"city {self.slug}")
        return vocab

    def map(
        self, *, save: bool = True, reviewer: str | None = None, meaning: bool | None = None
    ) -> DraftMapping:
        """Map the stored draft now; with ``save``, keep the suggestions the reviewer sees.

        ``meaning`` as in :func:`~vlr_tools.mapping.map_draft` (default: the reading by
        meaning is used unless ``VLR_MEANING=off``).
        """
        from .mapping import map_draft

        mapping = map_draft(self.draft, city=self.slug, vocabulary=self.vocabulary, meaning=meaning)
        if save:
            save_mapping(self.ws, self.id, mapping, reviewer=reviewer)
        return mapping

    def mapping(self) -> DraftMapping:
        """The mapping saved for this draft (what the reviewer saw), else a fresh one (not saved)."""
        stored = load_mapping(self.ws, self.id, self.draft)
        return stored if stored is not None else self.map(save=False)

    def page_count(self) -> int | None:
        """The stored draft's page count, or None when the review has no draft."""
        stored = self.draft_file
        if stored is None:
            return None
        return stored.pages or self.draft.page_count


def open_review(ws: Workspace, review_id: str) -> OpenReview:
    """The review ``review_id`` of ``ws`` with its inputs (see :class:`OpenReview`)."""
    return OpenReview(ws, review_id)


# -- the stored mapping ----------------------------------------------------------------


def evidence_fit(run: dict[str, Any], draft: Draft) -> float:
    """The share of a saved mapping's evidence that sits where it says in ``draft``.

    Each piece of evidence records its words and their offsets in its
    paragraph's text; on the reading the mapping was made on, all of them
    fit. 1.0 when the mapping has no evidence.
    """
    checked = fitting = 0
    paragraphs = draft.paragraphs()
    above = {p.ref: q for q, p in zip(paragraphs, paragraphs[1:], strict=False)}
    for ref, item in (run.get("paragraphs") or {}).items():
        para = draft.get(str(ref))
        for match in (item or {}).get("matches") or ():
            for ev in (match or {}).get("evidence") or ():
                start, end, text = ev.get("start"), ev.get("end"), ev.get("text")
                if not (isinstance(start, int) and isinstance(end, int) and text):
                    continue
                checked += 1
                # a programme's name read with its description: offsets in the line above
                where = above.get(str(ref)) if ev.get("place") == "heading" else para
                fitting += where is not None and where.text[start:end] == text
    return fitting / checked if checked else 1.0


def save_mapping(
    ws: Workspace, review_id: str, mapping: DraftMapping, *, reviewer: str | None = None
) -> None:
    """Keep a mapping's suggestions (with the vocabulary version) in the review."""
    from .workspace.model import iso, now

    paragraphs: dict[str, Any] = {}
    for p in mapping.paragraphs:
        if p.matches or p.skipped:
            paragraphs[p.ref] = {
                "matches": [dataclasses.asdict(m) for m in p.matches],
                "skipped": p.skipped,
            }
    ws.put(
        review_id,
        MAPPING_KIND,
        MAPPING_KEY,
        {
            "draft_sha256": mapping.draft.sha256,
            "vocabulary_version": mapping.vocabulary_version,
            "meaning_version": mapping.meaning_version,
            "lang": mapping.lang,
            "city": mapping.city,
            "mapped_at": iso(now()),
            "paragraphs": paragraphs,
        },
        reviewer=reviewer,
    )


def load_mapping(ws: Workspace, review_id: str, draft: Draft) -> DraftMapping | None:
    """The mapping saved in the review for exactly this draft, or None."""
    from .mapping import DraftMapping, Evidence, Match, ParagraphMapping

    rec = ws.get(review_id, MAPPING_KIND, MAPPING_KEY)
    if rec is None or rec.data.get("draft_sha256") != draft.sha256:
        return None
    stored = rec.data.get("paragraphs") or {}
    match_fields = {f.name for f in dataclasses.fields(Match)}
    evidence_fields = {f.name for f in dataclasses.fields(Evidence)}

    def match(data: dict[str, Any]) -> Match:
        values = {k: v for k, v in data.items() if k in match_fields}
        values["evidence"] = tuple(
            Evidence(**{k: v for k, v in e.items() if k in evidence_fields})
            for e in data.get("evidence") or ()
        )
        values["targets"] = tuple(values.get("targets") or ())
        return Match(**values)

    out = []
    for para in draft.paragraphs():
        item = stored.get(para.ref) or {}
        out.append(
            ParagraphMapping(
                ref=para.ref,
                page=para.page,
                section=para.section,
                section_ref=para.section_ref,
                kind=para.kind,
                text=para.text,
                matches=tuple(match(m) for m in item.get("matches") or ()),
                skipped=str(item.get("skipped") or ""),
            )
        )
    return DraftMapping(
        draft=draft,
        paragraphs=tuple(out),
        vocabulary_version=str(rec.data.get("vocabulary_version") or ""),
        lang=str(rec.data.get("lang") or draft.lang),
        city=rec.data.get("city"),
        meaning_version=str(rec.data.get("meaning_version") or ""),
    )


# -- the stored indicator table ------------------------------------------------------------


def stored_indicators(ws: Workspace, review_id: str) -> IndicatorTable | None:
    """The indicator table imported into a review, or None when none was imported."""
    source = ws.get(review_id, INDICATOR_SOURCE_KIND, INDICATOR_SOURCE_KEY)
    if source is None:
        return None
    from .indicators.table import IndicatorTable, LocalIndicator

    rows = [LocalIndicator.from_record(rec.data) for rec in ws.records(review_id, INDICATOR_KIND)]
    order = {key: n for n, key in enumerate(source.data.get("order") or ())}
    rows.sort(key=lambda i: (order.get(i.id, len(order)), i.row, i.id))
    data = source.data
    return IndicatorTable(
        path=Path(str(data.get("filename") or "indicators")),
        sheet=data.get("sheet"),
        indicators=tuple(rows),
        header_row=int(data.get("header_row") or 1),
    )


# -- finding the review a command means -------------------------------------------------


def resolve_review(
    ws: Workspace,
    review_id: str | None = None,
    *,
    city: str | None = None,
    version: str | None = None,
    start_sample: bool = True,
    notify: Any = None,
) -> OpenReview:
    """The review a command or notebook means: ``review_id``, else the latest of ``city``.

    ``city`` is the shortcut for the sample cities (and any city with a
    review): the newest review of that city (and draft ``version``). With
    ``start_sample``, a sample city with no review yet is taken in through
    the intake and a review started, and ``notify(text)`` is told so.
    """
    if review_id:
        return open_review(ws, review_id)
    if not city:
        raise UnknownReviewError("say which review: give a review id (--review ID) or --city SLUG")
    from .intake import is_sample_city, require_sample

    if is_sample_city(city):
        require_sample(city, version)  # a version the sample city has not: say which it has
    found = ws.find_review(city, version)
    if found is not None:
        return OpenReview(ws, found)
    from .intake import start_sample_review

    if start_sample and is_sample_city(city):
        # A shortcut on a read command may start the sample review without anyone's
        # name set: the history then says the workbench did it.
        who = None if ws.reviewer else "vlr (sample city shortcut)"
        rv = start_sample_review(ws, city, version, reviewer=who)
        if notify is not None:
            notify(
                f"started review {rv.id} of the sample city {city} (draft {rv.version}) "
                f"in {ws.location}"
            )
        return OpenReview(ws, rv)
    which = f"{city!r} draft {version}" if version else repr(city)
    have = [r.version for r in ws.reviews(city)]
    from .cities import list_cities

    hint = (
        f"; its reviews are of drafts {', '.join(have)}"
        if have
        else f"; start one with 'vlr workspace new --city {city} --draft FILE'. --city also "
        f"starts a review of a sample city (allowed: {', '.join(list_cities())})"
    )
    raise UnknownReviewError(f"no review of {which} in the workspace {ws.location}{hint}")


__all__ = [
    "INDICATOR_KIND",
    "INDICATOR_SOURCE_KIND",
    "MAPPING_KIND",
    "READING_KIND",
    "OpenReview",
    "evidence_fit",
    "load_mapping",
    "open_review",
    "resolve_review",
    "save_mapping",
    "stored_indicators",
]
