"""The catalog Sveriges dataportal harvests: DCAT-AP-SE 3.0.1.

- ``profile``: the ckanext-dcat profile ``dcat_ap_se``, composed of the EU DCAT-AP 3 steps fed a Swedish
  view of the dataset (``mapping``) plus Swedish steps;
- ``documents``: the complete catalogs (the portal's and each organization's) in RDF/XML, Turtle, JSON-LD;
- ``serializers``: Turtle for whole catalogs in time proportional to the catalog;
- ``keeping`` and ``parts``: each public dataset's description kept serialized (a part per format), and the
  documents streamed from a header, the parts and a footer;
- ``listing``: which public datasets a document covers, kept between builds and read again only where
  the index says something changed;
- ``refresh``: the background job that keeps the documents current after a change;
- ``caching``: kept documents, assembled again when what they show changes, one build at a time across
  processes (and served while Solr is down);
- ``shacl`` (with the shapes in ``shapes/``): is a catalog harvestable? SHACL and the Swedish rules.
"""
