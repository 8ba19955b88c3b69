"""``vlr serve`` and ``vlr lab``: command lines, checks and help (no server is started here;
tests/test_browser.py starts the real app)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

from vlr_tools.cli import main
from vlr_tools.cli.app import (
    JUPYTER_DATA,
    KERNEL_NAME,
    TOUR_NOTEBOOK,
    check_kernel,
    check_port,
    lab_command,
    serve_command,
)


@pytest.mark.parametrize("command", ["serve", "lab"])
def test_help_has_an_example(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "Example" in out and f"vlr {command}" in out
    assert "127.0.0.1" in out


def test_serve_command_is_local_and_uses_the_offline_template(tmp_path):
    cmd, env = serve_command(TOUR_NOTEBOOK, 8899, city="san-fernando", lang="ja",
                             workspace=str(tmp_path), open_browser=False)  # fmt: skip
    assert cmd[:3] == [sys.executable, "-m", "voila"]
    assert str(TOUR_NOTEBOOK.resolve()) in cmd
    assert "--port=8899" in cmd and "--Voila.ip=127.0.0.1" in cmd
    assert "--template=vlr" in cmd and "--no-browser" in cmd
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == str(JUPYTER_DATA)
    assert (env["VLR_TOUR_CITY"], env["VLR_TOUR_LANG"]) == ("san-fernando", "ja")
    assert env["VLR_TOUR_WORKSPACE"] == str(tmp_path)
    template = JUPYTER_DATA / "voila" / "templates" / "vlr"
    assert (template / "index.html.j2").is_file() and (template / "conf.json").is_file()


def test_offline_template_removes_every_cdn_link_voila_ships():
    """Each external stylesheet/script of Voila's lab page is replaced by our template."""
    from jupyter_core.paths import jupyter_path

    ours = (JUPYTER_DATA / "voila" / "templates" / "vlr" / "index.html.j2").read_text("utf-8")
    stock = None
    for root in jupyter_path():
        candidate = os.path.join(root, "voila", "templates", "lab", "index.html.j2")
        if os.path.isfile(candidate):
            stock = open(candidate, encoding="utf-8").read()
            break
    assert stock is not None, "Voila's lab template not found"
    links = [line.strip() for line in stock.splitlines() if "https://" in line and "<link" in line]
    assert links, "Voila's page changed: re-check the CDN references it makes"
    for link in links:
        assert link in ours, f"not removed by the vlr template: {link}"


def test_lab_command_opens_the_notebooks_with_the_kernel():
    cmd = lab_command(open_browser=False)
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--MappingKernelManager.default_kernel_name={KERNEL_NAME}" in cmd
    assert "--ServerApp.ip=127.0.0.1" in cmd and "--no-browser" in cmd
    assert any(a.startswith("--ServerApp.root_dir=") and a.endswith("notebooks") for a in cmd)
    assert "--LabApp.news_url=" in cmd


def test_the_kernel_is_installed():
    assert check_kernel() == KERNEL_NAME


def test_unknown_kernel_says_how_to_install(capsys):
    with pytest.raises(Exception) as info:
        check_kernel("no-such-kernel-xyz")
    assert "ipykernel install" in str(info.value) and "scripts/setup" in str(info.value)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["serve", "--city", "atlantis", "--no-browser"], "atlantis"),
        (["serve", "--lang", "fr", "--no-browser"], "allowed: en, ja"),
        (["serve", "--notebook", "missing.ipynb", "--no-browser"], "missing.ipynb"),
        (["serve", "--port", "70000", "--no-browser"], "1-65535"),
        (["lab", "--dir", "/no/such/folder", "--no-browser"], "/no/such/folder"),
    ],
)
def test_bad_options_give_one_clear_line(argv, fragment, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and fragment in err
    assert "Traceback" not in err


def test_a_busy_port_is_reported():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        with pytest.raises(Exception) as info:
            check_port(port)
    assert f"port {port}" in str(info.value) and "--port" in str(info.value)


@pytest.mark.slow
def test_vlr_lab_serves_the_notebooks_with_the_vlr_tools_kernel(tmp_path):
    """Start `vlr lab` for real and ask its API which kernel new notebooks get."""
    import json
    import signal
    import subprocess
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, JUPYTER_TOKEN="vlr-test-token", JUPYTER_RUNTIME_DIR=str(tmp_path))
    cmd = [sys.executable, "-m", "vlr_tools.cli", "lab", "--no-browser", f"--port={port}"]
    log = tmp_path / "lab.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen(
            cmd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/kernelspecs",
            headers={"Authorization": "token vlr-test-token"},
        )
        deadline = time.monotonic() + 60
        specs = None
        while time.monotonic() < deadline and specs is None:
            assert proc.poll() is None, log.read_text()[-2000:]
            try:
                with urllib.request.urlopen(request, timeout=2) as reply:
                    specs = json.load(reply)
            except OSError:
                time.sleep(0.3)
        assert specs is not None, log.read_text()[-2000:]
        assert specs["default"] == KERNEL_NAME and KERNEL_NAME in specs["kernelspecs"]
        with urllib.request.urlopen(
            urllib.request.Request(
                f"http://127.0.0.1:{port}/api/contents",
                headers={"Authorization": "token vlr-test-token"},
            ),
            timeout=5,
        ) as reply:
            names = {item["name"] for item in json.load(reply)["content"]}
        assert "00_workshop_tour.ipynb" in names
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def test_lab_command_turns_the_news_toast_off():
    import json

    cmd = lab_command(open_browser=False)
    (setting,) = [c for c in cmd if c.startswith("--LabApp.app_settings_dir=")]
    folder = Path(setting.split("=", 1)[1])
    overrides = json.loads((folder / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    # widgets are saved with the notebook, so a reload after the server restarted shows them
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True


SERVER_STUB = """
import os, sys, time
from pathlib import Path
Path(sys.argv[1]).write_text(str(os.getpid()))
time.sleep(120)
"""

RUNNER = """
import sys
from vlr_tools.cli.app import _run
sys.exit(_run([sys.executable, "-c", {stub!r}, {pidfile!r}]))
"""


def test_a_plain_kill_stops_the_server_it_started(tmp_path):
    # `vlr serve` runs Voila as a child: a plain `kill` of vlr must stop Voila too,
    # or the next start finds the port taken.
    import signal
    import subprocess
    import time

    pidfile = tmp_path / "server.pid"
    runner = subprocess.Popen(
        [sys.executable, "-c", RUNNER.format(stub=SERVER_STUB, pidfile=str(pidfile))],
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent)),
    )
    try:
        deadline = time.monotonic() + 30
        while not pidfile.is_file() or not pidfile.read_text():
            assert time.monotonic() < deadline, "the stub server did not start"
            time.sleep(0.1)
        child = int(pidfile.read_text())
        os.kill(runner.pid, signal.SIGTERM)
        assert runner.wait(timeout=20) == 128 + signal.SIGTERM
        deadline = time.monotonic() + 10
        while True:
            try:
                os.kill(child, 0)
            except ProcessLookupError:
                break
            assert time.monotonic() < deadline, "the server outlived `vlr serve`"
            time.sleep(0.1)
    finally:
        if runner.poll() is None:
            runner.kill()
