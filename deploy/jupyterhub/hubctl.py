"""The team hub's control program, run by ``scripts/hub`` (see its help).

start | stop | status | add-user NAME --role ROLE | remove-user NAME | users

The hub's settings (port, state folder, the workspace owner's database URL)
are remembered in ``STATE/hub.json`` by ``start``, so the other commands work
without repeating them. Every server listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CONFIG = HERE / "jupyterhub_config.py"


class HubError(Exception):
    """Something the person running scripts/hub must fix; printed as one line."""


# -- settings -------------------------------------------------------------------------


def state_dir() -> Path:
    return Path(os.environ.get("VLR_HUB_STATE") or HERE / "state").resolve()


def settings() -> dict[str, Any]:
    """The hub's settings: the environment, else what ``start`` remembered."""
    saved: dict[str, Any] = {}
    path = state_dir() / "hub.json"
    if path.is_file():
        saved = json.loads(path.read_text(encoding="utf-8"))
    venv = os.environ.get("VLR_VENV") or saved.get("venv") or str(ROOT / ".venv")
    return {
        "port": int(os.environ.get("VLR_HUB_PORT") or saved.get("port") or 8000),
        "database_url": os.environ.get("VLR_HUB_DATABASE_URL") or saved.get("database_url"),
        "spawner": os.environ.get("VLR_HUB_SPAWNER") or saved.get("spawner") or "simple",
        "admins": os.environ.get("VLR_HUB_ADMINS") or saved.get("admins") or "",
        "venv": venv,
    }


def _private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")


def admin_token() -> str:
    path = state_dir() / "secrets" / "admin-token"
    if not path.is_file():
        _private(path, secrets.token_hex(32))
    return path.read_text(encoding="utf-8").strip()


