"""The SDG mapping vocabulary: editable term lists behind every suggestion.

The terms live in data files a reviewer can read and edit, never in code:

- ``data/reference/vocabulary/en.csv`` and ``ja.csv``: the shared lists;
- a sample city's ``vocabulary.csv`` (see :mod:`vlr_tools.cities`): its local terms (programme
  names, places, local acronyms), loaded when a city is given;
- a review workspace (records of kind ``"local_term"``), for terms a
  reviewer adds during one review.

Every file has the columns ``term,goal,target,weight,note``:

``term``
    A word or phrase. Case does not matter, except for terms written wholly
    in capitals (``MRF``, ``TB``, ``WASH``), which match only in capitals.
    English words also match their plural (``school`` finds ``schools``,
    ``facility`` finds ``facilities``), and hyphens and spaces are
    interchangeable (``solid-waste`` = ``solid waste``). A word ending in
    ``*`` matches every word starting that way (``flood*``: flood, floods,
    flooding, floodwater). Japanese terms match wherever they occur in the
    text; where two terms overlap, the longer one wins.
``goal``
    1-17, or ``-`` for a *stop phrase*: words that carry no goal and keep
    the terms inside them from matching (``Sustainable Development Goals``).
``target``
    Optional target code of that goal (``11.6``, ``14.b``): the term is
    evidence for that target as well as its goal.
``weight``
    Optional, default 1: how strongly the term alone points to the goal
    (0.5 = a supporting word that needs company; 1 = enough on its own;
    up to 5).
``note``
    Free text: why the term is there, or where it comes from.

Lines starting with ``#`` are comments. Errors name the file, row and
column (:class:`~vlr_tools.errors.DataFileError`).

``data/reference/vocabulary/context.csv`` (columns ``term,role,note``) marks
terms of the lists above as *context*: words that name how a city acts
(``role`` ``means``: partnership, funding, open data, the pandemic as a
cause) or where (``setting``: school, housing, park, parking) rather than
what it acts on. The mapping weighs them less when the passage has a subject
of its own (:mod:`vlr_tools.mapping`); a passage about them still maps to
their goal.

>>> vocab = load_vocabulary(city="santa-rosa")           # doctest: +SKIP
>>> add_local_term("santa-rosa", "Bantay Lawa", 6, "6.6")  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .errors import DataFileError, MappingError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from .workspace import Workspace

__all__ = [
    "COLUMNS",
    "CONTEXT_ROLES",
    "LOCAL_TERM_KIND",
    "Term",
    "Vocabulary",
    "add_local_term",
    "city_vocabulary_path",
    "clear_vocabulary_cache",
    "load_vocabulary",
    "local_terms",
    "read_context_file",
    "read_vocabulary_file",
    "vocabulary_dir",
    "vocabulary_version",
]

#: Columns of every vocabulary file, in order.
COLUMNS = ("term", "goal", "target", "weight", "note")
#: Workspace record kind of the local terms a reviewer adds to one review.
LOCAL_TERM_KIND = "local_term"
#: Languages with a shared vocabulary file.
LANGS = ("en", "ja")
STOP = "-"
#: Roles of a context word (``context.csv``): how a city acts, or where.
CONTEXT_ROLES = ("means", "setting")
CONTEXT_FILE = "context.csv"
MAX_WEIGHT = 5.0
MAX_TERM_LENGTH = 120

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_WORDISH = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Term:
    """One row of a vocabulary: a term and the goal (and target) it is evidence for.

    ``goal`` is None for a stop phrase. ``source`` is the file (or
    ``workspace``) and ``row`` the line the term was read from.
    """

    term: str
    goal: int | None
    target: str | None = None
    weight: float = 1.0
    note: str = ""
    lang: str = "en"
    source: str = ""
    row: int = 0
    city: str | None = None

    @property
    def is_stop(self) -> bool:
        return self.goal is None

    @property
    def key(self) -> str:
        """The term as matched: NFKC, lower-case unless all capitals, single spaces."""
        return term_key(self.term)


def term_key(term: str) -> str:
    text = " ".join(unicodedata.normalize("NFKC", term).split())
    return text if is_case_sensitive(text) else text.lower()


def is_case_sensitive(term: str) -> bool:
    """Terms in capitals only (MRF, TB, WASH, RA 9003) match only in capitals."""
    uppers = sum(1 for ch in term if ch.isupper())
    return uppers >= 2 and not any(ch.islower() for ch in term)


@dataclass(frozen=True)
class Vocabulary:
    """A set of terms ready for mapping, with a version that identifies its files.

    ``version`` changes whenever any file (or local term) behind it changes,
    so a memo annex can say exactly which vocabulary produced its mapping.
    """

    terms: tuple[Term, ...]
    version: str
    files: tuple[str, ...] = ()
    city: str | None = None
    langs: tuple[str, ...] = LANGS
    #: term key -> context role ("means" or "setting"), from ``context.csv``
    context: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _by_goal: dict[int, tuple[Term, ...]] = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.terms)

    def for_goal(self, goal: int) -> tuple[Term, ...]:
        """The terms that point to ``goal`` (1-17)."""
        if not self._by_goal:
            grouped: dict[int, list[Term]] = {}
            for t in self.terms:
                if t.goal is not None:
                    grouped.setdefault(t.goal, []).append(t)
            self._by_goal.update({g: tuple(ts) for g, ts in grouped.items()})
        return self._by_goal.get(goal, ())

    def goals(self) -> tuple[int, ...]:
        """The goals the vocabulary has terms for."""
        return tuple(sorted({t.goal for t in self.terms if t.goal is not None}))

    def with_terms(self, extra: Iterable[Term], label: str = "extra") -> Vocabulary:
        """A new vocabulary with ``extra`` terms added (and a new version)."""
        extra = tuple(extra)
        if not extra:
            return self
        digest = hashlib.sha256(self.version.encode())
        for t in extra:
            digest.update(repr((t.term, t.goal, t.target, t.weight, t.lang)).encode())
        return Vocabulary(
            terms=self.terms + extra,
            version=digest.hexdigest()[:12],
            files=self.files + (label,),
            city=self.city,
            langs=self.langs,
            context=self.context,
        )

    def to_frame(self) -> pd.DataFrame:
        """The terms as a table: term, goal, target, weight, note, lang, source, row."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "term": t.term,
                    "goal": t.goal,
                    "target": t.target,
                    "weight": t.weight,
                    "note": t.note,
                    "lang": t.lang,
                    "source": t.source,
                    "row": t.row,
                }
                for t in self.terms
            ],
            columns=["term", "goal", "target", "weight", "note", "lang", "source", "row"],
        )


