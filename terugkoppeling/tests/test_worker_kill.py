"""The results mailing survives a worker killed in the middle of a batch.

A real `manage.py db_worker` subprocess sends the results email to a real SMTP server (aiosmtpd) from a
committed database (this test's SQLite file, or PostgreSQL with DATABASE_URL). The SMTP server holds the
8th message at RCPT TO (the worker is then inside its second batch, talking to the server); the test
kills the worker with SIGKILL at that moment, starts a new one, and waits until the mailing is done.
Each consenting address must have exactly one message; nobody else any.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from core.models import Mailing, MailingRecipient
from regiosessies.models import Aanmelding
from terugkoppeling import services
from terugkoppeling.tests.factories import registrant

# serialized_rollback like every other transactional test here: the flush then keeps the seeded rows
# (themes, groups) and does not clash with the next test that restores them.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
BATCH_SIZE = 5
STALL_AT = 7  # the 8th message: the third of the second batch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StallingHandler:
    """Records every accepted message; holds one RCPT until the test has killed the sender."""

    def __init__(self, stall_at: int):
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, str]] = []  # (recipient, Message-ID, Subject)
        self.unsubscribe: list[tuple[str, str]] = []  # (List-Unsubscribe, List-Unsubscribe-Post)
        self.stall_at = stall_at
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            count = len(self.received)
        if count == self.stall_at and not self.stalled.is_set():
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"  # nobody is listening any more: the worker was killed
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt.lower(), str(message["Message-ID"]), str(message["Subject"])))
            # A long header is folded after the colon; unfolding leaves the leading space, which readers ignore.
            self.unsubscribe.append(
                (str(message["List-Unsubscribe"]).strip(), str(message["List-Unsubscribe-Post"]).strip())
            )
        return "250 OK"


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(smtp_port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "consultatie.settings",
        "DEBUG": "1",
        "SECRET_KEY": django_settings.SECRET_KEY,
        "DATABASE_URL": database_url(),
        "TASK_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_TIMEOUT": "30",
        "MAILING_BATCH_SIZE": str(BATCH_SIZE),
        "MAILING_RATE_PER_MINUTE": "6000",
        "MAILING_CLAIM_TIMEOUT_SECONDS": "3",
        "SITE_URL": "https://consultatie.example.nl",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill reaches everything it started
    )


def kill(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def wait_for(condition, *, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what}. Worker log:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def smtp():
    handler = StallingHandler(STALL_AT)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()


def test_a_worker_killed_mid_batch_and_restarted_sends_each_consenting_address_exactly_once(
    published, people, session_a, session_b, smtp, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    handler, port = smtp
    for n in range(12):
        status = [Aanmelding.Status.CONFIRMED, Aanmelding.Status.WAITLISTED, Aanmelding.Status.CANCELLED][n % 3]
        registrant(session_a if n % 2 else session_b, f"deelnemer{n}@example.nl", consent=True, status=status)
    for n in range(3):
        registrant(session_a, f"geen-toestemming{n}@example.nl", consent=False)
    consenting = {a.email for a in Aanmelding.objects.filter(results_consent=True)}
    assert len(consenting) == 16  # people's four addresses (dirk twice) and twelve more

    log = tmp_path / "worker.log"
    first = start_worker(port, log)
    try:
        mailing = services.send_results_email(publicatie=published[0])  # commits; the task waits in the database
        wait_for(handler.stalled.is_set, timeout=90, what="the worker to reach the 8th message", log=log)
        kill(first)  # SIGKILL while it waits for the server's answer to RCPT TO
    finally:
        kill(first)
        handler.release.set()

    rows = Counter(MailingRecipient.objects.filter(mailing=mailing).values_list("status", flat=True))
    assert rows == {"sent": STALL_AT, "sending": 1, "pending": 16 - STALL_AT - 1}, "killed in the middle of a batch"

    second = start_worker(port, log)
    try:
        wait_for(
            lambda: not MailingRecipient.objects.filter(mailing=mailing).exclude(status="sent").exists(),
            timeout=120,
            what="the restarted worker to finish the mailing",
            log=log,
        )
        time.sleep(1)  # anything sent twice would arrive now
    finally:
        kill(second)

    per_address = Counter(recipient for recipient, _id, _subject in handler.received)
    assert per_address == Counter(dict.fromkeys(consenting, 1))
    assert not any(address.startswith(("eva@", "geen-toestemming")) for address in per_address)
    assert len({message_id for _r, message_id, _s in handler.received}) == 16
    subjects = {recipient: subject for recipient, _id, subject in handler.received}
    assert subjects["ben@example.nl"] == "The results of the Smart City consultation are online"
    assert subjects["anna@example.nl"] == "De resultaten van de consultatie Smart City staan online"
    assert Mailing.objects.count() == 1
    # RFC 8058 headers as they arrive over SMTP (folded long lines unfold to the same URL).
    for link, post in handler.unsubscribe:
        assert post == "List-Unsubscribe=One-Click"
        assert (
            link.startswith("<https://consultatie.example.nl/")
            and "/berichten/afmelden/" in link
            and link.endswith(">")
        )
    # The row the first worker held when it died was taken over after the claim timeout.
    assert MailingRecipient.objects.filter(mailing=mailing, attempts=2).count() == 1
