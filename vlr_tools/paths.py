"""Where the workbench finds its data and writes its output.

Every path can be moved with an environment variable so that tests, a shared
JupyterHub or a workshop laptop can point the workbench elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

#: Root of the data folder: reference data and the sample cities.
DATA_DIR = Path(os.environ.get("VLR_DATA_DIR", PROJECT_DIR / "data"))
#: Reference data a reviewer may edit: SDG framework, vocabularies, checklists...
REFERENCE_DIR = DATA_DIR / "reference"
#: Sample cities, one folder per slug.
CITIES_DIR = DATA_DIR / "cities"
#: Generated memos and other exports (ignored by git).
EXPORTS_DIR = Path(os.environ.get("VLR_EXPORTS_DIR", PROJECT_DIR / "exports"))
#: Default location of the embedded (SQLite) review workspace.
WORKSPACE_DIR = Path(os.environ.get("VLR_WORKSPACE_DIR", DATA_DIR / "workspace"))
#: Cache of derived data that can be made again (the meaning model's vectors).
CACHE_DIR = Path(
    os.environ.get(
        "VLR_CACHE_DIR",
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vlr-tools",
    )
)
#: The workbench notebooks (served by `vlr serve`, opened by `vlr lab`).
NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"
