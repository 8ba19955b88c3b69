"""Controlled values and column headings of a consultation log, read from data files.

``data/reference/stakeholders/engagement.yaml`` holds formats, IAP2 levels,
consent bases, yes/no words and sexes; ``log_columns.yaml`` holds the header
synonyms the importer looks for. Both are checked on load and a mistake is
reported as a :class:`~vlr_tools.errors.DataFileError` naming file, entry and
field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .._shared import load_yaml_text
from ..errors import DataFileError, Problem
from ..stakeholders import STAKEHOLDERS_DIR, normalise_text

ENGAGEMENT_FILE = STAKEHOLDERS_DIR / "engagement.yaml"
COLUMNS_FILE = STAKEHOLDERS_DIR / "log_columns.yaml"


@dataclass(frozen=True)
class Term:
    """One controlled value: id, display names and the ways people write it."""

    id: str
    en: str
    ja: str
    synonyms: tuple[str, ...]

    def name(self, lang: str = "en") -> str:
        return (self.ja if lang == "ja" else self.en) or self.en


class TermList:
    """An ordered list of terms with case/accent-insensitive lookup."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = tuple(terms)
        self._lookup: dict[str, str] = {}
        for term in self.terms:
            for label in (term.id, term.en, term.ja, *term.synonyms):
                if not label:
                    continue
                self._lookup.setdefault(normalise_text(label), term.id)
        self._by_id = {term.id: term for term in self.terms}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(term.id for term in self.terms)

    def resolve(self, text: object) -> str | None:
        """The id ``text`` names, or None."""
        return self._lookup.get(normalise_text(text)) if text is not None else None

    def get(self, term_id: str) -> Term:
        return self._by_id[term_id]

    def allowed(self) -> str:
        """The values a user may type, for error messages."""
        return ", ".join(term.en for term in self.terms)


@dataclass(frozen=True)
class Engagement:
    """The controlled values of engagement.yaml."""

    formats: TermList
    iap2_levels: TermList
    consent_bases: TermList
    sexes: TermList
    yes: frozenset[str]
    no: frozenset[str]
    blanks: frozenset[str]
    validation_words: tuple[str, ...] = ()
    vague_responses: frozenset[str] = frozenset()

    def is_vague(self, response: str) -> bool:
        """True when a response only says the input was noted or will be considered."""
        key = normalise_text(response)
        if not key:
            return False
        return key in self.vague_responses or any(
            key.startswith(v) and len(key) <= len(v) + 30 for v in self.vague_responses
        )

    def flag(self, text: object) -> bool | None:
        """True/False for a yes/no word, None when it is neither."""
        key = normalise_text(text)
        if not key and str(text).strip() in self.yes | self.no:
            key = str(text).strip()  # "✓" folds to nothing
        if key in self.yes:
            return True
        if key in self.no:
            return False
        return None

    def is_blank(self, text: object) -> bool:
        stripped = str(text).strip()
        return stripped == "" or stripped.casefold() in self.blanks


