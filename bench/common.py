"""Shared pieces for the benchmarks: the Result record, a production-like environment, a fresh
PostgreSQL database, a gunicorn server, and a bounded load generator.

See bench/README.md for the interface every bench module implements.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("BENCH_DB", "cp_bench")
HOST = "127.0.0.1"
# Safety bounds: the load generator never runs longer or sends more than this, whatever it is asked.
MAX_SECONDS = 120
MAX_REQUESTS = 50_000


# --- The common interface ------------------------------------------------------------------------


@dataclass
class Result:
    """One measured figure, optionally next to its floor (the same load against a bare Django view)."""

    bench: str  # module name, e.g. "registrations"
    name: str  # what was measured, in words
    value: float
    unit: str  # "req/s", "ms", "queries", "rows", ...
    floor: float | None = None  # the bare-view figure for the same load, if there is one
    target: str = ""  # e.g. ">= 250 req/s"; empty when there is no target
    ok: bool | None = None  # whether the target was met; None when there is no target
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


# --- Environment ---------------------------------------------------------------------------------


def bench_env(**overrides: str) -> dict[str, str]:
    """Production settings (DEBUG=0) against the bench database, with what a loopback bench needs."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghijklmnop",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Plain HTTP on loopback: no redirect to https, and no HSTS to remember.
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "CACHE_KEY_PREFIX": f"bench-{os.getpid()}",
            # Emails are queued in the outbox and the database task queue, not sent: no worker runs.
            "TASK_BACKEND": "database",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # All clients share 127.0.0.1; the per-client limit would otherwise stop the bench at 10/min.
            "REGISTRATION_RATE_LIMIT": "10000000",
            "REQUIRE_2FA": "0",
            "STATIC_ROOT": f"/tmp/{BENCH_DB}_static",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(REPO),
        }
    )
    env.update(overrides)
    return env


def use_bench_env(**overrides: str) -> None:
    """Apply bench_env() to this process and set up Django (call once, before any ORM use)."""
    os.environ.update(bench_env(**overrides))
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()


def fresh_database(name: str = BENCH_DB) -> None:
    """Drop and create the bench database, then migrate, create the cache table and collect static."""
    import psycopg2

    if not re.fullmatch(r"cp_[a-z0-9_]+", name):
        raise ValueError(f"Refusing to recreate a database not named cp_*: {name!r}")
    conn = psycopg2.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    env = bench_env()
    for args in (["migrate", "--noinput"], ["createcachetable"], ["collectstatic", "--noinput", "--clear"]):
        subprocess.run([PYTHON, "manage.py", *args, "-v", "0"], cwd=REPO, env=env, check=True)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024} MiB"
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": mem, "load": load, "python": sys.version.split()[0]}


# --- The server ----------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str] | None = None, *, port: int | None = None, log: Path | None = None) -> Iterator[int]:
    """Run the portal under gunicorn (repo's gunicorn.conf.py) on loopback; yields the port."""
    port = port or free_port()
    env = dict(env or bench_env())
    env["GUNICORN_BIND"] = f"{HOST}:{port}"
    env.setdefault("GUNICORN_LOGLEVEL", "warning")
    log = log or Path(f"/tmp/{BENCH_DB}_gunicorn_{port}.log")
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py")],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(port, proc, log)
            yield port
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _wait_until_up(port: int, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /health/ within {timeout}s; see {log}")


# --- HTTP clients --------------------------------------------------------------------------------

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Client:
    """One simulated visitor: a keep-alive connection plus cookies, like a browser tab."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def request(self, method: str, path: str, form: dict | list | None = None) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "cp-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection; a browser would reconnect too.
                self.conn.close()
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data

    def fetch_csrf(self, path: str) -> None:
        """GET a page with a form: the csrftoken cookie plus the form's masked token, as a browser gets."""
        status, body = self.request("GET", path)
        match = _CSRF_INPUT.search(body.decode("utf-8", "replace"))
        if status != 200 or not match or "csrftoken" not in self.cookies:
            raise RuntimeError(f"GET {path} gave {status} without a CSRF token")
        self.csrf_token = match.group(1)


# --- wrk ------------------------------------------------------------------------------------------

# wrk's `done` hook, added to every script: the figures as one JSON line (latencies in ms).
WRK_REPORT = r"""
done = function(summary, latency, requests)
  io.write("WRKJSON " .. string.format(
    '{"requests": %d, "seconds": %.3f, "p50": %.3f, "p95": %.3f, "p99": %.3f, "status_errors": %d, '
    .. '"socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def wrk(port: int, path: str, *, seconds: int, connections: int, script: str = "") -> dict:
    """Load `path` with wrk (Debian package `wrk`: C, 2 threads, keep-alive connections) for `seconds`.

    `script` is Lua that may define `request` or `setup` (plain GETs without). Returns requests,
    seconds, p50/p95/p99 in ms, status_errors (answers of 400 and up) and socket_errors.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + WRK_REPORT)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                f.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        os.unlink(f.name)
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRKJSON "))
    return json.loads(line.removeprefix("WRKJSON "))


