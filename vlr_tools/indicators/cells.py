"""Read one cell of an indicator table: headings, years, values with units and marks, codes.

The words come from ``data/reference/indicators/table_reading.yaml`` (English,
Filipino and Japanese headings, marks for "no data", flags, scales and
currencies), so a reviewer can teach the reader a new heading without
touching Python.

>>> parse_value("₱ 2.3M").number, parse_value("45.2%").unit, parse_value("12.5*").flag
(2300000.0, '%', '*')
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError, UnknownCodeError
from ..framework import Framework, normalise_code
from ..paths import REFERENCE_DIR

READING_FILE = REFERENCE_DIR / "indicators" / "table_reading.yaml"
#: The fields of an indicator table, in the order cities are asked to use.
FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "definition",
    "unit",
    "goal",
    "codes",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "target_2030",
    "source",
    "disaggregation",
    "notes",
)
#: Years a value may carry.
FIRST_YEAR = 1990


def fold(text: object) -> str:
    """A heading or mark as compared: NFKC, lower case, no spaces, no trailing ':' or '*'."""
    if isinstance(text, str):
        return _fold(text)
    return _fold(str(text if text is not None else ""))


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).lower()
    folded = "".join(folded.split())
    return folded.strip(":：*")


@dataclass(frozen=True)
class Vocabulary:
    """The words of ``table_reading.yaml``: headings per field, marks, flags, scales."""

    headings: dict[str, str]  # folded heading -> field
    labels: dict[str, str]  # field -> column name shown (``Local indicator``)
    examples: dict[str, dict[str, tuple[str, ...]]]  # field -> lang -> headings
    groups: dict[str, frozenset[str]]  # baseline/latest/year/value -> folded words
    year_labels: frozenset[str]
    blanks: frozenset[str]
    flags: dict[str, str]  # folded mark -> flag
    flag_names: dict[str, dict[str, str]]  # flag -> lang -> meaning
    scales: dict[str, float]
    currencies: frozenset[str]
    goal_words: tuple[str, ...]
    note_starts: tuple[str, ...]

    def field_of(self, name: str) -> str | None:
        """The field named by a column name (``Local indicator``) or a field key (``name``)."""
        key = fold(name)
        for field, label in self.labels.items():
            if key in (fold(label), fold(field), fold(field.replace("_", " "))):
                return field
        return self.headings.get(key)

    def allowed_columns(self) -> str:
        return ", ".join(self.labels[f] for f in FIELDS) + ", ignore"


@lru_cache(maxsize=2)
def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Read ``table_reading.yaml``; a malformed file raises DataFileError naming the key."""
    path = Path(path or READING_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot be read ({exc})") from exc
    columns = data.get("columns") or {}
    missing = [f for f in FIELDS if f not in columns]
    if missing:
        raise DataFileError(f"{path}: no headings for the field(s) {', '.join(missing)}")
    headings: dict[str, str] = {}
    labels: dict[str, str] = {}
    examples: dict[str, dict[str, tuple[str, ...]]] = {}
    for field in FIELDS:
        entry = columns[field]
        labels[field] = str(entry.get("column") or field)
        examples[field] = {}
        headings.setdefault(fold(labels[field]), field)
        for lang in ("en", "fil", "ja"):
            words = tuple(str(w) for w in entry.get(lang) or ())
            examples[field][lang] = words
            for word in words:
                headings.setdefault(fold(word), field)
    marks = data.get("marks") or {}
    flags: dict[str, str] = {}
    names: dict[str, dict[str, str]] = {}
    for flag, entry in (marks.get("flags") or {}).items():
        names[str(flag)] = {k: str(v) for k, v in entry.items() if k != "marks"}
        for mark in entry.get("marks") or ():
            flags[fold(mark)] = str(flag)
    return Vocabulary(
        headings=headings,
        labels=labels,
        examples=examples,
        groups={k: frozenset(fold(w) for w in v) for k, v in (data.get("groups") or {}).items()},
        year_labels=frozenset(fold(w) for w in data.get("year_labels") or ()),
        blanks=frozenset(fold(w) for w in marks.get("blank") or ()) | {""},
        flags=flags,
        flag_names=names,
        scales={str(k): float(v) for k, v in (data.get("scales") or {}).items()},
        currencies=frozenset(fold(w) for w in data.get("currencies") or ()),
        goal_words=tuple(fold(w) for w in data.get("goal_headings") or ()),
        note_starts=tuple(fold(w) for w in data.get("note_starts") or ()),
    )


# --------------------------------------------------------------------------- headings


_YEAR_IN_HEADING = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def heading_field(text: object, vocab: Vocabulary) -> str | None:
    """The field a heading names, trying the whole text, then its parts ("Source / Pinagmulan")."""
    if text is None:
        return None
    key = fold(text)
    if not key:
        return None
    found = vocab.headings.get(key)
    if found:
        return found
    raw = unicodedata.normalize("NFKC", str(text))
    for part in re.split(r"[/|\n]+|\s\(|\)", raw):
        found = vocab.headings.get(fold(part))
        if found:
            return found
    # "Unit (%)" or "Data source - office": drop a trailing hint
    head = re.split(r"\s*\(|\s[-–:]\s|:", raw)[0]
    if head and head != raw:
        return vocab.headings.get(fold(head))
    return None


def heading_year(text: object, vocab: Vocabulary) -> tuple[int | None, str]:
    """The year a year column's heading names, and any flag on it ("2023 (p)" -> 2023, "p").

    Returns (None, "") when the heading is not a year heading. Numbers as
    Excel stores them (2019, 2019.0) count.
    """
    if isinstance(text, bool) or text is None:
        return None, ""
    if isinstance(text, int | float):
        if float(text).is_integer() and 1900 <= int(text) <= 2100:
            return int(text), ""
        return None, ""
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    years = _YEAR_IN_HEADING.findall(raw)
    if len(years) != 1:
        return None, ""
    rest = _YEAR_IN_HEADING.sub(" ", raw, count=1)
    flag = ""
    words = [w for w in re.split(r"[\s()\[\]:/-]+", rest) if w]
    for word in words:
        key = fold(word)
        if key in vocab.year_labels:
            continue
        if key in vocab.flags:
            flag = vocab.flags[key]
            continue
        return None, ""
    return int(years[0]), flag


def looks_like_year_heading(text: object) -> bool:
    """True for a heading that holds digits like a year but could not be read as one."""
    raw = unicodedata.normalize("NFKC", str(text or ""))
    return bool(re.search(r"(?:19|20)\d", raw)) or bool(re.fullmatch(r"\s*\d{2,4}\s*\S*", raw))


def goal_heading(text: object, fw: Framework) -> int | None:
    """The goal a section row or sheet name introduces ("GOAL 6: CLEAN WATER", "SDG 11", "目標6")."""
    if not isinstance(text, str):
        return None
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw or len(raw) > 160:
        return None
    vocab = load_vocabulary()
    words = "|".join(re.escape(w) for w in sorted(vocab.goal_words, key=len, reverse=True))
    match = re.match(rf"^(?:{words})\s*(?:no\.?\s*)?(\d{{1,2}})(?!\.\d)(?:\b|$|[^\d])", raw, re.I)
    if match is None:
        match = re.match(r"^(\d{1,2})\s*[.:)\-–]\s+(\D.*)$", raw)
        if match is not None and not _names_goal(match[2], int(match[1]), fw):
            return None
    if match is not None:
        goal = int(match[1])
        rest = re.sub(r"\([^)]*\)", "", raw[match.end(1) :])
        # "SDG 6 at SDG 11", "Goals 6 and 11", "SDG 6, 11": a heading of several goals
        # gives the rows below none of them (each row's code or goal column says which).
        if re.search(rf"(?:{words})\s*(?:no\.?\s*)?\d{{1,2}}(?!\.\d)", rest, re.I) or re.match(
            r"^\s*(?:,|/|&|\+|and|at|y|、|・|と|及び|および)\s*\d{1,2}(?!\.\d)", rest, re.I
        ):
            return None
        return goal if 1 <= goal <= 17 else None
    # A goal title alone ("Clean Water and Sanitation", 「安全な水とトイレを世界中に」)
    key = fold(re.sub(r"[^\w]+", "", raw.lower()))
    for item in fw.goals:
        for title in (item.title_en, item.title_ja, item.short("en"), item.short("ja")):
            if title and fold(re.sub(r"[^\w]+", "", title.lower())) == key:
                return item.number
    return None


def _names_goal(text: str, goal: int, fw: Framework) -> bool:
    if not 1 <= goal <= 17:
        return False
    g = fw.goal(goal)
    key = re.sub(r"[^\w]+", "", text.lower())
    for title in (g.title_en, g.title_ja, g.short("en"), g.short("ja")):
        other = re.sub(r"[^\w]+", "", (title or "").lower())
        if other and (key.startswith(other[:12]) or other.startswith(key[:12])):
            return True
    return False


def is_note(text: object) -> bool:
    """True for a note or source line under a table ("Source: CBMS 2022", "* provisional")."""
    if not isinstance(text, str):
        return False
    key = fold(text)
    return any(key.startswith(start) for start in load_vocabulary().note_starts if start)


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Value:
    """A value cell read: the number, its unit and flag, a year written in the cell, the text.

    ``number`` is None for a blank cell or a "no data" mark (``blank``); a
    cell that is not a value at all has ``problem`` set (what was wrong).
    """

    number: float | None = None
    unit: str = ""
    flag: str = ""
    year: int | None = None
    text: str = ""
    formula: str = ""
    problem: str = ""

    @property
    def blank(self) -> bool:
        return self.number is None and not self.problem


_NUMBER = re.compile(r"[-+−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+−]?\.\d+")
_YEAR_IN_BRACKETS = re.compile(r"[(\[]\s*((?:19|20)\d{2})\s*[)\]]")
VALUE_ALLOWED = (
    "a number, with a unit or % if you like (45.2%, 1,234, ₱ 2.3M, 84 (2018)), a mark for "
    "no data (n/a, —, .., blank) or a number with a flag (12.5*, 12.5 (p), 12.5e)"
)


def parse_value(cell: Any, vocab: Vocabulary | None = None) -> Value:
    """Read a value cell as a city writes it: "45.2%", "1,234", "₱ 2.3M", "n/a", "12.5*", "84 (2018)"."""
    from ..workbook import CellError, Formula

    vocab = vocab or load_vocabulary()
    formula = ""
    if isinstance(cell, Formula):
        formula = cell.text
        if cell.cached is None or cell.cached == "":
            return Value(
                text=formula,
                formula=formula,
                problem="a formula with no saved result (the file was not saved by Excel)",
            )
        cell = cell.cached
    if isinstance(cell, CellError):
        return Value(text=cell.text, problem=f"an Excel error value {cell.text}")
    if cell is None:
        return Value(formula=formula)
    if isinstance(cell, bool):
        return Value(text=str(cell), problem="TRUE/FALSE, not a number")
    if isinstance(cell, dt.date | dt.datetime | dt.time):
        return Value(text=str(cell), problem="a date, not a number")
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not math.isfinite(cell):
            return Value(text=str(cell), problem="not a number")
        return Value(number=float(cell), text=_shown(cell), formula=formula)
    original = str(cell).strip()
    text = unicodedata.normalize("NFKC", original)
    shown = re.sub(r"\s+", " ", original)
    if fold(text) in vocab.blanks:
        return Value(text=shown, formula=formula)
    # NFKC for digits and signs (４５．２％), but units keep their own letters (m², µg/m³).
    rest = "".join(
        unicodedata.normalize("NFKC", ch)
        if "\uff00" <= ch <= "\uffef" or ch == "\u3000" or unicodedata.category(ch) == "Nd"
        else ch
        for ch in original
    ).replace("−", "-")
    year: int | None = None
    found_year = _YEAR_IN_BRACKETS.search(rest)
    if found_year:
        year = int(found_year[1])
        rest = rest[: found_year.start()] + " " + rest[found_year.end() :]
    flag = ""
    rest, flag = _strip_flags(rest, vocab)
    found = _NUMBER.search(rest)
    if found is None:
        if fold(rest) in vocab.blanks:  # "— (p)"
            return Value(text=shown, flag=flag, year=year, formula=formula)
        return Value(text=shown, problem="not a number")
    before = rest[: found.start()].strip()
    after = rest[found.end() :].strip()
    # Digits inside a unit (m², CO2e, µg/m³) are fine; another number is not ("10-12").
    if re.search(r"(?<![A-Za-zµμ/^])\d", unicodedata.normalize("NFKC", after)):
        return Value(text=shown, problem="more than one number in the cell")
    number = float(found.group(0).replace(",", ""))
    unit = ""
    if before:
        if fold(before) in vocab.currencies:
            unit = before
        else:
            return Value(text=shown, problem=f"unexpected text {before!r} before the number")
    if after:
        scale, after = _split_scale(after, vocab)
        number *= scale
        if after:
            if len(after) > 30:
                return Value(text=shown, problem=f"unexpected text {after!r} after the number")
            unit = f"{unit} {after}".strip() if unit else after
    return Value(
        number=number, unit=unit, flag=flag, year=year, text=shown, formula=formula, problem=""
    )


def _strip_flags(text: str, vocab: Vocabulary) -> tuple[str, str]:
    """Remove flag marks around a number: "12.5*", "12.5 (p)", "(e) 12", "12.5p"."""
    flag = ""
    rest = text.strip()
    for _ in range(3):
        match = re.search(r"[(\[]\s*([^()\[\]\d]{1,12})\s*[)\]]\s*$", rest) or re.search(
            r"^\s*[(\[]\s*([^()\[\]\d]{1,12})\s*[)\]]", rest
        )
        if match and fold(match[1]) in vocab.flags:
            flag = flag or vocab.flags[fold(match[1])]
            rest = (rest[: match.start()] + " " + rest[match.end() :]).strip()
            continue
        stars = re.search(r"(\*+|†|‡|※)\s*$", rest)
        if stars:
            flag = flag or vocab.flags.get(fold(stars[1]), "*")
            rest = rest[: stars.start()].strip()
            continue
        tail = re.search(r"(?<=\d)\s*([a-zA-Z]{1,4}\.?)$", rest)
        if tail and fold(tail[1]) in vocab.flags and tail[1] not in vocab.scales:
            flag = flag or vocab.flags[fold(tail[1])]
            rest = rest[: tail.start()].strip()
            continue
        break
    return rest, flag


def _split_scale(after: str, vocab: Vocabulary) -> tuple[float, str]:
    if after[:1] in vocab.scales and not after[:1].isascii():  # 1.2万人
        return vocab.scales[after[:1]], after[1:].strip()
    match = re.match(r"^([^\s%/]+)\s*(.*)$", after)
    if match:
        word = match[1]
        scale = vocab.scales.get(word) if len(word) == 1 else None
        if scale is None and len(word) > 1:
            scale = next(
                (v for k, v in vocab.scales.items() if len(k) > 1 and fold(k) == fold(word)), None
            )
        if scale is not None:
            return scale, match[2].strip()
    return 1.0, after


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- years


def parse_year(cell: Any, this_year: int) -> tuple[int | None, str]:
    """A year cell: (year, problem). Blank or a no-data mark gives (None, "")."""
    if cell is None:
        return None, ""
    if isinstance(cell, dt.date | dt.datetime):
        return None, "a date, not a year (write the year only)"
    if isinstance(cell, bool):
        return None, "not a year"
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = unicodedata.normalize("NFKC", str(cell)).strip()
        if fold(text) in load_vocabulary().blanks:
            return None, ""
        match = re.fullmatch(
            r"(?:cy|fy|year|taon)?\s*(\d{4})\s*(?:年|年度)?\s*(?:\(\s*\w{1,4}\s*\))?", text, re.I
        )
        if match is None:
            try:
                number = float(text)
            except ValueError:
                return None, "not a year"
        else:
            number = float(match[1])
    if not number.is_integer():
        return None, "not a whole year"
    year = int(number)
    if not FIRST_YEAR <= year <= this_year + 1:
        return None, "year out of range"
    return year, ""


def year_allowed(this_year: int) -> str:
    return f"a year from {FIRST_YEAR} to {this_year + 1}, or a blank cell"


# --------------------------------------------------------------------------- codes


@dataclass(frozen=True)
class Codes:
    """Global codes read from a cell: indicators, targets given instead, and problems."""

    indicators: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    problems: tuple[tuple[str, str, str], ...] = ()  # (part, message, allowed)


CODES_ALLOWED = (
    "a global indicator code such as 11.6.2 (or a target such as 11.6; several separated by "
    "';' or '/'; 'SDG 11.6.2' is fine), or blank for a local proxy"
)


def parse_codes(cell: Any, fw: Framework) -> Codes:
    """Read "11.6.2", "SDG 11.6.2", "11.6.2 / 11.6.1", "11.6" or "Target 11.a" against the framework."""
    if cell is None:
        return Codes()
    if isinstance(cell, float):
        cell = repr(cell)  # a code such as 3.3 typed into a number cell: keep what Excel shows
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if fold(text) in load_vocabulary().blanks:
        return Codes()
    indicators: list[str] = []
    targets: list[str] = []
    problems: list[tuple[str, str, str]] = []
    for part in re.split(r"[;,/&\n]|\s+and\s+|\s+at\s+|、", text):
        part = part.strip().rstrip(".")
        if not part or fold(part) in load_vocabulary().blanks:
            continue
        try:
            code = normalise_code(part)
        except UnknownCodeError:
            problems.append((part, "not a global indicator or target code", CODES_ALLOWED))
            continue
        level = code.count(".")
        if level == 0:
            problems.append((part, f"{code} is a goal, not an indicator or target", CODES_ALLOWED))
            continue
        try:
            if level == 2:
                fw.indicator(code)
            else:
                fw.target(code)
        except UnknownCodeError:
            what = "global indicator" if level == 2 else "target"
            near = closest_codes(code, fw)
            problems.append(
                (
                    part,
                    f"no {what} {code} in the SDG framework",
                    CODES_ALLOWED
                    + (f"; closest: {', '.join(near)}" if near else "")
                    + f"; see `vlr framework show {code.split('.')[0]}`",
                )
            )
            continue
        bucket = indicators if level == 2 else targets
        if code not in bucket:
            bucket.append(code)
    return Codes(tuple(indicators), tuple(targets), tuple(problems))


def closest_codes(code: str, fw: Framework, limit: int = 4) -> list[str]:
    """Existing codes closest to an unknown one: its target's indicators, else near-spellings."""
    import difflib

    parts = code.split(".")
    if len(parts) == 3:
        try:
            return [i for i in fw.listings(".".join(parts[:2]))][:limit]
        except UnknownCodeError:
            pass
        pool = [c for ind in fw.indicators for c in ind.codes]
    else:
        try:
            pool = [t.code for t in fw.children(parts[0])]  # type: ignore[union-attr]
        except (UnknownCodeError, ValueError):
            pool = []
    return difflib.get_close_matches(code, pool, n=limit, cutoff=0.6)


def parse_goal(cell: Any) -> tuple[int | None, str]:
    """A goal cell: (goal, problem). "11", "SDG 11", "Goal 11" and 11.0 are fine."""
    if cell is None:
        return None, ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if fold(text) in load_vocabulary().blanks:
        return None, ""
    try:
        code = normalise_code(text)
    except UnknownCodeError:
        code = ""
    if not code or "." in code or not 1 <= int(code) <= 17:
        return None, "not an SDG goal"
    return int(code), ""


def cell_text(cell: Any) -> str:
    """A text cell as shown: NFKC, single spaces, whole floats without ".0"."""
    from ..workbook import Formula

    if cell is None:
        return ""
    if isinstance(cell, str):
        return _text(cell)
    if isinstance(cell, Formula):
        cell = cell.cached if cell.cached is not None else cell.text
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=65536)
def _text(cell: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", cell).split())


def names_an_indicator(cell: object, vocab: Vocabulary, forced: dict[str, str]) -> bool:
    """True for a cell that could be the indicator-name heading (a cheap test for every row)."""
    if not isinstance(cell, str) or not cell.strip():
        return False
    key = fold(cell)
    if forced.get(key) == "name" or vocab.headings.get(key) == "name":
        return True
    if any(ch.isdigit() for ch in cell) or len(cell) > 80:
        return False
    return heading_field(cell, vocab) == "name"


__all__ = [
    "CODES_ALLOWED",
    "FIELDS",
    "FIRST_YEAR",
    "VALUE_ALLOWED",
    "Codes",
    "Value",
    "Vocabulary",
    "cell_text",
    "closest_codes",
    "fold",
    "goal_heading",
    "heading_field",
    "heading_year",
    "is_note",
    "load_vocabulary",
    "parse_codes",
    "parse_goal",
    "parse_value",
    "parse_year",
]
