"""Small helpers that several features use the same way (one copy, not one each)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError

#: PyYAML's C parser when libyaml is there (about ten times faster on the
#: reference files, which every command reads at start), else the Python one.
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_text(text: str) -> Any:
    """Parse YAML text safely, with the fastest loader available."""
    return yaml.load(text, Loader=YAML_LOADER)  # noqa: S506 - a safe loader


def read_yaml(path: Path, expect: type = dict) -> Any:
    """Read a YAML reference file whose top level must be ``expect`` (a dict or a list).

    Raises :class:`~vlr_tools.errors.DataFileError` naming the file when it
    cannot be read, is not valid YAML or has the wrong top level.
    """
    try:
        data = load_yaml_text(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read: {exc}") from exc
    if not isinstance(data, expect):
        kind = "a mapping of keys" if expect is dict else "a list"
        raise DataFileError(f"{path}: expected {kind} at the top level")
    return data


def page_ranges(pages: Iterable[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``"3–5, 9"``: pages as a reader scans them."""
    nums = sorted({int(p) for p in pages})
    parts: list[str] = []
    start = prev = None
    for n in nums:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            parts.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(parts)


def clip(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space folded), cut to ``limit`` characters with "…"."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a large batch is built and kept alive.

    Reading a consultation log or preparing a workspace batch allocates
    several objects per row/item that all stay alive until the end; each
    allocation burst would trigger a full collection walking every object in
    the process (about 40% of the time of a 50,000-row log or batch). Nothing
    made there is cyclic garbage. The collector is switched back on (if it
    was on) when the block ends, and then frees any cycles left.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
