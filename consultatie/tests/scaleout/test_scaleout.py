"""Scale-out: two gunicorn instances and one task worker on one PostgreSQL database (issue 8).

Run with `make test-scaleout` (DATABASE_URL must point at PostgreSQL). The PostgreSQL restart is only
done when SCALEOUT_RESTART_POSTGRES=1, because it cuts every connection on that server (.ci/run points the test at
a throwaway cluster of its own for it).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import pytest

from consultatie.tests.scaleout.harness import Stack, http_get, tail
from consultatie.tests.scaleout.load import Attempt, LoadRun, people, summary

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]

TEMPLATE_FOR_STATUS = {"confirmed": "aanmelding_bevestigd", "waitlisted": "aanmelding_wachtlijst"}
MAIL_TIMEOUT = 60
FRIENDLY_503 = "De consultatie is even niet bereikbaar"


# --- checks shared by the scenarios ----------------------------------------------------------------


def wait_until(condition, *, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def check_registrations(report: dict, attempts: list[Attempt]) -> tuple[list[dict], int]:
    """Every stored registration is complete and belongs to someone who tried; every 'done' the
    portal answered has its registration; no seat is oversold or left empty while people wait.
    Returns the rows and the number of confirmed seats."""
    rows = report["registrations"]
    capacity = report["capacity"]
    tried = {attempt.person.email: attempt for attempt in attempts}
    by_email = {row["email"]: row for row in rows}
    assert len(by_email) == len(rows), "one person holds two registrations"

    for row in rows:
        attempt = tried.get(row["email"])
        assert attempt is not None, f"a registration nobody sent: {row['email']}"
        person = attempt.person
        assert (row["name"], row["organisation"], row["organisation_type"]) == (
            person.name,
            person.organisation,
            person.organisation_type,
        ), f"registration of {row['email']} stored with other data"
        # The themes are written after the row, in the same transaction: a half-written registration
        # would show here as a row without them.
        assert row["theme_ids"] == list(person.theme_ids), f"themes of {row['email']} incomplete"
        assert row["consent_at"] and row["privacy_version"] and row["token"], f"{row['email']} incomplete"
        assert row["status"] in TEMPLATE_FOR_STATUS, f"{row['email']} has status {row['status']}"
        # The email is stored in the same transaction as the registration, exactly once.
        assert [m["template"] for m in row["outbox"]] == [TEMPLATE_FOR_STATUS[row["status"]]], (
            f"outbox of {row['email']}: {row['outbox']}"
        )
        if not attempt.accepted:
            # Stored although the person did not see 'done': only when the answer never arrived
            # (instance killed mid-request) or the database went away right after the commit.
            assert attempt.error or attempt.answered_status == 503, (
                f"{row['email']} stored, but the portal answered {attempt.answered_status}"
            )

    missing = [a.person.email for a in attempts if a.accepted and a.person.email not in by_email]
    assert not missing, f"accepted but not stored: {missing}"

    confirmed = sum(row["status"] == "confirmed" for row in rows)
    assert confirmed <= capacity, f"oversold: {confirmed} confirmed for {capacity} seats"
    assert confirmed == min(capacity, len(rows)), f"{confirmed} confirmed, {capacity} seats, {len(rows)} registered"
    return rows, confirmed


def wait_for_mail(stack: Stack, rows: list[dict], *, exactly_once: bool) -> float:
    """Each registration's email reaches the SMTP server, with the subject stored in the outbox.
    Returns how long the wait took."""
    started = time.monotonic()
    expected = {row["email"]: row["outbox"][0]["subject"] for row in rows}

    def missing() -> list[str]:
        received = stack.smtp.handler.by_recipient()
        return [address for address in expected if address not in received]

    if not wait_until(lambda: not missing(), timeout=MAIL_TIMEOUT, interval=0.5):
        pytest.fail(
            f"{len(missing())} of {len(expected)} emails not delivered within {MAIL_TIMEOUT}s, "
            f"e.g. {missing()[:3]}\n{tail(stack.worker.log)}"
        )
    received = stack.smtp.handler.by_recipient()
    for address, subject in expected.items():
        if not subject:
            # Inspected before the worker rendered it (registrations store the message and the worker
            # renders it): whatever was rendered, it must be one real subject.
            assert len(set(received[address])) == 1 and received[address][0], f"{address} received {received[address]}"
            subject = received[address][0]
        if exactly_once:
            assert received[address] == [subject], f"{address} received {received[address]}"
        else:
            assert set(received[address]) == {subject}, f"{address} received {received[address]}"
    return time.monotonic() - started


class HealthPoller:
    """Asks /health/ of every instance ten times a second, recording what came back."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.results: list[tuple[float, int, int | str]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            for port in self.ports:
                try:
                    status: int | str = http_get(port, "/health/", timeout=5)[0]
                except OSError as exc:
                    status = type(exc).__name__
                self.results.append((time.monotonic(), port, status))

    def __enter__(self) -> HealthPoller:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)


