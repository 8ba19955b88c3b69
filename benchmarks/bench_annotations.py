"""Annotation re-anchoring speed and accuracy: 1,000 annotations into a 300-page revised draft.

Target (issue 10): re-anchoring 1,000 annotations into a 300-page revised
draft takes under 5 s on this machine (indexing the new draft included).

The drafts are synthesised from the sample drafts (San Fernando v1 and v2,
Santa Rosa v1; all illustrative): their pages are repeated until there are
300, each copy (and each source: San Fernando v2 repeats much of v1) with its numbers shifted so that copies differ where the
text has figures and its longer words are swapped for other words of the
drafts (so that copies share no passages). The "revised" draft then drops about 3% of the pages,
inserts new pages (so page numbers shift), deletes about 5% of the
paragraphs and edits about 12% (a word replaced, removed or inserted). The
1,000 annotations quote random word spans (30-160 characters) of random
paragraphs of the old draft. Because each annotation's fate is known, the
benchmark also reports how many were found where expected (page and
outcome).

Run: .venv/bin/python benchmarks/run.py annotations
"""

from __future__ import annotations

import random
import re
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path

PAGES = 300
ANNOTATIONS = 1_000
WORKSPACE_SAMPLE = 200
SEED = 20250410
ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    "data/cities/san-fernando/drafts/san-fernando-vlr-draft-v1.pdf",
    "data/cities/san-fernando/drafts/san-fernando-vlr-draft-v2.pdf",
    "data/cities/santa-rosa/drafts/santa-rosa-vlr-draft-v1.pdf",
)
FILLER = (
    "Note added in the revised draft: the Technical Working Group reviewed this section again "
    "with the offices concerned and the figures below were checked against the latest records."
)


def _source_pages() -> list[tuple[int, list[str]]]:
    """(source number, paragraph texts) of every page of the sample drafts."""
    from vlr_tools.documents import load_draft

    pages: list[tuple[int, list[str]]] = []
    for n, rel in enumerate(SOURCES):
        draft = load_draft(ROOT / rel)
        for page in draft.pages:
            texts = [p.text for p in page.paragraphs if p.text.strip()]
            if texts:
                pages.append((n, texts))
    return pages


def _variant(text: str, copy: int, vocabulary: list[str]) -> str:
    """Copy ``copy`` of a paragraph: numbers shifted, and every word of 4+ letters swapped.

    Each copy maps each longer word to another word of the sample drafts'
    vocabulary (the same word always to the same one within a copy), so
    copies read alike in rhythm but share no passages: otherwise a quote,
    or a close variant of it, would occur in every copy and no method could
    tell which copy an annotation belongs to.
    """
    if copy == 0:
        return text
    text = re.sub(r"\d+", lambda m: str(int(m.group()) + copy * 7), text)

    def swap(m: re.Match[str]) -> str:
        word = m.group()
        return vocabulary[zlib.crc32(f"{copy}:{word}".encode()) % len(vocabulary)]

    return re.sub(r"[A-Za-z]{4,}", swap, text)


def synthesise(
    rng: random.Random,
) -> tuple[
    list[list[str]], list[list[str]], dict[tuple[int, int], tuple[str, int | None, set[int]]]
]:
    """Old pages, new pages, and per old (page, paragraph) its fate: (kept|edited|deleted, new page, edited words)."""
    source = _source_pages()
    vocabulary = sorted(
        {w for _n, paras in source for t in paras for w in re.findall(r"[A-Za-z]{4,}", t)}
    )
    old: list[list[str]] = []
    copy = 0
    while len(old) < PAGES:
        for n, paras in source:
            if len(old) >= PAGES:
                break
            # San Fernando v2 repeats much of v1: every source and copy gets its own words.
            variant = copy * len(SOURCES) + n
            old.append([_variant(t, variant, vocabulary) for t in paras])
        copy += 1
    new: list[list[str]] = []
    fate: dict[tuple[int, int], tuple[str, int | None, set[int]]] = {}
    for p, paras in enumerate(old, start=1):
        r = rng.random()
        if r < 0.03:
            for i in range(len(paras)):
                fate[(p, i)] = ("deleted", None, set())
            continue
        if r < 0.08:
            new.append([f"{FILLER} (Insert {p}.)"])
        page: list[str] = []
        new_page = len(new) + 1
        for i, text in enumerate(paras):
            r2 = rng.random()
            words = text.split(" ")
            if r2 < 0.05:
                fate[(p, i)] = ("deleted", None, set())
                continue
            if r2 < 0.17 and len(words) > 3:
                k = rng.randrange(len(words))
                op = rng.choice(("replace", "delete", "insert"))
                if op == "replace":
                    words[k] = rng.choice(("significantly", "the", "regional", "reported", "2026"))
                elif op == "delete":
                    del words[k]
                else:
                    words.insert(k, rng.choice(("also", "newly", "partly", "still")))
                fate[(p, i)] = ("edited", new_page, {k})
                page.append(" ".join(words))
                continue
            fate[(p, i)] = ("kept", new_page, set())
            page.append(text)
        if page:
            new.append(page)
        else:
            # every paragraph of the page went: its text went with it
            for i in range(len(paras)):
                if fate[(p, i)][0] != "deleted":
                    fate[(p, i)] = ("deleted", None, set())
    return old, new, fate


