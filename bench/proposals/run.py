"""The benchmark of "Ny datamängd från fil" (issue 28): every corpus file through the analysis, compared
with its manifest, and the time from upload to draft for a 10 MB file.

    .stack/venv/bin/python bench/proposals/run.py [--portal http://127.0.0.1:5000 --token TOKEN]

Writes bench/RESULTS-proposals.md and the raw measurements bench/raw/proposals-<UTC time>.json.

A proposal is right when: the specification proposed (only high-confidence matches are proposed) is the
expected one, or none when none is expected; the extent comes from the expected source and its bounding
box is within 0.001° of the expected one on every side (the proposal rounds outward to 4 decimals); the
period equals the expected one. A wrong specification proposed with high confidence is counted apart.

Time: the analysis of a 10 MB CSV made here (bathing-site rows, semicolon, Windows-1252, decimal comma),
three runs; with ``--portal``, also the web flow: the POST of the file to /dataset/fran-fil until the
draft's page answers (needs a running portal and an editor's API token).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import sys
import time

import yaml

HERE = pathlib.Path(__file__).parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from ckanext.kalmar_oppnadata.proposals import analysis  # noqa: E402

ORGS = {o["name"]: o for o in yaml.safe_load(
    (ROOT / "ckanext/kalmar_oppnadata/data/organizations.yaml").read_text("utf-8"))["organizations"]}
TOLERANCE = 0.001


def organization(name: str) -> dict:
    org = ORGS[name]
    return {"name": name, "title": org["title"], "spatial": org.get("spatial")}


def _bbox_of(proposal: analysis.Proposal, org: dict) -> tuple[str | None, list[float] | None]:
    if proposal.extent:
        return proposal.extent.source, list(proposal.extent.bbox)
    if org.get("spatial"):
        return "organization", [float(v) for v in org["spatial"].split(",")]
    return None, None


def judge(entry: dict) -> dict:
    raw = (HERE / "corpus" / entry["file"]).read_bytes()
    org = organization(entry["organization"])
    started = time.perf_counter()
    proposal = analysis.analyse(raw, entry["file"], org)
    seconds = time.perf_counter() - started
    expected = entry["expected"]
    spec = proposal.spec["uri"] if proposal.spec else None
    best = proposal.match or proposal.near
    source, box = _bbox_of(proposal, org)
    want = expected["extent"]
    extent_right = bool(want and source == want["source"] and box
                        and all(abs(a - b) <= TOLERANCE for a, b in zip(box, want["bbox"])))
    period = [proposal.period.start.isoformat(), proposal.period.end.isoformat()] if proposal.period else None
    return {"file": entry["file"], "seconds": round(seconds, 4), "size": len(raw),
            "expected": expected, "proposed": {
                "specification": spec, "confidence": best.confidence if best else None,
                "near": proposal.near.spec["uri"] if proposal.near else None,
                "score": best.score if best else None, "extent_source": source, "bbox": box, "period": period,
                "title": proposal.title, "keywords": proposal.keywords, "encoding": proposal.encoding,
                "separator": proposal.separator, "mapping_offered": proposal.mapping_offered},
            "right": {"specification": spec == expected["specification"], "extent": extent_right,
                      "period": period == expected["period"]},
            "wrong_high": spec is not None and spec != expected["specification"],
            "report": proposal.report}


def ten_mb() -> bytes:
    """A 10 MB bathing-site CSV in Windows-1252 with semicolons and decimal commas."""
    lines = ["Platsid;Namn;Latitud;Longitud;Toalett;Beskrivning"]
    i = 0
    size = len(lines[0])
    while size < 10 * 1024 * 1024:
        line = (f"{i};Badplats nummer {i};{56 + (i % 997) / 1000:.5f};{16 + (i % 991) / 1000:.5f};ja;"
                "Sandstrand med brygga, grunt vatten och gräsyta").replace(".", ",")
        lines.append(line)
        size += len(line) + 2
        i += 1
    return "\r\n".join(lines).encode("cp1252")


def time_analysis(raw: bytes) -> list[float]:
    org = organization("kalmar-kommun")
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        analysis.analyse(raw, "badplatser_stor.csv", org)
        runs.append(round(time.perf_counter() - started, 3))
    return runs


def time_portal(raw: bytes, portal: str, token: str, org: str) -> list[float]:
    import requests

    runs = []
    for _ in range(3):
        started = time.perf_counter()
        answer = requests.post(f"{portal}/dataset/fran-fil", headers={"Authorization": token},
                               data={"owner_org": org}, files={"upload": ("badplatser_stor.csv", raw, "text/csv")},
                               allow_redirects=True, timeout=120)
        runs.append(round(time.perf_counter() - started, 3))
        if answer.status_code != 200 or "/dataset/" not in answer.url:
            raise SystemExit(f"the portal answered {answer.status_code} at {answer.url}")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--portal")
    parser.add_argument("--token")
    parser.add_argument("--organization", default="kalmar-kommun")
    args = parser.parse_args()
    manifest = json.loads((HERE / "manifest.json").read_text("utf-8"))["files"]
    results = [judge(entry) for entry in manifest]
    big = ten_mb()
    timing = {"bytes": len(big), "analysis_seconds": time_analysis(big)}
    if args.portal:
        timing["web_flow_seconds"] = time_portal(big, args.portal, args.token, args.organization)
    n = len(results)
    counts = {key: sum(r["right"][key] for r in results) for key in ("specification", "extent", "period")}
    both = sum(r["right"]["specification"] and r["right"]["extent"] for r in results)
    wrong_high = sum(r["wrong_high"] for r in results)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    raw_path = ROOT / "bench" / "raw" / f"proposals-{stamp}.json"
    raw_path.write_text(json.dumps({"when": stamp, "machine": {"python": platform.python_version(),
                                                               "cpus": os.cpu_count(), "load": os.getloadavg()},
                                    "files": results, "ten_mb": timing}, ensure_ascii=False, indent=1) + "\n",
                        "utf-8")
    rows = "\n".join(
        f"| {r['file']} | {'✔' if r['right']['specification'] else '✘'} {r['proposed']['specification'] or '–'}"
        f" ({r['proposed']['confidence'] or '–'}) | {'✔' if r['right']['extent'] else '✘'} "
        f"{r['proposed']['extent_source'] or '–'} | {'✔' if r['right']['period'] else '✘'} "
        f"{'–'.join(r['proposed']['period']) if r['proposed']['period'] else '–'} | {r['seconds']:.3f} |"
        for r in results)
    web = (f"- web flow (POST of the file until the draft's page answers), 3 runs: "
           f"{timing['web_flow_seconds']} s\n" if "web_flow_seconds" in timing else
           "- web flow: not measured in this run (no `--portal`)\n")
    text = f"""# Ny datamängd från fil: benchmark results (issue 28)

