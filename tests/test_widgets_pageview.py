"""The page view, driven from Python as the browser drives it: select, comment, threads.

The browser side (static/pageview.js) sends the same messages as the methods
called here; tests/test_browser_pageview.py drives it in JupyterLab.
"""

from __future__ import annotations

import shutil

import pytest

from vlr_tools.annotations import list_annotations
from vlr_tools.intake import add_city, add_draft, start_review
from vlr_tools.review import open_review
from vlr_tools.widgets.pageview import PageView, TextPanelView, page_view

NO_TEXT_PAGE = """<html><head><style>@page { size: A4; margin: 2cm }</style></head><body>
<p>Households with access to safely managed drinking water rose to 82 percent in 2023.</p>
<div style="break-before: page"><svg width="400" height="300"><rect width="400" height="300"
fill="#369"/></svg></div></body></html>"""


def _review(ws, slug, path, **city):
    add_city(ws, slug, slug.title(), country="Philippines", **city)
    add_draft(ws, slug, path, version="v1")
    return start_review(ws, slug, "v1").review.id


@pytest.fixture
def cols(workspace, tmp_path, two_column_pdf):
    """A review of the two-column test draft and its page view."""
    rid = _review(workspace, "tacloban", two_column_pdf(tmp_path / "tacloban.pdf"), coastal=True)
    view = page_view(workspace, rid, reviewer="Page Reviewer (fictional)")
    assert isinstance(view, PageView)
    yield rid, view, open_review(workspace, rid).draft
    view.pages.close()


def _word(view, text, nth=0):
    found = [r for r in view.runs if r[1] == text and r[0] >= 0]
    return found[nth]


def test_a_selection_is_saved_with_its_page_quote_and_context(workspace, cols):
    rid, view, draft = cols
    first, last = _word(view, "Mangroves"), _word(view, "2015")
    start, end = first[0], last[0] + len(last[1])
    pending = view.select(start, end, "Mangroves planted since 2015")
    assert pending["quote"] == draft.text[start:end] == "Mangroves planted since 2015"
    assert pending["prefix"] == draft.text[start - 32 : start]
    ann = view.save(kind="good_practice", comment="Keep counting the cover.", sdg="14.2")
    assert ann is not None and (ann.page, ann.quote) == (1, "Mangroves planted since 2015")
    assert (ann.start, ann.end) == (start, end)
    assert ann.suffix == draft.text[end : end + 32]
    # the highlight is drawn where the words are, in the kind's colour; its thread is open
    (hl,) = view.highlights
    assert hl["id"] == ann.id and hl["kind"] == "good_practice" and hl["colour"].startswith("#")
    (rect,) = hl["rects"]
    assert rect[0] == pytest.approx(first[2], abs=0.01) and rect[2] >= last[4] - 0.01
    assert view.thread["id"] == ann.id and view.thread["quote"] == ann.quote
    assert view.message["level"] == "ok" and view.message["saved"]
    assert view.pending == {}
    assert view.timings["save"] < 5


def test_a_quote_found_twice_on_the_page_is_anchored_where_it_was_selected(workspace, cols):
    rid, view, draft = cols
    second = draft.text.lower().rfind("informal settler families")
    assert draft.text.lower().find("informal settler families") < second  # twice on page 1
    view.select(second, second + len("informal settler families"))
    ann = view.save(kind="question", comment="Which sites?")
    assert ann.start == second and ann.quote == "Informal settler families"


def test_a_selection_across_the_column_break_is_one_passage(workspace, cols):
    rid, view, draft = cols
    start = _word(view, "The", -1)[0]
    last = _word(view, "plastic")
    view.select(start, last[0] + len(last[1]))
    ann = view.save(kind="missing_evidence", comment="Source?")
    assert " ".join(ann.quote.split()) == "The coastal clean-up counts plastic"
    assert len(view.highlights[0]["rects"]) == 2  # one box in each column


def test_words_outside_the_text_or_too_many_are_refused_with_a_reason(workspace, cols, monkeypatch):
    from vlr_tools.widgets import pageview

    rid, view, draft = cols
    assert view.select(-1, -1, "Tacloban City VLR 2026 - draft") == {}
    assert view.message["level"] == "error" and "Tacloban City VLR 2026" in view.message["text"]
    assert view.save(kind="question", comment="x") is None  # nothing pending, nothing saved
    monkeypatch.setattr(pageview, "MAX_QUOTE", 100)
    assert view.select(0, 5000) == {}
    assert "select at most 100" in view.message["text"]
    monkeypatch.undo()
    view.select(_word(view, "Mangroves")[0], _word(view, "Mangroves")[0] + 9)
    assert view.save(kind="no_such_kind", comment="x") is None
    assert "allowed: question" in view.message["text"]
    assert view.pending["quote"] == "Mangroves"  # what was picked stays for a second try
    assert list_annotations(workspace, rid) == []


