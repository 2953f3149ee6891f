"""The CKAN plugin of Öppna data i Kalmar län.

Only registration lives here: every behaviour is in a module named after its concern
(helpers, logic/, validators, views, cli, …) and picked up through ``toolkit.blanket``.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation

from . import licenses, search, uploads


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers
@tk.blanket.blueprints
@tk.blanket.cli
class KalmarOppnadataPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)

    # IConfigurer
    def update_config(self, config: CKANConfig):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "kalmar_oppnadata")
        # The portal's licence list, unless the operator configured another.
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = "file://" + licenses.data_path()

    # IResourceController
    def before_resource_create(self, context, resource):
        uploads.record_checksum(resource)

    def before_resource_update(self, context, current, resource):
        uploads.record_checksum(resource)
        uploads.forget_stale_checksum(current, resource)

    # IPackageController
    def before_dataset_index(self, pkg_dict):
        return search.index_vocabularies(pkg_dict)

    def after_dataset_search(self, search_results, search_params):
        return search.label_facets(search_results)

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return search.add_facets(facets_dict)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return search.add_facets(facets_dict)
