"""The review workspace: durability, conflicts, history, bundles and bad input.

Most tests run twice, on SQLite and on PostgreSQL. The PostgreSQL runs use
the server named by VLR_TEST_DATABASE_URL (``scripts/pg start``), each test in
a fresh schema of its own. Without that variable they are skipped, unless CI
or VLR_REQUIRE_POSTGRES is set: then they fail, so CI cannot pass silently
without PostgreSQL.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vlr_tools import paths
from vlr_tools.cli import main
from vlr_tools.errors import (
    BundleError,
    ConflictError,
    UnknownReviewError,
    WorkspaceError,
    WorkspaceValueError,
)
from vlr_tools.workspace import (
    BUNDLE_FORMAT_VERSION,
    HISTORY_COLUMNS,
    Record,
    Review,
    describe_conflict,
    open_workspace,
    read_bundle,
    resolve_location,
    saved_note,
)
from vlr_tools.workspace.schema import TABLES

PROJECT_DIR = Path(__file__).resolve().parent.parent
ALICE = "A. Reviewer (fictional)"
BOB = "B. Reviewer (fictional)"


# -- backends ------------------------------------------------------------------


def _postgres_base_url() -> str:
    url = os.environ.get("VLR_TEST_DATABASE_URL")
    if url:
        return url
    if os.environ.get("CI") or os.environ.get("VLR_REQUIRE_POSTGRES"):
        pytest.fail(
            "VLR_TEST_DATABASE_URL is not set, but CI/VLR_REQUIRE_POSTGRES requires the "
            "PostgreSQL workspace tests: run `export VLR_TEST_DATABASE_URL=$(scripts/pg start)`"
        )
    pytest.skip("PostgreSQL tests need VLR_TEST_DATABASE_URL (export it from `scripts/pg start`)")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request) -> str:
    return request.param


@pytest.fixture
def new_location(backend, tmp_path):
    """Make fresh, empty workspace locations of the backend under test."""
    schemas: list[str] = []
    admin: list[sa.Engine] = []

    def make(name: str = "ws") -> str:
        if backend == "sqlite":
            return str(tmp_path / f"{name}-{uuid.uuid4().hex[:6]}")
        base = _postgres_base_url()
        if not admin:
            admin.append(sa.create_engine(base))
        schema = f"vlrtest_{uuid.uuid4().hex[:12]}"
        with admin[0].begin() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    yield make
    if admin:
        with admin[0].begin() as conn:
            for schema in schemas:
                conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin[0].dispose()


@pytest.fixture
def location(new_location) -> str:
    return new_location()


@pytest.fixture
def ws(location):
    workspace = open_workspace(location, reviewer=ALICE, busy_timeout=5)
    yield workspace
    workspace.close()


@pytest.fixture
def review(ws) -> Review:
    return ws.create_review(
        city="santa-rosa",
        document="draft",
        version="v1",
        reviewers=(ALICE, BOB),
        title="Santa Rosa VLR draft v1 (illustrative)",
    )


def raw_engine(location: str) -> sa.Engine:
    """A plain engine on the same database, bypassing the workspace code."""
    target = resolve_location(location)
    if isinstance(target, Path):
        return sa.create_engine(f"sqlite:///{target}")
    return sa.create_engine(target)


def table_counts(location: str, tables: tuple[str, ...] = TABLES) -> dict[str, int]:
    """Rows in each workspace table (every table of the schema by default)."""
    engine = raw_engine(location)
    try:
        with engine.connect() as conn:
            return {
                t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one() for t in tables
            }
    finally:
        engine.dispose()


def comparable(entries) -> list[tuple]:
    """History rows without the database ids, for comparing two workspaces."""
    return [(e.kind, e.key, e.action, e.old, e.new, e.version, e.who, e.at) for e in entries]


# -- opening ---------------------------------------------------------------------


def test_folder_file_and_default_locations(tmp_path, monkeypatch):
    assert resolve_location(tmp_path) == tmp_path / "workspace.sqlite"
    assert resolve_location(tmp_path / "new-folder") == tmp_path / "new-folder" / "workspace.sqlite"
    assert resolve_location(tmp_path / "team.sqlite") == tmp_path / "team.sqlite"
    monkeypatch.delenv("VLR_DATABASE_URL", raising=False)
    assert resolve_location(None) == paths.WORKSPACE_DIR / "workspace.sqlite"
    monkeypatch.setenv("VLR_DATABASE_URL", f"sqlite:///{tmp_path}/env.sqlite")
    assert resolve_location(None) == tmp_path / "env.sqlite"
    monkeypatch.setenv("VLR_DATABASE_URL", "postgresql://u:pw@db.example:5433/vlr")
    url = resolve_location(None)
    assert not isinstance(url, Path)
    assert url.drivername == "postgresql+psycopg" and url.host == "db.example"


def test_sqlite_runs_wal_with_full_sync(tmp_path):
    ws = open_workspace(tmp_path / "ws", reviewer=ALICE)
    facts = ws.info()
    assert ws.path == tmp_path / "ws" / "workspace.sqlite"
    assert facts["journal_mode"] == "wal"
    assert facts["synchronous"] == "FULL"
    assert facts["schema_revision"] == ws.schema_revision == "0003"
    assert facts["access"].startswith("no checks")
    ws.close()
    # A plain sqlite3 connection sees WAL persisted in the file itself.
    with sqlite3.connect(tmp_path / "ws" / "workspace.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_schema_in_code_matches_migrations(ws, location):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from vlr_tools.workspace.schema import metadata

    engine = raw_engine(location)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_a_workspace_of_the_first_schema_is_upgraded_keeping_everything(location):
    """A workspace made before cities and drafts were stored (schema 0001) gains the
    cities, blobs and drafts tables when opened; its reviews and records are kept."""
    from vlr_tools.intake import add_city

    ws = open_workspace(location, reviewer=ALICE)
    rv = ws.create_review("santa-rosa", version="v1", reviewers=(ALICE,))
    ws.put(rv.id, "rating", "A1", {"score": "yes"})
    ws.close()
    # Back to what revision 0001 made: 0002 only adds these three tables.
    engine = raw_engine(location)
    with engine.begin() as conn:
        _back_to_0002(conn)
        for table in ("drafts", "blobs", "cities"):
            conn.exec_driver_sql(f"DROP TABLE {table}")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    with engine.connect() as conn:
        assert not set(sa.inspect(conn).get_table_names()) & {"cities", "blobs", "drafts"}
    before = table_counts(location, ("reviews", "records", "history", "imports"))

    ws = open_workspace(location, reviewer=ALICE)
    try:
        assert ws.schema_revision == "0003"
        assert ws.review(rv.id) == rv and ws.get(rv.id, "rating", "A1").data == {"score": "yes"}
        new_tables = {"cities": 0, "blobs": 0, "drafts": 0, "team": 0, "review_members": 0}
        assert table_counts(location) == {**before, **new_tables}
        add_city(ws, "baguio", name="Baguio City", country="Philippines")
        assert ws.city("baguio").name == "Baguio City"
    finally:
        ws.close()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "0003"
    engine.dispose()


def _back_to_0002(conn: sa.Connection) -> None:
    """Undo revision 0003 by hand: its two tables and, on PostgreSQL, its access rules."""
    # On PostgreSQL the policies that read review_members go with it (CASCADE).
    cascade = " CASCADE" if conn.dialect.name == "postgresql" else ""
    conn.exec_driver_sql(f"DROP TABLE review_members{cascade}")
    conn.exec_driver_sql("DROP TABLE team")
    if conn.dialect.name == "postgresql":
        for function in (
            "vlr_guard_reviews()",
            "vlr_review_started()",
            "vlr_guard_records()",
            "vlr_guard_history()",
            "vlr_guard_members()",
            "vlr_may_write(text, text, text, text)",
            "vlr_review_role(text, text)",
            "vlr_team_role(text)",
        ):
            conn.exec_driver_sql(f"DROP FUNCTION {function} CASCADE")
        for table in ("reviews", "records", "history"):
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0002'")


def test_a_workspace_of_schema_0002_gains_the_team_tables_and_keeps_everything(location):
    """Revision 0003 adds the team tables (and on PostgreSQL the access rules) to a
    workspace in use; its reviews, records and history stay, and its owner keeps
    writing as before, with the names the client gives."""
    ws = open_workspace(location, reviewer=ALICE)
    rv = ws.create_review("santa-rosa", version="v1", reviewers=(ALICE, BOB))
    ws.put(rv.id, "rating", "A1", {"score": "yes"})
    ws.close()
    engine = raw_engine(location)
    with engine.begin() as conn:
        _back_to_0002(conn)
    before = table_counts(location, ("reviews", "records", "history", "cities", "drafts"))
    ws = open_workspace(location, reviewer=BOB)
    try:
        assert ws.schema_revision == "0003"
        assert table_counts(location) == {
            **before,
            "imports": 0,
            "blobs": 0,
            "team": 0,
            "review_members": 0,
        }
        assert ws.put(rv.id, "rating", "A1", {"score": "no"}).updated_by == BOB
        assert ws.update_review(rv.id, status="final").updated_by == BOB
        assert [h.who for h in ws.history_entries(rv.id)][-2:] == [BOB, BOB]
        assert ws.team_role is None and ws.members(rv.id) == []
    finally:
        ws.close()
    engine.dispose()


def test_reopening_keeps_everything(location):
    ws = open_workspace(location, reviewer=ALICE)
    rv = ws.create_review("san-fernando", version="v2", reviewers=(ALICE,))
    ws.put(rv.id, "rating", "A1", {"score": "partly", "comment": "Barangay data missing"})
    ws.close()
    again = open_workspace(location)
    assert again.review(rv.id) == rv
    assert again.get(rv.id, "rating", "A1").data["comment"] == "Barangay data missing"
    again.close()


def test_two_processes_opening_a_new_workspace_at_once(new_location):
    location = new_location()
    errors: list[BaseException] = []

    def opener():
        try:
            open_workspace(location, reviewer=ALICE).close()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=opener) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert table_counts(location)["reviews"] == 0


# -- records, versions, history ------------------------------------------------------


def test_put_get_update_delete_and_history(ws, review):
    first = ws.put(review.id, "rating", "A1", {"score": "partly"})
    assert (first.version, first.updated_by, first.deleted) == (1, ALICE, False)
    second = ws.put(review.id, "rating", "A1", {"score": "yes"}, expected_version=1, reviewer=BOB)
    assert (second.version, second.updated_by) == (2, BOB)
    assert ws.get(review.id, "rating", "A1") == second
    ws.put(review.id, "rating", "B2", {"score": "no"})
    ws.put(review.id, "comment", "A1", {"text": "日本語のコメント"})
    assert [r.key for r in ws.records(review.id, "rating")] == ["A1", "B2"]
    assert len(ws.records(review.id)) == 3

    marker = ws.delete(review.id, "rating", "B2", expected_version=1)
    assert marker is not None and marker.deleted and marker.version == 2
    assert ws.get(review.id, "rating", "B2") is None
    assert ws.delete(review.id, "rating", "B2") is None  # nothing left to delete
    assert [r.key for r in ws.records(review.id, "rating")] == ["A1"]
    assert [r.key for r in ws.records(review.id, "rating", include_deleted=True)] == ["A1", "B2"]

    frame = ws.history(review.id, kind="rating")
    assert list(frame.columns) == HISTORY_COLUMNS
    assert list(frame["action"]) == ["create", "update", "create", "delete"]
    assert list(frame["who"]) == [ALICE, BOB, ALICE, ALICE]
    assert frame["when"].is_monotonic_increasing
    assert str(frame["when"].dt.tz) == "UTC"
    a1 = ws.history(review.id, kind="rating", key="A1")
    assert list(a1["old"]) == [None, {"score": "partly"}]
    assert list(a1["new"]) == [{"score": "partly"}, {"score": "yes"}]
    b2 = ws.history(review.id, kind="rating", key="B2")
    assert list(b2["old"]) == [None, {"score": "no"}]
    assert list(b2["new"]) == [{"score": "no"}, None]


def test_history_is_complete_and_chained(ws, review):
    values = [{"n": i} for i in range(6)]
    for value in values:
        ws.put(review.id, "rating", "C1", value)
    ws.delete(review.id, "rating", "C1")
    ws.put(review.id, "rating", "C1", {"n": "again"}, expected_version=0)
    entries = ws.history_entries(review.id, "rating", "C1")
    assert [e.version for e in entries] == list(range(1, 9))
    assert [e.action for e in entries] == ["create"] + ["update"] * 5 + ["delete", "create"]
    # Every row's old value is the previous row's new value: no change is missing.
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.old == before.new
    assert [e.new for e in entries[:6]] == values


def test_history_is_append_only_in_the_database(ws, review, location):
    ws.put(review.id, "rating", "A1", {"score": "yes"})
    before = ws.history_entries(review.id)
    engine = raw_engine(location)
    for statement in ("UPDATE history SET who = 'someone else'", "DELETE FROM history"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql(statement)
    engine.dispose()
    assert ws.history_entries(review.id) == before


def test_review_changes_are_versioned_with_history(ws, review):
    updated = ws.update_review(review.id, expected_version=1, status="in_review", reviewer=BOB)
    assert (updated.revision, updated.status, updated.updated_by) == (2, "in_review", BOB)
    assert ws.update_review(review.id, status="in_review") == updated  # no change, no write
    with pytest.raises(ConflictError) as info:
        ws.update_review(review.id, expected_version=1, status="final")
    assert info.value.current == updated
    assert BOB in str(info.value)
    final = ws.resolve_conflict(info.value, "mine")
    assert isinstance(final, Review) and final.status == "final" and final.revision == 3
    frame = ws.history(review.id, kind="review")
    assert list(frame["action"]) == ["create", "update", "update"]
    assert list(frame["new"])[1:] == [{"status": "in_review"}, {"status": "final"}]
    assert list(frame["old"])[1:] == [{"status": "open"}, {"status": "in_review"}]
    with pytest.raises(WorkspaceValueError, match="allowed: open, in_review, final, archived"):
        ws.update_review(review.id, status="done")
    with pytest.raises(WorkspaceValueError, match="cannot be changed"):
        ws.update_review(review.id, created_by="me")


def test_reviews_listing_and_lookup(ws):
    a = ws.create_review("santa-rosa", version="v1")
    b = ws.create_review("san-fernando", version="v1")
    c = ws.create_review("san-fernando", version="v2")
    assert a.reviewers == (ALICE,)  # defaults to the one who created it
    assert [r.id for r in ws.reviews()] == [a.id, b.id, c.id]
    assert [r.id for r in ws.reviews("san-fernando")] == [b.id, c.id]
    assert ws.find_review("san-fernando").id == c.id
    assert ws.find_review("san-fernando", "v1").id == b.id
    assert ws.find_review("nowhere") is None
    with pytest.raises(UnknownReviewError, match="no review 'nope'"):
        ws.review("nope")
    with pytest.raises(WorkspaceValueError, match="already exists"):
        ws.create_review("santa-rosa", review_id=a.id)


# -- batches (put_many) ------------------------------------------------------------------

BATCH = 1_200  # more than two read chunks of put_many


def _state(ws, review):
    """Everything stored for a review: records (deleted ones too) and history."""
    return ws.records(review.id, include_deleted=True), ws.history_entries(review.id)


def _consultation(i: int, **extra) -> dict:
    return {"title": f"Barangay FGD {i} (illustrative)", "groups": ["women", "youth"], **extra}


def test_put_many_writes_a_batch_with_one_history_row_per_item(ws, review, location):
    items = [(f"C-{i:05d}", _consultation(i)) for i in range(BATCH)]
    saved = ws.put_many(review.id, "consultation", items)
    keys = [key for key, _ in items]
    assert saved.created == tuple(keys) and saved.updated == saved.unchanged == ()
    assert len(saved) == BATCH and [r.key for r in saved] == keys
    assert all(r.version == 1 and r.updated_by == ALICE and not r.deleted for r in saved)
    assert saved[7].data == _consultation(7)
    stored = ws.records(review.id, "consultation")
    assert [(r.key, r.data, r.version) for r in stored] == [(k, d, 1) for k, d in items]
    assert ws.get(review.id, "consultation", "C-00007") == saved[7]
    history = ws.history_entries(review.id, "consultation")
    assert [(h.key, h.action, h.old, h.new, h.version, h.who) for h in history] == [
        (k, "create", None, d, 1, ALICE) for k, d in items
    ]
    assert table_counts(location)["history"] == BATCH + 1  # + the review's own row

    # Running the very same batch again writes nothing at all.
    before = _state(ws, review)
    again = ws.put_many(review.id, "consultation", dict(items))
    assert again.unchanged == tuple(keys) and again.created == again.updated == ()
    assert list(again) == stored
    assert _state(ws, review) == before


def test_put_many_mixes_new_changed_unchanged_and_deleted_items(ws, review):
    rid = review.id
    ws.put_many(rid, "consultation", [(f"C-{i:05d}", _consultation(i)) for i in range(BATCH)])
    ws.delete(rid, "consultation", "C-00002")  # version 2, deleted
    history_before = len(ws.history_entries(rid))
    changed = {
        f"C-{i:05d}": _consultation(i, response="Reflected in ch. 4") for i in range(0, BATCH, 3)
    }
    unchanged = {f"C-{i:05d}": _consultation(i) for i in range(1, BATCH, 3)}
    new = {f"N-{i:03d}": _consultation(i) for i in range(40)}
    # Same value with its keys in another order: equal, so unchanged as with put.
    reordered = {
        "C-00004": {"groups": ["women", "youth"], "title": "Barangay FGD 4 (illustrative)"}
    }
    batch = {**new, **changed, **unchanged, **reordered, "C-00002": _consultation(2, note="again")}
    saved = ws.put_many(rid, "consultation", batch, reviewer=BOB)
    assert set(saved.created) == set(new) | {"C-00002"}
    assert set(saved.updated) == set(changed)
    assert set(saved.unchanged) == set(unchanged) | set(reordered)
    assert [r.key for r in saved] == list(batch)  # records in the order given
    by_key = {r.key: r for r in saved}
    assert by_key["C-00000"].version == 2 and by_key["C-00000"].updated_by == BOB
    assert by_key["C-00001"].version == 1 and by_key["C-00001"].updated_by == ALICE
    assert by_key["C-00002"].version == 3  # versions keep counting through a delete
    assert by_key["N-000"].version == 1
    for key, record in by_key.items():
        assert ws.get(rid, "consultation", key) == record

    added = ws.history_entries(rid)[history_before:]
    assert len(added) == len(new) + len(changed) + 1  # nothing for unchanged items
    rows = {h.key: h for h in added}
    assert (rows["C-00003"].action, rows["C-00003"].version) == ("update", 2)
    assert rows["C-00003"].old == _consultation(3)
    assert rows["C-00003"].new == changed["C-00003"]
    assert (rows["C-00002"].action, rows["C-00002"].old, rows["C-00002"].version) == (
        "create",
        None,
        3,
    )
    assert all(h.who == BOB for h in added)
    # The whole chain of one item is intact: every old value is the previous new one.
    chain = ws.history_entries(rid, "consultation", "C-00000")
    assert [h.action for h in chain] == ["create", "update"]
    assert chain[1].old == chain[0].new


def test_put_many_conflict_in_the_middle_writes_nothing(ws, review):
    rid = review.id
    first = ws.put_many(rid, "rating", {f"K{i:04d}": {"score": "partly"} for i in range(BATCH)})
    ws.put(rid, "rating", "K0600", {"score": "yes"}, reviewer=BOB)  # BOB got there first
    before = _state(ws, review)
    batch = [("NEW-1", {"score": "no"})]
    batch += [(f"K{i:04d}", {"score": "no", "i": i}) for i in range(BATCH)]
    batch += [("NEW-2", {"score": "no"})]
    versions = {r.key: r.version for r in first}  # what ALICE read: all version 1
    with pytest.raises(ConflictError) as info:
        ws.put_many(rid, "rating", batch, expected_versions=versions)
    err = info.value
    assert err.current.key == "K0600" and err.current.updated_by == BOB
    assert err.current.data == {"score": "yes"} and err.attempted == {"score": "no", "i": 600}
    message = str(err)
    assert "rating 'K0600'" in message and BOB in message
    assert f"whole batch of {BATCH + 2} rating items was refused: nothing was saved" in message
    assert _state(ws, review) == before
    assert ws.get(rid, "rating", "NEW-1") is None and ws.get(rid, "rating", "NEW-2") is None

    # "Must not exist yet" (0) and a version of an item never saved are refused alike.
    with pytest.raises(ConflictError, match="'K0005'.*already created it"):
        ws.put_many(rid, "rating", [("NEW-1", {}), ("K0005", {})], expected_versions={"K0005": 0})
    with pytest.raises(WorkspaceValueError, match="'NEW-9'.*never been saved.*nothing was saved"):
        ws.put_many(rid, "rating", {"K0001": {}, "NEW-9": {}}, expected_versions={"NEW-9": 2})
    assert _state(ws, review) == before

    # With the versions now read, the same batch goes through in one piece.
    versions["K0600"] = 2
    saved = ws.put_many(rid, "rating", batch, expected_versions=versions)
    assert len(saved.updated) == BATCH and len(saved.created) == 2
    assert ws.get(rid, "rating", "K0600").data == {"score": "no", "i": 600}


def test_put_many_is_one_transaction_even_when_the_database_fails(ws, review, monkeypatch):
    rid = review.id
    ws.put_many(rid, "rating", {f"K{i}": {"score": "partly"} for i in range(10)})
    before = _state(ws, review)
    batch = {**{f"K{i}": {"score": "yes"} for i in range(10)}, "NEW": {"score": "no"}}

    def broken(*args, **kwargs):  # the updates fail after the inserts were sent
        raise WorkspaceError("disk full (simulated)")

    monkeypatch.setattr(type(ws), "_swap_many", broken)
    with pytest.raises(WorkspaceError, match="simulated"):
        ws.put_many(rid, "rating", batch)
    assert _state(ws, review) == before
    assert ws.get(rid, "rating", "NEW") is None
    monkeypatch.undo()
    assert len(ws.put_many(rid, "rating", batch).updated) == 10


def test_put_many_refuses_bad_items_naming_them(ws, review):
    rid = review.id
    ws.put(rid, "rating", "A1", {"score": "yes"})
    before = _state(ws, review)
    bad = [
        ([("A1", {}), ("B2", {}), ("", {})], "batch item 3: record key ''"),
        ([("A1", {}), ("B2", {"x": float("nan")})], "batch item 2: rating 'B2'.*not NaN"),
        ([("A1", {}), ("B2", ["yes"])], "batch item 2: rating 'B2': data must be a mapping"),
        ([("A1", {}), "B2"], "batch item 2: expected a \\(key, data\\) pair"),
        ([("B2", {}), ("C3", {}), ("B2", {})], "batch item 3: rating 'B2' is already item 1"),
        ("A1", "must be a mapping of key to data or \\(key, data\\) pairs"),
    ]
    for items, expected in bad:
        with pytest.raises(WorkspaceValueError, match=expected) as info:
            ws.put_many(rid, "rating", items)
        assert "saved" in str(info.value)
    with pytest.raises(WorkspaceValueError, match="record kind 'Rating'"):
        ws.put_many(rid, "Rating", {"A1": {}})
    with pytest.raises(WorkspaceValueError, match="not in the batch \\('Z9'\\)"):
        ws.put_many(rid, "rating", {"A1": {}}, expected_versions={"Z9": 1})
    with pytest.raises(WorkspaceValueError, match="rating 'A1': expected_version must be"):
        ws.put_many(rid, "rating", {"A1": {}}, expected_versions={"A1": -1})
    with pytest.raises(UnknownReviewError, match="no review 'ghost'"):
        ws.put_many("ghost", "rating", {"A1": {"score": "yes"}})
    assert _state(ws, review) == before
    # An empty batch is fine and writes nothing; tuples are stored as lists, as with put.
    assert len(ws.put_many(rid, "rating", [])) == 0
    assert ws.put_many(rid, "rating", {"P": {"pages": (1, 2)}})[0].data == {"pages": [1, 2]}


# -- concurrency -------------------------------------------------------------------------


def test_expected_version_rules(ws, review):
    rid = review.id
    ws.put(rid, "rating", "A1", {"score": "partly"}, expected_version=0)
    with pytest.raises(ConflictError, match="already created it"):
        ws.put(rid, "rating", "A1", {"score": "no"}, expected_version=0)
    with pytest.raises(WorkspaceValueError, match="has never been saved"):
        ws.put(rid, "rating", "Z9", {"score": "no"}, expected_version=3)
    # Last writer wins with None, but the overwritten value stays in the history.
    ws.put(rid, "rating", "A1", {"score": "no"}, reviewer=BOB)
    assert ws.history(rid, "rating", "A1")["old"].iloc[-1] == {"score": "partly"}
    # Saving the stored value again writes nothing...
    same = ws.put(rid, "rating", "A1", {"score": "no"}, expected_version=2)
    assert same.version == 2 and len(ws.history(rid, "rating", "A1")) == 2
    # ...but from a stale read it is still a conflict (the value was computed
    # from an outdated version, like a counter incremented twice).
    with pytest.raises(ConflictError):
        ws.put(rid, "rating", "A1", {"score": "no"}, expected_version=1)
    # Versions keep counting through a delete: an old version cannot overwrite.
    ws.delete(rid, "rating", "A1")
    ws.put(rid, "rating", "A1", {"score": "yes"}, expected_version=0)
    with pytest.raises(ConflictError):
        ws.put(rid, "rating", "A1", {"score": "stale"}, expected_version=1)
    assert ws.get(rid, "rating", "A1").version == 4


def test_conflict_names_who_when_and_both_values(ws, review):
    base = ws.put(review.id, "rating", "D3", {"score": "partly"})
    ws.put(review.id, "rating", "D3", {"score": "yes"}, expected_version=base.version, reviewer=BOB)
    with pytest.raises(ConflictError) as info:
        ws.put(review.id, "rating", "D3", {"score": "no"}, expected_version=base.version)
    err = info.value
    assert isinstance(err.current, Record)
    assert (err.current.updated_by, err.current.version, err.current.data) == (
        BOB,
        2,
        {"score": "yes"},
    )
    assert err.attempted == {"score": "no"}
    message = str(err)
    assert BOB in message and '"yes"' in message and '"no"' in message
    assert err.current.updated_at.strftime("%Y-%m-%d %H:%M") in message
    assert "expected_version=2" in message
    # Nothing was written by the refused save.
    assert ws.get(review.id, "rating", "D3").data == {"score": "yes"}

    english, japanese = describe_conflict(err, "en"), describe_conflict(err, "ja")
    assert english.startswith(f"{BOB} changed rating D3") and '"no"' in english
    assert "さんが変更しました" in japanese and BOB in japanese and '"yes"' in japanese
    assert saved_note(err.current, "ja").endswith("さんが保存（バージョン 2）")

    assert ws.resolve_conflict(err, "theirs") == err.current
    merged = ws.resolve_conflict(err, {"score": "no", "note": "after talking to B."})
    assert merged.version == 3 and merged.data["note"] == "after talking to B."
    with pytest.raises(ConflictError):  # the conflict is stale now: a new one, not an overwrite
        ws.resolve_conflict(err, "mine")


def test_two_concurrent_writers_one_conflict_no_lost_update(location, review):
    alice = open_workspace(location, reviewer=ALICE)
    bob = open_workspace(location, reviewer=BOB)
    for round_ in range(5):
        key = f"E{round_}"
        alice.put(review.id, "rating", key, {"score": "partly"})
        start = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def save(ws, name, value, key=key, start=start, outcomes=outcomes):
            seen = ws.get(review.id, "rating", key)
            start.wait()
            try:
                outcomes[name] = ws.put(
                    review.id, "rating", key, {"score": value}, expected_version=seen.version
                )
            except ConflictError as exc:
                outcomes[name] = exc

        threads = [
            threading.Thread(target=save, args=(alice, "alice", "yes")),
            threading.Thread(target=save, args=(bob, "bob", "no")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        conflicts = [v for v in outcomes.values() if isinstance(v, ConflictError)]
        saved = [v for v in outcomes.values() if isinstance(v, Record)]
        assert len(conflicts) == 1 and len(saved) == 1
        stored = alice.get(review.id, "rating", key)
        assert stored.data == saved[0].data and stored.version == 2
        assert conflicts[0].current == stored  # the loser is shown the winner's value
        history = alice.history(review.id, "rating", key)
        assert list(history["new"]) == [{"score": "partly"}, saved[0].data]
    alice.close()
    bob.close()


def test_concurrent_batches_on_the_same_items_lose_nothing(location, review):
    """Two imports over the same keys (some new, in opposite orders) at once."""
    keys = [f"C-{i:04d}" for i in range(600)]
    first = open_workspace(location, reviewer=ALICE)
    first.put_many(review.id, "consultation", {k: {"n": 0} for k in keys[::2]})
    writers = {ALICE: first, BOB: open_workspace(location, reviewer=BOB)}
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(name: str, order: list[str]) -> None:
        start.wait()
        try:
            for round_ in range(3):
                writers[name].put_many(
                    review.id, "consultation", [(k, {"n": round_, "by": name}) for k in order]
                )
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(ALICE, keys)),
        threading.Thread(target=run, args=(BOB, keys[::-1])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for key in (keys[0], keys[1], keys[299], keys[-1]):
        chain = first.history_entries(review.id, "consultation", key)
        # Every batch's change is in the history, chained, with no version twice.
        assert [h.version for h in chain] == list(range(1, len(chain) + 1))
        assert len(chain) == 6 + (key in keys[::2])
        for before, after in zip(chain, chain[1:], strict=False):
            assert after.old == before.new
        assert first.get(review.id, "consultation", key).data == chain[-1].new
    for ws in writers.values():
        ws.close()


def test_read_modify_write_counter_loses_no_update(location, review):
    workers, increments = 4, 8
    alice = open_workspace(location, reviewer=ALICE)
    alice.put(review.id, "tally", "votes", {"n": 0})
    conflicts, errors = [], []

    def work(i):
        ws = open_workspace(location, reviewer=f"Worker {i} (fictional)")
        done = 0
        try:
            while done < increments:
                rec = ws.get(review.id, "tally", "votes")
                try:
                    ws.put(
                        review.id,
                        "tally",
                        "votes",
                        {"n": rec.data["n"] + 1},
                        expected_version=rec.version,
                    )
                    done += 1
                except ConflictError:
                    conflicts.append(i)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        ws.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    final = alice.get(review.id, "tally", "votes")
    assert final.data["n"] == workers * increments
    assert final.version == workers * increments + 1
    assert len(alice.history(review.id, "tally", "votes")) == workers * increments + 1
    alice.close()


def test_different_items_edit_freely_in_parallel(location, review):
    errors = []

    def work(i):
        ws = open_workspace(location, reviewer=f"Reviewer {i} (fictional)")
        try:
            for j in range(10):
                ws.put(review.id, "rating", f"R{i}-{j}", {"score": j}, expected_version=0)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        ws.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ws = open_workspace(location)
    assert len(ws.records(review.id, "rating")) == 40
    assert (ws.history(review.id, "rating")["action"] == "create").sum() == 40
    ws.close()


WRITER = """
import sys
from vlr_tools.workspace import open_workspace
ws = open_workspace(sys.argv[1], reviewer="Writer (fictional)")
for i in range(1_000_000):
    key = f"k{i:06d}"
    ws.put(sys.argv[2], "rating", key, {"i": i, "comment": "x" * 300})
    print(key, flush=True)
