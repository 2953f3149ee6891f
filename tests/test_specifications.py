"""National specifications: the register, and background validation of uploaded CSVs in a real worker."""
from __future__ import annotations

import csv
import datetime
import html
import io
import json
import os
import re
import threading
from zoneinfo import ZoneInfo

import pytest
import requests
from werkzeug.serving import make_server

from .examples import BADPLATSER, DATA_LINK, GOOD
from .helpers import report, run_worker, upload

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_queues")


@pytest.fixture
def dataset(api, sysadmin_with_token):
    token = sysadmin_with_token["token"]
    org = api("organization_create", token=token, name="kalmar-kommun", title="Kalmar kommun",
              email="oppnadata@kalmar.se")["result"]
    created = api("package_create", token=token, name="badplatser", title="Badplatser", notes="x",
                  owner_org=org["id"], conforms_to=[BADPLATSER], classification_confirmed=True,
                  private=False, resources=[DATA_LINK])["result"]
    return {"token": token, "dataset": created}


@pytest.mark.usefixtures("with_test_worker")
class TestValidationJob:
    def test_correct_badplatser_csv_is_valid(self, app, api, cli, dataset):
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], GOOD.encode())
        assert not report(api, dataset["token"], resource["id"])  # not yet: the job is queued
        page = app.get(f"/dataset/badplatser/resource/{resource['id']}").body
        assert "Kontrolleras" in page
        run_worker(cli)
        result = report(api, dataset["token"], resource["id"])
        assert result["status"] == "valid" and result["errors"] == []
        assert result["specification"] == BADPLATSER and result["checked_at"]
        page = app.get(f"/dataset/badplatser/resource/{resource['id']}").body
        assert "Godkänd" in page and "Filen följer Badplatser 1.0" in page

    def test_missing_name_column_is_named_and_the_dataset_warns(self, app, api, cli, dataset):
        content = GOOD.replace("name,", "namn,").encode()
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], content)
        run_worker(cli)
        result = report(api, dataset["token"], resource["id"])
        assert result["status"] == "invalid"
        assert [(e["code"], e["column"]) for e in result["errors"]] == [("missing-column", "name")]
        assert "Kolumnen name saknas." in app.get(f"/dataset/badplatser/resource/{resource['id']}").body
        page = app.get("/dataset/badplatser").body
        assert "följer inte specifikationen" in page  # warning badge; the dataset stays public
        assert api("package_show", id="badplatser")["result"]["private"] is False

    def test_revalidated_when_the_file_changes(self, app, api, cli, dataset):
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], b"place_id,latitude\n1,56\n")
        run_worker(cli)
        assert report(api, dataset["token"], resource["id"])["status"] == "invalid"
        upload(app, dataset["token"], None, GOOD.encode(), resource_id=resource["id"])
        run_worker(cli)
        assert report(api, dataset["token"], resource["id"])["status"] == "valid"

    def test_report_cannot_be_forged_through_the_api(self, app, api, cli, dataset):
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], b"place_id\n1\n")
        run_worker(cli)
        forged = {"status": "valid", "errors": [], "error_count": 0}
        api("resource_patch", token=dataset["token"], id=resource["id"], validation_report=json.dumps(forged))
        assert report(api, dataset["token"], resource["id"])["status"] == "invalid"

    @pytest.mark.parametrize("content, code", [
        ("place_id;name;latitude;longitude\n1;Stensö;56,6;16,3\n".encode("cp1252"), "encoding"),
        (b"place_id,name,latitude,longitude\n1,A,norr,16.3\n", "type"),
        (b"place_id,name,latitude,longitude\n1,A,40.1,16.3\n", "range"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "binary"),
    ])
    def test_bad_files_give_readable_reports(self, app, api, cli, dataset, content, code):
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], content)
        run_worker(cli)
        result = report(api, dataset["token"], resource["id"])
        assert result["status"] == "invalid"
        assert code in [e["code"] for e in result["errors"]]
        assert all(e["message"] and e["message_en"] for e in result["errors"])

    def test_ten_megabytes_of_noise_do_not_stall_the_worker(self, app, api, cli, dataset):
        noise = os.urandom(10 * 1024 * 1024)
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], noise)
        run_worker(cli)
        result = report(api, dataset["token"], resource["id"])
        assert result["status"] == "invalid" and result["error_count"] >= 1

    def test_datasets_without_a_specification_are_not_checked(self, app, api, cli, dataset):
        other = api("package_create", token=dataset["token"], name="utan-spec", title="Utan", notes="x",
                    owner_org=dataset["dataset"]["owner_org"])["result"]
        resource = upload(app, dataset["token"], other["id"], GOOD.encode())
        run_worker(cli)
        assert not report(api, dataset["token"], resource["id"])


