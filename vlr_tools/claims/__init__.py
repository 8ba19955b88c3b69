"""Claims against data: the figures and trends in a draft's text checked against its indicator table.

A peer reviewer's most tedious job is checking that what the text says
matches the numbers: "piped water rose to 88% in 2023" while the table says
86; "flood exposure increased" while the table shows a fall; "on track" for
a goal with no indicator; a 2019 figure quoted where the table has 2023.
This package does the reading and offers what it finds as suggestions::

    from vlr_tools.review import open_review
    from vlr_tools.claims import read_claims, decide_claim

    report = read_claims(open_review(ws, "baguio-v1-1a2b3c4d"))
    for check in report.checks:
        print(check.id, check.kind, check.page, check.reason("en"))
    decide_claim(ws, report.review_id, check.id, "dismissed", note="provincial figure")

Layout: ``settings`` (the words, from ``data/reference/claims/claims.yaml``),
``numbers`` (the figures of one sentence), ``extract`` (claims of a draft:
sentences and table rows), ``link`` (which indicator a claim is about),
``checks`` (the five checks), ``store`` (a review's run, decisions and
chosen links) and ``scoring`` (the sample cities' answer keys).
"""

from __future__ import annotations

from .checks import check_claims
from .extract import extract_claims
from .link import Linker
from .model import (
    CHECK_KINDS,
    CONFIRMED,
    DISMISSED,
    SUGGESTED,
    WHICH_INDICATOR,
    Claim,
    ClaimCheck,
    ClaimsReport,
    Figure,
    Link,
)
from .numbers import read_clause
from .settings import claim_settings
from .store import (
    confirmed_checks,
    decide_claim,
    decisions,
    last_run,
    link_claim,
    read_claims,
)

__all__ = [
    "CHECK_KINDS",
    "CONFIRMED",
    "DISMISSED",
    "SUGGESTED",
    "WHICH_INDICATOR",
    "Claim",
    "ClaimCheck",
    "ClaimsReport",
    "Figure",
    "Link",
    "Linker",
    "check_claims",
    "claim_settings",
    "confirmed_checks",
    "decide_claim",
    "decisions",
    "extract_claims",
    "last_run",
    "link_claim",
    "read_claims",
    "read_clause",
]
