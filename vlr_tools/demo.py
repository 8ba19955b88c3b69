"""The workshop demo: a complete scripted review of both sample cities, then every memo.

``vlr demo`` (and ``./scripts/demo``) calls :func:`run_demo`. It builds a fresh
demo workspace under the output folder, then for each illustrative sample city:

1. creates the review(s) with two fictional reviewers;
2. imports the city's consultation log (personal data stays in the
   workspace; memos leave it out);
3. maps the draft to the SDGs and records a few reviewer decisions;
4. runs the checklist pre-checks and applies the scripted ratings of
   ``data/cities/<slug>/demo_review.yaml`` (or, without that file, confirms
   the pre-check suggestions as a reviewer would);
5. checks the draft's figures against its indicator table and confirms the
   inconsistencies the city's answer key says were planted (the others stay
   open, as a reviewer would leave them for later);
6. adds the scripted passage annotations;
7. for San Fernando, reviews v1, then carries the v1 recommendations over to
   the v2 review and marks what v2 addressed;

and finally writes 16 memo files: 2 cities x 2 languages x 4 formats, named
like ``exports/santa-rosa/santa-rosa-v1-review-memo-en.pdf``. Everything runs
offline; everything it shows is illustrative sample data and says so.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import MemoError, VlrError
from .i18n import LANGUAGES
from .paths import EXPORTS_DIR

#: The sample cities the demo reviews, with the draft versions in review order.
DEMO_CITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("santa-rosa", ("v1",)),
    ("san-fernando", ("v1", "v2")),
)
#: Fictional reviewers used when a city's demo_review.yaml names none (the
#: sample scripts use the same names).
DEMO_REVIEWERS: tuple[str, ...] = (
    "Reviewer A (CYO, illustrative)",
    "Reviewer B (CYO, illustrative)",
)
#: Folder (under the output folder) that holds the demo workspace.
WORKSPACE_FOLDER = "demo-workspace"
#: File that marks a folder as a demo workspace this module may replace.
MARKER = ".vlr-demo-workspace"

Log = Callable[[str], None]


@dataclass(frozen=True)
class DemoResult:
    """What the demo wrote."""

    workspace: Path
    files: tuple[Path, ...]
    reviews: dict[str, str] = field(default_factory=dict)
    #: The response sheets written beside the memos (one per city and language).
    sheets: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0


def run_demo(
    out_dir: str | Path = EXPORTS_DIR,
    progress: Log | None = None,
    *,
    formats: tuple[str, ...] | None = None,
    langs: tuple[str, ...] = LANGUAGES,
) -> DemoResult:
    """Run the scripted review of both sample cities and write their memos.

    ``progress(text)`` receives one line per step (the CLI prints them; a
    notebook can feed a progress bar). The demo workspace
    ``<out_dir>/demo-workspace`` is replaced on every run.
    """
    from .memo import build_memo
    from .memo.render import FORMATS, render_memo
    from .memo.static import warm_up
    from .responses import response_sheet_name, write_response_sheet
    from .workspace import open_workspace

    started = time.perf_counter()
    log = progress or (lambda text: None)
    out = Path(out_dir)
    formats = formats or FORMATS
    # Load the chart picture libraries while the reviews are scripted.
    threading.Thread(target=warm_up, name="vlr-chart-warm-up", daemon=True).start()
    ws_dir = fresh_workspace_dir(out / WORKSPACE_FOLDER)
    ws = open_workspace(ws_dir, reviewer=DEMO_REVIEWERS[0])
    warnings: list[str] = []
    reviews: dict[str, str] = {}
    try:
        cities = [slug for slug, _ in DEMO_CITIES]
        for n, (slug, versions) in enumerate(DEMO_CITIES, start=1):
            log(f"[{n}/{len(cities)}] {slug}: scripted review of {', '.join(versions)}")
            reviews[slug] = review_city(ws, slug, versions, log, warnings)
        files: list[Path] = []
        sheets: list[Path] = []
        for slug in cities:
            for lang in langs:
                log(f"memo: {slug} ({lang})")
                rv = ws.review(reviews[slug])
                name = response_sheet_name(ws, rv.id, lang)
                memo = build_memo(ws, rv.id, lang, response_sheet=name)
                results = render_memo(
                    memo,
                    formats,
                    out / slug,
                    progress=lambda step, done, total: log(f"  [{done}/{total}] {step}"),
                )
                for r in results:
                    files.append(r.path)
                    warnings += [w for w in r.warnings if w not in warnings]
                sheet = write_response_sheet(ws, rv.id, out / slug, lang)
                if sheet is not None:
                    sheets.append(sheet.path)
                    log(f"  response sheet: {sheet.path.name}")
    finally:
        ws.close()
    seconds = time.perf_counter() - started
    log(f"done in {seconds:.0f} s")
    return DemoResult(
        workspace=ws_dir,
        files=tuple(files),
        sheets=tuple(sheets),
        reviews=reviews,
        warnings=tuple(warnings),
        seconds=seconds,
    )


def fresh_workspace_dir(path: Path) -> Path:
    """An empty folder for the demo workspace, replacing an earlier demo's.

    A folder that exists, is not empty and was not made by the demo is left
    alone: the demo refuses rather than delete someone's work.
    """
    if path.exists():
        if not path.is_dir():
            raise MemoError(
                f"{path} exists and is not a folder; move it away or choose another --out"
            )
        if any(path.iterdir()) and not (path / MARKER).exists():
            raise MemoError(
                f"{path} holds files the demo did not make; move it away or choose another --out"
            )
        shutil.rmtree(path)
    path.mkdir(parents=True)
    (path / MARKER).write_text(
        "This folder is the workspace of 'vlr demo'; the next demo run replaces it.\n",
        encoding="utf-8",
    )
    return path


def demo_script(slug: str) -> dict[str, Any]:
    """The city's ``demo_review.yaml`` as a mapping ({} when the city has none)."""
    from .checklist.scripted import demo_review_path

    path = demo_review_path(slug)
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def review_city(
    ws: Any, slug: str, versions: tuple[str, ...], log: Log, problems: list[str]
) -> str:
    """Script the review of each draft version; return the id of the last review.

    A step that fails (e.g. reference data missing) is logged, added to
    ``problems`` and skipped, so the memos are still written and say what
    they lack.
    """
    from .cities import load_city
    from .intake import add_sample_city, start_sample_review

    city = load_city(slug)
    script = demo_script(slug)
    named = script.get("reviewers")
    reviewers = tuple(str(v) for v in named.values()) if isinstance(named, dict) else DEMO_REVIEWERS
    previous: str | None = None
    review_id = ""
    # The sample city comes in through the same intake a reviewer uses for a
    # real city: its profile and draft files, then per review its tables.
    add_sample_city(ws, slug, reviewer=reviewers[0])
    log(f"  city {slug}: profile and drafts {', '.join(versions)} stored in the workspace")
    for version in versions:
        rv = start_sample_review(
            ws, slug, version, reviewers=reviewers, template="full", reviewer=reviewers[0]
        )
        review_id = rv.id
        log(f"  review {rv.id} ({version}) by {', '.join(reviewers)}")
        steps: list[tuple[str, Callable[..., str], tuple[Any, ...]]] = [
            ("consultation log", import_consultations, (ws, rv.id, city)),
            ("SDG mapping", map_draft, (ws, rv.id, city, version)),
            ("checklist", rate_checklist, (ws, rv.id, city, version, reviewers, previous)),
            ("figures", check_figures, (ws, rv.id, city, version, reviewers)),
            ("annotations", annotate, (ws, rv.id, city, version, previous, reviewers)),
        ]
        for name, action, args in steps:
            started = time.perf_counter()
            try:
                summary = action(*args)
            except VlrError as exc:
                # A trainer still gets every memo; each says what it lacks, and
                # the run ends with this problem listed.
                first = str(exc).splitlines()[0]
                summary = f"FAILED: {first}"
                problems.append(f"{slug} {version}, {name}: {' '.join(str(exc).split())}")
            log(f"    {name}: {summary} ({time.perf_counter() - started:.1f} s)")
        previous = rv.id
    return review_id


