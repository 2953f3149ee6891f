"""State that must be shared is shared (issue 27, item 4): checks on the running cluster, through each web
process's own address (not nginx), so that which process answers is known.

1. A dataset created through web process 1 is, on the very next request, in the complete catalog and in the
   overview served by processes 2 and 3.
2. A file uploaded through process 1 is downloaded, the same bytes, from process 3 (one storage directory).
3. Right after an edit through process 2, concurrent requests for the catalog on all three processes: builds
   of a document never overlap in time, and no state of the data is built twice.
4. The dataset made private through process 3 is gone from the catalog served by process 1 on the next
   request, and from its overview.
5. Every replica of the collection holds the same index time (``indexed_ts``) for the dataset created in 1:
   the kept overview and goal summary are keyed by the newest of them, and a search is answered by either
   replica (Solr's own default, the time of each replica's write, made them differ).

Prints one line per check (ok or FAIL, with what was seen) and exits 1 if any failed. Run through
`bench/run-cluster state` (docs/operations.md keeps its last output).
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

import requests
from load import new_dataset

FAILED: list[str] = []


def check(what: str, ok: bool, seen: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}: {seen}", flush=True)
    if not ok:
        FAILED.append(what)


def overview_count(base: str, organization: str) -> int:
    result = requests.get(f"{base}/api/3/action/overview_show", timeout=300).json()["result"]
    return next(o["datasets"] for o in result["organizations"] if o["name"] == organization)


def replica_times(solr_url: str, dataset_id: str) -> dict[str, str]:
    """The dataset's ``indexed_ts`` on each replica of the collection (each asked alone, ``distrib=false``)."""
    base, collection = solr_url.rstrip("/").rsplit("/", 1)
    status = requests.get(f"{base}/admin/collections", timeout=60, params={
        "action": "CLUSTERSTATUS", "collection": collection, "wt": "json"}).json()
    times = {}
    for shard in status["cluster"]["collections"][collection]["shards"].values():
        for replica in shard["replicas"].values():
            docs = requests.get(f"{replica['base_url']}/{replica['core']}/select", timeout=60, params={
                "q": f'id:"{dataset_id}"', "fl": "indexed_ts", "distrib": "false", "wt": "json"}).json()
            found = docs["response"]["docs"]
            times[replica["core"]] = found[0]["indexed_ts"] if found else "missing"
    return times


def builds(log: Path, since: int) -> list[dict]:
    lines = log.read_text().splitlines() if log.exists() else []
    return [json.loads(line) for line in lines[since:]]


