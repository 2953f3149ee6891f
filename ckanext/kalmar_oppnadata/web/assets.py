"""The web assets: images that other plugins' stylesheets refer to, where the browser looks for them; and,
in production, the assets built once per web process rather than checked on every page (``build_once``).

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
import threading
from pathlib import Path

import yaml
from flask import Blueprint, send_from_directory

import ckan.plugins.toolkit as tk
from ckan.lib import webassets_tools

log = logging.getLogger(__name__)

__all__ = ["asset_files"]

BUILT_ONCE = "ckanext.kalmar_oppnadata.webassets_built_once"

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


def build_once(app) -> None:
    """With ``ckanext.kalmar_oppnadata.webassets_built_once``: the web assets built once per web process, at
    its first request, and from then on not checked on every page. Called once the application is made
    (the plugin's ``make_middleware``), when CKAN's bundles are registered too; the work is done at the
    first request, so the ``ckan`` commands that make the application but serve no pages (the jobs
    workers, the harvest consumers, ``kalmar upkeep``) never build (nor race the web processes' writes)."""
    if not tk.asbool(tk.config.get(BUILT_ONCE)):
        return
    lock = threading.Lock()
    done = threading.Event()

    def before_first_page() -> None:
        if done.is_set():
            return
        with lock:  # the process's other threads wait for the one build
            if not done.is_set():
                _build_all(webassets_tools.env)  # the environment of now, not of when the app was made
                done.set()

    if not hasattr(app, "before_request"):  # another plugin's middleware came first: no Flask app to tell
        log.warning("%s: the application is wrapped by another plugin; assets are checked on every page", BUILT_ONCE)
        return
    app.before_request(before_first_page)


def _build_all(env) -> None:
    """Every registered bundle built where its files changed, as CKAN would on the first page that includes
    it, and its address (with its version) kept in the bundle; then webassets' ``auto_build`` turned off, so
    a page no longer compares each bundle's files with its built copy, and takes the address kept. If a
    bundle cannot be built, ``auto_build`` stays on: every page then checks and builds as CKAN does
    without this setting, so a passing failure (a full disk, a file being written) mends itself."""
    failed = []
    for bundle in env:
        try:
            bundle.urls()  # builds if needed, and keeps the version in the bundle
        except Exception:  # noqa: BLE001 - any failure leaves the checks on; the page reports it
            log.exception("could not build the web asset bundle %s", bundle.output)
            failed.append(str(bundle.output))
    if failed:
        log.error("web assets not built once (%s): pages check and build them as CKAN does", ", ".join(failed))
        return
    env.auto_build = False


@asset_files.route(f"{URL_PREFIX}/<library>/<path:filename>")
def image(library: str, filename: str):
    """An image from one of ``LIBRARIES``' folders (the addresses ``cssrewrite`` writes)."""
    folder = library_folder(library) if library in LIBRARIES else None
    if folder is None or Path(filename).suffix.lower() not in IMAGE_SUFFIXES:
        tk.abort(404)
    return send_from_directory(folder, filename, max_age=86400)