# --------------------------------------------------------------------------- files


def vocabulary_dir() -> Path:
    """Where the shared vocabulary files live: ``data/reference/vocabulary/``."""
    return paths.REFERENCE_DIR / "vocabulary"


def city_vocabulary_path(city: str) -> Path:
    """The local vocabulary file of a sample city (it may not exist yet)."""
    from .cities import sample_vocabulary_path

    return sample_vocabulary_path(city)


def _lang_of(term: str, default: str) -> str:
    return "ja" if _CJK.search(term) else default


def read_vocabulary_file(
    path: str | Path, *, lang: str | None = None, city: str | None = None
) -> list[Term]:
    """Read and validate one vocabulary CSV; raise DataFileError listing every problem.

    Rows are numbered as lines of the file (the header is usually row 1), so
    an error points straight at the line to fix.
    """
    path = Path(path)
    problems: list[Problem] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataFileError(
            "vocabulary file not found", [Problem("file not found", file=str(path))]
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(
            "vocabulary file cannot be read",
            [Problem(f"cannot be read as UTF-8 text: {exc}", file=str(path))],
        ) from exc
    default_lang = lang or (path.stem if path.stem in LANGS else "en")
    terms = _parse_rows(text, str(path), default_lang, city, problems)
    if problems:
        raise DataFileError(f"the vocabulary file {path.name} has problems", problems)
    return terms


def _parse_rows(
    text: str, where: str, default_lang: str, city: str | None, problems: list[Problem]
) -> list[Term]:
    from .framework import get_framework

    fw = get_framework()
    goal_numbers = {g.number for g in fw.goals}
    target_codes = {t.code: t.goal for t in fw.targets}
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    terms: list[Term] = []
    seen: dict[tuple[str, int | None, str | None], int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip().lower() for c in cells]
                missing = [c for c in ("term", "goal") if c not in header]
                if missing:
                    problems.append(
                        Problem(
                            f"header lacks column(s) {', '.join(missing)}",
                            file=where,
                            row=line,
                            allowed=", ".join(COLUMNS),
                        )
                    )
                    return []
                unknown = [c for c in header if c and c not in COLUMNS]
                if unknown:
                    problems.append(
                        Problem(
                            f"unknown column(s) {', '.join(unknown)}",
                            file=where,
                            row=line,
                            allowed=", ".join(COLUMNS),
                        )
                    )
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                problems.append(
                    Problem(
                        f"row has {len(cells)} cells but the header has {len(header)}; "
                        "a term or note with a comma must be in double quotes",
                        file=where,
                        row=line,
                    )
                )
                continue
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            term = _check_row(row, where, line, goal_numbers, target_codes, problems)
            if term is None:
                continue
            lang = _lang_of(term[0], default_lang)
            t = Term(
                term=term[0],
                goal=term[1],
                target=term[2],
                weight=term[3],
                note=row.get("note", ""),
                lang=lang,
                source=where,
                row=line,
                city=city,
            )
            dup = (t.key, t.goal, t.target)
            if dup in seen:
                problems.append(
                    Problem(
                        f"term {t.term!r} for goal {t.goal or STOP} is already on row {seen[dup]}",
                        file=where,
                        row=line,
                        column="term",
                    )
                )
                continue
            seen[dup] = line
            terms.append(t)
    except csv.Error as exc:
        problems.append(Problem(f"not valid CSV: {exc}", file=where, row=reader.line_num))
    if header is None and not problems:
        problems.append(
            Problem("the file has no header row", file=where, allowed=", ".join(COLUMNS))
        )
    return terms


def _check_row(
    row: dict[str, str],
    where: str,
    line: int,
    goal_numbers: set[int],
    target_codes: dict[str, int],
    problems: list[Problem],
) -> tuple[str, int | None, str | None, float] | None:
    """Validate one row; append problems and return None if it is unusable."""
    before = len(problems)

    def bad(column: str, message: str, value: object = None, allowed: str | None = None) -> None:
        problems.append(
            Problem(message, file=where, row=line, column=column, value=value, allowed=allowed)
        )

    term = " ".join(unicodedata.normalize("NFKC", row.get("term", "")).split())
    term_problem = check_term(term)
    if term_problem:
        bad("term", term_problem, row.get("term", ""))
    goal_text = row.get("goal", "").strip()
    goal: int | None = None
    goal_allowed = f"1-{max(goal_numbers)} or '{STOP}' for a stop phrase"
    if goal_text == STOP:
        goal = None
    elif not goal_text:
        bad("goal", "is empty", allowed=goal_allowed)
    else:
        digits = re.sub(r"^(?:sdg|goal|目標)\s*", "", goal_text.lower())
        if digits.isdigit() and int(digits) in goal_numbers:
            goal = int(digits)
        else:
            bad("goal", "is not an SDG goal number", goal_text, goal_allowed)
    target_text = row.get("target", "").strip()
    target: str | None = None
    if target_text:
        if goal_text == STOP:
            bad("target", "a stop phrase has no target", target_text)
        else:
            code = _normalise_target(target_text)
            if code is None or code not in target_codes:
                bad(
                    "target",
                    "is not an SDG target code",
                    target_text,
                    "a code such as 11.6 or 14.b (see data/reference/sdg/targets.csv)",
                )
            elif goal is not None and target_codes[code] != goal:
                bad(
                    "target",
                    f"target {code} belongs to goal {target_codes[code]}, not to goal {goal}",
                    target_text,
                    f"targets of goal {goal}",
                )
            else:
                target = code
    weight_text = row.get("weight", "").strip()
    weight = 1.0
    if weight_text:
        try:
            weight = float(weight_text)
        except ValueError:
            weight = float("nan")
        if not (0 < weight <= MAX_WEIGHT):
            bad("weight", "is not a number above 0", weight_text, f"0 < weight <= {MAX_WEIGHT:g}")
    if len(problems) > before:
        return None
    return term, goal, target, weight


def check_term(term: str) -> str | None:
    """Why ``term`` cannot be a vocabulary term, or None if it is fine."""
    if not term:
        return "is empty"
    if len(term) > MAX_TERM_LENGTH:
        return f"is longer than {MAX_TERM_LENGTH} characters"
    if not _WORDISH.search(term):
        return "has no letters or digits"
    for word in term.split(" "):
        if "*" in word.rstrip("*") or word.count("*") > 1:
            return "'*' may only end a word (flood*)"
        if word.endswith("*") and len(word) < 4:
            return "a '*' prefix needs at least 3 letters before it (flo* would match too much)"
    if term.startswith("*"):
        return "'*' may only end a word (flood*)"
    return None


def read_context_file(path: str | Path) -> dict[str, str]:
    """Read ``context.csv``: term key -> role; raise DataFileError listing every problem.

    Columns ``term,role,note``; ``role`` is one of :data:`CONTEXT_ROLES`. A
    term applies to every vocabulary row with the same match key (all goals).
    """
    path = Path(path)
    problems: list[Problem] = []
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(
            "context word file cannot be read",
            [Problem(f"cannot be read as UTF-8 text: {exc}", file=where)],
        ) from exc
    roles: dict[str, str] = {}
    reader = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or all(not c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip().lower() for c in cells]
                if header[:2] != ["term", "role"]:
                    problems.append(
                        Problem("header must start with term,role", file=where, row=line,
                                allowed="term,role,note")
                    )  # fmt: skip
                    break
                continue
            term = " ".join(unicodedata.normalize("NFKC", cells[0]).split())
            role = cells[1].strip().lower() if len(cells) > 1 else ""
            issue = check_term(term)
            if issue:
                problems.append(Problem(issue, file=where, row=line, column="term", value=cells[0]))
            if role not in CONTEXT_ROLES:
                problems.append(
                    Problem("is not a context role", file=where, row=line, column="role",
                            value=role, allowed=", ".join(CONTEXT_ROLES))
                )  # fmt: skip
            if not issue and role in CONTEXT_ROLES:
                roles[term_key(term)] = role
    except csv.Error as exc:
        problems.append(Problem(f"not valid CSV: {exc}", file=where, row=reader.line_num))
    if problems:
        raise DataFileError(f"the context word file {path.name} has problems", problems)
    return roles


def _normalise_target(text: str) -> str | None:
    from .errors import UnknownCodeError
    from .framework import normalise_code

    try:
        code = normalise_code(text)
    except UnknownCodeError:
        return None
    return code if code.count(".") == 1 else None


# --------------------------------------------------------------------------- loading

_CACHE: dict[tuple[Any, ...], Vocabulary] = {}


def _fingerprint(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_mtime_ns, st.st_size)


def _vocabulary_files(langs: Sequence[str], city: str | None) -> list[tuple[Path, str]]:
    folder = vocabulary_dir()
    files = [(folder / f"{lang}.csv", lang) for lang in langs]
    if city is not None:
        path = city_vocabulary_path(city)
        if path.is_file():
            files.append((path, "en"))
    return files


def _langs(lang: str | Sequence[str] | None) -> tuple[str, ...]:
    if lang is None:
        return LANGS
    wanted = (lang,) if isinstance(lang, str) else tuple(lang)
    for item in wanted:
        if item not in LANGS:
            raise MappingError(f"unknown language {item!r}; allowed: {', '.join(LANGS)}")
    return wanted


def load_vocabulary(
    lang: str | Sequence[str] | None = None,
    *,
    city: str | None = None,
    workspace: Workspace | None = None,
    review_id: str | None = None,
) -> Vocabulary:
    """The vocabulary to map with: the shared lists plus a city's local terms.

    ``lang`` picks the shared lists (default both English and Japanese, so
    mixed text and English acronyms in Japanese text are found). ``city``
    adds a sample city's ``vocabulary.csv``; ``workspace`` and
    ``review_id`` add the local terms saved in that review. Files are read
    once and re-read when they change, so an added term takes effect on the
    next mapping run.
    """
    langs = _langs(lang)
    files = _vocabulary_files(langs, city)
    key = (
        langs,
        city,
        tuple(_fingerprint(p) for p, _ in files),
        _fingerprint(vocabulary_dir() / CONTEXT_FILE),
    )
    vocab = _CACHE.get(key)
    if vocab is None:
        terms: list[Term] = []
        digest = hashlib.sha256()
        for path, file_lang in files:
            data = path.read_bytes() if path.is_file() else b""
            digest.update(path.name.encode() + b"\0" + data + b"\0")
            file_city = city if path.parent.name == city else None
            terms.extend(read_vocabulary_file(path, lang=file_lang, city=file_city))
        context_path = vocabulary_dir() / CONTEXT_FILE
        context: dict[str, str] = {}
        if context_path.is_file():
            digest.update(CONTEXT_FILE.encode() + b"\0" + context_path.read_bytes() + b"\0")
            context = read_context_file(context_path)
        vocab = Vocabulary(
            terms=tuple(terms),
            version=digest.hexdigest()[:12],
            files=tuple(_display(p) for p, _ in files)
            + ((_display(context_path),) if context else ()),
            city=city,
            langs=langs,
            context=context,
        )
        if len(_CACHE) > 32:
            _CACHE.clear()
        _CACHE[key] = vocab
    if workspace is not None:
        if review_id is None:
            raise MappingError("give review_id= with workspace= to use a review's local terms")
        vocab = vocab.with_terms(local_terms(workspace, review_id), label=f"review {review_id}")
    return vocab


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(paths.DATA_DIR.parent))
    except ValueError:
        return str(path)


