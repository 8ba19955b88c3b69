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
5. adds the scripted passage annotations;
6. for San Fernando, reviews v1, then carries the v1 recommendations over to
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

from .errors import MemoError
from .i18n import LANGUAGES
from .paths import CITIES_DIR, EXPORTS_DIR

#: The sample cities the demo reviews, with the draft versions in review order.
DEMO_CITIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("santa-rosa", ("v1",)),
    ("san-fernando", ("v1", "v2")),
)
#: Fictional reviewers used when a city's demo_review.yaml names none.
DEMO_REVIEWERS: tuple[str, ...] = ("Hana Demo", "Paolo Demo")
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
    from .workspace import open_workspace

    started = time.perf_counter()
    log = progress or (lambda text: None)
    out = Path(out_dir)
    formats = formats or FORMATS
    # Start the chart browser while the reviews are scripted: it takes seconds.
    threading.Thread(target=warm_up, name="vlr-chart-warm-up", daemon=True).start()
    ws_dir = fresh_workspace_dir(out / WORKSPACE_FOLDER)
    ws = open_workspace(ws_dir, reviewer=DEMO_REVIEWERS[0])
    warnings: list[str] = []
    reviews: dict[str, str] = {}
    try:
        cities = [slug for slug, _ in DEMO_CITIES]
        for n, (slug, versions) in enumerate(DEMO_CITIES, start=1):
            log(f"[{n}/{len(cities)}] {slug}: scripted review of {', '.join(versions)}")
            reviews[slug] = review_city(ws, slug, versions, log)
        files: list[Path] = []
        for slug in cities:
            for lang in langs:
                log(f"memo: {slug} ({lang})")
                memo = build_memo(ws, reviews[slug], lang)
                results = render_memo(
                    memo,
                    formats,
                    out / slug,
                    progress=lambda step, done, total: log(f"  [{done}/{total}] {step}"),
                )
                for r in results:
                    files.append(r.path)
                    warnings += [w for w in r.warnings if w not in warnings]
    finally:
        ws.close()
    seconds = time.perf_counter() - started
    log(f"done in {seconds:.0f} s")
    return DemoResult(
        workspace=ws_dir,
        files=tuple(files),
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
    path = CITIES_DIR / slug / "demo_review.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data if isinstance(data, dict) else {}


def review_city(ws: Any, slug: str, versions: tuple[str, ...], log: Log) -> str:
    """Script the review of each draft version; return the id of the last review."""
    from .cities import load_city

    city = load_city(slug)
    script = demo_script(slug)
    reviewers = tuple(script.get("reviewers") or DEMO_REVIEWERS)
    previous: str | None = None
    review_id = ""
    for version in versions:
        rv = ws.create_review(
            city=slug,
            version=version,
            reviewers=reviewers,
            template=str(script.get("template") or "full"),
            title=f"{city.name} Voluntary Local Review, draft {version} (illustrative sample)",
            settings={"hlpf_year": city.hlpf_year, "illustrative": True},
            reviewer=reviewers[0],
        )
        review_id = rv.id
        log(f"  review {rv.id} ({version}) by {', '.join(reviewers)}")
        steps: list[tuple[str, Callable[..., str], tuple[Any, ...]]] = [
            ("consultation log", import_consultations, (ws, rv.id, city)),
            ("SDG mapping", map_draft, (ws, rv.id, city, version)),
            ("checklist", rate_checklist, (ws, rv.id, city, version, reviewers)),
        ]
        if previous is not None:
            steps.append(
                (
                    f"carry-over from {previous}",
                    carry_over,
                    (ws, previous, rv.id, city, version, reviewers),
                )
            )
        steps.append(("annotations", annotate, (ws, rv.id, city, version)))
        for name, action, args in steps:
            started = time.perf_counter()
            summary = action(*args)
            log(f"    {name}: {summary} ({time.perf_counter() - started:.1f} s)")
        previous = rv.id
    return review_id


# -- the steps. Each uses the feature module that owns the job. -------------------


def import_consultations(ws: Any, review_id: str, city: Any) -> str:
    """Import the city's consultation log into the review."""
    # TODO(consultations): call the consultations module's workspace import
    # once it exposes one (issue 7).
    return "skipped: the consultations module has no workspace import yet"


def map_draft(ws: Any, review_id: str, city: Any, version: str) -> str:
    """Map the draft and record a few reviewer decisions."""
    # TODO(mapping): map the draft and store decisions once the mapping
    # module lands (issue 5).
    return "skipped: the mapping module is not available yet"


def rate_checklist(
    ws: Any, review_id: str, city: Any, version: str, reviewers: tuple[str, ...]
) -> str:
    """Rate the checklist: scripted ratings if the city has them, else confirmed pre-checks."""
    from . import checklist as checklist_pkg

    scripted = CITIES_DIR / city.slug / "demo_review.yaml"
    apply = getattr(checklist_pkg, "apply_scripted_review", None)
    if apply is not None and scripted.is_file():
        apply(ws, review_id, scripted)
        return f"scripted ratings from {scripted.name}"
    from .checklist.precheck import combined_suggestion, precheck
    from .checklist.ratings import rate

    suggestions = precheck(ws, city.slug, version, review_id=review_id)
    ids = list(dict.fromkeys(s.criterion_id for s in suggestions))
    for cid in ids:
        s = combined_suggestion(suggestions, cid)
        if s is None:
            continue
        recommendation = "" if s.rating == "met" else _recommendation_from(s.reason_en)
        rate(
            ws,
            review_id,
            cid,
            s.rating,
            pages=s.pages,
            comment=s.reason_en,
            recommendation=recommendation,
            priority="high" if s.rating == "not_met" else "medium",
            reviewer=reviewers[0],
            suggested=s.rating,
        )
    return f"{len(ids)} criteria rated from the confirmed pre-check suggestions"


def _recommendation_from(reason: str) -> str:
    return f"Address this finding in the next draft: {reason}"


def carry_over(
    ws: Any, old_id: str, new_id: str, city: Any, version: str, reviewers: tuple[str, ...]
) -> str:
    """Carry the earlier review's recommendations over and mark what the new draft did."""
    from .checklist.versions import carry_over as carry

    items = carry(ws, old_id, new_id, reviewer=reviewers[0])
    # TODO(checklist): the scripted addressed/partly/not marks come with
    # demo_review.yaml (apply_scripted_review); nothing is marked without it.
    return f"{len(items)} recommendations carried over"


def annotate(ws: Any, review_id: str, city: Any, version: str) -> str:
    """Add the scripted passage annotations."""
    # TODO(annotations): annotations.apply_scripted(...) once issue 10 lands.
    return "skipped: the annotations module is not available yet"


__all__ = ["DEMO_CITIES", "DEMO_REVIEWERS", "DemoResult", "run_demo"]
