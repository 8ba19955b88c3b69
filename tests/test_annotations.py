"""Passage annotations: anchoring, finding, carry-over (San Fernando v1 -> v2), annex, exchange, CLI."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
import yaml

from vlr_tools.annotations import (
    COLUMNS,
    FRAME_COLUMNS,
    REPORT_COLUMNS,
    annotate,
    annotations_frame,
    apply_scripted,
    carry_over,
    carryover_counts,
    check_draft,
    comments_by_page,
    draft_for_review,
    edit_annotation,
    export_annotations,
    get_annotation,
    import_annotations,
    list_annotations,
    reanchor,
    recorded_draft,
    reply,
    search,
    set_status,
    to_jsonld,
)
from vlr_tools.annotations.exchange import neutralise, restore
from vlr_tools.cities import load_city
from vlr_tools.documents import draft_from_text, load_draft
from vlr_tools.errors import AnnotationError, AnnotationImportError, ConflictError

SF = load_city("san-fernando")
SR = load_city("santa-rosa")
KEY = yaml.safe_load(SF.review_key_path.read_text(encoding="utf-8"))
REVIEWERS = ("Reviewer A (fictional)", "Reviewer B (fictional)")


@pytest.fixture(scope="module")
def sf_v1():
    return load_draft(SF.draft("v1").pdf)


@pytest.fixture(scope="module")
def sf_v2():
    return load_draft(SF.draft("v2").pdf)


@pytest.fixture(scope="module")
def sr_v1():
    return load_draft(SR.draft("v1").pdf)


@pytest.fixture
def review(sample_review):
    """A review of San Fernando draft v1, started through the intake (it owns its draft)."""
    return sample_review("san-fernando", "v1", reviewers=REVIEWERS).id


def _note(ws, rid, draft, **kw):
    args = {
        "page": 10,
        "quote": "Most figures in this report are city-wide totals",
        "comment": "Break the figures down by sex, age and barangay.",
        "kind": "missing_evidence",
    }
    args.update(kw)
    return annotate(ws, rid, draft, **args)


# -- annotating --------------------------------------------------------------------


def test_annotation_is_anchored_with_context_and_offsets(workspace, review, sf_v1):
    a = _note(workspace, review, sf_v1, criterion="c4", sdg="SDG 17.18, 5")
    assert a.id.startswith("an-") and a.version == 1
    assert (a.page, a.paragraph) == (10, "p10.12")
    assert a.quote == "Most figures in this report are city-wide totals"
    assert sf_v1.text[a.start : a.end] == a.quote
    assert a.prefix == sf_v1.text[a.start - len(a.prefix) : a.start] and 0 < len(a.prefix) <= 32
    assert a.suffix == sf_v1.text[a.end : a.end + len(a.suffix)] and 0 < len(a.suffix) <= 32
    assert a.suffix.startswith(", because the offices")
    assert a.criterion == "C4" and a.sdg == ("17.18", "5")
    assert a.status == "open" and a.reviewer == "Test Reviewer" and a.created
    assert a.draft.sha256 == sf_v1.sha256 and a.draft.page_count == sf_v1.page_count
    assert 0 < a.position < 1
    stored = workspace.get(review, "annotation", a.id)
    assert stored is not None and stored.data["quote"] == a.quote
    assert recorded_draft(workspace, review).sha256 == sf_v1.sha256


def test_quote_matching_ignores_case_spacing_and_quotes_but_keeps_draft_wording(
    workspace, review, sf_v1
):
    a = _note(workspace, review, sf_v1, page=24, quote="the  technical working GROUP rates sdg 17")
    assert a.quote == "The Technical Working Group rates SDG 17"
    assert a.paragraph == "p24.4"


def test_both_sample_drafts_can_be_annotated(workspace, sample_review, sr_v1, sf_v1):
    rid = sample_review("santa-rosa", "v1").id
    a = annotate(
        workspace, rid, sr_v1, page=13, quote="SDG 5 is progressing well in Santa Rosa.",
        comment="Based on one year of VAW data only.", kind="missing_evidence", sdg=["5"],
    )  # fmt: skip
    assert a.page == 13 and sr_v1.text[a.start : a.end] == a.quote
    rid2 = sample_review("san-fernando", "v1").id
    b = _note(workspace, rid2, sf_v1)
    assert b.draft.name == "san-fernando-vlr-draft-v1.pdf"
    # The file the intake stored is the sample file the annotations are anchored to.
    assert draft_for_review(workspace, rid).sha256 == sr_v1.sha256 == a.draft.sha256
    assert draft_for_review(workspace, rid2).sha256 == sf_v1.sha256
    assert len(list_annotations(workspace, rid)) == len(list_annotations(workspace, rid2)) == 1


def test_quote_on_another_page_says_where_it_is(workspace, review, sf_v1):
    with pytest.raises(AnnotationError) as err:
        _note(workspace, review, sf_v1, page=11)
    message = str(err.value)
    assert "not on page 11" in message and "page 10 (p10.12)" in message
    assert workspace.records(review, "annotation") == []


def test_quote_nowhere_says_so_and_shows_closest_words(workspace, review, sf_v1):
    with pytest.raises(AnnotationError) as err:
        _note(workspace, review, sf_v1, quote="Most figures in this report are barangay totals")
    message = str(err.value)
    assert "nor anywhere else" in message and "closest words on page 10" in message
    assert "city-wide totals" in message
    assert workspace.records(review, "annotation") == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"comment": "   "}, "comment is empty"),
        ({"kind": "complaint"}, "allowed: question, correction, missing_evidence"),
        ({"criterion": "Z9"}, "allowed: A1, A2"),
        ({"sdg": "18.1"}, "SDG link '18.1'"),
        ({"sdg": ["5", "11.99"]}, "'11.99'"),
        ({"page": 99}, "no page 99; its pages are 1-32"),
        ({"page": "ten"}, "page must be a page number"),
        ({"quote": ""}, "quote is empty"),
        ({"paragraph": "p10.3"}, "not in paragraph p10.3; it is in p10.12"),
        ({"paragraph": "p11.3"}, "paragraph p11.3 is on page 11, not on page 10"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(workspace, review, sf_v1, change, expected):
    kept = _note(workspace, review, sf_v1, page=3, quote="This is the first Voluntary Local Review")
    with pytest.raises(AnnotationError) as err:
        _note(workspace, review, sf_v1, **change)
    assert expected in str(err.value)
    assert [r.key for r in workspace.records(review, "annotation")] == [kept.id]


def test_thread_status_edit_and_history(workspace, review, sf_v1):
    a = _note(workspace, review, sf_v1)
    r = reply(workspace, review, a.id, "CBMS 2022 has barangay data.", "Reviewer B (fictional)")
    reply(workspace, review, a.id, "Noted; asking the CPDO.", "Reviewer A (fictional)")
    got = get_annotation(workspace, review, a.id)
    assert [x.comment for x in got.replies] == [
        "CBMS 2022 has barangay data.",
        "Noted; asking the CPDO.",
    ]
    assert got.replies[0].id == r.id and got.replies[0].reviewer == "Reviewer B (fictional)"
    with pytest.raises(AnnotationError, match="reply is empty"):
        reply(workspace, review, a.id, "")
    with pytest.raises(AnnotationError, match="has no annotation 'an-000000'"):
        reply(workspace, review, "an-000000", "hello")
    resolved = set_status(workspace, review, a.id, "resolved", note="Fixed in v2.")
    assert resolved.status == "resolved" and resolved.replies[-1].comment == "Fixed in v2."
    with pytest.raises(AnnotationError, match="allowed: open, resolved, withdrawn"):
        set_status(workspace, review, a.id, "done")
    edited = edit_annotation(workspace, review, a.id, comment="Show sex and age.", sdg="5.1")
    assert edited.comment == "Show sex and age." and edited.sdg == ("5.1",)
    assert edited.quote == a.quote and edited.status == "resolved"
    history = workspace.history(review, kind="annotation", key=a.id)
    assert list(history["action"]) == ["create", "update", "update"]
    assert history.iloc[0]["new"]["comment"] == "Break the figures down by sex, age and barangay."
    assert len(workspace.history(review, kind="annotation_reply")) == 3


def test_stale_status_change_is_a_conflict_and_loses_nothing(workspace, review, sf_v1):
    a = _note(workspace, review, sf_v1)
    edit_annotation(
        workspace, review, a.id, comment="Changed by B.", reviewer="Reviewer B (fictional)"
    )
    with pytest.raises(ConflictError):
        set_status(workspace, review, a.id, "withdrawn", expected_version=a.version)
    now = get_annotation(workspace, review, a.id)
    assert now.status == "open" and now.comment == "Changed by B."


def test_another_file_of_the_draft_is_refused_then_reanchored(workspace, review, sf_v1):
    a = _note(workspace, review, sf_v1)
    docx = load_draft(SF.draft("v1").docx)
    assert check_draft(workspace, review, docx).status == "other"
    with pytest.raises(AnnotationError) as err:
        _note(workspace, review, docx, page=1, quote="Voluntary Local Review")
    message = str(err.value)
    assert (
        "san-fernando-vlr-draft-v1.pdf" in message and "san-fernando-vlr-draft-v1.docx" in message
    )
    assert "reanchor" in message and "nothing was saved" in message
    assert [r.key for r in workspace.records(review, "annotation")] == [a.id]
    report = reanchor(workspace, review, docx)
    assert list(report.columns) == list(REPORT_COLUMNS)
    assert report.loc[0, "outcome"] == "found_unchanged"
    moved = get_annotation(workspace, review, a.id)
    assert moved.draft.sha256 == docx.sha256 and docx.text[moved.start : moved.end] == a.quote
    assert moved.comment == a.comment
    assert check_draft(workspace, review, docx).ok
    assert workspace.get(review, "annotation", a.id).data["reanchored"]["old_page"] == 10


def test_same_file_read_into_other_pages_is_refused(workspace, review, sf_v1):
    _note(workspace, review, sf_v1)
    reread = dataclasses.replace(sf_v1, pages=sf_v1.pages[:-1])
    check = check_draft(workspace, review, reread)
    assert check.status == "reread" and "different pages or paragraphs" in check.message
    assert "32 pages then, 31 now" in check.message
    with pytest.raises(AnnotationError, match="different pages"):
        _note(workspace, review, reread)


# -- finding ---------------------------------------------------------------------------


def test_search_english_is_case_insensitive_with_pages_and_offsets(sf_v1):
    hits = search(sf_v1, "CITY-WIDE TOTALS")
    assert [(h.page, h.paragraph) for h in hits] == [(10, "p10.12")]
    h = hits[0]
    assert h.text == "city-wide totals" and sf_v1.text[h.start : h.end] == h.text
    assert sf_v1.page(10).text[h.page_start : h.page_end] == h.text
    assert "city-wide totals" in h.snippet
    several = search(sf_v1, "san fernando")
    assert len(several) > 10 and len({h.page for h in several}) > 5
    assert all(h.page == 15 for h in search(sf_v1, "san fernando", page=15))
    assert search(sf_v1, "no such words anywhere") == [] and search(sf_v1, "  ") == []


def test_search_japanese_uses_nfkc(tmp_path):
    ja = load_draft(SF.japanese.pdf)
    full = search(ja, "ＣＩＴＹＮＥＴ横浜")
    assert full and full[0].text.startswith("CITYNET") and full[0].page == 1
    half = search(ja, "ﾗ･ｳﾆｵﾝ州")
    assert half and all("ラ・ウニオン州" in h.text for h in half)
    # A line wrap inside Japanese text must not hide a phrase.
    d = draft_from_text("市の人口は\n125,640人である。\f次のページ", lang="ja")
    assert [h.page for h in search(d, "人口は１２５，６４０人")] == [1]


def test_japanese_quotes_match_after_nfkc(workspace):
    ja = load_draft(SF.japanese.pdf)
    rid = workspace.create_review("san-fernando", version="ja").id
    a = annotate(
        workspace, rid, ja, page=2, quote="ﾗ･ｳﾆｵﾝ州の州都", comment="州都であることの出典は？",
        kind="question",
    )  # fmt: skip
    assert a.quote == "ラ・ウニオン州の州都" and ja.text[a.start : a.end] == a.quote
    assert a.paragraph == "p2.7"


def test_annotations_frame_filters(workspace, review, sf_v1):
    _note(workspace, review, sf_v1, criterion="C4", sdg="17.18")
    annotate(
        workspace, review, sf_v1, page=9, quote="The TWG reviewed nine goals",
        comment="Why not SDG 14?", kind="question", criterion="D3", sdg="14",
        reviewer="Reviewer B (fictional)",
    )  # fmt: skip
    annotate(
        workspace, review, sf_v1, page=24, quote="rates SDG 17 as on track",
        comment="No indicator.", kind="missing_evidence", criterion="E1", sdg="17.1",
    )  # fmt: skip
    frame = annotations_frame(workspace, review)
    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert list(frame["page"]) == [9, 10, 24]
    assert list(annotations_frame(workspace, review, page=10)["page"]) == [10]
    assert list(annotations_frame(workspace, review, kind="question")["criterion"]) == ["D3"]
    assert sorted(annotations_frame(workspace, review, sdg="17")["page"]) == [10, 24]
    assert list(annotations_frame(workspace, review, criterion="d")["page"]) == [9]
    assert list(
        annotations_frame(workspace, review, reviewer="reviewer b (fictional)")["page"]
    ) == [9]
    assert annotations_frame(workspace, review, status="resolved").empty
    with pytest.raises(AnnotationError):
        annotations_frame(workspace, review, kind="nonsense")


# -- carry-over: San Fernando v1 -> v2 ------------------------------------------------------

OUTCOME = {"unchanged": "found_unchanged", "changed": "found_changed", "deleted": "not_found"}


@pytest.fixture
def carried(workspace, sample_review, sf_v1, sf_v2):
    old = sample_review("san-fernando", "v1", reviewers=REVIEWERS).id
    new = sample_review("san-fernando", "v2", reviewers=REVIEWERS).id
    ids = []
    for n, entry in enumerate(KEY["carryover"]):
        a = annotate(
            workspace, old, sf_v1, page=entry["v1_pages"][0], quote=entry["v1_text"],
            comment=f"Remark {n} on this passage.", kind="question",
        )  # fmt: skip
        ids.append(a.id)
    reply(workspace, old, ids[0], "A reply that travels with the thread.", REVIEWERS[1])
    closed = annotate(
        workspace, old, sf_v1, page=26, quote="The Annual Investment Program for 2025",
        comment="Settled already.", kind="suggestion", status="resolved",
    )  # fmt: skip
    report = carry_over(workspace, old, new, sf_v2)
    return old, new, ids, closed, report


def test_carry_over_outcomes_match_the_answer_key(workspace, carried):
    old, new, ids, closed, report = carried
    assert list(report.columns) == list(REPORT_COLUMNS)
    by_id = report.set_index("annotation_id")
    assert closed.id not in by_id.index  # only open annotations travel
    for aid, entry in zip(ids, KEY["carryover"], strict=True):
        row = by_id.loc[aid]
        assert row["outcome"] == OUTCOME[entry["outcome"]], entry
        if entry["outcome"] == "deleted":
            assert row["new_quote"] == "" and str(row["new_page"]) == "<NA>"
            continue
        assert int(row["new_page"]) in entry["v2_pages"], entry
        if entry["outcome"] == "unchanged":
            assert row["new_quote"] == entry["v1_text"] and row["similarity"] == 100
        else:
            assert row["old_quote"] == entry["v1_text"]
            assert row["new_quote"] == entry["v2_text"], (row["new_quote"], entry["v2_text"])
            assert 75 <= row["similarity"] < 100
    counts = report["outcome"].value_counts().to_dict()
    assert counts == {"found_unchanged": 3, "found_changed": 3, "not_found": 2}
    assert carryover_counts(workspace, new) == counts


def test_carried_annotations_link_to_their_originals(workspace, carried, sf_v2):
    old, new, ids, _closed, report = carried
    anns = {a.origin["annotation_id"]: a for a in list_annotations(workspace, new)}
    assert set(anns) == set(ids)
    first = anns[ids[0]]
    assert first.origin["review_id"] == old
    assert first.origin["outcome"] == OUTCOME[KEY["carryover"][0]["outcome"]]
    assert first.origin["old_quote"] == KEY["carryover"][0]["v1_text"]
    assert first.origin["old_page"] == KEY["carryover"][0]["v1_pages"][0]
    assert [r.comment for r in first.replies] == ["A reply that travels with the thread."]
    assert first.replies[0].reviewer == REVIEWERS[1]
    for a in anns.values():
        assert a.comment.startswith("Remark ") and a.status == "open"
        if a.origin["outcome"] == "not_found":
            assert a.page is None and a.start is None and a.quote == a.origin["old_quote"]
        else:
            assert sf_v2.text[a.start : a.end] == a.quote and a.draft.sha256 == sf_v2.sha256
    assert len(list_annotations(workspace, old)) == len(ids) + 1  # originals untouched
    summary = workspace.get(new, "annotation_carryover", old)
    assert summary.data["counts"] == {"found_unchanged": 3, "found_changed": 3, "not_found": 2}
    again = carry_over(workspace, old, new, sf_v2)
    assert not again["written"].any()
    assert len(list_annotations(workspace, new)) == len(ids)


def test_carry_over_refuses_a_mismatched_draft(workspace, carried, sf_v1):
    old, new, *_ = carried
    with pytest.raises(AnnotationError, match="anchored to san-fernando-vlr-draft-v2.pdf"):
        carry_over(workspace, old, new, sf_v1)
    with pytest.raises(AnnotationError, match="two different reviews"):
        carry_over(workspace, old, old, sf_v1)


def test_fuzzy_match_tolerates_edits_in_text_drafts(workspace):
    old = draft_from_text(
        "Chapter one.\n\nThe city planted 12,000 mangrove seedlings along the bay in 2023.\f"
        "Chapter two.\n\nSchools report fewer dropouts than before."
    )
    new = draft_from_text(
        "Preface added.\f\nChapter one.\n\nThe city planted about 12,500 mangrove seedlings "
        "along the bay in 2023 and 2024.\f\nChapter two.\n\nNothing here any more."
    )
    a_id = workspace.create_review("demo-city", version="v1").id
    b_id = workspace.create_review("demo-city", version="v2").id
    kept = annotate(workspace, a_id, old, page=1, quote="planted 12,000 mangrove seedlings along the bay",
                    comment="Source?", kind="missing_evidence")  # fmt: skip
    gone = annotate(workspace, a_id, old, page=2, quote="Schools report fewer dropouts than before.",
                    comment="Figures?", kind="question")  # fmt: skip
    report = carry_over(workspace, a_id, b_id, new).set_index("annotation_id")
    assert report.loc[kept.id, "outcome"] == "found_changed"
    assert report.loc[kept.id, "new_page"] == 2
    assert (
        report.loc[kept.id, "new_quote"] == "planted about 12,500 mangrove seedlings along the bay"
    )
    assert report.loc[gone.id, "outcome"] == "not_found"


# -- the memo annex ---------------------------------------------------------------------------


def test_comments_by_page_groups_labels_and_roles(workspace, carried):
    _old, new, ids, _closed, _report = carried
    set_status(workspace, new, list_annotations(workspace, new)[0].id, "withdrawn")
    groups = comments_by_page(workspace, new, lang="ja")
    pages = [g.page for g in groups]
    assert pages == sorted(p for p in pages if p is not None) + [None]
    assert groups[-1].label == "この版で見つからない箇所" and len(groups[-1].items) == 2
    assert groups[0].label == f"{groups[0].page}ページ"
    item = groups[-1].items[0]
    assert item.kind == "question" and item.kind_label == "質問" and item.status_label == "未解決"
    assert "引き継ぎ" in item.carried and item.carry_outcome == "not_found"
    assert item.reviewer == "Test Reviewer"
    assert sum(len(g.items) for g in groups) == len(ids) - 1  # the withdrawn one is left out
    hidden = comments_by_page(workspace, new, show_names=False)
    names = {i.reviewer for g in hidden for i in g.items} | {
        r.reviewer for g in hidden for i in g.items for r in i.replies
    }
    assert names == {"Reviewer 3", "Reviewer 2"}  # Test Reviewer is not listed on the review
    assert all("Test Reviewer" not in json.dumps(g.to_dict()) for g in hidden)


def test_review_setting_hides_names_in_the_annex(workspace, sf_v1):
    rid = workspace.create_review(
        "san-fernando", version="v1", reviewers=REVIEWERS, settings={"show_reviewer_names": False}
    ).id
    _note(workspace, rid, sf_v1, criterion="C4", sdg="17.18", reviewer=REVIEWERS[1])
    (group,) = comments_by_page(workspace, rid)
    (item,) = group.items
    assert item.reviewer == "Reviewer 2" and item.links == "C4; SDG 17.18"
    assert item.criterion_text.startswith("Does the draft name who is left behind")
    assert item.sdg_titles and item.sdg_titles[0]
    assert comments_by_page(workspace, rid, show_names=True)[0].items[0].reviewer == "Reviewer 2"


@pytest.mark.slow
def test_memo_annex_in_every_format(workspace, sf_v1, tmp_path):
    from docx import Document

    from vlr_tools.memo import build_memo, memo_bytes

    # No intake: the memo then has only the checklist-free parts and the annex, which
    # keeps this test to the annex (the full sample memo is tested in test_memo.py).
    rid = workspace.create_review("san-fernando", version="v1", reviewers=REVIEWERS).id
    _note(workspace, rid, sf_v1, comment="Typed <b>markup</b> & figures stay text.", criterion="C4")
    memo = build_memo(workspace, rid, "en")
    html_text = memo_bytes(memo, "html").decode("utf-8")
    assert "Typed &lt;b&gt;markup&lt;/b&gt; &amp; figures stay text." in html_text
    assert "<b>markup</b>" not in html_text
    assert "city-wide totals" in html_text
    md = memo_bytes(memo, "md").decode("utf-8")
    assert "markup" in md and "city-wide totals" in md and "<b>markup</b>" not in md
    (tmp_path / "m.docx").write_bytes(memo_bytes(memo, "docx", images={}))
    doc = Document(str(tmp_path / "m.docx"))
    cells = " ".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Typed <b>markup</b> & figures stay text." in cells
    pdf = memo_bytes(memo, "pdf", images={})
    (tmp_path / "m.pdf").write_bytes(pdf)
    import pypdfium2

    doc_pdf = pypdfium2.PdfDocument(str(tmp_path / "m.pdf"))
    try:
        text = " ".join(doc_pdf[i].get_textpage().get_text_range() for i in range(len(doc_pdf)))
    finally:
        doc_pdf.close()
    assert "figures stay text" in " ".join(text.split())


# -- exchange -------------------------------------------------------------------------------------


@pytest.fixture
def exchanged(workspace, sample_review, sf_v1):
    rid = sample_review("san-fernando", "v1", reviewers=REVIEWERS).id
    a = _note(workspace, rid, sf_v1, comment="=HYPERLINK(\"http://x\") is not a formula here",
              criterion="C4", sdg="17.18, 5.1")  # fmt: skip
    b = annotate(workspace, rid, sf_v1, page=9, quote="The TWG reviewed nine goals",
                 comment="-5 goals short of the HLPF set? @TWG please explain", kind="question",
                 criterion="D3", sdg="14", reviewer=REVIEWERS[1])  # fmt: skip
    reply(workspace, rid, b.id, "+1, and SDG 14 matters for the coast.", REVIEWERS[0])
    set_status(workspace, rid, a.id, "resolved")
    return rid, [a.id, b.id]


def _comparable(ws, rid):
    out = {}
    for a in list_annotations(ws, rid):
        d = a.to_data()
        d["replies"] = [(r.id, r.reviewer, r.comment, r.created) for r in a.replies]
        out[a.id] = d
    return out


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonld"])
def test_export_import_round_trip_is_lossless(workspace, sample_review, exchanged, tmp_path, fmt):
    rid, ids = exchanged
    path = export_annotations(workspace, rid, tmp_path / f"notes.{fmt}")
    target = sample_review("san-fernando", "v1", reviewers=REVIEWERS).id
    result = import_annotations(workspace, target, path)
    assert (result.annotations, result.replies, result.skipped) == (2, 1, ())
    assert _comparable(workspace, target) == _comparable(workspace, rid)
    mine, theirs = recorded_draft(workspace, rid), recorded_draft(workspace, target)
    assert (theirs.sha256, theirs.page_count, theirs.layout) == (
        mine.sha256,
        mine.page_count,
        mine.layout,
    )
    again = import_annotations(workspace, target, path)
    assert (again.annotations, again.replies) == (0, 0) and sorted(again.skipped) == sorted(ids)
    assert "skipped" in again.summary


def test_spreadsheet_cells_never_run_as_formulas(workspace, exchanged, tmp_path):
    from openpyxl import load_workbook

    rid, _ids = exchanged
    csv_path = export_annotations(workspace, rid, tmp_path / "notes.csv")
    rows = list(csv.DictReader(csv_path.read_text(encoding="utf-8-sig").splitlines()))
    comments = [r["comment"] for r in rows]
    assert '\'=HYPERLINK("http://x") is not a formula here' in comments
    assert "'-5 goals short of the HLPF set? @TWG please explain" in comments
    assert "'+1, and SDG 14 matters for the coast." in comments
    xlsx = export_annotations(workspace, rid, tmp_path / "notes.xlsx")
    sheet = load_workbook(xlsx)["Annotations"]
    header = [c.value for c in sheet[1]]
    assert header == list(COLUMNS)
    col = header.index("comment") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=col)
        assert cell.data_type != "f" and not str(cell.value).startswith(("=", "+", "-", "@"))
    assert restore(neutralise("'quoted")) == "'quoted" and neutralise("plain") == "plain"


def test_jsonld_follows_the_web_annotation_model(workspace, exchanged, sf_v1):
    rid, ids = exchanged
    doc = to_jsonld(workspace, rid)
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 3
    items = doc["first"]["items"]
    anns = [i for i in items if i["motivation"] != "replying"]
    (rep,) = [i for i in items if i["motivation"] == "replying"]
    a = next(i for i in anns if i["id"].endswith(ids[0]))
    assert a["type"] == "Annotation" and a["creator"] == {"type": "Person", "name": "Test Reviewer"}
    bodies = {(b["purpose"], b["value"]) for b in a["body"]}
    assert ("commenting", '=HYPERLINK("http://x") is not a formula here') in bodies
    assert {("tagging", "kind:missing_evidence"), ("tagging", "SDG 17.18"), ("tagging", "SDG 5.1"),
            ("tagging", "criterion:C4"), ("tagging", "status:resolved")} <= bodies  # fmt: skip
    target = a["target"]
    assert target["source"]["id"] == f"urn:sha256:{sf_v1.sha256}"
    assert target["source"]["label"] == "san-fernando-vlr-draft-v1.pdf"
    sel = {s["type"]: s for s in target["selector"]}
    assert sel["TextQuoteSelector"]["exact"] == "Most figures in this report are city-wide totals"
    assert sel["TextQuoteSelector"]["suffix"].startswith(", because")
    assert sel["FragmentSelector"] == {
        "type": "FragmentSelector",
        "conformsTo": "http://tools.ietf.org/rfc/rfc3778",
        "value": "page=10",
    }
    pos = sel["TextPositionSelector"]
    assert sf_v1.text[pos["start"] : pos["end"]] == sel["TextQuoteSelector"]["exact"]
    assert a["created"] and a["modified"]
    assert rep["target"].endswith(ids[1]) and rep["body"]["value"].startswith("+1")
    json.dumps(doc)  # plain JSON


def test_import_of_a_bad_file_lists_every_problem_and_saves_nothing(
    workspace, sample_review, exchanged, tmp_path
):
    rid, _ids = exchanged
    path = export_annotations(workspace, rid, tmp_path / "notes.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    header = rows[0]
    first, second = [n for n, r in enumerate(rows) if r[0] == "annotation"]
    rows[first][header.index("kind")] = "rant"
    rows[second][header.index("sdg")] = "19"
    rows[second][header.index("comment")] = ""
    rows.append(["reply", "re-0123456789ab", "an-ffffffffffff", rid] + [""] * (len(header) - 4))
    rows[-1][header.index("comment")] = "orphan"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    target = sample_review("san-fernando", "v1").id
    before = workspace.records(target)  # what the intake stored: indicators, consultations...
    with pytest.raises(AnnotationImportError) as err:
        import_annotations(workspace, target, bad)
    message = str(err.value)
    assert "bad.csv: nothing was imported" in message
    assert f"row {first + 1}, column 'kind'" in message and "allowed: question" in message
    assert f"row {second + 1}, column 'comment'" in message
    assert f"row {second + 1}, column 'sdg'" in message
    assert "row 5, column 'in_reply_to'" in message
    assert workspace.records(target) == before
    assert workspace.records(target, "annotation") == []


def test_import_refuses_unreadable_input(workspace, review, tmp_path):
    before = workspace.records(review)  # what the intake stored: indicators, consultations...
    broken = tmp_path / "broken.jsonld"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(AnnotationError, match="broken.jsonld: not valid JSON"):
        import_annotations(workspace, review, broken)
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"type": "Collection"}), encoding="utf-8")
    with pytest.raises(AnnotationError, match="not a Web Annotation document"):
        import_annotations(workspace, review, other)
    with pytest.raises(AnnotationError, match="allowed: csv, xlsx, jsonld"):
        import_annotations(workspace, review, tmp_path / "notes.txt")
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(AnnotationError, match="not a readable XLSX"):
        import_annotations(workspace, review, fake)
    headless = tmp_path / "headless.csv"
    headless.write_text("page,kind\n3,question\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="lacks column"):
        import_annotations(workspace, review, headless)
    assert workspace.records(review) == before
    assert workspace.records(review, "annotation") == []


def test_foreign_web_annotations_are_found_in_the_given_draft(workspace, review, sf_v1, tmp_path):
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://annotations.example.org/anno/42",
        "type": "Annotation",
        "motivation": "questioning",
        "creator": "An outside reader",
        "body": {"type": "TextualBody", "value": "Which year is this?"},
        "target": {
            "source": "https://example.org/draft.pdf",
            "selector": {"type": "TextQuoteSelector", "exact": "rates SDG 17 as on track"},
        },
    }
    path = tmp_path / "foreign.jsonld"
    path.write_text(json.dumps(foreign), encoding="utf-8")
    with pytest.raises(AnnotationImportError, match="does not say which draft"):
        import_annotations(workspace, review, path)
    result = import_annotations(workspace, review, path, draft=sf_v1)
    assert result.annotations == 1 and result.reanchored == 1
    (a,) = list_annotations(workspace, review)
    assert (a.page, a.kind, a.reviewer) == (24, "question", "An outside reader")
    assert workspace.get(review, "annotation", a.id).data["external_id"] == foreign["id"]


# -- scripted demo annotations ---------------------------------------------------------------


def test_scripted_annotations_fit_the_sample_drafts_and_carry_over(workspace, sample_review):
    names = ("Reviewer A (CYO, illustrative)", "Reviewer B (CYO, illustrative)")
    sr = sample_review("santa-rosa", "v1", reviewers=names).id
    done = apply_scripted(workspace, sr, "santa-rosa", "v1")
    assert done.added >= 10 and done.replies >= 1
    assert {a.reviewer for a in list_annotations(workspace, sr)} == set(names)
    v1 = sample_review("san-fernando", "v1", reviewers=names).id
    first = apply_scripted(workspace, v1, SF, "v1")
    assert first.added >= 12
    v2 = sample_review("san-fernando", "v2", reviewers=names).id
    second = apply_scripted(workspace, v2, "san-fernando", "v2")
    counts = second.carried["outcome"].value_counts().to_dict()
    assert set(counts) == {"found_unchanged", "found_changed", "not_found"}
    assert second.status_changes == 4 and "carried over" in str(second)
    resolved = [a for a in list_annotations(workspace, v2, status="resolved") if a.origin]
    assert len(resolved) == 4 and all(a.replies for a in resolved)
    again = apply_scripted(workspace, v2, "san-fernando", "v2")
    assert again.added == 0 and again.skipped == second.added and again.status_changes == 0


def test_a_script_that_no_longer_fits_its_draft_fails_loudly(workspace, sample_review, tmp_path):
    from vlr_tools.errors import DataFileError

    script = tmp_path / "demo.yaml"
    script.write_text(
        "versions:\n  v1:\n    annotations:\n      - id: x\n        page: 4\n"
        "        quote: Most figures in this report are city-wide totals\n"
        "        kind: question\n        comment: moved?\n",
        encoding="utf-8",
    )
    rid = sample_review("san-fernando", "v1").id
    with pytest.raises(DataFileError) as err:
        apply_scripted(workspace, rid, "san-fernando", "v1", path=script)
    assert "annotations[1] (x)" in str(err.value) and "page 10 (p10.12)" in str(err.value)
    assert workspace.records(rid, "annotation") == []


def test_scripted_annotations_need_the_review_to_own_its_draft(workspace):
    """A review made without the intake has no stored draft: the script says what to do."""
    rid = workspace.create_review("san-fernando", version="v1").id
    with pytest.raises(AnnotationError, match="has no stored draft; add it with `vlr draft add"):
        apply_scripted(workspace, rid, "san-fernando", "v1")
    assert workspace.records(rid, "annotation") == []


# -- CLI ------------------------------------------------------------------------------------------


def _cli(argv, capsys):
    from vlr_tools.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_list_export_import_and_carry_over(workspace, sample_review, sf_v1, tmp_path, capsys):
    loc = str(workspace.path.parent)
    common = ["--workspace", loc, "--reviewer", "CLI Reviewer (fictional)"]
    old = sample_review("san-fernando", "v1").id
    new = sample_review("san-fernando", "v2").id
    for entry in KEY["carryover"][:4]:
        annotate(workspace, old, sf_v1, page=entry["v1_pages"][0], quote=entry["v1_text"],
                 comment="Check this.", kind="question")  # fmt: skip
    code, out, _ = _cli(["annotations", "list", old, *common], capsys)
    assert code == 0 and "4 annotation(s)" in out and "p10.12" in out
    code, out, _ = _cli(["annotations", "list", old, "--page", "10", *common], capsys)
    assert code == 0 and "1 annotation(s)" in out
    target = tmp_path / "out.jsonld"
    code, out, _ = _cli(["annotations", "export", old, str(target), *common], capsys)
    assert code == 0 and target.is_file() and "wrote 4 annotation(s)" in out
    other = sample_review("san-fernando", "v1").id
    code, out, _ = _cli(["annotations", "import", other, str(target), *common], capsys)
    assert code == 0 and "4 annotation(s)" in out
    code, out, _ = _cli(["annotations", "carry-over", old, new, *common], capsys)
    assert code == 0 and "found changed" in out and "4 annotation(s)" in out
    assert len(list_annotations(workspace, new)) == 4
    # A comment added from the command line is anchored to the stored draft.
    add = ["annotations", "add", new, "--page", "1", "--quote", "Voluntary Local Review"]
    code, out, err = _cli([*add, "--comment", "Title <b>ok</b>?", *common], capsys)
    assert code == 0 and out.strip().startswith("an-") and "page 1" in err
    code, _, err = _cli([*add[:4], "99", *add[5:], "--comment", "x", *common], capsys)
    assert code == 2 and "page" in err and "Traceback" not in err
    code, out, err = _cli(["annotations", "list", "no-such-review", *common], capsys)
    assert code == 2 and err.startswith("error: ") and len(err.strip().splitlines()) == 1
    code, _out, err = _cli(["annotations", "export", old, str(tmp_path / "x.pdf"), *common], capsys)
    assert code == 2 and "allowed: csv, xlsx, jsonld" in err


@pytest.mark.parametrize("command", ["list", "export", "import", "carry-over", "reanchor"])
def test_cli_help_has_description_and_example(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        _cli(["annotations", command, "--help"], capsys)
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "Example" in out and "vlr annotations" in out and len(out) > 300


def test_reference_kinds_have_both_languages():
    from vlr_tools.annotations import vocabulary
    from vlr_tools.i18n import t

    vocab = vocabulary()
    assert vocab.kind_ids == (
        "question",
        "correction",
        "missing_evidence",
        "suggestion",
        "good_practice",
    )
    assert vocab.status_ids == ("open", "resolved", "withdrawn")
    for label in (*vocab.kinds, *vocab.statuses):
        assert label.en and label.ja and label.en != label.ja
    for outcome in ("found_unchanged", "found_changed", "not_found"):
        assert t(f"annotations.outcome.{outcome}", "ja") != t(
            f"annotations.outcome.{outcome}", "en"
        )


def test_module_files_exist():
    root = Path(__file__).resolve().parent.parent
    assert (root / "data/reference/annotations/kinds.yaml").is_file()
    for city in ("san-fernando", "santa-rosa"):
        text = (root / f"data/cities/{city}/demo_annotations.yaml").read_text(encoding="utf-8")
        assert "ILLUSTRATIVE" in text


# -- quotes and search as people type them -------------------------------------------

VARIANTS = (
    "The CDP covers 2018– 2026. Informal settler families live in six barangays. "
    "An “informal settler” family was counted.\n\nRe-settlement policies of the city "
    "managed the move; the city manages it still."
)


def test_search_finds_dash_spacing_and_word_form_variants_and_says_so():
    from vlr_tools.annotations import search
    from vlr_tools.annotations.text import loose_pattern
    from vlr_tools.documents import draft_from_text

    draft = draft_from_text(VARIANTS)
    (hit,) = search(draft, "2018-2026")
    assert (hit.text, hit.how) == ("2018– 2026", "variant")
    hits = search(draft, "informal settlers")
    assert [h.text for h in hits] == ["Informal settler", "informal settler"]
    assert {h.how for h in hits} == {"variant"}
    exact = search(draft, '"informal settler"')
    assert [(h.text, h.how) for h in exact] == [
        ("Informal settler", "variant"),
        ("“informal settler”", "exact"),
    ]
    assert [h.text for h in search(draft, "re-settlement policy")] == ["Re-settlement policies"]
    assert [h.text for h in search(draft, "policy")] == ["policies"]
    assert [h.text for h in search(draft, "managing")] == ["managed", "manages"]
    # short words and numbers match only as typed
    assert search(draft, "city's") == [] and search(draft, "2019") == []
    assert loose_pattern("   ") is None


def test_a_quote_typed_with_another_dash_is_anchored_to_the_drafts_words():
    from vlr_tools.annotations import anchor_quote
    from vlr_tools.documents import draft_from_text

    draft = draft_from_text(VARIANTS)
    found = anchor_quote(draft, 1, "2018-2026")
    assert (found.quote, found.method) == ("2018– 2026", "variant")
    exact = anchor_quote(draft, 1, "2018– 2026")
    assert exact.method == "exact" and (exact.start, exact.end) == (found.start, found.end)


def test_a_quote_found_twice_is_anchored_nearest_the_given_position():
    from vlr_tools.annotations import anchor_quote
    from vlr_tools.documents import draft_from_text

    draft = draft_from_text(VARIANTS)
    first = anchor_quote(draft, 1, "informal settler")
    second = anchor_quote(draft, 1, "informal settler", near=draft.text.rfind("informal"))
    assert first.start == draft.text.find("Informal")
    assert second.start == draft.text.rfind("informal") and second.quote == "informal settler"


def test_cli_add_says_what_the_draft_has_when_a_variant_matched(workspace, sample_review, capsys):
    review = sample_review("santa-rosa", "v1")
    argv = ["annotations", "add", review.id, "--page", "5", "--quote", "CLUP 2018-2026",
            "--comment", "Which plan period?", "--kind", "question",
            "--workspace", str(workspace.path.parent), "--reviewer", "CLI Reviewer (fictional)"]  # fmt: skip
    code, out, err = _cli(argv, capsys)
    assert code == 0, err
    assert "the draft has 'CLUP 2018–2026'" in err
    (ann,) = list_annotations(workspace, review.id)
    assert ann.quote == "CLUP 2018–2026" and ann.page == 5
