"""The sample cities: profile, draft files, indicators, consultation log, answer key.

Trainers demo the workbench on two illustrative Philippine cities kept under
``data/cities/<slug>/``. This module reads a city's ``city.yaml`` into a
:class:`City` record with absolute paths, and its ``review_key.yaml`` (the
planted weaknesses a good review should find) into :class:`Weakness` records.

>>> from vlr_tools.cities import load_city, list_cities
>>> list_cities()  # doctest: +SKIP
('san-fernando', 'santa-rosa')
>>> load_city("santa-rosa").draft("v1").pdf.name  # doctest: +SKIP
'santa-rosa-vlr-draft-v1.pdf'

Everything in these folders beyond the public facts listed in ``city.yaml`` is
illustrative sample data; ``City.illustrative`` says so and memos must repeat it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from ._shared import read_yaml
from .errors import CityError, DataFileError, Problem

#: Kinds of planted weakness an answer key may use (the team brief's list).
#: A key may add others by listing them under ``extra_kinds`` in its header.
WEAKNESS_KINDS: tuple[str, ...] = (
    "hlpf_goal_missing",
    "goal_claimed_without_data",
    "indicator_no_baseline",
    "indicator_no_source",
    "indicator_single_point",
    "stakeholder_group_not_consulted",
    "consultation_no_response",
    "consultation_no_iap2",
    "no_followup_plan",
    "no_validation",
    "no_disaggregation",
    "no_endorsement",
    "no_budget_tagging",
    "no_data_gap_plan",
    "no_plan_alignment",
    "coastal_sdg14_silent",
)

LANGS = ("en", "ja")
_VERSION = re.compile(r"^v[1-9][0-9]*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CRITERION = re.compile(r"^[A-H][1-9]$")
#: Kinds of figure inconsistency an answer key's ``claims`` may list (the
#: checks of :mod:`vlr_tools.claims`).
CLAIM_KINDS: tuple[str, ...] = (
    "value_differs",
    "trend_contradicts",
    "status_unsupported",
    "older_year",
    "values_disagree",
)
_INDICATOR_ID = re.compile(r"^[A-Z]{1,6}(?:-[A-Z]{1,6})*-\d{1,4}$")


@dataclass(frozen=True)
class DraftFiles:
    """One document of a sample city: its editable source and generated files.

    ``version`` is ``"v1"``, ``"v2"``... for drafts and ``"ja"`` for the
    Japanese summary. Paths are absolute.
    """

    version: str
    lang: str
    source: Path
    pdf: Path
    docx: Path
    date: dt.date | None = None


@dataclass(frozen=True)
class City:
    """A sample city's profile (``city.yaml``) with absolute paths to its files."""

    slug: str
    name: str
    official_name: str
    province: str
    region: str
    city_class: str
    population_2020: int
    population_source: str
    barangays: int
    languages: tuple[str, ...]
    coastal: bool
    illustrative: bool
    illustrative_note: str
    public_facts: tuple[str, ...]
    vlr_cycle: str
    hlpf_year: int
    drafts: tuple[DraftFiles, ...]
    folder: Path
    indicators_path: Path
    consultations_path: Path
    review_key_path: Path
    japanese: DraftFiles | None = None

    @property
    def versions(self) -> tuple[str, ...]:
        """Draft versions in date order, e.g. ``("v1", "v2")``."""
        return tuple(d.version for d in self.drafts)

    @property
    def latest(self) -> DraftFiles:
        """The most recent draft."""
        return self.drafts[-1]

    @property
    def japanese_path(self) -> Path | None:
        """The Japanese summary as PDF, or None if the city has none."""
        return self.japanese.pdf if self.japanese else None

    def draft(self, version: str | None = None) -> DraftFiles:
        """The draft with ``version`` (``"v1"``...), the latest when None.

        Raises :class:`~vlr_tools.errors.CityError` naming the versions the
        city has when it has no such draft.
        """
        if version is None:
            return self.latest
        for d in self.drafts:
            if d.version == version:
                return d
        raise CityError(
            f"city {self.slug!r} has no draft {version!r}; allowed: {', '.join(self.versions)}"
        )

    def files(self) -> tuple[Path, ...]:
        """Every file the profile names (sources, generated drafts, spreadsheets, key)."""
        paths: list[Path] = [self.folder / "city.yaml"]
        for d in (*self.drafts, *((self.japanese,) if self.japanese else ())):
            paths += [d.source, d.pdf, d.docx]
        paths += [self.indicators_path, self.consultations_path, self.review_key_path]
        return tuple(paths)

    def missing_files(self) -> tuple[Path, ...]:
        """Files the profile names that do not exist (empty when complete)."""
        return tuple(p for p in self.files() if not p.is_file())


