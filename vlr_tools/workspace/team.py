"""A team on one shared PostgreSQL workspace: its members, each review's members, access.

Who may change what is decided by PostgreSQL, not by this code: each team
member has their own database role, and the row-level security policies and
triggers of migration 0003 let a member write only to the reviews they belong
to, let observers only read, let only a review's lead set final ratings and
change the review, and record the database user with every change. This
module manages the lists those rules read, and says which rules are in force.

The workspace's *owner* (the database role that created it and runs its
migrations; on a team server, the hub's administrator) is not a team member:
the policies do not apply to it. It adds and removes team members
(:meth:`TeamStore.add_team_member`, which needs PostgreSQL's CREATEROLE right).
A review's lead adds and removes that review's members
(:meth:`TeamStore.add_member`).

SQLite (one person, one laptop) has no database users: none of this applies
there, and :meth:`TeamStore.access` says so.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import AccessError, WorkspaceError, WorkspaceValueError
from .model import REVIEW_KIND, now
from .schema import (
    TABLES,
    TEAM_ROLES,
    review_members_table,
    reviews_table,
    team_table,
)

#: A team member's name: a hub user name that is also a PostgreSQL role name.
TEAM_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_RESERVED = {"public", "none", "postgres", "current_user", "session_user", "current_role"}

# Table rights by team role. Row-level security narrows them to the reviews a
# member belongs to, and to what their role on each review allows.
_READ = (*TABLES, "alembic_version")
_GRANTS = {
    "observer": [f"SELECT ON {', '.join(_READ)}"],
    "reviewer": [
        f"SELECT ON {', '.join(_READ)}",
        "INSERT, UPDATE ON records, cities, drafts",
        "INSERT ON history, blobs",
    ],
    "lead": [
        f"SELECT ON {', '.join(_READ)}",
        "INSERT, UPDATE ON records, cities, drafts, reviews",
        "INSERT ON history, blobs",
        "INSERT, UPDATE, DELETE ON review_members",
    ],
}


@dataclass(frozen=True)
class TeamMember:
    """One member of a workspace's team (``vlr team list``)."""

    name: str
    role: str
    display_name: str | None
    active: bool
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class ReviewMember:
    """One member of one review, with their role on it (``vlr team members``)."""

    review_id: str
    name: str
    role: str
    added_at: datetime
    added_by: str


def check_team_name(name: object) -> str:
    """Return ``name`` if it can be a team member (hub user and database role), else raise."""
    if not isinstance(name, str) or not TEAM_NAME_RE.match(name) or name in _RESERVED:
        raise WorkspaceValueError(
            f"team member name {name!r} is not allowed; use 1 to 32 lower-case letters, "
            "digits or '_', starting with a letter (it is both the hub user name and the "
            "database role), e.g. 'maria' or 'j_santos'"
        )
    if name.startswith("pg_"):
        raise WorkspaceValueError(
            f"team member name {name!r} is not allowed: names starting with 'pg_' belong to "
            "PostgreSQL"
        )
    return name


def check_team_role(role: object, where: str = "role") -> str:
    """Return ``role`` if it is lead, reviewer or observer, else raise."""
    if role not in TEAM_ROLES:
        raise WorkspaceValueError(
            f"{where} {role!r} is not allowed; allowed: {', '.join(TEAM_ROLES)}"
        )
    return str(role)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    if "\x00" in text:
        raise WorkspaceValueError("a password must not contain a NUL character")
    return "'" + text.replace("'", "''") + "'"


