"""The consultation form: set values, click, check the workspace and the messages."""

from __future__ import annotations

import datetime as dt

import pytest

from vlr_tools.consultations import CONSULTATION_KIND, Consultation
from vlr_tools.widgets.consultations import ConsultationForm


@pytest.fixture
def review(workspace):
    return workspace.create_review(city="san-fernando", version="v1")


def fill(form, **values):
    for name, value in values.items():
        getattr(form, name).value = value


def test_new_consultation_is_saved(workspace, review):
    form = ConsultationForm(workspace, review.id)
    fill(
        form,
        ref="SF-C99",
        date="28 Nov 2024",
        venue="City Hall",
        format="focus_group",
        groups=("artisanal_fisherfolk", "women"),
        male="12",
        female="9",
        pwd_present=False,
        sdgs="14, 14.4",
        iap2="consult",
        issues="Fish kills",
        contact_person="Juana Fictional",
    )
    form.save_button.click()
    assert "Saved SF-C99" in form.messages.value
    stored = workspace.get(review.id, CONSULTATION_KIND, "SF-C99")
    assert stored is not None and stored.version == 1
    record = Consultation.from_dict(stored.data)
    assert record.date == dt.date(2024, 11, 28)
    assert record.groups == ("artisanal_fisherfolk", "women")
    assert (record.male, record.female, record.sdgs, record.targets) == (12, 9, (14,), ("14.4",))
    assert form.record.value == "SF-C99"


def test_problems_are_shown_in_the_form_not_raised(workspace, review):
    form = ConsultationForm(workspace, review.id)
    fill(
        form,
        date="2099-01-01",
        male="-3",
        female="lots",
        sdgs="18",
        issues="<script>alert(1)</script>",
    )
    form.save_button.click()
    text = form.messages.value
    assert "Not saved" in text
    for expected in (
        "Date",
        "future",
        "Male",
        "negative",
        "Female",
        "SDGs discussed",
        "18",
        "Stakeholder groups",
    ):
        assert expected in text, expected
    assert "<script>" not in text
    assert workspace.records(review.id, CONSULTATION_KIND) == []


def test_edit_existing_record_and_detect_conflict(workspace, review):
    workspace.put(
        review.id,
        CONSULTATION_KIND,
        "SF-C01",
        Consultation(
            "SF-C01",
            dt.date(2024, 11, 28),
            ref="SF-C01",
            groups=("local_authorities",),
            male=22,
            female=26,
        ).to_dict(),
    )
    form = ConsultationForm(workspace, review.id)
    form.record.value = "SF-C01"
    assert form.male.value == "22" and form.groups.value == ("local_authorities",)
    form.female.value = "27"
    form.save_button.click()
    assert "version 2" in form.messages.value
    assert workspace.get(review.id, CONSULTATION_KIND, "SF-C01").data["female"] == 27

    # a colleague saves meanwhile; our next save must not overwrite it
    current = workspace.get(review.id, CONSULTATION_KIND, "SF-C01")
    workspace.put(
        review.id,
        CONSULTATION_KIND,
        "SF-C01",
        {**current.data, "male": 30},
        reviewer="Other Reviewer",
    )
    form.female.value = "28"
    form.save_button.click()
    assert "Other Reviewer" in form.messages.value and "Not saved" in form.messages.value
    stored = workspace.get(review.id, CONSULTATION_KIND, "SF-C01")
    assert (stored.data["male"], stored.data["female"]) == (30, 27)
    assert form.male.value == "30"  # their version is loaded into the form


def test_new_record_does_not_overwrite_an_existing_one(workspace, review):
    workspace.put(
        review.id, CONSULTATION_KIND, "SF-C01",
        Consultation("SF-C01", dt.date(2024, 11, 28), ref="SF-C01", groups=("women",)).to_dict(),
    )  # fmt: skip
    form = ConsultationForm(workspace, review.id)
    fill(form, ref="SF-C01", date="2024-12-01", groups=("youth_and_students",))
    form.save_button.click()
    assert "already exists" in form.messages.value
    assert workspace.get(review.id, CONSULTATION_KIND, "SF-C01").data["groups"] == ["women"]


def test_new_button_clears_and_japanese_labels(workspace, review):
    form = ConsultationForm(workspace, review.id, lang="ja")
    assert form.date.description == "日付"
    fill(form, ref="X", venue="Hall", groups=("women",))
    form.new_button.click()
    assert form.ref.value == "" and form.groups.value == () and form.record.value == ""
    form.save_button.click()
    assert "保存していません" in form.messages.value
