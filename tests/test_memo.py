"""The review memo: model, the four renderers, languages, safety and the CLI."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vlr_tools.checklist.consensus import set_final
from vlr_tools.checklist.ratings import rate
from vlr_tools.cli import main
from vlr_tools.memo import Memo, build_memo, memo_filename, render_memo
from vlr_tools.memo import static as memo_static
from vlr_tools.memo.compose import Options, compose, page_ranges
from vlr_tools.memo.facts import (
    AreaFacts,
    ChecklistFacts,
    CriterionFacts,
    ReviewData,
    ReviewFacts,
)
from vlr_tools.memo.markdown import escape as md_escape
from vlr_tools.memo.model import Bullets, Chart, Facts, Finding, Notice, Table, Text
from vlr_tools.workspace import open_workspace

GOLDEN = Path(__file__).parent / "golden"

# What a hostile or careless reviewer might type: markup, a script link,
# Word field / spreadsheet formula look-alikes, control characters.
HOSTILE = (
    "<script>alert(1)</script> [x](javascript:alert(1)) **bold** "
    "{ DDE \"c:\\\\windows\\\\calc.exe\" } =cmd|' /C calc'!A0 & <b>tag</b>"
)
HOSTILE_REC = "Cite the council resolution <img src=x onerror=alert(2)> | pipe\x07bell"
REVIEWERS = ("Ana Example", "Ben Example")
# A recommendation typed on several lines: every line must reach every format.
H1_REC = "Give each next step an owner and a date.\nPublish the follow-up plan <b>with</b> the VLR."


# -- fixtures ------------------------------------------------------------------------


def _start_santa_rosa(ws):
    """Start a review of Santa Rosa v1 as a reviewer would: the intake takes the sample city
    in (profile and draft), maps the stored draft and keeps the mapping in the review."""
    from vlr_tools.intake import start_review

    return start_review(
        ws, "santa-rosa", "v1", reviewers=REVIEWERS, map_now=True, precheck_now=False
    ).review


@pytest.fixture(scope="module")
def memo_ws(tmp_path_factory):
    """A small workspace: a review of Santa Rosa v1 rated by two fictional reviewers,
    with the city's indicator table imported (no consultation log)."""
    from vlr_tools.cities import load_city
    from vlr_tools.intake import import_indicators

    folder = tmp_path_factory.mktemp("memo-ws")
    ws = open_workspace(folder, reviewer=REVIEWERS[0])
    rv = _start_santa_rosa(ws)
    import_indicators(ws, rv.id, load_city("santa-rosa").indicators_path)
    a, b = REVIEWERS
    rate(
        ws,
        rv.id,
        "A1",
        "partly_met",
        pages="3, 4",
        comment=HOSTILE,
        recommendation=HOSTILE_REC,
        priority="high",
        reviewer=a,
    )
    rate(ws, rv.id, "A1", "partly_met", pages="4", comment="Agree with Ana.", reviewer=b)
    rate(
        ws,
        rv.id,
        "C4",
        "not_met",
        pages="12",
        comment="No disaggregated data.",
        recommendation="Disaggregate the key indicators by sex, age and barangay.",
        priority="high",
        reviewer=a,
    )
    rate(ws, rv.id, "E1", "met", pages="20-22", comment="Baselines are given.", reviewer=a)
    rate(
        ws,
        rv.id,
        "E1",
        "partly_met",
        pages="20",
        comment="Two indicators lack a source.",
        recommendation="Name the source of every indicator.",
        priority="medium",
        reviewer=b,
    )
    rate(
        ws,
        rv.id,
        "H1",
        "not_met",
        pages="25",
        comment="No dates or owners.",
        recommendation=H1_REC,
        priority="low",
        reviewer=b,
    )
    rate(ws, rv.id, "G2", "met", pages="26", comment="Yokohama partnership named.", reviewer=a)
    rate(ws, rv.id, "B3", "not_applicable", comment="Not relevant here.", reviewer=b)
    set_final(ws, rv.id, "H1", "not_met", note="Lead reviewer confirms.", reviewer=a)
    from vlr_tools.claims import decide_claim, read_claims
    from vlr_tools.review import open_review

    found = {c.kind: c for c in read_claims(open_review(ws, rv.id), save=True).checks}
    decide_claim(ws, rv.id, found["values_disagree"].id, "confirmed", note=FIGURE_NOTE, reviewer=a)
    decide_claim(ws, rv.id, found["older_year"].id, "dismissed", note="Old on purpose", reviewer=b)
    yield ws, rv.id, folder
    ws.close()


@pytest.fixture(scope="module")
def engaged_ws(tmp_path_factory):
    """A review of Santa Rosa v1 with the city's consultation log imported (personal data too)."""
    from vlr_tools.intake import start_sample_review

    folder = tmp_path_factory.mktemp("memo-engaged")
    ws = open_workspace(folder, reviewer=REVIEWERS[0])
    rv = start_sample_review(ws, "santa-rosa", "v1", reviewers=REVIEWERS, map_now=True)
    yield ws, rv.id
    ws.close()


def _participants() -> set[str]:
    """Names, e-mails and phone numbers in the sample log (fictional people)."""
    import openpyxl

    from vlr_tools.cities import load_city

    wb = openpyxl.load_workbook(load_city("santa-rosa").consultations_path, read_only=True)
    rows = list(wb["Participants"].iter_rows(values_only=True))
    wb.close()
    header = next(i for i, r in enumerate(rows) if r and r[0] == "No.")
    columns = [str(c or "").lower() for c in rows[header]]
    wanted = [i for i, c in enumerate(columns) if "name" in c or "mail" in c or "mobile" in c]
    return {str(r[i]).strip() for r in rows[header + 1 :] for i in wanted if r[i]}


@pytest.fixture(scope="module")
def memos(memo_ws):
    ws, rid, _ = memo_ws
    fixed = dt.date(2025, 2, 3)
    return {lang: build_memo(ws, rid, lang, generated=fixed) for lang in ("en", "ja")}


@pytest.fixture(scope="module")
def memo_files(memos, tmp_path_factory):
    """Every format in both languages, written once for the module."""
    out = tmp_path_factory.mktemp("memo-out")
    files = {}
    for lang, memo in memos.items():
        for result in render_memo(memo, ("html", "pdf", "docx", "md"), out):
            files[(lang, result.format)] = result
    return files


# -- the model -----------------------------------------------------------------------


def test_memo_has_every_section_in_order(memos):
    memo = memos["en"]
    assert [s.key for s in memo.sections] == [
        "summary",
        "coverage",
        "findings",
        "engagement",
        "indicators",
        "figures",
        "recommendations",
        "changes",
        "annex",
    ]
    assert [s.key for s in memo.section("annex").subsections][:3] == [
        "annex-method",
        "annex-criteria",
        "annex-comments",
    ]
    assert memo.lang == "en" and memo.city_slug == "santa-rosa" and memo.version == "v1"
    assert "Illustrative" in memo.cover.illustrative
    assert dict(memo.cover.facts.items)["Reviewers"] == "Ana Example and Ben Example"


