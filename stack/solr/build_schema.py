"""Write the Solr schema for a CKAN core: CKAN's own schema.xml, plus the fields ckanext-spatial needs.

Usage: python build_schema.py <output schema.xml> [--cloud]

The schema is read from the installed ``ckan`` package (never kept as a copy in this repository), so an
upgrade of CKAN brings its schema along. Added:

* ``solr-bbox`` backend (the one we use): float fields ``minx maxx miny maxy bbox_area``;
* ``solr-spatial-field`` backend (kept available): a JTS ``location_rpt`` type and ``spatial_geom``.

With ``--cloud`` (the SolrCloud collection of ``scripts/stack cluster``), ``_version_`` is a ``plong`` with
docValues instead of CKAN's ``string``: a SolrCloud replica coming back compares index fingerprints, which
read ``_version_`` as a number and fail on a string (ckan/ckan issues 8373 and 9088), so it never recovers.
"""
import os
import sys

import ckan

TYPES = """
    <!-- ckanext-spatial, solr-spatial-field backend (JTS on Solr's classpath) -->
    <fieldType name="location_rpt" class="solr.SpatialRecursivePrefixTreeFieldType"
        spatialContextFactory="JTS" autoIndex="true" validationRule="repairBuffer0"
        distErrPct="0.025" maxDistErr="0.001" distanceUnits="kilometers"/>
"""

FIELDS = """
    <!-- ckanext-spatial, solr-bbox backend -->
    <field name="bbox_area" type="float" indexed="true" stored="true"/>
    <field name="maxx" type="float" indexed="true" stored="true"/>
    <field name="maxy" type="float" indexed="true" stored="true"/>
    <field name="minx" type="float" indexed="true" stored="true"/>
    <field name="miny" type="float" indexed="true" stored="true"/>
    <!-- ckanext-spatial, solr-spatial-field backend -->
    <field name="spatial_geom" type="location_rpt" indexed="true" stored="true" multiValued="true"/>
"""


VERSION_FIELD = '<field name="_version_" type="string" indexed="true" stored="true"/>'
CLOUD_VERSION_FIELD = '<field name="_version_" type="plong" indexed="false" stored="false" docValues="true"/>'


def build(cloud: bool = False) -> str:
    source = os.path.join(os.path.dirname(ckan.__file__), "config", "solr", "schema.xml")
    with open(source, encoding="utf-8") as f:
        schema = f.read()
    for anchor, addition in (("</types>", TYPES), ('<dynamicField name="*"', FIELDS)):
        if schema.count(anchor) != 1:
            raise SystemExit(f"CKAN's schema.xml changed: expected one {anchor!r} in {source}")
        schema = schema.replace(anchor, addition + anchor)
    if cloud:
        if schema.count(VERSION_FIELD) != 1:
            raise SystemExit(f"CKAN's schema.xml changed: expected one {VERSION_FIELD!r} in {source}")
        schema = schema.replace(VERSION_FIELD, CLOUD_VERSION_FIELD)
    return schema


if __name__ == "__main__":
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        out.write(build(cloud="--cloud" in sys.argv[2:]))
