"""Stakeholder groups: UN Major Groups and Other Stakeholders, Philippine basic sectors.

The vocabularies live in ``data/reference/stakeholders/groups.yaml`` (one list,
one id per concept) so a reviewer can add a synonym or fix a translation
without touching Python. This module loads and checks that file, resolves the
way a city office writes a group ("PWD", "Kabataan", "Mangingisda") to its id,
suggests the closest group for a misspelling, and maps the two vocabularies
onto each other.

>>> from vlr_tools.stakeholders import get_stakeholders
>>> sh = get_stakeholders()
>>> sh.resolve("Mga Mangingisda")
'artisanal_fisherfolk'
>>> sh.to_un("artisanal_fisherfolk")
('farmers',)
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

from ._shared import load_yaml_text
from .errors import DataFileError, Problem
from .paths import REFERENCE_DIR

STAKEHOLDERS_DIR = REFERENCE_DIR / "stakeholders"
GROUPS_FILE = STAKEHOLDERS_DIR / "groups.yaml"

UN_CATEGORIES = ("major_group", "other_stakeholder")
#: Vocabulary names accepted by :meth:`Stakeholders.groups`.
VOCABULARIES = ("all", "un", "ph")


def normalise_text(text: object) -> str:
    """Fold a label for matching: lower case, no accents, punctuation as spaces.

    ``"Mga  Mangingisda!"`` and ``"mga mangingisda"`` fold to the same string.
    Apostrophes are dropped rather than spaced so "women's" matches "womens".
    """
    value = unicodedata.normalize("NFKD", str(text))
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.casefold().replace("\u2019", "'")
    value = re.sub(r"'s\b", "", value).replace("'", "")
    value = re.sub(r"[^\w+]+|_", " ", value)
    return " ".join(value.split())


@dataclass(frozen=True)
class StakeholderGroup:
    """One stakeholder group as the reference file describes it."""

    id: str
    en: str
    ja: str
    un: str | None  # "major_group" | "other_stakeholder" | None
    ph_sector: int | None  # RA 8425 sector number 1-14
    part_of: tuple[str, ...]
    lnob: bool
    synonyms: tuple[str, ...]

    def name(self, lang: str = "en") -> str:
        """Display name in ``lang`` ("en" or "ja"), English when Japanese is missing."""
        return (self.ja if lang == "ja" else self.en) or self.en

    @property
    def vocabularies(self) -> tuple[str, ...]:
        """Which vocabularies list this group: a subset of ("un", "ph")."""
        out = []
        if self.un:
            out.append("un")
        if self.ph_sector:
            out.append("ph")
        return tuple(out)


class Stakeholders:
    """The loaded vocabularies with lookup, fuzzy suggestions and the crosswalk."""

    def __init__(self, groups: Iterable[StakeholderGroup], source: str = "groups.yaml") -> None:
        self._groups = tuple(groups)
        self.source = source
        self._by_id = {g.id: g for g in self._groups}
        # Names and synonyms win over bare ids: "Farmers" in a Philippine log
        # means the farmer-peasant sector, not the UN "farmers" major group.
        self._lookup: dict[str, str] = {}
        for g in self._groups:
            self._lookup[normalise_text(g.id.replace("_", " "))] = g.id
        for g in self._groups:
            self._lookup[normalise_text(g.en)] = g.id
            if g.ja:
                self._lookup.setdefault(normalise_text(g.ja), g.id)
        for g in self._groups:
            for label in g.synonyms:
                self._lookup[normalise_text(label)] = g.id

    # -- access ---------------------------------------------------------------
    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def groups(self, vocabulary: str = "all") -> tuple[StakeholderGroup, ...]:
        """Groups of one vocabulary: "un" (Major Groups and Other Stakeholders),
        "ph" (the 14 basic sectors, in RA 8425 order) or "all"."""
        if vocabulary not in VOCABULARIES:
            raise ValueError(
                f"unknown vocabulary {vocabulary!r}; allowed: {', '.join(VOCABULARIES)}"
            )
        if vocabulary == "un":
            return tuple(g for g in self._groups if g.un)
        if vocabulary == "ph":
            return tuple(sorted((g for g in self._groups if g.ph_sector), key=_sector_no))
        return self._groups

    def group(self, group_id: str) -> StakeholderGroup:
        """The group with this id (or any name/synonym); KeyError naming the choices."""
        found = self.resolve(group_id)
        if found is None:
            hint = self.suggest(group_id)
            raise KeyError(
                f"unknown stakeholder group {group_id!r}"
                + (f"; closest: {', '.join(hint)}" if hint else "")
                + f"; allowed ids: {', '.join(self.ids)}"
            )
        return self._by_id[found]

    def __contains__(self, group_id: object) -> bool:
        return group_id in self._by_id

    def __len__(self) -> int:
        return len(self._groups)

    # -- matching ---------------------------------------------------------------
    def resolve(self, text: object) -> str | None:
        """The id of the group ``text`` names (id, English name or synonym), else None."""
        if text is None:
            return None
        if text in self._by_id:
            return str(text)
        key = normalise_text(text)
        if not key:
            return None
        for variant in _variants(key):
            found = self._lookup.get(variant)
            if found:
                return found
        return None

    def suggest(self, text: object, limit: int = 3) -> tuple[str, ...]:
        """Closest group labels for an unknown ``text`` (for "did you mean")."""
        from rapidfuzz import fuzz, process

        key = normalise_text(text)
        if not key:
            return ()
        labels = list(self._lookup)
        hits = process.extract(key, labels, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=72)
        out: list[str] = []
        for label, _score, _index in hits:
            gid = self._lookup[label]
            shown = f"{self._by_id[gid].en} ({gid})"
            if shown not in out:
                out.append(shown)
            if len(out) == limit:
                break
        return tuple(out)

    # -- crosswalk --------------------------------------------------------------
    def to_un(self, group_id: str) -> tuple[str, ...]:
        """UN group(s) this group counts under: itself if it is one, else ``part_of``."""
        g = self.group(group_id)
        if g.un:
            return (g.id,)
        return tuple(p for p in g.part_of if self._by_id[p].un)

    def to_ph(self, group_id: str) -> tuple[str, ...]:
        """Philippine basic sector(s) this group corresponds to.

        A sector maps to itself; a UN group maps to the sectors that fall under it
        (UN "farmers" -> farmer-peasants and artisanal fisherfolk).
        """
        g = self.group(group_id)
        if g.ph_sector:
            return (g.id,)
        return tuple(
            s.id for s in self.groups("ph") if g.id in s.part_of or g.id in self._ancestors(s.id)
        )

    def _ancestors(self, group_id: str) -> set[str]:
        seen: set[str] = set()
        todo = list(self._by_id[group_id].part_of)
        while todo:
            gid = todo.pop()
            if gid not in seen:
                seen.add(gid)
                todo.extend(self._by_id[gid].part_of)
        return seen

    def covered_by(self, group_ids: Iterable[str]) -> set[str]:
        """Every group heard when ``group_ids`` were consulted.

        A group counts as heard if it was consulted itself or through a narrower
        group that falls under it (consulting fisherfolk hears UN "farmers").
        The reverse is not assumed: consulting "workers" says nothing about
        whether informal-sector workers were heard.
        """
        out: set[str] = set()
        for gid in group_ids:
            if gid in self._by_id:
                out.add(gid)
                out |= self._ancestors(gid)
        return out

    def to_frame(self, lang: str = "en") -> Any:
        """All groups as a DataFrame (id, name, un, ph_sector, part_of, lnob)."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "id": g.id,
                    "name": g.name(lang),
                    "un": g.un or "",
                    "ph_sector": g.ph_sector,
                    "part_of": ", ".join(g.part_of),
                    "lnob": g.lnob,
                }
                for g in self._groups
            ]
        )


