"""Shared pytest fixtures. Each topic appends its own small fixtures below."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_exports(tmp_path_factory, monkeypatch):
    """Keep tests from writing into the real exports/ and workspace folders."""
    monkeypatch.setenv("VLR_TEST", "1")
    yield


@pytest.fixture
def project_dir() -> Path:
    return PROJECT_DIR


def postgres_url() -> str | None:
    """The PostgreSQL URL started by scripts/test, if any."""
    return os.environ.get("VLR_TEST_DATABASE_URL")


# -- workspace ---------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path):
    """A fresh SQLite review workspace under tmp_path, saving as 'Test Reviewer'."""
    from vlr_tools.workspace import open_workspace

    ws = open_workspace(tmp_path / "workspace", reviewer="Test Reviewer")
    yield ws
    ws.close()


# -- mapping and vocabulary ----------------------------------------------------


@pytest.fixture
def vocabulary_city(tmp_path, monkeypatch) -> str:
    """A throw-away city folder 'testville' (no local terms yet) under a temporary CITIES_DIR."""
    from vlr_tools import paths

    root = tmp_path / "cities"
    (root / "testville").mkdir(parents=True)
    monkeypatch.setattr(paths, "CITIES_DIR", root)
    return "testville"