"""


@pytest.mark.slow
def test_kill_9_mid_stream_loses_no_committed_save(location, ws, review):
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, location, review.id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=PROJECT_DIR,
        env=env,
    )
    printed = []
    assert proc.stdout is not None
    for line in proc.stdout:
        printed.append(line.strip())
        if len(printed) >= 60:
            break
    os.kill(proc.pid, signal.SIGKILL)
    rest, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    # Lines already in the pipe were printed after their commit, too.
    printed += [line for line in rest.split("\n")[:-1] if line]
    assert len(printed) >= 60

    again = open_workspace(location, reviewer=ALICE)
    stored = {r.key: r.data for r in again.records(review.id, "rating")}
    missing = [key for key in printed if key not in stored]
    assert missing == []
    assert all(stored[key]["i"] == int(key[1:]) for key in printed)
    assert again.integrity_check() == "ok"
    # The store still takes writes after the crash.
    again.put(review.id, "rating", "after-crash", {"ok": True})
    again.close()
    if again.path is not None:
        with sqlite3.connect(again.path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- bundles ---------------------------------------------------------------------------------


def _fill(ws, review):
    ws.put(review.id, "rating", "A1", {"score": "partly", "pages": [3, 4]})
    ws.put(review.id, "rating", "A1", {"score": "yes", "pages": [3, 4, 12]}, reviewer=BOB)
    ws.put(review.id, "mapping_decision", "p12.3:11.6", {"decision": "accepted", "by": ALICE})
    ws.put(review.id, "comment", "C4", {"text": "協議記録に回答がない。", "float": 0.1 + 0.2})
    ws.put(review.id, "rating", "Z9", {"score": "no"})
    ws.delete(review.id, "rating", "Z9")
    ws.update_review(review.id, status="in_review", settings={"lang": "ja"})


def test_bundle_round_trip_is_lossless(new_location, tmp_path):
    source = open_workspace(new_location("source"), reviewer=ALICE)
    review = source.create_review("santa-rosa", reviewers=(ALICE, BOB), title="Round trip")
    _fill(source, review)
    path = source.export_bundle(review.id, tmp_path)
    assert path == tmp_path / f"{review.id}.zip"

    target = open_workspace(new_location("target"), reviewer="C. Importer (fictional)")
    imported = target.import_bundle(path)
    assert imported == source.review(review.id) == target.review(review.id)
    assert target.records(review.id, include_deleted=True) == source.records(
        review.id, include_deleted=True
    )
    theirs = target.history_entries(review.id)
    assert comparable(theirs[:-1]) == comparable(source.history_entries(review.id))
    note = theirs[-1]
    assert (note.action, note.who, note.new["file"]) == (
        "import",
        "C. Importer (fictional)",
        path.name,
    )
    # Versions carry over: a stale version is still refused after the move.
    with pytest.raises(ConflictError):
        target.put(review.id, "rating", "A1", {"score": "no"}, expected_version=1)
    target.put(review.id, "rating", "Z9", {"score": "back"}, expected_version=0)
    assert target.get(review.id, "rating", "Z9").version == 3


def test_bundle_between_sqlite_and_postgresql(tmp_path):
    base = _postgres_base_url()
    schema = f"vlrtest_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        pg_url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        lite = open_workspace(tmp_path / "lite", reviewer=ALICE)
        review = lite.create_review("san-fernando", version="v2")
        _fill(lite, review)
        shared = open_workspace(pg_url.render_as_string(hide_password=False), reviewer=BOB)
        shared.import_bundle(lite.export_bundle(review.id, tmp_path / "to-pg.zip"))
        assert shared.records(review.id) == lite.records(review.id)
        back = open_workspace(tmp_path / "back", reviewer=ALICE)
        back.import_bundle(shared.export_bundle(review.id, tmp_path / "from-pg.zip"))
        assert back.records(review.id, include_deleted=True) == lite.records(
            review.id, include_deleted=True
        )
        assert comparable(back.history_entries(review.id)[:-2]) == comparable(
            lite.history_entries(review.id)
        )
        shared.close()
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def bundle_setup(new_location, tmp_path):
    """A bundle exported from one workspace, and a second, empty workspace."""
    source = open_workspace(new_location("source"), reviewer=ALICE)
    review = source.create_review("santa-rosa", reviewers=(ALICE,))
    _fill(source, review)
    path = source.export_bundle(review.id, tmp_path / "review.zip")
    target_location = new_location("target")
    target = open_workspace(target_location, reviewer=BOB)
    yield source, review, path, target, target_location
    source.close()
    target.close()


def test_importing_the_same_bundle_twice_is_refused(bundle_setup, tmp_path):
    source, review, path, target, location = bundle_setup
    target.import_bundle(path)
    before = table_counts(location)
    with pytest.raises(BundleError, match="already imported .* by B. Reviewer"):
        target.import_bundle(path)
    copy = tmp_path / "renamed copy.zip"
    copy.write_bytes(path.read_bytes())
    with pytest.raises(BundleError, match="already imported"):
        target.import_bundle(copy)
    # Exported again unchanged (a new bundle id): same content, nothing to import.
    with pytest.raises(BundleError, match="same content"):
        target.import_bundle(source.export_bundle(review.id, tmp_path / "again.zip"))
    assert table_counts(location) == before


def test_bundle_of_a_changed_review_that_exists_here_is_refused(bundle_setup, tmp_path):
    source, review, path, target, location = bundle_setup
    target.import_bundle(path)
    target.put(review.id, "rating", "A1", {"score": "changed here"})
    source.put(review.id, "rating", "B1", {"score": "changed there"})
    newer = source.export_bundle(review.id, tmp_path / "newer.zip")
    before = table_counts(location)
    with pytest.raises(BundleError, match="different content"):
        target.import_bundle(newer)
    assert table_counts(location) == before
    assert target.get(review.id, "rating", "A1").data == {"score": "changed here"}


def _rewrite(path: Path, out: Path, change) -> Path:
    """Copy a bundle, letting ``change(name, bytes)`` alter members."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info.filename, data)
    return out