# --- the scenarios ---------------------------------------------------------------------------------


def test_both_instances_serve_the_portal_in_production_mode(web):
    for name in ("a", "b"):
        port = web.ports[name]
        status, _, body = http_get(port, "/health/")
        assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')

        status, headers, body = http_get(port, "/")
        assert status == 200
        assert "Belemmeringen schaalsprong" in body.decode() or "Smart City" in body.decode()
        assert "content-security-policy" in headers

        # DEBUG=0: the friendly 404, not Django's technical page.
        status, _, body = http_get(port, "/bestaat-niet/")
        assert status == 404
        assert b"technical_404" not in body and b"Using the URLconf" not in body

        # Whitenoise serves the collected, hashed static files with a long cache lifetime.
        css = next(part for part in body.decode().split('"') if part.startswith("/static/") and part.endswith(".css"))
        status, headers, _ = http_get(port, css)
        assert status == 200, css
        assert "max-age=315360000" in headers.get("cache-control", ""), (css, headers.get("cache-control"))


def test_registrations_spread_over_two_instances_never_oversell_and_every_email_arrives(web, session_factory):
    session = session_factory(capacity=12)
    run = LoadRun(
        targets=[web.target("a"), web.target("b")],
        slug=session["slug"],
        persons=people("spread", session["theme_ids"]),
        count=80,
        concurrency=16,
        deadline=time.monotonic() + 60,
    )
    started = time.monotonic()
    attempts = run.run()
    elapsed = time.monotonic() - started

    assert len(attempts) == 80
    assert all(a.accepted for a in attempts), summary(attempts)
    assert {a.target for a in attempts} == {web.target("a"), web.target("b")}

    rows, confirmed = check_registrations(web.probe("inspect", session["slug"]), attempts)
    assert len(rows) == 80
    assert (confirmed, len(rows) - confirmed) == (12, 68)
    wait_for_mail(web, rows, exactly_once=True)
    print(
        f"\n80 registrations over two instances in {elapsed:.1f}s ({80 / elapsed:.0f}/s, GET+POST each); "
        f"all 80 emails at the SMTP server within {time.monotonic() - started - elapsed:.1f}s of the last answer"
    )


def test_sigkill_of_one_instance_mid_load_leaves_the_other_serving_and_no_half_written_registration(
    web, session_factory
):
    session = session_factory(capacity=15)
    a, b = web.target("a"), web.target("b")
    run = LoadRun(
        targets=[a, b],
        slug=session["slug"],
        persons=people("kill", session["theme_ids"]),
        # Enough that the load outlasts the kill by seconds: requests to the dead instance are refused at
        # once, so with 120 the rest finished within a second and nothing was left to show the refusal.
        count=300,
        concurrency=12,
        deadline=time.monotonic() + 90,
    ).start()
    assert wait_until(lambda: run.done() >= 30, timeout=60), f"load too slow: {run.done()} done"
    killed_at = time.monotonic()
    web.web["a"].kill(signal.SIGKILL)
    attempts = run.join(timeout=120)

    to_b = [x for x in attempts if x.target == b]
    assert all(x.accepted for x in to_b), f"instance b failed: {summary([x for x in to_b if not x.accepted])}"
    assert [x for x in to_b if x.started > killed_at], "the load ended before the kill"
    # The killed instance is really gone: what was sent to it later was refused, not answered.
    late_to_a = [x for x in attempts if x.target == a and x.started > killed_at + 1]
    assert late_to_a and all("ConnectionRefused" in x.error for x in late_to_a), summary(late_to_a)
    assert http_get(web.ports["b"], "/health/")[0] == 200

    rows, _ = check_registrations(web.probe("inspect", session["slug"]), attempts)
    unanswered = [x for x in attempts if x.target == a and x.error and x.started <= killed_at]
    print(
        f"\nkill: {summary(attempts)}; {len(unanswered)} request(s) in flight on the killed instance, "
        f"{sum(x.person.email in {r['email'] for r in rows} for x in unanswered)} of them stored (complete)"
    )
    # A registration committed by the killed instance may not have reached the task queue; the
    # periodic `send_outbox` (docs/deploy.md) delivers it.
    web.manage("send_outbox")
    wait_for_mail(web, rows, exactly_once=True)