def test_findings_keep_what_reviewers_wrote(memos):
    findings = {
        b.criterion_id: b for _, s in memos["en"].walk() for b in s.blocks if isinstance(b, Finding)
    }
    a1 = findings["A1"]
    assert a1.rating == "partly_met" and a1.rating_label == "Partly met"
    assert a1.pages == "pp. 3–4"
    assert (REVIEWERS[0], HOSTILE) in a1.comments
    assert a1.recommendation == HOSTILE_REC
    assert a1.priority == "high"
    # Reviewers disagree on E1 and no final rating is set: the memo says so.
    assert findings["E1"].rating == "disputed"
    assert (
        "Ana Example: Met" in findings["E1"].note
        and "Ben Example: Partly met" in findings["E1"].note
    )
    assert findings["H1"].note == "Lead reviewer confirms."
    # Criteria nobody rated are listed, not invented.
    assert "C1" not in findings


def test_sections_without_data_say_so(memos):
    en = memos["en"]
    engagement = en.section("engagement").blocks
    assert isinstance(engagement[0], Notice) and engagement[0].tone == "missing"
    assert engagement[0].text.startswith("No consultation record was loaded")
    changes = en.section("changes").blocks
    assert "first draft reviewed" in changes[0].text
    comments = en.section("annex-comments").blocks
    assert isinstance(comments[0], Notice) and comments[0].tone == "missing"
    ja = memos["ja"].section("engagement").blocks[0]
    assert "協議記録が読み込まれていない" in ja.text


def test_recommendations_are_ranked_by_priority_then_rating(memos):
    table = next(b for b in memos["en"].section("recommendations").blocks if isinstance(b, Table))
    ids = [row[2].text for row in table.rows]
    priorities = [row[1].tone for row in table.rows]
    assert priorities == sorted(priorities, key=("high", "medium", "low").index)
    assert ids[:2] == ["C4", "A1"]  # both high; not met before partly met
    assert ids[-1] == "H1"


def test_japanese_memo_uses_japanese_fixed_text_and_keeps_comments(memos):
    ja = memos["ja"]
    assert ja.cover.title == "レビュー・メモ"
    assert [s.title for s in ja.sections][:2] == ["要旨", "SDGsの網羅状況"]
    outline = ja.outline()
    assert HOSTILE in outline  # reviewer comments stay as written
    assert "一部充足" in outline
    assert "Executive summary" not in outline


def test_reviewer_names_can_be_hidden(memo_ws):
    ws, rid, _ = memo_ws
    memo = build_memo(ws, rid, "en", show_reviewer_names=False)
    text = memo.outline()
    assert "Ana Example" not in text and "Ben Example" not in text
    assert "Reviewer 1" in text and "Reviewer 2" in text


def _review(**kw):
    base = dict(
        review_id="r",
        city_slug="x",
        city_name="Test City",
        city_place="",
        illustrative=False,
        version="v1",
        reviewers=("A",),
    )
    base.update(kw)
    return ReviewFacts(**base)


def _checklist(ratings):
    crits = tuple(
        CriterionFacts(id=f"A{n}", area="A", question_en=f"Question {n}?", rating=r)
        for n, r in enumerate(ratings, start=1)
    )
    return ChecklistFacts("t 1", "T", "", (AreaFacts("A", "Area A"),), crits)


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        (["met", "met", "met", "partly_met"], "meets most of the review criteria"),
        (["met", "partly_met", "not_met", "met"], "solid basis"),
        (["partly_met", "not_met", "not_met", "partly_met"], "substantial revision"),
        (["not_met", "not_met", "not_met", "partly_met"], "does not yet meet"),
        (["not_applicable"], "no overall assessment"),
    ],
)
def test_overall_assessment_follows_the_ratings(ratings, expected):
    memo = compose(ReviewData(_review(), _checklist(ratings)), Options("en"))
    assert expected in memo.section("summary").blocks[1].text


