"""Write bench/RESULTS.md from the measurements of bench/run-catalog and bench/run-api (one JSON line each,
in .stack/bench-catalog.jsonl and .stack/bench-api.jsonl), followed by the hand-written findings
(bench/findings.md: what profiling found about each missed target)."""
from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections import defaultdict
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
STACK = Path(os.environ.get("KALMAR_STACK_DIR", BENCH.parent / ".stack"))


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})" if values else "—"


def cell(value: float | None, spec: str = ".2f") -> str:
    return "—" if value is None else format(value, spec)


def _rows(name: str) -> list[dict]:
    path = STACK / name
    return [json.loads(line) for line in path.open() if line.strip()] if path.exists() else []


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def catalog_section() -> list[str]:
    return ["## 1. Catalog", "",
            "Measured by `bench/run-catalog` (issue 23) into `bench/RESULTS-catalog.md`, with the raw measurements"
            " in `bench/raw/`; under load, with editors saving, against stock CKAN's own endpoint:"
            " `SCENARIO=catalog bench/run-load` into `bench/RESULTS-load-catalog.md`.", ""]


def api_section(rows: list[dict]) -> list[str]:
    if not rows:
        return ["## 2–4. Search, writes, overview", "", "Not measured yet: `bench/run-api`.", ""]
    commands = list(dict.fromkeys(row.get("command", "bench/run-api") for row in rows))
    by = defaultdict(list)
    for row in rows:
        by[(row["what"], row["config"])].append(row)
    count = rows[0]["datasets"]
    checked = [r for r in rows if r["what"] == "check"]
    same = len(checked) == 2 and checked[0]["answers"] == checked[1]["answers"]
    lines = ["## 2. Search (package_search with facets)", "",
             "- commands: " + "; ".join(f"`{c}`" for c in commands) +
             "; each measurement in a fresh process through CKAN's whole request stack (Flask test client)",
             f"- {count} datasets in the benchmark database; ours: `test.ini`; stock: `bench/stock.ini` (same"
             " versions and other extensions, ckanext-scheming's default schema, no plugin of ours, the"
             " same datasets indexed by it in a core of its own)",
             "- the same work: both facet on organization, tags, format and licence (CKAN's own string fields in"
             " both); before timing, every query's hit count and facet counts were compared: "
             + ("**identical**" if same else "**not compared or different: the ratios below are not valid**"),
             "- milliseconds: median over the runs of each run's p50 / p95; in brackets the runs' range; n runs", "",
             "| query | ours p50 | stock p50 | ratio p50 | ours p95 | stock p95 | ratio p95 | n |",
             "|---|---|---|---|---|---|---|---|"]
    ours = [r for r in by[("search", "ours")] if r.get("facets", "common") == "common"]
    own = [r for r in by[("search", "ours")] if r.get("facets") == "own"]
    stock = by[("search", "stock")]
    if ours and stock:
        o50, s50 = [r["p50_ms"] for r in ours], [r["p50_ms"] for r in stock]
        o95, s95 = [r["p95_ms"] for r in ours], [r["p95_ms"] for r in stock]
        lines.append(f"| query mix | {spread(o50)} | {spread(s50)} | {_median(o50) / _median(s50):.2f} | "
                     f"{spread(o95)} | {spread(s95)} | {_median(o95) / _median(s95):.2f} | "
                     f"{min(len(ours), len(stock))} |")
        for query in ours[0]["per_query"]:
            qo = [r["per_query"][query]["p50_ms"] for r in ours]
            qs = [r["per_query"][query]["p50_ms"] for r in stock]
            po = [r["per_query"][query]["p95_ms"] for r in ours]
            ps = [r["per_query"][query]["p95_ms"] for r in stock]
            lines.append(f"| `{query}` | {spread(qo)} | {spread(qs)} | {_median(qo) / _median(qs):.2f} | "
                         f"{spread(po)} | {spread(ps)} | {_median(po) / _median(ps):.2f} | {min(len(qo), len(qs))} |")
    if own:
        lines += ["", "Ours with its own facets (organization, theme, Agenda 2030 goal, specification: `vocab_*` string"
                  " fields; stock has no field of that kind for them), for reference:", "",
                  "| query | p50 | p95 | n |", "|---|---|---|---|"]
        lines.append(f"| query mix | {spread([r['p50_ms'] for r in own])} | {spread([r['p95_ms'] for r in own])} |"
                     f" {len(own)} |")
    lines += ["", "Target: ours ≤ 1.1 × stock.", "",
              "## 3. Writes (package_create, then package_update, through the Action API)", "",
              "| | ours datasets/s | stock datasets/s | time ratio (stock rate / ours) |", "|---|---|---|---|"]
    ours, stock = by[("writes", "ours")], by[("writes", "stock")]
    if ours and stock:
        for key, label in (("create_per_s", "package_create"), ("update_per_s", "package_update")):
            o = _median([r[key] for r in ours])
            s = _median([r[key] for r in stock])
            lines.append(f"| {label} | {spread([r[key] for r in ours])} | {spread([r[key] for r in stock])} | "
                         f"{s / o:.2f} |")
        lines.append("")
        lines.append(f"{ours[0]['count']} datasets per run, like the seeded ones (2–4 resources each).")
    lines += ["", "Target: ours ≤ 1.3 × stock's time per dataset.", "",
              "## 4. Overview and quality (overview_show as an anonymous visitor)", "",
              "| datasets | cold s (built) | warm s (median) | warm s (max) |", "|---|---|---|---|"]
    for row in by[("overview", "ours")][-1:]:
        lines.append(f"| {row['datasets']} | {row['cold_s']:.2f} | {row['warm_p50_s']:.4f} | {row['warm_max_s']:.4f} |")
    lines += ["", "Target: under one second warm.", ""]
    return lines


