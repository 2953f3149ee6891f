"""Proposing a dataset's description from its file ("Ny datamängd från fil", issue 28).

Pure analysis, no database: the file is read with the portal's one table reader (``files.reading``), and
each proposal says where it comes from, so the editor can accept or change it.

- ``columns``: column names made comparable (case, accents, separators, common Swedish and English
  synonyms), and the match against every specification with a Table Schema, with a confidence;
- ``extent``: the spatial extent from coordinate columns (WGS84 or SWEREF 99 TM), else kommunkod columns;
- ``period``: the temporal coverage from date and year columns;
- ``analysis``: the whole proposal of one file (format, encoding, size, checksum, title, keywords, report)
  and the bad files it refuses with a Swedish message;
- ``mapping``: the corrected UTF-8 CSV of a file whose columns almost match a specification.
"""
