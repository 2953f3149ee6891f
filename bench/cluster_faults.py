"""The faults of issue 27, item 3, made on the running cluster while bench/load.py loads it (bench/run-cluster).

Each at its own time after the start, side by side (a thread each):

1. a jobs worker killed with SIGKILL (with the work horse it forked) while it loads a CSV into the DataStore
   (first, while the queue is still short); then it is started again, `ckan kalmar queue-pending` queues the
   interrupted load once its heartbeat has expired, and the load must end complete with every row;
2. a CKAN web process (web2) killed with SIGKILL, its whole process tree, and brought back after a while;
3. SolrCloud node 2 stopped (SIGTERM: it leaves the cluster at once) and started again, until its replica is
   active again.

Each is brought back by `scripts/stack cluster restore`, which starts only what is not running.

Prints one JSON object: each fault's events with their times (seconds since this script started, the same
clock as load.py's timeline when both start together) and what was found afterwards.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import requests
from load import new_dataset

ROOT = Path(__file__).resolve().parents[1]
STARTED = time.monotonic()
STARTED_AT = time.time()  # to line the events up with load.py's timeline (its summary's started_at)


def now() -> float:
    return round(time.monotonic() - STARTED, 2)


def until(check, timeout: float, step: float = 0.5):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(step)
    return None


def kill_tree(pid: int) -> int:
    """SIGKILL to a process and everything it started (a machine or container dying, no goodbye); how many."""
    process = psutil.Process(pid)
    victims = [process, *process.children(recursive=True)]
    for victim in victims:
        try:
            victim.kill()
        except psutil.NoSuchProcess:
            pass
    return len(victims)


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class Faults:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.run = Path(args.stack) / "cluster" / "run"
        self.events: list[dict] = []
        self.found: dict = {}
        self.failed: list[str] = []
        self.restoring = threading.Lock()  # one `cluster restore` at a time (the faults run side by side)

    def event(self, fault: str, what: str, **extra) -> None:
        row = {"t": now(), "fault": fault, "event": what, **extra}
        self.events.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)

    def pid(self, daemon: str) -> int:
        return int((self.run / f"{daemon}.pid").read_text())

    def sleep_until(self, t: float) -> None:
        time.sleep(max(0.0, t - (time.monotonic() - STARTED)))

    def restore(self, fault: str) -> None:
        """`scripts/stack cluster restore`: starts what of the cluster is not running, waits until it answers."""
        with self.restoring:
            started = time.monotonic()
            done = subprocess.run([str(ROOT / "scripts" / "stack"), "cluster", "restore"], capture_output=True,
                                  text=True)
        self.event(fault, "scripts/stack cluster restore returned", exit_status=done.returncode,
                   seconds=round(time.monotonic() - started, 1))
        if done.returncode:
            self.failed.append(f"{fault}: scripts/stack cluster restore failed: {done.stderr[-500:]}")

    def web_process(self) -> None:
        fault = "web process killed"
        self.sleep_until(self.args.web_at)
        victims = kill_tree(self.pid("web2"))
        self.event(fault, "web2 (uWSGI master and worker) killed with SIGKILL", processes=victims)
        self.sleep_until(self.args.web_at + self.args.down_for)
        self.restore(fault)

    def solr_node(self) -> None:
        fault = "Solr node 2 stopped"
        self.sleep_until(self.args.solr_at)
        pid = self.pid("solr2")
        self.event(fault, "SIGTERM sent to node 2")
        os.killpg(pid, signal.SIGTERM)
        until(lambda: not alive(pid), 60)
        self.event(fault, "node 2 stopped", stopped=not alive(pid))
        self.sleep_until(self.args.solr_at + self.args.down_for)
        self.restore(fault)
        self.event(fault, "node 2's replica active again", replicas=solr_replicas(self.args.solr))

    def worker_during_load(self) -> None:
        fault = "jobs worker killed during a DataStore load"
        self.sleep_until(self.args.worker_at)
        api = f"{self.args.url}/api/3/action"
        headers = {"Authorization": self.args.token}
        name = f"bench-fault-{int(time.time())}"
        organization = requests.get(f"{api}/organization_list", timeout=60).json()["result"][0]
        # private: a public dataset needs its data at creation, and its file comes next
        dataset = requests.post(f"{api}/package_create", headers=headers, timeout=120, json=new_dataset(
            name, f"Feltest {name}", "Skapad av bench/cluster_faults.py.", organization, "11", "feltest",
            private=True, linked_csv=False)).json()["result"]
        rows = self.args.rows
        body = io.BytesIO(("namn;antal;kommentar\n" + "".join(
            f"Plats {n};{n};Rad {n} av feltestet\n" for n in range(rows))).encode())
        resource = requests.post(f"{api}/resource_create", headers=headers, timeout=300,
                                 data={"package_id": dataset["id"], "name": "feltest.csv", "format": "CSV"},
                                 files={"upload": ("feltest.csv", body, "text/csv")}).json()["result"]
        self.found["load_resource"] = resource["id"]
        self.event(fault, "CSV uploaded", rows=rows, resource=resource["id"])

        def status() -> dict:
            shown = requests.get(f"{api}/resource_show", params={"id": resource["id"]}, headers=headers, timeout=60)
            return shown.json()["result"].get("datastore_load") or {}

        loading = until(lambda: status().get("status") == "loading", 300, 0.1)
        worker = loading and self.loading_worker(f"kalmar-load-{resource['id']}")
        if not worker:
            self.event(fault, "no worker found loading it", status=status())
            self.failed.append(f"{fault}: no worker was found loading the file")
            requests.post(f"{api}/dataset_purge", headers=headers, json={"id": dataset["id"]}, timeout=120)
            return
        daemon, pid = worker
        victims = kill_tree(pid)
        killed_at = time.time()
        self.event(fault, f"{daemon} killed with SIGKILL while loading", processes=victims, status=status())
        self.restore(fault)
        # queue-pending re-queues a load once its heartbeat has expired (the cluster's lifetime: 30 s); until
        # then it may queue other work, so it is run until this load's job is queued anew.
        job_id = f"kalmar-load-{resource['id']}"
        requeued = until(lambda: (self.queue_pending(fault), self.queued_since(job_id, killed_at))[1], 240, 5)
        self.event(fault, "interrupted load queued again", said=requeued)
        if not requeued:
            self.failed.append(f"{fault}: queue-pending did not queue the interrupted load again")
        final = until(lambda: (lambda s: s if s.get("status") in ("complete", "error") else None)(status()), 600, 1)
        total = requests.get(f"{api}/datastore_search", params={"resource_id": resource["id"], "limit": 0},
                             headers=headers, timeout=60).json().get("result", {}).get("total")
        self.event(fault, "load finished", status=final, datastore_rows=total)
        self.found["load"] = {"rows_uploaded": rows, "status": (final or {}).get("status"), "datastore_rows": total}
        if (final or {}).get("status") != "complete" or total != rows:
            self.failed.append(f"{fault}: the load ended {(final or {}).get('status')} with {total} of {rows} rows")
        requests.post(f"{api}/dataset_purge", headers=headers, json={"id": dataset["id"]}, timeout=120)

    def loading_worker(self, job_id: str) -> tuple[str, int] | None:
        """The cluster's jobs worker that runs the job ``job_id`` now (RQ's register of workers and their
        current job)."""
        from redis import Redis
        from rq import Worker

        ours = {self.pid(f"worker{n}"): f"worker{n}" for n in (1, 2) if (self.run / f"worker{n}.pid").exists()}
        connection = Redis.from_url(self.args.redis)
        for _ in range(100):
            for worker in Worker.all(connection=connection):
                if worker.pid in ours and worker.get_current_job_id() == job_id:
                    return ours[worker.pid], worker.pid
            time.sleep(0.1)
        return None

    def queued_since(self, job_id: str, since: float) -> str | None:
        """Whether the job ``job_id`` was queued after ``since`` (RQ's record of it); what it is then."""
        from redis import Redis
        from rq.exceptions import NoSuchJobError
        from rq.job import Job

        try:
            job = Job.fetch(job_id, connection=Redis.from_url(self.args.redis))
        except NoSuchJobError:
            return None
        if job.enqueued_at and job.enqueued_at.timestamp() > since:
            return f"{job_id} {job.get_status()}"
        return None

    def queue_pending(self, fault: str) -> str | None:
        """`ckan kalmar queue-pending`; what it said if it queued a job (the interrupted load), else None."""
        done = subprocess.run([str(Path(self.args.stack) / "venv" / "bin" / "ckan"), "-c",
                               str(Path(self.args.stack) / "cluster" / "ckan.ini"), "kalmar", "queue-pending"],
                              capture_output=True, text=True)
        queued = re.search(r"; (\d+) job\(s\) queued", done.stdout)
        return queued.group(0).strip("; ") if queued and int(queued.group(1)) > 0 else None


def solr_replicas(solr: str) -> list[str]:
    status = requests.get(f"{solr}/admin/collections", params={"action": "CLUSTERSTATUS", "collection": "ckan",
                                                               "wt": "json"}, timeout=60).json()
    shards = status["cluster"]["collections"]["ckan"]["shards"]
    return [f"{r['node_name']} {r['state']}" for shard in shards.values() for r in shard["replicas"].values()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the cluster (nginx)")
    parser.add_argument("--token", required=True)
    parser.add_argument("--stack", default=str(ROOT / ".stack"))
    parser.add_argument("--redis", required=True, help="the cluster's Redis database (RQ)")
    parser.add_argument("--solr", default="http://127.0.0.1:8993/solr")
    parser.add_argument("--worker-at", type=float, default=5, help="first: the queue is empty then")
    parser.add_argument("--web-at", type=float, default=40)
    parser.add_argument("--solr-at", type=float, default=90)
    parser.add_argument("--down-for", type=float, default=25, help="seconds a process stays down")
    parser.add_argument("--rows", type=int, default=400_000, help="rows of the CSV loaded during the worker fault")
    parser.add_argument("--only", choices=["web_process", "solr_node", "worker_during_load"],
                        help="one fault, at once (its time set to 0)")
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    if args.only:
        args.web_at = args.solr_at = args.worker_at = 0
    faults = Faults(args)

    def make(step) -> None:
        try:
            step()
        except Exception as error:  # a fault that could not be made is reported, not hidden
            faults.event(step.__name__, "failed", error=f"{type(error).__name__}: {error}")
            faults.failed.append(f"{step.__name__}: {type(error).__name__}: {error}")

    # Side by side, each at its own time: the worker fault waits for its load to end (minutes behind the
    # jobs the load queues) while the others are made.
    steps = [threading.Thread(target=make, args=(step,)) for step in
             (faults.worker_during_load, faults.web_process, faults.solr_node)
             if not args.only or step.__name__ == args.only]
    for thread in steps:
        thread.start()
    for thread in steps:
        thread.join()
    kept = {"started_at": STARTED_AT, "events": faults.events, "found": faults.found, "failed": faults.failed}
    Path(args.json).write_text(json.dumps(kept, indent=2, ensure_ascii=False))
    return 1 if faults.failed else 0


if __name__ == "__main__":
    sys.exit(main())
