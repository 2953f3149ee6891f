"""Mail, delivered to a real SMTP server on loopback: CKAN's own mails go through the portal's sending
(mail/smtp.py), and under STARTTLS the server's certificate is verified, so a server the portal does not
trust gets nothing."""
from __future__ import annotations

import ssl

import pytest
import trustme

from ckan.common import config
from ckan.tests import factories

from ckanext.kalmar_oppnadata.mail import smtp

from .mailserver import MailServer

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")


@pytest.fixture
def authority():
    return trustme.CA()


def _server_tls(authority) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def mail_settings(monkeypatch):
    def use(server: MailServer, starttls: bool = False, ca_file: str = ""):
        monkeypatch.setitem(config, "smtp.server", server.address)
        monkeypatch.setitem(config, "smtp.starttls", starttls)
        monkeypatch.setitem(config, "smtp.mail_from", "noreply@oppnadata.kalmar.test")
        monkeypatch.setitem(config, "ckanext.kalmar_oppnadata.smtp_ca_file", ca_file)
    return use


def _message(to: str = "mottagare@example.org"):
    return smtp.compose(to, "Mottagare", "Prov", "Hej från portalen")


def test_password_reset_mail_is_delivered_in_swedish_with_a_working_link(app, mail_settings):
    user = factories.User(email="anna.andersson@example.org")
    with MailServer() as server:
        mail_settings(server)
        response = app.post("/user/reset", data={"user": "anna.andersson@example.org"})
        assert response.status_code == 200
        delivered = server.mailbox.wait_for(1)
    assert len(delivered) == 1
    mail = delivered[0]
    assert mail.recipients == ["anna.andersson@example.org"]
    assert mail.message["From"].addresses[0].addr_spec == "noreply@oppnadata.kalmar.test"
    assert mail.message["From"].addresses[0].display_name == "Öppna data i Kalmar län"
    assert mail.message["Subject"] == "Återställ ditt lösenord – Öppna data i Kalmar län"
    assert mail.text.startswith(f"Hej {user['name']}!\n\nDu har bett om att få återställa ditt lösenord")
    link = next(word for word in mail.text.split() if "/user/reset/" in word)
    assert link.startswith(config["ckan.site_url"] + "/user/reset/" + user["id"] + "?key=")
    assert app.get(link.removeprefix(config["ckan.site_url"])).status_code == 200


def test_starttls_to_a_trusted_server_delivers_over_tls(authority, mail_settings, tmp_path):
    ca_file = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    with MailServer(tls=_server_tls(authority)) as server:
        mail_settings(server, starttls=True, ca_file=str(ca_file))
        smtp.send(_message())
        delivered = server.mailbox.wait_for(1)
    assert [(d.recipients, d.over_tls) for d in delivered] == [(["mottagare@example.org"], True)]
    assert delivered[0].text.strip() == "Hej från portalen"


def test_starttls_to_an_untrusted_server_sends_nothing(authority, mail_settings):
    # The server's certificate is signed by an authority the portal was not told to trust.
    with MailServer(tls=_server_tls(authority)) as server:
        mail_settings(server, starttls=True)
        with pytest.raises(smtp.MailNotSent, match="not trusted"):
            smtp.send(_message())
        assert server.mailbox.delivered == []


def test_starttls_required_but_not_offered_sends_nothing(mail_settings):
    with MailServer() as server:
        mail_settings(server, starttls=True)
        with pytest.raises(smtp.MailNotSent, match="STARTTLS"):
            smtp.send(_message())
        assert server.mailbox.delivered == []


def test_a_reset_request_with_an_untrusted_server_tells_the_user_and_delivers_nothing(app, authority,
                                                                                     mail_settings):
    factories.User(email="bo.berg@example.org")
    with MailServer(tls=_server_tls(authority)) as server:
        mail_settings(server, starttls=True)
        response = app.post("/user/reset", data={"user": "bo.berg@example.org"})
        assert server.mailbox.delivered == []
    assert response.status_code == 200
    assert "E-postmeddelandet kunde inte skickas. Försök igen senare" in response.body
