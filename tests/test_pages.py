"""The draft's pages as drawn: page images and words tied to the anchoring's offsets."""

from __future__ import annotations

import io

import pytest

from vlr_tools.documents import load_draft
from vlr_tools.errors import DocumentError
from vlr_tools.pages import MAX_PIXELS, PageLayout, _find_line


def _words_match_the_draft(layout: PageLayout, draft) -> tuple[int, int]:
    """(words tied to the draft's text, words whose offsets point at other text)."""
    tied = wrong = 0
    for n in range(1, layout.page_count + 1):
        for run in layout.layer(n).runs:
            if run.start >= 0:
                tied += 1
                wrong += draft.text[run.start : run.end] != run.text
    return tied, wrong


def test_every_word_of_a_sample_draft_is_tied_to_the_anchoring_text(project_dir):
    path = project_dir / "data/cities/san-fernando/drafts/san-fernando-vlr-draft-v1.pdf"
    draft = load_draft(path)
    layout = PageLayout.open(path, draft)
    tied, wrong = _words_match_the_draft(layout, draft)
    assert wrong == 0 and tied > 5000
    covered = bytearray(len(draft.text))
    for n in range(1, layout.page_count + 1):
        for run in layout.layer(n).runs:
            if run.start >= 0:
                covered[run.start : run.end] = b"\x01" * len(run.text)
    missing = [i for i, ch in enumerate(draft.text) if not ch.isspace() and not covered[i]]
    assert not missing, draft.text[missing[0] - 30 : missing[0] + 30]
    # the running header is drawn but is not part of the text the anchoring uses
    off = [r.text for r in layout.layer(3).runs if r.start < 0]
    assert off, "the running header should be drawn outside the draft's text"
    layout.close()


def test_two_columns_are_in_reading_order(tmp_path, two_column_pdf):
    pdf = two_column_pdf(tmp_path / "cols.pdf")
    draft = load_draft(pdf)
    layout = PageLayout.open(pdf, draft)
    runs = [r for r in layout.layer(1).runs if r.start >= 0]
    assert [r.start for r in runs] == sorted(r.start for r in runs)
    # "coastal" ends the left column, "clean-up" starts the right one: next to each other
    words = [r.text for r in runs]
    k = words.index("coastal")
    assert words[k + 1] == "clean-up"
    assert runs[k].box[0] < 0.5 < runs[k + 1].box[0]
    # a highlight across the column break has one box in each column
    rects = layout.rects(1, runs[k - 1].start, runs[k + 2].end)
    assert len(rects) == 2 and rects[0][0] < 0.5 < rects[1][0]
    layout.close()


def test_page_images_are_png_and_big_pages_are_drawn_smaller(tmp_path, two_column_pdf):
    from PIL import Image

    poster = """<html><head><style>@page { size: 2000mm 2000mm; margin: 50mm }
    body { font-size: 60pt }</style></head><body><p>A poster-sized page of the draft.</p>
    </body></html>"""
    pdf = two_column_pdf(tmp_path / "poster.pdf", poster)
    layout = PageLayout.open(pdf, load_draft(pdf))
    image = Image.open(io.BytesIO(layout.image(1)))
    assert image.format == "PNG"
    assert image.width * image.height <= MAX_PIXELS * 1.01
    assert layout.layer(1).has_text
    with pytest.raises(DocumentError, match="no page 2; its pages are 1-1"):
        layout.image(2)
    layout.close()


def test_a_short_line_is_not_matched_to_the_same_words_further_on():
    text = "Water and sanitation. 12 barangays have a new pipe network."
    # a page number "12" drawn in the footer, read out of the draft's text
    assert _find_line(text, "12", 0, len(text), None) == -1
    # the same words right where the text continues are taken
    assert _find_line(text, "Water and sanitation.", 0, len(text), "12 barangays") == 0
    assert _find_line(text, "12 barangays have", 22, len(text), None) == 22


def test_a_page_saved_turned_has_its_words_where_they_are_drawn(tmp_path, two_column_pdf):
    import pypdf

    upright = two_column_pdf(tmp_path / "cols.pdf")
    reader, writer = pypdf.PdfReader(str(upright)), pypdf.PdfWriter()
    for p in reader.pages:
        writer.add_page(p.rotate(90))  # a landscape page saved with /Rotate 90
    turned = tmp_path / "turned.pdf"
    writer.write(str(turned))
    a = PageLayout.open(upright, load_draft(upright)).layer(1)
    b = PageLayout.open(turned, load_draft(turned)).layer(1)
    assert b.size == (a.size[1], a.size[0])
    assert {r.turn for r in b.runs} == {90}

    def key(text, box):
        return (text, *(round(v, 3) for v in box))

    upright_turned = {key(r.text, (1 - r.box[3], r.box[0], 1 - r.box[1], r.box[2])) for r in a.runs}
    assert {key(r.text, r.box) for r in b.runs} == upright_turned