@dataclass(frozen=True)
class Evidence:
    """Where, in one draft version, the evidence of a weakness lies.

    ``pages`` are 1-based page numbers of the generated PDF. ``present`` are
    phrases found on those pages; ``absent`` are phrases found nowhere in that
    draft (the evidence is their absence). Matching is on whitespace-normalised,
    case-folded text.
    """

    version: str
    pages: tuple[int, ...]
    present: tuple[str, ...]
    absent: tuple[str, ...]


class _WithEvidence:
    """An answer-key entry with its evidence per draft version."""

    evidence: tuple[Evidence, ...]

    @property
    def pages(self) -> tuple[int, ...]:
        """Pages in the draft version the key is written against."""
        return self.evidence[0].pages

    def evidence_for(self, version: str) -> Evidence | None:
        """The evidence in draft ``version``, or None if the key does not say."""
        for ev in self.evidence:
            if ev.version == version:
                return ev
        return None


@dataclass(frozen=True)
class Weakness(_WithEvidence):
    """One planted weakness of a sample draft, as listed in ``review_key.yaml``."""

    id: str
    area: str
    criteria: tuple[str, ...]
    kind: str
    summary: str
    evidence: tuple[Evidence, ...]
    detail: Mapping[str, Any] = field(default_factory=dict)
    fixed_in: str | None = None


@dataclass(frozen=True)
class PlantedClaim(_WithEvidence):
    """One figure inconsistency of a sample draft, as listed under ``claims`` in ``review_key.yaml``.

    ``indicator`` is the table's id the claim is about ("" for a goal's
    status: then ``goal`` is set). ``planted`` is True when it was written into
    the draft on purpose, False when it was already there and recognised as
    a real inconsistency. ``evidence`` holds the pages and phrases per version.
    """

    id: str
    kind: str
    summary: str
    evidence: tuple[Evidence, ...]
    indicator: str = ""
    goal: int | None = None
    planted: bool = True
    fixed_in: str | None = None


def list_cities(root: Path | None = None) -> tuple[str, ...]:
    """Slugs of the sample cities (folders holding a ``city.yaml``), sorted."""
    # Read at call time: tests (and VLR_DATA_DIR users) may point it elsewhere.
    root = Path(root) if root is not None else paths.CITIES_DIR
    if not root.is_dir():
        return ()
    return tuple(sorted(p.parent.name for p in root.glob("*/city.yaml")))


def load_city(slug: str, root: Path | None = None) -> City:
    """Read and check ``data/cities/<slug>/city.yaml``.

    Raises :class:`~vlr_tools.errors.CityError` for an unknown slug and
    :class:`~vlr_tools.errors.DataFileError` listing every malformed key.
    """
    # Read at call time: tests (and VLR_DATA_DIR users) may point it elsewhere.
    root = Path(root) if root is not None else paths.CITIES_DIR
    path = root / slug / "city.yaml"
    if not path.is_file():
        known = ", ".join(list_cities(root)) or "(none)"
        raise CityError(f"no sample city {slug!r} in {root}; allowed: {known}")
    data = read_yaml(path)
    return _parse_city(data, path)


