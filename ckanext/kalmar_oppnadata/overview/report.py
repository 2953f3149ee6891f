"""The region's overview: which organization publishes what the study found in demand, and how good the
metadata is. One pass over the datasets the caller may see (``package_search`` with their permissions:
visitors see public datasets only), so private datasets count only for those allowed to see them.

The 28 requested datasets are numbered 1–28 in the study's order (``number``; the study ranked and scored
only the first ten, ``rank`` and ``score``); those the region added from requests for data follow
(``source: request``). Beside coverage each row shows its demand: the approved requests for data linked to
it and their supporters (``demand``, data_requests/). A dataset answering a request whose file does not follow its
specification (``checking.failing_resources``) is shown as "finns, med fel" (``state: errors``) and does not
count as answering. Each organization gets a short list of next steps: the most requested datasets it does
not publish yet, the files to correct, and its datasets with the lowest quality with what to improve first.
"""
from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from typing import Any, Iterator

from ckanext.kalmar_oppnadata.data_requests import store as data_requests
from ckanext.kalmar_oppnadata.files import checking
from ckanext.kalmar_oppnadata.freshness.status import OVERDUE
from ckanext.kalmar_oppnadata.links import wording as links
from ckanext.kalmar_oppnadata.overview import quality
from ckanext.kalmar_oppnadata.registers import organizations, requested_datasets
from ckanext.kalmar_oppnadata.reuse import store as reuse
from ckanext.kalmar_oppnadata.search.indexing import answered_requests
from ckanext.kalmar_oppnadata.search.paging import all_datasets

NEXT_REQUESTED = 3  # requested datasets named as next steps per organization
NEXT_IMPROVE = 3  # datasets with the lowest quality named per organization
NEXT_ADVICE = 2  # pieces of advice per dataset (the indicators worth most points first)
ANSWERS, ERRORS, NONE = "answers", "errors", "none"


