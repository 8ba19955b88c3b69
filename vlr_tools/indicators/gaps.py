"""Data gaps of local indicators: findings for the review, not errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..i18n import check_lang, t
from .table import IndicatorTable, LocalIndicator

if TYPE_CHECKING:
    import pandas as pd

#: Data-gap kinds found by :func:`indicator_gaps`, in the order a memo lists them.
#: (Names shared with the memo's ``memo.indicator_problem.*`` texts.)
GAP_KINDS: tuple[str, ...] = (
    "no_data",
    "no_baseline",
    "single_point",
    "no_source",
    "no_unit",
    "no_target",
    "no_disaggregation",
)


def gap_kinds(indicator: LocalIndicator) -> tuple[str, ...]:
    """The data gaps of one indicator, as :data:`GAP_KINDS` names, in that order.

    - ``no_data``: no value at all;
    - ``no_baseline``: the baseline year or the baseline value is missing;
    - ``single_point``: exactly one value, so no trend can be shown;
    - ``no_source``, ``no_unit``, ``no_target`` (no 2030 target),
      ``no_disaggregation`` (not broken down by sex, age, barangay...).
    """
    gaps: list[str] = []
    if not indicator.has_data:
        gaps.append("no_data")
    if indicator.baseline_year is None or indicator.baseline_value is None:
        gaps.append("no_baseline")
    if indicator.data_points == 1:
        gaps.append("single_point")
    if not indicator.source:
        gaps.append("no_source")
    if not indicator.unit:
        gaps.append("no_unit")
    if indicator.target_2030 is None:
        gaps.append("no_target")
    if not indicator.disaggregation:
        gaps.append("no_disaggregation")
    return tuple(gaps)


def indicator_gaps(
    table: IndicatorTable | Iterable[LocalIndicator], lang: str = "en"
) -> pd.DataFrame:
    """Data gaps of every indicator: one row per (indicator, gap).

    Columns: ``id, name, goal, global_code, proxy, gap, message, row``.
    ``gap`` is one of :data:`GAP_KINDS`; ``message`` says it in ``lang``.
    These are findings for the review (checklist E1, E3, C4), not errors.

    >>> gaps = indicator_gaps(load_indicators("santa-rosa-indicators.xlsx"))  # doctest: +SKIP
    >>> gaps.groupby("gap").size()  # doctest: +SKIP
    """
    import pandas as pd

    check_lang(lang)
    rows = []
    for ind in table:
        for gap in gap_kinds(ind):
            rows.append(
                {
                    "id": ind.id,
                    "name": ind.name,
                    "goal": ind.goal,
                    "global_code": ind.global_code,
                    "proxy": ind.proxy,
                    "gap": gap,
                    "message": t(f"coverage.gap.{gap}", lang),
                    "row": ind.row,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["id", "name", "goal", "global_code", "proxy", "gap", "message", "row"]
    )
    frame["goal"] = frame["goal"].astype("Int64")
    frame["row"] = frame["row"].astype("Int64")
    return frame
