"""The start-a-review form: set values, give it an upload as ipywidgets 8 does, click."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from vlr_tools.widgets.intake import StartReviewForm, start_review_form, uploaded_file

DRAFT_HTML = """<html><head><title>Baguio City Voluntary Local Review</title></head><body>
<h1>Baguio City Voluntary Local Review 2026 (draft)</h1>
<p>The city expands the water supply and sanitation network to every barangay, and
monitors drinking water quality with the water district.</p>
<p>Flooding and landslides in the upland barangays are reduced by disaster risk reduction
plans, early warning and climate change adaptation.</p>
<h2>Education</h2>
<p>Every child completes primary and secondary school; the city builds classrooms and
trains teachers.</p>
<p style="page-break-before: always">Women and youth take part in the city development
council, and the gender and development budget is reported each year.</p>
</body></html>"""


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    """A two-page draft PDF (weasyprint), made once for the module."""
    from weasyprint import HTML

    return HTML(string=DRAFT_HTML).write_pdf()


def upload_value(name: str, data: bytes, kind: str = "application/pdf") -> tuple[dict, ...]:
    """What ipywidgets 8's FileUpload.value holds after the reviewer picks a file."""
    return (
        {
            "name": name,
            "type": kind,
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        },
    )


def fill(form: StartReviewForm, **values) -> None:
    for name, value in values.items():
        getattr(form, name).value = value


def baguio_form(workspace) -> StartReviewForm:
    form = start_review_form(workspace, reviewer="Test Reviewer")
    fill(
        form,
        slug="baguio",
        name="Baguio City",
        country="Philippines",
        province="Benguet",
        population="366,358",
        population_year="2020",
        barangays="129",
        coastal=False,
        hlpf_year="2026",
        version="v1",
        received="2026-03-01",
    )
    return form


def test_upload_value_of_ipywidgets_8_and_7():
    assert uploaded_file(()) is None
    assert uploaded_file(upload_value("../x/draft.pdf", b"%PDF-1.7")) == ("draft.pdf", b"%PDF-1.7")
    old = {"draft.md": {"metadata": {"name": "draft.md"}, "content": b"# Title"}}
    assert uploaded_file(old) == ("draft.md", b"# Title")


def test_start_a_real_citys_review_from_an_upload(workspace, pdf_bytes):
    form = baguio_form(workspace)
    form.upload.value = upload_value("Baguio-VLR-draft.pdf", pdf_bytes)
    form.start_button.click()

    assert form.messages.last_error is None, form.messages.value
    city = workspace.city("baguio")
    assert (city.name, city.province, city.population, city.population_year) == (
        "Baguio City",
        "Benguet",
        366358,
        2020,
    )
    assert (city.barangays, city.coastal, city.hlpf_year, city.illustrative) == (
        129,
        False,
        2026,
        False,
    )
    stored = workspace.draft_file("baguio", "v1")
    assert stored.filename == "Baguio-VLR-draft.pdf" and stored.format == "pdf"
    assert stored.pages == 2 and stored.received == dt.date(2026, 3, 1)
    (review,) = workspace.reviews("baguio")
    assert review.version == "v1" and "Test Reviewer" in review.reviewers
    assert form.started is not None and form.started.review.id == review.id

    assert review.id in form.messages.value
    report = form.report.value
    assert "Baguio-VLR-draft.pdf: 2 pages" in report
    assert "Added the city baguio" in report
    assert f"review_id = &quot;{review.id}&quot;" in report  # the next steps name the review
    assert f"vlr memo --review {review.id}" in report
    assert "01_map_draft" in report


def test_the_review_opens_with_its_draft(workspace, pdf_bytes):
    from vlr_tools import open_review

    form = baguio_form(workspace)
    form.upload.value = upload_value("draft.pdf", pdf_bytes)
    form.start_button.click()
    assert form.started is not None
    rv = open_review(workspace, form.started.review.id)
    assert rv.draft.page_count == 2 and rv.city_name == "Baguio City"
    assert rv.hlpf_year == 2026 and rv.indicators is None
    assert any(p.matches for p in rv.mapping().paragraphs)  # mapped when the review started


def test_a_known_city_keeps_its_profile(workspace, pdf_bytes):
    from vlr_tools import add_city

    add_city(workspace, "baguio", "Baguio City", province="Benguet")
    form = baguio_form(workspace)
    fill(form, name="Another Name", version="v2")
    form.upload.value = upload_value("draft.pdf", pdf_bytes)
    form.start_button.click()
    assert form.messages.last_error is None, form.messages.value
    assert workspace.city("baguio").name == "Baguio City"
    assert "already in the workspace" in form.report.value
    assert [d.version for d in workspace.drafts("baguio")] == ["v2"]


def nothing_stored(workspace) -> bool:
    return not workspace.cities() and not workspace.drafts() and not workspace.reviews()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.pdf", b"", "the file is empty (0 bytes)"),
        (
            "download.pdf",
            b"<!DOCTYPE html><html><body>Sign in to continue</body></html>",
            "is a web page (HTML)",
        ),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj garbage", "broken.pdf"),
    ],
    ids=["empty", "html-named-pdf", "corrupt-pdf"],
)
def test_a_bad_file_shows_the_error_and_stores_nothing(workspace, name, data, expected):
    form = baguio_form(workspace)
    form.upload.value = upload_value(name, data)
    form.start_button.click()  # must not raise
    assert form.messages.last_error is not None
    assert "vlr-error" in form.messages.value
    assert expected in form.messages.value
    assert "Traceback" not in form.messages.value
    assert form.report.value == "" and form.started is None
    assert nothing_stored(workspace)


def test_no_file_chosen_and_bad_profile_values_are_messages(workspace, pdf_bytes):
    form = baguio_form(workspace)

    def shown() -> str:
        return html.unescape(form.messages.value)

    form.start_button.click()
    assert "no draft file chosen" in shown()
    form.upload.value = upload_value("draft.pdf", pdf_bytes)
    fill(form, population="many")
    form.start_button.click()
    assert "Population: 'many' is not a whole number" in shown()
    fill(form, population="", slug="Not A Slug")
    form.start_button.click()
    assert "is not a city slug" in shown()
    fill(form, slug="baguio", version="v 1")
    form.start_button.click()
    assert "draft version 'v 1' is not allowed" in shown()
    assert nothing_stored(workspace)


def test_start_file_for_headless_runs_raises(workspace, tmp_path, pdf_bytes):
    from vlr_tools.errors import DocumentError

    form = baguio_form(workspace)
    with pytest.raises(DocumentError, match="file not found"):
        form.start_file(tmp_path / "missing.pdf")
    draft = tmp_path / "Baguio draft.pdf"
    draft.write_bytes(pdf_bytes)
    started = form.start_file(draft)
    assert started.review.city == "baguio"
    assert "2 pages" in form.report.value
