"""Sending one message to the configured SMTP server, with a verified TLS connection.

CKAN's own settings say where mail goes (``smtp.server``, ``smtp.starttls``, ``smtp.user``,
``smtp.password``, ``smtp.mail_from``, ``smtp.reply_to``). With ``smtp.starttls`` on, the connection is put
into TLS with a context that checks the server's certificate and name against the system's trusted
authorities, or against ``ckanext.kalmar_oppnadata.smtp_ca_file`` when the region's mail server uses its
own authority. A server without STARTTLS, or whose certificate does not verify, gets no message.
"""
from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from email import utils
from email.message import EmailMessage
from typing import Any, Iterable

import ckan.plugins.toolkit as tk
from ckan.lib.mailer import MailerException

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30


class MailNotSent(MailerException):
    """The message did not reach the SMTP server; the text says why (for the operator's log)."""


def tls_context() -> ssl.SSLContext:
    """A client context that verifies the server's certificate and host name."""
    ca_file = tk.config.get("ckanext.kalmar_oppnadata.smtp_ca_file") or None
    return ssl.create_default_context(cafile=ca_file)


def _server() -> tuple[str, int]:
    value = (tk.config.get("smtp.server") or "").strip()
    if not value:
        raise MailNotSent("smtp.server is not configured")
    host, _, port = value.partition(":")
    return host, int(port or 25)


def compose(recipient_email: str, recipient_name: str, subject: str, body: str,
            body_html: str | None = None, headers: dict[str, Any] | None = None,
            attachments: Iterable[tuple[Any, ...]] = ()) -> EmailMessage:
    message = EmailMessage()
    message.set_content(body)
    if body_html:
        message.add_alternative(body_html, subtype="html")
    for name, value in (headers or {}).items():
        if name in message:
            message.replace_header(name, value)
        else:
            message[name] = value
    message["Subject"] = subject
    message["From"] = utils.formataddr((tk.config.get("ckan.site_title") or "", tk.config.get("smtp.mail_from")))
    message["To"] = utils.formataddr((recipient_name or "", recipient_email))
    message["Date"] = utils.formatdate(localtime=True)
    message["Message-ID"] = utils.make_msgid(domain=(tk.config.get("smtp.mail_from") or "localhost").rpartition("@")[2])
    reply_to = tk.config.get("smtp.reply_to")
    if reply_to and "Reply-To" not in message:
        message["Reply-To"] = reply_to
    for attachment in attachments:
        name, stream, *media = attachment
        maintype, _, subtype = (media[0] if media and media[0] else "application/octet-stream").partition("/")
        message.add_attachment(stream.read(), filename=name, maintype=maintype, subtype=subtype)
    return message


def send(message: EmailMessage) -> None:
    """Hand ``message`` to the SMTP server; raise ``MailNotSent`` when it was not accepted."""
    host, port = _server()
    recipients = [address for _, address in utils.getaddresses(message.get_all("To", []))]
    try:
        with smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS) as connection:
            connection.ehlo()
            if tk.asbool(tk.config.get("smtp.starttls")):
                if not connection.has_extn("starttls"):
                    raise MailNotSent(f"the SMTP server {host}:{port} does not offer STARTTLS")
                connection.starttls(context=tls_context())
                connection.ehlo()
            user = tk.config.get("smtp.user")
            if user:
                connection.login(user, tk.config.get("smtp.password") or "")
            connection.send_message(message, from_addr=tk.config.get("smtp.mail_from"), to_addrs=recipients)
    except ssl.SSLError as error:
        raise MailNotSent(f"the SMTP server {host}:{port} was not trusted: {error}") from error
    except (OSError, smtplib.SMTPException, socket.timeout) as error:
        raise MailNotSent(f"the SMTP server {host}:{port} did not take the message: {error!r}") from error
    log.info("mail %r sent to %s", message["Subject"], ", ".join(recipients))


def notify(recipient_name: str, recipient_email: str, subject: str, body: str, body_html: str | None = None,
           headers: dict[str, Any] | None = None, attachments: Iterable[tuple[Any, ...]] | None = None) -> bool:
    """CKAN's ``INotifier`` hook: every mail of CKAN (password reset, invitations) and of the portal."""
    send(compose(recipient_email, recipient_name, subject, body, body_html, headers, attachments or ()))
    return True
