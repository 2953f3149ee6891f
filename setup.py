from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-kalmar_oppnadata",
    version="0.1.0",
    description="Öppna data i Kalmar län: CKAN extension for the regional open-data portal "
    "(DCAT-AP-SE 3.0.1, Agenda 2030, municipalities as organizations)",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=find_namespace_packages(include=["ckanext", "ckanext.*"]),
    include_package_data=True,
    package_data={
        "ckanext.kalmar_oppnadata": [
            "*.yaml",
            "*.yml",
            "schemas/*.yaml",
            "schemas/*.json",
            "registers/vocabularies/*.ttl",
            "catalog/shapes/*",
            "data/*",
            "templates/**/*.html",
            "templates/*.html",
            "public/**/*",
            "assets/**/*",
            "i18n/*.pot",
            "i18n/**/*.po",
            "i18n/**/*.mo",
            "migration/**/*",
        ]
    },
    install_requires=[
        "ckanext-dcat==2.4.4",
        "ckanext-scheming==3.1.0",
        "ckanext-spatial==2.3.2",
        "ckanext-geoview==0.3.2",
    ],
    entry_points={
        "ckan.plugins": [
            "kalmar_oppnadata = ckanext.kalmar_oppnadata.plugin:KalmarOppnadataPlugin",
        ],
        "ckan.rdf.profiles": [
            "dcat_ap_se = ckanext.kalmar_oppnadata.catalog.profile:SwedishDCATAPProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
)