class TeamStore:
    """Team and review membership; mixed into :class:`~vlr_tools.workspace.Workspace`."""

    _db: Any
    _team_user: str
    _team_role: str | None

    def _who(self, reviewer: str | None) -> str:  # pragma: no cover - provided by Workspace
        raise NotImplementedError

    @property
    def reviewer(self) -> str | None:  # pragma: no cover - provided by Workspace
        raise NotImplementedError

    def _review_in(self, conn: Connection, review_id: str, *, lock: bool = False) -> Any:
        raise NotImplementedError  # pragma: no cover - provided by Workspace

    def _log(self, conn: Connection, *args: Any) -> None:
        raise NotImplementedError  # pragma: no cover - provided by Workspace

    @property
    def team_role(self) -> str | None:
        """This connection's team role (lead, reviewer, observer), or None when it is not a
        team member (SQLite, or the workspace's owner)."""
        return self._team_role

    def access(self) -> dict[str, str]:
        """Which access rules are in force for this connection, in words (``vlr workspace info``)."""
        if self._db.backend == "sqlite":
            return {
                "access": "no checks: a SQLite workspace is for one person on one laptop; anyone "
                "who can write the file can change any review, and the history records the "
                "name each person gives (use a team server on PostgreSQL for checked roles)",
            }
        if self._team_role is None:
            with self._db.read() as conn:
                count = conn.execute(
                    sa.select(sa.func.count()).select_from(team_table).where(team_table.c.active)
                ).scalar_one()
            return {
                "access": f"owner ({self._team_user}): full access, not subject to the team's "
                "checks; the history records the name the client gives",
                "team": f"{count} active member(s) with their own database roles; PostgreSQL "
                "enforces their roles (row-level security)"
                if count
                else "none yet (add members with scripts/hub add-user or vlr team add)",
            }
        return {
            "access": f"team member {self._team_user} (team role {self._team_role}): PostgreSQL "
            "lets you see and change only the reviews you are a member of, as your role on "
            "each allows (row-level security)",
            "recorded as": f"{self._team_user}: the database records its user with every "
            "change, whatever name a client sends",
        }

    def history_source(self) -> str:
        """Where the names in this workspace's history come from, in words."""
        if self._db.backend == "postgresql" and self._team_role is not None:
            return (
                "names recorded by PostgreSQL (the database user of each change on this team "
                "workspace; rows written before the team was set up, or by the owner, carry "
                "the name their client gave)"
            )
        return "names as each client gave them (no database users check them here)"

    # -- the team (workspace owner) --------------------------------------------------

    def _need_postgres(self, what: str) -> None:
        if self._db.backend != "postgresql":
            raise WorkspaceError(
                f"{what} needs a shared PostgreSQL workspace: a SQLite workspace has no "
                "database users (one person, one laptop). Open the team's workspace with "
                "--workspace postgresql+psycopg://... or VLR_DATABASE_URL"
            )

    def _need_owner(self, what: str) -> None:
        self._need_postgres(what)
        if self._team_role is not None:
            raise AccessError(
                f"{what} is the workspace owner's job; you are the team member "
                f"{self._team_user} ({self._team_role}). Ask the hub administrator"
            )

    def add_team_member(
        self,
        name: str,
        role: str,
        *,
        password: str | None = None,
        display_name: str | None = None,
        login: str = "password",
        reviewer: str | None = None,
    ) -> tuple[TeamMember, str | None]:
        """Give ``name`` a database role on this workspace with team role ``role``.

        Run as the workspace owner, who needs PostgreSQL's CREATEROLE right.
        ``login="password"`` sets ``password`` (a new random one when None;
        returned so the hub can hand it to the user's server); ``"peer"``
        leaves the role without a password, for servers that run as an
        operating-system user of the same name and connect over the local
        socket. Adding an existing member changes their role and re-enables a
        removed one. Returns the member and the password set (None for peer).
        """
        self._need_owner("adding a team member")
        name = check_team_name(name)
        role = check_team_role(role, "team role")
        if login not in ("password", "peer"):
            raise WorkspaceValueError(f"login {login!r} is not allowed; allowed: password, peer")
        if login == "password" and password is None:
            password = secrets.token_urlsafe(24)
        if login == "peer":
            password = None
        # Recorded as added by the name given, else the owner's database user.
        who = self._who(reviewer) if reviewer or self.reviewer else self._team_user
        with self._db.write() as conn:
            owner = conn.exec_driver_sql("SELECT current_user").scalar()
            may = conn.exec_driver_sql(
                "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
            ).scalar()
            if not may:
                raise AccessError(
                    f"adding a team member makes a database role, which needs PostgreSQL's "
                    f"CREATEROLE right; the workspace owner {owner} does not have it "
                    f"(as a database superuser: ALTER ROLE {owner} CREATEROLE)"
                )
            found = conn.execute(
                sa.text("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = :n"),
                {"n": name},
            ).first()
            if name == owner or (found is not None and (found[0] or found[1])):
                raise AccessError(
                    f"{name} is an administrative database role (the owner, a superuser or a "
                    "role that creates roles); a team member must be an ordinary role. "
                    "Choose another name"
                )
            secret = "PASSWORD NULL" if password is None else f"PASSWORD {_literal(password)}"
            verb = "ALTER" if found is not None else "CREATE"
            conn.exec_driver_sql(f"{verb} ROLE {_quoted(name)} LOGIN {secret}")
            self._grant(conn, name, role)
            when = now()
            values = {"role": role, "display_name": display_name, "active": True}
            updated = conn.execute(
                team_table.update().where(team_table.c.name == name).values(**values)
            )
            if not updated.rowcount:
                conn.execute(
                    team_table.insert().values(name=name, added_at=when, added_by=who, **values)
                )
            member = self._team_member_in(conn, name)
        return member, password

    def _grant(self, conn: Connection, name: str, role: str) -> None:
        schema = _quoted(str(conn.exec_driver_sql("SELECT current_schema()").scalar()))
        user = _quoted(name)
        conn.exec_driver_sql(f"REVOKE ALL ON {', '.join(_READ)} FROM {user}")
        conn.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {user}")
        connect = conn.execute(
            sa.text("SELECT has_database_privilege(:n, current_database(), 'CONNECT')"),
            {"n": name},
        ).scalar()
        if not connect:  # PUBLIC may connect by default; a locked-down database needs this
            database = _quoted(str(conn.exec_driver_sql("SELECT current_database()").scalar()))
            conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {user}")
        conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {user}")
        for grant in _GRANTS[role]:
            conn.exec_driver_sql(f"GRANT {grant} TO {user}")
        if role != "observer":
            conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {user}")

    def remove_team_member(self, name: str) -> TeamMember:
        """Disable a team member: no login, no rights; their work and history stay.

        Their review memberships stay listed but grant nothing while they are
        disabled; :meth:`add_team_member` enables them again.
        """
        self._need_owner("removing a team member")
        name = check_team_name(name)
        with self._db.write() as conn:
            member = self._team_member_in(conn, name)
            conn.execute(team_table.update().where(team_table.c.name == name).values(active=False))
            conn.exec_driver_sql(f"REVOKE ALL ON {', '.join(_READ)} FROM {_quoted(name)}")
            conn.exec_driver_sql(f"ALTER ROLE {_quoted(name)} NOLOGIN")
        return TeamMember(**{**member.__dict__, "active": False})

    def _team_member_in(self, conn: Connection, name: str) -> TeamMember:
        row = conn.execute(sa.select(team_table).where(team_table.c.name == name)).first()
        if row is None:
            raise WorkspaceValueError(
                f"{name} is not on the team of {self._db.location}; see `vlr team list`"
            )
        return TeamMember(**row._asdict())

    def team_members(self) -> list[TeamMember]:
        """Everyone on the team (disabled members too), by name. Empty on SQLite."""
        if self._db.backend != "postgresql":
            return []
        with self._db.read() as conn:
            rows = conn.execute(sa.select(team_table).order_by(team_table.c.name))
            return [TeamMember(**row._asdict()) for row in rows]

    # -- review members (the review's lead, or the owner) ------------------------------

    def members(self, review_id: str) -> list[ReviewMember]:
        """The members of a review and their roles, leads first. Empty on SQLite."""
        if self._db.backend != "postgresql":
            return []
        order = sa.case({r: i for i, r in enumerate(TEAM_ROLES)}, value=review_members_table.c.role)
        with self._db.read() as conn:
            self._review_in(conn, review_id)
            rows = conn.execute(
                sa.select(review_members_table)
                .where(review_members_table.c.review_id == review_id)
                .order_by(order, review_members_table.c.name)
            )
            return [ReviewMember(**row._asdict()) for row in rows]

    def add_member(
        self, review_id: str, name: str, role: str, *, reviewer: str | None = None
    ) -> ReviewMember:
        """Make team member ``name`` a member of a review as lead, reviewer or observer.

        Only the review's lead (or the workspace owner) may; a member can be no
        more on a review than on the team. A lead or reviewer is also listed
        among the review's reviewers (memos name them). Changing the role of a
        member already there is allowed; all of it in one transaction.
        """
        self._need_postgres("review membership")
        name = check_team_name(name)
        role = check_team_role(role)
        who = self._who(reviewer)
        with self._db.write() as conn:
            review = self._review_in(conn, review_id, lock=True)
            self._add_member_in(conn, review_id, name, role, who)
            names = list(review.reviewers)
            if role == "observer" and name in names:
                names.remove(name)
            elif role != "observer" and name not in names:
                names.append(name)
            self._set_reviewers_in(conn, review, names, who)
            row = conn.execute(
                sa.select(review_members_table).where(
                    review_members_table.c.review_id == review_id,
                    review_members_table.c.name == name,
                )
            ).one()
            return ReviewMember(**row._asdict())

    def _add_member_in(
        self, conn: Connection, review_id: str, name: str, role: str, who: str
    ) -> None:
        t = review_members_table
        changed = conn.execute(
            t.update().where(t.c.review_id == review_id, t.c.name == name).values(role=role)
        )
        if not changed.rowcount:
            conn.execute(
                t.insert().values(
                    review_id=review_id, name=name, role=role, added_at=now(), added_by=who
                )
            )

    def remove_member(self, review_id: str, name: str, *, reviewer: str | None = None) -> None:
        """Remove ``name`` from a review (their ratings and history stay)."""
        self._need_postgres("review membership")
        name = check_team_name(name)
        who = self._who(reviewer)
        t = review_members_table
        with self._db.write() as conn:
            review = self._review_in(conn, review_id, lock=True)
            gone = conn.execute(t.delete().where(t.c.review_id == review_id, t.c.name == name))
            if not gone.rowcount:
                raise WorkspaceValueError(
                    f"{name} is not a member of review {review_id}; see `vlr team members "
                    f"{review_id}`"
                )
            names = [n for n in review.reviewers if n != name]
            self._set_reviewers_in(conn, review, names, who)

    def _set_reviewers_in(self, conn: Connection, review: Any, names: list[str], who: str) -> None:
        """Change the review's reviewers list (with its history row) when it differs."""
        if names == list(review.reviewers) or not names:
            return
        when = now()
        revision = review.revision + 1
        conn.execute(
            reviews_table.update()
            .where(reviews_table.c.id == review.id)
            .values(reviewers=names, revision=revision, updated_at=when, updated_by=who)
        )
        item = (review.id, REVIEW_KIND, review.id)
        old = {"reviewers": list(review.reviewers)}
        self._log(conn, item, "update", old, {"reviewers": names}, revision, who, when)
