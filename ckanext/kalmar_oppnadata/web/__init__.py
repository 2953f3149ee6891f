"""The web layer: pages and documents (``views``), template helpers (``helpers``), the operator's commands
(``cli``), monitoring (``health``) and the pages shown during outages (``outages``). Templates live in
``templates/`` beside the package."""
