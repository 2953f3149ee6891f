"""Every table becomes an API: uploaded or linked CSV/XLSX files loaded into CKAN's DataStore.

- ``reading``: the file's bytes → a header and rows of text (CSV in UTF-8 or Windows-1252 with comma,
  semicolon or tab; the first sheet of an XLSX workbook);
- ``types``: the DataStore type of each column, guessed as a Swedish editor means it (decimal comma,
  ISO dates, codes with a leading zero such as kommunkod 0880 kept as text), and the typed values;
- ``loading``: the background job that replaces the resource's DataStore table and records a status on
  the resource that the resource page shows.
"""