def sample_vocabulary_path(city: str) -> Path:
    """A sample city's local vocabulary file ``data/cities/<slug>/vocabulary.csv`` (may not exist).

    Raises :class:`~vlr_tools.errors.CityError` naming the sample cities for
    an unknown slug.
    """
    slug = str(city).strip()
    root = paths.CITIES_DIR
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug) or not (root / slug).is_dir():
        known = sorted(p.name for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
        raise CityError(
            f"unknown city {city!r}; allowed: {', '.join(known) or '(no cities in ' + str(root) + ')'}"
        )
    return root / slug / "vocabulary.csv"


def sample_vocabulary_terms(slug: str) -> list[Any]:
    """The local vocabulary terms of a sample city (empty when it has none)."""
    from .vocabulary import read_vocabulary_file

    path = sample_vocabulary_path(slug)
    return read_vocabulary_file(path, lang="en", city=slug) if path.is_file() else []


def sample_file(city: str, name: str) -> Path:
    """A file of a sample city's folder, e.g. its demo scripts (it may not exist)."""
    return paths.CITIES_DIR / city / name


def sample_city(city: City | str) -> City:
    """A sample city's record, from a slug or as given."""
    return city if isinstance(city, City) else load_city(str(city))


def load_cities(root: Path | None = None) -> tuple[City, ...]:
    """Every sample city, in slug order."""
    return tuple(load_city(slug, root) for slug in list_cities(root))


def load_review_key(city: City | str, root: Path | None = None) -> tuple[Weakness, ...]:
    """Read and check a city's answer key of planted weaknesses.

    Checks the shape of every entry (area A-H, criteria like ``C4``, a known
    ``kind``, positive page numbers, versions the city has); it does not open
    the PDFs: the sample tests do that.
    """
    c = city if isinstance(city, City) else load_city(city, root)
    path = c.review_key_path
    if not path.is_file():
        raise DataFileError(f"{path}: answer key missing")
    data = read_yaml(path)
    problems: list[Problem] = []
    name = str(path)

    def bad(message: str, value: object = None, allowed: str | None = None) -> None:
        problems.append(Problem(message, file=name, value=value, allowed=allowed))

    if data.get("city") != c.slug:
        bad("key 'city' must name the city folder", data.get("city"), c.slug)
    base_version = str(data.get("version", c.drafts[0].version))
    if base_version not in c.versions:
        bad("key 'version' is not a draft of the city", base_version, ", ".join(c.versions))
    extra = data.get("extra_kinds") or {}
    if not isinstance(extra, Mapping):
        bad("key 'extra_kinds' must map kind -> description", extra)
        extra = {}
    kinds = (*WEAKNESS_KINDS, *(str(k) for k in extra))
    entries = data.get("weaknesses")
    if not isinstance(entries, list) or not entries:
        bad("key 'weaknesses' must be a non-empty list")
        raise DataFileError(f"{path}: answer key is malformed", problems)

    result: list[Weakness] = []
    for wid, entry, where in _keyed(entries, "weaknesses", bad):
        area = str(entry.get("area") or "")
        if area not in "ABCDEFGH" or len(area) != 1:
            bad(f"{where}: key 'area' must be one letter", area, "A-H")
        criteria = tuple(str(x) for x in entry.get("criteria") or ())
        if not criteria or any(not _CRITERION.match(x) or x[0] != area for x in criteria):
            bad(f"{where}: key 'criteria' must list criteria of area {area}", criteria, "e.g. C4")
        kind = str(entry.get("kind") or "")
        if kind not in kinds:
            bad(f"{where}: unknown kind", kind, ", ".join(kinds))
        summary = str(entry.get("summary") or "").strip()
        if not summary:
            bad(f"{where}: key 'summary' is required")
        detail = entry.get("detail") or {}
        if not isinstance(detail, Mapping):
            bad(f"{where}: key 'detail' must be a mapping", detail)
            detail = {}
        fixed_in, evidence = _versions(entry, c, base_version, where, bad)
        result.append(
            Weakness(
                id=wid,
                area=area,
                criteria=criteria,
                kind=kind,
                summary=summary,
                evidence=tuple(evidence),
                detail=dict(detail),
                fixed_in=str(fixed_in) if fixed_in is not None else None,
            )
        )
    if problems:
        raise DataFileError(f"{path}: answer key is malformed", problems)
    return tuple(result)


def load_claim_key(city: City | str, root: Path | None = None) -> tuple[PlantedClaim, ...]:
    """Read the ``claims`` of a city's answer key: the figure inconsistencies of its drafts.

    Checks every entry's shape (a known kind, an indicator id or a goal, pages
    and phrases, versions the city has) and raises
    :class:`~vlr_tools.errors.DataFileError` listing every problem. A key
    without ``claims`` gives an empty tuple.
    """
    c = city if isinstance(city, City) else load_city(city, root)
    path = c.review_key_path
    if not path.is_file():
        raise DataFileError(f"{path}: answer key missing")
    data = read_yaml(path)
    entries = data.get("claims")
    if entries is None:
        return ()
    problems: list[Problem] = []

    def bad(message: str, value: object = None, allowed: str | None = None) -> None:
        problems.append(Problem(message, file=str(path), value=value, allowed=allowed))

    if not isinstance(entries, list):
        bad("key 'claims' must be a list")
        raise DataFileError(f"{path}: answer key is malformed", problems)
    base_version = str(data.get("version", c.drafts[0].version))
    out: list[PlantedClaim] = []
    for cid, entry, where in _keyed(entries, "claims", bad):
        kind = str(entry.get("kind") or "")
        if kind not in CLAIM_KINDS:
            bad(f"{where}: unknown kind", kind, ", ".join(CLAIM_KINDS))
        indicator = str(entry.get("indicator") or "")
        goal = entry.get("goal")
        if indicator and not _INDICATOR_ID.match(indicator):
            bad(f"{where}: key 'indicator' must be an indicator id", indicator, "e.g. SR-IND-12")
        if goal is not None and (
            not isinstance(goal, int) or isinstance(goal, bool) or not 1 <= goal <= 17
        ):
            bad(f"{where}: key 'goal' must be a goal number", goal, "1-17")
            goal = None
        if not indicator and goal is None:
            bad(f"{where}: give the 'indicator' the claim is about, or the 'goal' of a status")
        summary = str(entry.get("summary") or "").strip()
        if not summary:
            bad(f"{where}: key 'summary' is required")
        planted = entry.get("planted", True)
        if not isinstance(planted, bool):
            bad(f"{where}: key 'planted' must be true or false", planted)
            planted = True
        fixed_in, evidence = _versions(entry, c, base_version, where, bad)
        out.append(
            PlantedClaim(
                id=cid,
                kind=kind,
                summary=summary,
                evidence=tuple(evidence),
                indicator=indicator,
                goal=goal,
                planted=planted,
                fixed_in=str(fixed_in) if fixed_in is not None else None,
            )
        )
    if problems:
        raise DataFileError(f"{path}: the answer key's claims are malformed", problems)
    return tuple(out)


# -- parsing helpers ---------------------------------------------------------


def _keyed(
    entries: list[Any], label: str, bad: Any
) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """(id, entry, where) of each mapping in an answer key's list; a missing or repeated id is a problem."""
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            bad(f"{label}[{n}] must be a mapping", entry)
            continue
        key = str(entry.get("id") or "")
        where = f"{label}[{n}] ({key or 'no id'})"
        if not key:
            bad(f"{where}: key 'id' is required")
        elif key in seen:
            bad(f"{where}: id used twice", key)
        seen.add(key)
        yield key, entry, where


def _versions(
    entry: Mapping[str, Any], c: City, base_version: str, where: str, bad: Any
) -> tuple[Any, list[Evidence]]:
    """An answer-key entry's ``fixed_in`` and its evidence in every version it names."""
    fixed_in = entry.get("fixed_in")
    if fixed_in is not None and str(fixed_in) not in c.versions:
        bad(f"{where}: key 'fixed_in' is not a draft version", fixed_in, ", ".join(c.versions))
    evidence = [_parse_evidence(entry, base_version, where, bad)]
    more = entry.get("versions") or {}
    if not isinstance(more, Mapping):
        bad(f"{where}: key 'versions' must map version -> {{pages, evidence}}", more)
        more = {}
    for version, sub in sorted(more.items()):
        if str(version) not in c.versions:
            bad(f"{where}: versions: not a draft version", version, ", ".join(c.versions))
        if not isinstance(sub, Mapping):
            bad(f"{where}: versions.{version} must be a mapping", sub)
            continue
        evidence.append(_parse_evidence(sub, str(version), f"{where} {version}", bad))
    return fixed_in, evidence


def _parse_evidence(entry: Mapping[str, Any], version: str, where: str, bad: Any) -> Evidence:
    pages = entry.get("pages")
    if pages is None:
        pages = []
    if not isinstance(pages, list) or any(
        not isinstance(p, int) or isinstance(p, bool) or p < 1 for p in pages
    ):
        bad(f"{where}: key 'pages' must be a list of page numbers (1, 2, ...)", pages)
        pages = []
    ev = entry.get("evidence") or {}
    if not isinstance(ev, Mapping):
        bad(f"{where}: key 'evidence' must be a mapping with 'present' and/or 'absent'", ev)
        ev = {}
    present = tuple(str(x) for x in ev.get("present") or ())
    absent = tuple(str(x) for x in ev.get("absent") or ())
    if not present and not absent:
        bad(f"{where}: evidence needs at least one 'present' or 'absent' phrase")
    if present and not pages:
        bad(f"{where}: 'present' phrases need the 'pages' they are on")
    return Evidence(version=version, pages=tuple(pages), present=present, absent=absent)


class _Checker:
    """Collects every problem of one city.yaml before raising."""

    def __init__(self, data: Mapping[str, Any], path: Path) -> None:
        self.data = data
        self.path = path
        self.problems: list[Problem] = []

    def bad(self, key: str, message: str, value: object = None, allowed: str | None = None) -> None:
        self.problems.append(
            Problem(f"key {key!r}: {message}", file=str(self.path), value=value, allowed=allowed)
        )

    def text(self, key: str, data: Mapping[str, Any] | None = None, prefix: str = "") -> str:
        value = (self.data if data is None else data).get(key)
        if not isinstance(value, str) or not value.strip():
            self.bad(prefix + key, "must be a non-empty text", value)
            return ""
        return value.strip()

    def count(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            self.bad(key, "must be a positive whole number", value)
            return 0
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            self.bad(key, "must be true or false", value)
            return False
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.bad(key, "must be a non-empty list of texts", value)
            return ()
        return tuple(v.strip() for v in value)

    def file(self, key: str, data: Mapping[str, Any] | None = None, prefix: str = "") -> Path:
        rel = self.text(key, data, prefix)
        folder = self.path.parent
        target = (folder / rel).resolve()
        if rel and (Path(rel).is_absolute() or not target.is_relative_to(folder.resolve())):
            self.bad(prefix + key, "must be a path inside the city folder", rel)
        return target


def _parse_city(data: Mapping[str, Any], path: Path) -> City:
    ck = _Checker(data, path)
    folder = path.parent.resolve()
    slug = ck.text("slug")
    if slug and (slug != folder.name or not _SLUG.match(slug)):
        ck.bad("slug", "must equal the folder name (lower case, hyphens)", slug, folder.name)
    illustrative = ck.flag("illustrative")
    note = str(data.get("illustrative_note") or "").strip()
    if illustrative and not note:
        ck.bad("illustrative_note", "must say what is illustrative when illustrative is true")

    vlr = data.get("vlr")
    cycle, hlpf_year = "", 0
    if not isinstance(vlr, Mapping):
        ck.bad("vlr", "must be a mapping with 'cycle' and 'hlpf_year'", vlr)
    else:
        cycle = ck.text("cycle", vlr, "vlr.")
        year = vlr.get("hlpf_year")
        if not isinstance(year, int) or isinstance(year, bool) or not 2016 <= year <= 2035:
            ck.bad("vlr.hlpf_year", "must be a year", year, "2016-2035")
        else:
            hlpf_year = year

    drafts: list[DraftFiles] = []
    raw_drafts = data.get("drafts")
    if not isinstance(raw_drafts, list) or not raw_drafts:
        ck.bad("drafts", "must be a non-empty list of {version, date, lang, source, pdf, docx}")
        raw_drafts = []
    for n, entry in enumerate(raw_drafts, start=1):
        prefix = f"drafts[{n}]."
        if not isinstance(entry, Mapping):
            ck.bad(f"drafts[{n}]", "must be a mapping", entry)
            continue
        version = str(entry.get("version") or "")
        if not _VERSION.match(version):
            ck.bad(prefix + "version", "must look like v1, v2...", version)
        if version in {d.version for d in drafts}:
            ck.bad(prefix + "version", "used twice", version)
        date = _date(entry.get("date"))
        if date is None:
            ck.bad(prefix + "date", "must be a date written YYYY-MM-DD", entry.get("date"))
        lang = str(entry.get("lang") or "")
        if lang not in LANGS:
            ck.bad(prefix + "lang", "unknown language", lang, ", ".join(LANGS))
        drafts.append(
            DraftFiles(
                version=version,
                lang=lang,
                source=ck.file("source", entry, prefix),
                pdf=ck.file("pdf", entry, prefix),
                docx=ck.file("docx", entry, prefix),
                date=date,
            )
        )
    dates = [d.date for d in drafts]
    if all(dates) and dates != sorted(dates):  # type: ignore[type-var]
        ck.bad("drafts", "must be listed oldest first")

    japanese = None
    raw_ja = data.get("japanese")
    if raw_ja is not None:
        if not isinstance(raw_ja, Mapping):
            ck.bad("japanese", "must be a mapping with source, pdf and docx", raw_ja)
        else:
            japanese = DraftFiles(
                version="ja",
                lang="ja",
                source=ck.file("source", raw_ja, "japanese."),
                pdf=ck.file("pdf", raw_ja, "japanese."),
                docx=ck.file("docx", raw_ja, "japanese."),
                date=_date(raw_ja.get("date")),
            )

    city = City(
        slug=slug,
        name=ck.text("name"),
        official_name=ck.text("official_name"),
        province=ck.text("province"),
        region=ck.text("region"),
        city_class=ck.text("city_class"),
        population_2020=ck.count("population_2020"),
        population_source=ck.text("population_source"),
        barangays=ck.count("barangays"),
        languages=ck.texts("languages"),
        coastal=ck.flag("coastal"),
        illustrative=illustrative,
        illustrative_note=note,
        public_facts=ck.texts("public_facts"),
        vlr_cycle=cycle,
        hlpf_year=hlpf_year,
        drafts=tuple(drafts),
        folder=folder,
        indicators_path=ck.file("indicators"),
        consultations_path=ck.file("consultations"),
        review_key_path=ck.file("review_key"),
        japanese=japanese,
    )
    if ck.problems:
        raise DataFileError(f"{path}: city profile is malformed", ck.problems)
    return city


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
