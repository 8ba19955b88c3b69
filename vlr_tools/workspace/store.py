"""The Workspace: reviews, versioned records, history and bundles in one store."""

from __future__ import annotations

import csv
import io
import json
import os
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .._shared import collector_paused
from ..errors import (
    AccessError,
    BundleError,
    ConflictError,
    UnknownReviewError,
    WorkspaceError,
    WorkspaceValueError,
)
from .bundle import (
    Bundle,
    BundledCity,
    history_to_json,
    read_bundle,
    review_to_json,
    write_bundle,
)
from .cities import CityProfile, CityStore, StoredDraft, draft_from_row
from .database import DEFAULT_BUSY_TIMEOUT, SQLITE_FILENAME, Database
from .identity import (
    NO_IDENTITY_MESSAGE,
    NOTEBOOK_PLACEHOLDERS,
    check_hub_name,
    check_reviewer_name,
    config_path,
    configured_reviewer,
    hub_user,
)
from .model import (
    EDITABLE_REVIEW_FIELDS,
    REVIEW_KIND,
    Dumped,
    HistoryEntry,
    Record,
    Review,
    SavedBatch,
    check_data,
    check_data_text,
    check_expected,
    check_key,
    check_kind,
    check_review_field,
    check_review_id,
    conflict_message,
    dumps,
    iso,
    now,
    slug,
)
from .schema import (
    TEAM_ROLES,
    blobs_table,
    cities_table,
    drafts_table,
    history_from_row,
    history_table,
    imports_table,
    record_from_row,
    records_table,
    review_from_row,
    review_row,
    reviews_table,
)
from .team import TeamStore

if TYPE_CHECKING:
    import pandas as pd

#: Columns of :meth:`Workspace.history`.
HISTORY_COLUMNS = [
    "id",
    "review_id",
    "when",
    "who",
    "kind",
    "key",
    "action",
    "version",
    "old",
    "new",
]
_Item = tuple[str, str, str]  # (review_id, kind, key)
#: Keys or ids per query of put_many (well under the bound-parameter limits).
_CHUNK = 500


def demo_workspace_dir() -> Path | None:
    """The workspace folder ``vlr demo`` made under the exports folder, if there is one."""
    from .. import paths
    from ..demo import WORKSPACE_FOLDER  # a light module: no memo imports at load time

    folder = (paths.EXPORTS_DIR / WORKSPACE_FOLDER).resolve()
    return folder if (folder / SQLITE_FILENAME).is_file() else None


def _shown_path(path: Path) -> Path:
    """``path`` relative to the current folder when it lies inside it (shorter to type)."""
    try:
        return path.relative_to(Path.cwd().resolve())
    except ValueError:
        return path


class _Retry(Exception):
    """A concurrent insert won the race for the same item; run the save again."""


def open_workspace(
    location: str | os.PathLike[str] | None = None,
    reviewer: str | None = None,
    *,
    busy_timeout: float | None = None,
) -> Workspace:
    """Open (creating or upgrading if needed) the review workspace at ``location``.

    ``location`` is a folder (the workspace is ``<folder>/workspace.sqlite``),
    a SQLite file path, or a database URL (``postgresql+psycopg://...`` for a
    shared team workspace). ``None`` uses ``$VLR_DATABASE_URL``, else
    ``data/workspace/``. ``reviewer`` is the name recorded with each change
    (else ``$VLR_REVIEWER`` or the config file). ``busy_timeout`` is how many
    seconds a save waits for another writer (default 10, or
    ``$VLR_BUSY_TIMEOUT``).

    Raises :class:`~vlr_tools.errors.WorkspaceError` with one clear message
    for an unreachable server, a read-only, locked or corrupt file, or a
    workspace written by a newer vlr-tools; existing data is never changed in
    those cases.

    >>> ws = open_workspace("/tmp/demo-ws", reviewer="A. Reviewer")  # doctest: +SKIP
    >>> rv = ws.create_review("santa-rosa", version="v1")  # doctest: +SKIP
    >>> ws.put(rv.id, "rating", "A1", {"score": "partly"})  # doctest: +SKIP
    """
    return Workspace(location, reviewer=reviewer, busy_timeout=busy_timeout)


