"""One measurement of the complete catalog, in a process of its own; prints one JSON line per result.

--mode kept      the portal's catalog as /catalog.* serves it (documents.portal_catalog_file: kept parts,
                 catalog/keeping.py), through the scenarios of issue 23 in turn: cold (no part kept), unchanged
                 (5 samples), after 1 edit, after 100 edits, after making 1 dataset private, an organization's
                 catalog after an edit in another organization, 8 concurrent requests right after an edit;
--mode whole     our catalog built whole (documents.portal_catalog), as before kept parts;
--mode fair      the fair stock baseline: ckanext-dcat's euro_dcat_ap_3 profile through the same non-quadratic
                 serializer (documents.CatalogSerializer: each dataset in a graph of its own; our linear Turtle writer);
--mode stock     ckanext-dcat's RDFSerializer unmodified, with euro_dcat_ap_3 (its quadratic dcat:byteSize scan);
--mode floor     a linear serializer of the already-built graph of --mode whole: N-Triples.

Every result has the machine's load average (1 min) before and after, the growth of the process's peak
resident size, and, where a document is produced, its dataset count verified by parsing it (pyoxigraph,
streaming), against the number of public datasets in the index.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import threading
import time
from pathlib import Path

from common import ckan_app


def _formats() -> dict:
    import pyoxigraph

    return {"rdf": pyoxigraph.RdfFormat.RDF_XML, "ttl": pyoxigraph.RdfFormat.TURTLE,
            "jsonld": pyoxigraph.RdfFormat.JSON_LD}


FORMAT_NAMES = ("jsonld", "rdf", "ttl")


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def counted(document: bytes | str | Path, fmt: str) -> int:
    """Datasets in a document (a file or its bytes), by parsing it (untimed). Oxigraph's streaming parser:
    rdflib's took 95 s and 1.2 GB for the Turtle catalog of 10,000 datasets, and at 50,000 its minutes
    and gigabytes were mistaken for the portal's (bench/findings.md)."""
    import pyoxigraph

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    dataset = pyoxigraph.NamedNode("http://www.w3.org/ns/dcat#Dataset")
    if isinstance(document, Path):
        quads = pyoxigraph.parse(path=str(document), format=_formats()[fmt])
    else:
        quads = pyoxigraph.parse(document.encode() if isinstance(document, str) else document, _formats()[fmt])
    return len({q.subject for q in quads if q.predicate.value == rdf_type and q.object == dataset})


def contains(path: Path, needle: bytes, chunk: int = 1 << 22) -> bool:
    """Whether the file holds ``needle`` (read a chunk at a time, each overlapping the one before)."""
    tail = b""
    with open(path, "rb") as f:
        while block := f.read(chunk):
            if needle in tail + block:
                return True
            tail = block[-len(needle):]
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["kept", "whole", "fair", "stock", "floor"], required=True)
    parser.add_argument("--format", choices=FORMAT_NAMES, required=True)
    parser.add_argument("--no-verify", action="store_true", help="skip parsing the documents")
    args = parser.parse_args()
    fmt = args.format
    with ckan_app() as app:
        import ckan.plugins.toolkit as tk

        from ckanext.kalmar_oppnadata.catalog import caching, documents

        public = tk.get_action("package_search")({"user": ""}, {"rows": 0, "fq": "-dataset_type:harvest"})["count"]

        def emit(scenario: str, seconds: list[float], body=None, **extra) -> None:
            row = {"mode": args.mode, "format": fmt, "scenario": scenario, "samples": len(seconds),
                   "seconds": seconds, "public_datasets": public, "load_after": os.getloadavg()[0], **extra}
            if body is not None:
                row["bytes"] = body.stat().st_size if isinstance(body, Path) else len(body)
                if not args.no_verify:
                    row["datasets_parsed"] = counted(body, fmt)
            print(json.dumps(row), flush=True)

        def timed(function):
            load = os.getloadavg()[0]
            started = time.perf_counter()
            value = function()
            return value, time.perf_counter() - started, load

        if args.mode == "kept":
            kept_mode(app, tk, caching, documents, fmt, emit, timed)
            return
        before = rss_mib()
        if args.mode == "whole":
            body, seconds, load = timed(lambda: documents.portal_catalog(fmt)[0])
        elif args.mode in ("fair", "stock"):
            from ckanext.dcat.processors import RDFSerializer

            serializer_class = documents.CatalogSerializer if args.mode == "fair" else RDFSerializer
            rdf_format = documents.FORMATS[fmt][0]

            def build():
                datasets = list(documents.public_datasets())
                return serializer_class(profiles=["euro_dcat_ap_3"]).serialize_catalog({}, datasets, _format=rdf_format)

            body, seconds, load = timed(build)
        else:  # floor: N-Triples of the already-built graph
            serializer = documents.CatalogSerializer()
            serializer.graph_from_catalog(documents.portal_catalog_dict())
            for dataset in documents.public_datasets():
                serializer.graph_from_dataset(dataset)
            before = rss_mib()
            body, seconds, load = timed(lambda: serializer.g.serialize(format="nt"))
            fmt_saved = fmt
            emit("floor (N-Triples of the built graph)", [seconds], None, load_before=load,
                 peak_rss_growth_mib=rss_mib() - before, bytes=len(body),
                 triples=len(serializer.g), serialized_as="nt", asked_format=fmt_saved)
            return
        body = body.encode() if isinstance(body, str) else body
        emit("cold", [seconds], body, load_before=load, peak_rss_growth_mib=rss_mib() - before)


