"""Scripted demo annotations for the sample cities (each sample city's ``demo_annotations.yaml``).

``vlr demo`` calls :func:`apply_scripted` after creating each review, so a
workshop sees a review full of realistic remarks, threads between two
fictional reviewers, and (for San Fernando v2) the v1 remarks carried over
with their found / changed / not-found outcomes. The script layout is
described in the YAML file's header. Applying a script twice adds nothing
the second time: scripted annotations get ids derived from the review and
the script's own ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import AnnotationError, ConflictError, DataFileError, Problem
from .carry import carry_over
from .model import ANNOTATION_KIND, derived_id
from .store import annotate, get_annotation, reply, set_status

if TYPE_CHECKING:
    import pandas as pd

    from ..cities import City


def demo_annotations_path(city: str) -> Path:
    """Where the scripted annotations of sample city ``city`` (slug) live."""
    from ..cities import sample_file

    return sample_file(city, "demo_annotations.yaml")


@dataclass(frozen=True)
class ScriptedAnnotations:
    """What :func:`apply_scripted` did to a review."""

    review_id: str
    added: int
    replies: int
    skipped: int
    status_changes: int = 0
    carried: pd.DataFrame | None = None
    not_carried: int = 0

    @property
    def summary(self) -> str:
        text = f"{self.added} scripted annotation(s), {self.replies} reply(ies)"
        if self.skipped:
            text += f", {self.skipped} already present"
        if self.carried is not None:
            counts = self.carried["outcome"].value_counts().to_dict()
            text += (
                f"; {len(self.carried)} carried over (found unchanged "
                f"{counts.get('found_unchanged', 0)}, changed {counts.get('found_changed', 0)}, "
                f"not found {counts.get('not_found', 0)})"
            )
        if self.status_changes:
            text += f", {self.status_changes} status change(s)"
        if self.not_carried:
            text += (
                f" ({self.not_carried} scripted status change(s) skipped: remark not carried over)"
            )
        return text

    def __str__(self) -> str:
        return self.summary


def _read_script(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise DataFileError(f"{path}: no scripted annotations for this city")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("versions"), dict):
        raise DataFileError(f"{path}: expected a mapping with 'versions: {{v1: ...}}'")
    return data


def _reviewer(alias: Any, review: Any, aliases: dict[str, str], fallback: str) -> str:
    """A script's ``by:`` as a name: an alias (A, B…) of the review's reviewers, or a name."""
    text = str(alias or "").strip()
    if not text:
        return fallback
    if text in aliases:
        name = aliases[text]
        return name
    if len(text) == 1 and text.isalpha():
        i = ord(text.upper()) - ord("A")
        if 0 <= i < len(review.reviewers):
            return str(review.reviewers[i])
        return fallback
    return text


def apply_scripted(
    ws: Any,
    review_id: str,
    city: City | str,
    version: str,
    *,
    path: str | Path | None = None,
    previous_review_id: str | None = None,
) -> ScriptedAnnotations:
    """Add the scripted demo annotations of ``city``'s draft ``version`` to a review.

    For a version whose script says ``carry_over_from: v1``, the open
    annotations of the earlier review (``previous_review_id``, else the
    newest review of that city and version in the workspace) are first
    carried over to this draft, then the script's ``status`` changes on them
    are applied. Every scripted quote is checked against the draft like any
    reviewer's: a script that no longer matches its draft raises
    :class:`~vlr_tools.errors.DataFileError` naming the entry.
    """
    from .store import draft_for_review

    slug = city if isinstance(city, str) else city.slug
    script_path = Path(path) if path is not None else demo_annotations_path(slug)
    script = _read_script(script_path)
    entry = script["versions"].get(version)
    if not isinstance(entry, dict):
        raise DataFileError(
            f"{script_path}: no scripted annotations for draft {version!r}; "
            f"it has: {', '.join(map(str, script['versions']))}"
        )
    rv = ws.review(review_id)
    fallback = ws.reviewer or (rv.reviewers[0] if rv.reviewers else "")
    aliases = {str(k): str(v) for k, v in (script.get("reviewers") or {}).items()}
    draft = draft_for_review(ws, review_id)

    carried = None
    status_changes = not_carried = 0
    source = entry.get("carry_over_from")
    if source:
        old_id = previous_review_id
        if old_id is None:
            prev = ws.find_review(slug, str(source))
            old_id = prev.id if prev is not None and prev.id != review_id else None
        if old_id is not None:
            carried = carry_over(ws, old_id, review_id, draft, reviewer=fallback)
            for n, change in enumerate(entry.get("after_carry_over") or (), start=1):
                where = f"versions.{version}.after_carry_over[{n}]"
                old_ann = derived_id("an", old_id, str(change.get("id")))
                new_ann = derived_id("an", review_id, old_ann)
                by = _reviewer(change.get("by"), rv, aliases, fallback)
                if ws.get(review_id, ANNOTATION_KIND, new_ann) is None:
                    # The earlier review was not made by this script (or the
                    # remark was closed there): there is nothing to decide on.
                    not_carried += 1
                    continue
                try:
                    ann = get_annotation(ws, review_id, new_ann)
                    if ann.status != change.get("status"):
                        set_status(
                            ws,
                            review_id,
                            new_ann,
                            str(change.get("status")),
                            note=str(change.get("note") or ""),
                            reviewer=by,
                        )
                        status_changes += 1
                except AnnotationError as exc:
                    raise DataFileError(
                        f"{script_path}: {where}", [Problem(str(exc), file=script_path.name)]
                    ) from None

    added = replies = skipped = 0
    existing = {r.key for r in ws.records(review_id, ANNOTATION_KIND)}
    for n, item in enumerate(entry.get("annotations") or (), start=1):
        where = f"versions.{version}.annotations[{n}] ({item.get('id', 'no id')})"
        if not item.get("id"):
            raise DataFileError(f"{script_path}: {where}: key 'id' is required")
        aid = derived_id("an", review_id, str(item["id"]))
        if aid in existing:
            skipped += 1
            continue
        by = _reviewer(item.get("by"), rv, aliases, fallback)
        try:
            ann = annotate(
                ws,
                review_id,
                draft,
                page=item.get("page"),
                quote=str(item.get("quote") or ""),
                comment=str(item.get("comment") or ""),
                kind=str(item.get("kind") or ""),
                paragraph=item.get("paragraph"),
                criterion=item.get("criterion"),
                sdg=item.get("sdg") or (),
                reviewer=by,
                status=str(item.get("status") or "open"),
                annotation_id=aid,
            )
        except ConflictError:
            skipped += 1
            continue
        except AnnotationError as exc:
            raise DataFileError(
                f"{script_path}: {where} does not fit draft {version}",
                [Problem(str(exc), file=script_path.name)],
            ) from None
        added += 1
        for r in item.get("replies") or ():
            reply(
                ws,
                review_id,
                ann.id,
                str(r.get("comment") or ""),
                _reviewer(r.get("by"), rv, aliases, fallback),
            )
            replies += 1
    return ScriptedAnnotations(
        review_id=review_id,
        added=added,
        replies=replies,
        skipped=skipped,
        status_changes=status_changes,
        carried=carried,
        not_carried=not_carried,
    )