# --- Load generator ------------------------------------------------------------------------------


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    statuses: Counter

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index]

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies_ms) if self.latencies_ms else float("nan")


def run_load(
    clients: list[Client],
    make_request: Callable[[Client, int], tuple[str, str, dict | list | None]],
    *,
    total: int,
    max_seconds: float = 60,
) -> LoadResult:
    """Send `total` requests spread over `clients`, each client in its own thread, one request at a time.

    `make_request(client, n)` returns (method, path, form) for the client's n-th request (n counts per
    client). Bounded: at most MAX_REQUESTS requests and MAX_SECONDS seconds, loopback only.
    """
    total = min(total, MAX_REQUESTS)
    max_seconds = min(max_seconds, MAX_SECONDS)
    per_client = [total // len(clients) + (1 if i < total % len(clients) else 0) for i in range(len(clients))]
    latencies: list[list[float]] = [[] for _ in clients]
    statuses: list[Counter] = [Counter() for _ in clients]
    start_gate = threading.Barrier(len(clients) + 1)
    deadline_holder: list[float] = []

    def worker(i: int) -> None:
        client = clients[i]
        start_gate.wait()
        deadline = deadline_holder[0]
        for n in range(per_client[i]):
            if time.monotonic() > deadline:
                break
            method, path, form = make_request(client, n)
            t0 = time.perf_counter()
            try:
                status, _body = client.request(method, path, form)
            except OSError as exc:
                status = f"error:{type(exc).__name__}"
            latencies[i].append((time.perf_counter() - t0) * 1000)
            statuses[i][status] += 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    deadline_holder.append(time.monotonic() + max_seconds)
    t_start = time.perf_counter()
    start_gate.wait()
    for thread in threads:
        thread.join(max_seconds + 30)
    elapsed = time.perf_counter() - t_start
    all_latencies = [x for chunk in latencies for x in chunk]
    all_statuses: Counter = Counter()
    for counter in statuses:
        all_statuses.update(counter)
    return LoadResult(len(all_latencies), elapsed, all_latencies, all_statuses)


def load_results(
    bench: str, what: str, measured: LoadResult, floor: LoadResult | None, *, targets: dict[str, str] | None = None
) -> list[Result]:
    """Throughput and p50/p95/p99 as Results, each next to the floor's figure."""
    targets = targets or {}

    def check(key: str, value: float) -> bool | None:
        target = targets.get(key, "")
        if not target:
            return None
        op, number = target.split()[0], float(target.split()[1])
        return value >= number if op == ">=" else value < number

    rows = [("throughput", f"{what}: throughput", measured.throughput, floor.throughput if floor else None, "req/s")]
    for p in (50, 95, 99):
        rows.append(
            (f"p{p}", f"{what}: p{p} latency", measured.percentile(p), floor.percentile(p) if floor else None, "ms")
        )
    return [
        Result(
            bench,
            name,
            round(value, 1),
            unit,
            None if fl is None else round(fl, 1),
            targets.get(key, ""),
            check(key, value),
        )
        for key, name, value, fl, unit in rows
    ]


# --- Running one bench module --------------------------------------------------------------------


def cli(run: Callable[[], list[Result]]) -> None:
    """`python -m bench.<name> [--json FILE]`: run the bench, print its figures, optionally save JSON."""
    import argparse
    import json

    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the results here as JSON")
    args = parser.parse_args()
    results = run()
    for r in results:
        floor = f"  (floor {r.floor} {r.unit})" if r.floor is not None else ""
        verdict = "" if r.ok is None else ("  OK" if r.ok else "  MISSED " + r.target)
        print(f"{r.bench:>15} | {r.name}: {r.value} {r.unit}{floor}{verdict}  {r.note}".rstrip())
    if args.json:
        Path(args.json).write_text(json.dumps([r.as_dict() for r in results], indent=2))