def test_tampered_bundle_is_refused(bundle_setup, tmp_path):
    source, review, path, target, location = bundle_setup
    before = table_counts(location)

    def edit(name, data):
        if name == "records.jsonl":
            return data.replace(b'"yes"', b'"YES"')  # same size: only the checksum tells
        return data

    tampered = _rewrite(path, tmp_path / "tampered.zip", edit)
    with pytest.raises(BundleError, match="records.jsonl does not match its checksum"):
        target.import_bundle(tampered)
    assert table_counts(location) == before


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_bundle_is_refused(bundle_setup, tmp_path, keep):
    source, review, path, target, location = bundle_setup
    before = table_counts(location)
    data = path.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(BundleError, match="truncated|damaged|incomplete") as info:
        target.import_bundle(cut)
    assert "Nothing was changed" in str(info.value)
    assert table_counts(location) == before


def test_malformed_bundles_are_refused_before_any_write(workspace, tmp_path):
    review = workspace.create_review("santa-rosa")
    _fill(workspace, review)
    good = workspace.export_bundle(review.id, tmp_path / "good.zip")
    other = open_workspace(tmp_path / "other", reviewer=BOB)
    cases = {}

    def manifest_edit(update):
        def change(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            update(manifest)
            return json.dumps(manifest)

        return change

    cases["newer than this vlr-tools"] = manifest_edit(
        lambda m: m.update(format_version=BUNDLE_FORMAT_VERSION + 1)
    )
    cases["not a VLR review bundle"] = manifest_edit(lambda m: m.update(format="other"))
    cases["counts"] = manifest_edit(lambda m: m["counts"].update(records=99))
    cases["incomplete: history.jsonl missing"] = lambda name, data: (
        None if name == "history.jsonl" else data
    )
    cases["no manifest.json"] = lambda name, data: None if name == "manifest.json" else data
    for expected, change in cases.items():
        bad = _rewrite(good, tmp_path / "bad.zip", change)
        with pytest.raises(BundleError, match=expected.replace("(", r"\(")):
            other.import_bundle(bad)

    with zipfile.ZipFile(tmp_path / "extra.zip", "w") as out, zipfile.ZipFile(good) as src:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info.filename))
        out.writestr("evil.html", "<script>alert(1)</script>")
    with pytest.raises(BundleError, match="does not list: evil.html"):
        other.import_bundle(tmp_path / "extra.zip")
    (tmp_path / "notzip.zip").write_text("hello")
    with pytest.raises(BundleError, match="not a zip file"):
        other.import_bundle(tmp_path / "notzip.zip")
    with pytest.raises(BundleError, match="cannot read the file"):
        other.import_bundle(tmp_path / "missing.zip")
    assert other.reviews() == []
    assert other.info()["history"] == 0