def _template_of(n: int, rated: dict[int, str]) -> ChecklistFacts:
    """A checklist of ``n`` criteria in two areas, ``rated`` maps criterion numbers to ratings."""
    crits = tuple(
        CriterionFacts(
            id=f"{'A' if k <= n // 2 else 'B'}{k}",
            area="A" if k <= n // 2 else "B",
            question_en=f"Question {k}?",
            question_ja=f"質問{k}？",
            rating=rated.get(k),
        )
        for k in range(1, n + 1)
    )
    return ChecklistFacts(
        "t 1",
        "T",
        "",
        (AreaFacts("A", "Area A", "領域A"), AreaFacts("B", "Area B", "領域B")),
        crits,
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_partial_review_says_how_much_was_rated_and_gives_no_verdict(lang):
    memo = compose(ReviewData(_review(), _template_of(31, {5: "partly_met"})), Options(lang))
    text = memo.outline()
    verdict = "Overall assessment" if lang == "en" else "総合評価："
    assert verdict not in text
    summary = memo.section("summary").blocks
    notice = next(b for b in summary if isinstance(b, Notice) and b.tone == "partial")
    if lang == "en":
        assert notice.text.startswith("Partial review: 1 of the 31 criteria has been rated")
        assert "no overall assessment" in notice.text
        assert ("Review status", "Partial review: 1 of 31 criteria rated") in memo.cover.facts.items
    else:
        assert "31項目のうち、これまでに1項目を評価しました" in notice.text
        assert (
            "レビューの状況",
            "部分的なレビュー：31項目中1項目を評価済み",
        ) in memo.cover.facts.items
    assert memo.meta["complete"] is False


def test_disputed_criteria_are_rated_but_named_beside_the_verdict():
    ratings = {k: "met" for k in range(1, 5)}
    ratings[3] = "disputed"
    memo = compose(ReviewData(_review(), _template_of(4, ratings)), Options("en"))
    text = memo.outline()
    assert "Overall assessment: the draft meets most of the review criteria (3 met" in text
    assert "The reviewers still differ on one criterion (B3)" in text
    assert "Complete: all 4 criteria rated; reviewers differ on 1" in text
    ratings[4] = None  # one not rated at all: partial, no verdict
    memo = compose(ReviewData(_review(), _template_of(4, ratings)), Options("en"))
    assert "Overall assessment" not in memo.outline()
    assert "Partial review: 3 of 4 criteria rated; reviewers differ on 1" in memo.outline()


def test_a_complete_review_gives_its_verdict_and_says_so_on_the_cover():
    ratings = {k: ("met" if k % 3 else "not_met") for k in range(1, 7)}
    memo = compose(ReviewData(_review(), _template_of(6, ratings)), Options("en"))
    text = memo.outline()
    assert "Overall assessment: the draft is a solid basis (4 met, 0 partly met, 2 not met)" in text
    assert "Partial review" not in text
    assert ("Review status", "Complete: all 6 criteria rated") in memo.cover.facts.items
    assert memo.meta["complete"] is True


def test_markdown_prints_the_ratings_table_once(memos):
    from vlr_tools.memo.markdown import render_markdown

    for lang, memo in memos.items():
        text = render_markdown(memo)
        caption = (
            "Number of criteria by rating in each area"
            if lang == "en"
            else "領域別・評価別の項目数"
        )
        assert text.count(caption) == 1, lang
        # The chart's title, description and (once) its numbers are all there.
        chart = next(c for c in memo.charts() if c.key == "ratings-by-area")
        assert chart.title in text and chart.table_follows


def test_a_review_with_no_ratings_gives_no_assessment():
    memo = compose(ReviewData(_review()), Options("en"))
    text = memo.outline()
    assert "No checklist ratings were recorded" in text
    assert "Overall assessment" not in text
    assert not list(memo.charts())


def test_page_ranges_compress_runs():
    assert page_ranges([5, 3, 4, 9, 11, 10, 1]) == "1, 3–5, 9–11"
    assert page_ranges([]) == ""


def test_engagement_section_reports_the_log_without_personal_data(engaged_ws, tmp_path):
    ws, rid = engaged_ws
    memo = build_memo(ws, rid, "en")
    section = memo.section("engagement")
    text = "\n".join(memo.outline().split("## Stakeholder engagement", 1)[1].split("\n## ")[:1])
    assert "The consultation log records 14 consultations" in text
    assert "Leave no one behind" in text
    assert [c.key for c in memo.charts() if c.key in ("stakeholder-groups", "iap2-levels")] == [
        "stakeholder-groups",
        "iap2-levels",
    ]
    facts = next(b for b in section.blocks if isinstance(b, Facts))
    assert dict(facts.items)["Consultations"] == "14"
    people = _participants()
    assert len(people) > 20
    results = render_memo(memo, ("html", "md", "docx"), tmp_path)
    for r in results:
        raw = r.path.read_bytes().decode("utf-8", errors="ignore")
        if r.format == "docx":
            raw = "\n".join(p.text for p in _docx(r.path).paragraphs) + "".join(
                c.text for t in _docx(r.path).tables for row in t.rows for c in row.cells
            )
        leaked = sorted(p for p in people if p in raw)
        assert not leaked, f"{r.format}: {leaked[:3]}"
    ja = build_memo(ws, rid, "ja").section("engagement")
    assert isinstance(ja.blocks[0], Text) and "14回の協議" in ja.blocks[0].text


def test_personal_data_only_when_asked(engaged_ws):
    ws, rid = engaged_ws
    people = _participants()
    default = build_memo(ws, rid, "en").outline()
    assert not [p for p in people if p in default]
    personal = build_memo(ws, rid, "en", include_personal=True).outline()
    assert [p for p in people if p in personal]
    assert "personal data included at the reviewer's explicit request" in personal


# -- HTML ----------------------------------------------------------------------------


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def _parse_html(path: Path) -> _Collector:
    parser = _Collector()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:|file:)", re.I)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_html_is_self_contained_and_accessible(memo_files, memos, lang):
    doc = _parse_html(memo_files[(lang, "html")].path)
    html_tag = next(attrs for tag, attrs in doc.tags if tag == "html")
    assert html_tag["lang"] == lang
    for tag, attrs in doc.tags:
        for name in ("src", "href", "action", "data", "poster", "srcset"):
            value = attrs.get(name) or ""
            assert not EXTERNAL.match(value), f"<{tag} {name}={value!r}> points outside the file"
        assert not (tag == "link" and attrs.get("rel") == "stylesheet")
        assert not (tag == "script" and attrs.get("src")), "no external script"
    names = [tag for tag, _ in doc.tags]
    assert names.count("h1") == 1 and names.count("h2") >= 8 and "h3" in names
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in doc.tags if tag == "th")
    # Charts are inline SVG images named by their title and described by their alt text.
    svgs = [attrs for tag, attrs in doc.tags if tag == "svg"]
    assert len(svgs) == len(list(memos[lang].charts())) == 2
    ids = {attrs.get("id") for tag, attrs in doc.tags if tag in ("title", "desc")}
    for svg in svgs:
        assert svg["role"] == "img"
        assert svg["aria-labelledby"] in ids and svg["aria-describedby"] in ids
    assert all(len(c.alt) > 40 for c in memos[lang].charts())
    # Nothing to run: no script at all, and a light file.
    assert "script" not in names
    raw = memo_files[(lang, "html")].path.read_text(encoding="utf-8")
    assert len(raw.encode("utf-8")) < 400_000
    assert "@media print" in raw and "max-width: 40rem" in raw
    # Wide tables scroll in a focusable region on a phone.
    regions = [a for tag, a in doc.tags if tag == "div" and "table-wrap" in (a.get("class") or "")]
    assert regions and all(r["tabindex"] == "0" and r["aria-label"] for r in regions)


def test_html_with_hostile_text_passes_the_nu_html_checker(memo_files, nu_html_checker):
    # The memo holds what a careless reviewer typed: markup, a bell character...
    paths = [memo_files[(lang, "html")].path for lang in ("en", "ja")]
    assert "&lt;script&gt;" in paths[0].read_text(encoding="utf-8")
    assert nu_html_checker(paths) == []


def test_interactive_html_embeds_plotly_once_without_control_characters(memos):
    from vlr_tools.memo.html import CONTROL, render_html

    text = render_html(memos["en"], variant="interactive")
    doc = _Collector()
    doc.feed(text)
    big = [s for s in doc.scripts if len(s) > 1_000_000]
    assert len(big) == 1 and "plotly" in big[0][:2000].lower()
    assert not [t for t, _ in doc.tags if t == "svg"]
    # plotly puts buttons inside its plot: the plot is not an image (no nested
    # interactive content); its text alternative is a paragraph it points at.
    plots = [a for t, a in doc.tags if t == "div" and a.get("class") == "plot"]
    ids = {a.get("id") for t, a in doc.tags if t == "p"}
    assert plots and all("role" not in p and p["aria-describedby"] in ids for p in plots)
    assert "details" in [t for t, _ in doc.tags] or all(
        c.table_follows for c in memos["en"].charts()
    )
    # plotly.min.js holds raw U+0001 and U+001A; the memo writes them as escapes.
    assert CONTROL.search(text) is None


def test_html_shows_typed_markup_as_text(memo_files):
    path = memo_files[("en", "html")].path
    raw = path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in raw
    assert "<img src=x" not in raw and "<b>tag</b>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    doc = _parse_html(path)
    text = "".join(doc.text)
    assert "<script>alert(1)</script>" in text  # visible, as text
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in doc.tags)
    assert not any(
        tag == "a" and "javascript" in (attrs.get("href") or "") for tag, attrs in doc.tags
    )


def test_chart_json_cannot_close_its_script():
    from vlr_tools.memo.html import chart_json

    chart = Chart(
        "k",
        "t",
        "a",
        '{"data": [{"name": "</script><script>alert(1)</script>"}]}',
        Table(("a",), ()),
    )
    text = str(chart_json(chart))
    assert "</script" not in text.lower() and "<" not in text


# -- Markdown ------------------------------------------------------------------------


def _md_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(text)


