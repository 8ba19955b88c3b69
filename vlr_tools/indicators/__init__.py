"""A city's local SDG indicators: read the spreadsheet, find data gaps, align to global indicators.

A city keeps its indicators in a workbook (sheet "Indicators") or a CSV with
the columns::

    ID | Local indicator | Definition | Unit | SDG goal | Global indicator code |
    Baseline year | Baseline value | Latest year | Latest value | 2030 target |
    Data source | Disaggregation | Notes

The header row may come after a few title rows. :func:`load_indicators`
reads it into frozen :class:`LocalIndicator` records and reports *every*
malformed cell at once (file, sheet, row, column, value, what is allowed).

A missing baseline, source or second data point is not an error: it is what
a reviewer is looking for. :func:`indicator_gaps` lists those as findings, and
:func:`align_indicators` suggests the global indicator each local one
corresponds to, with the reason.

>>> table = load_indicators("santa-rosa-indicators.xlsx")  # doctest: +SKIP
>>> indicator_gaps(table).query("gap == 'no_source'")["id"].tolist()  # doctest: +SKIP
['SR-IND-05', 'SR-IND-09', ...]

Layout: ``table`` (reading and checking the sheet), ``gaps`` (data gaps)
and ``alignment`` (local to global indicators).
"""

from __future__ import annotations

from .alignment import ALTERNATIVE_MIN, PROXY_MATCH_MIN, QUESTION_MARGIN, align_indicators
from .gaps import GAP_KINDS, gap_kinds, indicator_gaps
from .reading import Grid, Reading, read_grids
from .sources import parse_pages, read_draft_tables, read_indicator_file
from .table import (
    COLUMNS,
    SHEET,
    IndicatorTable,
    LocalIndicator,
    Observation,
    load_indicators,
)

__all__ = [
    "ALTERNATIVE_MIN",
    "COLUMNS",
    "GAP_KINDS",
    "PROXY_MATCH_MIN",
    "QUESTION_MARGIN",
    "SHEET",
    "Grid",
    "IndicatorTable",
    "LocalIndicator",
    "Observation",
    "Reading",
    "align_indicators",
    "gap_kinds",
    "indicator_gaps",
    "load_indicators",
    "parse_pages",
    "read_draft_tables",
    "read_grids",
    "read_indicator_file",
]
