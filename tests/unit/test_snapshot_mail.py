"""The snapshot email's shape, and which SMTP failures are worth another try."""

import smtplib
import socket
import ssl

import pytest

from chairside.core.settings import SmtpSettings
from chairside.presentation.snapshot import mail
from chairside.presentation.snapshot.images import Image

CHART = Image(cid="forecast-revenue_total@water-st", png=b"\x89PNG\r\n\x1a\nchart", alt="Revenue")


def message():
    return mail.compose(
        sender="chairside@example.com",
        recipient="owner@example.com",
        subject="Water St: the week of Mon 9 Nov to Sun 15 Nov 2026",
        text="Visits: 191",
        html=f'<!DOCTYPE html><html><body><img src="{CHART.cid_uri()}"></body></html>',
        attachment=f'<!DOCTYPE html><html><body><img src="{CHART.data_uri()}"></body></html>',
        images=[CHART],
        filename="owner-snapshot-2026-11-09.html",
    )


def test_the_email_has_text_html_its_images_and_the_file_attached() -> None:
    email = message()
    assert (email["From"], email["To"]) == ("chairside@example.com", "owner@example.com")
    assert email["Message-ID"].endswith("@example.com>")
    assert email.get_body(preferencelist=("plain",)).get_content().strip() == "Visits: 191"
    html = email.get_body(preferencelist=("related", "html"))
    assert html.get_content_type() == "multipart/related"
    (page, image) = html.iter_parts()
    assert 'src="cid:forecast-revenue_total@water-st"' in page.get_content()
    assert image["Content-ID"] == "<forecast-revenue_total@water-st>"
    assert image.get_content() == CHART.png
    (attachment,) = email.iter_attachments()
    assert attachment.get_filename() == "owner-snapshot-2026-11-09.html"
    assert attachment.get_content_type() == "text/html"
    assert CHART.data_uri() in attachment.get_content()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe closes


def test_a_refused_connection_is_retried_with_growing_waits_then_reported() -> None:
    smtp = SmtpSettings("127.0.0.1", closed_port(), None, None, "c@example.com", "plain")
    waits: list[float] = []
    with pytest.raises(mail.NotSent, match="after 3 attempts: ConnectionRefusedError") as failed:
        mail.send(message(), smtp, attempts=3, first_wait=1.5, sleep=waits.append)
    assert failed.value.attempts == 3
    assert waits == [1.5, 3.0]


@pytest.mark.parametrize(
    ("error", "worth_retrying"),
    [
        (smtplib.SMTPServerDisconnected("gone"), True),
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPResponseException(421, b"busy"), True),
        (smtplib.SMTPAuthenticationError(535, b"bad credentials"), False),
        (smtplib.SMTPRecipientsRefused({"a@x": (550, b"no such user")}), False),
        (smtplib.SMTPRecipientsRefused({"a@x": (451, b"greylisted")}), True),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), False),
        (ssl.SSLCertVerificationError("self-signed"), False),
    ],
)
def test_only_failures_that_may_pass_are_retried(error: Exception, worth_retrying: bool) -> None:
    assert mail.worth_retrying(error) is worth_retrying


def test_at_least_one_attempt() -> None:
    smtp = SmtpSettings("127.0.0.1", closed_port(), None, None, "c@example.com", "plain")
    with pytest.raises(ValueError, match="at least 1"):
        mail.send(message(), smtp, attempts=0)


class Accepting:
    """aiosmtpd handler that takes every message."""

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's)
        return "250 OK"


def test_a_server_without_tls_never_sees_the_password() -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    logins: list[object] = []

    def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
        logins.append(auth_data)
        return AuthResult(success=True)

    port = closed_port()
    controller = Controller(
        Accepting(),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_require_tls=False,  # a server that would take a password in clear
    )
    controller.start()
    try:
        smtp = SmtpSettings("127.0.0.1", port, "owner", "secret", "c@example.com", "starttls")
        with pytest.raises(mail.NotSent, match="STARTTLS"):
            mail.send(message(), smtp, attempts=1)
        assert logins == []
        plain = SmtpSettings("127.0.0.1", port, "owner", "secret", "c@example.com", "plain")
        mail.send(message(), plain, attempts=1)  # asked for by name: it logs in
        assert len(logins) == 1
    finally:
        controller.stop()