def test_markdown_escapes_what_users_typed(memo_files):
    text = memo_files[("en", "md")].path.read_text(encoding="utf-8")
    html = _md_to_html(text)
    assert "<script>" not in html and "<img" not in html and "<b>tag" not in html
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" not in html
    assert "**bold**" in html  # shown literally
    assert "| Area |" in text and "|---|" in text.replace("---:", "---")
    assert "\x07" not in text


@pytest.mark.parametrize(
    "value",
    [
        "**b**",
        "_i_",
        "`code`",
        "[a](b)",
        "<b>x</b>",
        "# heading",
        "- item",
        "1. item",
        "---",
        "a | b",
        "~~s~~",
        "&amp;",
        "= underline",
        "+ plus",
        "> quote",
    ],
)
def test_markdown_escape_renders_as_plain_text(value):
    html = _md_to_html(md_escape(value)).strip()
    assert html.startswith("<p>") and html.endswith("</p>"), html
    inner = html[3:-4]
    import html as html_lib

    assert html_lib.unescape(inner) == value


# -- figures checked against the indicator table ------------------------------------

FIGURE_NOTE = "Ask the PESO which 2024 count is right"


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_confirmed_figure_checks_are_listed_with_both_pages(memos, memo_files, lang):
    """The memo lists the confirmed check (pages 15 and 24, the table's row), not the dismissed one."""
    section = memos[lang].section("figures")
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    (row,) = table.rows
    cells = [c.text for c in row]
    assert cells[0] == ("pp. 15, 24" if lang == "en" else "15, 24ページ")
    assert cells[1] == "4,630 jobseekers" and "SR-IND-20" in cells[2] and "row 21" in cells[2]
    assert "4,360" in cells[3] and cells[4] == FIGURE_NOTE
    intro = section.blocks[0].text
    assert ("dismissed with a reason: 1" if lang == "en" else "却下したもの1件") in intro
    assert "Old on purpose" not in memos[lang].outline()
    texts = {
        "md": memo_files[(lang, "md")].path.read_text(encoding="utf-8"),
        "html": memo_files[(lang, "html")].path.read_text(encoding="utf-8"),
        "pdf": " ".join(" ".join(_pdf_pages(memo_files[(lang, "pdf")].path)).split()),
        "docx": _docx_words(_docx(memo_files[(lang, "docx")].path)),
    }
    for fmt, text in texts.items():
        assert FIGURE_NOTE in text and "4,630 jobseekers" in text, fmt
        assert section.title in text, fmt


def _docx_words(doc) -> str:
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return " ".join([p.text for p in doc.paragraphs] + cells)


# -- DOCX ----------------------------------------------------------------------------


