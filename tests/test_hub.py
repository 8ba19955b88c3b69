"""The team server end to end: JupyterHub on 127.0.0.1 with a lead, a reviewer and an
observer on one PostgreSQL workspace, their servers started through the hub's REST
API, the library run in each one's kernel.

The test starts and stops everything itself (``scripts/hub start`` / ``stop``), in a
database and a state folder of its own, with hub user names unique to the run (the
PostgreSQL server's roles are shared by every database on it).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
HUB = PROJECT_DIR / "scripts" / "hub"
PROXY = PROJECT_DIR / "deploy" / "jupyterhub" / "node_modules" / ".bin" / "configurable-http-proxy"


def _need(what: str) -> None:
    if os.environ.get("CI") or os.environ.get("VLR_REQUIRE_POSTGRES"):
        pytest.fail(f"the team server test needs {what} (scripts/setup installs it)")
    pytest.skip(f"the team server test needs {what}")


def _free_ports() -> int:
    """A port P with P, P+1 and P+2 free on 127.0.0.1 (hub, hub API, proxy API)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port > 65000:
            continue
        taken = False
        for p in (port, port + 1, port + 2):
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", p))
                except OSError:
                    taken = True
        if not taken:
            return port
    raise RuntimeError("no three free ports in a row on 127.0.0.1")


