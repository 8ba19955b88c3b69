"""Workspace speed: saving one rating, bulk saves, and loading a review with 10,000 changes.

Targets (issue 4): saving one rating has a median under 20 ms on SQLite;
loading a review with 10,000 recorded changes (its records plus the history
DataFrame) takes under 1 s. Bulk saves (``put_many``, issue 7's imports):
20,000 consultation-sized items into a fresh review, the same batch again
(nothing changes, nothing written), and the batch with every other item
changed. The same figures are measured on PostgreSQL when
VLR_TEST_DATABASE_URL is set (``export VLR_TEST_DATABASE_URL=$(scripts/pg start)``).

Run: .venv/bin/python benchmarks/run.py workspace
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

SAVES = 300
BULK = 20_000
RECORDS = 2_000
CHANGES_PER_RECORD = 5  # 2,000 items x 5 changes = 10,000 history entries
REVIEWERS = ("A. Reviewer (fictional)", "B. Reviewer (fictional)")


def _save_times(ws, review_id: str) -> list[float]:
    """Milliseconds per save of one rating over an existing value (the common case)."""
    times = []
    versions: dict[str, int] = {}
    for i in range(SAVES + 30):
        key = f"{'ABCDEFGH'[i % 8]}{i % 5 + 1}"
        data = {"score": ("yes", "partly", "no")[i % 3], "comment": f"note {i}", "pages": [i % 40]}
        started = time.perf_counter()
        rec = ws.put(review_id, "rating", key, data, expected_version=versions.get(key, 0))
        elapsed = (time.perf_counter() - started) * 1000
        versions[key] = rec.version
        if i >= 30:  # the first saves warm up caches and the connection pool
            times.append(elapsed)
    return times


def _bulk_items(changed: bool = False) -> list[tuple[str, dict]]:
    """BULK illustrative consultation-like records (about 25 fields each)."""
    items = []
    for i in range(BULK):
        data = {
            "record_id": f"B-{i:06d}",
            "date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "title": f"Barangay consultation {i % 97} (illustrative)",
            "venue": f"Barangay hall {i % 59}",
            "format": "fgd",
            "organiser": "CPDO",
            "groups": ["women", "youth"] if i % 2 else ["fisherfolk", "pwd"],
            "total": 11 + i % 55,
            "male": 5 + i % 30,
            "female": 6 + i % 25,
            "youth": i % 5,
            "seniors": i % 4,
            "pwd_present": bool(i % 7),
            "ip_present": False,
            "language": "Filipino; English",
            "sdgs": [1 + i % 17],
            "targets": ["11.6"],
            "issues": "Flooding; jobs; water",
            "response": "Reflected in chapter 4" if i % 11 else "",
            "iap2": "consult",
            "consent": "Written consent",
            "evidence": f"https://example.org/evidence/{i}",
            "notes": "",
        }
        if changed and i % 2:
            data["response"] = "Reflected in chapter 5"
        items.append((data["record_id"], data))
    return items


def _bulk_times(ws, review_id: str) -> dict[str, float]:
    """Seconds for put_many of BULK items: fresh, unchanged again, half changed."""
    times = {}
    for name, items in (
        ("fresh", _bulk_items()),
        ("unchanged", _bulk_items()),
        ("half_changed", _bulk_items(changed=True)),
    ):
        started = time.perf_counter()
        saved = ws.put_many(review_id, "consultation", items)
        times[name] = time.perf_counter() - started
        assert len(saved) == BULK
    assert len(saved.updated) == BULK // 2
    return times


def _big_bundle(folder: Path) -> Path:
    """A bundle of one review with 2,000 items and 10,000 history entries."""
    from vlr_tools.workspace.bundle import write_bundle
    from vlr_tools.workspace.model import HistoryEntry, Record, Review

    start = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)
    review_id = f"bench-{uuid.uuid4().hex[:8]}"
    review = Review(
        id=review_id,
        city="santa-rosa",
        document="draft",
        version="v1",
        title="Benchmark review (illustrative)",
        reviewers=REVIEWERS,
        status="in_review",
        template="full",
        settings={},
        revision=1,
        created_at=start,
        created_by=REVIEWERS[0],
        updated_at=start,
        updated_by=REVIEWERS[0],
    )
    records, history = [], []
    tick = 0
    for n in range(RECORDS):
        key = f"item-{n:05d}"
        old = None
        for version in range(1, CHANGES_PER_RECORD + 1):
            tick += 1
            new = {"score": ("yes", "partly", "no")[version % 3], "comment": f"change {version}"}
            history.append(
                HistoryEntry(
                    id=tick,
                    review_id=review_id,
                    kind="rating",
                    key=key,
                    action="create" if old is None else "update",
                    old=old,
                    new=new,
                    version=version,
                    who=REVIEWERS[version % 2],
                    at=start + timedelta(seconds=tick),
                )
            )
            old = new
        last = history[-1]
        records.append(
            Record(review_id, "rating", key, last.new or {}, last.version, last.who, last.at)
        )
    return write_bundle(
        folder / "big.zip",
        review,
        records,
        history,
        created_by=REVIEWERS[0],
        schema_revision="0001",
    )


def _measure(location: str, folder: Path, bundle: Path, prefix: str) -> dict[str, float]:
    from vlr_tools.workspace import open_workspace

    figures: dict[str, float] = {}
    ws = open_workspace(location, reviewer=REVIEWERS[0])
    review = ws.create_review("santa-rosa", review_id=f"save-{uuid.uuid4().hex[:8]}")
    times = _save_times(ws, review.id)
    figures[f"{prefix}_save_rating_ms_median"] = round(statistics.median(times), 2)
    figures[f"{prefix}_save_rating_ms_p95"] = round(statistics.quantiles(times, n=20)[18], 2)

    bulk = _bulk_times(ws, ws.create_review("santa-rosa", title="Bulk benchmark").id)
    figures[f"{prefix}_put_many_20k_fresh_s"] = round(bulk["fresh"], 2)
    figures[f"{prefix}_put_many_items_per_s"] = round(BULK / bulk["fresh"])
    figures[f"{prefix}_put_many_20k_unchanged_s"] = round(bulk["unchanged"], 2)
    figures[f"{prefix}_put_many_20k_half_changed_s"] = round(bulk["half_changed"], 2)

    started = time.perf_counter()
    big = ws.import_bundle(bundle)
    figures[f"{prefix}_import_10k_changes_s"] = round(time.perf_counter() - started, 3)
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        records = ws.records(big.id)
        history = ws.history(big.id)
        loads.append(time.perf_counter() - started)
        assert len(records) == RECORDS and len(history) == RECORDS * CHANGES_PER_RECORD + 1
    figures[f"{prefix}_load_review_10k_changes_s"] = round(statistics.median(loads), 3)
    started = time.perf_counter()
    ws.export_bundle(big.id, folder / f"{prefix}-export.zip")
    figures[f"{prefix}_export_10k_changes_s"] = round(time.perf_counter() - started, 3)
    ws.close()
    return figures


def run() -> dict[str, float]:
    """Measure on SQLite, and on PostgreSQL when VLR_TEST_DATABASE_URL is set."""
    with tempfile.TemporaryDirectory(prefix="vlr-bench-") as tmp:
        folder = Path(tmp)
        bundle = _big_bundle(folder)
        figures = _measure(str(folder / "ws"), folder, bundle, "sqlite")
        base = os.environ.get("VLR_TEST_DATABASE_URL")
        if base:
            import sqlalchemy as sa
            from sqlalchemy.engine import make_url

            schema = f"vlrbench_{uuid.uuid4().hex[:8]}"
            admin = sa.create_engine(base)
            with admin.begin() as conn:
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
            try:
                url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
                location = url.render_as_string(hide_password=False)
                figures.update(_measure(location, folder, bundle, "postgresql"))
            finally:
                with admin.begin() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                admin.dispose()
    return figures


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value}")
