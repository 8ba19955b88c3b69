"""Suggested ratings: the record a pre-check returns, and the pre-check settings.

A :class:`Suggestion` is never a rating: it is labelled ``"suggested"`` until
a reviewer confirms or overrides it. The phrases and thresholds the checks
use are data (``data/reference/checklists/prechecks.yaml``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import DataFileError
from ..i18n import check_lang, t
from .ratings import rating_label
from .templates import checklists_dir

PRECHECKS_FILE = "prechecks.yaml"
SUGGESTED = "suggested"
#: Ratings that say something is wrong (the ones that can be false alarms).
FLAGS = ("not_met", "partly_met")


@dataclass(frozen=True)
class Suggestion:
    """A pre-check's suggested rating for one criterion: to be confirmed by a reviewer.

    ``kind`` names the check (the same words as the answer keys' weakness
    kinds); ``evidence`` is what a reviewer reads ("p. 27", "SF-IND-03",
    "SF-C08", "SDG 14"); ``pages`` and ``items`` hold the same as data.
    """

    criterion_id: str
    rating: str
    reason_en: str
    reason_ja: str
    evidence: tuple[str, ...] = ()
    kind: str = ""
    pages: tuple[int, ...] = ()
    items: tuple[str, ...] = ()
    status: str = SUGGESTED

    def reason(self, lang: str = "en") -> str:
        return self.reason_ja if check_lang(lang) == "ja" and self.reason_ja else self.reason_en

    def label(self, lang: str = "en") -> str:
        """``"Suggested by pre-check: Partly met"``: never shown as a reviewer's rating."""
        return f"{t('checklist.suggested', lang)}: {rating_label(self.rating, lang)}"

    @property
    def flags_problem(self) -> bool:
        return self.rating in FLAGS


@lru_cache(maxsize=4)
def _settings_cached(path: Path, _mtime: int) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot be read as YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("criteria"), dict):
        raise DataFileError(
            f"{path}: expected a mapping with a 'criteria' mapping (check -> criterion id)"
        )
    for key in ("followup", "endorsement"):
        for pat in ("date_pattern", "owner_pattern", "pattern"):
            value = (data.get(key) or {}).get(pat)
            if value:
                try:
                    re.compile(value)
                except re.error as exc:
                    raise DataFileError(
                        f"{path}: {key}.{pat} is not a valid pattern: {exc}"
                    ) from exc
    return data


def precheck_settings(path: Path | None = None) -> dict[str, Any]:
    """The pre-check settings (phrases, thresholds, check -> criterion)."""
    path = path or checklists_dir() / PRECHECKS_FILE
    return _settings_cached(path, path.stat().st_mtime_ns)


def _fold(text: str) -> str:
    """Text as compared by the checks: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def _blank(value: object, blanks: Iterable[str]) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return _fold(str(value)).strip(" .") in {_fold(b) for b in blanks}
