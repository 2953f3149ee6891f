"""Freshness (freshness/status.py, changes.py): judged from the update frequency and the last real change."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ckanext.kalmar_oppnadata.freshness import changes, status

EU = "http://publications.europa.eu/resource/authority/frequency/"
NOW = datetime(2026, 11, 30, 12, 0)


def test_a_monthly_dataset_is_current_then_due_soon_then_overdue():
    changed = datetime(2026, 3, 3, 9, 0)
    due = datetime(2026, 4, 3, 9, 0)
    current = status.assess(EU + "MONTHLY", changed, datetime(2026, 3, 20))
    assert (current.state, current.due, current.next_change) == ("current", due, due - timedelta(days=7))
    soon = status.assess(EU + "MONTHLY", changed, datetime(2026, 3, 30))
    assert (soon.state, soon.next_change) == ("due_soon", due)
    late = status.assess(EU + "MONTHLY", changed, datetime(2026, 4, 3, 9, 1))
    assert (late.state, late.next_change, late.phrase) == ("overdue", None, "Updated every month")


def test_a_daily_dataset_is_due_soon_in_the_last_quarter_of_its_day():
    changed = datetime(2026, 11, 30, 0, 0)
    assert status.assess(EU + "DAILY", changed, datetime(2026, 11, 30, 17, 59)).state == "current"
    assert status.assess(EU + "DAILY", changed, datetime(2026, 11, 30, 18, 0)).state == "due_soon"
    assert status.assess(EU + "DAILY", changed, datetime(2026, 12, 1, 0, 1)).state == "overdue"


@pytest.mark.parametrize(("frequency", "state"), [
    (EU + "NEVER", "not_planned"), (EU + "IRREG", "unscheduled"), (EU + "OTHER", "unscheduled"),
    (EU + "UNKNOWN", "unscheduled"), ("", "no_frequency"), (None, "no_frequency"),
    ("http://example.org/not-a-frequency", "no_frequency"),
])
def test_without_a_schedule_a_dataset_is_never_late_and_says_why(frequency, state):
    judged = status.assess(frequency, datetime(2000, 1, 1), NOW)
    assert (judged.state, judged.due, judged.next_change) == (state, None, None)


def test_the_last_real_change_is_a_persons_save_or_the_datas_own_date_not_the_portals_job_writes():
    dataset = {"frequency": EU + "ANNUAL", "metadata_created": "2024-01-10T08:00:00",
               "metadata_modified": "2026-11-30T11:00:00",  # a job's record: not a change of the data
               "modified": "2025-02-01", "last_saved": "2025-06-15T10:30:00",
               "resources": [{"last_modified": "2026-11-30T11:00:00"}]}
    assert changes.last_change(dataset) == datetime(2025, 6, 15, 10, 30)
    assert changes.of(dataset, NOW).state == "overdue"
    assert changes.of(dict(dataset, modified="2026-10-01"), NOW).state == "current"
    assert changes.last_change({"metadata_created": "2026-11-01T00:00:00+01:00"}) == datetime(2026, 10, 31, 23, 0)