def clear_vocabulary_cache() -> None:
    """Forget loaded vocabularies (they are also re-read when their files change)."""
    _CACHE.clear()


def vocabulary_version(city: str | None = None, lang: str | Sequence[str] | None = None) -> str:
    """A short hash of the vocabulary files in use, for the memo's method annex."""
    return load_vocabulary(lang, city=city).version


# --------------------------------------------------------------------------- local terms


def local_terms(workspace: Workspace, review_id: str) -> list[Term]:
    """The local terms saved in a review's workspace (kind ``local_term``)."""
    terms: list[Term] = []
    problems: list[Problem] = []
    from .framework import get_framework

    fw = get_framework()
    goal_numbers = {g.number for g in fw.goals}
    target_codes = {t.code: t.goal for t in fw.targets}
    for n, rec in enumerate(workspace.records(review_id, LOCAL_TERM_KIND), start=1):
        data = rec.data
        row = {
            "term": str(data.get("term", "")),
            "goal": str(data.get("goal", "")),
            "target": str(data.get("target") or ""),
            "weight": str(data.get("weight", "")),
        }
        where = f"workspace review {review_id}, local term {rec.key!r}"
        checked = _check_row(row, where, n, goal_numbers, target_codes, problems)
        if checked is None:
            continue
        terms.append(
            Term(
                term=checked[0],
                goal=checked[1],
                target=checked[2],
                weight=checked[3],
                note=str(data.get("note", "")),
                lang=_lang_of(checked[0], "en"),
                source="workspace",
                row=n,
                city=data.get("city"),
            )
        )
    if problems:
        raise DataFileError("the review's local terms have problems", problems)
    return terms


