"""Run one benchmark task in a fresh process and print its time and peak memory as JSON.

    python bench/measure.py export-bare OUT.tbx
    python bench/measure.py import-floor FILE.tbx

Each task runs in its own process so that its peak resident memory is its own. The
database is the one DATABASE_URL names, as for bench/run.py.
"""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from bench import floors  # noqa: E402


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb() -> float:
    """Current resident memory of this process in MiB."""
    return _status_mb("VmRSS")


def peak_mb() -> float:
    """Peak resident memory of this process in MiB.

    VmHWM, not getrusage's ru_maxrss: the latter survives exec, so it would report the
    parent's size when that was larger.
    """
    return _status_mb("VmHWM")


TASKS = {
    "export-bare": floors.export_bare,
    "export-ours": floors.export_ours,
    "import-floor": floors.import_floor,
    "import-ours": floors.import_ours,
    "parse-ttk": floors.parse_translate_toolkit,
    "annotate-bare": floors.annotate_bare,
    "annotate-ours": floors.annotate_ours,
}


def main() -> None:
    task, *args = sys.argv[1:]
    baseline = rss_mb()
    started = time.perf_counter()
    extra = TASKS[task](*args) or {}
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "task": task,
                "seconds": round(seconds, 3),
                "baseline_rss_mb": round(baseline, 1),
                "peak_rss_mb": round(peak_mb(), 1),
                "growth_mb": round(peak_mb() - baseline, 1),
                **extra,
            }
        )
    )


if __name__ == "__main__":
    main()
