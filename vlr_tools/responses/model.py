"""What a city answers to the review's recommendations, and where it is kept.

The recommendations a city answers are the memo's: one per criterion that
the reviewers wrote a recommendation on, every reviewer's different text on
its own line, in the memo's order (:func:`recommendation_rows`). Each gets a
stable id, ``<draft version>-<criterion>`` (``v1-C4``), printed on the
response sheet and used to read it back.

A city's answer to one recommendation is a :class:`CityResponse`, stored in
the review it answers (record kind ``city_response``, key = criterion id) with
who sent it and when; :func:`load_responses` reads them back, and the next
draft's carry-over and memo show them beside each carried recommendation.

>>> rows = recommendation_rows(ws, review.id, "en")   # doctest: +SKIP
>>> load_responses(ws, review.id)["C4"].label("en")   # doctest: +SKIP
'accepted'
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .._shared import read_yaml
from ..errors import DataFileError, Problem
from ..i18n import check_lang, t
from ..paths import REFERENCE_DIR

if TYPE_CHECKING:
    import pandas as pd

#: Record kind of a city's answer to one recommendation (key: criterion id).
RESPONSE_KIND = "city_response"
#: Record kind of an exported response sheet (key: the sheet's id): what it listed.
SHEET_KIND = "response_sheet"
KINDS_FILE = REFERENCE_DIR / "responses" / "kinds.yaml"


@dataclass(frozen=True)
class ResponseKind:
    """One answer a city can give (``accepted``...), with its labels and other spellings."""

    id: str
    en: str
    ja: str = ""
    aliases: tuple[str, ...] = ()

    def label(self, lang: str = "en") -> str:
        return self.ja if lang == "ja" and self.ja else self.en


@lru_cache(maxsize=1)
def response_kinds() -> tuple[ResponseKind, ...]:
    """The answers of ``data/reference/responses/kinds.yaml``, in the file's order."""
    data = read_yaml(KINDS_FILE, list)
    kinds: list[ResponseKind] = []
    problems: list[Problem] = []
    for n, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not item.get("id") or not item.get("en"):
            problems.append(
                Problem(f"entry {n} needs an 'id' and an 'en' label", file=KINDS_FILE.name)
            )
            continue
        kinds.append(
            ResponseKind(
                id=str(item["id"]),
                en=str(item["en"]),
                ja=str(item.get("ja") or ""),
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
            )
        )
    if len({k.id for k in kinds}) != len(kinds):
        problems.append(Problem("two entries have the same id", file=KINDS_FILE.name))
    if problems or not kinds:
        raise DataFileError(f"{KINDS_FILE}: the response kinds are malformed", problems)
    return tuple(kinds)


def response_labels(lang: str = "en") -> list[str]:
    """The labels of every answer in ``lang``, as the sheet's dropdown lists them."""
    return [k.label(lang) for k in response_kinds()]


def response_label(kind: str, lang: str = "en") -> str:
    """The label of the answer ``kind`` in ``lang`` (the id itself if unknown)."""
    for k in response_kinds():
        if k.id == kind:
            return k.label(lang)
    return kind


def _fold(text: object) -> str:
    folded = unicodedata.normalize("NFKC", str(text)).casefold().replace("_", " ")
    return " ".join(folded.replace("-", " ").split())


def parse_response(value: object) -> str | None:
    """The answer id a cell means (either language's label, the id or an alias), else None."""
    wanted = _fold(value)
    if not wanted:
        return None
    for k in response_kinds():
        if wanted in {_fold(x) for x in (k.id, k.en, k.ja, *k.aliases) if x}:
            return k.id
    return None


# -- the recommendations a city answers ---------------------------------------------


@dataclass(frozen=True)
class RecommendationRow:
    """One recommendation of a review as the memo lists it and the city answers it."""

    id: str
    criterion_id: str
    question: str
    priority: str
    rating: str
    text: str
    pages: tuple[int, ...] = ()


def recommendation_id(version: str, criterion_id: str) -> str:
    """``v1-C4``: the id a recommendation carries on the response sheet."""
    return f"{version}-{criterion_id}"


