"""kill -9 of the outbox sender mid-batch, then a restart: every message delivered exactly once, counted at
the SMTP server (issue 19). The server holds one message unacknowledged while the sender is killed, the way
a crash lands in the middle of an SMTP transaction."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from gi_registry.auth import service as auth_service
from gi_registry.auth.models import Role
from gi_registry.core.i18n import Lang
from gi_registry.core.settings import Settings
from gi_registry.producers.models import Producer
from gi_registry.reminders import service as reminders_service
from gi_registry.reminders.models import ContactIn, MessageKind, OutboxMessage, OutboxState
from gi_registry.reminders.tokens import verify_token
from tests.smtp_server import SMTPServer
from tests.workflow import PASSWORD

pytestmark = pytest.mark.slow

SECRET = "reminder-crash-secret-key-0123456789abcdef"
MESSAGES = 20
HELD = 8  # the server holds the 8th message without answering; the sender is killed meanwhile
LEASE_SECONDS = 3


def _queue(engine: Engine) -> list[str]:
    with Session(engine) as session:
        producer = session.exec(select(Producer).order_by(Producer.id)).first()
        user = auth_service.create_user(
            session,
            username="crash-producer",
            password=PASSWORD,
            role=Role.producer,
            producer_id=producer.id,
            actor="test",
        )
        reminders_service.save_contact(
            session, user=user, contact_in=ContactIn(email="p@example.cn", lang=Lang.en)
        )
        reminders_service.verify_address(
            session, secret=SECRET, token=verify_token(SECRET, user.id, "p@example.cn")
        )
        for n in range(MESSAGES):
            reminders_service.enqueue_event(
                session,
                kind=MessageKind.application_received,
                producer_id=producer.id,
                event_id=f"crash-{n}",
                params={"id": n + 1, "review_due": "2027-01-04"},
            )
        session.commit()
        return [
            m.key
            for m in session.exec(
                select(OutboxMessage).where(OutboxMessage.kind != MessageKind.verify_address)
            )
        ]


def _sender(settings: Settings, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "GI_DATABASE_URL": settings.database_url,
        "GI_SMTP_URL": f"smtp://127.0.0.1:{port}",
        "GI_SECRET_KEY": SECRET,
        "GI_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "GI_PUBLIC_URL": "https://registry.example.cn",
    }
    command = [str(Path(sys.executable).parent / "gi-registry"), "outbox", "send"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _states(engine: Engine) -> Counter:
    with Session(engine) as session:
        return Counter(m.state for m in session.exec(select(OutboxMessage)))


def test_kill_9_mid_batch_then_restart_delivers_every_message_exactly_once(
    settings: Settings, engine: Engine
) -> None:
    keys = _queue(engine)
    assert len(keys) == MESSAGES
    with SMTPServer() as relay:
        held = threading.Event()

        def hold(number: int):  # noqa: ANN202 - an asyncio future or None
            if number != HELD:
                return None
            held.set()
            return relay.loop.create_future()  # never answered: the sender dies waiting for our 250

        relay.mailbox.before_accept = hold
        first = _sender(settings, relay.port)
        assert held.wait(timeout=180), first.communicate(timeout=5)[0]
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL
        relay.mailbox.before_accept = None

        states = _states(engine)
        assert states[OutboxState.sending] == 1  # claimed, in flight when killed
        assert states[OutboxState.sent] == HELD - 1
        assert states[OutboxState.pending] == MESSAGES - HELD
        assert states[OutboxState.withdrawn] == 1  # the confirmation of an address confirmed already

        # The claim of the killed sender holds until its lease ends; then a restart takes the message again.
        with Session(engine) as session:
            lease = session.exec(
                select(OutboxMessage.lease_until).where(OutboxMessage.state == OutboxState.sending)
            ).one()
        wait = (lease.replace(tzinfo=lease.tzinfo or UTC) - datetime.now(UTC)).total_seconds()
        time.sleep(max(0.0, wait) + 0.5)
        second = _sender(settings, relay.port)
        output = second.communicate(timeout=180)[0].decode()
        assert second.returncode == 0, output

        delivered = Counter(relay.mailbox.keys())
    assert _states(engine) == Counter({OutboxState.sent: MESSAGES, OutboxState.withdrawn: 1})
    reminders = {key: n for key, n in delivered.items() if key.startswith("event:")}
    assert sorted(reminders) == sorted(keys)
    assert set(reminders.values()) == {1}, [key for key, n in reminders.items() if n > 1]