def test_keyboard_users_pick_a_search_hit_or_a_paragraph(workspace, cols):
    rid, view, draft = cols
    hits = view.find("informal settlers")  # the draft says "settler": another word form
    assert len(hits) == 2 and all(h.how == "variant" for h in hits)
    assert "another form" in view.search_note and "informal settler" in view.search_note
    assert view.pending["quote"].lower() == "informal settler"
    view.use_hit(1)
    assert view.pending["start"] == hits[1].start
    assert any(h["rects"] for h in view.hits)
    view.pick_paragraph("p1.3")
    assert view.pending["paragraph"] == "p1.3" and view.pending["quote"].startswith("Early warning")
    assert view.save(kind="suggestion", comment="Add the drill dates.").paragraph == "p1.3"
    assert [p["ref"] for p in view.paragraphs][:2] == ["p1.1", "p1.2"]


def test_threads_replies_status_and_a_colleagues_change(workspace, cols):
    from vlr_tools.annotations import set_status

    rid, view, draft = cols
    view.pick_paragraph("p1.2")
    ann = view.save(kind="question", comment="When?")
    assert view.answer(ann.id, "The CBMS has it.")
    assert [r["comment"] for r in view.thread["replies"]] == ["The CBMS has it."]
    set_status(workspace, rid, ann.id, "withdrawn", reviewer="Colleague (fictional)")
    assert not view.mark(ann.id, "resolved", ann.version)  # the version shown is stale
    assert "changed" in view.message["text"] or "version" in view.message["text"]
    assert view.thread["status"] == "withdrawn"  # the thread now shows the colleague's change
    assert view.mark(ann.id, "open", view.thread["version"])
    assert view.highlights[0]["status"] == "open"
    # the browser's messages reach the same methods
    view._on_msg(view, {"type": "open", "id": ann.id}, [])
    assert view.thread["id"] == ann.id
    view._on_msg(view, {"type": "close"}, [])
    assert view.thread == {}
    view._on_msg(view, {"type": "ping"}, [])  # the browser checks the kernel is there
    assert view.pong > 0


def test_mapping_evidence_is_drawn_on_the_page(workspace, cols):
    rid, view, draft = cols
    assert view.evidence == []
    view.show_evidence = True
    assert view.evidence, "the mapping's evidence words should be underlined"
    goals = {e["goal"] for e in view.evidence}
    assert 11 in goals or 13 in goals
    ev = view.evidence[0]
    assert ev["title"].startswith(f"SDG {ev['goal']} ") and ev["rects"]
    # words and the reading by meaning are told apart (solid and dotted lines); the
    # reading's tooltip says what it read, not the sentence it underlines
    assert {e["kind"] for e in view.evidence} <= {"term", "reference", "meaning"}
    assert any(e["kind"] == "meaning" for e in view.evidence)
    for e in view.evidence:
        assert ("close in meaning" in e["title"]) == (e["kind"] == "meaning")
    view.show_paragraph("p1.4")
    assert {e["paragraph"] for e in view.evidence if e["focus"]} <= {"p1.4"}
    # a suggestion the reviewer rejects is shown as rejected, in place
    from vlr_tools.coverage import decide

    ev = view.evidence[0]
    decide(workspace, rid, ev["paragraph"], ev["goal"], None, "reject", reviewer="R (fictional)")
    view._evidence()
    mine = [
        e for e in view.evidence if (e["paragraph"], e["goal"]) == (ev["paragraph"], ev["goal"])
    ]
    assert mine and all(e["decision"] == "reject" and "(rejected)" in e["title"] for e in mine)


def test_a_page_without_a_text_layer_offers_the_text_box(workspace, tmp_path, two_column_pdf):
    rid = _review(workspace, "ormoc", two_column_pdf(tmp_path / "ormoc.pdf", NO_TEXT_PAGE))
    view = page_view(workspace, rid, page=2, reviewer="Page Reviewer (fictional)")
    assert view.page == 2 and not view.has_text and view.runs == []
    assert "can't be annotated by selection" in view.labels["no_text_layer"]
    ann = view.save(kind="question", comment="Source?", quote="safely managed drinking water")
    assert ann is None and "occurs on page 1" in view.message["text"]
    view.go(1)
    assert view.has_text
    ann = view.save(kind="question", comment="Source?", quote="safely managed drinking water")
    assert ann is not None and ann.page == 1
    view.pages.close()


