"""Where a cold catalog's time goes, per dataset: the graph made by our profile and by ckanext-dcat's
euro_dcat_ap_3 alone (the fair baseline's), each format's part, and the whole Turtle and RDF/XML
serializations of the fair baseline's graph. Run through bench/lib.sh's environment:

    BENCH_DB=ckan_bench_1000 bash -c 'source bench/lib.sh; cd bench; $PY profile_parts.py'
"""
from __future__ import annotations

import json
import time

from common import ckan_app

COUNT = 300


def per_dataset(function, items) -> float:
    started = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - started) / len(items) * 1000


def main() -> None:
    with ckan_app():
        from ckanext.kalmar_oppnadata.catalog import documents, keeping, listing, parts

        ids = [entry.id for entry in listing.listing("")][:COUNT]
        datasets = list(keeping._datasets(ids))
        ours, stock = documents.CatalogSerializer(), documents.CatalogSerializer(profiles=["euro_dcat_ap_3"])
        graphs = [ours.dataset_graph(d)[0] for d in datasets]
        stock_graphs = [stock.dataset_graph(d)[0] for d in datasets]
        result = {
            "datasets": len(datasets),
            "triples per dataset": {"ours": sum(map(len, graphs)) / len(graphs),
                                    "euro_dcat_ap_3": sum(map(len, stock_graphs)) / len(stock_graphs)},
            "graph ms": {"ours": per_dataset(ours.dataset_graph, datasets),
                         "euro_dcat_ap_3": per_dataset(stock.dataset_graph, datasets)},
            "part ms": {fmt: per_dataset(lambda g, fmt=fmt: parts.part(fmt, g), graphs) for fmt in parts.FORMATS},
        }
        whole = documents.CatalogSerializer(profiles=["euro_dcat_ap_3"])
        whole.graph_from_catalog({})
        for graph in stock_graphs:
            whole.g += graph
        for name, rdf_format in (("ttl", documents.FORMATS["ttl"][0]), ("rdf", "xml")):
            started = time.perf_counter()
            whole.g.serialize(format=rdf_format)
            result.setdefault("fair whole serialization ms", {})[name] = (
                (time.perf_counter() - started) / len(datasets) * 1000)
        print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
