"""The web assets: images that other plugins' stylesheets refer to, where the browser looks for them; and,
in production, the assets built once per process rather than checked on every page (``build_at_start``).

ckanext-spatial (Leaflet and Leaflet.draw), ckanext-geoview (Leaflet) and CKAN's datatables_view bundle
stylesheets that name their images by relative address (``url(images/spritesheet.svg)``) without webassets'
``cssrewrite`` filter, which CKAN's own vendor bundles use. Served as ``/webassets/<library>/<bundle>.css``,
they made the browser ask for ``/webassets/<library>/images/...``, which does not exist: a 404 on every map
page, blank draw buttons on the dataset form and no default marker icon.

Here those bundles get the same ``cssrewrite`` filter, and each library's folder is mapped to
``/kalmar-assets/<library>/``, where ``asset_files`` serves its images (nothing else). Called from the
plugin's ``update_config``, which runs after the other plugins' (``kalmar_oppnadata`` is first in
``ckan.plugins``), so their bundles are registered by then.
"""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import yaml
from flask import Blueprint, send_from_directory

import ckan.plugins.toolkit as tk
from ckan.lib import webassets_tools

log = logging.getLogger(__name__)

__all__ = ["asset_files"]

BUILT_AT_START = "ckanext.kalmar_oppnadata.webassets_built_at_start"

# Library name (as the plugin registers it with ``add_resource``) → (its package, the folder of its assets).
LIBRARIES = {
    "ckanext-spatial": ("ckanext.spatial", "assets"),
    "ckanext-geoview": ("ckanext.geoview", "public"),
    "ckanext-datatablesview": ("ckanext.datatablesview", "assets"),
}
URL_PREFIX = "/kalmar-assets"
IMAGE_SUFFIXES = {".png", ".svg", ".gif", ".jpg", ".jpeg", ".webp", ".cur"}

asset_files = Blueprint("kalmar_assets", __name__)


def library_folder(library: str) -> Path | None:
    """The folder of the library's assets in its installed package (None if the package is not installed)."""
    package, folder = LIBRARIES[library]
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / folder


def _stylesheet_bundles(folder: Path) -> list[str]:
    """The names of the library's bundles whose output is a stylesheet, from its webassets.yml."""
    for name in ("webassets.yaml", "webassets.yml"):
        if (folder / name).exists():
            bundles = yaml.safe_load((folder / name).read_text("utf-8")) or {}
            return [key for key, bundle in bundles.items() if str(bundle.get("output", "")).endswith(".css")]
    return []


def rewrite_stylesheet_urls() -> None:
    """Give the stylesheet bundles of ``LIBRARIES`` webassets' ``cssrewrite`` filter, and tell it where each
    library's folder is served."""
    for library in LIBRARIES:
        folder = library_folder(library)
        if folder is None or not folder.is_dir():
            continue
        webassets_tools.add_public_path(str(folder), f"{URL_PREFIX}/{library}/")
        for key in _stylesheet_bundles(folder):
            name = f"{library}/{key}"
            if not webassets_tools.is_registered(name):
                continue
            bundle = webassets_tools.env[name]
            if "cssrewrite" not in [f.name for f in bundle.filters]:
                bundle.filters = list(bundle.filters) + ["cssrewrite"]


def build_at_start() -> None:
    """With ``ckanext.kalmar_oppnadata.webassets_built_at_start``: every registered bundle built now where its
    files changed, as CKAN would on the first page that includes it, and its address (with its version)
    kept; then webassets' ``auto_build`` is turned off, so a page no longer compares each bundle's files
    with its built copy (webassets then takes the built copy as current, and the address it keeps). Called
    once the application is made (the plugin's ``make_middleware``), when CKAN's bundles are registered
    too. A bundle that cannot be built is logged and left to CKAN, as on a page."""
    if not tk.config.get(BUILT_AT_START):
        return
    env = webassets_tools.env
    for bundle in env:
        try:
            bundle.urls()  # builds if needed, and keeps the version in the bundle
        except Exception:  # noqa: BLE001 - the page that includes it reports it, as without this option
            log.exception("could not build the web asset bundle %s", bundle.output)
    env.auto_build = False


@asset_files.route(f"{URL_PREFIX}/<library>/<path:filename>")
def image(library: str, filename: str):
    """An image from one of ``LIBRARIES``' folders (the addresses ``cssrewrite`` writes)."""
    folder = library_folder(library) if library in LIBRARIES else None
    if folder is None or Path(filename).suffix.lower() not in IMAGE_SUFFIXES:
        tk.abort(404)
    return send_from_directory(folder, filename, max_age=86400)