def test_a_typed_quote_matches_dash_and_spacing_variants(workspace, tmp_path, two_column_pdf):
    html = "<html><body><p>The CDP covers 2018– 2026 and the CLUP 2019–2028.</p></body></html>"
    rid = _review(workspace, "naga", two_column_pdf(tmp_path / "naga.pdf", html))
    view = page_view(workspace, rid, reviewer="Page Reviewer (fictional)")
    view.type_quote("2018-2026")
    ann = view.save(kind="correction", comment="Which plan period?", quote="2018-2026")
    assert ann is not None and ann.quote == "2018– 2026"
    assert "2018– 2026" in view.message["text"]  # says what the draft has
    view.pages.close()


def test_a_markdown_draft_gets_the_text_panel(workspace, tmp_path):
    md = tmp_path / "draft.md"
    md.write_text("# Draft\n\nFlooding affects informal settler families.\n", encoding="utf-8")
    rid = _review(workspace, "legazpi", md)
    view = page_view(workspace, rid, reviewer="Page Reviewer (fictional)")
    assert isinstance(view, TextPanelView)
    assert "no page drawing" in view.children[0].value
    assert view.follow(object()) is view


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_a_word_draft_is_drawn_from_its_rendering(workspace, tmp_path):
    from docx import Document

    doc = Document()
    doc.add_heading("Living with floods", 1)
    doc.add_paragraph("Flooding along the river affects informal settler families every year.")
    path = tmp_path / "iloilo.docx"
    doc.save(str(path))
    rid = _review(workspace, "iloilo", path)
    stored = open_review(workspace, rid).draft_file
    assert stored.rendering is not None and stored.rendering["pages"] == 1
    view = page_view(workspace, rid, reviewer="Page Reviewer (fictional)", lang="ja")
    assert not view.pages.same_pages and view.info["rendering"]
    assert view.info["rendering_page"] == 1 and "LibreOffice" in view.labels["rendering"]
    word = _word(view, "informal")
    view.select(word[0], word[0] + len("informal settler families"))
    ann = view.save(kind="question", comment="何世帯ですか？")
    assert ann is not None and ann.quote == "informal settler families" and ann.page == 1
    assert view.highlights and view.message["text"].startswith("保存しました")
    view.pages.close()


def test_words_in_a_table_or_a_figure_caption_can_be_annotated(workspace, cols):
    rid, view, draft = cols
    for first_word, last_word in (("Households", "relocated"), ("Mangrove", "cover,")):
        first = _word(view, first_word)
        last = next(r for r in view.runs if r[1] == last_word and r[0] > first[0])
        view.select(first[0], last[0] + len(last[1]))
        ann = view.save(kind="question", comment="Source?")
        assert ann is not None and ann.quote == f"{first_word} {last_word}", view.message
    assert len(view.highlights) == 2


def test_the_page_follows_the_mapping_review(workspace, cols):
    from vlr_tools.widgets.mapping import MappingReview

    rid, view, draft = cols
    review = MappingReview(workspace, rid, open_review(workspace, rid).mapping())
    view.follow(review)
    para = review.current
    assert view.show_evidence and view.focus == para.ref
    assert any(e["focus"] for e in view.evidence)
    goal = next(e["goal"] for e in view.evidence if e["focus"])
    review.decide(goal, None, "accept")  # the reviewer accepts: the page shows it at once
    assert all(e["decision"] == "accept" for e in view.evidence if e["focus"] and e["goal"] == goal)


def test_a_programme_name_read_with_its_description_is_drawn_on_its_own_line(workspace, tmp_path):
    import weasyprint

    html = (
        "<html><body style='font-size: 11pt'><h3>Mangrove Restoration</h3><p>Volunteers "
        "planted 120 hectares along the gulf in 2024 with the fisherfolk of three barangays."
        "</p></body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(str(tmp_path / "gulf.pdf"))
    rid = _review(workspace, "gulf", tmp_path / "gulf.pdf")
    view = page_view(workspace, rid, reviewer="Page Reviewer (fictional)")
    try:
        view.show_evidence = True
        own = [e for e in view.evidence if e["paragraph"] == "p1.1" and e["kind"] == "term"]
        body = [e for e in view.evidence if e["paragraph"] == "p1.2" and e["kind"] == "term"]
        # "Mangrove" counted for the description (p1.2) is drawn where it stands: the heading
        heading_line = own[0]["rects"][0]
        named = [e for e in body if e["rects"] == [heading_line] and e["goal"] == 14]
        assert named and all("read with it" in e["title"] for e in named)
        body_line = next(e["rects"][0] for e in body if e["rects"] != [heading_line])
        assert heading_line[1] < body_line[1]  # above the description's words
    finally:
        view.pages.close()
