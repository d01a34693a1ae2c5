"""Registration load for the scale-out test: many people register for one session at once, spread
over several web instances, the way a browser does it (GET the form for the CSRF token, then POST).

Loopback only, bounded in count and time. Every attempt is recorded with what the client saw, so the
test can hold each answer against the database afterwards. Also usable by hand against a running stack:

    python -m consultatie.tests.scaleout.load --target 127.0.0.1:8001 --target 127.0.0.1:8002 \
        --session noord --count 200 --concurrency 16
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    organisation: str
    organisation_type: str
    theme_ids: tuple[int, ...]


@dataclass
class Attempt:
    """One person's try, as the client saw it. `status` is the POST's status (None if never answered)."""

    person: Person
    target: str
    started: float
    finished: float = 0.0
    get_status: int | None = None
    status: int | None = None
    location: str = ""
    error: str = ""
    body: str = ""  # the start of an error page (status >= 400), to tell the friendly 503 from a traceback

    @property
    def accepted(self) -> bool:
        """The portal said 'done': the redirect to the 'check your mailbox' page."""
        return self.status == 302 and "/aanmelden/verstuurd/" in self.location

    @property
    def answered_status(self) -> int | None:
        """The status the person finally saw: the POST's, or the GET's if the form never loaded."""
        return self.status if self.status is not None else self.get_status


def people(prefix: str, theme_ids: list[int]) -> Iterator[Person]:
    """An endless stream of distinct people; each picks two themes so a half-written M2M shows."""
    for n in itertools.count(1):
        chosen = tuple(sorted({theme_ids[n % len(theme_ids)], theme_ids[(n + 1) % len(theme_ids)]}))
        yield Person(
            name=f"Deelnemer {prefix} {n}",
            email=f"{prefix}-{n}@gemeente{n % 7}.example.nl",
            organisation=f"Gemeente {n % 7}",
            organisation_type="gemeente",
            theme_ids=chosen,
        )


def _split(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":")
    if host not in LOOPBACK:
        raise ValueError(f"The load script only talks to this machine; got {target!r}.")
    return host, int(port)


def register(target: str, slug: str, person: Person, *, timeout: float = 15.0) -> Attempt:
    """GET the form (CSRF cookie + token), POST the registration; never raises."""
    host, port = _split(target)
    path = f"/regiosessies/{slug}/aanmelden/"
    attempt = Attempt(person=person, target=target, started=time.monotonic())
    try:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            attempt.get_status = response.status
            if response.status != 200:
                attempt.body = body[:4000]
                return attempt
            cookie = SimpleCookie()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie.load(header)
            match = CSRF_INPUT.search(body)
            if "csrftoken" not in cookie or not match:
                attempt.error = "form without CSRF cookie or token"
                return attempt
        finally:
            conn.close()

        form = [
            ("csrfmiddlewaretoken", match.group(1)),
            ("name", person.name),
            ("email", person.email),
            ("organisation_type", person.organisation_type),
            ("organisation", person.organisation),
            ("role", "Adviseur smart city"),
            *[("themes", str(theme_id)) for theme_id in person.theme_ids],
            ("needs", ""),
            ("remarks", ""),
            ("website", ""),
            ("consent", "on"),
        ]
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request(
                "POST",
                path,
                body=urlencode(form),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookie['csrftoken'].value}",
                },
            )
            response = conn.getresponse()
            answer = response.read()
            attempt.status = response.status
            if response.status >= 400:
                attempt.body = answer[:4000].decode("utf-8", "replace")
            attempt.location = response.headers.get("Location", "")
        finally:
            conn.close()
    except (OSError, http.client.HTTPException) as exc:
        attempt.error = f"{type(exc).__name__}: {exc}"
    finally:
        attempt.finished = time.monotonic()
    return attempt


@dataclass
class LoadRun:
    """Registrations sent from `concurrency` threads, round-robin over `targets`, until `count` people
    have been tried, `stop` is set, or `deadline` (monotonic seconds) passes, whichever comes first."""

    targets: list[str]
    slug: str
    persons: Iterable[Person]
    count: int
    concurrency: int = 16
    deadline: float | None = None
    pause: float = 0.0
    stop: threading.Event = field(default_factory=threading.Event)
    attempts: list[Attempt] = field(default_factory=list)
    on_attempt: Callable[[Attempt], None] | None = None

    def __post_init__(self) -> None:
        for target in self.targets:
            _split(target)
        self._lock = threading.Lock()
        self._source = zip(itertools.cycle(self.targets), itertools.islice(iter(self.persons), self.count))
        self._thread: threading.Thread | None = None

    def _next(self) -> tuple[str, Person] | None:
        with self._lock:
            if self.stop.is_set() or (self.deadline is not None and time.monotonic() >= self.deadline):
                return None
            return next(self._source, None)

    def _client(self) -> None:
        while (job := self._next()) is not None:
            target, person = job
            attempt = register(target, self.slug, person)
            with self._lock:
                self.attempts.append(attempt)
            if self.on_attempt:
                self.on_attempt(attempt)
            if self.pause:
                time.sleep(self.pause)

    def run(self) -> list[Attempt]:
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="load") as pool:
            for future in [pool.submit(self._client) for _ in range(self.concurrency)]:
                future.result()
        return self.attempts

    def start(self) -> LoadRun:
        self._thread = threading.Thread(target=self.run, name="load-run", daemon=True)
        self._thread.start()
        return self

    def join(self, timeout: float) -> list[Attempt]:
        assert self._thread is not None
        self._thread.join(timeout)
        if self._thread.is_alive():
            self.stop.set()
            self._thread.join(30)
        return list(self.attempts)

    def done(self) -> int:
        with self._lock:
            return len(self.attempts)


def summary(attempts: list[Attempt]) -> str:
    outcomes = Counter(a.answered_status if not a.error else a.error.split(":")[0] for a in attempts)
    return ", ".join(f"{key}: {n}" for key, n in sorted(outcomes.items(), key=str))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", action="append", required=True, help="host:port of a web instance (loopback)")
    parser.add_argument("--session", required=True, help="slug of the regional session")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60.0, help="stop starting new registrations after this")
    parser.add_argument("--theme", type=int, action="append", default=[], help="theme id to choose (repeatable)")
    parser.add_argument("--prefix", default=f"load{int(time.time())}")
    args = parser.parse_args()
    run = LoadRun(
        targets=args.target,
        slug=args.session,
        persons=people(args.prefix, args.theme or [1]),
        count=args.count,
        concurrency=args.concurrency,
        deadline=time.monotonic() + args.seconds,
    )
    started = time.monotonic()
    attempts = run.run()
    elapsed = time.monotonic() - started
    accepted = sum(a.accepted for a in attempts)
    print(f"{len(attempts)} attempts in {elapsed:.1f}s, {accepted} accepted; {summary(attempts)}")


if __name__ == "__main__":
    main()
