"""Run the workbench benchmarks and print their figures.

Usage: .venv/bin/python benchmarks/run.py [TOPIC ...]

Each ``benchmarks/bench_<topic>.py`` exposes ``run() -> dict`` whose keys name
the figure with its unit (``load_ms_median``) and whose values are numbers.
Results are printed and written to ``benchmarks/results/<topic>.json``.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    status = 0
    for path in sorted(HERE.glob("bench_*.py")):
        topic = path.stem.removeprefix("bench_")
        if wanted and topic not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {topic}", flush=True)
        started = time.perf_counter()
        try:
            figures = module.run()
        except Exception as exc:  # a failing benchmark must not hide the others
            print(f"   FAILED: {exc!r}")
            status = 1
            continue
        for key, value in figures.items():
            print(f"   {key}: {value}")
        record = {
            "topic": topic,
            "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "machine": f"{platform.node()} {platform.machine()} python {platform.python_version()}",
            "seconds": round(time.perf_counter() - started, 2),
            "figures": figures,
        }
        (results_dir / f"{topic}.json").write_text(json.dumps(record, indent=2, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
