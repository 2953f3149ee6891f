"""A dataset's freshness from its update frequency (the EU frequency table) and its last real change.

Each frequency with a period makes an update due one period after the last change; in the last quarter of
the period (at most 7 days) it is due soon, after it overdue. ``NEVER`` means no updates are planned, so
the dataset is never late; ``IRREG``, ``OTHER`` and ``UNKNOWN`` have no schedule to be late against, and a
dataset without a frequency cannot be judged: each says so rather than guessing.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from ckanext.kalmar_oppnadata.registers.values import N_

FREQUENCY_BASE = "http://publications.europa.eu/resource/authority/frequency/"

# The period of each frequency of the EU table that has one; continuous updates are expected daily.
PERIODS: dict[str, relativedelta] = {
    "CONT": relativedelta(days=1), "UPDATE_CONT": relativedelta(days=1), "DAILY": relativedelta(days=1),
    "WEEKLY": relativedelta(weeks=1), "BIWEEKLY": relativedelta(weeks=2), "MONTHLY": relativedelta(months=1),
    "BIMONTHLY": relativedelta(months=2), "QUARTERLY": relativedelta(months=3), "ANNUAL": relativedelta(years=1),
    "BIENNIAL": relativedelta(years=2), "TRIENNIAL": relativedelta(years=3),
}
UNSCHEDULED = {"IRREG", "OTHER", "UNKNOWN"}
SOON_AT_MOST = timedelta(days=7)

# How the page says it: "Uppdateras varje månad – senast uppdaterad 3 mars 2026, försenad".
PHRASES = {
    "CONT": N_("Updated continuously"), "UPDATE_CONT": N_("Updated continuously"),
    "DAILY": N_("Updated every day"), "WEEKLY": N_("Updated every week"),
    "BIWEEKLY": N_("Updated every other week"), "MONTHLY": N_("Updated every month"),
    "BIMONTHLY": N_("Updated every other month"), "QUARTERLY": N_("Updated every quarter"),
    "ANNUAL": N_("Updated every year"), "BIENNIAL": N_("Updated every other year"),
    "TRIENNIAL": N_("Updated every third year"), "IRREG": N_("Updated irregularly"),
    "OTHER": N_("Updated on no fixed schedule"), "UNKNOWN": N_("Update frequency unknown"),
    "NEVER": N_("No updates planned"),
}

# The states, in the order the facet lists them, with their labels.
CURRENT, DUE_SOON, OVERDUE = "current", "due_soon", "overdue"
NOT_PLANNED, UNSCHEDULED_STATE, NO_FREQUENCY = "not_planned", "unscheduled", "no_frequency"
STATES = {
    CURRENT: N_("Up to date"),
    DUE_SOON: N_("Update due soon"),
    OVERDUE: N_("Overdue"),
    NOT_PLANNED: N_("No updates planned"),
    UNSCHEDULED_STATE: N_("No fixed schedule"),
    NO_FREQUENCY: N_("Update frequency not given"),
}


@dataclasses.dataclass(frozen=True)
class Freshness:
    state: str
    frequency: str | None  # the EU code, e.g. MONTHLY
    last_change: datetime | None
    due: datetime | None  # when the next update is due (frequencies with a period)
    next_change: datetime | None  # when ``state`` changes by the passing of time alone

    @property
    def phrase(self) -> str:
        return PHRASES.get(self.frequency or "", N_("Update frequency not given"))

    @property
    def label(self) -> str:
        return STATES[self.state]


def frequency_code(value: str | None) -> str | None:
    """The EU code of a stored frequency (its URI), or None."""
    if not value:
        return None
    code = str(value).removeprefix(FREQUENCY_BASE)
    return code if code in PERIODS or code in UNSCHEDULED or code == "NEVER" else None


def assess(frequency: str | None, last_change: datetime | None, now: datetime) -> Freshness:
    """The freshness, at ``now``, of a dataset with this frequency (URI or code) last changed then."""
    code = frequency_code(frequency)
    if code is None:
        return Freshness(NO_FREQUENCY, None, last_change, None, None)
    if code == "NEVER":
        return Freshness(NOT_PLANNED, code, last_change, None, None)
    if code in UNSCHEDULED:
        return Freshness(UNSCHEDULED_STATE, code, last_change, None, None)
    if last_change is None:
        return Freshness(OVERDUE, code, None, None, None)
    due = last_change + PERIODS[code]
    soon = due - min(SOON_AT_MOST, (due - last_change) / 4)
    if now < soon:
        return Freshness(CURRENT, code, last_change, due, soon)
    if now <= due:
        return Freshness(DUE_SOON, code, last_change, due, due)
    return Freshness(OVERDUE, code, last_change, due, None)
