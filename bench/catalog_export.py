"""One measurement of the complete catalog's export, in a process of its own; prints one JSON line.

--mode ours   the portal's DCAT-AP-SE catalog (documents.portal_catalog: read every public dataset from
              the index, dcat_ap_se profile, serialize);
--mode stock  the same datasets, read the same way, through ckanext-dcat's stock euro_dcat_ap_3 profile;
--mode floor  rdflib serializing the graph of --mode ours, already built (the cost of the output alone);
              the graph is built once for all --format values asked for
--mode cached the cached path (catalog/caching.py): serving an unchanged catalog = its fingerprint (one Solr query,
              the organizations' rows) and reading the kept file; the median of 5 requests

Wall time (perf_counter) and peak memory: the process's peak resident size, and for the floor the peak of
Python allocations during a second, untimed serialize (tracemalloc), since its graph is built first.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
import tracemalloc

from common import ckan_app

RDF_FORMATS = {"xml": "xml", "turtle": "turtle"}
# The floor serializes with what ckanext-dcat hands RDF/XML to (rdflib's pretty-xml), and rdflib's own Turtle.
FLOOR_FORMATS = {"xml": "pretty-xml", "turtle": "turtle"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["ours", "stock", "floor", "cached"], required=True)
    parser.add_argument("--format", choices=sorted(RDF_FORMATS), action="append", required=True)
    args = parser.parse_args()
    with ckan_app():
        import ckan.plugins.toolkit as tk
        from ckanext.dcat.processors import RDFSerializer

        from ckanext.kalmar_oppnadata.catalog import caching, documents

        floor_graph = None
        for rdf_format in args.format:
            fmt = {"xml": "rdf", "turtle": "ttl"}[rdf_format]
            result: dict = {"mode": args.mode, "format": rdf_format,
                            "rss_before_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
            if args.mode == "ours":
                started = time.perf_counter()
                body, _ = documents.portal_catalog(fmt)
                result["seconds"] = time.perf_counter() - started
                # Untimed: keep it, so that --mode cached finds the catalog it would serve.
                caching.cached_file(f"catalog-{fmt}", caching.fingerprint, lambda: body)
            elif args.mode == "stock":
                started = time.perf_counter()
                datasets = list(documents.public_datasets())
                body = RDFSerializer(profiles=["euro_dcat_ap_3"]).serialize_catalog(
                    {}, datasets, _format=RDF_FORMATS[rdf_format])
                result["seconds"] = time.perf_counter() - started
            elif args.mode == "cached":
                documents.portal_catalog_file(fmt)  # built here if no earlier run kept it (untimed)
                times = []
                for _ in range(5):
                    started = time.perf_counter()
                    body = documents.portal_catalog_file(fmt).path.read_bytes()
                    times.append(time.perf_counter() - started)
                result["seconds"] = statistics.median(times)
            else:
                if floor_graph is None:
                    serializer = documents.CatalogSerializer()
                    serializer.graph_from_catalog(documents.portal_catalog_dict())
                    for dataset in documents.public_datasets():
                        serializer.graph_from_dataset(dataset)
                    floor_graph = serializer.g
                started = time.perf_counter()
                body = floor_graph.serialize(format=FLOOR_FORMATS[rdf_format])
                result["seconds"] = time.perf_counter() - started
                tracemalloc.start()  # a second pass for memory: tracing slows Python down, so not timed
                floor_graph.serialize(format=FLOOR_FORMATS[rdf_format])
                result["serialize_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            result["datasets"] = tk.get_action("package_search")({}, {"rows": 0})["count"]
            result["bytes"] = len(body.encode() if isinstance(body, str) else body)
            result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