class Hub:
    """The running hub of this test: URLs, users, the admin token, and helpers."""

    def __init__(self, state: Path, port: int, env: dict[str, str], url: str, names: dict):
        self.state = state
        self.port = port
        self.env = env
        self.database_url = url
        self.names = names
        self.base = f"http://127.0.0.1:{port}"

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(HUB), *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )

    @property
    def token(self) -> str:
        return (self.state / "secrets" / "admin-token").read_text().strip()

    def api(self, method: str, path: str, **kwargs):
        import requests

        headers = {"Authorization": f"token {self.token}"}
        return requests.request(
            method, f"{self.base}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    def login(self, name: str, password: str) -> bool:
        """Log in through the hub's login form; True when a hub session was given."""
        import requests

        with requests.Session() as web:
            page = web.get(f"{self.base}/hub/login", timeout=30)
            xsrf = web.cookies.get("_xsrf", "")
            assert page.status_code == 200, page.text[:200]
            answer = web.post(
                f"{self.base}/hub/login?_xsrf={xsrf}",
                data={"username": name, "password": password, "_xsrf": xsrf},
                allow_redirects=False,
                timeout=30,
            )
            return answer.status_code == 302 and "jupyterhub-hub-login" in web.cookies

    def start_server(self, name: str) -> None:
        answer = self.api("POST", f"/users/{name}/server")
        assert answer.status_code in (201, 202), answer.text

    def wait_ready(self, name: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = (self.api("GET", f"/users/{name}").json().get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{name}'s server did not start; see {self.state / 'hub.log'}")

    def kernel(self, name: str) -> Kernel:
        answer = self.api_user(name, "POST", "/api/kernels", json={"name": "vlr-tools"})
        assert answer.status_code == 201, answer.text
        return Kernel(self, name, answer.json()["id"])

    def api_user(self, name: str, method: str, path: str, **kwargs):
        import requests

        headers = {"Authorization": f"token {self.token}"}
        url = f"{self.base}/user/{name}{path}"
        return requests.request(method, url, headers=headers, timeout=60, **kwargs)


class Kernel:
    """A kernel in a user's server, driven over the server's websocket as a browser does."""

    def __init__(self, hub: Hub, user: str, kernel_id: str) -> None:
        self.hub, self.user, self.id = hub, user, kernel_id

    def run(self, code: str, timeout: float = 240) -> str:
        """Run ``code``; return its standard output. A Python error fails the test."""
        return asyncio.run(self._run(textwrap.dedent(code), timeout))

    async def _run(self, code: str, timeout: float) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{self.hub.port}/user/{self.user}/api/kernels/{self.id}/channels"
        request = HTTPRequest(url, headers={"Authorization": f"token {self.hub.token}"})
        socket_ = await websocket_connect(request)
        msg_id = uuid.uuid4().hex
        socket_.write_message(
            json.dumps(
                {
                    "header": {
                        "msg_id": msg_id,
                        "username": self.user,
                        "session": uuid.uuid4().hex,
                        "msg_type": "execute_request",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "content": {
                        "code": code,
                        "silent": False,
                        "store_history": False,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                    "channel": "shell",
                    "buffers": [],
                }
            )
        )
        out: list[str] = []
        error: list[str] = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{self.user}'s kernel did not finish:\n{''.join(out)}")
                raw = await asyncio.wait_for(socket_.read_message(), left)
                if raw is None:
                    raise AssertionError(f"{self.user}'s kernel connection closed")
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out.append(content["text"])
                elif kind == "error":
                    error.append("\n".join(content["traceback"]))
                elif kind == "status" and content["execution_state"] == "idle":
                    break
        finally:
            socket_.close()
        if error:
            raise AssertionError(f"error in {self.user}'s kernel:\n{error[0]}\n{''.join(out)}")
        return "".join(out)


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A hub with four team members: lead, reviewer, observer and one on no review."""
    base = os.environ.get("VLR_TEST_DATABASE_URL")
    if not base:
        _need("PostgreSQL (VLR_TEST_DATABASE_URL from scripts/pg start)")
    if not (Path(sys.prefix) / "bin" / "jupyterhub").exists():
        _need("JupyterHub (the hub extra: pip install -e '.[hub]')")
    if not PROXY.exists() or shutil.which("node") is None:
        _need("configurable-http-proxy (npm ci in deploy/jupyterhub)")
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    tag = uuid.uuid4().hex[:6]
    database = f"vlrhub_{tag}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{database}"')
    url = make_url(base).set(database=database).render_as_string(hide_password=False)
    names = {role: f"{role[:3]}_{tag}" for role in ("lead", "reviewer", "observer", "outsider")}
    state = tmp_path_factory.mktemp("hub")
    port = _free_ports()
    env = {
        **os.environ,
        "VLR_HUB_STATE": str(state),
        "VLR_HUB_PORT": str(port),
        "VLR_HUB_DATABASE_URL": url,
        "VLR_VENV": sys.prefix,
        "VLR_HUB_NO_SETUP": "1",
        "PYTHONPATH": str(PROJECT_DIR),
    }
    env.pop("VLR_REVIEWER", None)
    running = Hub(state, port, env, url, names)
    try:
        started = running.run("start")
        assert started.returncode == 0, started.stderr + started.stdout
        for role, name in names.items():
            team_role = "reviewer" if role == "outsider" else role
            added = running.run(
                "add-user", name, "--role", team_role, "--password-stdin", stdin=f"pw-{name}-long\n"
            )
            assert added.returncode == 0, added.stderr
        yield running
    finally:
        stopped = running.run("stop")
        print(stopped.stdout, stopped.stderr)
        _drop_when_free(admin, database, names.values())
        admin.dispose()


def _drop_when_free(admin: Any, database: str, roles: Iterable[str]) -> None:
    """Drop the hub's database and roles once the users' processes have let go of it.

    ``hub stop`` returns when the hub has exited; a user's kernel may hold its database
    connection a moment longer, and the test's (non-superuser) role may not end another
    role's connection (``WITH (FORCE)`` then fails), so the drop is tried again for a while.
    """
    import sqlalchemy as sa

    deadline = time.monotonic() + 30
    while True:
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                for name in roles:
                    conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{name}"')
            return
        except sa.exc.DBAPIError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _db_password(hub: Hub, name: str) -> str:
    return (hub.state / "secrets" / "db" / name).read_text().strip()


@pytest.mark.postgres
@pytest.mark.slow
def test_hub_logins_need_the_right_password_and_an_enabled_account(hub):
    lead = hub.names["lead"]
    assert hub.login(lead, f"pw-{lead}-long")
    assert not hub.login(lead, "wrong-password-123")
    assert not hub.login("nobody_here", "pw-nobody-long")
    # A disabled account: no hub session, and no database login either.
    outsider = hub.names["outsider"]
    password = _db_password(hub, outsider)
    assert hub.login(outsider, f"pw-{outsider}-long")
    removed = hub.run("remove-user", outsider)
    assert removed.returncode == 0, removed.stderr
    assert not hub.login(outsider, f"pw-{outsider}-long")
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(hub.database_url)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(
            host=url.host, port=url.port, dbname=url.database, user=outsider, password=password
        )
    # Enabled again for the other tests (a new database password).
    again = hub.run(
        "add-user",
        outsider,
        "--role",
        "reviewer",
        "--password-stdin",
        stdin=f"pw-{outsider}-long\n",
    )
    assert again.returncode == 0, again.stderr
    assert hub.login(outsider, f"pw-{outsider}-long")
    users = hub.run("users")
    assert outsider in users.stdout and "active" in users.stdout


@pytest.mark.postgres
@pytest.mark.slow
def test_a_team_reviews_through_the_hub_and_the_database_decides_who_may_change_what(hub):
    names = hub.names
    lead, rev, obs, out = names["lead"], names["reviewer"], names["observer"], names["outsider"]
    from concurrent.futures import ThreadPoolExecutor

    # The three servers start at once (the hub answers each request after up to 10 s).
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(hub.start_server, (lead, rev, obs)))
        list(pool.map(hub.wait_ready, (lead, rev, obs)))
        kernels = dict(zip((lead, rev, obs), pool.map(hub.kernel, (lead, rev, obs)), strict=True))

    # The lead starts a review of a sample city's draft and adds the others.
    shown = kernels[lead].run(
        f"""
        import json, os
        from vlr_tools.checklist import rate
        from vlr_tools.intake import start_sample_review
        from vlr_tools.workspace import open_workspace
        ws = open_workspace()
        rv = start_sample_review(ws, "santa-rosa", "v1")
        ws.add_member(rv.id, {rev!r}, "reviewer")
        ws.add_member(rv.id, {obs!r}, "observer")
        rate(ws, rv.id, "B1", "partly_met", pages="2", comment="Scope stated; limits missing.")
        print(json.dumps({{"review": rv.id, "me": ws.reviewer,
                          "hub": os.environ["JUPYTERHUB_USER"], "info": ws.info()["access"]}}))
        """
    )
    facts = json.loads(shown.strip().splitlines()[-1])
    rid = facts["review"]
    assert facts["me"] == facts["hub"] == lead
    assert "row-level security" in facts["info"]

    # The reviewer rates; a different name is refused at once; a forged name in a raw
    # SQL history row is replaced by the database user.
    shown = kernels[rev].run(
        f"""
        import json, os
        import sqlalchemy as sa
        from vlr_tools.checklist import rate
        from vlr_tools.workspace import open_workspace
        ws = open_workspace()
        rate(ws, {rid!r}, "B1", "met", pages="2", comment="Scope and period are stated.")
        try:
            open_workspace(reviewer={lead!r})
        except Exception as exc:
            print("REFUSED-NAME", exc)
        os.environ["VLR_REVIEWER"] = {lead!r}
        try:
            ws.put({rid!r}, "note", "n1", {{"text": "as the lead?"}})
        except Exception as exc:
            print("REFUSED-ENV", exc)
        del os.environ["VLR_REVIEWER"]
        engine = sa.create_engine(os.environ["VLR_DATABASE_URL"])
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO history (review_id, kind, key, action, version, who, at) "
                "VALUES (:r, 'note', 'forged', 'create', 1, :who, now())"),
                {{"r": {rid!r}, "who": {lead!r}}})
        engine.dispose()
        """
    )
    assert f"REFUSED-NAME the reviewer name given is {lead!r}" in shown
    assert "REFUSED-ENV" in shown and "team hub session you are" in shown

    # The observer reads the review but may not rate.
    shown = kernels[obs].run(
        f"""
        from vlr_tools.checklist import rate
        from vlr_tools.errors import AccessError
        from vlr_tools.workspace import open_workspace
        ws = open_workspace()
        print("RATINGS", len(ws.records({rid!r}, "rating")))
        try:
            rate(ws, {rid!r}, "B1", "not_met", comment="observer's view")
        except AccessError as exc:
            print("REFUSED", exc)
        """
    )
    assert "RATINGS 2" in shown
    assert "REFUSED" in shown and "observer" in shown and "reviewer or lead" in shown

    # A team member who is not on the review, with raw SQL on their own connection.
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(hub.database_url)
    with psycopg.connect(
        host=url.host,
        port=url.port,
        dbname=url.database,
        user=out,
        password=_db_password(hub, out),
        autocommit=True,
    ) as conn:
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="not a member of review"):
            conn.execute(
                "INSERT INTO records (review_id, kind, key, data, version, deleted, updated_by, "
                "updated_at) VALUES (%s, 'rating', %s, '{}', 1, false, %s, now())",
                (rid, f"B1/{out}", out),
            )
        changed = conn.execute(
            'UPDATE records SET data = \'{"rating": "not_met"}\' WHERE review_id = %s', (rid,)
        )
        assert changed.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE reviews SET status = 'final' WHERE id = %s", (rid,))

    # Two members change the same item at once: the second save is refused as a conflict.
    kernels[lead].run(f"first = ws.put({rid!r}, 'mapping_decision', 'p1', {{'accepted': [11]}})")
    kernels[rev].run(
        f"ws.put({rid!r}, 'mapping_decision', 'p1', {{'accepted': [6]}}, expected_version=1)"
    )
    shown = kernels[lead].run(
        f"""
        from vlr_tools.errors import ConflictError
        try:
            ws.put({rid!r}, "mapping_decision", "p1", {{"accepted": [11, 13]}},
                   expected_version=first.version)
        except ConflictError as exc:
            print("CONFLICT", exc.current.updated_by, exc.current.data)
        """
    )
    assert f"CONFLICT {rev} {{'accepted': [6]}}" in shown

    # Only the lead sets final ratings and the review's status; the memo has both ratings.
    shown = kernels[rev].run(
        f"""
        from vlr_tools.checklist import set_final
        try:
            set_final(ws, {rid!r}, "B1", "met", note="mine", reviewer={rev!r})
        except Exception as exc:
            print("REFUSED", type(exc).__name__, exc)
        try:
            ws.update_review({rid!r}, status="final")
        except Exception as exc:
            print("REFUSED", type(exc).__name__, exc)
        """
    )
    assert shown.count("REFUSED") == 2 and "lead" in shown
    shown = kernels[lead].run(
        f"""
        import subprocess
        from vlr_tools.checklist import set_final
        from vlr_tools.memo import build_memo, memo_bytes
        set_final(ws, {rid!r}, "B1", "partly_met", note="Limits are missing.")
        ws.update_review({rid!r}, status="final")
        memo = memo_bytes(build_memo(ws, {rid!r}), "md").decode()
        print("MEMO-START"); print(memo); print("MEMO-END")
        history = subprocess.run(["vlr", "workspace", "history", {rid!r}],
                                 capture_output=True, text=True)
        print("HISTORY-START"); print(history.stdout, history.stderr); print("HISTORY-END")
        """
    )
    memo = shown.split("MEMO-START", 1)[1].split("MEMO-END", 1)[0]
    shown_as = {name: name.replace("_", "\\_") for name in (lead, rev, obs)}  # Markdown escapes _
    assert f"**Comment by {shown_as[lead]}:** Scope stated; limits missing." in memo
    assert f"**Comment by {shown_as[rev]}:** Scope and period are stated." in memo
    assert f"{shown_as[lead]} and {shown_as[rev]}" in memo and shown_as[obs] not in memo
    history = shown.split("HISTORY-START", 1)[1].split("HISTORY-END", 1)[0]
    rows = [line.split() for line in history.splitlines() if line[:2] == "20"]  # dated rows
    who = {(row[3], row[4]): row[2] for row in rows if len(row) > 4}
    assert who[("rating", f"B1/{lead}")] == lead
    assert who[("rating", f"B1/{rev}")] == rev
    assert who[("note", "forged")] == rev  # the client said the lead; the database says who
    assert who[("final_rating", "B1")] == lead


def _load_hub_config(tmp_path, monkeypatch, spawner: str):
    pytest.importorskip("nativeauthenticator")
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("VLR_HUB_STATE", str(tmp_path))
    monkeypatch.setenv("VLR_HUB_PORT", "18000")
    monkeypatch.setenv("VLR_HUB_SPAWNER", spawner)
    monkeypatch.setenv(
        "VLR_HUB_DATABASE_URL", "postgresql+psycopg://owner:owner-pw@127.0.0.1:54329/vlrteam"
    )
    loader = PyFileConfigLoader(
        "jupyterhub_config.py", path=str(PROJECT_DIR / "deploy" / "jupyterhub")
    )
    return loader.load_config()


def test_hub_config_stays_on_loopback_and_gives_each_user_their_own_role(tmp_path, monkeypatch):
    from types import SimpleNamespace

    secret = tmp_path / "secrets" / "db" / "maria"
    secret.parent.mkdir(parents=True)
    secret.write_text("maria-db-pw\n")
    c = _load_hub_config(tmp_path, monkeypatch, "simple")
    assert c.JupyterHub.ip == c.JupyterHub.hub_ip == c.Spawner.ip == "127.0.0.1"
    assert c.ConfigurableHTTPProxy.api_url == "http://127.0.0.1:18002"
    assert c.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert c.JupyterHub.spawner_class.endswith("SimpleLocalProcessSpawner")
    env = c.Spawner.environment
    maria = SimpleNamespace(
        user=SimpleNamespace(name="maria"), home_dir=str(tmp_path / "homes" / "maria")
    )
    url = env["VLR_DATABASE_URL"](maria)
    assert url == "postgresql+psycopg://maria:maria-db-pw@127.0.0.1:54329/vlrteam"
    assert "owner" not in url  # the owner's password never reaches a user's server
    assert env["VLR_EXPORTS_DIR"](maria).endswith("homes/maria/exports")
    # One OS user per reviewer: no password, peer login over the local socket.
    c = _load_hub_config(tmp_path, monkeypatch, "local")
    assert c.JupyterHub.spawner_class.endswith(".LocalProcessSpawner")
    omar = SimpleNamespace(user=SimpleNamespace(name="omar"))
    assert c.Spawner.environment["VLR_DATABASE_URL"](omar) == (
        "postgresql+psycopg://omar@:54329/vlrteam?host=%2Fvar%2Frun%2Fpostgresql"
    )
    with pytest.raises(SystemExit, match="allowed: simple, local"):
        _load_hub_config(tmp_path, monkeypatch, "docker")


def test_systemd_units_of_a_bigger_install_are_valid(tmp_path):
    """The unit files in deploy/jupyterhub/systemd, with this checkout's paths, pass
    systemd's own check (unknown keys, bad values and missing programs are reported)."""
    verify = shutil.which("systemd-analyze")
    if verify is None:
        pytest.skip("systemd-analyze is not installed")
    units = PROJECT_DIR / "deploy" / "jupyterhub" / "systemd"
    names = sorted(p.name for p in units.iterdir())
    assert names == ["vlr-backup.service", "vlr-backup.timer", "vlr-hub.service"]
    for name in names:
        text = (units / name).read_text(encoding="utf-8")
        text = text.replace("/opt/vlr-tools/.venv", sys.prefix).replace(
            "/opt/vlr-tools", str(PROJECT_DIR)
        )
        (tmp_path / name).write_text(text, encoding="utf-8")
    checked = subprocess.run(
        [verify, "verify", *(f"./{n}" for n in names)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0 and not (checked.stdout + checked.stderr).strip(), checked.stderr
