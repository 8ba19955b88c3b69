#!/usr/bin/env python3
"""Join the SDG target and indicator parts into the framework's canonical files.

The target and indicator titles were written in parts, one per range of
goals, under ``data/reference/sdg/parts/``:

    targets_01-09.csv, targets_10-17.csv        code,goal,title_en,title_ja
    indicators_01-09.csv, indicators_10-17.csv  code,target,title_en,title_ja,same_as

This script concatenates them in UN order into ``data/reference/sdg/targets.csv``
and ``indicators.csv``, loads the result with the framework's own validation
and only then replaces the canonical files. It prints the counts and every
target missing from, or extra to, the 169 targets of A/RES/70/1.

Usage: .venv/bin/python scripts/merge_sdg_parts.py [--check]
  --check   validate and report, but write nothing
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vlr_tools.errors import DataFileError, Problem, UnknownCodeError  # noqa: E402
from vlr_tools.framework import (  # noqa: E402
    GOALS_FILE,
    HLPF_FILE,
    INDICATOR_COLUMNS,
    INDICATORS_FILE,
    TARGET_COLUMNS,
    TARGETS_FILE,
    code_sort_key,
    default_folder,
    load_framework,
    read_rows,
    write_rows,
)

# How many numbered and lettered targets each goal has in A/RES/70/1, used only
# to report gaps: goal -> (numbered targets, lettered targets).
TARGET_SHAPE = {
    1: (5, 2), 2: (5, 3), 3: (9, 4), 4: (7, 3), 5: (6, 3), 6: (6, 2), 7: (3, 2),
    8: (10, 2), 9: (5, 3), 10: (7, 3), 11: (7, 3), 12: (8, 3), 13: (3, 2),
    14: (7, 3), 15: (9, 3), 16: (10, 2), 17: (19, 0),
}  # fmt: skip


def expected_targets() -> list[str]:
    """The 169 target codes of the 2030 Agenda."""
    codes = []
    for goal, (numbered, lettered) in TARGET_SHAPE.items():
        codes += [f"{goal}.{n}" for n in range(1, numbered + 1)]
        codes += [f"{goal}.{chr(ord('a') + n)}" for n in range(lettered)]
    return codes


def merge(kind: str, columns: tuple[str, ...], parts: Path, problems: list[Problem]) -> list[dict]:
    files = sorted(parts.glob(f"{kind}_*.csv"))
    if not files:
        problems.append(Problem(f"no {kind}_*.csv part files", file=str(parts)))
    rows: list[dict] = []
    for path in files:
        # Remember where each row came from so problems can name the part file.
        rows += [{**rec, ORIGIN: (path, n)} for n, rec in read_rows(path, columns, problems)]
    return sorted(rows, key=lambda r: _sort_key(r["code"]))


ORIGIN = "_origin"


def _sort_key(code: str) -> tuple[int, ...]:
    # A malformed code sorts last; the validation below reports it with its row.
    try:
        return code_sort_key(code)
    except UnknownCodeError:
        return (999,)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--folder", type=Path, default=default_folder(), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    folder: Path = args.folder
    problems: list[Problem] = []
    targets = merge("targets", TARGET_COLUMNS, folder / "parts", problems)
    indicators = merge("indicators", INDICATOR_COLUMNS, folder / "parts", problems)
    if problems:
        print(DataFileError("the part files cannot be read", problems), file=sys.stderr)
        return 1

    with tempfile.TemporaryDirectory(dir=folder, prefix=".merge-") as tmp:
        staging = Path(tmp)
        write_rows(staging / TARGETS_FILE, TARGET_COLUMNS, targets)
        write_rows(staging / INDICATORS_FILE, INDICATOR_COLUMNS, indicators)
        for name in (GOALS_FILE, HLPF_FILE):
            shutil.copy2(folder / name, staging / name)
        try:
            framework = load_framework(staging)
        except DataFileError as exc:
            # Name the part file and row, not the throw-away merged copy.
            merged = {TARGETS_FILE: targets, INDICATORS_FILE: indicators}
            located = []
            for problem in exc.problems:
                rows = merged.get(Path(str(problem.file)).name)
                if rows is not None and problem.row and problem.row >= 2:
                    source, row = rows[problem.row - 2][ORIGIN]
                    problem = replace(problem, file=str(source), row=row)
                located.append(problem)
            print(DataFileError("the merged parts have problems", located), file=sys.stderr)
            print("merge: nothing written", file=sys.stderr)
            return 1
        if not args.check:
            for name in (TARGETS_FILE, INDICATORS_FILE):
                (staging / name).replace(folder / name)

    counts = framework.counts()
    print(
        f"merge: {counts['goals']} goals, {counts['targets']} targets, "
        f"{counts['indicators']} unique indicators, {counts['listings']} indicator listings"
    )
    repeated = [i for i in framework.indicators if i.repeated]
    print(f"merge: {len(repeated)} repeated indicators:")
    for indicator in repeated:
        print(f"   {' = '.join(indicator.codes)}")
    have = {t.code for t in framework.targets}
    expected = expected_targets()
    missing = [c for c in expected if c not in have]
    extra = sorted(have - set(expected), key=code_sort_key)
    empty = [t.code for t in framework.targets if not framework.children(t.code)]
    for label, codes in (
        ("targets missing", missing),
        ("targets not in A/RES/70/1", extra),
        ("targets without indicators", empty),
    ):
        if codes:
            print(f"merge: {label}: {', '.join(codes)}")
    print(
        "merge: checked only" if args.check else f"merge: wrote {TARGETS_FILE}, {INDICATORS_FILE}"
    )
    return 1 if missing or extra else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
