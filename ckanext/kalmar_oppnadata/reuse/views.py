"""The examples' pages: the list (``/anvandningsexempel``), one page per example, the form anyone may
propose one with (``/anvandningsexempel/foresla``), and the region's moderation (``.../moderera``)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.dialog import guard
from ckanext.kalmar_oppnadata.dialog.views import TOO_MANY
from ckanext.kalmar_oppnadata.logic.region import is_region
from ckanext.kalmar_oppnadata.reuse import store

reuse_pages = Blueprint("kalmar_reuse", __name__)

FORM_FIELDS = ("title", "description", "url", "kind", "image_url", "datasets", "name", "email")


def _context() -> dict[str, Any]:
    return {"user": tk.g.user}


def dataset_names(text: str) -> list[str]:
    """The datasets named in the form, one per line: a name, or the address of its page."""
    names = []
    for line in text.replace(",", "\n").splitlines():
        line = line.strip().rstrip("/")
        if "/dataset/" in line:
            line = line.split("/dataset/", 1)[1].split("/")[0].split("?")[0].split("#")[0]
        if line:
            names.append(line)
    return names


@reuse_pages.route("/anvandningsexempel", methods=["GET"])
def index():
    examples = tk.get_action("reuse_list")(_context(), {})
    return tk.render("reuse/index.html", {"examples": examples, "kinds": store.KINDS,
                                          "region": is_region(tk.g.user)})


@reuse_pages.route("/anvandningsexempel/foresla", methods=["GET", "POST"])
def propose():
    values: dict[str, Any] = {"datasets": tk.request.args.get("dataset", "")}
    errors: dict[str, list[str]] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        values = {field: form.get(field, "") for field in FORM_FIELDS}
        if form.get(guard.HONEYPOT):  # a bot: thanked, nothing kept
            tk.h.flash_success(tk._("Thank you! The region will look at your example before it is shown."))
            return redirect(tk.h.url_for("kalmar_reuse.index"))
        data = dict(values, datasets=dataset_names(values["datasets"]))
        image = tk.request.files.get("image_upload")
        if image is not None and image.filename:
            data["image_upload"] = image
        try:
            example = tk.get_action("reuse_create")(_context(), data)
        except tk.ValidationError as error:
            errors = error.error_dict
        except guard.TooMany:
            return tk.render("reuse/propose.html", {"values": values, "errors": {}, "kinds": store.KINDS,
                                                    "too_many": tk._(TOO_MANY)}), 429
        else:
            if example["state"] == store.APPROVED:
                tk.h.flash_success(tk._("The example is published."))
                return redirect(tk.h.url_for("kalmar_reuse.read", id=example["id"]))
            tk.h.flash_success(tk._("Thank you! The region will look at your example before it is shown."))
            return redirect(tk.h.url_for("kalmar_reuse.index"))
    status = 400 if errors else 200
    return tk.render("reuse/propose.html", {"values": values, "errors": errors, "kinds": store.KINDS}), status


@reuse_pages.route("/anvandningsexempel/moderera", methods=["GET"])
def moderation():
    try:
        pending = tk.get_action("reuse_list")(_context(), {"state": [store.PENDING]})
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the region moderates examples of use"))
    return tk.render("reuse/moderate.html", {"examples": pending})


@reuse_pages.route("/anvandningsexempel/<id>", methods=["GET"])
def read(id: str):
    try:
        example = tk.get_action("reuse_show")(_context(), {"id": id})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Example of use not found"))
    return tk.render("reuse/read.html", {"example": example, "region": is_region(tk.g.user)})


@reuse_pages.route("/anvandningsexempel/<id>/moderera", methods=["POST"])
def moderate(id: str):
    form = tk.request.form
    try:
        example = tk.get_action("reuse_moderate")(_context(), {"id": id, "decision": form.get("decision", ""),
                                                               "reason": form.get("reason", "")})
    except tk.ObjectNotFound:
        tk.abort(404, tk._("Example of use not found"))
    except tk.NotAuthorized:
        tk.abort(403, tk._("Only the region moderates examples of use"))
    except tk.ValidationError as error:
        tk.h.flash_error(" ".join(m for messages in error.error_dict.values() for m in messages))
    else:
        tk.h.flash_success((tk._("{title} is published.") if example["state"] == store.APPROVED
                            else tk._("{title} was declined.")).format(title=example["title"]))
    return redirect(tk.h.url_for("kalmar_reuse.moderation"))
