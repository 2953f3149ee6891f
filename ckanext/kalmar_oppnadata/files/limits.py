"""How much of a file the portal reads, one limit per purpose (bytes).

- ``CHECK``: the specification check (a report of every problem must stay quick to make and to read);
- ``MAP_VIEW``: the map preview of an uploaded CSV with coordinates, drawn while the page is served;
- ``HEADER``: the start of an uploaded CSV, read for its column names (whether it gets the map preview);
- ``LOAD``: loading a table into the DataStore, in a background job;
- ``PROPOSE``: reading an editor's new file to propose its description ("Ny datamängd från fil").

A file over the limit is not read for that purpose, and the resource says so.
"""
MB = 1024 * 1024
CHECK = 10 * MB
MAP_VIEW = 20 * MB
HEADER = 64 * 1024
LOAD = 50 * MB
PROPOSE = 50 * MB  # reading a new file to propose its dataset's description (proposals/), while the editor waits
