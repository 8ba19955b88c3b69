"""A review's paragraph decisions when its draft's file is replaced (vlr_tools.replacement)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vlr_tools.claims.model import ClaimCheck
from vlr_tools.claims.store import DECISION_KIND as CLAIM_KIND
from vlr_tools.claims.store import LINK_KIND, confirmed_checks
from vlr_tools.coverage.decisions import decide, load_decisions
from vlr_tools.documents import draft_from_text
from vlr_tools.intake import add_city, add_draft, start_review
from vlr_tools.replacement import paragraph_moves, unplaced_decisions
from vlr_tools.review import open_review
from vlr_tools.workspace import open_workspace

FIRST = """# 1. Water

Households connected to piped water rose from 71 to 82 percent between 2018 and 2023.

The city treats none of its septage; a treatment plant is planned for 2027.

# 2. Health

Tuberculosis notifications fell from 412 in 2019 to 305 in 2023.

Barangay health stations were upgraded with birthing rooms in twelve villages.
"""

# The corrected file: a new paragraph first (every later reference on the page moves),
# a figure corrected in one paragraph (changed, still the same paragraph), one deleted.
SECOND = """# 1. Water

A note from the city: this version corrects figures sent in March.

Households connected to piped water rose from 71 to 84 percent between 2018 and 2023.

The city treats none of its septage; a treatment plant is planned for 2027.

# 2. Health

Tuberculosis notifications fell from 412 in 2019 to 305 in 2023.
"""


def _refs(text: str) -> dict[str, str]:
    draft = draft_from_text(text, markdown=True, lang="en")
    return {p.text[:20]: p.ref for p in draft.paragraphs()}


def test_paragraphs_are_found_again_in_reading_order():
    old = draft_from_text(FIRST, markdown=True, lang="en")
    new = draft_from_text(SECOND, markdown=True, lang="en")
    a, b = _refs(FIRST), _refs(SECOND)
    moves = paragraph_moves(old, new)
    assert moves[a["The city treats none"]] == (b["The city treats none"], True)
    assert moves[a["Households connected"]] == (b["Households connected"], False)  # 82 -> 84
    assert moves[a["Tuberculosis notific"]] == (b["Tuberculosis notific"], True)
    assert a["Barangay health stat"] not in moves  # deleted
    assert a["The city treats none"] != b["The city treats none"]  # the reference did move


@pytest.fixture
def ws(tmp_path):
    workspace = open_workspace(tmp_path / "ws", reviewer="Replace Tester")
    yield workspace
    workspace.close()


def _check(ref: str, quote: str, page: int = 1) -> dict:
    record = ClaimCheck(
        kind="no_source",
        claim_id=f"{ref}#1",
        page=page,
        ref=ref,
        quote=quote,
        reason_en="The draft gives no source for this figure.",
        reason_ja="この数値の出典が示されていない。",
    ).to_record()
    for key in ("status", "note", "decided_by", "decided_at"):
        record.pop(key)
    return record


def test_replacing_the_file_moves_decisions_with_their_paragraphs(ws, tmp_path: Path):
    first, second = tmp_path / "draft.md", tmp_path / "draft-corrected.md"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    add_city(ws, "legazpi", "Legazpi City")
    add_draft(ws, "legazpi", first, version="v1", lang="en")
    rv = start_review(ws, "legazpi", "v1", map_now=False, precheck_now=False).review
    draft = open_review(ws, rv.id).draft
    a = _refs(FIRST)
    septage, piped, tb, stations = (
        a["The city treats none"],
        a["Households connected"],
        a["Tuberculosis notific"],
        a["Barangay health stat"],
    )
    decide(ws, rv.id, septage, 6, "6.3", "accept", note="septage: 6.3")
    decide(ws, rv.id, piped, 6, None, "add")
    decide(ws, rv.id, stations, 3, None, "accept", note="birthing rooms")
    # a figure check confirmed on the septage paragraph, one dismissed on the changed one
    moved_check = _check(septage, "a treatment plant is planned for 2027")
    gone_check = _check(piped, "from 71 to 82 percent")
    for check, status in ((moved_check, "confirmed"), (gone_check, "dismissed")):
        ws.put(
            rv.id,
            CLAIM_KIND,
            ClaimCheck.from_record(check).id,
            {"status": status, "note": "checked", "check": check},
        )
    ws.put(rv.id, LINK_KIND, f"{tb}#1", {"indicator": "H-1"})
    assert draft.get(septage) is not None

    intake = add_draft(ws, "legazpi", second, version="v1", lang="en", replace_existing=True)

    (moved,) = intake.decisions_moved
    b = _refs(SECOND)
    new_draft = open_review(ws, rv.id).draft
    by_paragraph = {(d.paragraph_ref, d.goal): d for d in load_decisions(ws, rv.id)}
    # the septage decision follows its paragraph, which now has another reference
    assert b["The city treats none"] != septage
    assert by_paragraph[(b["The city treats none"], 6)].note == "septage: 6.3"
    assert new_draft.get(b["The city treats none"]).text.startswith("The city treats none")
    # the changed paragraph keeps its mapping decision
    assert (b["Households connected"], 6) in by_paragraph
    # the deleted paragraph's decision names no other text: it is set aside with its words
    assert (stations, 3) not in by_paragraph
    aside = {r.key: r.data for r in unplaced_decisions(ws, rv.id)}
    key = f"mapping_decision/{stations}/3/"
    assert aside[key]["data"]["note"] == "birthing rooms"
    assert aside[key]["words"].startswith("Barangay health stations")
    # figure checks: moved where the quoted words are still there, else set aside
    confirmed, dismissed = confirmed_checks(ws, rv.id)
    assert [(c.ref, c.claim_id) for c in confirmed] == [
        (b["The city treats none"], f"{b['The city treats none']}#1")
    ]
    assert dismissed == []
    assert any(k.startswith(f"{CLAIM_KIND}/") for k in aside)
    # the indicator chosen for an unchanged paragraph's sentence moves with it
    assert [r.key for r in ws.records(rv.id, LINK_KIND)] == [f"{b['Tuberculosis notific']}#1"]
    assert (moved.moved, moved.kept, len(moved.unplaced)) == (4, 0, 2)
    line = next(x for x in intake.report() if x.startswith(f"review {rv.id}:"))
    assert "4 decision(s) moved" in line and "2 set aside" in line


def test_the_cli_says_what_moved_and_lists_what_was_set_aside(tmp_path: Path, capsys):
    from vlr_tools.cli import main

    first, second = tmp_path / "draft.md", tmp_path / "draft-corrected.md"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    who = ["--workspace", str(tmp_path / "ws"), "--reviewer", "CLI Tester"]
    assert main(["city", "add", "legazpi", "--name", "Legazpi City", *who]) == 0
    assert main(["draft", "add", "legazpi", str(first), "--version", "v1", *who]) == 0
    with open_workspace(tmp_path / "ws", reviewer="CLI Tester") as ws:
        rv = start_review(ws, "legazpi", "v1", map_now=False, precheck_now=False).review
        decide(ws, rv.id, _refs(FIRST)["Barangay health stat"], 3, None, "accept")
    capsys.readouterr()
    assert main(["draft", "add", "legazpi", str(second), "--version", "v1", "--replace", *who]) == 0
    out = capsys.readouterr().out
    assert f"review {rv.id}: 0 decision(s) moved" in out and "1 set aside" in out
    assert main(["map", "--review", rv.id, "--no-meaning", *who]) == 0
    err = capsys.readouterr().err
    assert "set aside when the draft file was replaced" in err
    assert "Barangay health stations" in err
