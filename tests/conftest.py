"""Shared pytest fixtures. Each topic appends its own small fixtures below."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_exports(tmp_path_factory, monkeypatch):
    """Keep tests from writing into the real exports/ and workspace folders."""
    from vlr_tools import paths

    monkeypatch.setenv("VLR_TEST", "1")
    # The CLI and the notebooks default to $VLR_DATABASE_URL, else data/workspace/:
    # a test that names no workspace gets an empty one of its own instead.
    default = tmp_path_factory.mktemp("default-workspace")
    monkeypatch.delenv("VLR_DATABASE_URL", raising=False)
    monkeypatch.setenv("VLR_WORKSPACE_DIR", str(default))
    monkeypatch.setattr(paths, "WORKSPACE_DIR", default)
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


@pytest.fixture
def sample_review(workspace):
    """Start a review of a sample city's draft in ``workspace``, through the intake.

    ``sample_review("santa-rosa", "v1", reviewers=(...))`` takes the city in
    (profile and draft files), starts the review and imports the city's
    indicator table and consultation log, as a reviewer would for a real city.
    Returns the workspace's review record; ``open_review(workspace, rv.id)``
    gives its inputs.
    """
    from vlr_tools.intake import start_sample_review

    def start(slug: str, version: str | None = "v1", **kwargs):
        return start_sample_review(workspace, slug, version, **kwargs)

    return start


# -- mapping and vocabulary ----------------------------------------------------


@pytest.fixture
def vocabulary_city(tmp_path, monkeypatch) -> str:
    """A throw-away city folder 'testville' (no local terms yet) under a temporary CITIES_DIR."""
    from vlr_tools import paths

    root = tmp_path / "cities"
    (root / "testville").mkdir(parents=True)
    monkeypatch.setattr(paths, "CITIES_DIR", root)
    return "testville"
