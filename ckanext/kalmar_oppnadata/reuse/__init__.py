"""Examples of use ("Användningsexempel", DIGG's principle 7: show and encourage reuse): apps, research,
articles and visualisations built with the portal's datasets.

``store`` keeps the examples and the datasets each uses (tables ``kalmar_oppnadata_reuse`` and
``kalmar_oppnadata_reuse_dataset``, migration/); ``region`` says who moderates (the region);
``actions`` are the API (``reuse_create`` for anyone, a proposal waiting for the region unless the region
itself adds it; ``reuse_show``, ``reuse_list``; ``reuse_moderate``, ``reuse_update``, ``reuse_delete`` for
the region); ``images`` takes an uploaded image into CKAN's storage or checks an image address; ``mails``
tells a proposer who left an address when the region approved or declined; ``views`` are the pages
(``/anvandningsexempel``). The spam defence is the dialog's (``dialog/guard.py``). A proposer's address is
used only to send that mail, and an example shows only the datasets the visitor may see.

Why not ckanext-showcase: its current release on PyPI (1.5.1) does not load on CKAN 2.12 (it maps its
tables with ``sqlalchemy.orm.mapper()`` and creates them with ``Table.exists()``, both removed in
SQLAlchemy 2.0), it has no proposals or moderation (only sysadmins and "showcase admins" may create), it
stores showcases as datasets, and it has no Swedish translation (see the README).
"""
