"""The subscription mails: the confirmation of an address, and the daily digest (at most one a day per
address, only when something really changed, only about public datasets), each with signed one-click
unsubscribe links (also as List-Unsubscribe, RFC 8058)."""
from __future__ import annotations

import itertools
import logging
from datetime import timedelta
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.kalmar_oppnadata.common import portal_gettext
from ckanext.kalmar_oppnadata.digests import changes, store, tokens
from ckanext.kalmar_oppnadata.mail import smtp

log = logging.getLogger(__name__)

DAY = timedelta(days=1)


def _site() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def link(purpose: str, subscription_id: str) -> str:
    route = {"confirm": "bekrafta", "unsubscribe": "avsluta"}[purpose]
    return f"{_site()}/prenumerera/{route}/{tokens.sign(purpose, subscription_id)}"


def _unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _in(lang: str):
    """A gettext for the subscriber's language (the language of the page they subscribed on)."""
    return lambda message: portal_gettext(message, lang)


def send_confirmation(subscription_id: str) -> None:
    subscription = store.get(subscription_id)
    if not subscription or subscription["confirmed"]:
        return
    _ = _in(subscription["lang"])
    title = changes.topic_title(subscription["topic_type"], subscription["topic"], subscription["lang"])
    if title is None:
        return
    unsubscribe = link("unsubscribe", subscription_id)
    body = "\n\n".join([
        _("Someone, hopefully you, asked to hear by e-mail when {title} changes on {site}.").format(
            title=title, site=tk.config.get("ckan.site_title")),
        _("Confirm the subscription by opening this link:") + "\n" + link("confirm", subscription_id),
        _("If it was not you, do nothing: without a confirmation you get no more mail from us."),
    ])
    smtp.send(smtp.compose(subscription["email"], "", _("Confirm your subscription to {title}").format(title=title),
                           body, headers=_unsubscribe_headers(unsubscribe)))


def _section(subscription: dict[str, Any], title: str, found: dict[str, list[dict[str, Any]]]) -> str:
    _ = _in(subscription["lang"])
    lines = [title]
    for label, datasets in ((_("New datasets:"), found["new"]), (_("Updated datasets:"), found["changed"])):
        if datasets:
            lines.append(label)
            lines += [f"  - {d['title']}: {_site()}/dataset/{d['name']}" for d in datasets]
    lines.append(_("Stop following {title}:").format(title=title) + " " + link("unsubscribe", subscription["id"]))
    return "\n".join(lines)


def send_due() -> int:
    """Send each address its digest if a day has passed since its last one and something changed. Returns
    the number of mails sent."""
    moment = store.now()
    sent = 0
    for email, group in itertools.groupby(store.due(moment - DAY), key=lambda s: s["email"]):
        sections, covered = [], []
        for subscription in group:
            title = changes.topic_title(subscription["topic_type"], subscription["topic"], subscription["lang"])
            found = changes.since(subscription["topic_type"], subscription["topic"], subscription["last_sent"]) \
                if title else {"new": [], "changed": []}
            if found["new"] or found["changed"]:
                sections.append(_section(subscription, title, found))
                covered.append(subscription["id"])
        if not sections:
            continue
        _ = _in(subscription["lang"])  # the language of the address's latest subscription
        body = "\n\n".join([_("What has changed on {site} in what you follow:").format(
            site=tk.config.get("ckan.site_title"))] + sections)
        try:
            smtp.send(smtp.compose(email, "", _("News from {site}").format(site=tk.config.get("ckan.site_title")),
                                   body, headers=_unsubscribe_headers(link("unsubscribe", covered[0]))))
        except smtp.MailNotSent as error:  # tried again with the next run
            log.warning("digest to a subscriber not sent: %s", error)
            continue
        for subscription_id in covered:
            store.sent(subscription_id, moment)
        sent += 1
    return sent