class Workspace(CityStore, TeamStore):
    """An open review workspace; create it with :func:`open_workspace`.

    One object may be shared by the threads of a notebook or server: every
    method runs its own short transaction.
    """

    def __init__(
        self,
        location: str | os.PathLike[str] | None = None,
        *,
        reviewer: str | None = None,
        busy_timeout: float | None = None,
    ) -> None:
        if reviewer in NOTEBOOK_PLACEHOLDERS and hub_user() is not None:
            reviewer = None  # a notebook's placeholder name: the hub user is the reviewer
        self._reviewer = None if reviewer is None else check_reviewer_name(reviewer, "reviewer")
        check_hub_name(self._reviewer, "the reviewer name given")
        if busy_timeout is None:
            env = os.environ.get("VLR_BUSY_TIMEOUT")
            try:
                busy_timeout = float(env) if env else DEFAULT_BUSY_TIMEOUT
            except ValueError:
                raise WorkspaceError(
                    f"VLR_BUSY_TIMEOUT must be a number of seconds, found {env!r}"
                ) from None
        self._db = Database(location, busy_timeout)
        # On a team workspace the database user is the reviewer: the database
        # records it with every change whatever name the client sends.
        self._team_user, self._team_role = self._db.team_identity()
        if self._team_role is not None:
            try:
                self._check_team_name(self._reviewer, "the reviewer name given")
                self._check_team_name(hub_user(), "the hub user")
            except WorkspaceError:
                self._db.dispose()
                raise

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._db.backend

    @property
    def location(self) -> str:
        """The SQLite file, or the database URL with its password hidden."""
        return self._db.location

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for PostgreSQL."""
        return self._db.path

    @property
    def schema_revision(self) -> str:
        """The schema migration the workspace is at."""
        return self._db.schema_revision

    # -- identity ------------------------------------------------------------------

    @property
    def reviewer(self) -> str | None:
        """The name recorded with changes, or None when none is configured.

        On a team workspace it is the database user; in a hub session, the hub user.
        """
        if self._team_role is not None:
            # A name in the environment must agree (the config file's is for
            # a laptop and is not used here).
            env = os.environ.get("VLR_REVIEWER", "").strip() or None
            check_hub_name(env, "the environment variable VLR_REVIEWER")
            self._check_team_name(env, "the environment variable VLR_REVIEWER")
            return self._team_user
        return self._reviewer or configured_reviewer()

    def set_reviewer(self, name: str | None) -> None:
        """Set (or with None, clear) the reviewer name of this workspace object."""
        checked = None if name is None else check_reviewer_name(name, "reviewer")
        check_hub_name(checked, "the reviewer name given")
        self._check_team_name(checked, "the reviewer name given")
        self._reviewer = checked

    def _check_team_name(self, name: str | None, where: str) -> None:
        """Refuse a name other than the database user's on a team workspace."""
        if self._team_role is None or name is None or name == self._team_user:
            return
        raise WorkspaceError(
            f"{where} is {name!r}, but this team workspace records every change under your "
            f"database user {self._team_user!r} (team role {self._team_role}); leave the "
            f"name out or give {self._team_user!r}"
        )

    def _who(self, reviewer: str | None) -> str:
        if reviewer is not None:
            name = check_reviewer_name(reviewer, "reviewer")
            check_hub_name(name, "the reviewer name given")
            self._check_team_name(name, "the reviewer name given")
            return name
        who = self.reviewer
        if not who:
            raise WorkspaceError(NO_IDENTITY_MESSAGE.format(config=config_path()))
        return who

    # -- reviews -------------------------------------------------------------------

    def create_review(
        self,
        city: str,
        document: str = "draft",
        version: str = "v1",
        reviewers: Sequence[str] = (),
        template: str = "full",
        title: str | None = None,
        settings: Mapping[str, Any] | None = None,
        *,
        status: str = "open",
        reviewer: str | None = None,
        review_id: str | None = None,
    ) -> Review:
        """Start a review of ``city``'s ``document`` (draft ``version``).

        ``reviewers`` defaults to the current reviewer. The id is
        ``<city>-<version>-<random>`` unless ``review_id`` is given; it stays
        the same when the review travels to another office in a bundle.
        """
        who = self._who(reviewer)
        given = {
            "city": city,
            "document": document,
            "version": version,
            "title": title,
            "reviewers": list(reviewers) or [who],
            "status": status,
            "template": template,
            "settings": settings,
        }
        values = {name: check_review_field(name, value) for name, value in given.items()}
        values["reviewers"] = tuple(values["reviewers"])
        if review_id is None:
            stem = f"{slug(values['city'])}-{slug(values['version'])}".strip("-")[:50]
            review_id = f"{stem or 'review'}-{uuid.uuid4().hex[:8]}"
        review_id = check_review_id(review_id)
        when = now()
        review = Review(
            id=review_id,
            **values,
            revision=1,
            created_at=when,
            created_by=who,
            updated_at=when,
            updated_by=who,
        )
        with self._db.write() as conn:
            taken = conn.execute(
                sa.select(reviews_table.c.id).where(reviews_table.c.id == review_id)
            )
            if taken.first():
                raise WorkspaceValueError(f"a review with id {review_id!r} already exists")
            conn.execute(reviews_table.insert().values(review_row(review)))
            item = (review_id, REVIEW_KIND, review_id)
            self._log(conn, item, "create", None, review.fields(), 1, who, when)
            if self._team_role is not None:
                # The database made the starting team lead the review's lead;
                # the other reviewers listed become its reviewers.
                for name in review.reviewers:
                    if name != who:
                        self._add_member_in(conn, review_id, name, TEAM_ROLES[1], who)
        return review

    def review(self, review_id: str) -> Review:
        """The review ``review_id``; raises UnknownReviewError if there is none."""
        with self._db.read() as conn:
            return self._review_in(conn, review_id)

    def _review_in(self, conn: Connection, review_id: str, *, lock: bool = False) -> Review:
        query = sa.select(reviews_table).where(reviews_table.c.id == review_id)
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None:
            raise UnknownReviewError(
                f"no review {review_id!r} in workspace {self.location}; "
                "list them with `vlr workspace reviews`" + self.demo_hint()
            )
        return review_from_row(row)

    def demo_hint(self) -> str:
        """``"; the demo's reviews are in ..."`` when a demo workspace exists elsewhere, else "".

        After ``vlr demo`` the sample reviews live in ``exports/demo-workspace``,
        not in the default workspace, so "no review" messages point there.
        """
        folder = demo_workspace_dir()
        if folder is None or (
            self._db.path is not None and self._db.path.resolve().parent == folder
        ):
            return ""
        shown = _shown_path(folder)
        return (
            f"; the demo's reviews are in the workspace {shown}: "
            f"use --workspace {shown} (open_workspace({str(shown)!r}) in Python)"
        )

    def reviews(self, city: str | None = None, *, status: str | None = None) -> list[Review]:
        """All reviews (of ``city``, with ``status``, if given), oldest first."""
        query = sa.select(reviews_table).order_by(reviews_table.c.created_at, reviews_table.c.id)
        if city is not None:
            query = query.where(reviews_table.c.city == city)
        if status is not None:
            query = query.where(reviews_table.c.status == status)
        with self._db.read() as conn:
            return [review_from_row(row) for row in conn.execute(query)]

    def find_review(
        self, city: str, version: str | None = None, *, document: str | None = None
    ) -> Review | None:
        """The newest review of ``city`` (and draft ``version``/``document``), or None."""
        found = [
            r
            for r in self.reviews(city)
            if version in (None, r.version) and document in (None, r.document)
        ]
        return found[-1] if found else None

    def update_review(
        self,
        review_id: str,
        *,
        expected_version: int | None = None,
        reviewer: str | None = None,
        **changes: Any,
    ) -> Review:
        """Change a review's fields (status, reviewers, title, settings...).

        ``expected_version`` is compared with the review's ``revision`` the
        way :meth:`put` compares versions; a mismatch raises
        ``ConflictError(current=Review, attempted=changes)``. A change that
        changes nothing writes nothing.
        """
        unknown = sorted(set(changes) - set(EDITABLE_REVIEW_FIELDS))
        if unknown:
            raise WorkspaceValueError(
                f"review field(s) {', '.join(unknown)} cannot be changed; "
                f"allowed: {', '.join(EDITABLE_REVIEW_FIELDS)}"
            )
        clean = {name: check_review_field(name, value) for name, value in changes.items()}
        expected = check_expected(expected_version)
        who = self._who(reviewer)
        with self._db.write() as conn:
            current = self._review_in(conn, review_id, lock=True)
            if expected is not None and current.revision != expected:
                message = conflict_message(f"review {review_id}", current, clean, expected)
                raise ConflictError(message, current=current, attempted=dict(changes))
            before = current.fields()
            diff = {name: value for name, value in clean.items() if before[name] != value}
            if not diff:
                return current
            when = now()
            revision = current.revision + 1
            conn.execute(
                reviews_table.update()
                .where(reviews_table.c.id == review_id)
                .values(**diff, revision=revision, updated_at=when, updated_by=who)
            )
            old = {name: before[name] for name in diff}
            item = (review_id, REVIEW_KIND, review_id)
            self._log(conn, item, "update", old, diff, revision, who, when)
            return self._review_in(conn, review_id)

    # -- records -------------------------------------------------------------------

    def put(
        self,
        review_id: str,
        kind: str,
        key: str,
        data: Mapping[str, Any],
        *,
        expected_version: int | None = None,
        reviewer: str | None = None,
    ) -> Record:
        """Save ``data`` as the value of item ``kind``/``key``; committed at once.

        ``expected_version``:

        - ``None``: last writer wins; the overwritten value stays in the history.
        - ``0``: the item must not exist yet (or must have been deleted).
        - ``N``: the stored version must still be ``N``, the one you read.

        On a mismatch nothing is written and :class:`ConflictError` is raised
        with ``current`` (the stored Record: who, when, value) and
        ``attempted`` (your data); show both, then call
        :meth:`resolve_conflict` (or ``put`` again with
        ``expected_version=error.current.version``). A stale version is a
        conflict even when the value happens to be the one stored: the caller
        computed it from an outdated read (think of a counter). Saving the
        value already stored, with a matching or no version, writes nothing
        and returns the stored record. Returns the stored Record.
        """
        kind = check_kind(kind)
        key = check_key(key)
        payload = check_data(data, kind, key)
        expected = check_expected(expected_version)
        who = self._who(reviewer)
        for _attempt in range(3):
            try:
                with self._db.write() as conn:
                    return self._put_in(conn, (review_id, kind, key), payload, expected, who)
            except _Retry:
                self.review(review_id)  # raises UnknownReviewError if that was the cause
        raise WorkspaceError(f"{kind} {key!r} could not be saved: too many concurrent changes")

    def _put_in(
        self,
        conn: Connection,
        item: _Item,
        payload: dict[str, Any],
        expected: int | None,
        who: str,
    ) -> Record:
        row = self._select_item(conn, item)
        action = _decide(item, row, payload, expected)
        if action is None:
            return record_from_row(row)  # same value: nothing to write or record
        old = row.data if action == "update" else None
        when = now()
        values = {"data": payload, "deleted": False, "updated_by": who, "updated_at": when}
        if row is None:
            version = 1
            review_id, kind, key = item
            insert = records_table.insert().values(
                review_id=review_id, kind=kind, key=key, version=version, **values
            )
            try:
                conn.execute(insert)
            except sa.exc.IntegrityError:
                # Another writer created the item first (PostgreSQL), or the
                # review does not exist: put() looks again to tell which.
                raise _Retry() from None
        else:
            version = row.version + 1
            self._swap(conn, row, version, values)
        self._log(conn, item, action, old, payload, version, who, when)
        return Record(*item, data=payload, version=version, updated_by=who, updated_at=when)

    def put_many(
        self,
        review_id: str,
        kind: str,
        items: Mapping[str, Mapping[str, Any]] | Iterable[tuple[str, Mapping[str, Any]]],
        *,
        expected_versions: Mapping[str, int] | None = None,
        reviewer: str | None = None,
    ) -> SavedBatch:
        """Save many items of one ``kind`` in one transaction: all of them or none.

        ``items`` maps keys to data, or is an iterable of ``(key, data)``
        pairs (a key may appear only once). Each item is saved by the rules
        of :meth:`put`: the same checks, versions and history, one history
        row per created or changed item, nothing for an item whose stored
        value is already ``data``. ``expected_versions`` gives the
        ``expected_version`` of the items that need one (see :meth:`put`);
        the others are saved last-writer-wins.

        If any item is invalid or conflicts, nothing at all is written and
        the error names that item (and its position, for invalid input): a
        :class:`ConflictError` carries that item's ``current`` and
        ``attempted`` values. Returns a :class:`SavedBatch` with the stored
        Records in the order given and the keys created, updated and
        unchanged.

        Meant for imports (thousands of rows): the stored rows are read in
        chunks and the changes written with bulk inserts, so 50,000 items
        take seconds rather than the minutes of 50,000 ``put`` calls.
        """
        kind = check_kind(kind)
        with collector_paused():
            batch = _batch_payloads(kind, items)
        expected = _batch_expected(kind, batch, expected_versions)
        who = self._who(reviewer)
        for _attempt in range(3):
            try:
                with self._db.write() as conn, collector_paused():
                    return self._put_many_in(conn, review_id, kind, batch, expected, who)
            except _Retry:
                pass  # another writer created one of the items first: read again
        raise WorkspaceError(
            f"{len(batch)} {kind} items could not be saved: too many concurrent changes; "
            "nothing of the batch was saved"
        )

    def _put_many_in(
        self,
        conn: Connection,
        review_id: str,
        kind: str,
        batch: dict[str, tuple[dict[str, Any], str]],
        expected: dict[str, int],
        who: str,
    ) -> SavedBatch:
        self._review_in(conn, review_id)  # UnknownReviewError before anything else
        stored = self._select_items(conn, review_id, kind, batch)
        note = f" The whole batch of {len(batch)} {kind} items was refused: nothing was saved."
        when = now()
        records: list[Record] = []
        outcome: dict[str, list[str]] = {"create": [], "update": [], "unchanged": []}
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        # Decide every item before writing anything: the first refusal raises
        # with nothing written (and the transaction would roll back anyway).
        for key, (payload, text) in batch.items():
            item = (review_id, kind, key)
            row = stored.get(key)
            action = _decide(item, row, payload, expected.get(key), text=text, note=note)
            if action is None:
                assert row is not None  # only a stored item can be unchanged
                # Unchanged: the stored value equals payload, so no need to decode it.
                records.append(
                    Record(
                        *item,
                        data=payload,
                        version=row.version,
                        updated_by=row.updated_by,
                        updated_at=row.updated_at,
                    )
                )
                outcome["unchanged"].append(key)
                continue
            outcome[action].append(key)
            # Serialised once (while checking); the record and its history row share the text.
            value = Dumped(text)
            old = None
            if row is None:
                version = 1
                inserts.append({"key": key, "data": value})
            else:
                version = row.version + 1
                updates.append(
                    {"b_id": row.id, "b_seen": row.version, "b_version": version, "b_data": value}
                )
                if action == "update":
                    old = row.data
            history.append(
                {"key": key, "action": action, "old": old, "new": value, "version": version}
            )
            records.append(
                Record(*item, data=payload, version=version, updated_by=who, updated_at=when)
            )
        common = {"review_id": review_id, "kind": kind}
        if inserts:
            for row_values in inserts:
                row_values.update(common, version=1, deleted=False, updated_by=who, updated_at=when)
            # In key order, like the locks taken above: two batches adding the
            # same new keys wait for each other instead of deadlocking.
            inserts.sort(key=lambda row_values: row_values["key"])
            try:
                conn.execute(records_table.insert(), inserts)
            except sa.exc.IntegrityError:
                # Another writer created one of these items first (PostgreSQL).
                raise _Retry() from None
        if updates:
            self._swap_many(conn, updates, who, when)
        if history:
            for entry in history:
                entry.update(common, who=who, at=when)
            conn.execute(history_table.insert(), history)
        return SavedBatch(
            records=tuple(records),
            created=tuple(outcome["create"]),
            updated=tuple(outcome["update"]),
            unchanged=tuple(outcome["unchanged"]),
        )

    def _select_items(
        self, conn: Connection, review_id: str, kind: str, keys: Collection[str]
    ) -> dict[str, _Stored]:
        """The stored rows (deleted ones too) of ``keys``, locked, by key.

        Two steps whose query plans do not depend on the database's
        statistics (a freshly imported PostgreSQL table has none, and a
        plan that filters 500 keys against every row of the review took
        0.3 s per chunk): first the ids of the items, from the index on
        (review, kind, key), for a large batch by reading the whole kind;
        then the rows themselves by primary key, in chunks, locked in id
        order so that two batches never wait on each other crosswise.
        """
        t = records_table.c
        query = sa.select(t.id, t.key).where(t.review_id == review_id, t.kind == kind)
        if len(keys) <= _CHUNK:
            query = query.where(t.key.in_(sorted(keys)))
        ids = [row.id for row in conn.execute(query) if row.key in keys]
        ids.sort()
        columns = [c for c in records_table.c if c.name != "data"]
        text = sa.cast(t.data, sa.Text).label("text")
        found: dict[str, _Stored] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            locked = (
                sa.select(*columns, text).where(t.id.in_(chunk)).order_by(t.id).with_for_update()
            )
            for row in conn.execute(locked):
                found[row.key] = _Stored(row)
        return found

    def _swap_many(
        self, conn: Connection, updates: list[dict[str, Any]], who: str, when: Any
    ) -> None:
        """Compare-and-swap many rows at once (see :meth:`_swap`)."""
        statement = (
            records_table.update()
            .where(
                records_table.c.id == sa.bindparam("b_id"),
                records_table.c.version == sa.bindparam("b_seen"),
            )
            .values(
                version=sa.bindparam("b_version"),
                data=sa.bindparam("b_data", type_=records_table.c.data.type),
                deleted=False,
                updated_by=who,
                updated_at=when,
            )
        )
        result = conn.execute(statement, updates)
        # The rows are locked (FOR UPDATE, or SQLite's write lock), so a
        # mismatch cannot happen unless the database lost them: read again.
        if conn.dialect.supports_sane_multi_rowcount and result.rowcount != len(updates):
            raise _Retry()

    def _select_item(self, conn: Connection, item: _Item) -> Any:
        review_id, kind, key = item
        query = sa.select(records_table).where(
            records_table.c.review_id == review_id,
            records_table.c.kind == kind,
            records_table.c.key == key,
        )
        # FOR UPDATE locks the row on PostgreSQL; SQLite holds its write lock
        # already (BEGIN IMMEDIATE) and ignores the clause.
        return conn.execute(query.with_for_update()).first()

    def _swap(self, conn: Connection, row: Any, version: int, values: dict[str, Any]) -> None:
        """Compare-and-swap: write only if the row still has the version we read."""
        result = conn.execute(
            records_table.update()
            .where(records_table.c.id == row.id, records_table.c.version == row.version)
            .values(version=version, **values)
        )
        if result.rowcount != 1:
            raise _Retry()

    def _log(
        self,
        conn: Connection,
        item: _Item,
        action: str,
        old: dict[str, Any] | None,
        new: dict[str, Any] | None,
        version: int,
        who: str,
        at: Any,
    ) -> None:
        review_id, kind, key = item
        conn.execute(
            history_table.insert().values(
                review_id=review_id,
                kind=kind,
                key=key,
                action=action,
                old=old,
                new=new,
                version=version,
                who=who,
                at=at,
            )
        )

    def get(self, review_id: str, kind: str, key: str) -> Record | None:
        """The stored value of one item, or None if it was never saved or was deleted."""
        with self._db.read() as conn:
            query = sa.select(records_table).where(
                records_table.c.review_id == review_id,
                records_table.c.kind == kind,
                records_table.c.key == key,
            )
            row = conn.execute(query).first()
        return None if row is None or row.deleted else record_from_row(row)

    def records(
        self, review_id: str, kind: str | None = None, *, include_deleted: bool = False
    ) -> list[Record]:
        """Every item of a review (of one ``kind`` if given), sorted by kind and key."""
        query = (
            sa.select(records_table)
            .where(records_table.c.review_id == review_id)
            .order_by(records_table.c.kind, records_table.c.key)
        )
        if kind is not None:
            query = query.where(records_table.c.kind == kind)
        if not include_deleted:
            query = query.where(records_table.c.deleted == sa.false())
        with self._db.read() as conn:
            self._review_in(conn, review_id)
            return [record_from_row(row) for row in conn.execute(query)]

    def delete(
        self,
        review_id: str,
        kind: str,
        key: str,
        *,
        expected_version: int | None = None,
        reviewer: str | None = None,
    ) -> Record | None:
        """Delete an item; its last value stays in the history.

        Returns the deletion marker (``deleted=True``), or None when there was
        nothing to delete. ``expected_version`` works as in :meth:`put`. The
        version keeps counting after a delete, so a reviewer holding a version
        from before still gets a conflict if the item is created again.
        """
        kind = check_kind(kind)
        key = check_key(key)
        expected = check_expected(expected_version)
        who = self._who(reviewer)
        item = (review_id, kind, key)
        with self._db.write() as conn:
            self._review_in(conn, review_id)
            row = self._select_item(conn, item)
            if row is None or row.deleted:
                return None
            if expected is not None and row.version != expected:
                current = record_from_row(row)
                what = f"{kind} {key!r} in review {review_id}"
                message = conflict_message(what, current, None, expected)
                raise ConflictError(message, current=current, attempted=None)
            when = now()
            version = row.version + 1
            marker = {"data": {}, "deleted": True, "updated_by": who, "updated_at": when}
            self._swap(conn, row, version, marker)
            self._log(conn, item, "delete", row.data, None, version, who, when)
        return Record(
            *item, data={}, version=version, updated_by=who, updated_at=when, deleted=True
        )

    def resolve_conflict(
        self,
        conflict: ConflictError,
        choice: str | Mapping[str, Any] = "mine",
        *,
        reviewer: str | None = None,
    ) -> Record | Review | None:
        """Settle a :class:`ConflictError` the way the reviewer chose.

        - ``"theirs"``: keep what is stored; nothing is written; returns it.
        - ``"mine"``: save the refused value (or deletion) over the current version.
        - a mapping: save this merged value over the current version.

        If yet another change lands in between, this raises a new
        ConflictError: nothing is ever overwritten unseen.
        """
        current = conflict.current
        if not isinstance(current, Record | Review):
            raise WorkspaceValueError("this error was not raised by a workspace save")
        if choice == "theirs":
            return None if isinstance(current, Record) and current.deleted else current
        wanted = conflict.attempted if choice == "mine" else choice
        if isinstance(current, Review):
            if not isinstance(wanted, Mapping):
                raise WorkspaceValueError("choice must be 'mine', 'theirs' or a mapping of changes")
            return self.update_review(
                current.id, expected_version=current.revision, reviewer=reviewer, **dict(wanted)
            )
        if choice == "mine" and wanted is None:
            return self.delete(
                current.review_id,
                current.kind,
                current.key,
                expected_version=current.version,
                reviewer=reviewer,
            )
        if not isinstance(wanted, Mapping):
            raise WorkspaceValueError(
                "choice must be 'mine', 'theirs' or a mapping (the merged value)"
            )
        return self.put(
            current.review_id,
            current.kind,
            current.key,
            wanted,
            expected_version=current.version,
            reviewer=reviewer,
        )

    # -- history -------------------------------------------------------------------

    def history_entries(
        self, review_id: str | None = None, kind: str | None = None, key: str | None = None
    ) -> list[HistoryEntry]:
        """History rows in the order they were written, optionally filtered."""
        query = sa.select(history_table).order_by(history_table.c.id)
        if review_id is not None:
            query = query.where(history_table.c.review_id == review_id)
        if kind is not None:
            query = query.where(history_table.c.kind == kind)
        if key is not None:
            query = query.where(history_table.c.key == key)
        with self._db.read() as conn:
            if review_id is not None:
                self._review_in(conn, review_id)
            return [history_from_row(row) for row in conn.execute(query)]

    def history(
        self, review_id: str | None = None, kind: str | None = None, key: str | None = None
    ) -> pd.DataFrame:
        """The history as a DataFrame, oldest first.

        Columns: id, review_id, when (UTC timestamp), who, kind, key, action
        (create/update/delete/import), version, old and new (dicts; None for
        a create's old or a delete's new).
        """
        import pandas as pd

        rows = [
            (e.id, e.review_id, e.at, e.who, e.kind, e.key, e.action, e.version, e.old, e.new)
            for e in self.history_entries(review_id, kind, key)
        ]
        frame = pd.DataFrame.from_records(rows, columns=HISTORY_COLUMNS)
        frame["when"] = pd.to_datetime(frame["when"], utc=True)
        return frame

    def export_history(
        self,
        review_id: str,
        path: str | os.PathLike[str] | None = None,
        *,
        kind: str | None = None,
        key: str | None = None,
    ) -> str:
        """Return the history as CSV text, and write it to ``path`` if given.

        The file is UTF-8 with a byte-order mark so Excel shows Japanese
        names. Values are JSON text. A cell a spreadsheet would run as a
        formula gets a leading apostrophe, so typed text can never run.
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(
            ["when", "who", "review_id", "kind", "key", "action", "version", "old", "new"]
        )
        for e in self.history_entries(review_id, kind, key):
            writer.writerow(
                [
                    iso(e.at),
                    _cell(e.who),
                    e.review_id,
                    e.kind,
                    _cell(e.key),
                    e.action,
                    e.version,
                    "" if e.old is None else dumps(e.old),
                    "" if e.new is None else dumps(e.new),
                ]
            )
        text = buffer.getvalue()
        if path is not None:
            target = Path(path).expanduser()
            try:
                target.write_text(text, encoding="utf-8-sig")
            except OSError as exc:
                raise WorkspaceError(f"cannot write the history to {target}: {exc}") from exc
        return text

    # -- bundles -------------------------------------------------------------------

    def export_bundle(
        self, review_id: str, path: str | os.PathLike[str], *, overwrite: bool = False
    ) -> Path:
        """Write a whole review to one portable .zip file.

        The bundle holds the review's records and history, its city's profile
        and the stored draft of its city and version (the file's bytes, and
        the OCR'd copy when there is one), so another office can import it
        without the original files. ``path`` may be a folder (the file is then
        ``<review_id>.zip``). An existing file is replaced only with
        ``overwrite=True``. Returns the file written. See
        :mod:`vlr_tools.workspace.bundle` for its content.
        """
        target = Path(path).expanduser()
        if target.is_dir():
            target = target / f"{review_id}.zip"
        with self._db.read() as conn:
            review = self._review_in(conn, review_id)
            records = [
                record_from_row(row)
                for row in conn.execute(
                    sa.select(records_table)
                    .where(records_table.c.review_id == review_id)
                    .order_by(records_table.c.kind, records_table.c.key)
                )
            ]
            history = [
                history_from_row(row)
                for row in conn.execute(
                    sa.select(history_table)
                    .where(history_table.c.review_id == review_id)
                    .order_by(history_table.c.id)
                )
            ]
            city, drafts, files = self._bundled_city_and_drafts(conn, review)
        return write_bundle(
            target,
            review,
            records,
            history,
            created_by=self.reviewer,
            schema_revision=self.schema_revision,
            overwrite=overwrite,
            city=city,
            drafts=drafts,
            files=files,
        )

    def _bundled_city_and_drafts(
        self, conn: Connection, review: Review
    ) -> tuple[BundledCity | None, list[StoredDraft], dict[str, bytes]]:
        """The review's city profile, its stored draft and that draft's bytes, to export."""
        row = conn.execute(
            sa.select(cities_table).where(cities_table.c.slug == review.city)
        ).first()
        if row is None:
            return None, [], {}
        city = BundledCity(
            profile=CityProfile.from_json(row.profile),
            revision=row.revision,
            created_at=row.created_at,
            created_by=row.created_by,
            updated_at=row.updated_at,
            updated_by=row.updated_by,
        )
        drafts = [
            draft_from_row(r)
            for r in conn.execute(
                sa.select(drafts_table).where(
                    drafts_table.c.city == review.city, drafts_table.c.version == review.version
                )
            )
        ]
        files: dict[str, bytes] = {}
        for draft in drafts:
            for sha in filter(None, (draft.sha256, draft.text_sha256)):
                blob = conn.execute(
                    sa.select(blobs_table.c.content).where(blobs_table.c.sha256 == sha)
                ).first()
                if blob is None:
                    raise WorkspaceError(
                        f"cannot export review {review.id}: the stored file {sha} of "
                        f"{draft.city} draft {draft.version} is missing from the workspace; "
                        f"add the draft again (vlr draft add {draft.city} FILE --version "
                        f"{draft.version} --replace)"
                    )
                files[sha] = bytes(blob.content)
        return city, drafts, files

    def import_bundle(self, path: str | os.PathLike[str], *, reviewer: str | None = None) -> Review:
        """Import a bundle made by :meth:`export_bundle`, all in one transaction.

        Everything is verified before anything is written (see
        :func:`read_bundle`). Refused with :class:`BundleError`, changing
        nothing: a bundle already imported here, a damaged, truncated or
        tampered one, an unknown format version, a review that already
        exists here, or a draft version of the city that is stored here as a
        different file. Records and history arrive exactly as exported (same
        versions, names and times); one extra history row notes the import.

        The city profile is added when this workspace has none; a different
        profile already here is kept (someone may have corrected it) and
        :meth:`import_notes` says so. The draft file is stored when its
        version is not here yet.

        >>> review = ws.import_bundle("santa-rosa-review.zip")  # doctest: +SKIP
        >>> ws.import_notes(review.id)  # doctest: +SKIP
        ["city santa-rosa is already in this workspace with a different profile ..."]
        """
        who = self._who(reviewer)
        if self._team_role is not None:
            raise AccessError(
                "importing a review bundle into a team workspace is the workspace owner's job: "
                "it brings other people's history, which a team member's connection would "
                f"record as theirs. You are the team member {self._team_user}; ask the hub "
                "administrator to run `vlr workspace import` with the owner's database URL"
            )
        bundle = read_bundle(path)
        try:
            with self._db.write() as conn:
                plan = self._check_importable(conn, bundle)
                self._insert_bundle(conn, bundle, who, plan)
        except WorkspaceError as exc:
            if isinstance(exc.__cause__, sa.exc.IntegrityError):
                raise BundleError(
                    f"cannot import bundle {bundle.path}: someone imported it (or the same "
                    "review), or added the same city or draft, in this workspace at the same "
                    "moment. Nothing was changed; try again."
                ) from exc
            raise
        return bundle.review

    def import_notes(self, review_id: str) -> list[str]:
        """What the import of ``review_id`` into this workspace noted, for the reviewer to read.

        For example that the city's profile here differs from the bundle's
        and was kept. Empty when there was nothing to note, or the review was
        not imported.
        """
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(history_table.c.new)
                .where(
                    history_table.c.review_id == review_id,
                    history_table.c.kind == REVIEW_KIND,
                    history_table.c.action == "import",
                )
                .order_by(history_table.c.id.desc())
                .limit(1)
            ).first()
        notes = (row.new or {}).get("notes") if row is not None else None
        return [str(n) for n in notes or ()]

    def _check_importable(self, conn: Connection, bundle: Bundle) -> _ImportPlan:
        prior = conn.execute(
            sa.select(imports_table).where(
                sa.or_(
                    imports_table.c.bundle_id == bundle.bundle_id,
                    imports_table.c.checksum == bundle.checksum,
                )
            )
        ).first()
        if prior is not None:
            raise BundleError(
                f"cannot import bundle {bundle.path}: it was already imported into this "
                f"workspace on {prior.imported_at:%Y-%m-%d %H:%M} UTC by {prior.imported_by} "
                f"(review {prior.review_id}); importing it twice would duplicate its history. "
                "Nothing was changed."
            )
        review = bundle.review
        row = conn.execute(sa.select(reviews_table).where(reviews_table.c.id == review.id)).first()
        if row is None:
            return self._plan_city_and_drafts(conn, bundle)
        here = review_from_row(row)
        history = [
            history_to_json(history_from_row(h))
            for h in conn.execute(
                sa.select(history_table)
                .where(history_table.c.review_id == review.id)
                .order_by(history_table.c.id)
            )
        ]
        theirs = [history_to_json(h) for h in bundle.history]
        # Import notes differ between workspaces by nature; the work itself is
        # the same when everything else is.
        if review_to_json(here) == review_to_json(review) and _work(history) == _work(theirs):
            raise BundleError(
                f"cannot import bundle {bundle.path}: review {review.id} ({review.label}) is "
                "already in this workspace with the same content; there is nothing to import."
            )
        raise BundleError(
            f"cannot import bundle {bundle.path}: review {review.id} ({review.label}) already "
            f"exists in this workspace with different content ({len(history)} history entries "
            f"here, {len(theirs)} in the bundle; last changed here by {here.updated_by}). "
            "Importing would overwrite someone's work, so it was refused. Nothing was changed."
        )

    def _plan_city_and_drafts(self, conn: Connection, bundle: Bundle) -> _ImportPlan:
        """What to add of the bundle's city and drafts; refuses a draft stored here differently."""
        city_status: str | None = None
        notes: list[str] = []
        if bundle.city is not None:
            theirs = bundle.city.profile
            row = conn.execute(
                sa.select(cities_table.c.profile).where(cities_table.c.slug == theirs.slug)
            ).first()
            if row is None:
                city_status = "added"
            elif (mine := CityProfile.from_json(row.profile).to_json()) == theirs.to_json():
                city_status = "same"
            else:
                city_status = "kept"
                differ = [k for k, v in theirs.to_json().items() if mine.get(k) != v]
                notes.append(
                    f"city {theirs.slug} is already in this workspace with a different profile "
                    f"({', '.join(differ)} differ from the bundle's); the profile here was kept, "
                    "so memos made here use it. Compare them with `vlr city show "
                    f"{theirs.slug}` and change it with `vlr city set {theirs.slug} ...` if the "
                    "bundle's values are the right ones."
                )
        add: list[StoredDraft] = []
        for draft in bundle.drafts:
            row = conn.execute(
                sa.select(drafts_table).where(
                    drafts_table.c.city == draft.city, drafts_table.c.version == draft.version
                )
            ).first()
            if row is None:
                add.append(draft)
                continue
            here = draft_from_row(row)
            if here.sha256 != draft.sha256:
                raise BundleError(
                    f"cannot import bundle {bundle.path}: {draft.city} draft {draft.version} is "
                    f"stored here as {here.filename} (sha256 {here.sha256[:12]}…, added "
                    f"{here.added_at:%Y-%m-%d} by {here.added_by}), but review "
                    f"{bundle.review.id} was made on a different file, {draft.filename} (sha256 "
                    f"{draft.sha256[:12]}…). Its page references and quotes would point into the "
                    "wrong file, so it was refused. Nothing was changed. Import it into another "
                    "workspace, or, if the bundle's file is the right one, store it first with "
                    f"`vlr draft add {draft.city} FILE --version {draft.version} --replace`."
                )
            if here.text_sha256 != draft.text_sha256:
                notes.append(
                    f"{draft.city} draft {draft.version} is already stored here as the same file, "
                    "but its text was read differently (with or without OCR, or by another OCR "
                    "run); the text here was kept, so quotes from OCR'd pages may differ from "
                    "the sender's."
                )
        return _ImportPlan(city_status, tuple(add), tuple(notes))

    def _insert_bundle(self, conn: Connection, bundle: Bundle, who: str, plan: _ImportPlan) -> None:
        review = bundle.review
        # The city and the draft first: the drafts row refers to both.
        if plan.city == "added" and bundle.city is not None:
            city = bundle.city
            conn.execute(
                cities_table.insert().values(
                    slug=city.profile.slug,
                    profile=city.profile.to_json(),
                    revision=city.revision,
                    created_at=city.created_at,
                    created_by=city.created_by,
                    updated_at=city.updated_at,
                    updated_by=city.updated_by,
                )
            )
        for draft in plan.drafts:
            for sha in filter(None, (draft.sha256, draft.text_sha256)):
                self._store_blob(conn, bundle.files[sha])
            values = draft.to_json()
            values["added_at"] = draft.added_at
            conn.execute(drafts_table.insert().values(**values))
        conn.execute(reviews_table.insert().values(review_row(review)))
        if bundle.records:
            conn.execute(
                records_table.insert(),
                [
                    {
                        "review_id": review.id,
                        "kind": r.kind,
                        "key": r.key,
                        "data": r.data,
                        "version": r.version,
                        "deleted": r.deleted,
                        "updated_by": r.updated_by,
                        "updated_at": r.updated_at,
                    }
                    for r in bundle.records
                ],
            )
        if bundle.history:
            conn.execute(
                history_table.insert(),
                [
                    {
                        "review_id": review.id,
                        "kind": h.kind,
                        "key": h.key,
                        "action": h.action,
                        "old": h.old,
                        "new": h.new,
                        "version": h.version,
                        "who": h.who,
                        "at": h.at,
                    }
                    for h in bundle.history
                ],
            )
        when = now()
        note = {
            "bundle_id": bundle.bundle_id,
            "file": bundle.path.name,
            "exported_at": bundle.manifest.get("created_at"),
            "exported_by": bundle.manifest.get("created_by"),
            "format_version": bundle.format_version,
            "city": plan.city,
            "drafts_added": [d.version for d in plan.drafts],
            "notes": list(plan.notes),
        }
        item = (review.id, REVIEW_KIND, review.id)
        self._log(conn, item, "import", None, note, review.revision, who, when)
        conn.execute(
            imports_table.insert().values(
                bundle_id=bundle.bundle_id,
                checksum=bundle.checksum,
                review_id=review.id,
                source=str(bundle.path),
                imported_at=when,
                imported_by=who,
            )
        )

    # -- housekeeping --------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """What and where this workspace is, with row counts (``vlr workspace info``)."""
        facts: dict[str, Any] = {
            "location": self.location,
            "backend": self.backend,
            "schema_revision": self.schema_revision,
            "reviewer": self.reviewer,
            **self.access(),
        }
        tables = {
            "reviews": reviews_table,
            "records": records_table,
            "history": history_table,
            "imports": imports_table,
            "cities": cities_table,
            "drafts": drafts_table,
        }
        with self._db.read() as conn:
            for name, table in tables.items():
                count = sa.select(sa.func.count()).select_from(table)
                facts[name] = conn.execute(count).scalar_one()
            if self.backend == "sqlite":
                facts["journal_mode"] = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
                sync = int(conn.exec_driver_sql("PRAGMA synchronous").scalar() or 0)
                facts["synchronous"] = ("OFF", "NORMAL", "FULL", "EXTRA")[sync]
            else:
                facts["server_version"] = conn.exec_driver_sql("SHOW server_version").scalar()
        return facts

    def integrity_check(self) -> str:
        """SQLite's ``PRAGMA integrity_check``: ``"ok"`` when the file is sound."""
        if self.backend != "sqlite":
            return "ok"
        with self._db.read() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return "\n".join(str(r) for r in rows)

    def close(self) -> None:
        """Release the database connections (every save is already committed)."""
        self._db.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workspace {self.backend} {self.location}>"


@dataclass(frozen=True)
class _ImportPlan:
    """What an import adds besides the review, decided before anything is written.

    ``city`` is ``"added"``, ``"same"`` (already here), ``"kept"`` (a
    different profile here, kept) or None (the bundle has no profile).
    """

    city: str | None
    drafts: tuple[StoredDraft, ...]
    notes: tuple[str, ...]


class _Stored:
    """A stored record read by put_many; its JSON is decoded only when needed."""

    __slots__ = (
        "_data",
        "deleted",
        "id",
        "key",
        "kind",
        "review_id",
        "text",
        "updated_at",
        "updated_by",
        "version",
    )

    def __init__(self, row: Any) -> None:
        self.id = row.id
        self.review_id = row.review_id
        self.kind = row.kind
        self.key = row.key
        self.version = row.version
        self.deleted = bool(row.deleted)
        self.updated_by = row.updated_by
        self.updated_at = row.updated_at
        self.text: str = row.text
        self._data: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self.text)
        return self._data


