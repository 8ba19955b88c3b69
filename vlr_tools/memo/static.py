"""Static chart images (PNG) for the PDF and DOCX memos, drawn by kaleido.

Kaleido drives the installed Chromium. Starting it costs a few seconds, so one
browser is kept open in a background thread for the whole process and every
chart is drawn through it; images are cached by figure content, so drawing the
same memo twice (PDF then DOCX, or a second language with the same numbers)
costs nothing the second time.

When no browser can be found or started, :class:`MissingComponentError` says
how to install one; callers fall back to the chart's data table.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import hashlib
import json
import os
import shutil
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from ..errors import MemoError, MissingComponentError
from .model import Chart, Progress

#: Scale factor for PNGs: 2 gives crisp print at the memo's chart sizes.
SCALE = 2
#: Seconds to wait for one image before giving up.
TIMEOUT = 60

INSTALL_HINT = (
    "Static charts (PDF and DOCX memos) need Chromium, which was not found or could not "
    "start. Install it with 'apt-get install chromium' (or run ./scripts/setup), or set "
    "BROWSER_PATH to a Chrome/Chromium executable. The HTML and Markdown memos do not need it."
)

_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    """Path of the Chrome/Chromium kaleido will use, or None if there is none."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in _BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


class _Renderer:
    """One kaleido browser on its own event loop thread, shared by all calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._cache: OrderedDict[str, bytes] = OrderedDict()

    def _start(self) -> None:
        path = find_browser()
        if path is None:
            raise MissingComponentError(INSTALL_HINT)
        try:
            import kaleido
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise MissingComponentError(
                "Static charts need the Python package 'kaleido'; run ./scripts/setup."
            ) from exc
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="vlr-kaleido", daemon=True)
        thread.start()

        async def open_browser() -> Any:
            # mathjax=False: kaleido would otherwise point its page at a CDN.
            k = kaleido.Kaleido(n=1, timeout=TIMEOUT, mathjax=False, path=path)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(
                timeout=TIMEOUT
            )
        except (Exception, FutureTimeout) as exc:
            loop.call_soon_threadsafe(loop.stop)
            raise MissingComponentError(f"{INSTALL_HINT} (reason: {exc})") from exc
        self._loop, self._thread = loop, thread
        atexit.register(self.close)

    def close(self) -> None:
        """Close the browser (called at exit)."""
        with self._lock:
            if self._loop is None:
                return
            loop, k = self._loop, self._kaleido
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(timeout=10)
            except Exception:  # noqa: BLE001 - best effort at shutdown
                pass
            loop.call_soon_threadsafe(loop.stop)
            self._loop = self._thread = self._kaleido = None

    def png(self, chart: Chart) -> bytes:
        key = hashlib.sha256(
            json.dumps([chart.figure, chart.width, chart.height, SCALE]).encode()
        ).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
            if self._loop is None:
                self._start()
            assert self._loop is not None
            opts = {"format": "png", "width": chart.width, "height": chart.height, "scale": SCALE}
            future = asyncio.run_coroutine_threadsafe(
                self._kaleido.calc_fig(chart.figure_dict(), opts=opts), self._loop
            )
            try:
                data = future.result(timeout=TIMEOUT)
            except FutureTimeout as exc:
                raise MemoError(f"drawing chart {chart.title!r} took over {TIMEOUT} s") from exc
            except Exception as exc:
                raise MemoError(f"could not draw chart {chart.title!r}: {exc}") from exc
            self._cache[key] = bytes(data)
            while len(self._cache) > 64:
                self._cache.popitem(last=False)
            return self._cache[key]

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()


_renderer = _Renderer()


def chart_images(charts: Iterable[Chart], progress: Progress | None = None) -> dict[str, bytes]:
    """PNG bytes for each chart, keyed by ``chart.key``.

    Raises :class:`MissingComponentError` when Chromium is missing; any other
    drawing failure is a :class:`MemoError`.
    """
    charts = list(charts)
    images: dict[str, bytes] = {}
    for n, chart in enumerate(charts, start=1):
        if progress:
            progress(f"chart: {chart.title}", n, len(charts))
        images[chart.key] = _renderer.png(chart)
    return images


def data_uri(png: bytes) -> str:
    """A ``data:`` URI for an image, for self-contained HTML."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def warm_up() -> bool:
    """Start the chart browser now (e.g. in a thread while other work runs).

    Returns False when it cannot start; the error is raised again, with its
    message, when charts are actually drawn.
    """
    try:
        with _renderer._lock:
            if _renderer._loop is None:
                _renderer._start()
        return True
    except MissingComponentError:
        return False


def clear_cache() -> None:
    """Forget cached images (benchmarks use it to measure drawing itself)."""
    _renderer.clear_cache()


def shutdown() -> None:
    """Close the shared browser now instead of at exit."""
    _renderer.close()
