#!/usr/bin/env python3
"""Clear outputs, execution counts and run metadata from the project's notebooks.

Notebooks are committed without outputs: outputs hold personal data from a
consultation log, megabytes of chart JSON and widget state, and make every
diff unreadable. Each notebook is paired with a jupytext ``py:percent`` file
(``notebooks/NAME.py``) for review.

Usage:
    .venv/bin/python scripts/strip_notebooks.py            # strip notebooks/*.ipynb in place
    .venv/bin/python scripts/strip_notebooks.py --check    # exit 1 if any has outputs
    .venv/bin/python scripts/strip_notebooks.py --sync     # rebuild each .ipynb from its .py, stripped
    .venv/bin/python scripts/strip_notebooks.py PATH.ipynb ...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: Notebook-level metadata that a run adds and that must not be committed.
RUN_METADATA = ("widgets", "papermill", "execution", "vscode", "toc", "varInspector")
#: Cell-level metadata a run adds (tags, jupytext and slideshow settings are kept).
CELL_RUN_METADATA = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")


def problems(nb: nbformat.NotebookNode) -> list[str]:
    """What in ``nb`` should not be committed (empty when it is clean)."""
    found = [f"metadata '{key}'" for key in RUN_METADATA if key in nb.metadata]
    for n, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            found.append(f"cell {n}: {len(cell.outputs)} output(s)")
        if cell.get("execution_count") is not None:
            found.append(f"cell {n}: execution count {cell.execution_count}")
        found += [f"cell {n}: metadata '{k}'" for k in CELL_RUN_METADATA if k in cell.metadata]
    return found


def strip(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without outputs, execution counts and run metadata (changed in place)."""
    for key in RUN_METADATA:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in CELL_RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def read(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(str(path), as_version=4)
    # Cell ids (nbformat 4.5) keep diffs stable; add any that are missing.
    nbformat.validator.normalize(nb)
    return nb


def from_pair(py_path: Path) -> nbformat.NotebookNode:
    """The notebook of a jupytext ``py:percent`` file, stripped, ids kept from the old .ipynb."""
    import jupytext

    nb = jupytext.read(py_path)
    old_path = py_path.with_suffix(".ipynb")
    if old_path.exists():
        old = nbformat.read(str(old_path), as_version=4)
        ids = [c.get("id") for c in old.cells]
        for cell, cell_id in zip(nb.cells, ids, strict=False):
            if cell_id:
                cell["id"] = cell_id
    nb.nbformat, nb.nbformat_minor = 4, 5
    _, nb = nbformat.validator.normalize(nb)
    return strip(nb)


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    nbformat.validate(nb)
    nbformat.write(nb, str(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)"
    )
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if unclean")
    parser.add_argument("--sync", action="store_true", help="rebuild each .ipynb from its .py")
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    if args.sync:
        for py_path in sorted(NOTEBOOKS.glob("*.py")) if not args.paths else []:
            write(from_pair(py_path), py_path.with_suffix(".ipynb"))
            print(f"synced {py_path.with_suffix('.ipynb').relative_to(ROOT)}")
        paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    unclean = 0
    for path in paths:
        nb = read(path)
        found = problems(nb)
        if not found:
            continue
        if args.check:
            unclean += 1
            print(f"{path}: " + "; ".join(found[:5]), file=sys.stderr)
        else:
            write(strip(nb), path)
            print(f"stripped {path}")
    if unclean:
        print(
            f"{unclean} notebook(s) have outputs; run: .venv/bin/python scripts/strip_notebooks.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
