"""How fast a city's draft is taken into a workspace, and a real-city memo is built.

Targets (issue 13): ``vlr draft add`` of a 300-page PDF, including ingestion,
under 5 s and at most 3x the bare text extraction, measured in one run; the
memo of a real-city review as fast as a sample city's. Also measured: opening
the review's draft again from the reading the review keeps, against reading
the file again, and the size of that kept reading.

Run: .venv/bin/python benchmarks/run.py intake
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAGES = 300


def _big_pdf(path: Path) -> Path:
    """A 300-page two-column draft with headings (made once, with WeasyPrint)."""
    import weasyprint

    body = []
    for n in range(1, PAGES + 1):
        body.append(
            f"<h2>Section {n}: water, housing and livelihoods</h2><div class='c'>"
            + "".join(
                f"<p>Paragraph {k} of section {n}: households with safely managed drinking "
                "water, flooding in low-lying barangays, solid waste collection and the "
                "recycling rate, women's and youth groups consulted in every district.</p>"
                for k in range(1, 7)
            )
            + "</div>"
        )
    html = (
        "<html><head><style>@page{size:A4;margin:2cm} .c{column-count:2} "
        "h2{break-before:page}</style></head><body>" + "".join(body) + "</body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(str(path))
    return path


def run() -> dict[str, float]:
    import pypdfium2 as pdfium

    from vlr_tools import review as review_mod
    from vlr_tools.intake import add_city, add_draft, start_review, start_sample_review
    from vlr_tools.memo import build_memo
    from vlr_tools.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = _big_pdf(folder / "draft-300.pdf")

        started = time.perf_counter()
        doc = pdfium.PdfDocument(str(pdf))
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        doc.close()
        bare = time.perf_counter() - started

        ws = open_workspace(folder / "ws", reviewer="Benchmark")
        add_city(ws, "bench-city", "Bench City", country="Philippines")
        review_mod._DRAFTS.clear()  # no cached reading: the whole intake is timed
        started = time.perf_counter()
        add_draft(ws, "bench-city", pdf, version="v1")
        intake = time.perf_counter() - started

        real = start_review(ws, "bench-city", "v1", map_now=True, precheck_now=False).review
        # Opening the review again in a new process: from the reading the review kept,
        # against reading the file once more.
        from vlr_tools.documents import load_draft
        from vlr_tools.review import READING_KIND, open_review

        started = time.perf_counter()
        load_draft(pdf)
        reread = time.perf_counter() - started
        review_mod._DRAFTS.clear()
        started = time.perf_counter()
        kept_draft = open_review(ws, real.id).draft
        reopen = time.perf_counter() - started
        stored = ws.find_draft("bench-city", "v1")
        kept = ws.get(real.id, READING_KIND, stored.text_source)
        kept_kb = len(json.dumps(kept.data).encode("utf-8")) / 1024
        assert kept_draft.page_count == PAGES
        sample = start_sample_review(ws, "santa-rosa", "v1", map_now=True)
        # The same draft and tables as Santa Rosa's, taken in as a real city: the memo of
        # a real city's review must not be slower than a sample's of the same size.
        from vlr_tools.cities import sample_city
        from vlr_tools.intake import import_consultations, import_indicators

        files = sample_city("santa-rosa")
        add_city(ws, "twin-city", "Twin City", country="Philippines")
        add_draft(ws, "twin-city", files.draft("v1").pdf, version="v1")
        twin = start_review(ws, "twin-city", "v1", map_now=True, precheck_now=False).review
        import_indicators(ws, twin.id, files.indicators_path)
        import_consultations(ws, twin.id, files.consultations_path, accept_valid=True)
        timings = {}
        for name, rid in (
            ("real_city_300p", real.id),
            ("real_city_same_draft", twin.id),
            ("sample_city", sample.id),
        ):
            build_memo(ws, rid, "en")  # warm: charts' libraries, framework
            started = time.perf_counter()
            build_memo(ws, rid, "en")
            timings[name] = time.perf_counter() - started
        ws.close()
    return {
        "pages": PAGES,
        "bare_text_extraction_s": round(bare, 2),
        "draft_add_s": round(intake, 2),
        "draft_add_over_bare_x": round(intake / bare, 2),
        "target_draft_add_under_5s": intake < 5.0,
        "memo_real_city_300p_s": round(timings["real_city_300p"], 2),
        "memo_real_city_same_draft_s": round(timings["real_city_same_draft"], 2),
        "memo_sample_city_s": round(timings["sample_city"], 2),
        "read_file_again_s": round(reread, 2),
        "open_review_from_kept_reading_s": round(reopen, 2),
        "kept_reading_kb": round(kept_kb),
    }
