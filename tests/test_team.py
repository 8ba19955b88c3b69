"""Team workspaces: PostgreSQL decides who may change what; SQLite says it does not.

The PostgreSQL tests give each team member their own database role (unique to
the run: roles are shared by every database on the server) and check the rules
with the library and with raw SQL on the member's own connection, which
bypasses every check the library makes.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from vlr_tools.cli import main
from vlr_tools.errors import AccessError, WorkspaceError, WorkspaceValueError
from vlr_tools.workspace import open_workspace

# -- SQLite and the hub's identity -------------------------------------------------------


def test_sqlite_has_no_team_and_says_so(tmp_path, capsys):
    where = str(tmp_path / "ws")
    assert main(["workspace", "info", "--workspace", where]) == 0
    out = capsys.readouterr().out
    assert "no checks" in out and "one person on one laptop" in out
    assert main(["team", "list", "--workspace", where]) == 0
    assert "SQLite workspace: no team" in capsys.readouterr().out
    with open_workspace(where, reviewer="A. Reviewer") as ws:
        rv = ws.create_review("santa-rosa")
        assert ws.team_role is None and ws.members(rv.id) == [] and ws.team_members() == []
        with pytest.raises(WorkspaceError, match="needs a shared PostgreSQL workspace"):
            ws.add_team_member("maria", "reviewer")
        with pytest.raises(WorkspaceError, match="needs a shared PostgreSQL workspace"):
            ws.add_member(rv.id, "maria", "reviewer")
    assert main(["team", "add", "maria", "--role", "lead", "--workspace", where]) == 2
    assert "needs a shared PostgreSQL workspace" in capsys.readouterr().err


def test_in_a_hub_session_the_reviewer_is_the_hub_user(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("JUPYTERHUB_USER", "maria")
    monkeypatch.delenv("VLR_REVIEWER", raising=False)
    monkeypatch.setenv("VLR_CONFIG", str(tmp_path / "config.yaml"))
    (tmp_path / "config.yaml").write_text("reviewer: Someone Else\n", encoding="utf-8")
    where = tmp_path / "ws"
    with open_workspace(where) as ws:
        assert ws.reviewer == "maria"
        rv = ws.create_review("santa-rosa")
        assert ws.put(rv.id, "note", "n1", {"text": "mine"}).updated_by == "maria"
        with pytest.raises(WorkspaceError, match="you are 'maria'"):
            ws.put(rv.id, "note", "n2", {"text": "as someone else"}, reviewer="Other Person")
        monkeypatch.setenv("VLR_REVIEWER", "Other Person")
        with pytest.raises(WorkspaceError, match="VLR_REVIEWER is 'Other Person'"):
            ws.put(rv.id, "note", "n3", {"text": "via the environment"})
        monkeypatch.delenv("VLR_REVIEWER")
        assert [h.who for h in ws.history_entries(rv.id)] == ["maria", "maria"]
    with pytest.raises(WorkspaceError, match="you are 'maria'"):
        open_workspace(where, reviewer="Other Person")
    # A notebook's placeholder name means "not set" in the hub.
    with open_workspace(where, reviewer="Notebook Reviewer (illustrative)") as ws:
        assert ws.reviewer == "maria"
    assert main(["workspace", "whoami"]) == 0
    assert "maria (from your account on the team hub)" in capsys.readouterr().out
    assert main(["workspace", "whoami", "--set", "Other Person"]) == 2
    assert "no other name to save" in capsys.readouterr().err
    assert main(["workspace", "info", "--workspace", str(where), "--reviewer", "bob"]) == 2
    assert "you are 'maria'" in capsys.readouterr().err


# -- PostgreSQL: the database's own rules ---------------------------------------------------


def _base_url() -> str:
    url = os.environ.get("VLR_TEST_DATABASE_URL")
    if url:
        return url
    if os.environ.get("CI") or os.environ.get("VLR_REQUIRE_POSTGRES"):
        pytest.fail(
            "VLR_TEST_DATABASE_URL is not set; run `export VLR_TEST_DATABASE_URL=$(scripts/pg start)`"
        )
    pytest.skip("team tests need PostgreSQL (export VLR_TEST_DATABASE_URL=$(scripts/pg start))")


class Team:
    """A fresh schema with an owner's workspace and four members with their own roles."""

    def __init__(self, owner_url: str, names: dict[str, str], passwords: dict[str, str]):
        self.owner_url = owner_url
        self.names = names
        self.passwords = passwords

    def url(self, role: str) -> str:
        name = self.names[role]
        url = make_url(self.owner_url).set(username=name, password=self.passwords[name])
        return url.render_as_string(hide_password=False)

    def open(self, role: str, **kwargs):
        return open_workspace(self.url(role), **kwargs)

    def raw(self, role: str) -> sa.Engine:
        """The member's own connection, with no workbench code in between."""
        return sa.create_engine(self.url(role))

    def counts(self) -> tuple[int, int]:
        engine = sa.create_engine(self.owner_url)
        with engine.connect() as conn:
            found = tuple(
                conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                for t in ("records", "history")
            )
        engine.dispose()
        return found  # type: ignore[return-value]


