"""OpenAPI 3 descriptions of the portal's APIs, and the page that explores them.

- ``addresses``: the fixed, locale-free addresses (from ``ckan.site_url``) everyone links to;
- ``table``: the description of one DataStore table (``/openapi/datastore/<resource id>.json``), built from
  the table's own columns, types and first rows;
- ``portal``: the description of the extension's own actions and of ``package_search`` with the portal's
  search fields (``/openapi/kalmar.json``), built from the registered actions and their argument schemas;
- ``views``: the documents (with CORS for public tables) and the "Utforska API" page, which runs Swagger UI
  from the files the ``flask-swagger-ui`` package ships (served by the portal, no outside CDN).
"""
