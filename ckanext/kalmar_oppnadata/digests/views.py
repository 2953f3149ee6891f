"""Subscribing (a form on the dataset, organization and goal pages), confirming and unsubscribing."""
from __future__ import annotations

from flask import Blueprint, redirect

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import current_language
from ckanext.kalmar_oppnadata.dialog import guard
from ckanext.kalmar_oppnadata.digests import changes, sending, store, tokens
from ckanext.kalmar_oppnadata.jobs import queue

subscription_pages = Blueprint("kalmar_subscriptions", __name__)


def _back(topic_type: str, topic: str) -> str:
    if topic_type == "dataset":
        return tk.h.url_for("dataset.read", id=topic)
    if topic_type == "organization":
        return tk.h.url_for("organization.read", id=topic)
    return tk.h.url_for("kalmar_agenda2030.goal", goal=topic)


@subscription_pages.route("/prenumerera", methods=["POST"])
def subscribe():
    form = tk.request.form
    topic_type, topic = form.get("topic_type", ""), form.get("topic", "")
    email = (form.get("email") or "").strip()
    if topic_type not in store.TOPIC_TYPES or changes.topic_title(topic_type, topic, "sv") is None:
        tk.abort(404, tk._("There is nothing public to follow here"))
    back = _back(topic_type, topic)
    if form.get(guard.HONEYPOT):
        tk.h.flash_success(tk._("We have sent you an e-mail with a link to confirm the subscription."))
        return redirect(back)
    if not guard.EMAIL.match(email) or len(email) > guard.MAX_EMAIL:
        tk.h.flash_error(tk._("Your e-mail address") + ": " +
                         tk._("Give an e-mail address we can answer to, e.g. namn@example.se"))
        return redirect(back)
    try:
        over = guard.over_limit(guard.client_address(), email, f"{topic_type}:{topic}")
    except guard.TooMany:
        over = True
    if over:
        return tk.render("digests/result.html", {"message": tk._(
            "Too many messages have been sent from here or about this dataset. Please try again in an hour."),
            "error": True}), 429
    subscription = store.add(email, topic_type, topic, current_language())
    if not subscription["confirmed"]:
        queue.enqueue_unique(sending.send_confirmation, f"kalmar-subscription-{subscription['id']}",
                             "Mail a subscription's confirmation link", [subscription["id"]])
    tk.h.flash_success(tk._("We have sent you an e-mail with a link to confirm the subscription."))
    return redirect(back)


@subscription_pages.route("/prenumerera/bekrafta/<token>")
def confirm(token: str):
    subscription_id = tokens.read("confirm", token)
    subscription = store.get(subscription_id) if subscription_id else None
    if subscription is None:
        return tk.render("digests/result.html", {"message": tk._(
            "The link is not valid (any more). Subscribe again if you want to follow this."), "error": True}), 404
    store.confirm(subscription["id"])
    title = changes.topic_title(subscription["topic_type"], subscription["topic"], current_language()) or ""
    return tk.render("digests/result.html", {"message": tk._(
        "Thank you! You will get at most one e-mail a day when {title} changes.").format(title=title)})


@subscription_pages.route("/prenumerera/avsluta/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    subscription_id = tokens.read("unsubscribe", token)
    if subscription_id is None:
        return tk.render("digests/result.html", {"message": tk._(
            "The link is not valid (any more). Subscribe again if you want to follow this."), "error": True}), 404
    store.remove(subscription_id)  # one click: nothing to confirm, nothing left
    return tk.render("digests/result.html", {"message": tk._("You no longer follow this. No more mail about it.")})
