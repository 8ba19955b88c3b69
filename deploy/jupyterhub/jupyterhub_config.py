"""JupyterHub for a team of reviewers on one shared PostgreSQL workspace.

Started by ``scripts/hub start`` (which sets the variables below); read the
"Team server" section of the README first. Everything listens on 127.0.0.1:
put a TLS reverse proxy in front to reach it from other machines (see
``deploy/jupyterhub/README.md``).

Settings, from the environment:

VLR_HUB_STATE          folder for the hub's own database, cookie secret, logs,
                       tokens, per-user database passwords and (simple
                       spawner) home folders; default deploy/jupyterhub/state
VLR_HUB_PORT           the port people open (default 8000); the hub's API
                       and the proxy's API use the next two ports
VLR_HUB_DATABASE_URL   the workspace owner's URL of the team's PostgreSQL
                       workspace; each user's server gets the same database
                       with the user's own role instead
VLR_HUB_SPAWNER        "simple" (default: every server runs as the hub's own
                       OS user, each with its own home folder; for one
                       machine and tests) or "local" (each server runs as the
                       OS user of the same name, made by scripts/hub add-user
                       --os-user; needs the hub to run as root)
VLR_HUB_ADMINS         hub user names who approve sign-ups (comma separated)
VLR_VENV               the virtual environment with vlr-tools (default .venv)
"""

# ruff: noqa: F821  (get_config is provided by JupyterHub when it reads this file)

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nativeauthenticator
from sqlalchemy.engine import URL, make_url

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STATE = Path(os.environ.get("VLR_HUB_STATE") or HERE / "state").resolve()
PORT = int(os.environ.get("VLR_HUB_PORT") or 8000)
VENV = Path(os.environ.get("VLR_VENV") or ROOT / ".venv")
SPAWNER = os.environ.get("VLR_HUB_SPAWNER") or "simple"
OWNER_URL = os.environ.get("VLR_HUB_DATABASE_URL", "")
SECRETS = STATE / "secrets"

c = get_config()

# -- network: loopback only -----------------------------------------------------------
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = PORT
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
# The proxy from deploy/jupyterhub/node_modules (npm install, done by scripts/setup).
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.Spawner.ip = "127.0.0.1"

# -- the hub's own state ----------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")
# Stopping the hub stops every user's server too (scripts/hub stop).
c.JupyterHub.cleanup_servers = True

# -- authentication: sign-up with admin approval -----------------------------------------
# NativeAuthenticator keeps user names and bcrypt password hashes in the hub's
# database. A new user signs up at /hub/signup and can log in only once an
# admin approved them at /hub/authorize (scripts/hub add-user adds approved
# users directly). For an organisation's accounts, see deploy/jupyterhub/README.md
# ("Organisation accounts") for the OAuthenticator settings that replace these.
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.JupyterHub.template_paths = [str(Path(nativeauthenticator.__file__).parent / "templates")]
c.NativeAuthenticator.allow_all = True  # an approved, correctly authenticated user may log in
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 300
c.Authenticator.admin_users = {
    name.strip() for name in os.environ.get("VLR_HUB_ADMINS", "").split(",") if name.strip()
}

# A service for scripts/hub (add users, start and stop servers) with its own token.
_token_file = SECRETS / "admin-token"
if _token_file.is_file():
    c.JupyterHub.services = [
        {"name": "vlr-admin", "api_token": _token_file.read_text(encoding="utf-8").strip()}
    ]
    c.JupyterHub.load_roles = [
        {
            "name": "vlr-admin",
            "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
            "services": ["vlr-admin"],
        }
    ]

# -- spawner: each user's Jupyter server ------------------------------------------------
c.Spawner.cmd = [str(VENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Servers of people who left their browser are stopped after an hour by the
# hub's idle culler only if one is configured; see README for jupyterhub-idle-culler.

if SPAWNER == "local":
    # One OS user per reviewer (scripts/hub add-user --os-user); the hub runs as root.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.LocalProcessSpawner.notebook_dir = "~"
elif SPAWNER == "simple":
    # Every server runs as the hub's own OS user: fine on one machine for a
    # small trusted office and for tests, but the users are not isolated from
    # each other's files. Use "local", systemd or Docker for more.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    if os.geteuid() == 0:
        # A hub started as root (a CI machine, a container): Jupyter refuses
        # to run as root unless told to.
        c.Spawner.args = ["--allow-root"]
else:
    sys.exit(f"VLR_HUB_SPAWNER={SPAWNER!r} is not allowed; allowed: simple, local")


def _database_url(spawner) -> str:
    """The team workspace as this user's own database role sees it."""
    if not OWNER_URL:
        return ""
    owner = make_url(OWNER_URL)
    secret = SECRETS / "db" / spawner.user.name
    # Built afresh, so nothing of the owner's credentials reaches a user's server.
    parts = {
        "drivername": owner.drivername,
        "username": spawner.user.name,
        "host": owner.host,
        "port": owner.port,
        "database": owner.database,
        "query": dict(owner.query),
    }
    if secret.is_file():
        parts["password"] = secret.read_text(encoding="utf-8").strip()
    elif SPAWNER == "local":
        # Peer authentication over the local socket: the OS user is the role.
        parts["host"] = None
        parts["query"] = {**parts["query"], "host": "/var/run/postgresql"}
    return URL.create(**parts).render_as_string(hide_password=False)


def _prepare_home(spawner) -> None:
    """Give a new user the project's notebooks (their own copies, to run and change)."""
    if SPAWNER != "simple":
        return
    home = Path(spawner.home_dir)
    target = home / "notebooks"
    if not target.exists():
        home.mkdir(parents=True, exist_ok=True)
        shutil.copytree(ROOT / "notebooks", target, ignore=shutil.ignore_patterns("*.py", ".*"))


c.Spawner.pre_spawn_hook = _prepare_home
_environment = {
    "VLR_DATABASE_URL": _database_url,
    "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "LANG": os.environ.get("LANG", "C.UTF-8"),
    # Chromium, LibreOffice and the notebooks' exports write under the user's home.
    "VLR_EXPORTS_DIR": lambda spawner: str(Path(getattr(spawner, "home_dir", "~")) / "exports"),
}
if os.environ.get("PYTHONPATH"):
    # A checkout run from another environment (development): its code, not the venv's.
    _environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
c.Spawner.environment = _environment
