"""The owner snapshots through Dagster to a real SMTP server on loopback (aiosmtpd, STARTTLS with
a certificate made here, login required): each owner gets their shop's snapshot, its HTML renders
in Chromium with JavaScript off, and a send that fails is retried, reported, and costs no file."""

import datetime as dt
import email
import email.policy
import ipaddress
import re
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from playwright.sync_api import sync_playwright

from chairside.core.settings import Settings
from orchestration.defs.reports.snapshots import OWNER_SNAPSHOTS_KEY, SENT_CHECK, owner_snapshots
from orchestration.defs.resources import ClockResource, ReleasesResource
from tests.browser import CHROMIUM, CHROMIUM_FLAGS, MISSING
from tests.integration.conftest import DemoBuild
from tests.integration.test_apps_warehouse import add_ml_marts, copy_demo, published

pytestmark = pytest.mark.integration

# Monday 16 Nov 2026, 12:00 UTC: the week of 9 Nov has ended in every demo shop
AS_OF = "2026-11-16"
WEEK = dt.date(2026, 11, 9)
USER, PASSWORD = "chairside", "s3cret"


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, its key, written to `directory`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp.crt", directory / "smtp.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Mailbox:
    """aiosmtpd handler: keeps what it accepts; refuses the first `refusals` deliveries."""

    refusals: int = 0
    received: list[email.message.EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 2.0.0 OK"


def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    accepted = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=accepted, handled=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_env(chairside_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the CHAIRSIDE_SMTP_* settings at a server started by `serve(mailbox)`."""
    cert, key = certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the client trusts this certificate only
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    controllers: list[Controller] = []

    def serve(mailbox: Mailbox) -> None:
        port = free_port()
        controller = Controller(
            mailbox,
            hostname="127.0.0.1",
            port=port,
            tls_context=tls,
            require_starttls=True,
            authenticator=authenticate,
            auth_require_tls=True,
        )
        controller.start()
        controllers.append(controller)
        for name, value in {
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "USERNAME": USER,
            "PASSWORD": PASSWORD,
            "FROM": "snapshots@chairside.example",
            "STARTTLS": "true",
        }.items():
            monkeypatch.setenv(f"CHAIRSIDE_SMTP_{name}", value)

    yield serve
    for controller in controllers:
        controller.stop()


@pytest.fixture
def warehouse(demo_build: DemoBuild, tmp_path: Path) -> Path:
    path = copy_demo(demo_build, tmp_path / "warehouse")
    add_ml_marts(path, WEEK)
    return path


def owners(path: Path) -> dict[str, str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return dict(con.execute("select shop_name, owner_email from marts.dim_shop").fetchall())


def materialize(warehouse: Path, **config: object) -> dg.ExecuteInProcessResult:
    """The snapshot asset on `warehouse`'s marts, published as the release it reads."""
    releases = published(warehouse, warehouse.parent / "releases")
    return dg.materialize(
        [owner_snapshots],
        resources={
            "releases": ReleasesResource(root=str(releases)),
            "clock": ClockResource(as_of=AS_OF),
        },
        run_config={"ops": {OWNER_SNAPSHOTS_KEY.to_python_identifier(): {"config": config}}},
    )


def sent_check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    (check,) = [e for e in result.get_asset_check_evaluations() if e.check_name == SENT_CHECK]
    return check


def html_part(message: email.message.EmailMessage) -> str:
    """The HTML body, with the line ends it had before SMTP made them CRLF."""
    return message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")


def test_every_owner_gets_their_shops_snapshot(
    smtp_env, warehouse: Path, chairside_env: Settings, tmp_path: Path
) -> None:
    mailbox = Mailbox()
    smtp_env(mailbox)
    result = materialize(warehouse)
    assert result.success
    assert sent_check(result).passed

    expected = owners(warehouse)
    by_recipient = {message["To"]: message for message in mailbox.received}
    assert set(by_recipient) == set(expected.values())
    assert all(
        rcpts == [to] for (_, rcpts), to in zip(mailbox.envelopes, by_recipient, strict=True)
    )
    files = sorted(chairside_env.reports_dir.glob("*/owner-snapshot-2026-11-09.html"))
    assert [file.parent.name for file in files] == ["queen-west", "spring-garden", "water-st"]
    for shop_name, owner in expected.items():
        message = by_recipient[owner]
        assert message["Subject"].startswith(f"{shop_name}: the week of Mon 9 Nov")
        assert message["From"] == "snapshots@chairside.example"
        body = html_part(message)
        assert "<h1" in body and shop_name in body
        # the mail shows its charts from its own parts; the attached file embeds them
        cids = re.findall(r'src="cid:([^"]+)"', body)
        related = message.get_body(preferencelist=("related",))
        parts = {part["Content-ID"]: part for part in related.iter_parts() if part["Content-ID"]}
        assert len(cids) == 2 and {f"<{cid}>" for cid in cids} == set(parts)
        assert all(part.get_content().startswith(b"\x89PNG") for part in parts.values())
        (attachment,) = message.iter_attachments()
        shop_file = next(file for file in files if shop_name in file.read_text())
        assert attachment.get_content().replace("\r\n", "\n") == shop_file.read_text()

    # the file, read as a mail client would: no script, nothing fetched, fits a phone
    if not CHROMIUM.exists():
        pytest.fail(MISSING)
    water_st = files[2].read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for width in (760, 390):
            page = browser.new_page(
                java_script_enabled=False, viewport={"width": width, "height": 900}
            )
            requests: list[str] = []
            page.on("request", lambda request, seen=requests: seen.append(request.url))
            page.set_content(water_st)
            charts = page.locator("img")
            assert charts.count() == 2
            for chart in charts.all():
                box = chart.bounding_box()
                natural = chart.evaluate("image => image.naturalWidth")
                assert natural > 0  # the PNG decoded
                assert box is not None and box["width"] >= min(500, width - 40)
            assert page.locator("text=Clients to call this week").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=tmp_path / f"snapshot-water-st-{width}.png", full_page=True)
            assert requests == []
            page.close()
        browser.close()


def test_a_refused_send_is_retried_and_goes_out(smtp_env, warehouse: Path) -> None:
    mailbox = Mailbox(refusals=1)
    smtp_env(mailbox)
    result = materialize(warehouse, shop_ids=["water-st"], retry_wait_seconds=0.01)
    assert sent_check(result).passed
    assert [message["To"] for message in mailbox.received] == ["owner.water-st@example.com"]
    materialization = result.asset_materializations_for_node("reports__owner_snapshots")[0]
    assert materialization.metadata["mailed"].data == {"water-st": "sent"}


def test_a_send_that_keeps_failing_is_reported_and_the_file_is_still_written(
    smtp_env, warehouse: Path, chairside_env: Settings
) -> None:
    mailbox = Mailbox(refusals=99)
    smtp_env(mailbox)
    result = materialize(
        warehouse, shop_ids=["water-st", "queen-west"], send_attempts=3, retry_wait_seconds=0.01
    )
    assert result.success  # the run keeps the files it wrote; the check carries the failure
    check = sent_check(result)
    assert not check.passed
    not_mailed = check.metadata["not_mailed"].data
    assert set(not_mailed) == {"water-st", "queen-west"}
    assert "after 3 attempts: 451 4.3.0 Mailbox busy" in not_mailed["water-st"]
    assert mailbox.received == [] and mailbox.refusals == 99 - 6
    written = {file.parent.name for file in chairside_env.reports_dir.glob("*/*.html")}
    assert written == {"water-st", "queen-west"}
