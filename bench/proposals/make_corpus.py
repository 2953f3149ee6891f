"""Make the benchmark corpus of "Ny datamängd från fil" (issue 28): Swedish municipal table files of the
kinds editors publish, made for the benchmark (synthetic rows; place names are plain labels, coordinates
random points inside the municipality's extent from data/organizations.yaml), and their manifest with
what a right proposal is: the specification, the extent (source and bounding box) and the period.

    .stack/venv/bin/python bench/proposals/make_corpus.py   # rewrites bench/proposals/corpus/

Deterministic (a fixed seed), so the committed corpus is what this script makes. The expected extent is
computed here from the points as made (before any projection to SWEREF 99 TM), not by the code measured.
"""
from __future__ import annotations

import csv
import datetime
import io
import json
import pathlib
import random

import openpyxl
import yaml
from pyproj import Transformer

HERE = pathlib.Path(__file__).parent
CORPUS = HERE / "corpus"
ORGS = yaml.safe_load((HERE.parents[1] / "ckanext/kalmar_oppnadata/data/organizations.yaml").read_text("utf-8"))
ORG = {o["name"]: o for o in ORGS["organizations"]}
TO_SWEREF = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
rnd = random.Random(28)
manifest: list[dict] = []

BADPLATSER = ["place_id", "name", "latitude", "longitude", "hov_ref", "description", "toilet", "shower"]
LEVERANTOR = ["kopare", "kopare_text", "faktura_nr", "leverantor", "leverantor_id", "forvaltning", "konto_nr",
              "konto_text", "belopp", "datum", "kommun_id"]
SUPPLIERS = [("Byggvaror i Småland AB", "5561234567"), ("Kontorsmaterial Sverige AB", "5569876543"),
             ("Städtjänst Öst AB", "5560001112"), ("Grönyteskötsel Kalmar AB", "5562223334")]
OFFICES = ["Kommunledningsförvaltningen", "Samhällsbyggnadsförvaltningen", "Barn- och ungdomsförvaltningen"]
ACCOUNTS = [("6410", "Förbrukningsmaterial"), ("7010", "Entreprenader"), ("6110", "Kontorsmaterial")]


def orgnr(org: str) -> str:
    """The organisation number from data/organizations.yaml (never made up)."""
    return ORG[org]["identifier"].replace("-", "")


def bbox(org: str) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in ORG[org]["spatial"].split(","))


def points(org: str, n: int) -> list[tuple[float, float]]:
    """n (lon, lat) points inside the inner half of the organization's extent."""
    minx, miny, maxx, maxy = bbox(org)
    cx, cy, wx, wy = (minx + maxx) / 2, (miny + maxy) / 2, (maxx - minx) / 4, (maxy - miny) / 4
    return [(round(cx + rnd.uniform(-wx, wx), 5), round(cy + rnd.uniform(-wy, wy), 5)) for _ in range(n)]


def extent_of(pts: list[tuple[float, float]]) -> list[float]:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return [min(xs), min(ys), max(xs), max(ys)]


def union(orgs: list[str]) -> list[float]:
    boxes = [bbox(o) for o in orgs]
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def dates(n: int, start: str, end: str) -> list[datetime.date]:
    a, b = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    days = (b - a).days
    picked = [a, b] + [a + datetime.timedelta(days=rnd.randint(0, days)) for _ in range(n - 2)]
    rnd.shuffle(picked)
    return picked


def dec(value: float, digits: int, comma: bool) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if comma else text


def sweref(lon: float, lat: float) -> tuple[int, int]:
    e, n = TO_SWEREF.transform(lon, lat)
    return round(n), round(e)


def write(name: str, header: list[str], rows: list[list], *, encoding: str = "utf-8", sep: str = ",",
          org: str, spec: str | None, extent: dict | None, period: list[str] | None, note: str) -> None:
    path = CORPUS / name
    if name.endswith(".xlsx"):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
        fmt, enc, separator = "xlsx", None, None
    else:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=sep, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([[str(c) for c in row] for row in rows])
        path.write_bytes(out.getvalue().encode(encoding))
        fmt, enc, separator = "csv", encoding, sep
    manifest.append({"file": name, "organization": org, "format": fmt, "encoding": enc, "separator": separator,
                     "rows": len(rows), "expected": {"specification": spec, "extent": extent, "period": period},
                     "note": note})