def visible_datasets(context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    return all_datasets(context, include_private=True, include_drafts=False)


def _organizations() -> list[dict[str, Any]]:
    return [{"name": o["name"], "title": o["title"]} for o in organizations.all_organizations()]


def _advice(score: dict[str, Any]) -> list[dict[str, Any]]:
    missing = sorted((i for i in score["indicators"] if not i["met"]), key=lambda i: -i["max"])
    return [{"indicator": i["indicator"], "advice": i["advice"], "points": i["max"]} for i in missing[:NEXT_ADVICE]]


def _state(found: list[dict[str, Any]]) -> str:
    if not found:
        return NONE
    return ANSWERS if any(not d["errors"] for d in found) else ERRORS


def _next_steps(org: dict[str, Any], requested: list[dict[str, Any]],
                datasets: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    missing = [{"id": r["id"], "number": r["number"], "name": r["name"], "name_en": r["name_en"]}
               for r in requested if r["states"][org["name"]] == NONE][:NEXT_REQUESTED]
    fix = [{"id": r["id"], "number": r["number"], "name": r["name"], "name_en": r["name_en"],
            "datasets": [d for d in r["organizations"][org["name"]] if d["errors"]]}
           for r in requested if r["states"][org["name"]] == ERRORS]
    own = sorted((d for d in datasets if d["organization"] == org["name"] and d["advice"]),
                 key=lambda d: (d["quality"], d["title"]))[:NEXT_IMPROVE]
    improve = [{"name": d["name"], "title": d["title"], "quality": d["quality"], "advice": d["advice"]} for d in own]
    return {"requested": missing, "fix": fix, "improve": improve}


def overview(context: dict[str, Any]) -> dict[str, Any]:
    orgs = _organizations()
    org_names = {o["name"] for o in orgs}
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    scores: dict[str, list[int]] = defaultdict(list)
    per_year: Counter = Counter()
    overdue: Counter = Counter()  # datasets late for their update (freshness/)
    broken: Counter = Counter()  # linked files that failed their last check (links/)
    datasets = []
    for d in visible_datasets(context):
        org = (d.get("organization") or {}).get("name")
        s = quality.score(d)
        scores[org].append(s["percent"])
        per_year[(org, d["metadata_created"][:4])] += 1
        overdue[org] += (d.get("freshness") or {}).get("state") == OVERDUE
        broken[org] += len(links.broken(d))
        errors = bool(checking.failing_resources(d))
        entry = {"name": d["name"], "title": d["title"], "organization": org, "private": d.get("private", False),
                 "quality": s["percent"], "rating": s["rating_sv"], "errors": errors, "advice": _advice(s)}
        datasets.append(entry)
        for requested in answered_requests(d):
            cells[(requested, org)].append({"name": d["name"], "title": d["title"], "private": entry["private"],
                                            "errors": errors})

    requested = []
    demand = data_requests.demand()
    for number, r in enumerate(requested_datasets.requested_datasets(), start=1):
        row = {k: r.get(k) for k in ("id", "name", "name_en", "rank", "score", "goals", "source")}
        row["number"] = number
        row["demand"] = demand.get(r["id"], {"requests": 0, "supporters": 0})
        row["organizations"] = {o["name"]: cells.get((r["id"], o["name"]), []) for o in orgs}
        row["states"] = {name: _state(found) for name, found in row["organizations"].items()}
        row["publishers"] = sum(1 for state in row["states"].values() if state == ANSWERS)
        row["with_errors"] = sum(1 for state in row["states"].values() if state == ERRORS)
        requested.append(row)
    years = sorted({year for (_, year) in per_year})
    reused = reuse.count_per_organization()  # approved examples using its public datasets (reuse/)
    organizations = []
    for o in orgs:
        own = scores.get(o["name"], [])
        organizations.append({
            **o,
            "datasets": len(own),
            "requested_answered": sum(1 for r in requested if r["states"][o["name"]] == ANSWERS),
            "requested_with_errors": sum(1 for r in requested if r["states"][o["name"]] == ERRORS),
            "quality": round(sum(own) / len(own)) if own else None,
            "per_year": {y: per_year.get((o["name"], y), 0) for y in years},
            "overdue": overdue.get(o["name"], 0),
            "broken_links": broken.get(o["name"], 0),
            "reuse": reused.get(o["name"], 0),
            "next_steps": _next_steps(o, requested, datasets),
        })
    ranking = sorted((o for o in organizations if o["quality"] is not None), key=lambda o: (-o["quality"], o["title"]))
    return {"requested": requested, "organizations": organizations, "years": years,
            "quality_ranking": [{"name": o["name"], "title": o["title"], "quality": o["quality"],
                                 "datasets": o["datasets"]} for o in ranking],
            "datasets": datasets, "quality_maximum": quality.MAXIMUM,
            "unassigned": sum(1 for d in datasets if d["organization"] not in org_names)}


def demand_state() -> str:
    """What the demand beside coverage is made from (with ``caching.fingerprint``, the public overview's key)."""
    return data_requests.state()


def as_csv(result: dict[str, Any]) -> str:
    """The coverage matrix: one row per requested dataset (numbered 1–28; the study's rank and score for
    the first ten; the approved requests for data linked to it and their supporters), one column per
    organization: how many of its datasets answer it with files that pass
    their specification. The row "Finns, med fel" counts the requests an organization answers only with
    failing files."""
    out = io.StringIO()
    writer = csv.writer(out)
    orgs = result["organizations"]
    writer.writerow(["number", "requested_dataset", "rank", "score", "requests", "supporters",
                     *[o["title"] for o in orgs], "publishers"])
    for r in result["requested"]:
        writer.writerow([r["number"], r["name"], r["rank"] or "", r["score"] or "", r["demand"]["requests"],
                         r["demand"]["supporters"],
                         *[sum(1 for d in r["organizations"][o["name"]] if not d["errors"]) for o in orgs],
                         r["publishers"]])
    writer.writerow(["", "Finns, med fel", "", "", "", "", *[o["requested_with_errors"] for o in orgs],
                     sum(r["with_errors"] for r in result["requested"])])
    writer.writerow(["", "Totalt", "", "", "", "", *[o["requested_answered"] for o in orgs],
                     sum(r["publishers"] for r in result["requested"])])
    return out.getvalue()