@pytest.fixture
def team():
    base = _base_url()
    tag = uuid.uuid4().hex[:6]
    schema = f"vlrteam_{tag}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    owner_url = (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    names = {role: f"{role[:3]}_{tag}" for role in ("lead", "reviewer", "observer", "outsider")}
    passwords: dict[str, str] = {}
    try:
        with open_workspace(owner_url, reviewer="Hub Admin") as owner:
            for role, name in names.items():
                team_role = "reviewer" if role == "outsider" else role
                passwords[name] = owner.add_team_member(name, team_role)[1] or ""
        yield Team(owner_url, names, passwords)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            for name in names.values():
                conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
        admin.dispose()


@pytest.fixture
def started(team):
    """A review started by the lead, with the reviewer and the observer as members."""
    n = team.names
    with team.open("lead") as ws:
        rv = ws.create_review("santa-rosa", reviewers=(n["lead"], n["reviewer"]))
        ws.add_member(rv.id, n["observer"], "observer")
        ws.put(rv.id, "rating", f"B1/{n['lead']}", {"rating": "met", "reviewer": n["lead"]})
    return rv


pg = pytest.mark.postgres


@pg
def test_members_and_roles_of_a_review(team, started):
    n = team.names
    with team.open("lead") as ws:
        members = {m.name: m.role for m in ws.members(started.id)}
        assert members == {n["lead"]: "lead", n["reviewer"]: "reviewer", n["observer"]: "observer"}
        assert ws.review(started.id).reviewers == (n["lead"], n["reviewer"])
        assert ws.review(started.id).created_by == n["lead"]
    # Nobody is more on a review than on the team.
    with team.open("lead") as ws, pytest.raises(AccessError, match="team role observer"):
        ws.add_member(started.id, n["observer"], "reviewer")
    # Only the review's lead adds members.
    with (
        team.open("reviewer") as ws,
        pytest.raises(AccessError, match="role needed: lead|needs the role lead"),
    ):
        ws.add_member(started.id, n["outsider"], "reviewer")
    # The outsider sees neither the review nor its members.
    with team.open("outsider") as ws:
        assert ws.reviews() == []
        with pytest.raises(WorkspaceError, match="no review"):
            ws.members(started.id)


