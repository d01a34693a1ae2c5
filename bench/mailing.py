"""The results email to every consenting participant: creating the mailing, and sending it to a real SMTP server.

    BENCH_DB=cp_bench_mailing python -m bench.mailing

1. Recreates the PostgreSQL bench database (migrate, cache table, collectstatic).
2. Creates BENCH_MAILING_PEOPLE (default 2000) registrations with results consent over six regions (one
   in ten registered twice, in another region) and a published version.
3. Times `terugkoppeling.services.send_results_email` (the rows, one per address) and a second call (must add
   nothing).
4. Sends the whole mailing with `core.mailing.send_batch` in one process (what one task worker does,
   without the rate limit: MAILING_RATE_PER_MINUTE is set out of reach) to an aiosmtpd server on loopback,
   which counts what it accepts. Reports messages per second (render in the recipient's language, SMTP,
   two UPDATEs per row) and checks that every address got exactly one message.

The figure says how far the worker is from being the limit: the mail relay's allowance
(MAILING_RATE_PER_MINUTE, default 60) is what paces a real mailing.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections import Counter

from bench.common import BENCH_DB, Result, cli, fresh_database, use_bench_env

BENCH = "mailing"
PEOPLE = int(os.environ.get("BENCH_MAILING_PEOPLE", "2000"))
BATCH = 100


class CountingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.received: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.update(r.lower() for r in envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def create_people() -> set[str]:
    from datetime import timedelta

    from django.utils import timezone

    from regiosessies.models import Aanmelding, Regio, Regiosessie
    from resultaten import snapshot
    from resultaten.models import Publicatie

    now = timezone.now()
    sessions = []
    for n in range(6):
        regio = Regio.objects.create(name=f"Regio {n}", slug=f"regio-{n}", order=n)
        start = now - timedelta(days=30 + n)
        sessions.append(
            Regiosessie.objects.create(
                regio=regio,
                title=f"Regiosessie {n}",
                slug=f"sessie-{n}",
                start=start,
                end=start + timedelta(hours=3),
                venue_name="Loopback",
                address="127.0.0.1",
                city="Localhost",
                capacity=PEOPLE,
            )
        )
    rows = []
    for i in range(PEOPLE):
        for k in range(2 if i % 10 == 0 else 1):
            rows.append(
                Aanmelding(
                    session=sessions[(i + k) % 6],
                    name=f"Deelnemer {i}",
                    email=f"deelnemer{i}@example.nl",
                    organisation_type="gemeente",
                    consent_at=now,
                    privacy_version="bench",
                    status="confirmed",
                    language="en" if i % 4 == 0 else "nl",
                    results_consent=True,
                    results_consent_at=now,
                    token=f"bench-{i:05d}-{k}",
                )
            )
    Aanmelding.objects.bulk_create(rows, batch_size=1000)
    Publicatie.objects.create(
        version=1, published_at=now, fingerprint="bench", data=snapshot.build_snapshot(), report_html="<p>bench</p>"
    )
    return {f"deelnemer{i}@example.nl" for i in range(PEOPLE)}


def run() -> list[Result]:
    from aiosmtpd.controller import Controller

    fresh_database(BENCH_DB)
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_bench_env(
            TASK_BACKEND="dummy",  # this process sends; no queue runs behind it
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(controller.port),
            EMAIL_USE_TLS="0",
            MAILING_RATE_PER_MINUTE="100000000",
            MAILING_BATCH_SIZE=str(BATCH),
            SITE_URL="https://consultatie.example.nl",
        )
        from core.mailing import send_batch
        from core.models import MailingRecipient
        from resultaten.models import Publicatie
        from terugkoppeling.services import send_results_email

        addresses = create_people()
        publicatie = Publicatie.objects.get()
        started = time.perf_counter()
        mailing = send_results_email(publicatie=publicatie)
        create_s = time.perf_counter() - started
        started = time.perf_counter()
        send_results_email(publicatie=publicatie)
        again_s = time.perf_counter() - started
        rows = MailingRecipient.objects.filter(mailing=mailing).count()

        started = time.perf_counter()
        while send_batch(mailing.pk).sent:
            pass
        send_s = time.perf_counter() - started
        time.sleep(0.5)
    finally:
        controller.stop()
    exact = handler.received == Counter(dict.fromkeys(addresses, 1))
    return [
        Result(BENCH, f"create the mailing for {PEOPLE} addresses ({rows} rows)", round(create_s, 2), "s"),
        Result(BENCH, "create it again (adds nothing)", round(again_s, 2), "s"),
        Result(
            BENCH,
            "send, one process, real SMTP on loopback",
            round(rows / send_s, 1),
            "msg/s",
            target=">= 1 msg/s (the default rate)",
            ok=rows / send_s >= 1,
            note=f"{rows} in {send_s:.1f} s",
        ),
        Result(
            BENCH,
            "addresses with exactly one message",
            sum(1 for a in addresses if handler.received[a] == 1),
            "addresses",
            target=f"== {PEOPLE}",
            ok=exact,
        ),
    ]


if __name__ == "__main__":
    cli(run)