# -- the steps. Each uses the feature module that owns the job. -------------------


def import_consultations(ws: Any, review_id: str, city: Any) -> str:
    """Report the consultation log and indicator table the intake imported into the review."""
    from .consultations import load_consultations, load_participants
    from .review import stored_indicators

    consultations = load_consultations(ws, review_id)
    table = stored_indicators(ws, review_id)
    return (
        f"{len(consultations)} consultations, {len(load_participants(ws, review_id))} "
        "participants imported (personal data stays in the workspace); "
        f"{len(table) if table is not None else 0} indicators"
    )


#: How many of the strongest suggested mappings the scripted reviewer accepts.
ACCEPTED_MAPPINGS = 3


def map_draft(ws: Any, review_id: str, city: Any, version: str) -> str:
    """Map the draft to the SDGs and record a few reviewer decisions.

    The scripted reviewer accepts the strongest target-level suggestion of the
    first few body paragraphs that have one, as a reviewer checking the
    mapping would; every memo then applies these decisions.
    """
    from .coverage import decide
    from .review import open_review

    mapping = open_review(ws, review_id).map(save=True)
    decided = 0
    for para in mapping.paragraphs:
        if decided >= ACCEPTED_MAPPINGS:
            break
        best = max((m for m in para.matches if m.target), key=lambda m: m.score, default=None)
        if para.kind == "heading" or best is None:
            continue
        decide(
            ws,
            review_id,
            para.ref,
            best.goal,
            best.target,
            "accept",
            note="Checked against the paragraph (scripted demo).",
        )
        decided += 1
    mapped = len(mapping.mapped())
    return f"{mapped} paragraphs mapped; {decided} suggestions accepted by the reviewer"


