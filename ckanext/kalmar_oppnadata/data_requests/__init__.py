"""Requests for data ("Önska data", issue 26): anyone asks for a dataset that is missing, others support it
("Jag vill också ha detta") and comment, and the region moderates and follows each request up.

- ``store``: the tables (``kalmar_oppnadata_data_request`` and its ``_support`` and ``_comment`` tables;
  migration/) and their queries;
- ``region``: who "the region" is, the moderators (one function, ``is_region``);
- ``actions``: the API (``data_request_create``, ``_show``, ``_list``, ``_support``, ``_comment``,
  ``_update``) and its authorization;
- ``mails``: the requester and the supporters who left an address hear when the status changes;
- ``views``: the pages under ``/onska-data``.

A request is visible to the public only once the region approved it; before that only the region sees it.
Comments are shown at once, as escaped plain text (never HTML, links not made clickable), under the same
spam defence as the other public forms (dialog/guard.py); the region can hide one. E-mail addresses are
used only to send mail: no page, API answer or export shows them.
"""
