"""Bringing the municipalities' own DCAT-AP-SE catalogs in (ckanext-harvest with ckanext-dcat's RDF harvester).

- ``provenance``: which harvest source a dataset came from (ckanext-harvest's current harvest object).
- ``hooks``: the steps our plugin adds to ckanext-dcat's RDF harvester (``IDCATRDFHarvester``): harvested
  datasets land in the source's organization, public and marked with their source, and a dataset URI that
  already belongs to another source or to a dataset made here is reported instead of taken over.
"""