def kept_catalog_report(raw: Path) -> list[str]:
    """bench/RESULTS-catalog.md from one run of bench/run-catalog (its raw lines, bench/raw/)."""
    rows = [json.loads(line) for line in raw.open() if line.strip()]
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    commands = list(dict.fromkeys(r.get("command", "") for r in rows))
    loads = [r[k] for r in rows for k in ("load_before", "load_after") if k in r]
    lines = ["# Catalog benchmark (issue 23)", "",
             f"- written: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, from `{raw.relative_to(BENCH.parent)}`"
             " (every number below, one JSON line per measurement)",
             f"- command: {'; '.join(f'`{c}`' for c in commands)}",
             f"- machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB; load average (1 min)"
             f" during the measurements {min(loads):.1f}–{max(loads):.1f} (each row's in the raw file; the"
             " benchmark's own database server, Solr and Redis run on the same cores)" if loads else "",
             "- seconds: median (min–max, n samples); memory: growth of the process's peak resident size; "
             "datasets: counted by parsing the served document (pyoxigraph, streaming), against the public "
             "datasets in the index",
             ""]
    by_db = defaultdict(list)
    for row in rows:
        by_db[row.get("database", "")].append(row)
    for database, db_rows in by_db.items():
        public = db_rows[0]["public_datasets"]
        lines += [f"## {public} public datasets (database `{database}`)", "",
                  "| format | scenario | mode | seconds | n | load | datasets parsed | parts made | builds | MiB |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        groups = defaultdict(list)
        for row in db_rows:
            groups[(row["format"], row["mode"], row["scenario"])].append(row)
        order = sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != "kept", kv[0][1]))
        for (fmt, mode, scenario), group in order:
            seconds = [s for r in group for s in r["seconds"]]
            builds = [b for r in group for b in r.get("builds", [])]
            parsed = sorted({r["datasets_parsed"] for r in group if "datasets_parsed" in r})
            growth = [r["peak_rss_growth_mib"] for r in group if "peak_rss_growth_mib" in r]
            load = statistics.median([r.get("load_before", r["load_after"]) for r in group])
            made = sum(b.get("parts_made", 0) for b in builds) if builds else None
            lines.append(
                f"| {fmt} | {scenario} | {mode} | {spread(seconds)} | {len(seconds)} | {load:.1f} | "
                f"{', '.join(map(str, parsed)) or '—'} | {cell(made, 'd') if made is not None else '—'} | "
                f"{len(builds) if mode == 'kept' and scenario != 'unchanged' else '—'} | "
                f"{cell(_median(growth), '.0f') if growth else '—'} |")
        lines.append("")
    return lines + targets(by_db)