def kept_mode(app, tk, caching, documents, fmt, emit, timed) -> None:
    cache = caching.directory()
    log_file = cache / "builds.log"

    def builds_since(mark: int) -> list[dict]:
        lines = log_file.read_text().splitlines() if log_file.exists() else []
        return [json.loads(line) for line in lines[mark:]]

    def mark() -> int:
        return len(log_file.read_text().splitlines()) if log_file.exists() else 0

    def serve(org=None) -> Path:
        """The kept document's file, as /catalog.* streams it (never read into this process's memory: at
        50,000 datasets the RDF/XML is 600 MB, which the memory measured would otherwise include)."""
        kept = documents.organization_catalog_file(org, fmt) if org else documents.portal_catalog_file(fmt)
        return Path(kept.path)

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = lambda: {"user": site_user, "ignore_auth": True}  # noqa: E731
    datasets = tk.get_action("package_search")({"user": ""}, {"rows": 200, "sort": "name asc", "q": "name:bench-*"})
    sample = datasets["results"]
    stamp = time.strftime("%H%M%S")

    def edit(dataset: dict, n: int) -> None:
        """A new title: the seeded one with this edit's mark (an earlier run's mark replaced, so that repeated
        runs stay within the title's 200 characters)."""
        title = re.sub(r"( \(\d{6}-\d+\))+$", "", dataset["title"])
        tk.get_action("package_patch")(context(), {"id": dataset["id"], "title": f"{title} ({stamp}-{n})"})

    # cold: nothing kept (every part made, then the document assembled)
    shutil.rmtree(cache, ignore_errors=True)
    cache = caching.directory()
    log_file = cache / "builds.log"
    before = rss_mib()
    at = mark()
    body, seconds, load = timed(serve)
    emit("cold", [seconds], body, load_before=load, peak_rss_growth_mib=rss_mib() - before,
         builds=builds_since(at))

    # unchanged: the fingerprint, then the kept file (5 samples)
    times = []
    for _ in range(5):
        body, seconds, load = timed(serve)
        times.append(seconds)
    emit("unchanged", times, None, load_before=load)

    # after 1 edit (3 samples, a different dataset each time), after 100 edits (1 sample)
    times, builds, body = [], [], None
    for n in range(3):
        edit(sample[n], n)
        at = mark()
        body, seconds, load = timed(serve)
        times.append(seconds)
        builds += builds_since(at)
    emit("after 1 edit", times, body, load_before=load, builds=builds)
    for n, dataset in enumerate(sample[:100]):
        edit(dataset, 100 + n)
    at = mark()
    body, seconds, load = timed(serve)
    emit("after 100 edits", [seconds], body, load_before=load, builds=builds_since(at))

    # after making 1 dataset private (3 samples): gone from the next document
    times, builds, leaked = [], [], []
    for n in range(3):
        target = sample[150 + n]
        tk.get_action("package_patch")(context(), {"id": target["id"], "private": True})
        at = mark()
        body, seconds, load = timed(serve)
        times.append(seconds)
        builds += builds_since(at)
        leaked.append(contains(body, target["id"].encode()))
    emit("after making 1 dataset private", times, body, load_before=load, builds=builds,
         private_dataset_in_document=any(leaked))
    for n in range(3):
        tk.get_action("package_patch")(context(), {"id": sample[150 + n]["id"], "private": False})

    # an organization's catalog after an edit in another organization (3 samples)
    orgs = sorted({d["owner_org"] for d in sample})
    org = tk.get_action("organization_show")({"ignore_auth": True}, {"id": orgs[0]})
    serve(org)  # kept before the edits (untimed)
    others = [d for d in sample if d["owner_org"] != org["id"]]
    times, builds = [], []
    for n in range(3):
        edit(others[n], 900 + n)
        at = mark()
        body, seconds, load = timed(lambda: serve(org))
        times.append(seconds)
        builds += builds_since(at)
    emit("organization's catalog after an edit in another organization", times, body, load_before=load,
         builds=builds, organization=org["name"])

    # 8 concurrent requests right after an edit (threads of this process, each in a request context)
    serve()
    edit(sample[0], 1000)
    at = mark()
    barrier = threading.Barrier(8)
    durations: list[float] = []
    hows: list[str] = []

    def request() -> None:
        with app.test_request_context():
            barrier.wait()
            started = time.perf_counter()
            kept = documents.portal_catalog_file(fmt)
            durations.append(time.perf_counter() - started)
            hows.append(kept.how)

    load = os.getloadavg()[0]
    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    emit("8 concurrent requests after an edit", durations, None, load_before=load, builds=builds_since(at),
         answers=sorted(hows))


if __name__ == "__main__":
    main()
