"""Where the next full response's time goes after 1 edit (issue 23's "≤ 2 s at 10,000 datasets"), in
the request path: the catalog kept, one dataset edited, the document asked for again. Run it under
py-spy through bench/lib.sh's environment, after bench/run-catalog has kept the parts:

    BENCH_DB=ckan_bench_10000 bash -c 'source bench/lib.sh; cd bench; \
        $STACK/venv/bin/py-spy record -r 100 -f raw -o ../.stack/profile-edit.txt -- $PY profile_edit.py rdf'
    .stack/venv/bin/python bench/profile_summary.py .stack/profile-edit.txt

Prints the seconds of each of 3 edits' next response, and of the steps of one (listing, parts, document).
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from common import ckan_app


def main() -> None:
    fmt = sys.argv[1] if len(sys.argv) > 1 else "rdf"
    with ckan_app():
        import ckan.plugins.toolkit as tk

        from ckanext.kalmar_oppnadata.catalog import caching, documents, keeping, listing

        Path(documents.portal_catalog_file(fmt).path).stat()  # kept (made now if it was not)
        user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        sample = tk.get_action("package_search")({"user": ""}, {"rows": 3, "sort": "name desc",
                                                               "q": "name:bench-*"})["results"]
        seconds, steps = [], {}
        for n, dataset in enumerate(sample):
            tk.get_action("package_patch")({"user": user, "ignore_auth": True},
                                           {"id": dataset["id"], "title": f"{dataset['title']} (p{n})"})
            started = time.perf_counter()
            Path(documents.portal_catalog_file(fmt).path).stat()
            seconds.append(time.perf_counter() - started)
        # The steps of the same work, apart (after a fourth edit)
        tk.get_action("package_patch")({"user": user, "ignore_auth": True},
                                       {"id": sample[0]["id"], "title": f"{sample[0]['title']} (p3)"})
        at = time.perf_counter()
        entries = listing.listing("")
        steps["listing"] = time.perf_counter() - at
        at = time.perf_counter()
        keeping.make_parts(entries, caching.organization_states(), caching.code_state(), formats=(fmt,))
        steps["parts"] = time.perf_counter() - at
        at = time.perf_counter()
        Path(documents.portal_catalog_file(fmt).path).stat()
        steps["document (listing again, fingerprint, assembling)"] = time.perf_counter() - at
        print(json.dumps({"format": fmt, "datasets": len(entries), "after 1 edit s": seconds, "steps s": steps}))


if __name__ == "__main__":
    main()