def _cell_seconds(rows: list[dict], fmt: str, mode: str, scenario: str) -> list[float]:
    return [s for r in rows if (r["format"], r["mode"], r["scenario"]) == (fmt, mode, scenario)
            for s in r["seconds"]]


def targets(by_db: dict[str, list[dict]]) -> list[str]:
    """Issue 23's targets, each against the measurements above (medians)."""
    sizes = sorted(((rows[0]["public_datasets"], rows) for rows in by_db.values()), key=lambda x: x[0])
    formats = sorted({r["format"] for _, rows in sizes for r in rows if r["mode"] == "kept"})
    lines = ["## Targets", "", "| target | format | measured | met |", "|---|---|---|---|"]
    # The target's size is 10,000 datasets (the nearest measured, if that one was not)
    largest, rows = min(sizes, key=lambda x: abs(x[0] - 10000))
    for fmt in formats:
        edit = _cell_seconds(rows, fmt, "kept", "after 1 edit")
        if edit:
            lines.append(f"| after 1 edit at {largest} datasets, the next full response ≤ 2 s | {fmt} | "
                         f"{statistics.median(edit):.2f} s | {'yes' if statistics.median(edit) <= 2 else 'no'} |")
        for size, size_rows in sizes:
            kept = _cell_seconds(size_rows, fmt, "kept", "cold")
            fair = _cell_seconds(size_rows, fmt, "fair", "cold")
            if kept and fair:
                ratio = statistics.median(kept) / statistics.median(fair)
                lines.append(f"| cold build ≤ 1.0 × the fair stock baseline, {size} datasets | {fmt} | "
                             f"{ratio:.2f} × | {'yes' if ratio <= 1.0 else 'no'} |")
        per = [(size, statistics.median(c) / size * 1000) for size, size_rows in sizes
               if (c := _cell_seconds(size_rows, fmt, "kept", "cold"))]
        if len(per) > 1:
            change = per[-1][1] / per[0][1] - 1
            lines.append(f"| time per dataset (cold) from {per[0][0]} to {per[-1][0]} within ±25 % | {fmt} | "
                         + ", ".join(f"{ms:.1f} ms at {size}" for size, ms in per)
                         + f" ({change:+.0%}) | {'yes' if abs(change) <= 0.25 else 'no'} |")
        for size, size_rows in sizes:
            growth = [r["peak_rss_growth_mib"] for r in size_rows
                      if (r["format"], r["mode"], r["scenario"]) == (fmt, "kept", "cold")]
            limit = 300 if size <= 10000 else 500
            if growth and size >= 10000:
                lines.append(f"| peak memory growth ≤ {limit} MB at {size} datasets | {fmt} | "
                             f"{max(growth):.0f} MiB | {'yes' if max(growth) * 1.048576 <= limit else 'no'} |")
        for size, size_rows in sizes:
            concurrent = [r for r in size_rows if (r["format"], r["mode"], r["scenario"]) ==
                          (fmt, "kept", "8 concurrent requests after an edit")]
            if concurrent:
                count = len([b for r in concurrent for b in r.get("builds", [])])
                lines.append(f"| 8 concurrent requests after an edit start exactly one build, {size} datasets | "
                             f"{fmt} | {count} | {'yes' if count == len(concurrent) else 'no'} |")
    return lines + [""]


def main() -> None:
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--catalog":
        (BENCH / "RESULTS-catalog.md").write_text("\n".join(kept_catalog_report(Path(sys.argv[2]).resolve())) + "\n")
        return
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("ckan", "ckanext-dcat", "ckanext-scheming",
                                                                  "ckanext-harvest", "rdflib"))
    lines = ["# Benchmarks", "",
             f"- written: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB; {versions}",
             "- how to run: bench/README.md; the load run (5.) is in bench/RESULTS-load.md", ""]
    lines += catalog_section()
    api_raw = Path(sys.argv[2]).resolve() if len(sys.argv) == 3 and sys.argv[1] == "--api" else None
    api_rows = [json.loads(line) for line in api_raw.open() if line.strip()] if api_raw else _rows("bench-api.jsonl")
    if api_raw:
        lines += [f"Raw measurements of sections 2–4: `{api_raw.relative_to(BENCH.parent)}`.", ""]
    lines += api_section(api_rows)
    findings = BENCH / "findings.md"
    if findings.exists():
        lines.append(findings.read_text())
    (BENCH / "RESULTS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
