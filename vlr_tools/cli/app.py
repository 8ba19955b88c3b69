"""``vlr serve`` and ``vlr lab``: the workshop app and JupyterLab on the notebooks.

``vlr serve`` runs the workshop tour notebook (``notebooks/00_workshop_tour.ipynb``)
as a web app with Voila on 127.0.0.1. Everything the page needs comes from the
virtual environment: Voila's own scripts, the ipywidgets and jupyterlab-plotly
extensions, and the workbench's page template
(``vlr_tools/templates/jupyter/voila/templates/vlr``), which removes the two
CDN links of Voila's stock page (Font Awesome, mermaid). Nothing loads from the
internet, so it runs in a workshop room without a network.

``vlr lab`` opens JupyterLab on ``notebooks/`` with the ``vlr-tools`` kernel
(installed into the venv by ``scripts/setup``), its news feed and update check
switched off so that it does not reach the internet either.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..errors import MissingComponentError, VlrError
from ..i18n import LANGUAGES, check_lang
from ..paths import NOTEBOOKS_DIR

_RAW = argparse.RawDescriptionHelpFormatter

#: The notebooks folder of the project.
#: The notebook `vlr serve` serves.
TOUR_NOTEBOOK = NOTEBOOKS_DIR / "00_workshop_tour.ipynb"
#: Root of the workbench's Jupyter data (the Voila page template), put on JUPYTER_PATH.
JUPYTER_DATA = Path(__file__).resolve().parent.parent / "templates" / "jupyter"
#: JupyterLab's default settings for `vlr lab` (overrides.json: no news toast).
LAB_SETTINGS = JUPYTER_DATA / "lab" / "settings"
#: Name of the Voila template in JUPYTER_DATA.
VOILA_TEMPLATE = "vlr"
#: Kernel the notebooks use (scripts/setup installs it into the venv).
KERNEL_NAME = "vlr-tools"
DEFAULT_SERVE_PORT = 8866
DEFAULT_LAB_PORT = 8888
LOCALHOST = "127.0.0.1"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``vlr serve`` and ``vlr lab``."""
    serve = subparsers.add_parser(
        "serve",
        help="serve the workshop tour as a web app (Voila, offline, on 127.0.0.1)",
        description="Serve the workshop tour notebook as a standalone web app with Voila: pick "
        "a sample city, see its SDG coverage chart, rate one checklist criterion and export a "
        "review memo. The app listens on 127.0.0.1 only and loads nothing from the internet. "
        "Ratings are saved in the same workspace as the vlr command's (--workspace, "
        "$VLR_DATABASE_URL, $VLR_WORKSPACE_DIR, else data/workspace); memos are written to exports/<city>/ (VLR_EXPORTS_DIR moves exports/).",
        epilog="Examples:\n"
        "  vlr serve\n"
        "  vlr serve --city san-fernando --lang ja --port 8870\n"
        "  vlr serve --no-browser --workspace /tmp/workshop-ws",
        formatter_class=_RAW,
    )
    serve.add_argument(
        "--port",
        type=int,
        default=DEFAULT_SERVE_PORT,
        help=f"port on 127.0.0.1 (default: {DEFAULT_SERVE_PORT})",
    )
    serve.add_argument(
        "--city", default="", metavar="SLUG", help="preselect a sample city, e.g. santa-rosa"
    )
    serve.add_argument(
        "--lang",
        default="en",
        help=f"language of the app (default: en; allowed: {', '.join(LANGUAGES)})",
    )
    serve.add_argument(
        "--workspace",
        default="",
        metavar="PATH",
        help="workspace folder or database URL (default: the vlr command's workspace)",
    )
    serve.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    serve.add_argument(
        "--notebook",
        default=str(TOUR_NOTEBOOK),
        metavar="IPYNB",
        help="notebook to serve (default: notebooks/00_workshop_tour.ipynb)",
    )
    serve.set_defaults(func=run_serve)

    lab = subparsers.add_parser(
        "lab",
        help="open JupyterLab on the notebooks with the vlr-tools kernel",
        description="Open JupyterLab on the project's notebooks/ folder (map a draft, checklist, "
        "consultations, memo export, workshop tour) with the 'vlr-tools' kernel, which has "
        "vlr_tools installed. JupyterLab listens on 127.0.0.1; its news feed and update check "
        "are off, so it works offline.",
        epilog="Examples:\n  vlr lab\n  vlr lab --port 8890 --no-browser",
        formatter_class=_RAW,
    )
    lab.add_argument(
        "--port", type=int, default=DEFAULT_LAB_PORT, help=f"port (default: {DEFAULT_LAB_PORT})"
    )
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    lab.add_argument(
        "--dir",
        default=str(NOTEBOOKS_DIR),
        metavar="DIR",
        help="folder to open (default: the project's notebooks/)",
    )
    lab.set_defaults(func=run_lab)


# --------------------------------------------------------------------------- checks


def check_port(port: int) -> int:
    """``port`` if it is free on 127.0.0.1; a clear error naming it otherwise."""
    if not 1 <= int(port) <= 65535:
        raise VlrError(f"--port {port} is not a port number; allowed: 1-65535")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOCALHOST, int(port)))
        except OSError:
            raise VlrError(
                f"port {port} on {LOCALHOST} is already in use (another server?); "
                f"choose another with --port, e.g. --port {int(port) + 4}"
            ) from None
    return int(port)


