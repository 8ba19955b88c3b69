"""The package's public face: every name in __all__ resolves, and nothing heavy loads early."""

from __future__ import annotations

import subprocess
import sys

import vlr_tools


def test_every_public_name_resolves():
    missing = [name for name in vlr_tools.__all__ if not hasattr(vlr_tools, name)]
    assert not missing, f"names in __all__ that do not resolve: {missing}"


def test_carry_over_names_point_at_their_features():
    assert vlr_tools.carry_over_recommendations.__module__.startswith("vlr_tools.checklist")
    assert vlr_tools.carry_over_annotations.__module__.startswith("vlr_tools.annotations")


def test_the_intake_and_the_review_are_public():
    # One intake for every city: the public start_review is the intake's, which takes the
    # city and its draft in (not vlr_tools.checklist.start_review, which creates a bare review).
    for name in (
        "add_city",
        "add_draft",
        "start_review",
        "import_indicators",
        "import_consultations",
    ):
        assert getattr(vlr_tools, name).__module__ == "vlr_tools.intake", name
    assert vlr_tools.open_review.__module__ == "vlr_tools.review"
    assert vlr_tools.OpenReview.__module__ == "vlr_tools.review"


def test_unknown_name_is_an_attribute_error():
    try:
        vlr_tools.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_import_does_not_load_plotting_or_databases():
    code = (
        "import sys, vlr_tools; "
        "print(','.join(m for m in ('plotly', 'sqlalchemy', 'weasyprint', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
