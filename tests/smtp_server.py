"""A real SMTP server for the reminder tests: aiosmtpd on a loopback port, optionally with STARTTLS
(a throwaway certificate made by openssl) and authentication, counting what it accepted."""

import asyncio
import socket
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from ssl import PROTOCOL_TLS_SERVER, SSLContext

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "registry", "relay-password"


def throwaway_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day (the test trusts it as its CA)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass
class Mailbox:
    """What the server accepted (its 250 sent), and how it answers each recipient."""

    accepted: list[EmailMessage] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient -> SMTP reply (e.g. "550 no such user")
    # Called before accepting each message, with its number; may block to let the test kill the client.
    before_accept: Callable[[int], "asyncio.Future | None"] | None = None
    seen: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def keys(self) -> list[str]:
        with self.lock:
            return [m["X-GI-Key"] for m in self.accepted]

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001, ANN201, ARG002
        reply = self.refuse.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, ARG002
        self.seen += 1
        if self.before_accept is not None:
            waiting = self.before_accept(self.seen)
            if waiting is not None:
                try:
                    await waiting
                except asyncio.CancelledError:
                    # The client vanished before our 250: a server does not take a message it never
                    # acknowledged, so it is not counted.
                    raise
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.accepted.append(message)
        return "250 Message accepted"


def _authenticate(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202, ARG001
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """Start with `with SMTPServer(...) as server:`; `server.port` and `server.mailbox`."""

    def __init__(self, tls: tuple[Path, Path] | None = None, *, implicit_tls: bool = False) -> None:
        """Plain SMTP; with `tls`, STARTTLS required before authentication, or TLS from the first byte
        (SMTPS) with `implicit_tls`."""
        self.mailbox = Mailbox()
        kwargs: dict = {}
        if tls is not None:
            context = SSLContext(PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            auth = {"authenticator": _authenticate, "auth_required": True}
            if implicit_tls:
                kwargs = {"ssl_context": context, "auth_require_tls": False, **auth}
            else:
                kwargs = {"tls_context": context, "require_starttls": True, **auth}
        self.port = _free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self) -> "SMTPServer":
        self.controller.start()
        return self

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self.controller.loop

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
