"""The CKAN plugin of Öppna data i Kalmar län.

Only registration lives here: every behaviour is in the package named after its concern (catalog/, files/,
registers/, search/, overview/, harvesting/, web/, logic/) and is picked up through ``toolkit.blanket``, or
called from the one-line hooks below. Side work after a save comes from CKAN's signals (subscriptions.py).
"""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckanext.dcat.interfaces import IDCATRDFHarvester, IDCATURIGenerator

from ckanext.kalmar_oppnadata import subscriptions
from ckanext.kalmar_oppnadata.catalog import keeping
from ckanext.kalmar_oppnadata.files import checksums, map_view
from ckanext.kalmar_oppnadata.freshness import wording as freshness
from ckanext.kalmar_oppnadata.harvesting import hooks as harvesting
from ckanext.kalmar_oppnadata.mail import smtp
from ckanext.kalmar_oppnadata.registers import licenses, organizations
from ckanext.kalmar_oppnadata.search import facets, fields, indexing
from ckanext.kalmar_oppnadata.web import assets, cli, helpers, views


@tk.blanket.config_declarations
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.helpers(helpers)
@tk.blanket.blueprints(views)
@tk.blanket.cli(cli)
class KalmarOppnadataPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.ISignal)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(IDCATURIGenerator, inherit=True)
    p.implements(IDCATRDFHarvester, inherit=True)
    p.implements(p.IResourceView, inherit=True)
    p.implements(p.INotifier, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config: CKANConfig):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "kalmar_oppnadata")
        # Other plugins' stylesheets whose images were 404s (web/assets.py); their bundles exist by now.
        assets.rewrite_stylesheet_urls()
        # The portal's licence list, unless the operator configured another.
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = "file://" + licenses.data_path()

    # IMiddleware: the web assets built once per web process (webassets_built_once, web/assets.py)
    def make_middleware(self, app, config):
        assets.build_once(app)
        return app

    # ISignal: file checks and DataStore loads, queued after the save has committed
    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()

    # IResourceController
    def before_resource_create(self, context, resource):
        checksums.record_checksum(resource)

    def before_resource_update(self, context, current, resource):
        checksums.record_checksum(resource)
        checksums.forget_stale_checksum(current, resource)

    # IPackageController
    def before_dataset_index(self, pkg_dict):
        pkg_dict = indexing.index_link_checks(indexing.index_freshness(
            indexing.index_extent(indexing.index_vocabularies(indexing.index_time(pkg_dict)))))
        return keeping.index_digest(harvesting.index_source_validated(pkg_dict))

    def after_dataset_show(self, context, pkg_dict):
        return freshness.show(pkg_dict)

    def before_dataset_search(self, search_params):
        return fields.before_search(search_params)

    def after_dataset_search(self, search_results, search_params):
        return fields.after_search(facets.label_facets(freshness.show_in_results(search_results)), search_params)

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return facets.add_facets(facets_dict)

    def organization_facets(self, facets_dict, organization_type, package_type):
        return facets.add_facets(facets_dict)

    # IDCATURIGenerator: the publisher URI by which Sveriges dataportal merges an organization,
    # for every ckanext-dcat profile (ours and the EU ones when asked for with ?profiles=).
    def publisher_uri(self, dataset_dict, default_uri):
        return organizations.publisher_uri_of_dataset(dataset_dict) if default_uri else None

    # IDCATRDFHarvester: harvesting other DCAT-AP-SE catalogs (see harvesting/)
    def before_download(self, url, harvest_job):
        return harvesting.check_source_address(url, harvest_job)

    def update_session(self, session):
        return harvesting.guard_redirects(session)

    def after_download(self, content, harvest_job):
        return harvesting.refuse_json_ld(content, harvest_job)

    def after_parsing(self, rdf_parser, harvest_job):
        return harvesting.drop_datasets_held_elsewhere(rdf_parser, harvest_job)

    def before_create(self, harvest_object, dataset_dict, temp_dict):
        harvesting.prepare(harvest_object, dataset_dict, existing=False)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        harvesting.prepare(harvest_object, dataset_dict, existing=True)

    # IResourceView: uploaded CSVs with coordinates on a map (files/map_view.py)
    def info(self):
        return map_view.info()

    def can_view(self, data_dict):
        return map_view.can_view(data_dict)

    def setup_template_variables(self, context, data_dict):
        return map_view.setup_template_variables(context, data_dict)

    def view_template(self, context, data_dict):
        return "kalmar/csv_map_view.html"

    # INotifier: all mail, CKAN's own included, through the portal's verified SMTP sending (mail/)
    def notify_recipient(self, already_notified, recipient_name, recipient_email, subject, body,
                         body_html=None, headers=None, attachments=None):
        return already_notified or smtp.notify(recipient_name, recipient_email, subject, body, body_html,
                                               headers, attachments)
