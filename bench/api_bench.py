"""One measurement of the Action API in a process of its own, for our configuration or a stock one; prints
one JSON line.

--config test.ini    the portal (our plugin, the Swedish schemas)
--config bench/stock.ini   stock CKAN with the same versions and the same other extensions, ckanext-scheming's
                     default dataset schema, and no plugin of ours

--what check    each query of the mix once, with the common facets: its hit count and facet counts (bench/run-api
                compares ours with stock before any timing, and stops if they differ: not the same work)
--what search   package_search through the API (Flask test client: CKAN's whole request stack, no network),
                a fixed mix of queries, each --repeat times: p50 and p95 per query and over the mix.
                --facets common (both configurations): organization, tags, format and licence, fields of the
                same kind (CKAN's own string fields) in both; --facets own (ours only): organization, theme,
                Agenda 2030 goal and specification (the vocab_* string fields stock has no equivalent of:
                it keeps them as tokenized extras)
--what writes   package_create of --count datasets like the seeded ones (stock gets our extra fields as
                extras, so both store the same information), then package_update of each (new title and
                description): datasets per second; the datasets are purged afterwards
--what overview overview_show as an anonymous visitor (coverage matrix and every quality score), cold (the
                first call in the process) and warm (the next --repeat calls)
"""
from __future__ import annotations

import argparse
import json
import statistics
import time

from common import ckan_app
from seed import dataset as seeded_dataset

QUERIES = [
    {"q": "", "rows": 20},
    {"q": "Badplatser", "rows": 20},
    {"q": "Skolor OR Lekplatser", "rows": 20, "sort": "metadata_modified desc"},
    {"q": "", "rows": 20, "fq": "organization:kalmar-kommun"},
    {"q": "Cykelvägar", "rows": 50, "start": 20},
]
OUR_FACETS = ["organization", "vocab_theme", "vocab_sdg", "vocab_conforms_to"]
COMMON_FACETS = ["organization", "tags", "res_format", "license_id"]
CORE_FIELDS = {"name", "title", "notes", "tags", "owner_org", "license_id", "url", "version", "resources",
               "private"}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def post(client, token: str, action: str, data: dict) -> dict:
    response = client.post(f"/api/3/action/{action}", json=data, headers={"Authorization": token} if token else {})
    if response.status_code != 200:
        raise SystemExit(f"{action}: {response.status_code} {response.get_data(as_text=True)[:500]}")
    return response.get_json()["result"]


def stock_payload(data: dict) -> dict:
    payload = {k: v for k, v in data.items() if k in CORE_FIELDS}
    payload["extras"] = [{"key": k, "value": v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}
                         for k, v in data.items() if k not in CORE_FIELDS and v not in ("", [], None)]
    return payload


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--what", choices=["check", "search", "writes", "overview"], required=True)
    parser.add_argument("--facets", choices=["common", "own"], default="common")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--count", type=int, default=100)
    args = parser.parse_args()
    stock = args.config.endswith("stock.ini")
    with ckan_app(args.config, request_context=False) as app:
        import ckan.plugins.toolkit as tk

        client = app.test_client()
        with app.test_request_context():
            site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
            token = tk.get_action("api_token_create")({"ignore_auth": True, "user": site_user["name"]},
                                                      {"user": site_user["name"], "name": "bench"})["token"]
            organizations = tk.get_action("organization_list")({}, {"all_fields": True})
            result: dict = {"config": "stock" if stock else "ours", "what": args.what,
                            "datasets": tk.get_action("package_search")({}, {"rows": 0})["count"]}
        if args.what == "check":
            answers = {}
            for query in QUERIES:
                found = post(client, token, "package_search", {**query, "facet.field": json.dumps(COMMON_FACETS),
                                                                "facet.limit": -1})
                answers[json.dumps(query, ensure_ascii=False)] = {
                    "count": found["count"], "facets": {field: dict(sorted(found["facets"].get(field, {}).items()))
                                                        for field in COMMON_FACETS}}
            result["answers"] = answers
        elif args.what == "search":
            if stock and args.facets == "own":
                raise SystemExit("stock has no fields of the kind of our own facets")
            result["facets"] = args.facets
            facets = json.dumps(COMMON_FACETS if args.facets == "common" else OUR_FACETS)
            times: dict[str, list[float]] = {}
            for query in QUERIES:
                data = {**query, "facet.field": facets, "facet.limit": 50}
                post(client, token, "package_search", data)  # warm the caches once
                label = json.dumps(query, ensure_ascii=False)
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    post(client, token, "package_search", data)
                    times.setdefault(label, []).append(time.perf_counter() - started)
            every = [t for ts in times.values() for t in ts]
            result.update(p50_ms=statistics.median(every) * 1000, p95_ms=percentile(every, 95) * 1000,
                          per_query={q: {"p50_ms": statistics.median(ts) * 1000,
                                         "p95_ms": percentile(ts, 95) * 1000} for q, ts in times.items()})
        elif args.what == "writes":
            names = []
            payloads = []
            for i in range(args.count):
                data = seeded_dataset(900000 + i, organizations)
                data["name"] = f"benchw-{result['config']}-{i:04d}"
                payloads.append(stock_payload(data) if stock else data)
            started = time.perf_counter()
            for data in payloads:
                names.append(post(client, token, "package_create", data)["name"])
            created = time.perf_counter() - started
            started = time.perf_counter()
            for data in payloads:
                post(client, token, "package_update", {**data, "title": data["title"] + " (uppdaterad)",
                                                       "notes": data["notes"] + " Uppdaterad."})
            updated = time.perf_counter() - started
            with app.test_request_context():
                for name in names:
                    tk.get_action("dataset_purge")({"ignore_auth": True, "user": site_user["name"]}, {"id": name})
            result.update(count=args.count, create_per_s=args.count / created, update_per_s=args.count / updated)
        else:
            def overview_call() -> float:
                started = time.perf_counter()
                post(client, "", "overview_show", {})
                return time.perf_counter() - started

            cold = overview_call()
            warm = [overview_call() for _ in range(args.repeat)]
            result.update(cold_s=cold, warm_p50_s=statistics.median(warm), warm_max_s=max(warm))
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
