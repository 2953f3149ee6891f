"""Seed the benchmark database with synthetic but realistic datasets until it holds --count of them.

Every field of the Swedish schema is filled; the 13 organizations of Kalmar län (ckan kalmar setup,
without the demo) publish them in turn; each dataset has 2–4 linked resources (CSV, JSON, PDF, XLSX).
Deterministic (dataset i is always the same), and idempotent: a second run adds only what is missing.
"""
from __future__ import annotations

import argparse
import random
import time

from common import ckan_app

EU = "http://publications.europa.eu/resource/authority/"
THEMES = ["ENVI", "REGI", "SOCI", "EDUC", "ECON", "ENER", "TRAN", "HEAL", "GOVE", "AGRI"]
SPECS = ["https://dataportal.se/specifications/badplatser/1.0", ""]
FORMATS = [("CSV", "text/csv"), ("JSON", "application/json"), ("PDF", "application/pdf"),
           ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
TOPICS = ["Badplatser", "Vattenförbrukning", "Befolkningsprognos", "Elanvändning", "Vattenkvalitet",
          "Skolor", "Evenemang", "Allmänna handlingar", "Parkeringar", "Cykelvägar", "Utegym", "Lekplatser"]


def dataset(i: int, organizations: list[dict]) -> dict:
    rng = random.Random(i)
    org = organizations[i % len(organizations)]
    topic = TOPICS[i % len(TOPICS)]
    lon, lat = 16.0 + rng.random() * 0.8, 56.4 + rng.random() * 1.4
    resources = []
    for n in range(rng.randint(2, 4)):
        fmt, media = FORMATS[(i + n) % len(FORMATS)]
        resources.append({
            "url": f"https://www.example.org/{org['name']}/{i}/fil-{n}.{fmt.lower()}", "name": f"{topic} {n + 1}",
            "description": f"Del {n + 1} av {topic.lower()}.", "format": fmt, "mimetype": media,
            "license": "http://creativecommons.org/publicdomain/zero/1.0/",
            "availability": EU + "planned-availability/STABLE", "status": EU + "distribution-status/COMPLETED",
            "size": 1000 + i, "hash": f"{i:040x}"})
    spec = SPECS[i % len(SPECS)]
    return {
        "name": f"bench-{i:06d}", "title": f"{topic} i {org['title']} ({i})",
        "notes": f"Syntetisk datamängd nummer {i} om {topic.lower()} för prestandamätning.",
        "title_en": f"{topic} ({i})", "notes_en": f"Synthetic dataset {i}.", "keywords_en": ["benchmark", topic],
        "tags": [{"name": topic.lower().replace(" ", "-")}, {"name": "bench"}],
        "owner_org": org["id"], "classification_confirmed": True, "private": False,
        "license_id": "CC0-1.0" if i % 3 else "CC-BY-4.0",
        "contact_name": f"{org['title']}, enheten för öppna data", "contact_email": "oppnadata@example.org",
        "contact_phone": "+46 480 45 00 00",
        "theme": [EU + "data-theme/" + THEMES[i % len(THEMES)], EU + "data-theme/" + THEMES[(i + 3) % len(THEMES)]],
        "sdg": sorted({str(1 + i % 17), str(1 + (i * 7) % 17)}, key=int),
        "conforms_to": [spec] if spec else [],
        "access_rights": EU + "access-right/PUBLIC", "frequency": EU + "frequency/ANNUAL",
        "language": [EU + "language/SWE"], "hvd_category": "http://data.europa.eu/bna/c_ac64a52d" if i % 5 == 0 else "",
        "temporal_start": "2024-01-01", "temporal_end": "2024-12-31",
        "spatial": f'{{"type":"Point","coordinates":[{lon:.4f},{lat:.4f}]}}',
        "issued": "2024-02-01", "modified": "2024-06-01", "url": f"https://www.example.org/{org['name']}/psidata",
        "version": "1.0", "resources": resources}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--shard", default="0/1", help="K/N: make only the datasets i with i %% N == K (N processes "
                        "seed in parallel, one shard each)")
    args = parser.parse_args()
    shard, shards = (int(n) for n in args.shard.split("/"))
    with ckan_app():
        import ckan.lib.search as search
        import ckan.model as model
        import ckan.plugins.toolkit as tk

        from ckanext.kalmar_oppnadata.registers import organizations as orgs

        orgs.sync_organizations()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        organizations = [o for o in (orgs.organization(w["name"]) for w in orgs.load_organizations()) if o]
        # What the database holds (the index may not have committed the last ones of an interrupted run).
        names = {name for (name,) in model.Session.query(model.Package.name).filter(model.Package.name.like("bench-%"))}
        have = len(names)
        todo = [i for i in range(args.count) if i % shards == shard and f"bench-{i:06d}" not in names]
        tk.config["ckan.search.solr_commit"] = False  # one commit at the end, not one per dataset
        started = time.perf_counter()
        for made, i in enumerate(todo, 1):
            tk.get_action("package_create")({"user": site_user, "ignore_auth": True}, dataset(i, organizations))
            if made % 100 == 0:
                model.Session.remove()  # else the session keeps every dataset made, and each save gets slower
            if made % 500 == 0:
                print(f"{have + made} datasets ({made / (time.perf_counter() - started):.1f}/s)", flush=True)
        search.commit()
        print(f"{have + len(todo)} datasets in the benchmark database ({len(todo)} added by shard {args.shard})")


if __name__ == "__main__":
    main()