# Every kind of problem in one file (Windows-1252): a column name in the wrong case, an unexpected column,
# an unclosed quote (row 3), a row with too few values (4), a word for a number (5), a latitude outside
# Sweden (6), a decimal comma (7), an empty required cell (8).
BROKEN = ("place_id,Name,latitude,longitude,namn\n"
          "1,Stensö,56.64,16.33,x\n"
          '2,"Kalmarsund,56.66,16.36,y\n'
          "3,Skälby\n"
          "4,Norr,norr,16.3,z\n"
          "5,Syd,40.1,16.3,z\n"
          '6,Komma,"56,6",16.3,z\n'
          "7,,56.7,16.3,z\n").encode("cp1252")
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")


def page_text(app, path):
    """The page as a person reads it: tags removed, entities decoded, spaces joined."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", app.get(path).body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()).replace(" ,", ",")


@pytest.mark.usefixtures("with_test_worker")
class TestOnePassReport:
    def test_every_problem_in_one_report_with_rows_counts_and_hints(self, app, api, cli, dataset):
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], BROKEN)
        run_worker(cli)
        result = report(api, dataset["token"], resource["id"])
        assert [(e["code"], e["row"]) for e in result["errors"]] == [
            ("encoding", None), ("column-name", None), ("quote", 3), ("cells", 4), ("type", 5), ("range", 6),
            ("decimal-comma", 7), ("required", 8)]
        assert (result["error_count"], result["rows"], result["rows_with_errors"]) == (8, 7, 6)
        assert [w["message"] for w in result["warnings"]] == ["Kolumnen namn ingår inte i specifikationen."]

        text = page_text(app, f"/dataset/badplatser/resource/{resource['id']}")
        assert "8 fel mot Badplatser 1.0." in text
        assert "7 rader under rubrikraden kontrollerades; 6 av dem har fel." in text
        for message in ("Filen är inte kodad som UTF-8",
                        "Kolumnen Name ska heta name: namnen skiljer sig bara i stora och små bokstäver "
                        "eller accenter.",
                        'Rad 3: ett citattecken (") stängs aldrig eller följs av text, så raden kunde inte läsas.',
                        "Rad 4 har 2 värden men rubrikraden har 5.",
                        "Rad 5: ”norr” i kolumnen latitude är inte ett tal.",
                        "Rad 6: ”40.1” i kolumnen latitude ligger utanför 55–70.",
                        "Rad 8: kolumnen name får inte vara tom.",
                        "Kolumnen namn ingår inte i specifikationen."):
            assert message in text, message
        assert text.count("Rad 4 ") == 1  # each row once
        # The expected columns and the template are at hand where the problems are listed.
        assert "Kolumnerna som Badplatser 1.0 förväntar sig" in text
        assert "Obligatoriska kolumner: place_id, name, latitude, longitude" in text
        assert "Ladda ner en CSV-mall för Badplatser 1.0" in text

    def test_the_check_time_is_swedish_local_time(self, app, api, cli, dataset):
        resource = upload(app, dataset["token"], dataset["dataset"]["id"], GOOD.encode())
        run_worker(cli)
        checked = datetime.datetime.fromisoformat(report(api, dataset["token"], resource["id"])["checked_at"])
        local = checked.astimezone(ZoneInfo("Europe/Stockholm"))
        shown = f"{local.day} {MONTHS[local.month - 1]} {local.year} kl. {local:%H:%M}"
        text = page_text(app, f"/dataset/badplatser/resource/{resource['id']}")
        assert f"(kontrollerad {shown})" in text
        assert "(UTC)" not in text


@pytest.fixture
def served(app):
    """The portal (CKAN's whole WSGI application) on a loopback port, for real HTTP requests."""
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.usefixtures("with_test_worker")
class TestTemplates:
    def test_specifications_page_lists_the_columns_and_links_each_template(self, app):
        text = page_text(app, "/specifikationer")
        assert "Obligatoriska kolumner: place_id, name, latitude, longitude" in text
        assert "Obligatoriska kolumner: kopare, kopare_text" in text
        assert "SE0A21484000000552" in text and "tal med decimalpunkt, från 55 till 70" in text
        links = re.findall(r'href="(/specifikationer/[^"]+/mall\.csv)"', app.get("/specifikationer").body)
        assert links == ["/specifikationer/badplatser-1.0/mall.csv",
                         "/specifikationer/leverantorsreskontra-1.1/mall.csv",
                         "/specifikationer/offentliga-toaletter/mall.csv"]
        assert app.get("/specifikationer/grillplatser-1.0/mall.csv").status_code == 404  # no Table Schema

    def test_downloaded_template_is_utf8_csv_that_passes_its_own_check(self, app, api, cli, dataset, served):
        response = requests.get(f"{served}/specifikationer/badplatser-1.0/mall.csv", timeout=30)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert "badplatser-1.0-mall.csv" in response.headers["Content-Disposition"]
        header, example = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
        shown = api("specification_show", uri=BADPLATSER)["result"]
        assert header == [c["name"] for c in shown["columns"]][:len(header)] and len(header) == 42
        assert dict(zip(header, example))["hov_ref"] == "SE0A21484000000552"

        resource = upload(app, dataset["token"], dataset["dataset"]["id"], response.content, filename="mall.csv")
        run_worker(cli)
        result = report(api, dataset["token"], resource["id"])
        assert result["status"] == "valid" and result["errors"] == [] and result["rows"] == 1


class TestRegister:
    def test_register_entries_and_actions(self, api):
        specs = api("specification_list")["result"]
        by_name = {s["name"]: s for s in specs}
        assert {"Badplatser 1.0", "Leverantörsreskontra 1.1", "Utegym 1.0", "Evenemang"} <= set(by_name)
        assert by_name["Badplatser 1.0"]["table_schema"] == "badplatser-1.0.json"
        assert by_name["Utegym 1.0"]["uri"] == ""  # unconfirmed: never invented
        shown = api("specification_show", uri=BADPLATSER + "/")["result"]
        assert shown["goals"] == ["6", "11"]
        api("specification_show", uri="https://example.org/okand", status=404)

    def test_specifications_page(self, app, api, dataset):
        page = app.get("/specifikationer").body
        assert "Nationella specifikationer för datamängder" in page
        assert "Badplatser 1.0" in page and "Leverantörsreskontra 1.1" in page
        assert "härlett schema" in page
        assert "1 datamängd" in page  # the conforming dataset of the fixture

    def test_region_can_replace_the_register_without_code_changes(self, api, tmp_path, ckan_config, monkeypatch):
        own = tmp_path / "register.yaml"
        own.write_text("specifications:\n  - uri: https://example.org/spec/utegym/1.0\n    name: Utegym (regionens)\n"
                       "    description: x\n    requested: [utegym]\n    themes: [HEAL]\n", encoding="utf-8")
        monkeypatch.setitem(ckan_config, "ckanext.kalmar_oppnadata.specifications_file", str(own))
        assert [s["name"] for s in api("specification_list")["result"]] == ["Utegym (regionens)"]


def test_a_link_without_extension_takes_the_media_type_of_the_specification(api, dataset):
    resource = api("resource_create", token=dataset["token"], package_id=dataset["dataset"]["id"],
                   url="https://www.kalmar.se/api/badplatser")["result"]
    assert resource["mimetype"] == "text/csv"