def test_read_bundle_describes_without_importing(workspace, tmp_path):
    review = workspace.create_review("santa-rosa")
    _fill(workspace, review)
    bundle = read_bundle(workspace.export_bundle(review.id, tmp_path / "b.zip"))
    assert bundle.review == workspace.review(review.id)
    assert bundle.manifest["counts"] == {
        "records": 4,
        "history": len(bundle.history),
        "drafts": 0,
        "files": 0,
    }
    assert bundle.checksum == hashlib.sha256((tmp_path / "b.zip").read_bytes()).hexdigest()
    with pytest.raises(WorkspaceError, match="already exists"):
        workspace.export_bundle(review.id, tmp_path / "b.zip")
    assert workspace.export_bundle(review.id, tmp_path / "b.zip", overwrite=True).exists()


# -- bundles that carry the city, its draft and its tables -------------------------------


def _docx_draft(path: Path, extra: str = "") -> Path:
    """A two-page DOCX draft VLR of a (fictional) real city."""
    import docx
    from docx.enum.text import WD_BREAK

    doc = docx.Document()
    doc.core_properties.title = "Baguio City Voluntary Local Review (test draft)"
    doc.add_heading("1. Good health and well-being", level=1)
    doc.add_paragraph(
        "Maternal mortality fell between 2018 and 2023. Every barangay health station now "
        "offers prenatal care, and immunization of children reached 91 percent."
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("2. Clean water and sanitation", level=1)
    doc.add_paragraph(
        "Household septage is not yet treated. The water district extends safe drinking "
        "water to upland barangays; the city plans a septage treatment plant. " + extra
    )
    doc.save(str(path))
    return path


def _indicator_csv(path: Path) -> Path:
    from vlr_tools.indicators.table import COLUMNS

    rows = [
        ["BG-01", "Maternal mortality ratio", "Deaths per 100000 live births",
         "per 100000 live births", "3", "3.1.1", "2018", "90", "2023", "72", "70",
         "City Health Office", "None", ""],
        ["BG-02", "Households with safe water", "Share of households", "% of households",
         "6", "6.1.1", "2018", "81", "2023", "88", "100", "Baguio Water District",
         "Barangay", "Upland barangays lag"],
    ]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _city_review(ws, folder: Path) -> tuple[Review, list[Path]]:
    """A real city's review through the intake: profile, DOCX draft, mapping, table, rating."""
    from vlr_tools.checklist.ratings import rate
    from vlr_tools.intake import add_city, add_draft, import_indicators, start_review

    folder.mkdir(parents=True, exist_ok=True)
    draft = _docx_draft(folder / "Baguio-VLR-draft.docx")
    table = _indicator_csv(folder / "baguio-indicators.csv")
    add_city(
        ws,
        "baguio",
        "Baguio City",
        country="Philippines",
        province="Benguet",
        population=366358,
        population_year=2020,
        coastal=False,
        hlpf_year=2026,
    )
    add_draft(ws, "baguio", draft, version="v1", received="2026-03-02")
    started = start_review(
        ws, "baguio", "v1", reviewers=(ALICE, BOB), map_now=True, precheck_now=False
    )
    rid = started.review.id
    import_indicators(ws, rid, table)
    rate(
        ws,
        rid,
        "C4",
        "partly_met",
        pages="2",
        comment="Water access is broken down by barangay; health data are not.",
        recommendation="Disaggregate the health indicators by sex and barangay.",
        priority="high",
        reviewer=ALICE,
    )
    return ws.review(rid), [draft, table]


def _memo_markdown(ws, review_id: str) -> str:
    """The English memo as Markdown, without the lines that change from run to run."""
    import datetime as dt

    from vlr_tools.memo import build_memo, memo_bytes

    memo = build_memo(ws, review_id, "en", generated=dt.date(2026, 4, 1))
    text = memo_bytes(memo, "md").decode("utf-8")
    return "\n".join(line for line in text.splitlines() if "generated" not in line.lower())


def _forget_local_files(monkeypatch, tmp_path: Path, files: list[Path]) -> None:
    """Delete the original files and every cached copy of a draft this process has read."""
    from vlr_tools import review as review_module

    for file in files:
        file.unlink()
    monkeypatch.setenv("VLR_CACHE_DIR", str(tmp_path / "another-machine-cache"))
    monkeypatch.setattr(review_module, "_DRAFTS", {})


@pytest.fixture
def city_bundle(new_location, tmp_path, monkeypatch):
    """A real city's review exported to a bundle, and an empty second workspace."""
    monkeypatch.setenv("VLR_CACHE_DIR", str(tmp_path / "cache"))
    source = open_workspace(new_location("source"), reviewer=ALICE)
    review, originals = _city_review(source, tmp_path / "from-the-city")
    path = source.export_bundle(review.id, tmp_path / "baguio-review.zip")
    target_location = new_location("target")
    target = open_workspace(target_location, reviewer=BOB)
    yield source, review, path, originals, target, target_location
    source.close()
    target.close()


def test_bundle_carries_city_draft_and_tables_for_the_same_memo(city_bundle, tmp_path, monkeypatch):
    source, review, path, originals, target, location = city_bundle
    expected = _memo_markdown(source, review.id)
    # The memo shows the profile, the stored draft (coverage) and the indicator table.
    assert "Baguio City, Benguet, Philippines" in expected and "**Pages:** 2" in expected
    assert "4 of its 4 paragraphs are mapped" in expected and "2 local indicators" in expected
    stored = source.draft_file("baguio", "v1")

    bundle = read_bundle(path)
    assert bundle.format_version == BUNDLE_FORMAT_VERSION == 2
    assert bundle.city is not None and bundle.city.profile == source.city("baguio")
    assert [d.sha256 for d in bundle.drafts] == [stored.sha256]
    assert set(bundle.files) == {stored.sha256}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    assert {"city.json", "drafts.jsonl", f"files/{stored.sha256}"} <= names
    assert f"files/{stored.sha256}" in bundle.manifest["members"]

    # Another machine: no original files, no cached copy, no source workspace.
    received = originals[0].read_bytes()
    profile = source.city("baguio").to_json()
    source.close()
    if source.path is not None:
        shutil.rmtree(source.path.parent)
    _forget_local_files(monkeypatch, tmp_path, originals)
    imported = target.import_bundle(path)
    assert imported == review
    assert target.city("baguio").to_json() == profile
    assert target.draft_file("baguio", "v1") == stored
    assert target.blob(stored.sha256) == received
    assert target.import_notes(review.id) == []
    note = target.history_entries(review.id)[-1].new
    assert (note["city"], note["drafts_added"], note["format_version"]) == ("added", ["v1"], 2)
    assert _memo_markdown(target, review.id) == expected


def test_bundle_keeps_a_different_city_profile_here_and_says_so(
    city_bundle, tmp_path, capsys, monkeypatch
):
    from vlr_tools.intake import add_city

    source, review, path, originals, target, location = city_bundle
    add_city(target, "baguio", "Baguio City", country="Philippines", population=400000,
             population_year=2024)  # fmt: skip
    mine = target.city("baguio").to_json()
    target.import_bundle(path)
    assert target.city("baguio").to_json() == mine  # not overwritten
    (notes,) = target.import_notes(review.id)
    assert "different profile" in notes and "population" in notes and "kept" in notes
    # The draft still arrives: the city was already here.
    assert target.draft_file("baguio", "v1").sha256 == source.draft_file("baguio", "v1").sha256

    if target.backend == "sqlite":  # the command line prints the note
        away = tmp_path / "away"
        other = open_workspace(away, reviewer=BOB)
        add_city(other, "baguio", "Baguio", country="Philippines")
        other.close()
        monkeypatch.setenv("VLR_REVIEWER", BOB)
        assert main(["workspace", "import", str(path), "--workspace", str(away)]) == 0
        captured = capsys.readouterr()
        assert f"imported review {review.id}" in captured.out
        assert "warning: city baguio is already in this workspace with a different" in (
            captured.err
        )


def test_bundle_whose_draft_is_stored_here_as_another_file_is_refused(city_bundle, tmp_path):
    from vlr_tools.intake import add_city, add_draft

    source, review, path, originals, target, location = city_bundle
    add_city(target, "baguio", "Baguio City", country="Philippines")
    other = _docx_draft(tmp_path / "other.docx", extra="A later paragraph.")
    add_draft(target, "baguio", other, version="v1")
    before = table_counts(location)
    with pytest.raises(BundleError, match="draft v1 is stored here as other.docx") as info:
        target.import_bundle(path)
    assert "different file, Baguio-VLR-draft.docx" in str(info.value)
    assert "Nothing was changed" in str(info.value)
    assert table_counts(location) == before
    assert target.reviews() == []


def test_bundle_whose_draft_is_already_here_stores_nothing_twice(city_bundle, tmp_path):
    from vlr_tools.intake import add_city, add_draft

    source, review, path, originals, target, location = city_bundle
    add_city(target, "baguio", "Baguio City", country="Philippines", province="Benguet",
             population=366358, population_year=2020, coastal=False, hlpf_year=2026)  # fmt: skip
    add_draft(target, "baguio", originals[0], version="v1", received="2026-03-02")
    before = table_counts(location)
    target.import_bundle(path)
    after = table_counts(location)
    assert (after["cities"], after["drafts"], after["blobs"]) == (
        before["cities"],
        before["drafts"],
        before["blobs"],
    )
    assert target.import_notes(review.id) == []
    assert target.history_entries(review.id)[-1].new["city"] == "same"


def test_tampered_draft_file_in_a_bundle_is_refused(city_bundle, tmp_path):
    source, review, path, originals, target, location = city_bundle
    before = table_counts(location)
    sha = source.draft_file("baguio", "v1").sha256
    member = f"files/{sha}"

    def flip(data: bytes) -> bytes:
        return data[:100] + bytes([data[100] ^ 1]) + data[101:]  # same size

    def edit_file(name, data):
        return flip(data) if name == member else data

    tampered = _rewrite(path, tmp_path / "tampered.zip", edit_file)
    with pytest.raises(BundleError, match=f"{member} does not match its checksum"):
        target.import_bundle(tampered)

    # Changed, with the manifest updated to match: the name still gives it away.
    with zipfile.ZipFile(path) as archive:
        original = archive.read(member)
    forged_bytes = flip(original)
    forged_sum = hashlib.sha256(forged_bytes).hexdigest()

    def forge(name, data):
        if name == member:
            return forged_bytes
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["members"][member]["sha256"] = forged_sum
            return json.dumps(manifest)
        return data

    forged = _rewrite(path, tmp_path / "forged.zip", forge)
    with pytest.raises(BundleError, match="does not match its name"):
        target.import_bundle(forged)

    # The file left out (and out of the manifest): the draft names a file that is missing.
    def drop(name, data):
        if name == member:
            return None
        if name == "manifest.json":
            manifest = json.loads(data)
            del manifest["members"][member]
            return json.dumps(manifest)
        return data

    dropped = _rewrite(path, tmp_path / "dropped.zip", drop)
    with pytest.raises(BundleError, match=f"incomplete: {member} .named in drafts.jsonl"):
        target.import_bundle(dropped)
    assert table_counts(location) == before
    assert target.cities() == [] and target.reviews() == []


def test_bundle_carries_the_ocr_copy_a_draft_is_read_from(new_location, tmp_path):
    from vlr_tools.intake import add_city
    from vlr_tools.workspace.cities import StoredDraft, sha256_of
    from vlr_tools.workspace.model import now

    scan, searchable = b"%PDF-1.7 scanned pages", b"%PDF-1.7 the same pages, OCR'd"
    draft = StoredDraft(
        city="baguio",
        version="v2",
        sha256=sha256_of(scan),
        filename="scan.pdf",
        format="pdf",
        lang="en",
        title=None,
        received=None,
        info={"size": len(scan), "pages": 2, "ocr_pages": [1, 2]},
        added_at=now(),
        added_by=ALICE,
    )
    source = open_workspace(new_location("source"), reviewer=ALICE)
    add_city(source, "baguio", "Baguio City", country="Philippines")
    stored, _ = source.put_draft(draft, scan, text_content=searchable)
    assert stored.text_sha256 == sha256_of(searchable)
    review = source.create_review("baguio", version="v2")
    path = source.export_bundle(review.id, tmp_path)
    assert set(read_bundle(path).files) == {stored.sha256, stored.text_sha256}

    target = open_workspace(new_location("target"), reviewer=BOB)
    target.import_bundle(path)
    assert target.draft_file("baguio", "v2") == stored
    assert (target.blob(stored.sha256), target.blob(stored.text_sha256)) == (scan, searchable)

    # The same file stored elsewhere without the OCR'd copy: kept as it is, with a note.
    other = open_workspace(new_location("other"), reviewer=BOB)
    add_city(other, "baguio", "Baguio City", country="Philippines")
    other.put_draft(draft, scan)
    other.import_bundle(path)
    assert other.draft_file("baguio", "v2").text_sha256 is None
    (note,) = other.import_notes(review.id)
    assert "same file, but its text was read differently" in note
    for ws in (source, target, other):
        ws.close()


def test_bundle_draft_file_names_cannot_name_folders(workspace, tmp_path):
    from vlr_tools.intake import add_city
    from vlr_tools.workspace.cities import StoredDraft, sha256_of
    from vlr_tools.workspace.model import now

    add_city(workspace, "baguio", "Baguio City")
    data = b"Baguio draft"
    draft = StoredDraft("baguio", "v1", sha256_of(data), "draft.txt", "txt", "en", None, None,
                        {}, now(), ALICE)  # fmt: skip
    workspace.put_draft(draft, data)
    review = workspace.create_review("baguio", version="v1")
    path = workspace.export_bundle(review.id, tmp_path / "b.zip")

    def rename(name, data):
        if name == "drafts.jsonl":
            return data.replace(b'"draft.txt"', b'"../x.txt"')
        if name == "manifest.json":
            manifest = json.loads(data)
            with zipfile.ZipFile(path) as archive:
                changed = archive.read("drafts.jsonl").replace(b'"draft.txt"', b'"../x.txt"')
            manifest["members"]["drafts.jsonl"] = {
                "sha256": hashlib.sha256(changed).hexdigest(),
                "bytes": len(changed),
            }
            return json.dumps(manifest)
        return data

    with pytest.raises(BundleError, match="not a plain file name"):
        read_bundle(_rewrite(path, tmp_path / "renamed.zip", rename))


def _as_version_1(path: Path, out: Path) -> Path:
    """The bundle ``path`` as vlr-tools wrote it before bundles carried cities and drafts."""

    def change(name, data):
        if name in ("city.json", "drafts.jsonl") or name.startswith("files/"):
            return None
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["format_version"] = 1
            manifest["members"] = {
                m: manifest["members"][m] for m in ("review.json", "records.jsonl", "history.jsonl")
            }
            manifest["counts"] = {k: manifest["counts"][k] for k in ("records", "history")}
            return json.dumps(manifest, indent=2)
        return data

    return _rewrite(path, out, change)


def test_version_1_bundle_still_imports(city_bundle, tmp_path):
    source, review, path, originals, target, location = city_bundle
    old = _as_version_1(path, tmp_path / "version-1.zip")
    bundle = read_bundle(old)
    assert (bundle.format_version, bundle.city, bundle.drafts) == (1, None, ())
    assert target.import_bundle(old) == review
    assert target.records(review.id, include_deleted=True) == source.records(
        review.id, include_deleted=True
    )
    assert target.find_city("baguio") is None and target.drafts() == []
    assert target.history_entries(review.id)[-1].new["format_version"] == 1

    # A version-1 manifest that lists the new members is not a version-1 bundle.
    def smuggle(name, data):
        if name == "manifest.json":
            manifest = json.loads(data)
            manifest["members"]["city.json"] = {"sha256": "0" * 64, "bytes": 4}
            return json.dumps(manifest)
        return data

    odd = _rewrite(old, tmp_path / "odd.zip", smuggle)
    with pytest.raises(BundleError, match="lists members a bundle cannot hold: city.json"):
        read_bundle(odd)


def test_bundle_of_a_review_without_city_or_draft_says_what_it_lacks(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VLR_REVIEWER", ALICE)
    home = tmp_path / "home"
    ws = open_workspace(home)
    rv = ws.create_review("nowhere", review_id="nowhere-v1-test")
    ws.close()
    bundle = tmp_path / "nowhere.zip"
    assert main(["workspace", "export", rv.id, str(bundle), "--workspace", str(home)]) == 0
    captured = capsys.readouterr()
    assert "records and history" in captured.out
    assert "no profile of city 'nowhere'" in captured.err
    assert "carries no draft file" in captured.err
    loaded = read_bundle(bundle)
    assert (loaded.city, loaded.drafts, dict(loaded.files)) == (None, (), {})


# -- bad input ---------------------------------------------------------------------------------


def test_newer_schema_is_refused_and_left_alone(location):
    ws = open_workspace(location, reviewer=ALICE)
    rv = ws.create_review("santa-rosa")
    ws.put(rv.id, "rating", "A1", {"score": "yes"})
    ws.close()
    engine = raw_engine(location)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    before = table_counts(location)
    with pytest.raises(
        WorkspaceError, match="newer version of vlr-tools.*9999_future.*nothing was changed"
    ):
        open_workspace(location, reviewer=ALICE)
    with engine.connect() as conn:
        assert (
            conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            == "9999_future"
        )
    engine.dispose()
    assert table_counts(location) == before


def test_unreachable_database_url_names_host_and_hides_password():
    with pytest.raises(WorkspaceError) as info:
        open_workspace("postgresql+psycopg://vlr:Sup3rSecret@127.0.0.1:9/vlr", reviewer=ALICE)
    message = str(info.value)
    assert "127.0.0.1:9" in message and "cannot reach" in message
    assert "Sup3rSecret" not in message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://u:pw@host/db", "cannot hold a workspace"),
        ("postgresql+psycopg2://u:pw@host/db", "not installed"),
        ("sqlite:///:memory:", "in-memory"),
        ("postgresql://u:pw@host:port/db", "not a valid database URL"),
    ],
)
def test_unsupported_urls(url, expected):
    with pytest.raises(WorkspaceError, match=expected) as info:
        open_workspace(url)
    assert ":pw@" not in str(info.value)