def default_database_url() -> str:
    """The project's loopback PostgreSQL (scripts/pg), database ``vlrteam``."""
    out = subprocess.run(
        [str(ROOT / "scripts" / "pg"), "start"], capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise HubError(f"cannot start the project's PostgreSQL (scripts/pg start): {out.stderr}")
    from sqlalchemy.engine import make_url

    base = make_url(out.stdout.strip())
    _create_database(base, "vlrteam")
    return base.set(database="vlrteam").render_as_string(hide_password=False)


def _create_database(base: Any, name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            found = conn.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if found is None:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()


# -- the hub's REST API -----------------------------------------------------------------


def api(method: str, path: str, body: Any = None, *, ok: tuple[int, ...] = (200,)) -> Any:
    """Call the hub's REST API as the vlr-admin service."""
    port = settings()["port"]
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/hub/api{path}",
        data=data,
        method=method,
        headers={"Authorization": f"token {admin_token()}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, text = exc.code, exc.read().decode()
    except OSError as exc:
        raise HubError(
            f"the hub does not answer on 127.0.0.1:{port} ({exc}); start it: scripts/hub start"
        ) from None
    if status not in ok:
        raise HubError(f"hub API {method} {path} answered {status}: {text[:300]}")
    return json.loads(text) if text.strip() else None


def running_pid() -> int | None:
    path = state_dir() / "jupyterhub.pid"
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


# -- commands ---------------------------------------------------------------------------


def cmd_start(args: argparse.Namespace) -> int:
    state = state_dir()
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    if running_pid() is not None:
        print(f"hub: already running on http://127.0.0.1:{settings()['port']}/")
        return 0
    conf = settings()
    proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        raise HubError(
            f"the proxy is not installed ({proxy}); run scripts/setup (npm install in "
            "deploy/jupyterhub)"
        )
    if not conf["database_url"]:
        conf["database_url"] = default_database_url()
    # The workspace is created or upgraded (migration 0003: team tables and
    # access rules) by its owner before anyone logs in.
    from vlr_tools.workspace import open_workspace

    with open_workspace(conf["database_url"], reviewer="hub administrator") as ws:
        if ws.team_role is not None:
            raise HubError(
                "VLR_HUB_DATABASE_URL must be the workspace owner's URL, not a team member's"
            )
        revision = ws.schema_revision
    admin_token()
    (state / "hub.json").write_text(json.dumps(conf, indent=1), encoding="utf-8")
    env = {
        **os.environ,
        "VLR_HUB_STATE": str(state),
        "VLR_HUB_PORT": str(conf["port"]),
        "VLR_HUB_DATABASE_URL": conf["database_url"],
        "VLR_HUB_SPAWNER": conf["spawner"],
        "VLR_HUB_ADMINS": conf["admins"],
        "VLR_VENV": conf["venv"],
    }
    log = (state / "hub.log").open("ab")
    process = subprocess.Popen(
        [str(Path(conf["venv"]) / "bin" / "jupyterhub"), "-f", str(CONFIG)],
        cwd=state,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (state / "hub.log").read_text(errors="replace").splitlines()[-15:]
            raise HubError("the hub stopped while starting:\n  " + "\n  ".join(tail))
        try:
            api("GET", "/")
            break
        except HubError:
            time.sleep(0.5)
    else:
        process.terminate()
        raise HubError(f"the hub did not answer within {args.timeout} s; see {state / 'hub.log'}")
    print(
        f"hub: running on http://127.0.0.1:{conf['port']}/ (workspace schema {revision}, "
        f"spawner {conf['spawner']}, log {state / 'hub.log'})"
    )
    return 0


def cmd_stop(args: argparse.Namespace) -> int:
    pid = running_pid()
    if pid is None:
        print("hub: not running")
        return 0
    os.kill(pid, signal.SIGTERM)  # the hub stops the users' servers and its proxy
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline and running_pid() is not None:
        time.sleep(0.2)
    if running_pid() is not None:
        os.kill(pid, signal.SIGKILL)
    proxy_pid = state_dir() / "proxy.pid"
    try:
        os.kill(int(proxy_pid.read_text().strip()), signal.SIGTERM)
    except (OSError, ValueError):
        pass
    print("hub: stopped")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    pid = running_pid()
    if pid is None:
        print("hub: not running")
        return 3
    users = api("GET", "/users")
    running = [u["name"] for u in users if (u.get("servers") or {}).get("")]
    print(
        f"hub: running (pid {pid}) on http://127.0.0.1:{settings()['port']}/; "
        f"{len(users)} user(s), server running for: {', '.join(running) or 'nobody'}"
    )
    return 0


def _owner_workspace() -> Any:
    from vlr_tools.workspace import open_workspace

    url = settings()["database_url"]
    if not url:
        raise HubError("no workspace yet: run scripts/hub start first")
    return open_workspace(url, reviewer="hub administrator")


def _hub_db() -> sqlite3.Connection:
    path = state_dir() / "jupyterhub.sqlite"
    if not path.is_file():
        raise HubError("the hub has not run yet here: run scripts/hub start first")
    conn = sqlite3.connect(path, timeout=10)
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'users_info'").fetchone():
        raise HubError("the hub's sign-up table is missing: run scripts/hub start first")
    return conn


def set_hub_login(name: str, password: str | None, authorized: bool) -> None:
    """Add or change a NativeAuthenticator account (approved or disabled)."""
    import bcrypt

    conn = _hub_db()
    try:
        with conn:
            row = conn.execute("SELECT id FROM users_info WHERE username = ?", (name,)).fetchone()
            if password is not None:
                hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
                if row is None:
                    otp = secrets.token_hex(5).upper()[:16]
                    conn.execute(
                        "INSERT INTO users_info (username, password, is_authorized, "
                        "login_email_sent, has_2fa, otp_secret) VALUES (?, ?, ?, 0, 0, ?)",
                        (name, hashed, int(authorized), otp),
                    )
                else:
                    conn.execute(
                        "UPDATE users_info SET password = ?, is_authorized = ? WHERE username = ?",
                        (hashed, int(authorized), name),
                    )
            elif row is not None:
                conn.execute(
                    "UPDATE users_info SET is_authorized = ? WHERE username = ?",
                    (int(authorized), name),
                )
    finally:
        conn.close()


def cmd_add_user(args: argparse.Namespace) -> int:
    from vlr_tools.workspace import check_team_name

    name = check_team_name(args.name)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        shown = None
    else:
        password = secrets.token_urlsafe(12)
        shown = password
    if len(password) < 10:
        raise HubError("the hub password must have at least 10 characters")
    if args.os_user:
        found = subprocess.run(["id", "-u", name], capture_output=True, check=False)
        if found.returncode != 0:
            subprocess.run(["useradd", "--create-home", name], check=True)
    with _owner_workspace() as ws:
        login = "peer" if args.os_user else "password"
        member, db_password = ws.add_team_member(
            name, args.role, display_name=args.display_name, login=login
        )
    secret = state_dir() / "secrets" / "db" / name
    if db_password is None:
        secret.unlink(missing_ok=True)
    else:
        _private(secret, db_password)
    set_hub_login(name, password, authorized=True)
    api("POST", f"/users/{name}", {}, ok=(201, 409))
    if args.admin:
        api("PATCH", f"/users/{name}", {"admin": True})
    print(f"hub: {name} can log in (team role {member.role}); database role {name} made")
    if shown:
        print(
            f"hub: password for {name}: {shown} (shown once; they change it at /hub/change-password)"
        )
    return 0


def cmd_remove_user(args: argparse.Namespace) -> int:
    from vlr_tools.workspace import check_team_name

    name = check_team_name(args.name)
    set_hub_login(name, None, authorized=False)
    if running_pid() is not None:
        api("DELETE", f"/users/{name}/server", ok=(202, 204, 400, 404))
    with _owner_workspace() as ws:
        ws.remove_team_member(name)
    (state_dir() / "secrets" / "db" / name).unlink(missing_ok=True)
    print(f"hub: {name} is disabled (no hub login, no database login); their work stays")
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    with _owner_workspace() as ws:
        team = {m.name: m for m in ws.team_members()}
    hub = {u["name"]: u for u in api("GET", "/users")} if running_pid() else {}
    for name in sorted(set(team) | set(hub)):
        member = team.get(name)
        role = member.role if member else "-"
        state = "active" if member and member.active else "disabled" if member else "not on team"
        server = "server running" if (hub.get(name, {}).get("servers") or {}).get("") else ""
        print(f"{name:<24} {role:<9} {state:<12} {server}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scripts/hub", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start the hub on 127.0.0.1")
    start.add_argument("--timeout", type=float, default=90)
    start.set_defaults(func=cmd_start)
    stop = sub.add_parser("stop", help="stop the hub, its proxy and every user's server")
    stop.add_argument("--timeout", type=float, default=30)
    stop.set_defaults(func=cmd_stop)
    sub.add_parser("status", help="is the hub running, whose servers run").set_defaults(
        func=cmd_status
    )
    add = sub.add_parser("add-user", help="a hub login and a database role for a team member")
    add.add_argument("name", help="lower-case letters, digits, _ (hub user and database role)")
    add.add_argument("--role", required=True, choices=("lead", "reviewer", "observer"))
    add.add_argument("--display-name", help="the person's full name, for lists")
    add.add_argument("--admin", action="store_true", help="may approve sign-ups at /hub/authorize")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the hub password from standard input"
    )
    add.add_argument(
        "--os-user",
        action="store_true",
        help="also make an OS user of that name and use peer login (VLR_HUB_SPAWNER=local)",
    )
    add.set_defaults(func=cmd_add_user)
    remove = sub.add_parser("remove-user", help="disable a team member's hub and database login")
    remove.add_argument("name")
    remove.set_defaults(func=cmd_remove_user)
    sub.add_parser("users", help="team members, roles and running servers").set_defaults(
        func=cmd_users
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from vlr_tools.errors import VlrError

    try:
        return int(args.func(args) or 0)
    except (HubError, VlrError) as exc:
        print(f"hub: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