def overlapping(found: list[dict]) -> list[tuple[str, str]]:
    """Pairs of builds of the same document whose times overlap ("at" is when a build ended)."""
    def span(b: dict) -> tuple[float, float]:
        end = time.mktime(time.strptime(b["at"][:19], "%Y-%m-%dT%H:%M:%S"))
        return end - b["seconds"], end

    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1:]:
            if a["document"] == b["document"]:
                (a0, a1), (b0, b1) = span(a), span(b)
                if a0 < b1 - 1 and b0 < a1 - 1:  # the log's times are whole seconds
                    pairs.append((f"{a['pid']}@{a['at']}", f"{b['pid']}@{b['at']}"))
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--web", nargs=3, required=True, help="the three web processes' base URLs")
    parser.add_argument("--token", required=True, help="API token of a sysadmin")
    parser.add_argument("--builds-log", required=True, help="the shared storage's kalmar-cache/builds.log")
    parser.add_argument("--solr", required=True, help="the collection's URL, as CKAN's solr_url")
    args = parser.parse_args()
    web1, web2, web3 = (u.rstrip("/") for u in args.web)
    headers = {"Authorization": args.token}
    log = Path(args.builds_log)
    stamp = time.strftime("%H%M%S")

    organization = requests.get(f"{web1}/api/3/action/organization_list", timeout=60).json()["result"][0]
    for base in (web1, web2, web3):  # each process has served the catalog and the overview before the edit
        requests.get(f"{base}/catalog.ttl", timeout=600).raise_for_status()
    before = {base: overview_count(base, organization) for base in (web2, web3)}

    # 1. created through process 1, seen by 2 and 3 on their next request
    name = f"bench-state-{stamp}"
    created = requests.post(f"{web1}/api/3/action/package_create", headers=headers, timeout=120, json=new_dataset(
        name, f"Delat tillstånd {stamp}", "Skapad av bench/cluster_state.py.", organization, "11", "tillstand")).json()
    dataset = created["result"]
    for label, base in (("process 2", web2), ("process 3", web3)):
        catalog = requests.get(f"{base}/catalog.ttl", timeout=600).text
        check(f"a dataset created through process 1 is in the catalog of {label}", dataset["id"] in catalog,
              f"{len(catalog):,} bytes, the dataset's id {'found' if dataset['id'] in catalog else 'missing'}")
        count = overview_count(base, organization)
        check(f"... and in the overview of {label}", count == before[base] + 1,
              f"{organization}: {before[base]} datasets before, {count} after")
    times = replica_times(args.solr, dataset["id"])
    check("... and indexed at the same time on every replica of the collection",
          len(times) >= 2 and len(set(times.values())) == 1, ", ".join(f"{r}: {t}" for r, t in sorted(times.items())))

    # 2. uploaded through process 1, downloaded from process 3
    content = ("namn;antal\n" + "".join(f"Plats {n};{n}\n" for n in range(500))).encode()
    resource = requests.post(f"{web1}/api/3/action/resource_create", headers=headers, timeout=120,
                             data={"package_id": dataset["id"], "name": "delad.csv", "format": "CSV"},
                             files={"upload": ("delad.csv", content, "text/csv")}).json()["result"]
    download = requests.get(resource["url"].replace(resource["url"].split("/dataset/")[0], web3), timeout=60)
    check("a file uploaded through process 1 is downloaded from process 3", download.content == content,
          f"HTTP {download.status_code}, {len(download.content)} of {len(content)} bytes, "
          f"{'the same' if download.content == content else 'different'}")

    # 3. concurrent requests on all three processes right after an edit: one build at a time
    for base in (web1, web2, web3):
        requests.get(f"{base}/catalog.rdf", timeout=600).raise_for_status()
    mark = len(log.read_text().splitlines()) if log.exists() else 0
    requests.post(f"{web2}/api/3/action/package_patch", headers=headers, timeout=120,
                  json={"id": dataset["id"], "notes": f"Ändrad {stamp} genom process 2."}).raise_for_status()
    barrier = threading.Barrier(9)
    answers: list[tuple[str, int, int]] = []

    def fetch(base: str) -> None:
        barrier.wait()
        got = requests.get(f"{base}/catalog.rdf", timeout=600)
        answers.append((base, got.status_code, dataset["id"].encode() in got.content))

    threads = [threading.Thread(target=fetch, args=(base,)) for base in (web1, web2, web3) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    time.sleep(10)  # the refresh job the edit queued, so that its build is counted too
    found = [b for b in builds(log, mark) if b["document"] == "catalog-rdf"]
    pids = sorted({b["pid"] for b in found})
    check("9 concurrent requests on 3 processes right after an edit all answer", all(s == 200 for _, s, _ in answers),
          ", ".join(sorted({str(s) for _, s, _ in answers})) + f" ({len(answers)} answers)")
    check("... builds of the catalog never overlap across processes", not overlapping(found),
          f"{len(found)} build(s) of catalog-rdf by process(es) {pids}; overlapping: {overlapping(found) or 'none'}")
    # After the edit, the jobs it queued (its file's checks) index the dataset again when they end, which is
    # a new state of the index (the key holds the newest index time): one more build then is right, making
    # no part. Two builds of one key would be wasted work.
    keys = [b["key"] for b in found]
    check("... and no state built twice (a build per key: the edit's, and one per later index change)",
          len(found) >= 1 and len(set(keys)) == len(keys),
          f"{len(found)} build(s): " + "; ".join(f"pid {b['pid']} key {b['key'][:8]} {b['seconds']} s, "
                                                 f"{b['parts_made']} part(s)" for b in found))

    # 4. made private through process 3: gone from process 1's catalog and overview
    before1 = overview_count(web1, organization)
    requests.post(f"{web3}/api/3/action/package_patch", headers=headers, timeout=120,
                  json={"id": dataset["id"], "private": True}).raise_for_status()
    catalog = requests.get(f"{web1}/catalog.ttl", timeout=600).text
    check("a dataset made private through process 3 is gone from process 1's catalog", dataset["id"] not in catalog,
          f"{len(catalog):,} bytes, the dataset's id {'still there' if dataset['id'] in catalog else 'absent'}")
    count = overview_count(web1, organization)
    check("... and from its overview", count == before1 - 1, f"{organization}: {before1} before, {count} after")

    requests.post(f"{web1}/api/3/action/dataset_purge", headers=headers, json={"id": dataset["id"]}, timeout=120)
    print(f"{'all checks passed' if not FAILED else f'{len(FAILED)} check(s) failed'}", flush=True)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