def _decide(
    item: _Item,
    row: Any,
    payload: dict[str, Any],
    expected: int | None,
    *,
    text: str | None = None,
    note: str = "",
) -> str | None:
    """How saving ``payload`` over the stored ``row`` is recorded: "create" or
    "update", or None when ``payload`` is stored already (nothing to write).

    Raises :class:`WorkspaceValueError` for a version of an item never saved
    and :class:`ConflictError` for a stale ``expected`` version; ``note`` is
    added to the message (put_many says the whole batch was refused).
    ``text`` is payload's JSON text; put_many passes it with a
    :class:`_Stored` row, so an unchanged value is found without decoding.
    """
    if row is None or row.deleted:
        allowed = expected in (None, 0) or (row is not None and row.version == expected)
        action = "create"
    else:
        allowed = expected is None or row.version == expected
        action = "update"
    what = f"{item[1]} {item[2]!r} in review {item[0]}"
    if row is None and not allowed:
        # A version of an item that was never saved (deleted ones keep
        # their row): the caller mixed up items or workspaces.
        raise WorkspaceValueError(
            f"{what} was not saved: you expected version {expected}, but it has never "
            "been saved here. Save it as new with expected_version=0" + (f".{note}" if note else "")
        )
    if not allowed:
        current = record_from_row(row)
        message = conflict_message(what, current, payload, expected) + note
        raise ConflictError(message, current=current, attempted=payload)
    if action == "update":
        # Equal JSON text means an equal value; otherwise compare the values
        # (the same value may have been written with its keys in another order).
        if (text is not None and row.text == text) or row.data == payload:
            return None
    return action


