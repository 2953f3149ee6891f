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


def catalog_section(rows: list[dict]) -> list[str]:
    commands = list(dict.fromkeys(row.get("command", "bench/run-catalog") for row in rows))
    runs: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        runs[(row["size"], row["format"], row["mode"])].append(row)
    lines = [
        "## 1. Catalog export", "",
        "- commands: " + "; ".join(f"`{c}`" for c in commands) +
        "; each measurement in a fresh process; a database and Solr core of the benchmark's own per size"
        " (`ckan_bench_1k`, `ckan_bench`)",
        "- (a) ours: `catalog.portal_catalog`, reading every public dataset from the index and serializing"
        " with `dcat_ap_se`; (b) stock: the same datasets through ckanext-dcat's `euro_dcat_ap_3`;"
        " (c) floor: rdflib serializing the already-built graph of (a) (pretty-xml, which ckanext-dcat uses for"
        " RDF/XML, and rdflib's Turtle); (d) cached: serving the unchanged"
        " catalog through `catalog.portal_catalog_file` (its fingerprint, then reading the kept file;"
        " median of 5)",
        "- seconds: median (min–max); memory: growth of the peak resident size during the export (MiB),"
        " for the floor the peak of Python allocations during serialize", "",
        "| datasets | format | (a) ours s | (b) stock s | (c) floor s | (d) cached s | a/b | a/c | d/c "
        "| (a) MiB | (b) MiB | (c) MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, fmt in sorted({(k[0], k[1]) for k in runs}):
        got = {m: runs.get((size, fmt, mode), [])
               for m, mode in (("a", "ours"), ("b", "stock"), ("c", "floor"), ("d", "cached"))}
        sec = {m: [r["seconds"] for r in rs] for m, rs in got.items()}
        med = {m: _median(v) for m, v in sec.items()}
        growth = {m: _median([r["peak_rss_mib"] - r["rss_before_mib"] for r in got[m]]) for m in ("a", "b")}
        floor_mem = _median([r["serialize_peak_mib"] for r in got["c"]])
        count = next(r["datasets"] for rs in got.values() for r in rs)

        def ratio(x: str, y: str) -> float | None:
            return med[x] / med[y] if med[x] and med[y] else None

        lines.append(f"| {count} | {fmt} | {spread(sec['a'])} | {spread(sec['b'])} | {spread(sec['c'])} | "
                     f"{spread(sec['d']) if sec['d'] else '—'} | {cell(ratio('a', 'b'))} | "
                     f"{cell(ratio('a', 'c'), '.1f')} | {cell(ratio('d', 'c'), '.3f')} | "
                     f"{cell(growth['a'], '.0f')} | {cell(growth['b'], '.0f')} | {cell(floor_mem, '.0f')} |")
    lines += ["", "A dash: not measured in these runs.", "",
              "Targets: a/b ≤ 1.2; the cached path d/c ≤ 2; memory no worse than linear.", ""]
    return lines


def api_section(rows: list[dict]) -> list[str]:
    if not rows:
        return ["## 2–4. Search, writes, overview", "", "Not measured yet: `bench/run-api`.", ""]
    commands = list(dict.fromkeys(row.get("command", "bench/run-api") for row in rows))
    by = defaultdict(list)
    for row in rows:
        by[(row["what"], row["config"])].append(row)
    count = rows[0]["datasets"]
    lines = ["## 2. Search (package_search with facets on organization, theme, goal and specification)", "",
             "- commands: " + "; ".join(f"`{c}`" for c in commands) +
             "; each measurement in a fresh process through CKAN's whole request stack (Flask test client)",
             f"- {count} datasets in the benchmark database; ours: `test.ini`; stock: `bench/stock.ini` (same"
             " versions and other extensions, ckanext-scheming's default schema, no plugin of ours, the"
             " same datasets indexed by it in the core `ckan_bench_stock`)",
             "- milliseconds: median over the runs of each run's p50 / p95 over the query mix", "",
             "| | ours p50 | stock p50 | ratio | ours p95 | stock p95 | ratio |", "|---|---|---|---|---|---|---|"]
    ours, stock = by[("search", "ours")], by[("search", "stock")]
    if ours and stock:
        o50, s50 = _median([r["p50_ms"] for r in ours]), _median([r["p50_ms"] for r in stock])
        o95, s95 = _median([r["p95_ms"] for r in ours]), _median([r["p95_ms"] for r in stock])
        lines.append(f"| query mix | {o50:.1f} | {s50:.1f} | {o50 / s50:.2f} | {o95:.1f} | {s95:.1f} | "
                     f"{o95 / s95:.2f} |")
        for query in ours[0]["per_query"]:
            qo = _median([r["per_query"][query]["p50_ms"] for r in ours])
            qs = _median([r["per_query"][query]["p50_ms"] for r in stock])
            po = _median([r["per_query"][query]["p95_ms"] for r in ours])
            ps = _median([r["per_query"][query]["p95_ms"] for r in stock])
            lines.append(f"| `{query}` | {qo:.1f} | {qs:.1f} | {qo / qs:.2f} | {po:.1f} | {ps:.1f} | {po / ps:.2f} |")
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


def main() -> None:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("ckan", "ckanext-dcat", "ckanext-scheming",
                                                                  "ckanext-harvest", "rdflib"))
    lines = ["# Benchmarks", "",
             f"- written: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             f"- machine: {platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB; {versions}",
             "- how to run: bench/README.md; the load run (5.) is in bench/RESULTS-load.md", ""]
    lines += catalog_section(_rows("bench-catalog.jsonl"))
    lines += api_section(_rows("bench-api.jsonl"))
    findings = BENCH / "findings.md"
    if findings.exists():
        lines.append(findings.read_text())
    (BENCH / "RESULTS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
