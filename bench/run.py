"""Benchmarks, each side by side with its floor or ceiling in the same run.

    python bench/run.py --sizes 2500,25000,250000       # concepts per step (cumulative)
    python bench/run.py --quick                          # about a minute

The database is the one DATABASE_URL names (a throwaway PostgreSQL under
scripts/with-postgres.sh) or, without it, a fresh SQLite file in bench/.data/. Results
go to bench/results/<database>.json; BENCHMARKS.md quotes them.
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

if not os.environ.get("DATABASE_URL"):
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "bench.sqlite3").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATA / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECRET_KEY", "benchmark")
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import synthetic  # noqa: E402
from glossary import normalize, search  # noqa: E402
from glossary.models import Term  # noqa: E402


def timed(function, repeat: int) -> float:
    """Mean seconds per call over `repeat` calls, after one warm-up call."""
    function()
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat


def sample_queries(count: int) -> list[str]:
    """English terms spread over the whole synthetic glossary."""
    texts = list(
        Term.objects.filter(language="en", concept__slug__startswith="syn-")
        .order_by("?")
        .values_list("text", flat=True)[:count]
    )
    return texts


# --- lookup through the real API under gunicorn vs a bare Django view, driven by wrk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving bench.settings on a free port."""

    def __init__(self, workers: int = 2, **settings: str) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            **settings,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_ACCESSLOG": "",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        import urllib.request

        for _ in range(300):
            try:
                urllib.request.urlopen(self.base + "/bench/bare/", timeout=2)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(url_base: str, paths: list[str], seconds: int) -> dict:
    """Run wrk over the paths in turn; requests/s, p50 and p99 in milliseconds."""
    script = DATA / "paths.lua"
    quoted = ",".join(json.dumps(p) for p in paths)
    script.write_text(
        f"paths = {{{quoted}}}\ncounter = 0\n"
        "request = function()\n  counter = counter + 1\n"
        "  return wrk.format(nil, paths[(counter % #paths) + 1])\nend\n"
    )
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c8",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            url_base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise RuntimeError(f"wrk saw {non_2xx.group(1)} error responses:\n{out}")

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
    }


def bench_lookup(queries: list[str], seconds: int) -> dict:
    """Lookups under gunicorn and wrk: warm (answer cache on), cold (off), prefix."""
    from urllib.parse import urlencode

    exact = [
        "/api/v1/lookup/?" + urlencode({"q": q, "from": "en", "to": "zh-Hans,ru"})
        for q in queries
    ]
    prefix = [
        "/api/v1/terms/?" + urlencode({"q": q[:6], "lang": "en", "match": "prefix"})
        for q in queries
    ]
    results = {}
    for cache_seconds in ("300", "0"):
        server = Server(GLOSSARY_ANSWER_CACHE_SECONDS=cache_seconds)
        try:
            bare = wrk(server.base, ["/bench/bare/"], seconds)
            runs = {"lookup_exact": exact}
            if cache_seconds == "0":
                runs = {"lookup_exact_uncached": exact, "terms_prefix": prefix}
            else:
                results["bare_view"] = bare
            for name, paths in runs.items():
                measured = wrk(server.base, paths, seconds)
                measured["ratio_to_bare"] = round(measured["rps"] / bare["rps"], 3)
                results[name] = measured
        finally:
            server.stop()
    return results


# --- the same query in raw SQL vs through the ORM


def bench_sql_vs_orm(queries: list[str], repeat: int) -> dict:
    keys = [normalize.search_key(q) for q in queries]
    table = Term._meta.db_table
    sql = (
        f"SELECT t.id, t.text, t.language, t.status, t.concept_id FROM {table} t "
        f"WHERE t.language = %s AND t.search_key = %s"
    )
    state = {"i": 0}

    def next_key() -> str:
        state["i"] += 1
        return keys[state["i"] % len(keys)]

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, ["en", next_key()])
            cursor.fetchall()

    def orm():
        list(search.search_terms(next_key(), language="en"))

    raw_s, orm_s = timed(raw, repeat), timed(orm, repeat)
    return {
        "raw_sql_ms": round(raw_s * 1000, 3),
        "orm_ms": round(orm_s * 1000, 3),
        "orm_over_raw": round(orm_s / raw_s, 2),
    }