Command: `.stack/venv/bin/python bench/proposals/run.py` (corpus: `bench/proposals/corpus/`, made by
`bench/proposals/make_corpus.py`; expectations in `bench/proposals/manifest.json`). Raw measurements:
`bench/raw/{raw_path.name}`. Run {stamp} on this machine ({os.cpu_count()} cores, load
{', '.join(f'{v:.2f}' for v in os.getloadavg())} at the end).

## Proposals ({n} files)

- specification right: {counts['specification']}/{n} ({100 * counts['specification'] / n:.0f} %)
- extent right: {counts['extent']}/{n} ({100 * counts['extent'] / n:.0f} %)
- specification and extent both right: {both}/{n} ({100 * both / n:.0f} %) (target ≥ 90 %)
- period right: {counts['period']}/{n} ({100 * counts['period'] / n:.0f} %)
- wrong specification proposed with high confidence: {wrong_high} (target 0)

## Time from upload to draft, 10 MB file ({timing['bytes']} bytes)

- analysis (read, match, extent, period, title, checksum), 3 runs: {timing['analysis_seconds']} s
{web}
## Per file

| file | specification (confidence) | extent source | period | seconds |
|---|---|---|---|---|
{rows}
"""
    (ROOT / "bench" / "RESULTS-proposals.md").write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