def rate_checklist(
    ws: Any,
    review_id: str,
    city: Any,
    version: str,
    reviewers: tuple[str, ...],
    previous: str | None = None,
) -> str:
    """Rate the checklist: the city's scripted review, else the confirmed pre-checks.

    The scripted review (``demo_review.yaml``) also carries the earlier
    draft's recommendations over and marks what the new draft addressed.
    """
    from .checklist import apply_scripted_review, carry_over, combined_suggestion, precheck, rate
    from .checklist.scripted import demo_review_path

    scripted = demo_review_path(city.slug)
    script = demo_script(city.slug)
    if version in (script.get("reviews") or {}):
        counts = apply_scripted_review(ws, review_id, scripted, old_review_id=previous)
        done = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        return f"scripted review from {scripted.name}: {done}"
    suggestions = precheck(ws, city.slug, version, review_id=review_id)
    ids = list(dict.fromkeys(s.criterion_id for s in suggestions))
    for cid in ids:
        s = combined_suggestion(suggestions, cid)
        if s is None:
            continue
        rate(
            ws,
            review_id,
            cid,
            s.rating,
            pages=s.pages,
            comment=s.reason_en,
            recommendation=""
            if s.rating == "met"
            else f"Address this in the next draft: {s.reason_en}",
            priority="high" if s.rating == "not_met" else "medium",
            reviewer=reviewers[0],
            suggested=s.rating,
        )
    carried = ""
    if previous is not None:
        carried = (
            f"; {len(carry_over(ws, previous, review_id, reviewer=reviewers[0]))} carried over"
        )
    return f"{len(ids)} criteria rated from the confirmed pre-check suggestions{carried}"


def check_figures(
    ws: Any, review_id: str, city: Any, version: str, reviewers: tuple[str, ...]
) -> str:
    """Check the figures against the indicator table; confirm the planted inconsistencies."""
    from .claims import decide_claim, read_claims
    from .claims.scoring import active_claims, matches
    from .review import open_review

    report = read_claims(open_review(ws, review_id), save=True, reviewer=reviewers[0])
    planted = [k for k in active_claims(city, version) if k.planted]
    confirmed = 0
    for check in report.checks:
        if any(matches(check, k, version) for k in planted):
            decide_claim(
                ws,
                review_id,
                check.id,
                "confirmed",
                note="Checked against the indicator table (scripted demo).",
                reviewer=reviewers[-1],
                report=report,
            )
            confirmed += 1
    return (
        f"{len(report.claims)} claims read, {len(report.checks)} suggestions, {confirmed} confirmed"
    )


#: How many passages the scripted reviewer annotates per draft.
ANNOTATED_PASSAGES = 4


def annotate(
    ws: Any,
    review_id: str,
    city: Any,
    version: str,
    previous: str | None,
    reviewers: tuple[str, ...] = DEMO_REVIEWERS,
) -> str:
    """Annotate passages of the draft, and carry the earlier draft's comments over.

    Uses the annotations module's own scripted demo when it has one;
    otherwise the scripted reviewer comments on the passages the city's
    answer key cites as evidence (phrases known to be on those pages).
    """
    from . import annotations as ann_pkg
    from .annotations import carry as ann_carry
    from .annotations import store as ann_store

    apply = getattr(ann_pkg, "apply_scripted", None)
    script_path = getattr(ann_pkg, "demo_annotations_path", lambda slug: None)(city.slug)
    if apply is not None and script_path is not None and Path(script_path).is_file():
        return str(apply(ws, review_id, city.slug, version, previous_review_id=previous))
    from .cities import load_review_key

    draft = ann_store.draft_for_review(ws, review_id)
    carried = ""
    previous_version = ws.review(previous).version if previous is not None else None
    if previous is not None:
        report = ann_carry.carry_over(ws, previous, review_id, draft, reviewer=reviewers[0])
        counts = report["outcome"].value_counts().to_dict() if len(report) else {}
        carried = "; carried over: " + (
            ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(counts.items())) or "none"
        )
    made = 0
    for weakness in load_review_key(city):
        if made >= ANNOTATED_PASSAGES:
            break
        if previous_version and weakness.evidence_for(previous_version) is not None:
            continue  # commented on the earlier draft: carried over above
        evidence = weakness.evidence_for(version)
        if evidence is None or not evidence.present:
            continue
        for page in evidence.pages:
            try:
                ann_store.annotate(
                    ws,
                    review_id,
                    draft,
                    page=page,
                    quote=evidence.present[0],
                    comment=weakness.summary,
                    kind="missing_evidence",
                    criterion=weakness.criteria[0],
                    reviewer=reviewers[made % len(reviewers)],
                )
            except VlrError:
                continue  # the phrase is on another of the pages cited
            made += 1
            break
    return f"{made} passages annotated{carried}"


__all__ = ["DEMO_CITIES", "DEMO_REVIEWERS", "DemoResult", "run_demo"]
