"""Subscriptions without an account, and the digests sent to subscribers.

Anyone may subscribe by e-mail to a dataset, an organization or a global goal (``views``); the address is
confirmed by a signed link (``tokens``), and every mail has a signed one-click unsubscribe link. The
daily job (``sending.send_due``, queued by ``ckan kalmar upkeep``) sends each subscriber at most one digest
a day of what really changed in what they follow (``changes``: new public datasets and a person's saves,
new files included; never the portal's own job records), and nothing about a dataset that is not public.
"""
