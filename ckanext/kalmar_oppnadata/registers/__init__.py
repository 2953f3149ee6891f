"""The registers the portal is built on, shipped as package data (``data/``, ``vocabularies/``) and read
with plain functions: ``organizations`` (the county's organizations, publisher URIs), ``vocabularies``
(SKOS), ``licenses``, ``specifications`` (national specifications and their Table Schemas),
``requested_datasets`` (the study's 28), ``identifiers`` and ``geometry`` (the values they hold), and
``demo`` (the demo collection).
"""