def _docx(path: Path):
    import docx

    return docx.Document(str(path))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_docx_uses_word_structure(memo_files, memos, lang):
    doc = _docx(memo_files[(lang, "docx")].path)
    headings = [
        (p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")
    ]
    titles = [s.title for s in memos[lang].sections]
    assert [t for style, t in headings if style == "Heading 1"][1:] == titles
    assert any(style == "Heading 2" for style, _ in headings)
    assert any(p.style.name == "Title" for p in doc.paragraphs)
    assert len(doc.tables) >= 5
    body = doc.element.body.xml
    assert "w:tblHeader" in body  # header rows repeat across pages
    shapes = doc.inline_shapes
    assert len(shapes) >= 1
    for shape in shapes:
        assert len(shape._inline.docPr.get("descr", "")) > 40  # alt text
    props = doc.core_properties
    assert props.title == memos[lang].title
    assert props.language == {"en": "en-GB", "ja": "ja-JP"}[lang]
    assert props.author


def test_docx_keeps_typed_text_as_text(memo_files):
    path = memo_files[("en", "docx")].path
    doc = _docx(path)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "<script>alert(1)</script>" in text
    assert '{ DDE "c:\\\\windows\\\\calc.exe" }' in text and "=cmd|' /C calc'!A0" in text
    assert "pipebell" in text  # the control character was removed
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        parts = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", parts)
    assert {i.strip() for i in instructions} <= {"PAGE", "NUMPAGES"}
    assert "fldSimple" not in xml and "DDEAUTO" not in xml.replace("DDE", "")


@pytest.mark.slow
def test_docx_converts_with_libreoffice(memo_files, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: run ./scripts/setup (libreoffice-writer-nogui)")
    src = memo_files[("ja", "docx")].path
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / (src.stem + ".pdf")
    pages = _pdf_pages(pdf)
    assert len(pages) >= 2
    assert "要旨" in "".join(pages)


# -- PDF -----------------------------------------------------------------------------


def _pdf_pages(path: Path) -> list[str]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _pdf_fonts(path: Path) -> set[str]:
    import pypdf

    fonts = set()
    for page in pypdf.PdfReader(str(path)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    return fonts


def test_pdf_english(memo_files):
    path = memo_files[("en", "pdf")].path
    pages = _pdf_pages(path)
    assert len(pages) >= 2
    text = "\n".join(pages)
    for words in (
        "Review memo",
        "Executive summary",
        "Findings by checklist area",
        "Santa Rosa City",
    ):
        assert words in text
    assert re.search(r"\b1 / \d+", pages[1]) or re.search(r"\b2 / \d+", pages[1])
    assert any(re.search(rf"\b{n + 1} / {len(pages)}\b", p) for n, p in enumerate(pages))
    assert (
        "<script>alert(1)</script>" in text.replace("\r", "").replace("\n", " ")
        or "alert(1)" in text
    )
    assert "Illustrative sample data" in pages[0]


def test_pdf_japanese_renders_with_a_cjk_font(memo_files):
    path = memo_files[("ja", "pdf")].path
    pages = _pdf_pages(path)
    text = "\n".join(pages)
    assert len(pages) >= 2
    for words in ("レビュー・メモ", "要旨", "チェックリスト領域別の所見", "一部充足"):
        assert words in text
    assert any("CJK" in f for f in _pdf_fonts(path)), _pdf_fonts(path)


def test_pdf_loads_nothing_from_outside(memos, tmp_path, monkeypatch):
    from vlr_tools.memo import pdf as memo_pdf

    # As made, each chart is a vector image, no bitmap.
    made = tmp_path / "made.pdf"
    made.write_bytes(memo_pdf.pdf_bytes(memos["en"]))
    assert _pdf_bitmaps(made) == 0
    picture = tmp_path / "picture.png"
    picture.write_bytes(memo_static._rasterise([_tiny_svg()])[0])
    # A memo whose charts somehow pointed at a local file: WeasyPrint must not read it.
    monkeypatch.setattr(
        memo_pdf, "chart_uris", lambda memo: {c.key: picture.as_uri() for c in memo.charts()}
    )
    path = tmp_path / "memo.pdf"
    path.write_bytes(memo_pdf.pdf_bytes(memos["en"]))
    assert _pdf_bitmaps(path) == 0  # a PNG, had it been read, would be a bitmap


def _pdf_bitmaps(path: Path) -> int:
    """How many bitmap images the PDF's pages (and the forms they draw) hold."""
    import pypdf

    seen: set[int] = set()
    count = 0

    def visit(resources):
        nonlocal count
        for ref in ((resources or {}).get("/XObject") or {}).values():
            key = getattr(ref, "idnum", id(ref))
            if key in seen:
                continue
            seen.add(key)
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                count += 1
            elif obj.get("/Subtype") == "/Form":
                visit(obj.get("/Resources"))

    for page in pypdf.PdfReader(str(path)).pages:
        visit(page.get("/Resources"))
    return count


def _pdf_figures(path: Path) -> list[str]:
    """The alt text of every figure in the PDF's structure tree."""
    import pypdf

    found: list[str] = []

    def walk(node):
        node = node.get_object()
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt") or ""))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid)

    walk(pypdf.PdfReader(str(path)).trailer["/Root"]["/StructTreeRoot"])
    return found


def _tiny_svg() -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10" width="20" height="10">'
        '<rect width="20" height="10" fill="#c0392b"/></svg>'
    )


def test_pdf_is_tagged_with_language_title_and_chart_alt_text(memo_files, memos):
    import pypdf

    for lang in ("en", "ja"):
        reader = pypdf.PdfReader(str(memo_files[(lang, "pdf")].path))
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == lang
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        assert reader.metadata.title == memos[lang].title
        tags: list[tuple[str, str]] = []

        def walk(node, tags=tags):
            node = node.get_object()
            tags.append((str(node.get("/S")), str(node.get("/Alt") or "")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids]:
                kid = kid.get_object() if hasattr(kid, "get_object") else kid
                if isinstance(kid, dict) and "/S" in kid:
                    walk(kid)

        walk(root["/StructTreeRoot"])
        kinds = [k for k, _ in tags]
        assert "/H1" in kinds and "/H2" in kinds and "/Table" in kinds and "/TH" in kinds
        assert "/L" in kinds and "/LI" in kinds
        figures = [alt for k, alt in tags if k == "/Figure"]
        assert sorted(figures) == sorted(c.alt for c in memos[lang].charts())


# -- chart pictures (DOCX) without the drawing libraries ---------------------------------


def _no_pictures(monkeypatch):
    from vlr_tools.errors import MissingComponentError

    def refuse(svgs):
        raise MissingComponentError(memo_static.INSTALL_HINT)

    memo_static.clear_cache()
    monkeypatch.setattr(memo_static, "_rasterise", refuse)


def test_docx_without_chart_pictures_still_writes_every_format(memos, tmp_path, monkeypatch):
    _no_pictures(monkeypatch)
    results = render_memo(memos["en"], ("html", "pdf", "docx", "md"), tmp_path)
    assert [r.format for r in results] == ["html", "pdf", "docx", "md"]
    assert all(r.path.stat().st_size > 1000 for r in results)
    by = {r.format: r for r in results}
    assert not by["html"].warnings and not by["md"].warnings and not by["pdf"].warnings
    assert "./scripts/setup" in by["docx"].warnings[0]
    text = "\n".join(p.text for p in _docx(by["docx"].path).paragraphs)
    assert "could not draw chart pictures" in text
    assert len(_docx(by["docx"].path).inline_shapes) == 0
    # The PDF draws its charts as vector images whatever happens to the pictures.
    assert sorted(_pdf_figures(by["pdf"].path)) == sorted(c.alt for c in memos["en"].charts())


def test_chart_pictures_are_pngs_of_the_chart_size(memos):
    memo_static.clear_cache()
    charts = list(memos["en"].charts())
    images = memo_static.chart_images(charts, lang="en")
    assert set(images) == {c.key for c in charts}
    from PIL import Image

    for chart in charts:
        picture = Image.open(io.BytesIO(images[chart.key]))
        assert picture.format == "PNG"
        assert picture.size[0] == 2 * 720  # the SVG's width, twice for print


# -- golden structure -------------------------------------------------------------------


def _full_facts() -> ReviewData:
    """Hand-made facts for every section, so the golden file depends on nothing else."""
    from vlr_tools.memo.facts import (
        ChangeFacts,
        ChangeItem,
        CommentFacts,
        CountRow,
        CoverageFacts,
        EngagementFacts,
        GoalCoverage,
        IndicatorFacts,
        IndicatorRow,
    )

    crits = (
        CriterionFacts(
            "A1",
            "A",
            "Is endorsement visible?",
            "承認は明示されているか。",
            "UN DESA",
            "partly_met",
            (3, 4),
            (("Ana Example", HOSTILE),),
            "Cite the resolution.",
            "high",
        ),
        CriterionFacts(
            "A2",
            "A",
            "Is a lead office named?",
            "主管部署は明記されているか。",
            "UN-Habitat",
            "met",
            (5,),
            (),
            "",
            None,
        ),
        CriterionFacts(
            "C4",
            "C",
            "Is disaggregated data used?",
            "",
            "RA 8425",
            "not_met",
            (12,),
            (("Ben Example", "Only totals."),),
            "Disaggregate by sex.\nAdd age groups.",
            "high",
        ),
        CriterionFacts("C5", "C", "Was the draft validated?", "検証されたか。", "JRC"),
    )
    checklist = ChecklistFacts(
        "full 2025.1",
        "Full checklist",
        "完全版",
        (
            AreaFacts("A", "Ownership", "オーナーシップ"),
            AreaFacts("C", "Stakeholders", "ステークホルダー"),
        ),
        crits,
    )
    coverage = CoverageFacts(
        goals=(
            GoalCoverage(3, 4, (7, 8), ("3.8",), 2),
            GoalCoverage(11, 9, (14, 15, 16), ("11.6",), 3),
        ),
        hlpf_year=2025,
        hlpf_goals=(3, 5, 8, 14, 17),
        vocabulary_version="2025.1",
        decisions=2,
        paragraphs_total=13,
        paragraphs_mapped=11,
    )
    engagement = EngagementFacts(
        consultations=3,
        participants=90,
        first_date=dt.date(2024, 9, 2),
        last_date=dt.date(2024, 11, 5),
        groups=(CountRow("women", "Women", 40, "女性"), CountRow("youth", "Youth", 50, "若者")),
        not_consulted=(CountRow("pwd", "Persons with disabilities", 0, "障害者"),),
        iap2=(CountRow("consult", "Consult", 2, "協議"), CountRow("involve", "Involve", 1, "関与")),
        by_sex=(CountRow("f", "Women", 52, "女性"), CountRow("m", "Men", 38, "男性")),
        inputs=10,
        inputs_without_response=3,
        without_iap2=0,
        validation=False,
        sdgs_discussed=(3, 11),
    )
    indicators = IndicatorFacts(
        rows=(
            IndicatorRow(
                "X-01", "Water access", 6, "6.1.1", False, "%", "2019: 78", "2023: 84", "95", "CBMS"
            ),
            IndicatorRow(
                "X-02",
                "Tree cover",
                15,
                "",
                True,
                "ha",
                "",
                "2023: 12",
                "",
                "",
                ("no_baseline", "single_point", "no_source"),
                "proxy_match",
                "15.1.1",
            ),
            IndicatorRow(
                "X-03",
                "Piped water",
                6,
                "6.1.1",
                False,
                "%",
                "78",
                "2023: 84",
                "95",
                "CBMS",
                ("no_baseline_year",),
            ),
        ),
        goals_without_indicators=(11,),
    )
    changes = ChangeFacts(
        "v1",
        (
            ChangeItem("A1", "Cite the resolution.", "addressed", (4,), "Cited."),
            ChangeItem("C4", "Disaggregate by sex.", "to_check"),
        ),
    )
    comments = (
        CommentFacts(
            14,
            "missing_evidence",
            "No source for this figure.",
            "78% of households",
            "E1",
            ("6.1.1",),
            "Ana Example",
            "open",
            (("Ben Example", "Agreed."),),
        ),
        CommentFacts(
            None, "question", "General question.", reviewer="Ben Example", status="resolved"
        ),
    )
    review = _review(
        city_name="Sample City",
        city_place="Province",
        illustrative=True,
        reviewers=("Ana Example", "Ben Example"),
        version="v2",
        previous_version="v1",
        draft_pages=30,
        review_date=dt.date(2025, 2, 3),
        template="full 2025.1",
        hlpf_year=2025,
    )
    from vlr_tools.memo.facts import FigureCheck, FigureFacts

    figures = FigureFacts(
        confirmed=(
            FigureCheck(
                id="F0d8ec0",
                kind="value_differs",
                pages=(14,),
                quote="88 percent",
                reason_en="The draft gives 88 percent for 2023 (p. 14); the indicator table "
                "gives 86 (2023). They differ by more than 0.5.",
                reason_ja="本文では2023年の値を88 percentとしていますが、指標表では86です。",
                indicator="SR-IND-12",
                indicator_name="Households with piped water",
                table="86 (2023)",
                table_where="indicators.xlsx, sheet 'Indicators', row 13",
                note="Ask the CPDO which year the 88 is from",
            ),
        ),
        dismissed=(
            FigureCheck(
                id="F38ef55",
                kind="status_unsupported",
                pages=(15,),
                quote="On track",
                reason_en="No 2030 target.",
                note="Target set in the CDP",
            ),
        ),
        claims=96,
        open=3,
    )
    return ReviewData(
        review, checklist, coverage, engagement, indicators, changes, comments, figures=figures
    )


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_memo_matches_golden_outline(lang):
    """Every section's text and structure, compared with tests/golden/ (update with
    VLR_UPDATE_GOLDEN=1 and review the diff)."""
    memo = compose(_full_facts(), Options(lang, generated=dt.date(2025, 2, 3)))
    path = GOLDEN / f"memo-{lang}.txt"
    actual = memo.outline()
    if os.environ.get("VLR_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} missing: run with VLR_UPDATE_GOLDEN=1 once and review it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "multilingual sentence model"), ("ja", "多言語文モデル")]
)
def test_method_annex_names_the_reading_by_meaning_when_it_was_used(lang, words):
    import dataclasses

    facts = _full_facts()
    plain = compose(facts, Options(lang, generated=dt.date(2025, 2, 3))).outline()
    assert words not in plain
    read = dataclasses.replace(
        facts, coverage=dataclasses.replace(facts.coverage, meaning_version="a1b2c3d4e5f6")
    )
    outline = compose(read, Options(lang, generated=dt.date(2025, 2, 3))).outline()
    assert words in outline and "a1b2c3d4e5f6" in outline and "2025.1" in outline


def test_japanese_memo_shows_target_titles_and_names_the_translation_once():
    from vlr_tools.framework import get_framework

    fw = get_framework()
    facts = _full_facts()
    named = [c for g in facts.coverage.goals for c in g.targets]
    ja = compose(facts, Options("ja")).outline()
    coverage = ja.split("\n## ")[2]
    for code in named:
        target = fw.target(code)
        assert target.title_ja and f"{code} | {target.title_ja}" in coverage
    translation = fw.translation(fw.target(named[0]))
    assert translation is not None and translation.provisional
    # Said once, in the annex; not on every line.
    assert ja.count("政府仮訳") == 1 and translation.short_ja in ja.split("\n## ")[-1]
    en = compose(facts, Options("en")).outline()
    for code in named:
        assert f"{code} | {fw.target(code).title_en}" in en
    assert "provisional translation" not in en


def test_full_memo_renders_in_every_format(tmp_path):
    memo = compose(_full_facts(), Options("ja"))
    results = render_memo(memo, ("html", "md", "docx"), tmp_path)
    html = results[0].path.read_text(encoding="utf-8")
    assert "ページ別コメント" in html and "14ページ" in html
    assert "&lt;script&gt;" in html


# -- files and the CLI ---------------------------------------------------------------------


def test_file_names_say_city_version_and_language(memos):
    assert memo_filename(memos["en"], "pdf") == "santa-rosa-v1-review-memo-en.pdf"
    assert memo_filename(memos["ja"], "markdown") == "santa-rosa-v1-review-memo-ja.md"


def test_cli_memo_writes_the_chosen_formats(memo_ws, tmp_path, capsys):
    _, _, folder = memo_ws
    code = main(
        [
            "memo",
            "--city",
            "santa-rosa",
            "--workspace",
            str(folder),
            "--lang",
            "en,ja",
            "--format",
            "md,html",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    names = sorted(p.name for p in (tmp_path / "santa-rosa").iterdir())
    assert names == [
        "santa-rosa-v1-response-sheet-en.xlsx",
        "santa-rosa-v1-response-sheet-ja.xlsx",
        "santa-rosa-v1-review-memo-en.html",
        "santa-rosa-v1-review-memo-en.md",
        "santa-rosa-v1-review-memo-ja.html",
        "santa-rosa-v1-review-memo-ja.md",
    ]
    assert "wrote" in out and "[1/2]" in out and "the city's response sheet" in out
    md = (tmp_path / "santa-rosa" / "santa-rosa-v1-review-memo-ja.md").read_text("utf-8")
    assert "回答シート（santa-rosa-v1-response-sheet-ja.xlsx）" in md.replace("\\", "")
    # Without the sheet, the memo does not mention one.
    again = tmp_path / "again"
    args = ["memo", "--city", "santa-rosa", "--workspace", str(folder), "--lang", "en"]
    assert main([*args, "--format", "md", "--out", str(again), "--no-response-sheet"]) == 0
    assert [p.name for p in (again / "santa-rosa").iterdir()] == ["santa-rosa-v1-review-memo-en.md"]
    assert "response sheet" not in (
        again / "santa-rosa" / "santa-rosa-v1-review-memo-en.md"
    ).read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--city", "nowhere"], "no review of 'nowhere'"),
        (
            ["--city", "santa-rosa", "--format", "xls"],
            "unknown memo format 'xls'; allowed: html, pdf, docx, md",
        ),
        (["--city", "santa-rosa", "--lang", "fr"], "unknown language 'fr'"),
        (["--city", "santa-rosa", "--version", "v9"], "no review of 'santa-rosa' draft v9"),
    ],
)
def test_cli_memo_errors_are_one_clear_line(memo_ws, tmp_path, capsys, args, message):
    _, _, folder = memo_ws
    code = main(["memo", *args, "--workspace", str(folder), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err


def test_render_memo_rejects_unknown_format(memos, tmp_path):
    from vlr_tools.errors import MemoError

    with pytest.raises(MemoError, match="allowed: html, pdf, docx, md"):
        render_memo(memos["en"], "rtf", tmp_path)


def test_memo_is_frozen(memos):
    memo: Memo = memos["en"]
    with pytest.raises(AttributeError):
        memo.lang = "ja"  # type: ignore[misc]
    assert io is not None


def test_cli_memo_without_chart_pictures_warns_and_still_writes(
    memo_ws, tmp_path, capsys, monkeypatch
):
    _no_pictures(monkeypatch)
    _, _, folder = memo_ws
    code = main(
        [
            "memo",
            "--city",
            "santa-rosa",
            "--workspace",
            str(folder),
            "--lang",
            "en",
            "--format",
            "docx,md",
            "--out",
            str(tmp_path),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "warning: Chart pictures in DOCX memos are drawn with WeasyPrint" in captured.err
    assert "./scripts/setup" in captured.err and "Traceback" not in captured.err
    names = sorted(p.name for p in (tmp_path / "santa-rosa").iterdir() if "memo" in p.name)
    assert names == ["santa-rosa-v1-review-memo-en.docx", "santa-rosa-v1-review-memo-en.md"]


def _contrast(a: str, b: str) -> float:
    def lum(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_memo_colours_pass_wcag_aa():
    from vlr_tools.memo.html import TEMPLATES_DIR

    css = (TEMPLATES_DIR / "memo" / "memo.css").read_text(encoding="utf-8")
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [
        ("ink", "#ffffff"), ("muted", "#ffffff"), ("muted", "zebra"), ("accent", "#ffffff"),
        ("band-ink", "band"), ("band", "zebra"), ("ink", "head-bg"), ("met-ink", "met-bg"),
        ("partly-ink", "partly-bg"), ("not-ink", "not-bg"), ("na-ink", "na-bg"),
        ("illus-ink", "illus-bg"), ("not-ink", "#ffffff"), ("partly-ink", "#ffffff"),
    ]  # fmt: skip
    for fg, bg in pairs:
        ratio = _contrast(var.get(fg, fg), var.get(bg, bg))
        assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}"


# -- QA fixes: coverage counts, baseline years, labels, multi-line text, Word tables -------


def _mapped_refs(ws, rid) -> tuple[int, int]:
    """(paragraphs with at least one goal after decisions, all paragraphs) of Santa Rosa v1,
    counted from the mapping itself rather than through the memo."""
    from vlr_tools.cities import load_city
    from vlr_tools.coverage import effective_matches, load_decisions, mapping_view
    from vlr_tools.documents import load_draft
    from vlr_tools.mapping import map_draft

    draft = load_draft(load_city("santa-rosa").draft("v1").pdf)
    view = mapping_view(map_draft(draft, city="santa-rosa"))
    matches = effective_matches(view, load_decisions(ws, rid))
    return len(set(matches["ref"])), len(draft.paragraphs())


def test_coverage_counts_only_paragraphs_mapped_to_a_goal(memos, memo_ws):
    ws, rid, _ = memo_ws
    mapped, total = _mapped_refs(ws, rid)
    assert 0 < mapped < total
    intro = memos["en"].section("coverage").blocks[0].text
    assert f"{mapped} of its {total} paragraphs are mapped to at least one goal" in intro
    assert f"in {total} mapped paragraphs" not in intro
    ja = memos["ja"].section("coverage").blocks[0].text
    assert f"全{total}段落のうち{mapped}段落" in ja
    assert f"対応付けされた{total}段落" not in ja


def test_coverage_count_follows_reviewer_decisions(tmp_path):
    from vlr_tools.coverage import decide, mapping_view
    from vlr_tools.memo.gather import coverage_facts
    from vlr_tools.review import open_review

    ws = open_workspace(tmp_path, reviewer=REVIEWERS[0])
    rv = _start_santa_rosa(ws)
    opened = open_review(ws, rv.id)
    before = coverage_facts(ws, opened, 2025)
    assert before is not None and before.paragraphs_mapped is not None
    mapped, total = _mapped_refs(ws, rv.id)
    assert (before.paragraphs_mapped, before.paragraphs_total) == (mapped, total)
    # Reject every goal of one paragraph: it no longer counts as mapped.
    from vlr_tools.cities import load_city
    from vlr_tools.documents import load_draft
    from vlr_tools.mapping import map_draft

    view = mapping_view(
        map_draft(load_draft(load_city("santa-rosa").draft("v1").pdf), city="santa-rosa")
    )
    ref = str(view.matches["ref"].iloc[0])
    for goal in sorted({int(g) for g in view.matches[view.matches["ref"] == ref]["goal"]}):
        decide(ws, rv.id, ref, goal, action="reject")
    after = coverage_facts(ws, opened, 2025)
    assert after is not None and after.paragraphs_mapped == mapped - 1
    ws.close()


@pytest.mark.parametrize(
    ("lang", "mapped", "expected"),
    [
        ("en", 5, "5 of its 13 paragraphs are mapped to at least one goal"),
        ("en", 1, "one of its 13 paragraphs is mapped to at least one goal"),
        ("ja", 5, "全13段落のうち5段落が少なくとも一つの目標に対応付けられています"),
    ],
)
def test_coverage_intro_words_the_mapped_count(lang, mapped, expected):
    from dataclasses import replace

    data = _full_facts()
    assert data.coverage is not None
    data = replace(data, coverage=replace(data.coverage, paragraphs_mapped=mapped))
    intro = compose(data, Options(lang)).section("coverage").blocks[0].text
    assert expected in intro


def _baseline_split() -> tuple[list[str], list[str]]:
    """Santa Rosa indicators with no baseline value, and with a value but no year."""
    from vlr_tools.cities import load_city
    from vlr_tools.indicators import load_indicators

    table = load_indicators(load_city("santa-rosa").indicators_path)
    no_value = [i.id for i in table if i.baseline_value is None]
    no_year = [i.id for i in table if i.baseline_value is not None and i.baseline_year is None]
    return no_value, no_year


def test_indicators_with_a_baseline_value_but_no_year_say_so(memos):
    no_value, no_year = _baseline_split()
    assert "SR-IND-12" in no_year and no_value
    for lang, year_word, none_word in (
        ("en", "no baseline year", "no baseline"),
        ("ja", "基準年なし", "基準値なし"),
    ):
        memo = memos[lang]
        table = next(b for b in memo.section("indicators").blocks if isinstance(b, Table))
        issues = {row[0].text: row[-1].text.split("; ") for row in table.rows}
        for ind in no_year:
            assert year_word in issues[ind] and none_word not in issues[ind], (lang, ind)
        for ind in no_value:
            assert none_word in issues[ind] and year_word not in issues[ind], (lang, ind)
    summary = "\n".join(memos["en"].section("summary-points").blocks[0].items)
    assert f"{len(no_value)} without a baseline," in summary
    assert f"{len(no_year)} without a baseline year" in summary
    ja = "\n".join(memos["ja"].section("summary-points").blocks[0].items)
    assert f"基準値なし{len(no_value)}件" in ja and f"基準年なし{len(no_year)}件" in ja
    gaps = "\n".join(
        i
        for b in memos["en"].section("indicators").blocks
        if isinstance(b, Bullets)
        for i in b.items
    )
    assert f"{len(no_year)} indicators with a baseline value but no baseline year" in gaps


def test_checklist_gap_kinds_keep_no_baseline_for_a_missing_year():
    """The memo's wording must not change what the checklist pre-checks rely on."""
    from vlr_tools.cities import load_city
    from vlr_tools.indicators import gap_kinds, load_indicators

    table = load_indicators(load_city("santa-rosa").indicators_path)
    sr12 = next(i for i in table if i.id == "SR-IND-12")
    assert "no_baseline" in gap_kinds(sr12)


@pytest.mark.parametrize(
    ("lang", "evidence", "priority"),
    [("en", "Evidence: pp. 3–4", "Priority: High"), ("ja", "根拠：3–4ページ", "優先度：高")],
)
def test_markdown_finding_labels_are_spaced_like_the_other_formats(memos, lang, evidence, priority):
    from vlr_tools.memo.markdown import render_markdown

    text = render_markdown(memos[lang])
    line = next(x for x in text.splitlines() if evidence in x)
    assert f" · {evidence} · {priority}" in line
    assert "Evidence:p" not in text and "Priority:H" not in text


def test_top_recommendations_keep_every_line(memos, memo_files):
    first, second = H1_REC.split("\n")
    items = memos["en"].section("summary-recommendations").blocks[0].items
    h1 = next(i for i in items if i.startswith("H1"))
    assert h1.endswith(H1_REC)
    md = memo_files[("en", "md")].path.read_text(encoding="utf-8")
    top = md.split("Top recommendations", 1)[1].split("\n## ", 1)[0]
    escaped = md_escape(second)
    assert f"{md_escape(first)}\\\n   {escaped}" in top
    html = memo_files[("en", "html")].path.read_text(encoding="utf-8")
    assert (
        "owner and a date.<br>Publish the follow-up plan &lt;b&gt;with&lt;/b&gt; the VLR." in html
    )
    pdf = "\n".join(_pdf_pages(memo_files[("en", "pdf")].path)[:3])
    assert "Publish the follow-up plan <b>with</b> the VLR." in pdf
    doc = _docx(memo_files[("en", "docx")].path)
    paras = [p.text for p in doc.paragraphs]
    start = paras.index("Top recommendations")
    rec = next(p for p in paras[start:] if "owner and a date" in p)
    assert rec.endswith(first + "\n" + second)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_docx_rows_do_not_split_and_goal_columns_fit(memo_files, lang):
    from docx.oxml.ns import qn

    doc = _docx(memo_files[(lang, "docx")].path)
    checked = 0
    for table in doc.tables:
        header = [c.text for c in table.rows[0].cells]
        for row in table.rows:
            tr_pr = row._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None, header
        for i, name in enumerate(header):
            if name not in ("Goal", "目標"):
                continue
            # A 9 pt bold header: about 1 em per kanji, 0.62 em per Latin letter,
            # plus the cell's default left and right margins (2 x 0.19 cm).
            em = 9 / 72 * 2.54
            need = sum(em if ord(ch) > 0x2E80 else 0.62 * em for ch in name) + 0.38
            width = table.rows[0].cells[i].width.cm
            assert width >= need, (lang, header, width, need)
            checked += 1
    assert checked >= 2


def test_cli_memo_no_review_names_the_command_to_start_one(memo_ws, tmp_path, capsys, monkeypatch):
    from vlr_tools import paths

    monkeypatch.setattr(paths, "EXPORTS_DIR", tmp_path / "no-demo-here")
    _, _, folder = memo_ws
    code = main(["memo", "--city", "nowhere", "--workspace", str(folder), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "start one with 'vlr workspace new --city nowhere --draft FILE'" in err
    assert "demo's reviews" not in err


def test_cli_memo_no_review_points_to_the_demo_workspace(tmp_path, capsys, monkeypatch):
    from vlr_tools import paths

    exports = tmp_path / "exports"
    open_workspace(exports / "demo-workspace", reviewer="Demo (fictional)").close()
    monkeypatch.setattr(paths, "EXPORTS_DIR", exports)
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "default-ws"
    code = main(["memo", "--city", "santa-rosa", "--workspace", str(empty), "--out", "out"])
    err = capsys.readouterr().err
    assert code == 2
    assert "the demo's reviews are in the workspace exports/demo-workspace" in err
    assert "use --workspace exports/demo-workspace" in err
    assert "vlr workspace new --city santa-rosa" in err


def test_indicator_alignment_is_kept_by_content(memo_ws, tmp_path, monkeypatch):
    """The memo reads the alignment from the cache folder; a changed table aligns again."""
    import dataclasses

    from vlr_tools.indicators import align_indicators
    from vlr_tools.memo.gather import _alignment_key, aligned_codes
    from vlr_tools.review import open_review

    monkeypatch.setenv("VLR_CACHE_DIR", str(tmp_path / "cache"))
    ws, rid, _ = memo_ws
    table = open_review(ws, rid).indicators
    fresh = aligned_codes(table)
    frame = align_indicators(table, lang="en")
    assert fresh == {
        str(r.id): (str(r.status or ""), str(r.suggested_code or "")) for r in frame.itertuples()
    }
    files = list((tmp_path / "cache" / "alignment").glob("*.json"))
    assert [f.stem for f in files] == [_alignment_key(table)]
    files[0].write_text('{"X-1": ["check", "1.1.1"]}', encoding="utf-8")
    assert aligned_codes(table) == {"X-1": ("check", "1.1.1")}  # read back, not recomputed
    changed = dataclasses.replace(
        table, indicators=(dataclasses.replace(table.indicators[0], name="Renamed"),)
    )
    assert _alignment_key(changed) != _alignment_key(table)
    assert set(aligned_codes(changed)) == {table.indicators[0].id}


def test_pdf_worker_writes_pdfs_while_the_caller_writes_the_rest(memos, tmp_path):
    """The CLI starts one PDF worker before building its memos; each memo's PDF is
    complete once the worker is waited for, and an error there reaches the caller."""
    from vlr_tools.errors import MemoError
    from vlr_tools.memo.render import PdfWorker

    worker = PdfWorker.start()
    assert worker is not None  # two CPUs and fork: the test machines have both
    results = [
        r
        for lang in ("en", "ja")
        for r in render_memo(memos[lang], ("pdf", "md"), tmp_path, pdf_worker=worker)
    ]
    worker.wait()
    pdfs = [r.path for r in results if r.format == "pdf"]
    assert [p.name for p in pdfs] == [memo_filename(memos[x], "pdf") for x in ("en", "ja")]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    broken = PdfWorker.start()
    assert broken is not None
    broken.submit(memos["en"], tmp_path / "no-such-folder" / "memo.pdf")
    with pytest.raises(MemoError, match="No such file or directory"):
        broken.wait()
