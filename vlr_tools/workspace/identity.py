"""Who is making a change: the reviewer's name recorded with every save.

The name comes from, in order: the ``reviewer=`` argument (a notebook sets
it), the ``VLR_REVIEWER`` environment variable, or ``reviewer:`` in the
per-user config file (``~/.config/vlr/config.yaml``). A write without a name
is refused, so the history can always say who decided what.

Inside a team hub session (JupyterHub sets ``JUPYTERHUB_USER`` for the
user's server and its kernels) the reviewer is the hub user, and a different
name from any of those sources is refused. On the team's PostgreSQL workspace
the database records its own user with each change anyway (see migration
0003), so the hub name is what the history shows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from ..errors import WorkspaceError, WorkspaceValueError

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")

NO_IDENTITY_MESSAGE = (
    "no reviewer name is set, so this change cannot be recorded. On the command line "
    "give --reviewer 'Your Name' or save it once with `vlr workspace whoami --set "
    "'Your Name'`; in a notebook, the 'reviewer' parameter (open_workspace(..., "
    "reviewer='Your Name')); or set VLR_REVIEWER, or 'reviewer: Your Name' in {config}"
)


def config_path() -> Path:
    """The per-user configuration file holding ``reviewer: Your Name``.

    ``$VLR_CONFIG`` if set, else ``$XDG_CONFIG_HOME/vlr/config.yaml``, else
    ``~/.config/vlr/config.yaml``.
    """
    explicit = os.environ.get("VLR_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser() / "vlr" / "config.yaml"


def check_reviewer_name(name: object, where: str = "reviewer name") -> str:
    """Return ``name`` stripped, or raise if it is not a usable reviewer name."""
    if not isinstance(name, str) or not name.strip():
        raise WorkspaceValueError(f"{where}: a reviewer name must be non-empty text")
    name = name.strip()
    if len(name) > 200 or _CONTROL_RE.search(name):
        raise WorkspaceValueError(
            f"{where}: {name[:40]!r} is not allowed as a reviewer name; "
            "use up to 200 characters without line breaks or control characters"
        )
    return name


def _read_config(path: Path) -> dict[str, Any]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise WorkspaceError(f"cannot read the configuration file {path}: {exc}") from exc
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise WorkspaceError(
            f"configuration file {path} must be a YAML mapping such as "
            f"'reviewer: A. Reviewer', found {type(content).__name__}"
        )
    return content


# The config file is read again only when it changes (saves happen often).
_config_cache: dict[tuple[str, int], str | None] = {}


#: Names the notebooks' parameters cells carry as placeholders: in a hub
#: session they mean "not set" (the hub user), any other name is refused.
NOTEBOOK_PLACEHOLDERS = ("Notebook Reviewer", "Notebook Reviewer (illustrative)")


def hub_user() -> str | None:
    """The JupyterHub user this process runs for (``$JUPYTERHUB_USER``), or None."""
    name = os.environ.get("JUPYTERHUB_USER", "").strip()
    return name or None


def check_hub_name(name: str | None, where: str) -> str | None:
    """Refuse, inside a hub session, a reviewer name that is not the hub user's.

    Returns ``name`` (or the hub user when ``name`` is None).
    """
    hub = hub_user()
    if hub is None or name is None or name == hub:
        return name if hub is None else hub
    raise WorkspaceError(
        f"{where} is {name!r}, but in this team hub session you are {hub!r} (your hub "
        "account), and every change is recorded under that name. Leave the name out "
        f"(or give {hub!r})"
    )


def configured_reviewer() -> str | None:
    """The reviewer's name: the hub user in a hub session, else ``VLR_REVIEWER`` or the
    config file, else None."""
    name = os.environ.get("VLR_REVIEWER", "").strip()
    if hub_user() is not None:
        return check_hub_name(name or None, "the environment variable VLR_REVIEWER")
    if name:
        return check_reviewer_name(name, "environment variable VLR_REVIEWER")
    path = config_path()
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return None
    if stamp not in _config_cache:
        value = _read_config(path).get("reviewer")
        if value is not None and not isinstance(value, str):
            raise WorkspaceError(f"{path}: 'reviewer' must be a name (text), found {value!r}")
        found = check_reviewer_name(value, str(path)) if value and value.strip() else None
        _config_cache.clear()
        _config_cache[stamp] = found
    return _config_cache[stamp]


def save_reviewer(name: str) -> Path:
    """Write ``reviewer: name`` to the config file, keeping its other keys."""
    name = check_reviewer_name(name, "reviewer name")
    if hub_user() is not None:
        raise WorkspaceError(
            f"in a team hub session your name is your hub account ({hub_user()!r}); "
            "there is no other name to save"
        )
    path = config_path()
    content = _read_config(path) if path.exists() else {}
    content["reviewer"] = name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(content, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise WorkspaceError(f"cannot write the configuration file {path}: {exc}") from exc
    return path