@pg
def test_what_each_role_may_write_through_the_library(team, started):
    n = team.names
    rid = started.id
    before = team.counts()
    with team.open("observer") as ws:
        assert ws.reviewer == n["observer"]
        assert len(ws.records(rid, "rating")) == 1  # reads the review
        with pytest.raises(AccessError, match="team role observer.*reviewer or lead"):
            ws.put(rid, "rating", f"B1/{n['observer']}", {"rating": "met"})
    with team.open("reviewer") as ws:
        with pytest.raises(AccessError, match="only the lead of review .* sets final ratings"):
            ws.put(rid, "final_rating", "B1", {"rating": "met"})
        with pytest.raises(AccessError, match="may save only their own ratings"):
            ws.put(rid, "rating", f"B1/{n['lead']}", {"rating": "not_met"})
        with pytest.raises(AccessError, match="needs the role lead"):
            ws.update_review(rid, status="final")
        with pytest.raises(AccessError, match="lead"):
            ws.put_many(rid, "final_rating", {"B1": {"rating": "met"}, "B2": {"rating": "met"}})
        with pytest.raises(AccessError, match="workspace owner's job"):
            ws.import_bundle("any.zip")
        with pytest.raises(WorkspaceError, match="records every change under your database user"):
            ws.put(rid, "note", "n1", {"text": "x"}, reviewer="The Lead")
    with team.open("outsider") as ws, pytest.raises(AccessError, match="not a member of review"):
        ws.put(rid, "note", "n1", {"text": "not mine to write"})
    # Nothing of any refused change was saved, not even its history row.
    assert team.counts() == before
    with team.open("reviewer") as ws:
        saved = ws.put(rid, "rating", f"B1/{n['reviewer']}", {"rating": "partly_met"})
        assert saved.updated_by == n["reviewer"]
    with team.open("lead") as ws:
        ws.put(rid, "final_rating", "B1", {"rating": "partly_met"})
        assert ws.update_review(rid, status="final").status == "final"


@pg
def test_raw_sql_cannot_get_round_the_rules(team, started):
    n = team.names
    rid = started.id
    before = team.counts()
    insert = sa.text(
        "INSERT INTO records (review_id, kind, key, data, version, deleted, updated_by, updated_at) "
        "VALUES (:r, :kind, :key, '{}', 1, false, :who, now())"
    )
    outsider = team.raw("outsider")
    with outsider.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM records").scalar() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM reviews").scalar() == 0
        changed = conn.execute(
            sa.text('UPDATE records SET data = \'{"rating": "not_met"}\' WHERE review_id = :r'),
            {"r": rid},
        )
        assert changed.rowcount == 0
        conn.commit()
        with pytest.raises(sa.exc.ProgrammingError, match="not a member of review"):
            conn.execute(insert, {"r": rid, "kind": "note", "key": "x", "who": n["outsider"]})
        conn.rollback()
    outsider.dispose()
    observer = team.raw("observer")
    with observer.connect() as conn:
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied for table records"):
            conn.execute(insert, {"r": rid, "kind": "note", "key": "x", "who": n["observer"]})
    observer.dispose()
    reviewer = team.raw("reviewer")
    with reviewer.connect() as conn:
        with pytest.raises(sa.exc.ProgrammingError, match="sets final ratings"):
            conn.execute(
                insert, {"r": rid, "kind": "final_rating", "key": "B1", "who": n["reviewer"]}
            )
        conn.rollback()
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied for table reviews"):
            conn.execute(sa.text("UPDATE reviews SET status = 'final' WHERE id = :r"), {"r": rid})
        conn.rollback()
        with pytest.raises(sa.exc.ProgrammingError, match="only their own ratings"):
            conn.execute(
                sa.text('UPDATE records SET data = \'{"rating": "not_met"}\' WHERE key = :k'),
                {"k": f"B1/{n['lead']}"},
            )
        conn.rollback()
        with pytest.raises(sa.exc.ProgrammingError, match="permission denied for table history"):
            conn.execute(sa.text("DELETE FROM history WHERE review_id = :r"), {"r": rid})
        conn.rollback()
    assert team.counts() == before
    # A name written by the client is replaced by the database user.
    with reviewer.begin() as conn:
        conn.execute(insert, {"r": rid, "kind": "note", "key": "forged", "who": n["lead"]})
        conn.execute(
            sa.text(
                "INSERT INTO history (review_id, kind, key, action, version, who, at) "
                "VALUES (:r, 'note', 'forged', 'create', 1, :who, now())"
            ),
            {"r": rid, "who": n["lead"]},
        )
    reviewer.dispose()
    with team.open("lead") as ws:
        assert ws.get(rid, "note", "forged").updated_by == n["reviewer"]
        assert [h.who for h in ws.history_entries(rid, "note", "forged")] == [n["reviewer"]]


