"""Delivering the outbox over SMTP: claim a message, send it, mark it; retry with back-off; dead letters.

Exactly once, as far as SMTP allows: a message is claimed (state `sending`, with a lease) in its own
commit before the SMTP transaction, and marked `sent` right after the server's 250. A sender killed before
the 250 leaves the message claimed; when the lease ends another run takes it again, and the server, which
never accepted it, receives it once. Only a crash in the moment between the server's 250 and our commit
can send it twice; the second copy then carries the same Message-ID (derived from the key), by which
mail programs recognise a duplicate.
"""

import hashlib
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from sqlalchemy import or_, update
from sqlmodel import Session, select

from gi_registry.core.settings import Settings
from gi_registry.history.models import utcnow
from gi_registry.reminders.messages import render
from gi_registry.reminders.models import OutboxMessage, OutboxState
from gi_registry.reminders.service import still_wanted

logger = logging.getLogger(__name__)
MAX_DELAY = timedelta(hours=6)


class NotConfigured(RuntimeError):
    """No GI_SMTP_URL: nothing leaves the machine."""


@dataclass(frozen=True)
class Relay:
    """Where and how to hand messages over."""

    host: str
    port: int
    security: str  # "plain", "starttls" or "ssl"
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> Relay:
    """smtp://host:25, smtp+starttls://user:password@host:587 or smtps://user:password@host:465."""
    parts = urlsplit(url)
    security = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "ssl"}.get(parts.scheme)
    if security is None or not parts.hostname:
        raise ValueError("GI_SMTP_URL must look like smtp+starttls://user:password@host:587")
    default_port = {"plain": 25, "starttls": 587, "ssl": 465}[security]
    return Relay(
        host=parts.hostname,
        port=parts.port or default_port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def message_id(key: str, domain: str) -> str:
    """The same Message-ID for every attempt of one message: a duplicate can be recognised as one."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def build_email(message: OutboxMessage, settings: Settings) -> EmailMessage:
    """The e-mail for an outbox row."""
    rendered = render(message, secret=settings.secret_key or "", public_url=settings.public_url)
    email = EmailMessage()
    email.set_content(rendered.body)  # first: it replaces every Content-* header set before it
    email["From"] = settings.smtp_from
    email["To"] = message.recipient
    email["Subject"] = rendered.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(message.key, urlsplit(settings.public_url).hostname or "gi-registry")
    email["Content-Language"] = "zh-CN" if message.lang.value == "zh" else "en"
    email["X-GI-Key"] = message.key
    if rendered.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{rendered.unsubscribe_url}>"
    return email


def _tls_context(settings: Settings) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if settings.smtp_ca_file:
        context.load_verify_locations(cafile=str(settings.smtp_ca_file))
    return context


def _connect(relay: Relay, settings: Settings) -> smtplib.SMTP:
    timeout = settings.smtp_timeout_seconds
    if relay.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            relay.host, relay.port, timeout=timeout, context=_tls_context(settings)
        )
    else:
        client = smtplib.SMTP(relay.host, relay.port, timeout=timeout)
        if relay.security == "starttls":
            client.starttls(context=_tls_context(settings))
    if relay.username:
        client.login(relay.username, relay.password or "")
    return client


def claim(session: Session, *, now: datetime, lease_seconds: float) -> OutboxMessage | None:
    """Take the next due message for this sender (committed), or None when nothing is due.

    A message is due when pending and its time has come, or when a sender that claimed it let its
    lease run out (it died). The conditional update lets exactly one of two racing senders win.
    """
    for _ in range(10):
        candidate = session.exec(
            select(OutboxMessage)
            .where(
                or_(
                    (OutboxMessage.state == OutboxState.pending) & (OutboxMessage.next_attempt_at <= now),
                    (OutboxMessage.state == OutboxState.sending) & (OutboxMessage.lease_until < now),
                )
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(1)
        ).first()
        if candidate is None:
            return None
        won = session.exec(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == candidate.id,
                OutboxMessage.state == candidate.state,
                OutboxMessage.attempts == candidate.attempts,
            )
            .values(
                state=OutboxState.sending,
                lease_until=now + timedelta(seconds=lease_seconds),
                attempts=candidate.attempts + 1,
            )
        ).rowcount
        session.commit()
        if won == 1:
            session.refresh(candidate)
            return candidate
    return None


def _mark_sent(session: Session, message: OutboxMessage) -> None:
    message.state = OutboxState.sent
    message.sent_at = utcnow()
    message.lease_until = None
    message.last_error = None
    session.add(message)
    session.commit()


def _mark_failed(
    session: Session, message: OutboxMessage, error: str, settings: Settings, permanent: bool
) -> None:
    message.last_error = error[:1000]
    message.lease_until = None
    if permanent or message.attempts >= settings.outbox_max_attempts:
        message.state = OutboxState.dead
    else:
        message.state = OutboxState.pending
        delay = timedelta(seconds=settings.outbox_retry_seconds * 2 ** (message.attempts - 1))
        message.next_attempt_at = utcnow() + min(delay, MAX_DELAY)
    session.add(message)
    session.commit()


@dataclass
class SendResult:
    """What one run of the sender did."""

    sent: int = 0
    failed: int = 0
    dead: int = 0
    withdrawn: int = 0
    errors: list[str] = field(default_factory=list)


def send_due(session: Session, settings: Settings, *, limit: int = 1000) -> SendResult:
    """Deliver every due message (up to `limit`), one SMTP connection for the batch."""
    if not settings.smtp_url:
        raise NotConfigured("GI_SMTP_URL is not set; messages stay in the outbox.")
    if not settings.secret_key:
        # Links in messages are signed; a random per-process key would make them fail on the site.
        raise NotConfigured("GI_SECRET_KEY must be set: the links in messages are signed with it.")
    relay = parse_smtp_url(settings.smtp_url)
    result = SendResult()
    client: smtplib.SMTP | None = None
    try:
        for _ in range(limit):
            message = claim(session, now=utcnow(), lease_seconds=settings.outbox_lease_seconds)
            if message is None:
                break
            if not still_wanted(session, message):
                message.state = OutboxState.withdrawn
                message.lease_until = None
                session.add(message)
                session.commit()
                result.withdrawn += 1
                continue
            if message.attempts > settings.outbox_max_attempts:
                # Each earlier claim ended with its sender gone (its lease ran out): stop trying.
                _fail(session, message, "senders stopped during every attempt", settings, True, result)
                continue
            try:
                email = build_email(message, settings)
            except Exception as exc:  # noqa: BLE001 - a message that cannot be rendered never will be
                _fail(session, message, f"not rendered: {type(exc).__name__}: {exc}", settings, True, result)
                continue
            if client is None:
                try:
                    client = _connect(relay, settings)
                except (OSError, smtplib.SMTPException) as exc:
                    # The relay is down or refuses our sign-in: nothing is wrong with the message. It waits
                    # for its retry, and the batch stops rather than spend every message's attempts.
                    _fail(session, message, f"relay: {type(exc).__name__}: {exc}", settings, False, result)
                    break
            try:
                client.send_message(email)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _ in exc.recipients.values()]
                permanent = all(500 <= code < 600 for code in codes)
                _fail(session, message, f"recipient refused: {exc.recipients}", settings, permanent, result)
            except smtplib.SMTPResponseException as exc:
                permanent = 500 <= exc.smtp_code < 600 and exc.smtp_code != 530
                _fail(session, message, f"{exc.smtp_code} {exc.smtp_error!r}", settings, permanent, result)
                client = _drop(client)
            except (OSError, smtplib.SMTPException) as exc:
                _fail(session, message, f"{type(exc).__name__}: {exc}", settings, False, result)
                client = _drop(client)
            else:
                _mark_sent(session, message)
                result.sent += 1
    finally:
        _drop(client)
    return result


def _fail(
    session: Session,
    message: OutboxMessage,
    error: str,
    settings: Settings,
    permanent: bool,
    result: SendResult,
) -> None:
    logger.warning("outbox message %s not delivered: %s", message.id, error)
    _mark_failed(session, message, error, settings, permanent)
    result.failed += 1
    result.dead += message.state == OutboxState.dead
    result.errors.append(error)


def _drop(client: smtplib.SMTP | None) -> None:
    if client is not None:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return None