#: Words an office adds after a group's name ("Women's org", "Fisherfolk
#: association members"); dropped, one at a time from the end, when matching.
_TRAILING_WORDS = frozenset(
    "org orgs organization organizations organisation organisations association associations "
    "assoc members member representatives representative reps rep group groups sector sectors "
    "household households leaders leader federation council councils community communities "
    "participants participant chairs chair chairpersons officers".split()
)


def _variants(key: str) -> list[str]:
    """Spellings to try for a folded label: as is, without "mga", without trailing
    generic words ("org", "members", "sector"), singular/plural of the last word."""
    out = [key]
    if key.startswith("mga "):
        out.append(key[4:])  # Filipino plural marker
    for base in list(out):
        words = base.split()
        while len(words) > 1 and words[-1] in _TRAILING_WORDS:
            words = words[:-1]
            out.append(" ".join(words))
    for base in list(out):
        if base.endswith("s") and len(base) > 3:
            out.append(base[:-1])
        else:
            out.append(base + "s")
    return out


def _sector_no(g: StakeholderGroup) -> int:
    return g.ph_sector or 99


def load_stakeholders(path: Path | None = None) -> Stakeholders:
    """Read and check a groups file; raise DataFileError listing every problem.

    Each problem names the file, the entry ("row", counted from 1) and the field.
    """
    path = Path(path or GROUPS_FILE)
    name = path.name
    try:
        content = load_yaml_text(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(f"{path}: stakeholder groups file not found") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(content, list) or not content:
        raise DataFileError(
            f"{path}: expected a list of groups", [Problem("expected a YAML list", file=name)]
        )
    problems: list[Problem] = []
    groups: list[StakeholderGroup] = []
    seen_ids: dict[str, int] = {}
    labels: dict[str, tuple[str, int]] = {}
    sectors: dict[int, str] = {}
    for row, entry in enumerate(content, start=1):

        def bad(
            message: str,
            column: str | None = None,
            value: object = None,
            allowed: str | None = None,
            row: int = row,
        ) -> None:
            problems.append(
                Problem(message, file=name, row=row, column=column, value=value, allowed=allowed)
            )

        if not isinstance(entry, dict):
            bad("entry is not a mapping", value=entry)
            continue
        gid = entry.get("id")
        if not isinstance(gid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", gid):
            bad("id must be snake_case text", "id", gid, "lower-case letters, digits and _")
            continue
        if gid in seen_ids:
            bad(f"id defined twice (first in entry {seen_ids[gid]})", "id", gid)
            continue
        seen_ids[gid] = row
        for field_name in ("en", "ja"):
            if not isinstance(entry.get(field_name), str) or not entry[field_name].strip():
                bad(f"missing {field_name} name", field_name)
        un = entry.get("un")
        if un not in (None, *UN_CATEGORIES):
            bad("unknown UN category", "un", un, "major_group, other_stakeholder or null")
            un = None
        sector = entry.get("ph_sector")
        if sector is not None:
            if not isinstance(sector, int) or not 1 <= sector <= 14:
                bad("sector number must be 1-14 (RA 8425)", "ph_sector", sector, "1-14 or null")
                sector = None
            elif sector in sectors:
                bad(f"sector {sector} already used by {sectors[sector]}", "ph_sector", sector)
            else:
                sectors[sector] = gid
        if not un and not sector:
            bad("group belongs to no vocabulary", "un", None, "set un and/or ph_sector")
        if not isinstance(entry.get("lnob"), bool):
            bad("lnob must be true or false", "lnob", entry.get("lnob"), "true, false")
        part_of = entry.get("part_of") or []
        synonyms = entry.get("synonyms") or []
        if not isinstance(part_of, list):
            bad("part_of must be a list of ids", "part_of", part_of)
            part_of = []
        if not isinstance(synonyms, list):
            bad("synonyms must be a list", "synonyms", synonyms)
            synonyms = []
        # A synonym may repeat another group's display name on purpose (the
        # synonym then wins); two groups claiming one synonym is an error.
        for label in synonyms:
            key = normalise_text(label)
            if not key:
                bad("empty synonym", "synonyms", label)
            elif key in labels and labels[key][0] != gid:
                other, other_row = labels[key]
                bad(
                    f"synonym also used by {other} (entry {other_row})",
                    "synonyms",
                    label,
                    "each name/synonym may name one group only",
                )
            else:
                labels[key] = (gid, row)
        groups.append(
            StakeholderGroup(
                id=gid,
                en=str(entry.get("en") or ""),
                ja=str(entry.get("ja") or ""),
                un=un,
                ph_sector=sector,
                part_of=tuple(str(p) for p in part_of),
                lnob=bool(entry.get("lnob")),
                synonyms=tuple(str(s) for s in synonyms),
            )
        )
    known = {g.id for g in groups}
    for row, g in enumerate(groups, start=1):
        for parent in g.part_of:
            if parent not in known:
                problems.append(
                    Problem(
                        "part_of names an unknown group",
                        file=name,
                        row=seen_ids.get(g.id, row),
                        column="part_of",
                        value=parent,
                        allowed=", ".join(sorted(known)),
                    )
                )
            elif parent == g.id:
                problems.append(
                    Problem("a group cannot be part of itself", file=name, row=seen_ids[g.id])
                )
    if problems:
        raise DataFileError(f"{path}: stakeholder groups are malformed", problems)
    return Stakeholders(groups, source=str(path))


@lru_cache(maxsize=1)
def get_stakeholders() -> Stakeholders:
    """The stakeholder vocabularies from ``data/reference/stakeholders`` (cached)."""
    return load_stakeholders()