def _terms(name: str, entries: Any, problems: list[Problem], file: str) -> TermList:
    terms: list[Term] = []
    seen: dict[str, str] = {}
    if not isinstance(entries, list) or not entries:
        problems.append(Problem(f"'{name}' must be a non-empty list", file=file, column=name))
        return TermList([])
    for row, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            problems.append(Problem("entry needs an id", file=file, sheet=name, row=row))
            continue
        for key in ("en", "ja"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.append(
                    Problem(f"missing {key}", file=file, sheet=name, row=row, column=key)
                )
        synonyms = entry.get("synonyms") or []
        if not isinstance(synonyms, list):
            problems.append(
                Problem(
                    "synonyms must be a list", file=file, sheet=name, row=row, column="synonyms"
                )
            )
            synonyms = []
        for label in [entry["id"], *synonyms]:
            key = normalise_text(label)
            if key in seen and seen[key] != entry["id"]:
                problems.append(
                    Problem(
                        f"synonym also used by {seen[key]}",
                        file=file,
                        sheet=name,
                        row=row,
                        column="synonyms",
                        value=label,
                        allowed="each synonym may name one value only",
                    )
                )
            seen[key] = entry["id"]
        terms.append(
            Term(
                entry["id"],
                str(entry.get("en") or entry["id"]),
                str(entry.get("ja") or ""),
                tuple(str(s) for s in synonyms),
            )
        )
    return TermList(terms)


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml_text(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(f"{path}: file not found") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc


def load_engagement(path: Path | None = None) -> Engagement:
    """Read and check engagement.yaml (formats, IAP2 levels, consent bases...)."""
    path = Path(path or ENGAGEMENT_FILE)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping of lists")
    problems: list[Problem] = []
    file = path.name

    def words(key: str) -> frozenset[str]:
        value = data.get(key)
        if not isinstance(value, list):
            problems.append(Problem(f"'{key}' must be a list of words", file=file, column=key))
            return frozenset()
        out = set()
        for word in value:
            text = str(word)
            out.add(normalise_text(text) or text.strip())
        return frozenset(out)

    blanks = data.get("blanks")
    engagement = Engagement(
        formats=_terms("formats", data.get("formats"), problems, file),
        iap2_levels=_terms("iap2_levels", data.get("iap2_levels"), problems, file),
        consent_bases=_terms("consent_bases", data.get("consent_bases"), problems, file),
        sexes=_terms("sexes", data.get("sexes"), problems, file),
        yes=words("yes_words"),
        no=words("no_words"),
        blanks=frozenset(str(b).strip().casefold() for b in (blanks or [])),
        validation_words=tuple(sorted(words("validation_words"))),
        vague_responses=words("vague_responses"),
    )
    clash = engagement.yes & engagement.no
    if clash:
        problems.append(
            Problem("words listed as both yes and no", file=file, column="yes", value=sorted(clash))
        )
    if problems:
        raise DataFileError(f"{path}: engagement vocabulary is malformed", problems)
    return engagement


#: Fields of each table the importer needs; a sheet without them is reported.
REQUIRED_COLUMNS = {"consultations": ("date", "groups"), "participants": ("name",)}
TABLES = ("consultations", "participants")


class ColumnMatcher:
    """Maps a header cell as written to a field of one table, by synonyms."""

    def __init__(self, table: str, synonyms: dict[str, tuple[str, ...]]) -> None:
        self.table = table
        self.synonyms = synonyms
        self._lookup: dict[str, str] = {}
        for field_name, labels in synonyms.items():
            for label in (field_name.replace("_", " "), *labels):
                self._lookup.setdefault(normalise_text(label), field_name)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.synonyms)

    def match(self, header: object) -> str | None:
        """The field a header names. Tries the whole text, then its parts
        ("Petsa / Date" -> "petsa", "date"; "Lugar (Venue)" -> "lugar", "venue")."""
        if header is None:
            return None
        text = str(header)
        found = self._lookup.get(normalise_text(text))
        if found:
            return found
        for part in re.split(r"[/|()\[\]\n]+", text):
            found = self._lookup.get(normalise_text(part))
            if found:
                return found
        # "Date (dd/mm/yyyy)" or "Petsa - date of activity": drop a trailing hint
        head = re.split(r"\s[-–:]\s|:", text)[0]
        if head != text:
            return self._lookup.get(normalise_text(head))
        return None

    def example_headers(self, field_name: str, limit: int = 4) -> str:
        labels = self.synonyms.get(field_name, ())
        return ", ".join(f'"{label}"' for label in labels[:limit])


def load_columns(path: Path | None = None) -> dict[str, ColumnMatcher]:
    """Read log_columns.yaml into one matcher per table."""
    path = Path(path or COLUMNS_FILE)
    data = _read_yaml(path)
    problems: list[Problem] = []
    out: dict[str, ColumnMatcher] = {}
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected tables 'consultations' and 'participants'")
    for table in TABLES:
        fields = data.get(table)
        if not isinstance(fields, dict):
            problems.append(Problem("table missing", file=path.name, sheet=table))
            continue
        synonyms: dict[str, tuple[str, ...]] = {}
        owner: dict[str, str] = {}
        for field_name, labels in fields.items():
            if not isinstance(labels, list):
                problems.append(
                    Problem(
                        "synonyms must be a list", file=path.name, sheet=table, column=field_name
                    )
                )
                continue
            for label in labels:
                key = normalise_text(label)
                if key in owner and owner[key] != field_name:
                    problems.append(
                        Problem(
                            f"heading also listed under {owner[key]}",
                            file=path.name,
                            sheet=table,
                            column=field_name,
                            value=label,
                        )
                    )
                owner[key] = field_name
            synonyms[str(field_name)] = tuple(str(label) for label in labels)
        for required in REQUIRED_COLUMNS[table]:
            if required not in synonyms:
                problems.append(
                    Problem("required field missing", file=path.name, sheet=table, column=required)
                )
        out[table] = ColumnMatcher(table, synonyms)
    if problems:
        raise DataFileError(f"{path}: consultation log headings are malformed", problems)
    return out


@lru_cache(maxsize=1)
def get_engagement() -> Engagement:
    """engagement.yaml, loaded once."""
    return load_engagement()


@lru_cache(maxsize=1)
def get_columns() -> dict[str, ColumnMatcher]:
    """log_columns.yaml, loaded once."""
    return load_columns()
