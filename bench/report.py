"""Render bench/results/*.json as the Markdown tables BENCHMARKS.md quotes.

python bench/report.py > bench/results/tables.md
"""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def lookup_rows(steps) -> list[list]:
    rows = []
    for step in steps:
        lookup = step["lookup"]
        bare = lookup["bare_view"]
        rows.append(
            [
                f"{step['terms']:,}",
                "bare view (ceiling)",
                bare["rps"],
                bare["p50_ms"],
                bare["p99_ms"],
                "1.00",
            ]
        )
        for name, label in [
            ("lookup_exact", "lookup/ exact, answer cache on"),
            ("lookup_exact_uncached", "lookup/ exact, cache off"),
            ("terms_prefix", "terms/ prefix"),
        ]:
            run = lookup[name]
            rows.append(
                [
                    "",
                    label,
                    run["rps"],
                    run["p50_ms"],
                    run["p99_ms"],
                    f"{run['ratio_to_bare']:.2f}",
                ]
            )
    return rows


def render(report: dict) -> str:
    steps = report["steps"]
    parts = [f"### {report['database']} — {report['machine']}", ""]
    parts.append(
        "Lookup through gunicorn (2 workers) driven by wrk (1 thread, 8 "
        "connections), 200 different queries in turn:\n"
    )
    parts.append(
        table(
            ["terms", "endpoint", "req/s", "p50 ms", "p99 ms", "× ceiling"],
            lookup_rows(steps),
        )
    )
    parts.append(
        "\nThe same exact-key query, raw SQL vs `search.search_terms` (ORM):\n"
    )
    parts.append(
        table(
            ["terms", "raw SQL ms", "ORM ms", "ORM / raw"],
            [
                [
                    f"{s['terms']:,}",
                    s["sql_vs_orm"]["raw_sql_ms"],
                    s["sql_vs_orm"]["orm_ms"],
                    s["sql_vs_orm"]["orm_over_raw"],
                ]
                for s in steps
            ],
        )
    )
    parts.append(
        "\nRecognition of a 20 KB English text (`matching.find_terms`) vs "
        "scanning its folded text with a bare pyahocorasick automaton of every "
        "key:\n"
    )
    parts.append(
        table(
            [
                "terms",
                "ours: build s",
                "ours: annotate ms",
                "bare: build s",
                "bare: scan ms",
                "annotate / bare scan",
                "ours: RSS growth MB",
                "bare: RSS growth MB",
            ],
            [
                [
                    f"{s['terms']:,}",
                    s["annotate"]["ours"]["build_s"],
                    s["annotate"]["ours"]["scan_ms"],
                    s["annotate"]["bare_automaton"]["build_s"],
                    s["annotate"]["bare_automaton"]["scan_ms"],
                    s["annotate"]["scan_ratio"],
                    s["annotate"]["ours"]["growth_mb"],
                    s["annotate"]["bare_automaton"]["growth_mb"],
                ]
                for s in steps
            ],
        )
    )
    parts.append(
        "\nTBX export of the whole glossary vs a bare lxml `xmlfile` writer of "
        "the same terms (each in its own process):\n"
    )
    parts.append(
        table(
            [
                "terms",
                "ours s",
                "bare s",
                "ours / bare",
                "ours: RSS growth MB",
                "bare: RSS growth MB",
            ],
            [
                [
                    f"{s['terms']:,}",
                    s["export"]["ours"]["seconds"],
                    s["export"]["bare_lxml"]["seconds"],
                    s["export"]["time_ratio"],
                    s["export"]["ours"]["growth_mb"],
                    s["export"]["bare_lxml"]["growth_mb"],
                ]
                for s in steps
            ],
        )
    )
    parts.append(
        "\nTBX import of that export into an empty database vs the floor "
        "(iterparse + one-transaction bulk inserts of the same rows) and vs "
        "translate-toolkit parsing the same glossary (its v2 export):\n"
    )
    parts.append(
        table(
            [
                "terms",
                "ours s",
                "floor s",
                "ours / floor",
                "translate-toolkit parse s",
                "ours / ttk",
                "ours: RSS growth MB",
                "floor: RSS growth MB",
                "ttk: RSS growth MB",
            ],
            [
                [
                    f"{s['terms']:,}",
                    s["import"]["import-ours"]["seconds"],
                    s["import"]["import-floor"]["seconds"],
                    s["import"]["ratio_to_floor"],
                    s["import"]["parse-ttk"]["seconds"],
                    s["import"]["ratio_to_ttk_parse"],
                    s["import"]["import-ours"]["growth_mb"],
                    s["import"]["import-floor"]["growth_mb"],
                    s["import"]["parse-ttk"]["growth_mb"],
                ]
                for s in steps
            ],
        )
    )
    return "\n".join(parts) + "\n"


def main() -> None:
    for path in sorted(RESULTS.glob("*.json")):
        print(render(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
