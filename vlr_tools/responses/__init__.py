"""A partner city's answers to the review's recommendations: the response sheet.

The memo tells a city what the reviewers recommend; the response sheet lets
it answer each recommendation (accepted, accepted in part, not accepted,
already done; what it will do, which office, by when) and send that back.
The answers are stored in the review, and the next draft's review shows them
beside each carried recommendation and whether the new draft did it.

- :mod:`.model`: the answers a city can give, the recommendations it answers
  (in the memo's order, with stable ids) and the answers stored in a review;
- :mod:`.sheet`: the Excel workbook sent with the memo (EN or JA);
- :mod:`.reader`: reading a returned workbook back, with every problem listed.

>>> from vlr_tools.responses import export_sheet, import_responses  # doctest: +SKIP
>>> export_sheet(ws, review.id, "santa-rosa-v1-response-sheet-en.xlsx")  # doctest: +SKIP
>>> import_responses(ws, review.id, "returned.xlsx")  # doctest: +SKIP
"""

from __future__ import annotations

from .model import (
    RESPONSE_KIND,
    SHEET_KIND,
    CityResponse,
    RecommendationRow,
    ResponseKind,
    load_responses,
    parse_response,
    recommendation_id,
    recommendation_rows,
    response_kinds,
    response_label,
    response_labels,
    responses_frame,
)
from .reader import ImportResult, import_responses, parse_date, read_sheet
from .sheet import (
    ExportedSheet,
    export_sheet,
    response_sheet_name,
    sheet_filename,
    write_response_sheet,
)

__all__ = [
    "RESPONSE_KIND",
    "SHEET_KIND",
    "CityResponse",
    "ExportedSheet",
    "ImportResult",
    "RecommendationRow",
    "ResponseKind",
    "export_sheet",
    "import_responses",
    "load_responses",
    "parse_date",
    "parse_response",
    "read_sheet",
    "recommendation_id",
    "recommendation_rows",
    "response_kinds",
    "response_label",
    "response_labels",
    "response_sheet_name",
    "responses_frame",
    "sheet_filename",
    "write_response_sheet",
]
