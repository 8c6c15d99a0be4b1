"""The snapshot as an email, and its delivery over SMTP (STARTTLS, TLS or, asked for by name,
plain text, and login from the settings).

The body is multipart/alternative: plain text, then the HTML with its charts as PNG parts it
points at by Content-ID (multipart/related), which mail clients show inline where they block
data URIs. The HTML file, charts embedded, is attached as well: it opens in any browser, offline.

A send that fails for a reason that may pass (connection refused or dropped, a 4xx reply) is
retried with growing waits; a permanent refusal (5xx: bad login, unknown recipient) is not,
since repeating it cannot help. Either way the caller gets `NotSent` with the last reason.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Iterable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from chairside.core.settings import SmtpSettings
from chairside.presentation.snapshot.images import Image


class NotSent(RuntimeError):
    """The snapshot could not be delivered; the message says why and after how many tries."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


def compose(
    *,
    sender: str,
    recipient: str,
    subject: str,
    text: str,
    html: str,
    filename: str,
    attachment: str | None = None,
    images: Iterable[Image] = (),
) -> EmailMessage:
    """`html` is the mail's own HTML (its images by `cid:`); `attachment`, the file's (images
    embedded), defaults to `html`."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    html_part = message.get_payload()[1]
    for image in images:
        html_part.add_related(image.png, "image", "png", cid=f"<{image.cid}>", disposition="inline")
    message.add_attachment(attachment or html, subtype="html", filename=filename)
    return message


def send(
    message: EmailMessage,
    smtp: SmtpSettings,
    *,
    attempts: int = 3,
    first_wait: float = 2.0,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Deliver `message`; return the attempt that succeeded, or raise `NotSent`."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    attempt = 1
    while True:
        try:
            _deliver(message, smtp, timeout)
            return attempt
        except (smtplib.SMTPException, OSError) as error:
            if not worth_retrying(error) or attempt == attempts:
                raise NotSent(
                    f"not sent to {message['To']} via {smtp.host}:{smtp.port} after "
                    f"{attempt} attempt{'s' if attempt > 1 else ''}: {_reason(error)}",
                    attempt,
                ) from error
        sleep(first_wait * 2 ** (attempt - 1))
        attempt += 1


def _deliver(message: EmailMessage, smtp: SmtpSettings, timeout: float) -> None:
    if smtp.security == "ssl":
        client = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=timeout)
    with client:
        if smtp.security == "starttls":
            # a server without STARTTLS raises here, before any credential is sent
            client.starttls(context=ssl.create_default_context())
        if smtp.username:
            client.login(smtp.username, smtp.password or "")
        client.send_message(message)


def worth_retrying(error: Exception) -> bool:
    """A 4xx reply, a dropped or refused connection, a timeout: yes. A 5xx reply, a server
    without STARTTLS or an untrusted certificate: no, the next try would fail the same way."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException | ssl.SSLCertVerificationError):
        return False  # SMTPException is an OSError too: decided before the catch-all below
    return isinstance(error, OSError)


def _reason(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error
        text = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        return f"{error.smtp_code} {text}"
    return f"{type(error).__name__}: {error}"
