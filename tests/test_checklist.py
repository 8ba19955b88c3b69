"""The peer-review checklist: templates, ratings, reviewers, draft versions, summary."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from vlr_tools.checklist import (
    RATINGS,
    apply_scripted_review,
    carried_items,
    carry_over,
    carryover_frame,
    carryover_status,
    clear_template_cache,
    compare_drafts,
    consolidate,
    copy_template,
    demo_review_path,
    disputed,
    final_ratings,
    findings_by_area,
    list_templates,
    load_template,
    mark_addressed,
    orphaned_ratings,
    parse_pages,
    progress_figure,
    progress_frame,
    rate,
    ratings_by_area,
    ratings_figure,
    ratings_frame,
    set_final,
    start_review,
    summary_frame,
    template_info,
    top_recommendations,
    use_template,
)
from vlr_tools.cities import load_city
from vlr_tools.cli import main
from vlr_tools.errors import ChecklistError, ConflictError, DataFileError

#: The criteria of the project's review guide, areas A-H.
GUIDE_IDS = "A1 A2 A3 A4 B1 B2 B3 B4 C1 C2 C3 C4 C5 C6 D1 D2 D3 D4 D5 E1 E2 E3 E4 F1 F2 F3 F4 G1 G2 H1 H2".split()
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
LEAD = "Reviewer A (CYO, illustrative)"
SECOND = "Reviewer B (CYO, illustrative)"


@pytest.fixture
def sf_v1(sample_review):
    """A review of San Fernando draft v1 with two reviewers (lead first), through the intake."""
    return sample_review("san-fernando", "v1", reviewers=(LEAD, SECOND))


@pytest.fixture
def own_template(tmp_path):
    """An editable copy of the full template outside the reference folder."""
    path = copy_template("full", tmp_path / "my-checklist.yaml")
    yield path
    clear_template_cache()


# -- templates -------------------------------------------------------------------


def test_full_template_covers_every_guide_criterion_in_both_languages():
    tpl = load_template("full")
    assert tpl.ids == tuple(GUIDE_IDS)
    assert len(tpl) >= 25 and tpl.name == "full" and tpl.version
    assert [a.code for a in tpl.areas] == list("ABCDEFGH")
    for c in tpl.criteria:
        assert c.question_en and c.good_en and c.source, c.id
        assert _JAPANESE.search(c.question_ja) and _JAPANESE.search(c.good_ja), c.id
        assert c.id.startswith(c.area)
    for a in tpl.areas:
        assert _JAPANESE.search(a.name_ja), a.code
    # Sources name the guidelines and Philippine law the checklist rests on.
    sources = " ".join(c.source for c in tpl.criteria)
    for needle in (
        "UN DESA",
        "UN-Habitat/UCLG",
        "IGES Shimokawa",
        "EU JRC",
        "Yokohama",
        "RA 7160",
        "RA 10173",
        "RA 8425",
        "Philippine Development Plan 2023-2028",
    ):
        assert needle in sources, needle


def test_workshop_template_is_a_short_subset_with_the_same_ids():
    full, workshop = load_template("full"), load_template("workshop")
    assert 8 <= len(workshop) <= 10
    assert set(workshop.ids) <= set(full.ids)
    assert "workshop" in list_templates() and "full" in list_templates()
    assert workshop.criterion("C4").question("ja") != full.criterion("C4").question("ja")


def test_unknown_criterion_lists_close_ids():
    tpl = load_template("full")
    with pytest.raises(ChecklistError) as err:
        tpl.criterion("C9")
    message = str(err.value)
    assert "C9" in message and "did you mean" in message
    assert re.search(r"did you mean: (C\d, )*C\d", message)


def test_unknown_template_name_says_which_exist():
    with pytest.raises(ChecklistError, match="allowed: .*full.*workshop"):
        load_template("no-such-template")


def _write_template(path: Path, criteria: list[dict]) -> Path:
    path.write_text(
        yaml.safe_dump(
            {"name": "broken", "version": "1", "criteria": criteria}, allow_unicode=True
        ),
        encoding="utf-8",
    )
    return path


def test_malformed_template_names_file_criterion_and_field(tmp_path):
    good = {
        "id": "A1",
        "area": "A",
        "question": {"en": "Q?", "ja": "問"},
        "good": {"en": "G", "ja": "良"},
        "source": "S",
    }
    path = _write_template(
        tmp_path / "broken.yaml",
        [
            good,
            {**good, "id": "A1"},  # duplicate id
            {
                "id": "C1",
                "area": "C",
                "question": {"ja": "問だけ"},
                "good": {"en": "G"},
                "source": "S",
            },
            {**good, "id": "Z1", "area": "Z"},
            {**good, "id": "B1", "qestion": "typo"},
        ],
    )
    with pytest.raises(DataFileError) as err:
        load_template(path)
    message = str(err.value)
    assert str(path) in message
    assert "criterion #2 (A1), field 'id': used twice" in message
    assert "criterion #3 (C1), field 'question.en': must be a non-empty text" in message
    assert (
        "criterion #4 (Z1), field 'area': unknown area" in message and "allowed: A, B, C" in message
    )
    assert "criterion #5 (B1), field 'qestion': unknown field" in message


def test_copy_template_keeps_comments_and_records_its_origin(tmp_path, own_template):
    text = own_template.read_text(encoding="utf-8")
    assert text.startswith("# Full peer-review checklist")
    copy = load_template(own_template)
    full = load_template("full")
    assert copy.name == "my-checklist"
    assert copy.version == f"{full.version}-1"
    assert copy.based_on == f"full {full.version}"
    assert copy.ids == full.ids and [a.code for a in copy.areas] == list("ABCDEFGH")
    with pytest.raises(ChecklistError, match="already exists"):
        copy_template("full", own_template)
    assert own_template.read_text(encoding="utf-8") == text  # nothing overwritten


# -- rating --------------------------------------------------------------------------


def test_parse_pages_accepts_what_reviewers_type():
    assert parse_pages("12, 14-16") == (12, 14, 15, 16)
    assert parse_pages(["p. 3", 5, "pp. 7–8"]) == (3, 5, 7, 8)
    assert parse_pages("") == () and parse_pages(None) == ()
    for bad in ("twelve", "0", "5-3", [True]):
        with pytest.raises(ChecklistError):
            parse_pages(bad)


def test_rate_saves_at_once_with_every_field(workspace, sf_v1):
    r = rate(
        workspace,
        sf_v1.id,
        "c4",
        "not met",
        pages="10, 19",
        comment="City-wide totals only.",
        recommendation="Use CBMS by barangay and sex.",
        priority="high",
        reviewer=LEAD,
    )
    assert (r.criterion_id, r.rating, r.pages, r.priority) == ("C4", "not_met", (10, 19), "high")
    stored = workspace.get(sf_v1.id, "rating", f"C4/{LEAD}")
    assert stored.data["rating"] == "not_met" and stored.data["pages"] == [10, 19]
    assert (
        stored.data["template"] == "full"
        and stored.data["template_version"] == load_template("full").version
    )
    frame = ratings_frame(workspace, sf_v1.id)
    assert frame.loc[0, "criterion_id"] == "C4" and frame.loc[0, "reviewer"] == LEAD
    # The review records which template and version it is rated against.
    info = template_info(workspace, sf_v1.id)
    assert info["name"] == "full" and not info["changed"] and info["dropped"] == []


def test_page_beyond_the_draft_is_refused_and_nothing_is_lost(workspace, sf_v1):
    pages = load_city("san-fernando").draft("v1")  # the sample file the intake stored
    rate(workspace, sf_v1.id, "H1", "not_met", pages=[27], reviewer=LEAD)
    with pytest.raises(ChecklistError) as err:
        rate(workspace, sf_v1.id, "H1", "met", pages="27, 99", reviewer=LEAD)
    message = str(err.value)
    assert "page 99" in message and "32 pages" in message and "1-32" in message
    assert pages.pdf.name in message
    stored = workspace.get(sf_v1.id, "rating", f"H1/{LEAD}")
    assert stored.version == 1 and stored.data["rating"] == "not_met"


def test_pages_of_a_review_without_a_stored_draft_are_only_checked_to_be_positive(workspace):
    review = workspace.create_review(city="baguio", version="v1", reviewers=(LEAD,))
    rate(workspace, review.id, "H1", "not_met", pages="27, 99", reviewer=LEAD)
    assert workspace.get(review.id, "rating", f"H1/{LEAD}").data["pages"] == [27, 99]
    with pytest.raises(ChecklistError):
        rate(workspace, review.id, "H1", "met", pages="0", reviewer=LEAD)


def test_unknown_rating_priority_and_criterion_say_what_is_allowed(workspace, sf_v1):
    with pytest.raises(ChecklistError, match="allowed: met, partly_met, not_met, not_applicable"):
        rate(workspace, sf_v1.id, "A1", "good", reviewer=LEAD)
    with pytest.raises(ChecklistError, match="allowed: high, medium, low"):
        rate(workspace, sf_v1.id, "A1", "met", priority="urgent", reviewer=LEAD)
    with pytest.raises(ChecklistError, match="no criterion 'Q7'"):
        rate(workspace, sf_v1.id, "Q7", "met", reviewer=LEAD)
    assert workspace.records(sf_v1.id, "rating") == []


def test_a_stale_edit_is_refused_not_overwritten(workspace, sf_v1):
    first = rate(workspace, sf_v1.id, "B2", "partly_met", reviewer=LEAD)
    rate(workspace, sf_v1.id, "B2", "not_met", reviewer=LEAD, expected_version=first.version)
    with pytest.raises(ConflictError) as err:
        rate(workspace, sf_v1.id, "B2", "met", reviewer=LEAD, expected_version=first.version)
    assert "was not saved" in str(err.value) and err.value.attempted["rating"] == "met"
    assert workspace.get(sf_v1.id, "rating", f"B2/{LEAD}").data["rating"] == "not_met"


def test_an_edited_template_that_drops_a_rated_criterion_keeps_the_rating(
    workspace, sample_review, own_template
):
    review = sample_review("san-fernando", "v1", template=str(own_template), reviewers=(LEAD,))
    rate(workspace, review.id, "C6", "partly_met", comment="Consent basis missing.", reviewer=LEAD)
    rate(workspace, review.id, "C5", "not_met", reviewer=LEAD)
    # The reviewer edits the copy: drops C6 and raises the version.
    data = yaml.safe_load(own_template.read_text(encoding="utf-8"))
    data["criteria"] = [c for c in data["criteria"] if c["id"] != "C6"]
    data["version"] = "2025.1-2"
    own_template.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    clear_template_cache()

    with pytest.raises(ChecklistError) as err:
        rate(workspace, review.id, "C6", "met", reviewer=LEAD)
    message = str(err.value)
    assert "no longer in template" in message and "kept" in message and "orphaned" in message
    orphans = orphaned_ratings(workspace, review.id)
    assert [(o.criterion_id, o.rating, o.comment) for o in orphans] == [
        ("C6", "partly_met", "Consent basis missing.")
    ]
    assert workspace.get(review.id, "rating", f"C6/{LEAD}") is not None
    frame = ratings_frame(workspace, review.id)
    assert frame.set_index("criterion_id").loc["C6", "orphaned"]
    info = template_info(workspace, review.id)
    assert info["changed"] and info["dropped"] == ["C6"] and info["current_version"] == "2025.1-2"
    summary = summary_frame(workspace, review.id)
    assert summary.iloc[-1]["criterion_id"] == "C6" and summary.iloc[-1]["status"] == "orphaned"


# -- several reviewers -----------------------------------------------------------------


def test_consolidate_shows_agreement_spread_and_the_lead_settles(workspace, sf_v1):
    rid = sf_v1.id
    rate(
        workspace,
        rid,
        "C4",
        "not_met",
        pages=[10],
        recommendation="Disaggregate.",
        priority="high",
        reviewer=LEAD,
    )
    rate(workspace, rid, "C4", "partly_met", pages=[15], reviewer=SECOND)
    rate(workspace, rid, "D4", "met", reviewer=LEAD)
    rate(workspace, rid, "D4", "met", reviewer=SECOND)
    rate(workspace, rid, "A2", "met", reviewer=SECOND)
    rate(workspace, rid, "F2", "met", reviewer=LEAD)
    rate(workspace, rid, "F2", "not_applicable", reviewer=SECOND)

    frame = consolidate(workspace, rid).set_index("criterion_id")
    assert list(frame.columns[2:4]) == [LEAD, SECOND]
    assert frame.loc["C4", LEAD] == "not_met" and frame.loc["C4", SECOND] == "partly_met"
    assert not frame.loc["C4", "agreement"] and frame.loc["C4", "spread"] == 1.0
    assert frame.loc["D4", "agreement"] and frame.loc["D4", "spread"] == 0.0
    assert pd.isna(frame.loc["A2", "agreement"]) and frame.loc["A2", "status"] == "single"
    assert not frame.loc["F2", "agreement"] and pd.isna(frame.loc["F2", "spread"])
    assert frame.loc["H1", "status"] == "unrated" and frame.loc["H1", "n_ratings"] == 0

    finals = final_ratings(workspace, rid)
    assert finals["C4"].rating == "disputed" and finals["C4"].status == "disputed"
    assert finals["D4"].rating == "met" and finals["D4"].status == "agreed"
    assert finals["C4"].pages == (10, 15) and finals["C4"].priority == "high"
    assert sorted(disputed(workspace, rid)) == ["C4", "F2"]

    with pytest.raises(ChecklistError, match="only the lead reviewer"):
        set_final(workspace, rid, "C4", "partly_met", reviewer=SECOND)
    result = set_final(
        workspace, rid, "C4", "not_met", note="No data by sex or barangay.", reviewer=LEAD
    )
    assert result.status == "final" and result.rating == "not_met" and result.decided_by == LEAD
    stored = workspace.get(rid, "final_rating", "C4")
    assert stored.data["ratings_seen"] == {LEAD: "not_met", SECOND: "partly_met"}
    assert consolidate(workspace, rid).set_index("criterion_id").loc["C4", "final"] == "not_met"
    assert disputed(workspace, rid) == ["F2"]


# -- scripted reviews ----------------------------------------------------------------------


@pytest.mark.parametrize("city", ["santa-rosa", "san-fernando"])
def test_a_complete_review_is_scripted_end_to_end_and_read_back(workspace, sample_review, city):
    review = sample_review(city, "v1", reviewers=("Trainer",))
    counts = apply_scripted_review(workspace, review.id)
    assert counts["ratings"] >= 50 and counts["finals"] >= 2
    again = apply_scripted_review(workspace, review.id)
    assert again == {"ratings": 0, "finals": 0, "carried": 0, "marked": 0}
    progress = progress_frame(workspace, review.id).set_index("area")
    assert progress.loc["all", "share_rated"] == 1.0
    by_area = ratings_by_area(workspace, review.id)
    assert (
        by_area[[*RATINGS, "disputed", "unrated"]].sum(axis=1).tolist()
        == progress["criteria"].drop("all").tolist()
    )
    reread = workspace.review(review.id)
    assert reread.reviewers[0] == LEAD and reread.settings["lead"] == LEAD
    findings = findings_by_area(workspace, review.id)
    assert list(findings) == list("ABCDEFGH")
    # The scripted ratings agree with the answer key on every planted weakness.
    from vlr_tools.cities import load_review_key

    finals = final_ratings(workspace, review.id)
    for weakness in load_review_key(city):
        assert any(finals[c].rating in ("not_met", "partly_met") for c in weakness.criteria), (
            weakness.id
        )


def test_scripted_santa_rosa_leaves_two_disputes_for_the_lead(workspace, sample_review):
    review = sample_review("santa-rosa", "v1")
    apply_scripted_review(workspace, review.id)
    assert sorted(disputed(workspace, review.id)) == ["D2", "F3"]
    assert final_ratings(workspace, review.id)["A1"].note.startswith("Lead reviewer")


def test_malformed_scripted_review_names_every_problem(workspace, sample_review, tmp_path):
    data = yaml.safe_load(demo_review_path("santa-rosa").read_text(encoding="utf-8"))
    data["reviews"]["v1"]["criteria"]["A1"]["A"]["rating"] = "excellent"
    data["reviews"]["v1"]["criteria"]["A2"]["Z"] = {"rating": "met"}
    data["illustrative"] = False
    path = tmp_path / "demo_review.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    review = sample_review("santa-rosa", "v1")
    with pytest.raises(DataFileError) as err:
        apply_scripted_review(workspace, review.id, path)
    message = str(err.value)
    assert "reviews.v1.criteria.A1.A.rating: unknown rating" in message
    assert "reviews.v1.criteria.A2: unknown reviewer alias" in message
    assert "'illustrative' must be true" in message
    assert workspace.records(review.id, "rating") == []


# -- draft versions ------------------------------------------------------------------------


@pytest.fixture
def sf_reviews(workspace, sample_review):
    v1 = sample_review("san-fernando", "v1")
    apply_scripted_review(workspace, v1.id)
    v2 = sample_review("san-fernando", "v2")
    return v1, v2


def test_carry_over_copies_recommendations_as_items_to_check(workspace, sf_reviews):
    v1, v2 = sf_reviews
    items = carry_over(workspace, v1.id, v2.id)
    with_recs = {cid for cid, f in final_ratings(workspace, v1.id).items() if f.recommendations}
    assert {i.criterion_id for i in items} == with_recs
    assert all(i.status == "to_check" for i in items)
    d3 = next(i for i in items if i.criterion_id == "D3")
    assert "SDG 14" in d3.text and d3.old_rating == "partly_met" and d3.priority == "high"
    # The lead reviewer's recommendation is the item's text; the other's is kept beside it.
    assert d3.text.startswith("Add an SDG 14 chapter") and d3.other_texts == ("Add SDG 14.",)

    marked = mark_addressed(
        workspace, v2.id, "D3", "addressed", pages="9, 25", note="New chapter 5.9."
    )
    assert (marked.status, marked.pages) == ("addressed", (9, 25))
    # Carrying over again never resets a mark.
    carry_over(workspace, v1.id, v2.id)
    assert (
        next(i for i in carried_items(workspace, v2.id) if i.criterion_id == "D3").status
        == "addressed"
    )

    with pytest.raises(ChecklistError, match="allowed: addressed, partly, not_addressed"):
        mark_addressed(workspace, v2.id, "D3", "done")
    with pytest.raises(ChecklistError, match="35 pages"):
        mark_addressed(workspace, v2.id, "H1", "addressed", pages=[36])
    with pytest.raises(ChecklistError, match="no earlier recommendation on criterion A2"):
        mark_addressed(workspace, v2.id, "A2", "addressed")


def test_scripted_v2_review_marks_the_carry_over(workspace, sf_reviews):
    v1, v2 = sf_reviews
    counts = apply_scripted_review(workspace, v2.id)
    assert counts["carried"] >= 20 and counts["marked"] == counts["carried"]
    status = carryover_status(workspace, v2.id)
    assert status["to_check"] == 0 and status["addressed"] >= 10 and status["not_addressed"] >= 4
    frame = carryover_frame(workspace, v2.id, lang="ja").set_index("criterion_id")
    # Fixed in v2 per the answer key -> addressed; still there -> not addressed.
    for cid in ("D3", "C5", "G1", "H1", "E4", "F1"):
        assert frame.loc[cid, "status"] == "addressed", cid
    for cid in ("C1", "C3", "C4"):
        assert frame.loc[cid, "status"] == "not_addressed", cid
    assert frame.loc["D3", "status_label"] == "対応済み"
    assert final_ratings(workspace, v2.id)["D3"].rating == "met"


def test_carry_over_refuses_reviews_of_different_cities(workspace, sample_review, sf_reviews):
    v1, _v2 = sf_reviews
    other = sample_review("santa-rosa", "v1")
    with pytest.raises(ChecklistError, match="same city"):
        carry_over(workspace, v1.id, other.id)


def test_compare_drafts_san_fernando_v1_to_v2():
    city = load_city("san-fernando")
    frame = compare_drafts(city.draft("v1").pdf, city.draft("v2").pdf)
    by_new = frame.set_index("new_heading")
    added = set(frame.loc[frame["status"] == "added", "new_heading"])
    assert "5.9 SDG 14: Life Below Water" in added
    assert {
        "3.7 Alignment with national and regional plans",
        "3.8 Data gaps and plan to fill them",
        "8.1 Follow-up plan",
    } <= added
    assert "4.6 Stakeholder review of the first draft" in added
    # SDG 17 moved from 5.9 to 5.10: matched by heading similarity, not reported as removed + added.
    assert (
        by_new.loc["5.10 SDG 17: Partnerships for the Goals", "old_heading"]
        == "5.9 SDG 17: Partnerships for the Goals"
    )
    way = by_new.loc["8. Way Forward"]
    assert way["status"] == "changed" and 0 < way["similarity"] < 1
    assert "- " in way["diff"]  # v1's list of intentions was removed
    assert (frame["status"] == "unchanged").sum() >= 5
    assert by_new.loc["2.2 Population", "status"] == "unchanged"
    assert frame["status"].isin(["unchanged", "changed", "added", "removed"]).all()


# -- summary ------------------------------------------------------------------------------------


def test_summary_tables_and_charts_in_both_languages(workspace, sf_reviews):
    v1, _ = sf_reviews
    top = top_recommendations(workspace, v1.id, n=5)
    assert len(top) == 5 and (top["priority"] == "high").all()
    assert top["criterion_id"].is_unique
    assert top.iloc[0]["rating"] == "not_met"
    summary = summary_frame(workspace, v1.id, lang="ja")
    assert len(summary) == 31 and _JAPANESE.search(summary.loc[0, "question"])
    assert set(summary["rating_label"]) <= {
        "満たしている",
        "一部満たしている",
        "満たしていない",
        "該当なし",
    }
    fig = progress_figure(workspace, v1.id, lang="ja")
    assert fig.layout.title.text == "領域別の評価済み項目の割合" and len(fig.data[0].y) == 8
    fig = ratings_figure(workspace, v1.id)
    assert [tr.name for tr in fig.data] == [
        "Met",
        "Partly met",
        "Not met",
        "Not applicable",
        "Disputed",
    ]
    # areas down the side (horizontal labels never overlap), counts across
    assert all(tr.orientation == "h" for tr in fig.data)
    total = sum(sum(tr.x) for tr in fig.data)
    assert total == 31
    assert not fig.layout.annotations


def test_progress_counts_only_rated_criteria(workspace, sf_v1):
    rate(workspace, sf_v1.id, "A1", "met", reviewer=LEAD)
    rate(workspace, sf_v1.id, "A2", "met", reviewer=SECOND)
    rate(workspace, sf_v1.id, "H1", "not_met", reviewer=LEAD)
    progress = progress_frame(workspace, sf_v1.id).set_index("area")
    assert progress.loc["A", "rated"] == 2 and progress.loc["A", "share_rated"] == 0.5
    assert progress.loc["H", "rated"] == 1 and progress.loc["all", "rated"] == 3


def test_use_template_records_workshop_template(workspace, sample_review):
    review = sample_review("santa-rosa", "v1", template="workshop")
    rate(workspace, review.id, "C5", "not_met", reviewer="Test Reviewer")
    with pytest.raises(ChecklistError, match="workshop"):
        rate(workspace, review.id, "F1", "not_met", reviewer="Test Reviewer")
    assert len(progress_frame(workspace, review.id).query("area != 'all'")) == 6
    use_template(workspace, review.id, "full")
    assert template_info(workspace, review.id)["name"] == "full"


# -- CLI ----------------------------------------------------------------------------------------


def test_cli_show_lists_every_criterion(capsys):
    assert main(["checklist", "show", "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    for cid in GUIDE_IDS:
        assert f"  {cid}" in out
    assert "望ましい状態" in out


def test_cli_rate_and_summary(workspace, sample_review, capsys, tmp_path):
    review = sample_review("santa-rosa", "v1", reviewers=("Test Reviewer",))
    args = ["--workspace", str(workspace.path), "--reviewer", "Test Reviewer"]
    assert (
        main(
            [
                "checklist",
                "rate",
                review.id,
                "C4",
                "not_met",
                "--pages",
                "22",
                "--comment",
                "No data.",
                "--recommendation",
                "Use CBMS.",
                "--priority",
                "high",
                *args,
            ]
        )
        == 0
    )
    assert "Saved: C4" in capsys.readouterr().out
    assert main(["checklist", "rate", review.id, "C4", "met", "--pages", "31", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "30 pages" in err and "Traceback" not in err
    assert main(["checklist", "summary", review.id, *args]) == 0
    out = capsys.readouterr().out
    assert "Use CBMS." in out and "1/6" in out


def test_cli_compare_and_copy(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("VLR_REVIEWER", "Test Reviewer")
    assert main(["checklist", "compare", "--city", "san-fernando", "v1", "v2"]) == 0
    out = capsys.readouterr().out
    assert "[Added] 5.9 SDG 14: Life Below Water" in out
    dest = tmp_path / "mine.yaml"
    assert main(["checklist", "copy", "workshop", str(dest)]) == 0
    assert load_template(dest).based_on.startswith("workshop")
    clear_template_cache()


def test_demo_review_files_exist_for_both_cities():
    for city in ("santa-rosa", "san-fernando"):
        path = demo_review_path(city)
        assert path.is_file()
        text = path.read_text(encoding="utf-8")
        assert "illustrative" in text.lower()


def test_cli_final_only_for_the_lead(workspace, capsys):
    review = start_review(workspace, "santa-rosa", "v1", reviewers=(LEAD, SECOND))
    rate(workspace, review.id, "A1", "not_met", reviewer=LEAD)
    rate(workspace, review.id, "A1", "partly_met", reviewer=SECOND)
    cmd = ["checklist", "final", review.id, "A1", "not_met", "--workspace", str(workspace.path)]
    assert main([*cmd, "--note", "x", "--reviewer", SECOND]) == 2
    err = capsys.readouterr().err
    assert f"only the lead reviewer ({LEAD})" in err
    # A command-line user is told the command, not the Python function.
    assert f"vlr checklist rate {review.id} A1 not_met" in err and "rate()" not in err
    # Other mistakes keep their own message.
    bad = ["checklist", "final", review.id, "Z9", "met", "--workspace", str(workspace.path)]
    assert main([*bad, "--reviewer", SECOND]) == 2
    assert "lead reviewer" not in capsys.readouterr().err
    assert main([*cmd, "--note", "Unsigned.", "--reviewer", LEAD]) == 0
    assert "final rating of A1: Not met" in capsys.readouterr().out
    assert final_ratings(workspace, review.id)["A1"].note == "Unsigned."