# --- tasks measured in processes of their own (bench/measure.py), ours vs the floor


def measure(task: str, *args: str, env: dict | None = None) -> dict:
    """Run one task of bench/measure.py in a fresh process; its JSON line."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), task, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"{task} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def annotate_text(rng_seed: int = 7) -> Path:
    """A 20 KB English text: a seed interview with synthetic terms woven in."""
    import random

    rng = random.Random(rng_seed)
    base = (ROOT / "terms_seed" / "documents" / "tokayev-xinhua-2024.txt").read_text(
        encoding="utf-8"
    )
    names = sample_queries(60)
    sentences = base.split(". ")
    for name in names:
        sentences.insert(rng.randrange(len(sentences)), f"The {name} took part")
    path = DATA / "annotate-20k.txt"
    path.write_text(". ".join(sentences)[:20_000], encoding="utf-8")
    return path


def bench_annotate() -> dict:
    text = str(annotate_text())
    ours, bare = measure("annotate-ours", text), measure("annotate-bare", text)
    return {
        "ours": ours,
        "bare_automaton": bare,
        "scan_ratio": round(ours["scan_ms"] / max(bare["scan_ms"], 0.001), 2),
    }


def bench_export(size: int) -> dict:
    ours = measure("export-ours", str(DATA / f"export-{size}.tbx"))
    bare = measure("export-bare", str(DATA / f"export-bare-{size}.tbx"))
    return {
        "ours": ours,
        "bare_lxml": bare,
        "time_ratio": round(ours["seconds"] / bare["seconds"], 2),
    }


class FreshDatabase:
    """An empty, migrated database next to the benchmark's, for imports."""

    def __init__(self, name: str) -> None:
        self.name = name
        base = os.environ["DATABASE_URL"]
        if connection.vendor == "postgresql":
            import psycopg

            with psycopg.connect(base, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}"')
            self.url = base.rsplit("/", 1)[0] + f"/{name}"
        else:
            path = DATA / f"{name}.sqlite3"
            path.unlink(missing_ok=True)
            self.url = f"sqlite:///{path}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": self.url},
            check=True,
        )

    def drop(self) -> None:
        if connection.vendor == "postgresql":
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            (DATA / f"{self.name}.sqlite3").unlink(missing_ok=True)


def bench_import(size: int) -> dict:
    """Import our own TBX export of the glossary into empty databases."""
    path = str(DATA / f"export-{size}.tbx")
    results = {}
    for task in ("import-ours", "import-floor"):
        database = FreshDatabase(f"bench_{task.replace('-', '_')}")
        try:
            results[task] = measure(task, path, env={"DATABASE_URL": database.url})
        finally:
            database.drop()
    v2 = str(DATA / f"export-{size}-v2.tbx")
    measure("export-ours", v2, "tbx2")
    results["parse-ttk"] = measure("parse-ttk", v2)
    results["ratio_to_floor"] = round(
        results["import-ours"]["seconds"] / results["import-floor"]["seconds"], 2
    )
    results["ratio_to_ttk_parse"] = round(
        results["import-ours"]["seconds"] / results["parse-ttk"]["seconds"], 2
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,25000,250000")
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per run")
    args = parser.parse_args()
    sizes = [500, 2500] if args.quick else [int(s) for s in args.sizes.split(",")]
    seconds = 3 if args.quick else args.seconds
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench does it)")

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0)
    vendor = connection.vendor
    report = {
        "database": vendor,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}",
        "steps": [],
    }
    have = 0
    for size in sizes:
        started = time.perf_counter()
        terms = synthetic.generate(size - have)
        have = size
        step = {
            "concepts": size,
            "terms": Term.objects.count(),
            "generate_s": round(time.perf_counter() - started, 1),
            "added_terms": terms,
        }
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics after a bulk load, as in use
        queries = sample_queries(200)
        step["lookup"] = bench_lookup(queries, seconds)
        step["sql_vs_orm"] = bench_sql_vs_orm(queries, 200 if args.quick else 2000)
        step["annotate"] = bench_annotate()
        step["export"] = bench_export(size)
        step["import"] = bench_import(size)
        report["steps"].append(step)
        print(json.dumps(step, ensure_ascii=False), flush=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{vendor}.json").write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