def test_postgres_restart_mid_load_answers_503_never_500_and_recovers_by_itself(web, session_factory):
    if os.environ.get("SCALEOUT_RESTART_POSTGRES") != "1":
        pytest.skip(
            "Restarting PostgreSQL cuts every connection on the server, so it only runs with "
            "SCALEOUT_RESTART_POSTGRES=1 (.ci/run sets it on a throwaway cluster of its own)."
        )
    cluster = web.postgres.cluster()  # fail early and clearly when the server is not a local cluster
    session = session_factory(capacity=20)
    targets = [web.target("a"), web.target("b")]
    run = LoadRun(
        targets=targets,
        slug=session["slug"],
        persons=people("restart", session["theme_ids"]),
        count=5000,
        concurrency=8,
        deadline=time.monotonic() + 100,
    )
    with HealthPoller(list(web.ports.values())) as health:
        run.start()
        assert wait_until(lambda: run.done() >= 20, timeout=60), f"load too slow: {run.done()} done"
        restart_seconds = web.postgres.restart()
        restarted_at = time.monotonic()

        def recovered() -> bool:
            done = list(run.attempts)
            return all(any(x.target == t and x.accepted and x.started > restarted_at for x in done) for t in targets)

        recovered_in_time = wait_until(recovered, timeout=30)
        time.sleep(3)  # keep the load on a little longer: the recovery must hold
        run.stop.set()
        attempts = run.join(timeout=60)

    outcomes = Counter(x.answered_status for x in attempts if not x.error)
    print(
        f"\nPostgreSQL {cluster[0]}/{cluster[1]} restart took {restart_seconds:.1f}s; {len(attempts)} attempts: "
        f"{summary(attempts)}; worker restarts: {web.worker.restarts}"
    )
    assert recovered_in_time, f"no instance accepted registrations again within 30s: {summary(attempts)}"
    errors = [x for x in attempts if x.error]
    assert not errors, f"requests failed without an answer: {summary(errors)}"
    assert set(outcomes) <= {302, 503}, f"unexpected answers: {outcomes}\n{web.logs()}"
    assert all(x.accepted for x in attempts if x.status == 302)
    unavailable = [x for x in attempts if x.answered_status == 503]
    health_statuses = Counter(status for _, _, status in health.results)
    assert unavailable or health_statuses[503], "the outage was never observed; the test proved nothing"
    assert all(FRIENDLY_503 in x.body for x in unavailable), "a 503 without the friendly page"
    assert set(health_statuses) <= {200, 503}, f"/health/ answered {health_statuses}"

    # Recovered by themselves, for good: a second after an instance first accepted again, everything it got
    # was accepted. (The second covers requests that were already talking to the database as it came up.)
    for target in targets:
        after = [x for x in attempts if x.target == target and x.started > restarted_at]
        first_ok = min(x.started for x in after if x.accepted)
        settled = [x for x in after if x.started > first_ok + 1]
        assert settled and all(x.accepted for x in settled), f"{target} after recovery: {summary(settled)}"
        print(f"{target}: accepting again {first_ok - restarted_at:.1f}s after the restart command returned")

    rows, _ = check_registrations(web.probe("inspect", session["slug"]), attempts)
    # A worker cut off mid-delivery leaves that message 'sending'; `send_outbox` takes it up again
    # after ten minutes, which the test asks for with the clock moved on instead of waiting.
    web.manage("send_outbox")
    web.probe("deliver-due", "11")
    wait_for_mail(web, rows, exactly_once=False)
