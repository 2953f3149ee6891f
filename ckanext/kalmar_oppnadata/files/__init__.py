"""Files users give the portal, and what the portal does with them.

- ``fetch``: fetching linked files (and harvest sources) from public addresses only, every hop checked;
- ``reading``: a resource's bytes, and the one CSV/XLSX reader (decoding, separators, rows);
- ``formats``, ``limits``, ``records``: which files are tables, how much is read for each purpose, what
  the jobs record on a resource;
- ``checking``: the specification check (a report of every problem) and its job;
- ``loading``, ``staging``, ``types``: loading tables into the DataStore without losing the good one;
- ``queueing``: which of these jobs a saved dataset needs;
- ``api_box``, ``map_view``: the resource page's API box and map preview; ``checksums``: upload checksums.
"""