def test_corrupt_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"This is a Word document, not a database\x00" * 100)
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="not a SQLite database or is damaged"):
        open_workspace(path, reviewer=ALICE)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.sqlite"]


def test_another_programs_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute("INSERT INTO invoices VALUES (1, 9.5)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(WorkspaceError, match="another program.*invoices"):
        open_workspace(path, reviewer=ALICE)
    assert path.read_bytes() == before  # not even switched to WAL


def test_damaged_pages_give_a_clear_error(tmp_path):
    ws = open_workspace(tmp_path / "ws", reviewer=ALICE)
    rv = ws.create_review("santa-rosa")
    for i in range(300):
        ws.put(rv.id, "rating", f"k{i}", {"text": "x" * 500})
    ws.close()
    path = tmp_path / "ws" / "workspace.sqlite"
    with sqlite3.connect(path) as conn:  # fold the WAL into the file first
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 40] = b"\xff" * (4096 * 37)
    path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceError, match="not a SQLite database or is damaged"):
        again = open_workspace(path, reviewer=ALICE)
        again.records(rv.id)
        again.history(rv.id)


def _probe_without_write_access(target: Path) -> str:
    """Open ``target`` in a child process that may not write there.

    When the tests run as root (as in CI) file modes do not stop root, so the
    forked child drops to the unprivileged user 'nobody' before it tries.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report one line, never return into pytest
        status = 0
        try:
            os.close(read_end)
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            try:
                open_workspace(target, reviewer="R. Only (fictional)")
                message = "OPENED"
            except WorkspaceError as exc:
                message = f"ERROR {exc}"
        except BaseException as exc:
            message, status = f"CRASH {exc!r}", 1
        os.write(write_end, message.encode("utf-8"))
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        output = pipe.read().decode("utf-8")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, output
    return output


@pytest.fixture
def shared_tmp():
    """A folder other users can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="vlr-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o700)
        path.unlink() if path.is_file() else path.rmdir()
    folder.rmdir()


