"""An example's image: a file uploaded into CKAN's storage (``/uploads/kalmar_reuse/<file>``, through
CKAN's uploader, which checks the type from the content) or the address of an image elsewhere (http/https).
PNG, JPEG, WebP or GIF, at most ``MAX_MB`` MB."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import uploader

OBJECT_TYPE = "kalmar_reuse"  # allowed types: ckan.upload.kalmar_reuse.mimetypes (config_declaration.yaml)
MAX_MB = 2


def is_uploaded(image_url: str) -> bool:
    return bool(image_url) and "/" not in image_url


def address(image_url: str) -> str:
    """Where a browser finds the image."""
    if is_uploaded(image_url):
        return tk.h.url_for_static(f"uploads/{OBJECT_TYPE}/{image_url}", qualified=True)
    return image_url


def prepare(data_dict: dict[str, Any], old_image: str | None = None) -> Any:
    """Takes the uploaded file (``image_upload``) out of ``data_dict`` and puts its stored name in
    ``image_url``; the file is written only by ``store_file`` after everything else was accepted.
    Raises a ValidationError in Swedish for a file of another type."""
    upload = uploader.get_uploader(OBJECT_TYPE, old_image if old_image and is_uploaded(old_image) else None)
    try:
        upload.update_data_dict(data_dict, "image_url", "image_upload", "clear_upload")
    except tk.ValidationError:
        raise tk.ValidationError({"image_upload": [tk._("The image must be a PNG, JPEG, WebP or GIF file")]})
    return upload


def store_file(upload: Any) -> None:
    try:
        upload.upload(MAX_MB)
    except tk.ValidationError:
        raise tk.ValidationError({"image_upload": [tk._("The image may be at most {limit} MB").format(
            limit=MAX_MB)]})
