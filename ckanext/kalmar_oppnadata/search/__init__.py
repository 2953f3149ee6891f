"""Search: what the index holds (``indexing``), the facets and their labels (``facets``), every dataset
of a search page by page (``paging``), and Agenda 2030's counts over it (``agenda2030``)."""