def ext(source: str, box: list[float]) -> dict:
    return {"source": source, "bbox": [round(v, 5) for v in box]}


BAD = "https://dataportal.se/specifications/badplatser/1.0"
LEV = "https://lankadedata.se/spec/leverantorsreskontra/1.1"
TOA = "https://lankadedata.se/spec/public-toilets/"


def main() -> None:
    CORPUS.mkdir(exist_ok=True)
    for old in CORPUS.iterdir():
        old.unlink()
    # 1 Bathing sites, the specification's own columns, UTF-8, comma, WGS84.
    pts = points("kalmar-kommun", 14)
    write("badplatser_kalmar.csv", BADPLATSER,
          [[f"KAL{i:03}", f"Badplats {i}", lat, lon, f"SE0441{i:06}", "Sandstrand", "ja", "nej"]
           for i, (lon, lat) in enumerate(pts, 1)],
          org="kalmar-kommun", spec=BAD, extent=ext("wgs84", extent_of(pts)), period=None,
          note="Badplatser 1.0 exactly")
    # 2 Swedish column names, Windows-1252, semicolon, decimal comma.
    pts = points("borgholms-kommun", 11)
    write("Badplatser Borgholm.csv", ["Platsid", "Namn", "Latitud", "Longitud", "Toalett", "Dusch", "Beskrivning"],
          [[i, f"Strand {i}", dec(lat, 5, True), dec(lon, 5, True), "Ja", "Nej", "Klippor och sand, långgrunt"]
           for i, (lon, lat) in enumerate(pts, 1)],
          encoding="cp1252", sep=";", org="borgholms-kommun", spec=BAD,
          extent=ext("wgs84", extent_of(pts)), period=None, note="synonyms, cp1252, ';', decimal comma")
    # 3 SWEREF 99 TM coordinates instead of latitude/longitude.
    pts = points("nybro-kommun", 9)
    write("badplatser_nybro_sweref.csv", ["platsid", "namn", "N", "E", "beskrivning"],
          [[f"N{i}", f"Sjöbad {i}", *sweref(lon, lat), "Badbrygga"] for i, (lon, lat) in enumerate(pts, 1)],
          sep=";", org="nybro-kommun", spec=BAD, extent=ext("sweref99tm", extent_of(pts)), period=None,
          note="SWEREF 99 TM northing/easting")
    # 4 XLSX with the specification's columns.
    pts = points("morbylanga-kommun", 12)
    write("badplatser_morbylanga.xlsx", ["place_id", "name", "latitude", "longitude", "hov_ref", "lifeguard"],
          [[f"MBL{i}", f"Badplats {i}", lat, lon, f"SE0441{i:06}", "nej"] for i, (lon, lat) in enumerate(pts, 1)],
          org="morbylanga-kommun", spec=BAD, extent=ext("wgs84", extent_of(pts)), period=None, note="XLSX")
    # 5 A column saying when rows were updated: not the period the data covers.
    pts = points("oskarshamns-kommun", 8)
    write("badplatser_oskarshamn_2023.csv", ["place_id", "name", "latitude", "longitude", "updated", "wheelchair"],
          [[f"O{i}", f"Bad {i}", lat, lon, d.isoformat(), "ja" if i % 2 else "nej"]
           for i, ((lon, lat), d) in enumerate(zip(pts, dates(8, "2023-03-01", "2023-06-30")), 1)],
          org="oskarshamns-kommun", spec=BAD, extent=ext("wgs84", extent_of(pts)), period=None,
          note="an updated column is not coverage")
    # 6 Supplier invoices, the specification's columns, with kommun_id.
    ds = dates(40, "2024-01-01", "2024-12-31")
    write("leverantorsfakturor_2024_kalmar.csv", LEVERANTOR,
          [[orgnr("kalmar-kommun"), "Kalmar kommun", f"F{24000 + i}", *SUPPLIERS[i % 4], OFFICES[i % 3],
            *ACCOUNTS[i % 3],
            f"{rnd.randint(500, 90000)}.{rnd.randint(0, 99):02}", d.isoformat(), "0880"] for i, d in enumerate(ds)],
          org="kalmar-kommun", spec=LEV, extent=ext("kommunkod", union(["kalmar-kommun"])),
          period=["2024-01-01", "2024-12-31"], note="Leverantörsreskontra 1.1 exactly")
    # 7 Swedish names, cp1252, semicolon, decimal comma, no kommun column: the organization's extent.
    ds = dates(30, "2023-07-01", "2023-12-31")
    write("Leverantörsreskontra Emmaboda 2023H2.csv",
          ["Köpare", "Köpare namn", "Fakturanummer", "Leverantörsnamn", "Leverantörens orgnr", "Förvaltning",
           "Konto", "Kontonamn", "Belopp", "Bokföringsdatum"],
          [[orgnr("emmaboda-kommun"), "Emmaboda kommun", 23100 + i, *SUPPLIERS[i % 4], OFFICES[i % 3], *ACCOUNTS[i % 3],
            dec(rnd.uniform(200, 50000), 2, True), d.isoformat()] for i, d in enumerate(ds)],
          encoding="cp1252", sep=";", org="emmaboda-kommun", spec=LEV,
          extent=ext("organization", list(bbox("emmaboda-kommun"))), period=["2023-07-01", "2023-12-31"],
          note="synonyms, cp1252, ';', decimal comma")
    # 8 XLSX supplier invoices, one quarter.
    ds = dates(25, "2024-01-02", "2024-03-28")
    write("leverantorsfakturor_q1_hultsfred.xlsx", LEVERANTOR[:-1],
          [[orgnr("hultsfreds-kommun"), "Hultsfreds kommun", f"H{i}", *SUPPLIERS[i % 4], OFFICES[i % 3],
            *ACCOUNTS[i % 3],
            round(rnd.uniform(100, 20000), 2), d] for i, d in enumerate(ds)],
          org="hultsfreds-kommun", spec=LEV, extent=ext("organization", list(bbox("hultsfreds-kommun"))),
          period=["2024-01-02", "2024-03-28"], note="XLSX with date cells")
    # 9 Public toilets, the common place columns.
    pts = points("kalmar-kommun", 10)
    write("offentliga_toaletter_kalmar.csv", ["source", "id", "name", "latitude", "longitude", "email", "visit_url"],
          [["0880", f"T{i}", f"Toalett {i}", lat, lon, "kontakt@exempel.se", ""]
           for i, (lon, lat) in enumerate(pts, 1)],
          org="kalmar-kommun", spec=TOA, extent=ext("wgs84", extent_of(pts)), period=None, note="place columns")
    # 10 Toilets with Swedish names, cp1252, semicolon, decimal comma.
    pts = points("emmaboda-kommun", 7)
    write("toaletter_emmaboda.csv", ["Källa", "Id", "Namn", "Lat", "Lon", "E-post", "Beskrivning"],
          [["0862", i, f"Offentlig toalett {i}", dec(lat, 5, True), dec(lon, 5, True), "kontakt@exempel.se",
            "Öppen dygnet runt"] for i, (lon, lat) in enumerate(pts, 1)],
          encoding="cp1252", sep=";", org="emmaboda-kommun", spec=TOA, extent=ext("wgs84", extent_of(pts)),
          period=None, note="synonyms, cp1252, ';'")
    # 11 Exercise trails in SWEREF 99 TM (Swedish X = northing): no specification with a schema.
    pts = points("kalmar-kommun", 6)
    write("motionsspar_kalmar.csv", ["Namn", "Längd_km", "Belysning", "X", "Y"],
          [[f"Spår {i}", dec(rnd.uniform(1, 10), 1, True), "ja", *sweref(lon, lat)]
           for i, (lon, lat) in enumerate(pts, 1)],
          sep=";", org="kalmar-kommun", spec=None, extent=ext("sweref99tm", extent_of(pts)), period=None,
          note="SWEREF 99 TM with X = northing; no schema")
    # 12 Lit trails, WGS84, comma.
    pts = points("torsas-kommun", 5)
    write("elljusspar_torsas.csv", ["namn", "lat", "lon", "langd_m", "underlag"],
          [[f"Elljusspår {i}", lat, lon, rnd.randint(1000, 5000), "grus"] for i, (lon, lat) in enumerate(pts, 1)],
          org="torsas-kommun", spec=None, extent=ext("wgs84", extent_of(pts)), period=None,
          note="name and coordinates only: like bathing sites but not")
    # 13 School units of the county, kommunkod, year.
    codes = {"kalmar-kommun": "0880", "nybro-kommun": "0881", "oskarshamns-kommun": "0882", "vasterviks-kommun": "0883"}
    rows = [[f"{rnd.randint(10000000, 99999999)}", f"Skola {i}", code, ORG[o]["title"], rnd.randint(80, 600), 2024]
            for i, (o, code) in enumerate(list(codes.items()) * 4)]
    write("skolenheter_2024.csv", ["Skolenhetskod", "Skolenhet", "Kommunkod", "Kommun", "Elever", "År"], rows,
          sep=";", org="region-kalmar-lan", spec=None, extent=ext("kommunkod", union(list(codes))),
          period=["2024-01-01", "2024-12-31"], note="kommunkod of four municipalities, year column")
    # 14 Events with start and end dates and WGS84.
    pts = points("vasterviks-kommun", 15)
    starts = dates(15, "2025-05-01", "2025-08-31")
    write("evenemang_vastervik_sommar.csv", ["titel", "startdatum", "slutdatum", "plats", "latitud", "longitud"],
          [[f"Evenemang {i}", s.isoformat(), (s + datetime.timedelta(days=2)).isoformat(), "Hamnen", lat, lon]
           for i, ((lon, lat), s) in enumerate(zip(pts, starts), 1)],
          org="vasterviks-kommun", spec=None, extent=ext("wgs84", extent_of(pts)),
          period=["2025-05-01", (max(starts) + datetime.timedelta(days=2)).isoformat()], note="events")
    # 15 Bathing-water samples, SWEREF 99 TM, decimal comma, cp1252.
    pts = points("monsteras-kommun", 4) * 5
    ds = dates(20, "2024-06-10", "2024-08-19")
    write("badvattenprover_2024.csv", ["Provplats", "Provdatum", "E. coli", "Enterokocker", "Vattentemperatur",
                                        "Nordkoordinat", "Ostkoordinat"],
          [[f"Provplats Sjö {i % 4 + 1}", d.isoformat(), rnd.randint(0, 300), rnd.randint(0, 100),
            dec(rnd.uniform(15, 24), 1, True), *sweref(lon, lat)] for i, ((lon, lat), d) in enumerate(zip(pts, ds))],
          encoding="cp1252", sep=";", org="monsteras-kommun", spec=None, extent=ext("sweref99tm", extent_of(pts)),
          period=["2024-06-10", "2024-08-19"], note="water quality, SWEREF 99 TM")
    # 16 Water quality in XLSX with kommunkod.
    ds = dates(12, "2023-01-15", "2023-12-15")
    write("vattenkvalitet_monsteras.xlsx", ["Kommunkod", "Provtagningsdatum", "Parameter", "Värde", "Enhet"],
          [["0861", d, "Fosfor", round(rnd.uniform(5, 40), 1), "µg/l"] for d in ds],
          org="monsteras-kommun", spec=None, extent=ext("kommunkod", list(bbox("monsteras-kommun"))),
          period=["2023-01-15", "2023-12-15"], note="XLSX, kommunkod, dates")
    # 17 Population by municipality and year, the whole county.
    county = [o for o in ORG if o != "region-kalmar-lan"]
    write("folkmangd_kommuner_2015_2024.csv", ["kommunkod", "kommun", "ar", "folkmangd"],
          [[ORG[o]["municipality_code"], ORG[o]["title"], y, rnd.randint(5000, 70000)]
           for o in county for y in range(2015, 2025)],
          org="region-kalmar-lan", spec=None, extent=ext("kommunkod", union(county)),
          period=["2015-01-01", "2024-12-31"], note="all twelve kommunkoder, years")
    # 18 Building permits: dates, no place: the organization's extent.
    ds = dates(30, "2023-01-03", "2023-12-28")
    write("bygglov_hogsby_2023.csv", ["Diarienummer", "Inkommet", "Beslutsdatum", "Åtgärd", "Beslut"],
          [[f"BN 2023/{i}", d.isoformat(), (d + datetime.timedelta(days=20)).isoformat()
            if d < datetime.date(2023, 12, 8) else d.isoformat(), "Nybyggnad", "Bifall"] for i, d in enumerate(ds)],
          encoding="cp1252", sep=";", org="hogsby-kommun", spec=None,
          extent=ext("organization", list(bbox("hogsby-kommun"))), period=["2023-01-03", "2023-12-28"],
          note="no coordinates or kommunkod")
    # 19 Playgrounds, SWEREF 99 TM with easting first, comma.
    pts = points("kalmar-kommun", 10)
    write("lekplatser_kalmar.csv", ["id", "namn", "e", "n", "utrustning"],
          [[i, f"Lekplats {i}", sweref(lon, lat)[1], sweref(lon, lat)[0], "gungor, sandlåda"]
           for i, (lon, lat) in enumerate(pts, 1)],
          org="kalmar-kommun", spec=None, extent=ext("sweref99tm", extent_of(pts)), period=None,
          note="SWEREF 99 TM, easting column first; no schema")
    # 20 Charging points, cp1252, semicolon, decimal comma.
    pts = points("oskarshamns-kommun", 9)
    write("laddstolpar_oskarshamn.csv", ["Namn", "Adress", "Latitud", "Longitud", "Antal uttag", "Effekt kW"],
          [[f"Laddplats {i}", f"Järnvägsgatan {i}", dec(lat, 6, True), dec(lon, 6, True), 2, dec(22.0, 1, True)]
           for i, (lon, lat) in enumerate(pts, 1)],
          encoding="cp1252", sep=";", org="oskarshamns-kommun", spec=None, extent=ext("wgs84", extent_of(pts)),
          period=None, note="charging points, WGS84 with decimal comma")
    # 21 Budget outcome by account and year: two of the invoice columns, nothing more.
    write("budgetutfall_2024.csv", ["Konto", "Kontonamn", "Budget", "Utfall", "År"],
          [[a, t, rnd.randint(1, 9) * 100000, rnd.randint(1, 9) * 100000, 2024] for a, t in ACCOUNTS],
          sep=";", org="torsas-kommun", spec=None, extent=ext("organization", list(bbox("torsas-kommun"))),
          period=["2024-01-01", "2024-12-31"], note="shares account columns with supplier invoices")
    # 22 Traffic counts, WGS84, dates.
    pts = points("kalmar-kommun", 18)
    ds = dates(18, "2024-09-02", "2024-09-29")
    write("trafikmatningar_kalmar_sep2024.csv", ["matpunkt", "datum", "fordon_per_dygn", "latitude", "longitude"],
          [[f"M{i}", d.isoformat(), rnd.randint(500, 20000), lat, lon]
           for i, ((lon, lat), d) in enumerate(zip(pts, ds), 1)],
          org="kalmar-kommun", spec=None, extent=ext("wgs84", extent_of(pts)), period=["2024-09-02", "2024-09-29"],
          note="traffic counts")
    # 23 Waste per municipality and year, one municipality.
    write("avfall_vimmerby.csv", ["Kommunkod", "År", "Hushållsavfall ton", "Matavfall ton"],
          [["0884", y, dec(rnd.uniform(4000, 6000), 1, True), dec(rnd.uniform(900, 1200), 1, True)]
           for y in range(2019, 2025)],
          encoding="cp1252", sep=";", org="vimmerby-kommun", spec=None,
          extent=ext("kommunkod", list(bbox("vimmerby-kommun"))), period=["2019-01-01", "2024-12-31"],
          note="kommunkod and years, decimal comma")
    (HERE / "manifest.json").write_text(json.dumps({"files": manifest}, ensure_ascii=False, indent=1) + "\n",
                                        "utf-8")
    print(f"{len(manifest)} files in {CORPUS}")


if __name__ == "__main__":
    main()
