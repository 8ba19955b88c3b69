"""The review workspace: a durable, shared store for everything reviewers record.

A reviewer spends hours on a draft; a kernel restart, a closed laptop lid or a
second reviewer on the same draft must never lose a word. So every save is
committed at once, in its own transaction, and every change is appended to a
history that cannot be edited.

Open one with :func:`open_workspace`::

    ws = open_workspace()                         # data/workspace/workspace.sqlite
    ws = open_workspace("~/reviews")              # a folder: <folder>/workspace.sqlite
    ws = open_workspace("postgresql+psycopg://vlr:...@db.example:5432/vlr")  # shared
    rv = ws.create_review(city="santa-rosa", version="v1", reviewers=("A. Reviewer",))
    rec = ws.put(rv.id, "rating", "A1", {"score": "partly"})
    ws.put(rv.id, "rating", "A1", {"score": "yes"}, expected_version=rec.version)
    ws.put_many(rv.id, "consultation", {"C-1": {...}, "C-2": {...}})  # one transaction

What it stores
    *reviews* (city, draft document and version, reviewers, status, template,
    settings) and *records*: versioned JSON values that each feature keeps
    under its own *kind* ("rating", "mapping_decision", "consultation", ...)
    and *key* (a criterion id, a paragraph ref...). Every create, update,
    delete and import appends a *history* row: who, when, old and new value.

Concurrency (two reviewers on one item)
    ``put(..., expected_version=N)`` is a compare-and-swap: it writes only if
    the stored version is still ``N`` and otherwise raises
    :class:`~vlr_tools.errors.ConflictError` naming who changed the item, when,
    and the value now stored. ``expected_version=0`` means "must not exist
    yet"; ``expected_version=None`` means "last writer wins" (still recorded in
    the history, so nothing is lost from view). See :meth:`Workspace.put` and
    :meth:`Workspace.resolve_conflict`.

Durability
    SQLite runs in WAL mode with ``synchronous=FULL``: each commit is flushed
    to disk before ``put`` returns, so a save survives a killed process *and*
    a power cut or a laptop that runs flat. (``NORMAL`` is also crash-safe
    for a killed process, but may drop the last commits on power loss; a
    reviewer's rating is worth the extra fsync of a few milliseconds.)

Identity
    Each change records the reviewer's name: the ``reviewer=`` argument, else
    the ``VLR_REVIEWER`` environment variable, else ``reviewer:`` in
    ``~/.config/vlr/config.yaml``. A write without a name is refused. In a
    team hub session the name is the hub user's; on a team workspace the
    database records its own user (``current_user``) and decides who may
    change what (``team``: roles, review members, row-level security).

Layout of this package: ``model`` (the records and their rules),
``identity`` (who is saving), ``team`` (team and review members, access),
``schema`` (the tables), ``database`` (opening
SQLite or PostgreSQL, migrations, error messages), ``bundle`` (portable
files) and ``store`` (the :class:`Workspace` itself). Migrations live in
``vlr_tools/migrations/``.
"""

from __future__ import annotations

from .bundle import BUNDLE_FORMAT_VERSION, Bundle, BundledCity, read_bundle
from .cities import CityProfile, StoredDraft
from .database import DEFAULT_BUSY_TIMEOUT, SQLITE_FILENAME, resolve_location
from .identity import (
    check_reviewer_name,
    config_path,
    configured_reviewer,
    hub_user,
    save_reviewer,
)
from .model import (
    EDITABLE_REVIEW_FIELDS,
    HISTORY_ACTIONS,
    REVIEW_KIND,
    REVIEW_STATUSES,
    HistoryEntry,
    Record,
    Review,
    SavedBatch,
    describe_conflict,
    saved_note,
)
from .schema import TEAM_ROLES
from .store import HISTORY_COLUMNS, Workspace, open_workspace
from .team import ReviewMember, TeamMember, check_team_name

__all__ = [
    "BUNDLE_FORMAT_VERSION",
    "DEFAULT_BUSY_TIMEOUT",
    "EDITABLE_REVIEW_FIELDS",
    "HISTORY_ACTIONS",
    "HISTORY_COLUMNS",
    "REVIEW_KIND",
    "REVIEW_STATUSES",
    "SQLITE_FILENAME",
    "TEAM_ROLES",
    "Bundle",
    "BundledCity",
    "CityProfile",
    "StoredDraft",
    "HistoryEntry",
    "Record",
    "Review",
    "ReviewMember",
    "SavedBatch",
    "TeamMember",
    "Workspace",
    "check_reviewer_name",
    "check_team_name",
    "config_path",
    "configured_reviewer",
    "describe_conflict",
    "hub_user",
    "open_workspace",
    "read_bundle",
    "resolve_location",
    "save_reviewer",
    "saved_note",
]
