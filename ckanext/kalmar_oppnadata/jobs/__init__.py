"""Background work on CKAN's job queue (RQ on Redis): the plumbing every job uses.

- ``queue``: queueing a job once per resource and kind, and the context jobs act in;
- ``heartbeat``: a heartbeat in Redis that says a job or a consumer is alive;
- ``locks``: one run at a time across processes and machines (a PostgreSQL advisory lock per name).

What is queued, and when, belongs to its concern (``files.queueing``); it is started after the save has
committed, from CKAN's signals (``subscriptions``).
"""