def recommendation_rows(ws: Any, review_id: str, lang: str = "en") -> list[RecommendationRow]:
    """The review's recommendations in the memo's order (priority, then rating, then template).

    One per criterion of the review's checklist that has a recommendation;
    ``question`` is in ``lang``.
    """
    from ..checklist import final_ratings, review_template
    from ..checklist.consensus import recommendation_rank

    check_lang(lang)
    version = ws.review(review_id).version
    template = review_template(ws, review_id)
    order = {cid: n for n, cid in enumerate(template.ids)}
    rows = []
    for cid, final in final_ratings(ws, review_id).items():
        text = final.recommendation_text
        if not text or cid not in template:
            continue  # the memo lists only the template's criteria
        rows.append(
            RecommendationRow(
                id=recommendation_id(version, cid),
                criterion_id=cid,
                question=template.criterion(cid).question(lang),
                priority=final.priority,
                rating=final.rating,
                text=text,
                pages=tuple(final.pages),
            )
        )
    rows.sort(key=lambda r: recommendation_rank(r.priority, r.rating, order[r.criterion_id]))
    return rows


# -- what the city answered ------------------------------------------------------------------


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class CityResponse:
    """A city's answer to one recommendation, with who sent it and when.

    ``response`` is an answer id (see :func:`response_kinds`); the texts are
    the city's own, kept exactly as typed (renderers escape them).
    ``imported_by`` is the reviewer who imported the sheet.
    """

    recommendation_id: str
    criterion_id: str
    response: str
    planned_action: str = ""
    office: str = ""
    target_date: dt.date | None = None
    comment: str = ""
    sent_by: str = ""
    sent_on: dt.date | None = None
    recommendation: str = ""
    file: str = ""
    sheet_id: str = ""
    imported_by: str = ""
    imported_at: str = ""

    def label(self, lang: str = "en") -> str:
        return response_label(self.response, lang)

    def data(self) -> dict[str, Any]:
        """The record's JSON value (``imported_*`` come from the record itself)."""
        return {
            "recommendation_id": self.recommendation_id,
            "criterion_id": self.criterion_id,
            "response": self.response,
            "planned_action": self.planned_action,
            "office": self.office,
            "target_date": self.target_date.isoformat() if self.target_date else "",
            "comment": self.comment,
            "sent_by": self.sent_by,
            "sent_on": self.sent_on.isoformat() if self.sent_on else "",
            "recommendation": self.recommendation,
            "file": self.file,
            "sheet_id": self.sheet_id,
        }

    @classmethod
    def from_record(cls, record: Any) -> CityResponse:
        d = record.data
        return cls(
            recommendation_id=str(d.get("recommendation_id") or ""),
            criterion_id=str(d.get("criterion_id") or record.key),
            response=str(d.get("response") or ""),
            planned_action=str(d.get("planned_action") or ""),
            office=str(d.get("office") or ""),
            target_date=_date(d.get("target_date")),
            comment=str(d.get("comment") or ""),
            sent_by=str(d.get("sent_by") or ""),
            sent_on=_date(d.get("sent_on")),
            recommendation=str(d.get("recommendation") or ""),
            file=str(d.get("file") or ""),
            sheet_id=str(d.get("sheet_id") or ""),
            imported_by=str(record.updated_by or ""),
            imported_at=record.updated_at.isoformat(timespec="seconds")
            if record.updated_at
            else "",
        )


def load_responses(ws: Any, review_id: str) -> dict[str, CityResponse]:
    """The city's answers stored in a review, by criterion id (empty when none)."""
    return {rec.key: CityResponse.from_record(rec) for rec in ws.records(review_id, RESPONSE_KIND)}


def responses_frame(ws: Any, review_id: str, lang: str = "en") -> pd.DataFrame:
    """One row per recommendation of the review, with the city's answer when there is one.

    Columns: ``id, criterion, priority, recommendation, response,
    planned_action, office, target_date, comment, sent_by, sent_on``
    (labels in ``lang``; empty where the city has not answered).
    """
    import pandas as pd

    check_lang(lang)
    answers = load_responses(ws, review_id)
    rows = []
    for rec in recommendation_rows(ws, review_id, lang):
        a = answers.get(rec.criterion_id)
        rows.append(
            {
                "id": rec.id,
                "criterion": rec.criterion_id,
                "priority": t(f"memo.priority.{rec.priority}", lang),
                "recommendation": rec.text,
                "response": a.label(lang) if a else "",
                "planned_action": a.planned_action if a else "",
                "office": a.office if a else "",
                "target_date": a.target_date.isoformat() if a and a.target_date else "",
                "comment": a.comment if a else "",
                "sent_by": a.sent_by if a else "",
                "sent_on": a.sent_on.isoformat() if a and a.sent_on else "",
            }
        )
    columns = [
        "id",
        "criterion",
        "priority",
        "recommendation",
        "response",
        "planned_action",
        "office",
        "target_date",
        "comment",
        "sent_by",
        "sent_on",
    ]
    return pd.DataFrame(rows, columns=columns)