def _as_text(pages: list[list[str]]) -> str:
    return "\f".join("\n\n".join(paras) for paras in pages)


def run() -> dict[str, float]:
    from vlr_tools.annotations import Annotation, anchor_quote, relocate
    from vlr_tools.documents import draft_from_text

    rng = random.Random(SEED)
    old_pages, new_pages, fate = synthesise(rng)
    old_draft = draft_from_text(_as_text(old_pages), title="Synthetic old draft", lang="en")
    started = time.perf_counter()
    new_draft = draft_from_text(_as_text(new_pages), title="Synthetic revised draft", lang="en")
    ingest_s = time.perf_counter() - started

    # Annotations quote random word spans of random paragraphs of the old draft.
    candidates = [
        (p, i)
        for p, paras in enumerate(old_pages, start=1)
        for i, t in enumerate(paras)
        if len(t) >= 60 and len(t.split(" ")) >= 8
    ]
    annotations: list[Annotation] = []
    expected: list[tuple[str, int | None]] = []
    while len(annotations) < ANNOTATIONS:
        p, i = rng.choice(candidates)
        words = old_pages[p - 1][i].split(" ")
        n = rng.randint(5, 25)
        w0 = rng.randrange(0, max(1, len(words) - n))
        quote = " ".join(words[w0 : w0 + n])
        if not 30 <= len(quote) <= 160:
            continue
        try:
            found = anchor_quote(old_draft, p, quote)
        except Exception:
            continue  # the plain-text reader split this paragraph differently
        annotations.append(
            Annotation(
                id=f"an-{len(annotations):012x}",
                review_id="bench",
                page=found.page,
                paragraph=found.paragraph,
                quote=found.quote,
                prefix=found.prefix,
                suffix=found.suffix,
                start=found.start,
                end=found.end,
                kind="question",
                comment="benchmark",
                position=found.position,
            )
        )
        what, new_page, edited = fate[(p, i)]
        if what == "deleted":
            expected.append(("not_found", None))
        elif what == "edited" and any(w0 <= k < w0 + n for k in edited):
            expected.append(("found_changed", new_page))
        else:
            expected.append(("found_unchanged", new_page))

    started = time.perf_counter()
    results = relocate(annotations, new_draft)
    reanchor_s = time.perf_counter() - started

    outcomes = Counter(r.located.outcome for r in results)
    right = sum(
        1
        for r, (outcome, page) in zip(results, expected, strict=True)
        if r.located.outcome == outcome and (page is None or r.located.page == page)
    )
    found_expected = [(r, e) for r, e in zip(results, expected, strict=True) if e[1] is not None]
    found_right_page = sum(1 for r, (_o, page) in found_expected if r.located.page == page)

    # Writing carried annotations costs one committed workspace save each.
    from vlr_tools.annotations import carry_over
    from vlr_tools.annotations.model import ANNOTATION_KIND
    from vlr_tools.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp) / "ws", reviewer="Benchmark (fictional)")
        old_id = ws.create_review("bench", version="v1").id
        new_id = ws.create_review("bench", version="v2").id
        for a in annotations[:WORKSPACE_SAMPLE]:
            ws.put(old_id, ANNOTATION_KIND, a.id, a.to_data())
        started = time.perf_counter()
        carry_over(ws, old_id, new_id, new_draft)
        carry_s = time.perf_counter() - started
        ws.close()

    return {
        "old_draft_pages": old_draft.page_count,
        "new_draft_pages": new_draft.page_count,
        "annotations": len(annotations),
        "reanchor_1000_s": round(reanchor_s, 3),
        "reanchor_per_annotation_ms": round(1000 * reanchor_s / len(annotations), 3),
        "found_unchanged_count": outcomes.get("found_unchanged", 0),
        "found_changed_count": outcomes.get("found_changed", 0),
        "not_found_count": outcomes.get("not_found", 0),
        "expected_outcome_and_page_pct": round(100 * right / len(annotations), 1),
        "found_on_expected_page_pct": round(
            100 * found_right_page / max(1, len(found_expected)), 1
        ),
        "expected_not_found_count": sum(1 for e in expected if e[0] == "not_found"),
        "expected_changed_count": sum(1 for e in expected if e[0] == "found_changed"),
        "ingest_new_draft_s": round(ingest_s, 3),
        "carry_over_200_with_workspace_s": round(carry_s, 3),
        "target_reanchor_1000_s": 5.0,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