def test_read_only_workspace_file(shared_tmp):
    ws = open_workspace(shared_tmp / "ws", reviewer=ALICE)
    rv = ws.create_review("santa-rosa")
    ws.put(rv.id, "rating", "A1", {"score": "yes"})
    ws.close()
    folder = shared_tmp / "ws"
    for path in folder.iterdir():
        path.chmod(0o444)
    folder.chmod(0o555)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    output = _probe_without_write_access(folder)
    assert output.startswith("ERROR") and "read-only" in output, output
    assert str(folder / "workspace.sqlite") in output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_read_only_folder_for_a_new_workspace(shared_tmp):
    folder = shared_tmp / "locked-folder"
    folder.mkdir()
    folder.chmod(0o555)
    output = _probe_without_write_access(folder)
    assert output.startswith("ERROR") and "read-only" in output, output
    assert list(folder.iterdir()) == []


def test_locked_workspace_waits_then_explains(location, review, ws):
    ws.put(review.id, "rating", "A1", {"score": "partly"})
    impatient = open_workspace(location, reviewer=BOB, busy_timeout=0.3)
    engine = raw_engine(location)
    conn = engine.connect()
    try:
        if impatient.backend == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
            conn.exec_driver_sql("SELECT * FROM records WHERE key = 'A1' FOR UPDATE")
        with pytest.raises(WorkspaceError, match="locked") as info:
            impatient.put(review.id, "rating", "A1", {"score": "no"})
        assert "Nothing was saved" in str(info.value)
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()
    # Once the lock is gone the same save goes through, and nothing was lost.
    assert impatient.put(review.id, "rating", "A1", {"score": "no"}).version == 2
    assert list(ws.history(review.id, "rating", "A1")["new"]) == [
        {"score": "partly"},
        {"score": "no"},
    ]
    impatient.close()


