"""A dataset's last real change, and its freshness now.

Real changes are a person's save (the form or the API: ``last_saved``, which only such saves set), the
data's own date given by the publisher or its source catalog (``modified``), and the dataset's creation.
What the portal's jobs record on its files (load status, check reports, DataStore dates) is not a change
of the data and is not looked at.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from ckanext.kalmar_oppnadata.freshness.status import Freshness, assess


def _moment(value: Any) -> datetime | None:
    """A naive UTC datetime from a stored date or date-time (ISO 8601), else None."""
    if not value:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def last_change(dataset: dict[str, Any]) -> datetime | None:
    moments = [_moment(dataset.get(field)) for field in ("last_saved", "modified", "metadata_created")]
    return max((m for m in moments if m), default=None)


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def of(dataset: dict[str, Any], at: datetime | None = None) -> Freshness:
    return assess(dataset.get("frequency"), last_change(dataset), at or now())
