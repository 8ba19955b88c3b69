"""Checklist templates: the review criteria, kept as editable YAML data.

A template lives in ``data/reference/checklists/<name>.yaml`` (``full`` and
``workshop`` ship with the workbench). A reviewer who wants other criteria
copies a template with :func:`copy_template`, edits the copy and raises its
version; a review records which template name and version it was rated
against (see :mod:`vlr_tools.checklist.ratings`).

>>> tpl = load_template("full")                       # doctest: +SKIP
>>> tpl.criterion("C4").question("ja")                # doctest: +SKIP
'取り残されている人々を特定し、...'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .._shared import read_yaml
from ..errors import ChecklistError, DataFileError, Problem
from ..i18n import check_lang
from ..paths import REFERENCE_DIR

if TYPE_CHECKING:
    import pandas as pd

#: File holding the areas A-H shared by the templates in the checklists folder.
AREAS_FILE = "areas.yaml"
_ID = re.compile(r"^[A-Z][0-9]{1,2}[a-z]?$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TEMPLATE_KEYS = {"name", "version", "title", "description", "areas", "criteria", "based_on"}
_CRITERION_KEYS = {"id", "area", "question", "good", "source"}


def checklists_dir() -> Path:
    """The folder of checklist templates (``data/reference/checklists``)."""
    return REFERENCE_DIR / "checklists"


@dataclass(frozen=True)
class Area:
    """A review area (``A`` ... ``H``) with its name and a one-line description."""

    code: str
    name_en: str
    name_ja: str
    about_en: str = ""
    about_ja: str = ""

    def name(self, lang: str = "en") -> str:
        return self.name_ja if check_lang(lang) == "ja" and self.name_ja else self.name_en

    def about(self, lang: str = "en") -> str:
        return self.about_ja if check_lang(lang) == "ja" and self.about_ja else self.about_en

    def label(self, lang: str = "en") -> str:
        """``"C. Stakeholders and leave no one behind"``."""
        return f"{self.code}. {self.name(lang)}"


@dataclass(frozen=True)
class Criterion:
    """One checklist criterion: what the reviewer asks and what good looks like."""

    id: str
    area: str
    question_en: str
    question_ja: str
    good_en: str
    good_ja: str
    source: str

    def question(self, lang: str = "en") -> str:
        return (
            self.question_ja if check_lang(lang) == "ja" and self.question_ja else self.question_en
        )

    def good(self, lang: str = "en") -> str:
        return self.good_ja if check_lang(lang) == "ja" and self.good_ja else self.good_en


@dataclass(frozen=True)
class Template:
    """A named, versioned checklist: areas and criteria in display order."""

    name: str
    version: str
    criteria: tuple[Criterion, ...]
    areas: tuple[Area, ...]
    title_en: str = ""
    title_ja: str = ""
    description_en: str = ""
    description_ja: str = ""
    path: Path | None = None
    based_on: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """Criterion ids in display order."""
        return tuple(c.id for c in self.criteria)

    @property
    def label(self) -> str:
        """``"full 2025.1"``: what a review records."""
        return f"{self.name} {self.version}"

    def title(self, lang: str = "en") -> str:
        return (
            self.title_ja if check_lang(lang) == "ja" and self.title_ja else self.title_en
        ) or self.name

    def description(self, lang: str = "en") -> str:
        return (
            self.description_ja
            if check_lang(lang) == "ja" and self.description_ja
            else self.description_en
        )

    def __contains__(self, criterion_id: object) -> bool:
        return criterion_id in self.ids

    def __len__(self) -> int:
        return len(self.criteria)

    def area(self, code: str) -> Area:
        """The area with ``code``; ChecklistError naming the codes otherwise."""
        for a in self.areas:
            if a.code == code:
                return a
        allowed = ", ".join(a.code for a in self.areas)
        raise ChecklistError(f"template {self.name!r} has no area {code!r}; allowed: {allowed}")

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with ``criterion_id``.

        Raises :class:`~vlr_tools.errors.ChecklistError` listing close ids
        (same area first) when the template has no such criterion.
        """
        wanted = str(criterion_id).strip().upper()
        for c in self.criteria:
            if c.id.upper() == wanted:
                return c
        raise ChecklistError(
            f"template {self.label!r} has no criterion {criterion_id!r}; "
            f"did you mean: {', '.join(self.close_ids(wanted))}? "
            f"(all ids: {', '.join(self.ids)})"
        )

    def close_ids(self, wanted: str, limit: int = 4) -> tuple[str, ...]:
        """Ids that look like ``wanted``: the same area's first, then similar text."""
        wanted = str(wanted).strip().upper()
        same_area = [c.id for c in self.criteria if wanted and c.id[0] == wanted[0]]
        similar = get_close_matches(wanted, self.ids, n=limit, cutoff=0.3)
        ordered = list(dict.fromkeys([*similar, *same_area]))
        return tuple(ordered[:limit]) or self.ids[:limit]

    def by_area(self) -> dict[str, tuple[Criterion, ...]]:
        """Criteria grouped by area code, in display order."""
        return {a.code: tuple(c for c in self.criteria if c.area == a.code) for a in self.areas}

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per criterion: id, area, area name, question, good, source."""
        import pandas as pd

        names = {a.code: a.name(lang) for a in self.areas}
        return pd.DataFrame(
            [
                {
                    "id": c.id,
                    "area": c.area,
                    "area_name": names.get(c.area, c.area),
                    "question": c.question(lang),
                    "good": c.good(lang),
                    "source": c.source,
                }
                for c in self.criteria
            ],
            columns=["id", "area", "area_name", "question", "good", "source"],
        )


def list_templates(folder: Path | None = None) -> tuple[str, ...]:
    """Names of the templates in the checklists folder (every YAML but areas)."""
    folder = folder or checklists_dir()
    return tuple(sorted(p.stem for p in folder.glob("*.yaml") if p.name != AREAS_FILE))


def template_path(name_or_path: str | Path) -> Path:
    """Resolve a template name (``"full"``) or a file path to an existing file."""
    text = str(name_or_path).strip()
    if " " in text and "/" not in text and not text.endswith((".yaml", ".yml")):
        text = text.split()[0]  # a label such as "full 2025.1" names the template "full"
    candidate = Path(text)
    if candidate.suffix in (".yaml", ".yml") or candidate.parent != Path("."):
        if not candidate.is_file():
            raise ChecklistError(f"checklist template file {text!r} does not exist")
        return candidate
    path = checklists_dir() / f"{text}.yaml"
    if not path.is_file():
        allowed = ", ".join(list_templates()) or "(none)"
        raise ChecklistError(
            f"no checklist template named {text!r} in {checklists_dir()}; allowed: {allowed} "
            "(or give the path of a .yaml file)"
        )
    return path


def load_template(name_or_path: str | Path = "full") -> Template:
    """Load and validate a checklist template by name or path.

    Every problem is collected and raised at once as
    :class:`~vlr_tools.errors.DataFileError` naming the file, the criterion
    (number and id) and the field.
    """
    path = template_path(name_or_path).resolve()
    return _load_cached(path, path.stat().st_mtime_ns)


def clear_template_cache() -> None:
    """Forget loaded templates (after editing a file in the same session)."""
    _load_cached.cache_clear()
    _load_areas.cache_clear()


@lru_cache(maxsize=32)
def _load_cached(path: Path, _mtime: int) -> Template:
    data = read_yaml(path)
    return parse_template(data, path)


def parse_template(data: Mapping[str, Any], path: Path) -> Template:
    """Validate the mapping read from a template file and build the Template."""
    problems: list[Problem] = []
    file = str(path)

    def bad(message: str, value: object = None, allowed: str | None = None) -> None:
        problems.append(Problem(message, file=file, value=value, allowed=allowed))

    for key in sorted(set(data) - _TEMPLATE_KEYS):
        bad(f"unknown top-level key {key!r}", allowed=", ".join(sorted(_TEMPLATE_KEYS)))
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        bad("field 'name' must be a short name (letters, digits, - _ .)", name)
        name = path.stem
    version = data.get("version")
    if (
        isinstance(version, bool)
        or not isinstance(version, (str, int, float))
        or not str(version).strip()
    ):
        bad("field 'version' is required (e.g. \"2025.1\")", version)
        version = ""
    title = _texts(data.get("title"), "", "title", bad, required=False)
    description = _texts(data.get("description"), "", "description", bad, required=False)

    if "areas" in data:
        areas = _parse_areas(data.get("areas"), file, problems)
    else:
        areas = (
            _load_areas(path.parent / AREAS_FILE)
            if (path.parent / AREAS_FILE).is_file()
            else _load_areas(checklists_dir() / AREAS_FILE)
        )
    area_codes = [a.code for a in areas]

    raw = data.get("criteria")
    criteria: list[Criterion] = []
    if not isinstance(raw, list) or not raw:
        bad("field 'criteria' must be a non-empty list of criteria")
        raw = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, start=1):
        crit = _parse_criterion(entry, n, area_codes, seen, bad)
        if crit is not None:
            criteria.append(crit)
    if problems:
        raise DataFileError(f"checklist template {path.name} is malformed", problems)
    based_on = data.get("based_on")
    return Template(
        name=str(name),
        version=str(version).strip(),
        criteria=tuple(criteria),
        areas=areas,
        title_en=title.get("en", ""),
        title_ja=title.get("ja", ""),
        description_en=description.get("en", ""),
        description_ja=description.get("ja", ""),
        path=path,
        based_on=str(based_on) if based_on else None,
    )


def _parse_criterion(
    entry: object, n: int, area_codes: list[str], seen: set[str], bad: Any
) -> Criterion | None:
    if not isinstance(entry, Mapping):
        bad(f"criterion #{n}: must be a mapping with id, area, question, good, source", entry)
        return None
    cid = entry.get("id")
    where = f"criterion #{n} ({cid})" if cid else f"criterion #{n}"
    for key in sorted(set(entry) - _CRITERION_KEYS):
        bad(f"{where}, field {key!r}: unknown field", allowed=", ".join(sorted(_CRITERION_KEYS)))
    ok = True
    if not isinstance(cid, str) or not _ID.match(cid):
        bad(f"{where}, field 'id': must be an area letter and a number", cid, "e.g. A1, C4")
        ok = False
    elif cid in seen:
        bad(f"{where}, field 'id': used twice", cid)
        ok = False
    else:
        seen.add(cid)
    area = entry.get("area")
    if area not in area_codes:
        bad(f"{where}, field 'area': unknown area", area, ", ".join(area_codes))
        ok = False
    elif isinstance(cid, str) and not cid.startswith(str(area)):
        bad(f"{where}, field 'id': must start with its area letter {area!r}", cid)
        ok = False
    question = _texts(entry.get("question"), where, "question", bad)
    good = _texts(entry.get("good"), where, "good", bad)
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        bad(f"{where}, field 'source': must name where the criterion comes from", source)
        ok = False
    if not ok or "en" not in question or "en" not in good:
        return None
    return Criterion(
        id=str(cid),
        area=str(area),
        question_en=question["en"],
        question_ja=question.get("ja", ""),
        good_en=good["en"],
        good_ja=good.get("ja", ""),
        source=str(source).strip(),
    )


def _texts(
    value: object, where: str, name: str, bad: Any, *, required: bool = True
) -> dict[str, str]:
    """Read ``{en: ..., ja: ...}``; English is required, Japanese falls back to it."""
    prefix = f"{where}, " if where else ""
    if value is None and not required:
        return {}
    if isinstance(value, str) and value.strip():
        return {"en": value.strip()}
    if not isinstance(value, Mapping):
        bad(f"{prefix}field '{name}': must be a mapping {{en: ..., ja: ...}}", value)
        return {}
    out: dict[str, str] = {}
    for lang in sorted(set(value) - {"en", "ja"}):
        bad(f"{prefix}field '{name}.{lang}': unknown language", allowed="en, ja")
    for lang in ("en", "ja"):
        text = value.get(lang)
        if text is None and lang == "ja":
            continue
        if not isinstance(text, str) or not text.strip():
            bad(f"{prefix}field '{name}.{lang}': must be a non-empty text", text)
            continue
        out[lang] = " ".join(text.split())
    return out


@lru_cache(maxsize=8)
def _load_areas(path: Path) -> tuple[Area, ...]:
    data = read_yaml(path, expect=list)
    problems: list[Problem] = []
    areas = _parse_areas(data, str(path), problems)
    if problems:
        raise DataFileError(f"checklist areas file {path.name} is malformed", problems)
    return areas


def _parse_areas(raw: object, file: str, problems: list[Problem]) -> tuple[Area, ...]:
    def bad(message: str, value: object = None, allowed: str | None = None) -> None:
        problems.append(Problem(message, file=file, value=value, allowed=allowed))

    if not isinstance(raw, list) or not raw:
        bad("areas must be a non-empty list of {code, name, about}")
        return ()
    areas: list[Area] = []
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            bad(f"area #{n}: must be a mapping", entry)
            continue
        code = entry.get("code")
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z]", code):
            bad(f"area #{n}, field 'code': must be one capital letter", code, "A-Z")
            continue
        if any(a.code == code for a in areas):
            bad(f"area #{n}, field 'code': used twice", code)
            continue
        name = _texts(entry.get("name"), f"area #{n} ({code})", "name", bad)
        about = _texts(entry.get("about"), f"area #{n} ({code})", "about", bad, required=False)
        if "en" in name:
            areas.append(
                Area(
                    code=code,
                    name_en=name["en"],
                    name_ja=name.get("ja", ""),
                    about_en=about.get("en", ""),
                    about_ja=about.get("ja", ""),
                )
            )
    return tuple(areas)


def copy_template(name: str | Path, dest: str | Path, *, new_name: str | None = None) -> Path:
    """Copy a template so a reviewer can edit it; return the new file's path.

    ``dest`` is a file path (``my-city.yaml``), a folder (the copy is named
    after ``new_name`` or ``<name>-copy``) or a bare name (the copy goes into
    the checklists folder under that name). The copy keeps every comment,
    gets the new name, a version ``"<old>-1"`` and ``based_on: <name> <version>``
    so a review rated against it says where its criteria came from. An
    existing file is never overwritten.
    """
    source = template_path(name)
    tpl = load_template(source)
    dest_path = Path(dest)
    if dest_path.is_dir():
        dest_path = dest_path / f"{new_name or tpl.name + '-copy'}.yaml"
    elif dest_path.suffix not in (".yaml", ".yml"):
        if dest_path.parent != Path("."):
            raise ChecklistError(f"copy destination {str(dest)!r} must end in .yaml or be a folder")
        dest_path = checklists_dir() / f"{dest_path.name}.yaml"
    if dest_path.exists():
        raise ChecklistError(
            f"{dest_path} already exists; choose another name (nothing was overwritten)"
        )
    copy_name = new_name or dest_path.stem
    if not _NAME.match(copy_name):
        raise ChecklistError(f"template name {copy_name!r} must use letters, digits, - _ . only")
    text = source.read_text(encoding="utf-8")
    text, n_name = re.subn(r"(?m)^name:.*$", f"name: {copy_name}", text, count=1)
    text, n_version = re.subn(r"(?m)^version:.*$", f'version: "{tpl.version}-1"', text, count=1)
    text = re.sub(r"(?m)^based_on:.*\n", "", text)
    if not n_name or not n_version:  # a hand-written file with unusual layout: rewrite it whole
        data = read_yaml(source)
        data.update(name=copy_name, version=f"{tpl.version}-1")
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = text.replace(
        f"name: {copy_name}\n", f"name: {copy_name}\nbased_on: {tpl.name} {tpl.version}\n", 1
    )
    if "areas" not in read_yaml(source):
        # A copy outside the checklists folder must still know its areas.
        areas_yaml = yaml.safe_dump(
            {"areas": [_area_dict(a) for a in tpl.areas]},
            allow_unicode=True,
            sort_keys=False,
            width=1000,
        )
        text = text.rstrip("\n") + "\n" + areas_yaml
    dest_path.parent.mkdir(parents=True, exist_ok=True)
    dest_path.write_text(text, encoding="utf-8")
    load_template(dest_path)  # fail now, not later, if the copy is somehow invalid
    return dest_path


def _area_dict(a: Area) -> dict[str, Any]:
    return {
        "code": a.code,
        "name": {"en": a.name_en, "ja": a.name_ja},
        "about": {"en": a.about_en, "ja": a.about_ja},
    }
