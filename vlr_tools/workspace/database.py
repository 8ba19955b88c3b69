"""The database under a workspace: where it is, how it is opened, how it fails.

SQLite (embedded, the default) or PostgreSQL (shared). This module turns a
location into an engine with the right settings, keeps the schema at the
newest migration, runs short read and write transactions, and turns every
driver error into one :class:`~vlr_tools.errors.WorkspaceError` that says
what and where, without ever showing a password.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, Engine, make_url

from .. import paths
from ..errors import AccessError, WorkspaceError, WorkspaceValueError
from .model import serialise
from .schema import MIGRATIONS_DIR, TABLES

#: File name of the SQLite workspace inside a workspace folder.
SQLITE_FILENAME = "workspace.sqlite"
#: A path that does not exist yet is taken as a file when it ends like this.
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
#: Seconds a write waits for another writer's lock before giving up.
DEFAULT_BUSY_TIMEOUT = 10.0

_SQLITE_HEADER = b"SQLite format 3\x00"
_MIGRATION_LOCK_KEY = 0x564C52  # "VLR": PostgreSQL advisory lock held while migrating
_ALLOWED = (
    "allowed: a folder or file path (SQLite), sqlite:///PATH, or "
    "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE"
)


def resolve_location(location: str | os.PathLike[str] | None) -> URL | Path:
    """Turn what the user gave into a PostgreSQL URL or a SQLite file path.

    ``None`` means ``$VLR_DATABASE_URL``, else the default workspace folder.
    A folder (existing, or a new path without a ``.sqlite``/``.db`` suffix)
    holds ``workspace.sqlite``.
    """
    if location is None:
        location = os.environ.get("VLR_DATABASE_URL") or paths.WORKSPACE_DIR
    if isinstance(location, str) and "://" in location:
        try:
            url = make_url(location)
        except Exception:
            # Only the part after '@' is shown: the rest may hold a password.
            raise WorkspaceError(
                f"workspace location {location.split('@')[-1]!r} is not a valid database "
                f"URL; {_ALLOWED}"
            ) from None
        backend = url.get_backend_name()
        if backend == "sqlite":
            if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
                raise WorkspaceError(
                    "an in-memory SQLite workspace would lose every save; give a folder or file"
                )
            return Path(url.database).expanduser()
        if backend in ("postgresql", "postgres"):
            if url.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
                raise WorkspaceError(
                    f"database driver {url.drivername!r} is not installed; "
                    "use a postgresql+psycopg:// URL"
                )
            return url.set(drivername="postgresql+psycopg")
        raise WorkspaceError(f"database {backend!r} cannot hold a workspace; {_ALLOWED}")
    path = Path(location).expanduser()
    if path.is_dir():
        return path / SQLITE_FILENAME
    # "exists and is not a folder" is asked again: another process opening
    # the same new workspace may have created the folder since is_dir().
    if path.suffix.lower() in SQLITE_SUFFIXES or (path.exists() and not path.is_dir()):
        return path
    return path / SQLITE_FILENAME


class Database:
    """One workspace database: engine, schema check and transactions."""

    def __init__(self, location: str | os.PathLike[str] | None, busy_timeout: float) -> None:
        if busy_timeout < 0:
            raise WorkspaceValueError(
                f"busy_timeout must be 0 or more seconds, found {busy_timeout}"
            )
        self.busy_timeout = float(busy_timeout)
        target = resolve_location(location)
        self.path: Path | None = None
        self._password: str | None = None
        # WAL is switched on only after the file is known to be ours (see
        # _on_connect), so a foreign or newer file is left byte for byte.
        self._wal_ready = False
        if isinstance(target, Path):
            self.backend = "sqlite"
            self.path = target
            self.location = str(target)
            self.host = "localhost"
            self.engine = self._sqlite_engine(target)
        else:
            self.backend = "postgresql"
            self._password = target.password if isinstance(target.password, str) else None
            self.location = target.render_as_string(hide_password=True)
            self.host = f"{target.host or 'localhost'}:{target.port or 5432}"
            self.engine = self._postgres_engine(target)
        try:
            self.schema_revision = self._migrate()
        except BaseException:
            self.engine.dispose()
            raise

    # -- engines -----------------------------------------------------------------

    def _sqlite_engine(self, path: Path) -> Engine:
        if path.exists():
            if not path.is_file():
                raise WorkspaceError(f"workspace location {path} exists but is not a file")
            try:
                with path.open("rb") as handle:
                    header = handle.read(len(_SQLITE_HEADER))
            except OSError as exc:
                raise WorkspaceError(
                    f"cannot read the workspace file {path}: {exc.strerror}"
                ) from exc
            if header and header != _SQLITE_HEADER:
                raise self.corrupt()
            if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
                raise self.read_only()
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WorkspaceError(
                    f"cannot create the workspace folder {path.parent}: {exc.strerror or exc}"
                ) from exc
            if not os.access(path.parent, os.W_OK):
                raise self.read_only()
        engine = sa.create_engine(
            URL.create("sqlite", database=str(path)),
            connect_args={"check_same_thread": False, "timeout": self.busy_timeout},
            json_serializer=serialise,
        )
        timeout_ms = int(self.busy_timeout * 1000)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            # BEGIN is issued by _on_begin: pysqlite's implicit transactions
            # start too late for a safe read-then-write.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            try:
                cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
                cursor.execute("PRAGMA foreign_keys = ON")
                # FULL: the WAL is flushed at every commit, so a save survives a
                # power cut or a flat battery, not only a killed process.
                cursor.execute("PRAGMA synchronous = FULL")
                if self._wal_ready:
                    mode = cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if str(mode).lower() != "wal":
                        raise WorkspaceError(
                            f"the workspace {path} cannot use WAL journaling (got {mode!r}); "
                            "keep it on a local disk, not a network share"
                        )
            finally:
                cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # Writers take the write lock up front (IMMEDIATE): the read inside
            # a write transaction can then never be overtaken by another writer.
            write = conn.get_execution_options().get("vlr_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def _postgres_engine(self, url: URL) -> Engine:
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in url.query:
            connect_args["connect_timeout"] = 10
        if "application_name" not in url.query:
            connect_args["application_name"] = "vlr-tools"
        # A save waiting for another writer's row lock gives up the way
        # SQLite's busy timeout does, instead of hanging a notebook.
        options = url.query.get("options", "")
        if isinstance(options, tuple):
            options = " ".join(options)
        lock_ms = max(1, int(self.busy_timeout * 1000))
        connect_args["options"] = f"{options} -c lock_timeout={lock_ms}".strip()
        return sa.create_engine(
            url, connect_args=connect_args, json_serializer=serialise, pool_pre_ping=True
        )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    # -- errors ------------------------------------------------------------------

    def corrupt(self) -> WorkspaceError:
        return WorkspaceError(
            f"the workspace file {self.location} is not a SQLite database or is damaged; "
            "it was left untouched. Restore it from a backup, or open another folder or file"
        )

    def read_only(self) -> WorkspaceError:
        folder = self.path.parent if self.path else self.location
        return WorkspaceError(
            f"the workspace {self.location} is read-only: every change is saved at once, so "
            f"the workbench needs write access to the file and its folder {folder}. "
            "Ask for write access, or copy the workspace to a folder you can write to"
        )

    def explain(self, exc: BaseException) -> WorkspaceError:
        """Turn a database driver error into one clear WorkspaceError."""
        orig = getattr(exc, "orig", None) or exc
        text = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
        if self._password:
            text = text.replace(self._password, "***")
        low = text.lower()
        if self.backend == "sqlite":
            if "locked" in low or "busy" in low:
                return WorkspaceError(
                    f"the workspace {self.location} is locked by another program (waited "
                    f"{self.busy_timeout:g} s): another notebook or reviewer is holding a long "
                    "write. Try again in a moment or close the other program. Nothing was "
                    "saved by this attempt; earlier saves are safe"
                )
            if "readonly" in low or "read-only" in low or "permission denied" in low:
                return self.read_only()
            if "not a database" in low or "malformed" in low or "corrupt" in low:
                return self.corrupt()
            if "unable to open" in low:
                return WorkspaceError(
                    f"cannot open the workspace file {self.location}: check that its folder "
                    "exists and that you may write to it"
                )
            return WorkspaceError(f"workspace {self.location}: database error: {text}")
        import psycopg

        if isinstance(orig, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
            return WorkspaceError(
                f"the item is locked in the shared workspace {self.location} by another "
                f"reviewer's unfinished save (waited {self.busy_timeout:g} s); try again. "
                "Nothing was saved by this attempt"
            )
        if isinstance(orig, psycopg.OperationalError):
            return WorkspaceError(
                f"cannot reach the PostgreSQL workspace at {self.host} ({self.location}): "
                f"{text}. Check that the server is running and reachable, and the user, "
                "password and database name in the URL (VLR_DATABASE_URL or --workspace)"
            )
        if isinstance(orig, psycopg.errors.InsufficientPrivilege):
            return self.refused(text)
        return WorkspaceError(f"workspace {self.location}: database error: {text}")

    def refused(self, text: str) -> AccessError:
        """The database refused a change: say which role it needs.

        The team's own checks (the triggers of migration 0003) explain
        themselves with a message starting ``vlr:``; a table the role has no
        grant on ("permission denied for table records") is explained from the
        user's team role. Nothing of the refused transaction was saved.
        """
        if text.startswith("vlr: "):
            return AccessError(f"{text[5:]}. Nothing was saved by this attempt")
        user, role = self.team_identity()
        table = text.rsplit(" ", 1)[-1] if text.startswith("permission denied for table") else ""
        if role == "observer":
            need = (
                f"{user} has the team role observer, which may only read; saving needs the "
                "team role reviewer or lead"
            )
        elif role == "reviewer" and table in ("reviews", "review_members"):
            need = (
                f"{user} has the team role reviewer; starting a review or changing one (its "
                "status, reviewers or members) needs the role lead"
            )
        elif role is not None:
            need = (
                f"{user} has the team role {role}; this needs the workspace owner (adding "
                "team members, importing bundles, upgrading the schema)"
            )
        else:
            need = (
                f"the database user {user} is not on this workspace's team; the workspace "
                "owner adds it with `scripts/hub add-user NAME --role reviewer` "
                "(or `vlr team add`)"
            )
        return AccessError(
            f"the shared workspace {self.location} refused the change ({text}): {need}. "
            "Nothing was saved by this attempt"
        )

    def team_identity(self) -> tuple[str, str | None]:
        """The database user and its team role (None: not on the team, e.g. the owner).

        On SQLite there are no database users: ``("", None)``.
        """
        if self.backend != "postgresql":
            return "", None
        try:
            with self.engine.connect() as conn:
                user = str(conn.exec_driver_sql("SELECT current_user").scalar())
                role = conn.execute(sa.text("SELECT vlr_team_role(current_user)")).scalar()
                conn.rollback()
        except sa.exc.SQLAlchemyError:
            return "?", None
        return user, None if role is None else str(role)

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """Translate driver errors raised in the block into WorkspaceError."""
        try:
            yield
        except WorkspaceError:
            raise
        except (sa.exc.DBAPIError, sqlite3.Error) as exc:
            raise self.explain(exc) from exc
        except sa.exc.SQLAlchemyError as exc:
            raise WorkspaceError(f"workspace {self.location}: {exc}") from exc

    # -- transactions --------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction that sees one consistent snapshot."""
        with self.errors(), self.engine.connect() as conn:
            if self.backend == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction, committed (durably) when the block ends without error."""
        with self.errors(), self.engine.connect() as conn:
            conn.execution_options(vlr_write=True)
            with conn.begin():
                yield conn

    # -- schema ------------------------------------------------------------------

    def _alembic(self) -> tuple[Any, Any]:
        from alembic.config import Config
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
        config.set_main_option("path_separator", "os")
        return config, ScriptDirectory.from_config(config)

    def _current_revision(self, conn: Connection, script: Any) -> str | None:
        from alembic.runtime.migration import MigrationContext
        from alembic.util import CommandError

        current = MigrationContext.configure(conn).get_current_revision()
        if current is None:
            return None
        try:
            script.get_revision(current)
        except (CommandError, KeyError, ValueError):
            raise WorkspaceError(
                f"the workspace {self.location} was written by a newer version of vlr-tools "
                f"(schema revision {current!r}; this version knows up to "
                f"{script.get_current_head()!r}). Upgrade vlr-tools to open it; nothing was "
                "changed"
            ) from None
        return str(current)

    def _check_ours(self, conn: Connection) -> None:
        """Refuse a database that holds someone else's tables, before changing it."""
        names = set(sa.inspect(conn).get_table_names())
        ours = sorted(names & set(TABLES))
        if ours:
            raise WorkspaceError(
                f"{self.location} has workspace tables ({', '.join(ours)}) but no schema "
                "version (alembic_version): it was not made by vlr-tools or is damaged. "
                "Refusing to change it"
            )
        if self.backend == "sqlite" and names:
            raise WorkspaceError(
                f"{self.location} is a SQLite database of another program (tables: "
                f"{', '.join(sorted(names)[:5])}), not a VLR workspace; refusing to change it. "
                "Choose another folder or file"
            )

    def _head_if_current(self) -> str | None:
        """The schema revision when the workspace is already at the newest one, else None.

        Read without alembic: importing it takes a noticeable part of a short
        command's run (``vlr memo``), and an up-to-date workspace, the usual
        case, needs nothing from it. Anything unusual (no version table, an
        older or newer revision, a migration file not understood) returns
        None and the full check in :meth:`_migrate` runs.
        """
        head = migration_head()
        if head is None:
            return None
        try:
            with self.engine.connect() as conn:
                current = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
                conn.rollback()
        except sa.exc.SQLAlchemyError:
            return None
        if current != head:
            return None
        # Verified: from now on every (new) connection runs in WAL mode.
        self._wal_ready = True
        self.engine.dispose()
        return head

    def _migrate(self) -> str:
        """Check the schema version; create or upgrade an empty or older workspace."""
        fast = self._head_if_current()
        if fast is not None:
            return fast
        from alembic import command

        config, script = self._alembic()
        head = str(script.get_current_head())
        with self.errors(), self.engine.connect() as conn:
            current = self._current_revision(conn, script)
            if current is None:
                self._check_ours(conn)
            conn.rollback()
        # Verified: from now on every (new) connection runs in WAL mode.
        self._wal_ready = True
        self.engine.dispose()
        if current == head:
            return head
        with self.write() as conn:
            if self.backend == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY}
                )
            # Another process may have migrated while we waited for the lock.
            current = self._current_revision(conn, script)
            if current is None:
                self._check_ours(conn)
            if current != head:
                config.attributes["connection"] = conn
                command.upgrade(config, "head")
        return head


_REVISION_LINE = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.M)


def migration_head(folder: Path | None = None) -> str | None:
    """The newest schema revision, read from the migration files' ``revision`` and
    ``down_revision`` lines; None when they cannot be read that simply."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((folder or MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        revision = found.get("revision", "").strip("\"'")
        parent = found.get("down_revision", "").strip("\"'")
        if not revision or not parent or parent.startswith(("(", "[")):
            return None  # a merge of branches, or a layout this reader does not know
        revisions.add(revision)
        if parent != "None":
            parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None