def test_identity_comes_from_argument_env_or_config(tmp_path, monkeypatch):
    monkeypatch.delenv("VLR_REVIEWER", raising=False)
    monkeypatch.delenv("VLR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    ws = open_workspace(tmp_path / "ws")
    assert ws.reviewer is None
    with pytest.raises(WorkspaceError, match="no reviewer name is set.*VLR_REVIEWER") as info:
        ws.create_review("santa-rosa")
    assert str(tmp_path / "config" / "vlr" / "config.yaml") in str(info.value)
    assert ws.reviews() == []  # reading needs no name

    config = tmp_path / "config" / "vlr" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("reviewer: Config Person (fictional)\n", encoding="utf-8")
    rv = ws.create_review("santa-rosa")
    assert rv.created_by == "Config Person (fictional)"
    monkeypatch.setenv("VLR_REVIEWER", "Env Person (fictional)")
    assert ws.put(rv.id, "rating", "A1", {"s": 1}).updated_by == "Env Person (fictional)"
    assert ws.put(rv.id, "rating", "A1", {"s": 2}, reviewer="Arg Person").updated_by == "Arg Person"
    named = open_workspace(tmp_path / "ws", reviewer="Notebook Person")
    assert named.put(rv.id, "rating", "A1", {"s": 3}).updated_by == "Notebook Person"

    monkeypatch.delenv("VLR_REVIEWER")
    config.write_text("reviewer: [not, a, name]\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="'reviewer' must be a name"):
        ws.put(rv.id, "rating", "A1", {"s": 4})
    with pytest.raises(WorkspaceValueError, match="reviewer name"):
        open_workspace(tmp_path / "ws", reviewer="   ")


def test_bad_values_are_refused_with_what_is_allowed(workspace):
    rv = workspace.create_review("santa-rosa")
    bad = [
        (("Rating", "A1", {}), "record kind 'Rating'"),
        (("review", "A1", {}), "reserved"),
        (("rating", "", {}), "record key ''"),
        (("rating", "a\nb", {}), "line breaks"),
        (("rating", "A1", ["yes"]), "must be a mapping"),
        (("rating", "A1", {"x": float("nan")}), "not NaN"),
        (("rating", "A1", {"when": object()}), "ISO text"),
    ]
    for args, expected in bad:
        with pytest.raises(WorkspaceValueError, match=expected):
            workspace.put(rv.id, *args)
    for version in (-1, True, "2"):
        with pytest.raises(WorkspaceValueError, match="expected_version"):
            workspace.put(rv.id, "rating", "A1", {}, expected_version=version)
    with pytest.raises(UnknownReviewError, match="no review 'ghost'"):
        workspace.put("ghost", "rating", "A1", {"score": "yes"})
    with pytest.raises(UnknownReviewError):
        workspace.records("ghost")
    with pytest.raises(WorkspaceValueError, match="review id"):
        workspace.create_review("santa-rosa", review_id="../etc")
    assert workspace.info()["records"] == 0
    # Tuples are stored as JSON lists and come back that way.
    assert workspace.put(rv.id, "rating", "A1", {"pages": (1, 2)}).data == {"pages": [1, 2]}


def test_history_csv_is_spreadsheet_safe(workspace, tmp_path):
    rv = workspace.create_review("santa-rosa")
    workspace.put(rv.id, "rating", '=HYPERLINK("x")', {"text": "=1+1"}, reviewer="@evil")
    path = tmp_path / "history.csv"
    text = workspace.export_history(rv.id, path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["action"] for r in rows] == ["create", "create"]
    assert rows[1]["who"] == "'@evil" and rows[1]["key"].startswith("'=")
    assert json.loads(rows[1]["new"]) == {"text": "=1+1"}


# -- command line ----------------------------------------------------------------------------


def test_cli_info_reviews_history_export_import(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VLR_REVIEWER", ALICE)
    home = tmp_path / "home"
    ws = open_workspace(home)
    rv = ws.create_review("santa-rosa", review_id="sr-v1-test")
    _fill(ws, rv)
    ws.close()

    assert main(["workspace", "info", "--workspace", str(home)]) == 0
    out = capsys.readouterr().out
    assert "journal mode" in out and "wal" in out and ALICE in out

    assert main(["workspace", "reviews", "--workspace", str(home)]) == 0
    assert "sr-v1-test" in capsys.readouterr().out

    assert (
        main(["workspace", "history", "sr-v1-test", "--workspace", str(home), "--kind", "rating"])
        == 0
    )
    out = capsys.readouterr().out
    assert BOB in out and "delete" in out

    assert main(["workspace", "history", "sr-v1-test", "--workspace", str(home), "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(open_workspace(home).history("sr-v1-test"))

    bundle = tmp_path / "sr.zip"
    assert main(["workspace", "export", "sr-v1-test", str(bundle), "--workspace", str(home)]) == 0
    assert bundle.exists()
    assert main(["workspace", "export", "sr-v1-test", str(bundle), "--workspace", str(home)]) == 2
    assert "already exists" in capsys.readouterr().err

    away = str(tmp_path / "away")
    args = ["workspace", "import", str(bundle), "--workspace", away, "--reviewer", BOB]
    assert main(args) == 0
    assert "imported review sr-v1-test" in capsys.readouterr().out
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot import bundle") and "already imported" in err
    assert "Traceback" not in err

    assert main(["workspace", "history", "nope", "--workspace", str(home)]) == 2
    assert "no review 'nope'" in capsys.readouterr().err


def test_cli_whoami_sets_the_name(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("VLR_REVIEWER", raising=False)
    monkeypatch.delenv("VLR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert main(["workspace", "whoami"]) == 1
    assert "whoami --set" in capsys.readouterr().out
    assert main(["workspace", "whoami", "--set", "山田 花子 (fictional)"]) == 0
    capsys.readouterr()
    assert main(["workspace", "whoami"]) == 0
    assert "山田 花子 (fictional)" in capsys.readouterr().out
    ws = open_workspace(tmp_path / "ws")
    assert ws.create_review("santa-rosa").created_by == "山田 花子 (fictional)"


def test_cli_shared_workspace_option():
    import argparse

    from vlr_tools.cli.workspace import add_workspace_option, workspace_from_args

    parser = argparse.ArgumentParser()
    add_workspace_option(parser)
    with tempfile.TemporaryDirectory() as folder:
        args = parser.parse_args(["--workspace", folder, "--reviewer", ALICE])
        ws = workspace_from_args(args)
        assert ws.path == Path(folder) / "workspace.sqlite" and ws.reviewer == ALICE
        ws.close()


def test_cli_new_starts_a_review_and_prints_its_id(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VLR_REVIEWER", ALICE)
    home = str(tmp_path / "home")
    args = ["workspace", "new", "--city", "san-fernando", "--workspace", home, "--no-map"]
    extra = ["--version", "v2", "--reviewers", f"{BOB}, C. Reviewer (CYO, fictional)"]
    assert main([*args, *extra, "--template", "workshop", "--title", "Second look"]) == 0
    captured = capsys.readouterr()
    review_id = captured.out.strip()
    assert review_id.startswith("san-fernando-v2-") and "\n" not in review_id
    assert "warning" not in captured.err and review_id in captured.err
    with open_workspace(home) as ws:
        review = ws.review(review_id)
    assert (review.city, review.version, review.template, review.title) == (
        "san-fernando",
        "v2",
        "workshop",
        "Second look",
    )
    # A comma inside brackets stays in the name; the first name is the lead.
    assert review.reviewers == (BOB, "C. Reviewer (CYO, fictional)")
    assert review.created_by == ALICE

    # Without --reviewers the reviewer saving it reviews it.
    assert main([*args, "--version", "v2"]) == 0
    with open_workspace(home) as ws:
        assert ws.review(capsys.readouterr().out.strip()).reviewers == (ALICE,)

    # A wrong template name fails before anything is saved.
    assert main([*args, "--template", "nope"]) == 2
    assert "no checklist template named 'nope'" in capsys.readouterr().err
    with open_workspace(home) as ws:
        assert len(ws.reviews()) == 2


def test_cli_new_for_a_misspelt_city_suggests_the_close_slug(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VLR_REVIEWER", ALICE)
    home = str(tmp_path / "home")
    assert main(["workspace", "new", "--city", "santa-rossa", "--workspace", home]) == 2
    err = capsys.readouterr().err
    assert "did you mean santa-rosa?" in err and "--city-name" in err
    with open_workspace(home) as ws:
        assert ws.reviews() == [] and ws.cities() == []


def test_cli_new_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        main(["workspace", "new", "--help"])
    out = capsys.readouterr().out
    assert (
        "Example" in out and "vlr workspace new --city santa-rosa" in out and "--reviewers" in out
    )


def _demo_exports(tmp_path, monkeypatch) -> Path:
    """An exports folder holding a demo workspace, as `vlr demo` leaves it."""
    exports = tmp_path / "exports"
    open_workspace(exports / "demo-workspace", reviewer=ALICE).close()
    monkeypatch.setattr(paths, "EXPORTS_DIR", exports)
    return (exports / "demo-workspace").resolve()


def test_unknown_review_points_to_the_demo_workspace(tmp_path, capsys, monkeypatch):
    demo = _demo_exports(tmp_path, monkeypatch)
    home = str(tmp_path / "home")
    for cmd in (["workspace", "history", "nope"], ["checklist", "summary", "nope"]):
        assert main([*cmd, "--workspace", home]) == 2
        err = capsys.readouterr().err
        assert "no review 'nope'" in err
        assert f"the demo's reviews are in the workspace {demo}" in err
        assert f"use --workspace {demo}" in err
    # Run from the project folder, the path is the short one to type.
    monkeypatch.chdir(tmp_path)
    assert main(["workspace", "history", "nope", "--workspace", home]) == 2
    assert "use --workspace exports/demo-workspace" in capsys.readouterr().err
    # Inside the demo workspace itself the hint would only confuse.
    assert main(["workspace", "history", "nope", "--workspace", str(demo)]) == 2
    assert "demo's reviews" not in capsys.readouterr().err


def test_unknown_review_without_a_demo_workspace_has_no_demo_hint(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "EXPORTS_DIR", tmp_path / "exports")
    with open_workspace(tmp_path / "home", reviewer=ALICE) as ws:
        with pytest.raises(UnknownReviewError) as info:
            ws.review("nope")
    assert "demo" not in str(info.value)


def test_the_schema_head_is_read_from_the_migration_files_as_alembic_reads_it(tmp_path):
    """An up-to-date workspace opens without importing alembic (a fast path for short
    commands); the head it compares with must be alembic's own."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from vlr_tools.workspace.database import migration_head
    from vlr_tools.workspace.schema import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert migration_head() == ScriptDirectory.from_config(config).get_current_head()
    # A branch point it cannot read simply: None, and the full check runs instead.
    (tmp_path / "a.py").write_text('revision = "0001"\ndown_revision = None\n')
    (tmp_path / "b.py").write_text('revision = "0002"\ndown_revision = "0001"\n')
    assert migration_head(tmp_path) == "0002"
    (tmp_path / "c.py").write_text('revision = "0003"\ndown_revision = ("0001", "0002")\n')
    assert migration_head(tmp_path) is None