def check_kernel(name: str = KERNEL_NAME) -> str:
    """``name`` if that Jupyter kernel is installed; otherwise say how to install it."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise MissingComponentError(
            f"the Jupyter kernel {name!r} is not installed; run ./scripts/setup, or "
            f"{sys.executable} -m ipykernel install --sys-prefix --name {name} "
            '--display-name "VLR workbench"'
        ) from None
    return name


def _module_available(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


# --------------------------------------------------------------------------- commands


def serve_command(
    notebook: str | Path = TOUR_NOTEBOOK,
    port: int = DEFAULT_SERVE_PORT,
    *,
    city: str = "",
    lang: str = "en",
    workspace: str = "",
    open_browser: bool = True,
) -> tuple[list[str], dict[str, str]]:
    """The Voila command line and environment of ``vlr serve`` (nothing is started).

    Checks the notebook, city and language first, so mistakes are reported
    before a server starts.
    """
    nb = Path(notebook).expanduser().resolve()
    if not nb.is_file():
        raise VlrError(f"notebook {nb} not found; serve an .ipynb file (default: {TOUR_NOTEBOOK})")
    try:
        check_lang(lang)
    except ValueError as exc:  # i18n raises a plain ValueError; the CLI reports VlrErrors
        raise VlrError(f"--lang: {exc}") from None
    if city:
        from ..intake import require_sample

        require_sample(city)  # the workshop tour runs on the sample cities; the error names them
    if not _module_available("voila"):
        raise MissingComponentError("Voila is not installed; run ./scripts/setup")
    env = dict(os.environ)
    # Our page template first; the venv's Jupyter data (Voila, extensions) after it.
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DATA), env.get("JUPYTER_PATH", "")) if p
    )
    env["VLR_TOUR_CITY"] = city
    env["VLR_TOUR_LANG"] = lang
    env["VLR_TOUR_APP"] = "1"
    env["VLR_TOUR_WORKSPACE"] = str(workspace or "")
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(nb),
        f"--port={port}",
        f"--Voila.ip={LOCALHOST}",
        f"--template={VOILA_TEMPLATE}",
        "--theme=light",
        "--VoilaConfiguration.show_tracebacks=False",
        # jupytext's JupyterLab extension is for editing, and fails to load in
        # Voila's older JupyterLab: leave it out of the app page.
        "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
        # Run the notebook in a waiting kernel before anyone opens the page:
        # the tour (and the preselected city's chart) is then ready in a
        # couple of seconds instead of a cold kernel's ten.
        "--preheat_kernel=True",
    ]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd, env


def lab_command(
    folder: str | Path = NOTEBOOKS_DIR, port: int = DEFAULT_LAB_PORT, *, open_browser: bool = True
) -> list[str]:
    """The JupyterLab command line of ``vlr lab`` (nothing is started)."""
    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        raise VlrError(f"folder {root} not found; give an existing folder with --dir")
    if not _module_available("jupyterlab"):
        raise MissingComponentError("JupyterLab is not installed; run ./scripts/setup")
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.ip={LOCALHOST}",
        f"--ServerApp.port={port}",
        f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}",
        # Offline: no news feed, no "a new version is available" check, and an
        # extension manager that does not search PyPI.
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        # The news URL being empty does not stop JupyterLab from asking "get
        # notified about official Jupyter news?": that toast follows the
        # notification setting fetchNews, set to "false" by our overrides.json.
        f"--LabApp.app_settings_dir={LAB_SETTINGS}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Containers and CI run as root; JupyterLab refuses that unless told.
        cmd.append("--allow-root")
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


class _Stopped(Exception):
    """`vlr serve`/`vlr lab` was asked to stop by a signal (``kill PID``, a closed terminal)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop_on_signal(signum: int, _frame: Any) -> None:
    raise _Stopped(signum)


def _run(cmd: list[str], env: dict[str, str] | None = None) -> int:
    """Run a server in the foreground until it exits, Ctrl-C or a signal; never leave it behind.

    A plain ``kill`` (SIGTERM) or a closed terminal (SIGHUP) stops the server
    too: without this, Voila or JupyterLab kept running and held the port,
    so the next ``vlr serve`` said the port was taken.
    """
    proc = subprocess.Popen(cmd, env=env)
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP):
        try:
            previous[sig] = signal.signal(sig, _stop_on_signal)
        except (ValueError, OSError):  # not the main thread: leave signals alone
            pass
    try:
        return proc.wait()
    except _Stopped as stopped:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return 128 + stopped.signum
    except KeyboardInterrupt:
        # The server got the same Ctrl-C; give it a moment to shut its kernels down.
        try:
            return proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.terminate()
            return proc.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def run_serve(args: argparse.Namespace) -> int:
    """``vlr serve``: the workshop tour app."""
    cmd, env = serve_command(
        args.notebook,
        check_port(args.port),
        city=args.city,
        lang=args.lang,
        workspace=args.workspace,
        open_browser=not args.no_browser,
    )
    check_kernel()
    print(
        f"Serving the workshop tour at http://{LOCALHOST}:{args.port}/ (Ctrl-C to stop)",
        flush=True,
    )
    return _run(cmd, env)


def run_lab(args: argparse.Namespace) -> int:
    """``vlr lab``: JupyterLab on the notebooks."""
    check_kernel()
    cmd = lab_command(args.dir, check_port(args.port), open_browser=not args.no_browser)
    print(
        f"Starting JupyterLab on {LOCALHOST}:{args.port}; open the link with the token it prints "
        "(Ctrl-C to stop)",
        flush=True,
    )
    return _run(cmd)