@pg
def test_cli_for_the_team(team, started, tmp_path, capsys):
    n = team.names
    secret = tmp_path / "nina.pw"
    nina = f"nin_{n['lead'][4:]}"
    try:
        code = main(
            ["team", "add", nina, "--role", "observer", "--workspace", team.owner_url]
            + ["--password-file", str(secret), "--display-name", "Nina (city focal person)"]
        )
        assert code == 0, capsys.readouterr().err
        assert oct(secret.stat().st_mode & 0o777) == "0o600"
        assert main(["team", "list", "--workspace", team.owner_url]) == 0
        listed = capsys.readouterr().out
        assert nina in listed and "Nina (city focal person)" in listed and "observer" in listed
        lead_url = team.url("lead")
        assert (
            main(
                [
                    "team",
                    "add-member",
                    started.id,
                    nina,
                    "--role",
                    "observer",
                    "--workspace",
                    lead_url,
                ]
            )
            == 0
        )
        assert main(["team", "members", started.id, "--workspace", lead_url]) == 0
        assert nina in capsys.readouterr().out
        nina_url = make_url(team.owner_url).set(username=nina, password=secret.read_text().strip())
        nina_url = nina_url.render_as_string(hide_password=False)
        assert main(["workspace", "info", "--workspace", nina_url]) == 0
        info = capsys.readouterr().out
        assert f"team member {nina} (team role observer)" in info and "row-level security" in info
        assert main(["workspace", "history", started.id, "--workspace", nina_url]) == 0
        shown = capsys.readouterr()
        assert f"B1/{n['lead']}" in shown.out and "names recorded by PostgreSQL" in shown.err
        assert main(["checklist", "rate", started.id, "B1", "met", "--workspace", nina_url]) == 2
        assert "observer" in capsys.readouterr().err
        # A member cannot add team members; the owner disables one, who can no longer log in.
        assert main(["team", "add", "someone", "--role", "lead", "--workspace", lead_url]) == 2
        assert "workspace owner's job" in capsys.readouterr().err
        assert main(["team", "remove", nina, "--workspace", team.owner_url]) == 0
        assert main(["workspace", "info", "--workspace", nina_url]) == 2
        assert "not permitted to log in" in capsys.readouterr().err
    finally:
        admin = sa.create_engine(_base_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.execute(
                sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": nina}
            ).first()
            schema = make_url(team.owner_url).query["options"].split("=", 1)[1]
            if exists is not None:
                for what in ("ALL TABLES IN SCHEMA", "ALL SEQUENCES IN SCHEMA", "SCHEMA"):
                    conn.exec_driver_sql(f'REVOKE ALL ON {what} {schema} FROM "{nina}"')
                conn.exec_driver_sql(f'DROP ROLE "{nina}"')
        admin.dispose()


@pg
def test_bad_team_names_and_roles_are_refused(team):
    with open_workspace(team.owner_url, reviewer="Hub Admin") as owner:
        for bad in ("Maria", "pg_admin", "public", "a-b", "x" * 40, ""):
            with pytest.raises(WorkspaceValueError, match="not allowed"):
                owner.add_team_member(bad, "reviewer")
        with pytest.raises(WorkspaceValueError, match="allowed: lead, reviewer, observer"):
            owner.add_team_member("maria", "admin")
        owner_name = make_url(team.owner_url).username
        with pytest.raises(AccessError, match="administrative database role"):
            owner.add_team_member(owner_name, "lead")


@pg
def test_an_observer_reads_a_review_and_its_memo_without_writing(team):
    """A partner city's focal person opens their review, its inputs and its memo: all
    reads, so nothing is refused and nothing is written."""
    from vlr_tools.checklist import rate
    from vlr_tools.intake import start_sample_review
    from vlr_tools.memo import build_memo, memo_bytes
    from vlr_tools.review import open_review

    n = team.names
    with team.open("lead") as ws:
        rv = start_sample_review(ws, "san-fernando", "v1")
        ws.add_member(rv.id, n["observer"], "observer")
        rate(ws, rv.id, "B1", "met", pages="2", comment="Scope is clear.")
    before = team.counts()
    with team.open("observer") as ws:
        opened = open_review(ws, rv.id)
        assert opened.city.slug == "san-fernando" and opened.draft_file is not None
        memo = memo_bytes(build_memo(ws, rv.id), "md").decode()
    assert "Scope is clear." in memo
    assert team.counts() == before