def add_local_term(
    city: str,
    term: str,
    goal: int | str,
    target: str | None = None,
    *,
    weight: float = 1.0,
    note: str = "",
    workspace: Workspace | None = None,
    review_id: str | None = None,
    reviewer: str | None = None,
) -> Term:
    """Add a city's local term (e.g. a programme name) that maps to a goal or target.

    Without ``workspace`` the term is appended to
    the sample city's ``vocabulary.csv`` (created with a header if needed);
    with ``workspace`` and ``review_id`` it is saved in that review as a
    ``local_term`` record. Either way it takes effect on the next mapping
    run. Raises :class:`~vlr_tools.errors.MappingError` naming the field
    that is wrong (empty term, unknown goal or target, bad weight).
    """
    city_dir = city_vocabulary_path(city).parent
    from .framework import get_framework

    fw = get_framework()
    row = {
        "term": term if isinstance(term, str) else "",
        "goal": str(goal).strip(),
        "target": (target or "").strip(),
        "weight": repr(float(weight)) if isinstance(weight, int | float) else str(weight),
        "note": note,
    }
    problems: list[Problem] = []
    checked = _check_row(
        row,
        "local term",
        0,
        {g.number for g in fw.goals},
        {t.code: t.goal for t in fw.targets},
        problems,
    )
    if checked is None or checked[1] is None:
        detail = "; ".join(
            f"{p.column}: {p.message}"
            + (f" (found {p.value!r})" if p.value not in (None, "") else "")
            + (f"; allowed: {p.allowed}" if p.allowed else "")
            for p in problems
        )
        raise MappingError(
            f"cannot add local term {term!r}: {detail or 'a local term needs a goal'}"
        )
    text, goal_number, code, w = checked
    new = Term(
        term=text,
        goal=goal_number,
        target=code,
        weight=w,
        note=note,
        lang=_lang_of(text, "en"),
        city=city,
    )
    if workspace is not None:
        if review_id is None:
            raise MappingError("give review_id= with workspace= to save a local term in a review")
        key = f"{new.key}/{goal_number}"
        rec = workspace.put(
            review_id,
            LOCAL_TERM_KIND,
            key,
            {
                "term": text,
                "goal": goal_number,
                "target": code,
                "weight": w,
                "note": note,
                "city": city,
            },
            reviewer=reviewer,
        )
        return Term(text, goal_number, code, w, note, new.lang, "workspace", rec.version, city)
    path = city_dir / "vocabulary.csv"
    existing = read_vocabulary_file(path, city=city) if path.is_file() else []
    for old in existing:
        if (old.key, old.goal, old.target) == (new.key, new.goal, new.target):
            return old
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not path.is_file():
        buffer.write(
            f"# Local vocabulary of {city}: terms reviewers added for this city.\n"
            "# Same columns as data/reference/vocabulary/en.csv; see vlr_tools/vocabulary.py.\n"
        )
        writer.writerow(COLUMNS)
    writer.writerow([text, goal_number, code or "", f"{w:g}", note])
    data = buffer.getvalue()
    if path.is_file():
        current = path.read_bytes()
        if current and not current.endswith(b"\n"):
            data = "\n" + data
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(data)
    added = read_vocabulary_file(path, city=city)
    return next(
        (
            t
            for t in reversed(added)
            if (t.key, t.goal, t.target) == (new.key, new.goal, new.target)
        ),
        new,
    )
