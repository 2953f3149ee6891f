"""Freshness: whether a dataset is updated as often as its publisher promised (DIGG's principle 3).

``status`` judges a dataset from its update frequency and its last real change; ``changes`` finds that
change (a person's save, the data's date, a new file), never what the portal's own jobs record; ``upkeep``
re-indexes the datasets whose judgement changed with the passing of time (``ckan kalmar upkeep``).
"""
