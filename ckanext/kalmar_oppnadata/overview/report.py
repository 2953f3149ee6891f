"""The region's overview: which organization publishes what the study found in demand, and how good the
metadata is. One pass over the datasets the caller may see (``package_search`` with their permissions:
visitors see public datasets only), so private datasets count only for those allowed to see them.
"""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from typing import Any, Iterator

from ckanext.kalmar_oppnadata.overview import quality
from ckanext.kalmar_oppnadata.registers import organizations, requested_datasets
from ckanext.kalmar_oppnadata.search.indexing import answered_requests
from ckanext.kalmar_oppnadata.search.paging import all_datasets


def visible_datasets(context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    return all_datasets(context, include_private=True, include_drafts=False)


def _organizations() -> list[dict[str, Any]]:
    return [{"name": o["name"], "title": o["title"]} for o in organizations.all_organizations()]


def overview(context: dict[str, Any]) -> dict[str, Any]:
    orgs = _organizations()
    org_names = {o["name"] for o in orgs}
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    scores: dict[str, list[int]] = defaultdict(list)
    per_year: Counter = Counter()
    datasets = []
    for d in visible_datasets(context):
        org = (d.get("organization") or {}).get("name")
        s = quality.score(d)
        scores[org].append(s["percent"])
        per_year[(org, d["metadata_created"][:4])] += 1
        entry = {"name": d["name"], "title": d["title"], "organization": org, "private": d.get("private", False),
                 "quality": s["percent"], "rating": s["rating_sv"]}
        datasets.append(entry)
        for requested in answered_requests(d):
            cells[(requested, org)].append({"name": d["name"], "title": d["title"], "private": entry["private"]})

    requested = []
    for r in requested_datasets.requested_datasets():
        row = {k: r.get(k) for k in ("id", "name", "name_en", "rank", "score", "goals")}
        row["organizations"] = {o["name"]: cells.get((r["id"], o["name"]), []) for o in orgs}
        row["publishers"] = sum(1 for v in row["organizations"].values() if v)
        requested.append(row)
    years = sorted({year for (_, year) in per_year})
    organizations = []
    for o in orgs:
        own = scores.get(o["name"], [])
        organizations.append({
            **o,
            "datasets": len(own),
            "requested_answered": sum(1 for r in requested if r["organizations"][o["name"]]),
            "quality": round(sum(own) / len(own)) if own else None,
            "per_year": {y: per_year.get((o["name"], y), 0) for y in years},
        })
    ranking = sorted((o for o in organizations if o["quality"] is not None), key=lambda o: (-o["quality"], o["title"]))
    return {"requested": requested, "organizations": organizations, "years": years,
            "quality_ranking": [{"name": o["name"], "title": o["title"], "quality": o["quality"],
                                 "datasets": o["datasets"]} for o in ranking],
            "datasets": datasets, "quality_maximum": quality.MAXIMUM,
            "unassigned": sum(1 for d in datasets if d["organization"] not in org_names)}


def as_csv(result: dict[str, Any]) -> str:
    """The coverage matrix: one row per requested dataset, one column per organization (dataset count)."""
    out = io.StringIO()
    writer = csv.writer(out)
    orgs = result["organizations"]
    writer.writerow(["rank", "requested_dataset", "score", *[o["title"] for o in orgs], "publishers"])
    for r in result["requested"]:
        writer.writerow([r["rank"] or "", r["name"], r["score"] or "",
                         *[len(r["organizations"][o["name"]]) for o in orgs], r["publishers"]])
    writer.writerow(["", "Totalt", "", *[o["requested_answered"] for o in orgs],
                     sum(r["publishers"] for r in result["requested"])])
    return out.getvalue()
