"""The production stack for the scale-out test, started from this checkout the way docs/deploy.md says:
a fresh PostgreSQL database, migrations, collectstatic, two gunicorn instances (DEBUG=0, production
settings) on their own ports, one `manage.py db_worker`, Redis as the shared cache under a key prefix
of its own, and a local SMTP server (aiosmtpd) that records every message.

Every process runs in its own process group, so a kill reaches gunicorn's workers too, and `close()`
ends them all. Logs go to files in the stack's temporary directory; failures quote their tail.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
GUNICORN_CONF = BASE_DIR / "gunicorn.conf.py"
# Each instance gets two worker processes (WEB_CONCURRENCY, read by gunicorn.conf.py): on a 2-core
# machine two instances then use both cores without starving the task worker and PostgreSQL.
WORKERS_PER_INSTANCE = "2"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def http_get(port: int, path: str, *, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


# --- SMTP -----------------------------------------------------------------------------------------


class RecordingHandler:
    """aiosmtpd handler: keeps (recipient, subject) of every accepted message."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        subject = str(message.get("Subject", ""))
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((recipient.lower(), subject))
        return "250 Message accepted for delivery"

    def by_recipient(self) -> dict[str, list[str]]:
        with self.lock:
            result: dict[str, list[str]] = defaultdict(list)
            for recipient, subject in self.messages:
                result[recipient].append(subject)
            return dict(result)


class SmtpServer:
    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        # aiosmtpd logs every SMTP command at INFO; only its problems matter here.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


# --- PostgreSQL -----------------------------------------------------------------------------------


@dataclass
class Postgres:
    """The server named by DATABASE_URL; the stack gets a database of its own on it."""

    url: str

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 5432
        self.user = parts.username or "postgres"
        self.password = parts.password
        base = parts.path.lstrip("/") or "cp"
        self.name = f"{base}_scaleout_{os.getpid()}"
        self.stack_url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def _admin(self):
        import psycopg2

        conn = psycopg2.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, dbname="postgres"
        )
        conn.autocommit = True
        return conn

    def create(self) -> None:
        self.drop()
        conn = self._admin()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            conn.close()

    def drop(self) -> None:
        conn = self._admin()
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            conn.close()

    def cluster(self) -> tuple[str, str]:
        """(version, cluster name) of the local cluster on this port, from `pg_lsclusters`."""
        out = subprocess.run(
            ["pg_lsclusters", "--no-header"], check=True, capture_output=True, text=True, timeout=30
        ).stdout
        for line in out.splitlines():
            fields = line.split()
            if len(fields) >= 3 and fields[2] == str(self.port):
                return fields[0], fields[1]
        raise RuntimeError(f"No local PostgreSQL cluster listens on port {self.port}:\n{out}")

    def restart(self) -> float:
        """Restart the whole cluster (every connection is cut). Returns how long it took, in seconds."""
        version, name = self.cluster()
        started = time.monotonic()
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return time.monotonic() - started


# --- Processes ------------------------------------------------------------------------------------


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    supervised: bool = False  # restart on exit, as systemd's Restart=always does in production
    popen: subprocess.Popen | None = None
    restarts: int = 0
    _stopping: bool = False

    def start(self) -> Process:
        self._stopping = False
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(
            self.argv,
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: killpg reaches every child
        )
        handle.close()
        return self

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def send(self, sig: int) -> None:
        """Signal the whole process group (gunicorn's master and its workers) without waiting."""
        self._stopping = True
        if self.popen is not None:
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                pass

    def wait(self, timeout: float = 30) -> None:
        """Wait for the process to end (SIGKILL after `timeout`), then remove anything left in its group."""
        if self.popen is None:
            return
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.send(signal.SIGKILL)
            self.popen.wait(timeout=10)
        # Workers of a SIGKILLed master may outlive it for a moment; make sure none is left.
        self.send(signal.SIGKILL)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        self.send(sig)
        self.wait()

    def supervise_once(self) -> None:
        if self.supervised and not self._stopping and self.popen is not None and self.popen.poll() is not None:
            with self.log.open("a") as handle:
                handle.write(f"\n[harness] {self.name} exited with {self.popen.returncode}; restarting\n")
            self.restarts += 1
            self.start()