def _batch_payloads(
    kind: str,
    items: Mapping[str, Mapping[str, Any]] | Iterable[tuple[str, Mapping[str, Any]]],
) -> dict[str, tuple[dict[str, Any], str]]:
    """The checked keys, JSON-clean values and their JSON text of a put_many
    batch, in the order given.

    Raises WorkspaceValueError naming the item (position and key) that is
    not a pair, has a bad key or value, or repeats an earlier key.
    """
    if isinstance(items, Mapping):
        pairs: list[Any] = list(items.items())
    elif isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise WorkspaceValueError(
            f"put_many items must be a mapping of key to data or (key, data) pairs, "
            f"found {type(items).__name__}; nothing was saved"
        )
    else:
        pairs = list(items)
    batch: dict[str, tuple[dict[str, Any], str]] = {}
    where: dict[str, int] = {}
    total = len(pairs)
    for number, pair in enumerate(pairs, start=1):
        refused = f"; nothing of the batch of {total} {kind} items was saved"
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise WorkspaceValueError(
                f"batch item {number}: expected a (key, data) pair, found "
                f"{type(pair).__name__}{refused}"
            )
        try:
            key = check_key(pair[0])
            checked = check_data_text(pair[1], kind, key)
        except WorkspaceValueError as exc:
            raise WorkspaceValueError(f"batch item {number}: {exc}{refused}") from None
        if key in where:
            raise WorkspaceValueError(
                f"batch item {number}: {kind} {key!r} is already item {where[key]} of the "
                f"batch; give each key once{refused}"
            )
        where[key] = number
        batch[key] = checked
    return batch


def _batch_expected(
    kind: str, batch: Mapping[str, Any], expected_versions: Mapping[str, int] | None
) -> dict[str, int]:
    """The checked ``expected_versions`` of a put_many batch (None ones dropped)."""
    if expected_versions is None:
        return {}
    if not isinstance(expected_versions, Mapping):
        raise WorkspaceValueError(
            "expected_versions must map keys to the versions you read, found "
            f"{type(expected_versions).__name__}"
        )
    unknown = [key for key in expected_versions if key not in batch]
    if unknown:
        shown = ", ".join(repr(k) for k in unknown[:5])
        raise WorkspaceValueError(
            f"expected_versions names {len(unknown)} {kind} key(s) that are not in the batch "
            f"({shown}); nothing was saved"
        )
    checked: dict[str, int] = {}
    for key, version in expected_versions.items():
        try:
            value = check_expected(version)
        except WorkspaceValueError as exc:
            raise WorkspaceValueError(f"{kind} {key!r}: {exc}; nothing was saved") from None
        if value is not None:
            checked[key] = value
    return checked


def _work(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [h for h in history if h["action"] != "import"]


def _cell(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
