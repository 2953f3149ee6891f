"""The CKAN plugin of Öppna data i Kalmar län.

Only registration lives here: every behaviour is in a module named after its concern
(helpers, logic/, validators, views, cli, …) and picked up through ``toolkit.blanket``.
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckanext.dcat.interfaces import IDCATRDFHarvester, IDCATURIGenerator

from . import jobs, licenses, organizations, resource_views, search, uploads
from .harvesting import hooks as harvesting
from .tables import loading
from .dcat import mapping


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
    p.implements(IDCATURIGenerator, inherit=True)
    p.implements(IDCATRDFHarvester, inherit=True)
    p.implements(p.IResourceView, inherit=True)

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

    def after_resource_create(self, context, resource):
        self._queue_later(context, resource["package_id"])

    def after_resource_update(self, context, resource):
        self._queue_later(context, resource["package_id"])

    def _queue_later(self, context, dataset_id):
        dataset = tk.get_action("package_show")({"ignore_auth": True}, {"id": dataset_id})
        self._queue_jobs(context, dataset)

    def _queue_jobs(self, context, dataset):
        """Check files against the dataset's specification; load table files into the DataStore. Not for
        harvested datasets: their files are the source's to check and serve."""
        if dataset.get("harvest_source_id"):
            return
        jobs.enqueue_if_needed(context, dataset)
        loading.enqueue_if_needed(context, dataset)

    # IPackageController
    def before_dataset_index(self, pkg_dict):
        return harvesting.index_source_validated(search.index_extent(search.index_vocabularies(pkg_dict)))

    def after_dataset_create(self, context, pkg_dict):
        self._queue_jobs(context, pkg_dict)

    def after_dataset_update(self, context, pkg_dict):
        self._queue_jobs(context, pkg_dict)

    def after_dataset_search(self, search_results, search_params):
        return search.label_facets(search_results)

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return search.add_facets(facets_dict)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return search.add_facets(facets_dict)

    # IDCATURIGenerator: the publisher URI by which Sveriges dataportal merges an organization,
    # for every ckanext-dcat profile (ours and the EU ones when asked for with ?profiles=).
    def publisher_uri(self, dataset_dict, default_uri):
        org_id = (dataset_dict.get("organization") or {}).get("id")
        org = organizations.organization(org_id) if org_id else None
        return mapping.publisher_uri(org, default_uri) if org and default_uri else None

    # IDCATRDFHarvester: harvesting other DCAT-AP-SE catalogs (see harvesting/)
    def before_download(self, url, harvest_job):
        return harvesting.check_source_address(url, harvest_job)

    def update_session(self, session):
        return harvesting.guard_redirects(session)

    def after_parsing(self, rdf_parser, harvest_job):
        return harvesting.drop_datasets_held_elsewhere(rdf_parser, harvest_job)

    def before_create(self, harvest_object, dataset_dict, temp_dict):
        harvesting.prepare(harvest_object, dataset_dict, existing=False)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        harvesting.prepare(harvest_object, dataset_dict, existing=True)

    # IResourceView: uploaded CSVs with coordinates on a map (see resource_views.py)
    def info(self):
        return resource_views.info()

    def can_view(self, data_dict):
        return resource_views.can_view(data_dict)

    def setup_template_variables(self, context, data_dict):
        return resource_views.setup_template_variables(context, data_dict)

    def view_template(self, context, data_dict):
        return "kalmar/csv_map_view.html"
