"""DCAT-AP-SE 3.0.1 for Sveriges dataportal: a ckanext-dcat profile (``profile.py``) composed of the EU
DCAT-AP 3 steps fed a Swedish view of the dataset (``mapping.py``) plus Swedish steps."""
