"""The outbox loop inside `gi-registry serve` (GI_OUTBOX_IN_SERVE=true): schedule, then send, every interval.

Several workers may each run it: the scheduler's unique keys and the sender's claims make that safe.
The scheduler (`labels.reminder_schedule.schedule`) is handed in by the app: it reads label deadlines,
and the outbox sits below labels.
"""

import logging
import threading
from collections.abc import Callable
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from gi_registry.core.settings import Settings
from gi_registry.reminders.sender import send_due

logger = logging.getLogger(__name__)

# Queues one day's reminders: schedule(session, today=..., include_synthetic=...).
Schedule = Callable[..., object]


def run_once(engine: Engine, settings: Settings, *, schedule: Schedule, send: bool = True) -> None:
    """One round: queue today's reminders; deliver what is due when a mail server is configured."""
    with Session(engine) as session:
        schedule(session, today=date.today(), include_synthetic=settings.demo_mode)
        if send and settings.smtp_url:
            send_due(session, settings)


class OutboxLoop:
    """A daemon thread running `run_once` until stopped; an error is logged and the next round tries again."""

    def __init__(self, engine: Engine, settings: Settings, *, schedule: Schedule, send: bool = True) -> None:
        self.engine = engine
        self.settings = settings
        self.schedule = schedule
        self.send = send
        if settings.smtp_url and not send:
            logger.warning("GI_SECRET_KEY is not set: the outbox is written but nothing is sent")
        self.stopping = threading.Event()
        self.rounds = 0
        self.thread = threading.Thread(target=self._run, name="outbox", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=60)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                run_once(self.engine, self.settings, schedule=self.schedule, send=self.send)
            except Exception:  # noqa: BLE001 - the loop outlives one bad round; the log says what happened
                logger.exception("outbox round failed")
            self.rounds += 1
            self.stopping.wait(self.settings.outbox_interval_seconds)