@dataclass
class Stack:
    database_url: str
    redis_db: int = 6
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cp_scaleout_")))

    def __post_init__(self) -> None:
        self.postgres = Postgres(self.database_url)
        self.smtp = SmtpServer()
        self.key_prefix = f"scaleout-{os.getpid()}-{secrets.token_hex(4)}"
        self.web: dict[str, Process] = {}
        self.ports: dict[str, int] = {}
        self.worker: Process | None = None
        self._supervisor_stop = threading.Event()
        self._supervisor: threading.Thread | None = None

    # -- environment

    def env(self) -> dict[str, str]:
        """Production settings, nothing inherited from the test run except the basics of a shell."""
        keep = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ") if k in os.environ}
        return keep | {
            "DJANGO_SETTINGS_MODULE": "consultatie.settings",
            "DEBUG": "0",
            "SECRET_KEY": "scaleout-test-" + secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.postgres.stack_url,
            "TASK_BACKEND": "database",
            "REDIS_URL": f"redis://127.0.0.1:6379/{self.redis_db}",
            "CACHE_KEY_PREFIX": self.key_prefix,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
            "SITE_URL": "http://127.0.0.1",
            # Every simulated person comes from 127.0.0.1; the per-client limit would stop them all.
            "REGISTRATION_RATE_LIMIT": "100000",
            "WEB_CONCURRENCY": WORKERS_PER_INSTANCE,
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def manage(self, *args: str, timeout: float = 180) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=self._env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def probe(self, *args: str) -> dict:
        result = subprocess.run(
            [PYTHON, "-m", "consultatie.tests.scaleout.probe", *args],
            cwd=BASE_DIR,
            env=self._env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"probe {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout)

    # -- life cycle

    def start(self) -> Stack:
        self._env = self.env()
        self.smtp.start()
        self.postgres.create()
        # Independent of each other, so side by side: they are most of the start-up time.
        collect = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=self._env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.manage("migrate", "--noinput", "-v", "0")
        output, _ = collect.communicate(timeout=300)
        if collect.returncode != 0:
            raise RuntimeError(f"collectstatic failed:\n{output}")
        for name in ("a", "b"):
            self.start_web(name)
        self.worker = Process(
            "worker",
            [PYTHON, "manage.py", "db_worker", "--interval", "0.5", "--no-startup-delay", "--no-reload"],
            self._env,
            self.tmp / "worker.log",
            supervised=True,
        ).start()
        for name in self.web:
            self.wait_healthy(name)
        self._supervisor = threading.Thread(target=self._supervise, name="supervisor", daemon=True)
        self._supervisor.start()
        return self

    def _supervise(self) -> None:
        while not self._supervisor_stop.wait(1.0):
            if self.worker is not None:
                self.worker.supervise_once()

    def start_web(self, name: str) -> Process:
        port = self.ports.setdefault(name, free_port())
        argv = [GUNICORN]
        if GUNICORN_CONF.exists():
            argv += ["--config", str(GUNICORN_CONF)]
        argv += [
            "--bind",
            f"127.0.0.1:{port}",
            "--pid",
            str(self.tmp / f"web-{name}.pid"),
            # Gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl):
            # instances on one host must each have their own, or they take it from each other.
            "--control-socket",
            str(self.tmp / f"web-{name}.ctl"),
            "consultatie.wsgi:application",
        ]
        self.web[name] = Process(f"web-{name}", argv, self._env, self.tmp / f"web-{name}.log").start()
        return self.web[name]

    def ensure_web(self) -> None:
        """Both instances up (an earlier test may have killed one)."""
        for name in ("a", "b"):
            if name not in self.web or not self.web[name].alive:
                if name in self.web:
                    self.web[name].kill()
                self.start_web(name)
            self.wait_healthy(name)

    def wait_healthy(self, name: str, timeout: float = 60) -> None:
        process, port = self.web[name], self.ports[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not process.alive:
                raise RuntimeError(f"{process.name} exited during start-up:\n{tail(process.log)}")
            try:
                if http_get(port, "/health/", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{process.name} not healthy after {timeout}s:\n{tail(process.log)}")

    def target(self, name: str) -> str:
        return f"127.0.0.1:{self.ports[name]}"

    def logs(self) -> str:
        parts = []
        for process in [*self.web.values(), self.worker]:
            if process is not None:
                parts.append(f"--- {process.name} ({process.log}) ---\n{tail(process.log, 30)}")
        return "\n".join(parts)

    def close(self) -> None:
        self._supervisor_stop.set()
        if self._supervisor is not None:
            self._supervisor.join(5)
        processes = [p for p in [*self.web.values(), self.worker] if p is not None]
        for process in processes:
            process.send(signal.SIGTERM)
        for process in processes:
            process.wait()
        try:
            self.smtp.stop()
        except Exception:
            pass
        self._clear_cache()
        try:
            self.postgres.drop()
        finally:
            if not os.environ.get("SCALEOUT_KEEP_LOGS"):
                shutil.rmtree(self.tmp, ignore_errors=True)

    def _clear_cache(self) -> None:
        """Remove only this stack's keys: others use the same Redis."""
        import redis

        client = redis.Redis(host="127.0.0.1", port=6379, db=self.redis_db)
        try:
            keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=500))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass
        finally:
            client.close()


def is_postgres_url(url: str) -> bool:
    return bool(re.match(r"^(postgres|postgresql|pgsql)(\+\w+)?://", url or ""))
