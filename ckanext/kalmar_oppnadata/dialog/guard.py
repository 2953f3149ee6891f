"""The spam and abuse defence of the public forms: a honeypot field, length limits, and rate limits per
sender address (the client's IP), per e-mail address and per dataset, counted in Redis.

When Redis cannot be reached the limits are not counted (a question is worth more than a perfect count);
the honeypot and the length limits still hold.
"""
from __future__ import annotations

import logging
import re

from flask import g, request
from redis.exceptions import RedisError

from ckan.lib.redis import connect_to_redis

log = logging.getLogger(__name__)

HONEYPOT = "webbplats"  # a field people never see (hidden), which bots fill in
MAX_MESSAGE, MAX_NAME, MAX_EMAIL = 4000, 100, 254
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
# (what is counted, how many, in how many seconds)
LIMITS = (("address", 5, 3600), ("email", 5, 3600), ("dataset", 30, 86400))


class TooMany(Exception):
    """Over a rate limit: the form answers 429 with a Swedish page, the Action API 429 with a JSON error
    (CKAN's API turns every other exception into a 500, which ``views.too_many_in_the_api`` corrects)."""

    def __init__(self):
        super().__init__("too many messages")
        try:
            setattr(g, OVER_LIMIT, True)
        except RuntimeError:  # outside a request
            pass


OVER_LIMIT = "kalmar_dialog_over_limit"


def client_address() -> str | None:
    try:
        return request.remote_addr
    except RuntimeError:  # outside a request (a job, the CLI)
        return None


def over_limit(address: str | None, email: str, dataset_id: str, scope: str = "",
               limits: tuple[tuple[str, int, int], ...] = LIMITS) -> bool:
    """Count this message; True if any of its limits is exceeded. Another form counts under its own
    ``scope`` with its own ``limits`` (requests for data: data_requests/actions.py), where "dataset" is
    whatever that form counts per thing."""
    keys = {"address": address, "email": email.lower(), "dataset": dataset_id}
    try:
        redis = connect_to_redis()
        for what, most, seconds in limits:
            if not keys[what]:
                continue
            key = f"kalmar:dialog:{scope + ':' if scope else ''}{what}:{keys[what]}"
            count = redis.incr(key)
            if count == 1:
                redis.expire(key, seconds)
            if count > most:
                return True
    except RedisError as error:
        log.warning("dialog rate limits not counted (Redis unreachable: %s)", error)
    return False
