"""Signed links in subscription mails: to confirm an address, and to unsubscribe with one click. Signed
with the portal's secret (``SECRET_KEY``), each purpose with its own salt, so one cannot stand for the other."""
from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

import ckan.plugins.toolkit as tk


def _serializer(purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(tk.config.get("SECRET_KEY") or tk.config.get("beaker.session.secret"),
                             salt=f"kalmar-subscription-{purpose}")


def sign(purpose: str, subscription_id: str) -> str:
    return _serializer(purpose).dumps(subscription_id)


def read(purpose: str, token: str) -> str | None:
    try:
        value = _serializer(purpose).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None
