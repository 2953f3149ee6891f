"""Metadata quality (overview/quality.py): the score of a dataset dict, explained indicator by indicator."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta

from ckanext.kalmar_oppnadata.overview import quality

from ..examples import FULL, FULL_RESOURCE


def full(**changes):
    """The full example dataset as package_show gives it (organization, tags, licence URL filled in)."""
    dataset = dict(copy.deepcopy(FULL), owner_org="kalmar-kommun", tags=[{"name": "bad"}],
                   license_url="http://creativecommons.org/licenses/by/4.0/", resources=[dict(FULL_RESOURCE)],
                   last_saved=datetime.utcnow().isoformat())
    dataset.update(changes)
    return dataset


def missing(score):
    return {i["indicator"] for i in score["indicators"] if not i["met"]}


def test_breakdown_adds_up_and_explains_itself():
    score = quality.score({"title": "Minimal", "notes": "x", "owner_org": "o", "license_id": "CC0-1.0",
                           "license_url": "http://creativecommons.org/publicdomain/zero/1.0/"})
    assert score["points"] == sum(i["points"] for i in score["indicators"])
    assert score["points"] == sum(d["points"] for d in score["dimensions"].values())
    assert score["max"] == sum(i["max"] for i in score["indicators"]) == quality.MAXIMUM
    for row in score["indicators"]:
        assert (row["advice"] is None) == row["met"]
        assert row["points"] in (0, row["max"])
    assert score["rating"] == "bad"


def test_a_complete_dataset_with_a_linked_file_misses_only_what_needs_an_upload_and_a_check():
    score = quality.score(full())
    assert missing(score) == {"download_url", "download_url_reachable", "validation"}
    assert score["points"] == quality.MAXIMUM - 20 - 30 - 20
    assert score["rating"] == "good"  # 400 of 470 points: under the MQA's 351/405 for "excellent"


def test_an_uploaded_file_that_passed_its_check_gives_every_point():
    resource = dict(FULL_RESOURCE, url_type="upload", validation_report=json.dumps({"status": "valid"}))
    score = quality.score(full(resources=[resource]))
    assert missing(score) == set()
    assert (score["points"], score["percent"], score["rating"]) == (quality.MAXIMUM, 100, "excellent")


def test_a_failed_check_and_a_missing_size_cost_their_points():
    resource = dict(FULL_RESOURCE, url_type="upload", size=None,
                    validation_report=json.dumps({"status": "invalid"}))
    assert missing(quality.score(full(resources=[resource]))) == {"byte_size", "validation"}


def test_a_dataset_not_updated_as_often_as_promised_misses_timeliness():
    long_ago = (datetime.utcnow() - timedelta(days=800)).isoformat()
    stale = full(last_saved=long_ago, modified=long_ago[:10], metadata_created=long_ago)
    assert stale["frequency"].endswith("/ANNUAL") or stale["frequency"].endswith("/MONTHLY")
    score = quality.score(stale)
    assert "timeliness" in missing(score)
    row = next(i for i in score["indicators"] if i["indicator"] == "timeliness")
    assert row["advice"] == "Ange hur ofta datamängden uppdateras, och uppdatera den i tid."


def test_an_empty_dataset_scores_nothing_and_gets_advice_everywhere():
    score = quality.score({})
    assert score["points"] == 0 and score["percent"] == 0 and score["rating"] == "bad"
    assert all(row["advice"] for row in score["indicators"])


def test_rating_bands_are_the_mqas():
    assert quality.band(351 / 405)["rating"] == "excellent"
    assert quality.band(350 / 405)["rating"] == "good"
    assert quality.band(221 / 405)["rating_sv"] == "Bra"
    assert quality.band(121 / 405)["rating"] == "sufficient"
    assert quality.band(0.0)["rating_en"] == "Bad"
