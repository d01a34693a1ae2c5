"""Gunicorn settings for the portal. Every value can be overridden from the environment.

Defaults suit a small 2-core machine: a few processes for CPU (Django is mostly Python), each with a few
threads so that time spent waiting on PostgreSQL or Redis is not wasted. Raise WEB_CONCURRENCY first
when there are more cores.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

from gunicorn.glogging import Logger as _GunicornLogger

# gunicorn reads this file before it puts its working directory on the import path.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from core.redaction import RedactTokensFilter


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number; got {raw!r}.") from None
    if value < 1:
        raise SystemExit(f"{name} must be at least 1; got {value}.")
    return value


_cores = multiprocessing.cpu_count()

wsgi_app = "consultatie.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One process per core plus one: more processes than cores only add context switches for Python code.
workers = _int("WEB_CONCURRENCY", _cores + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = _int("GUNICORN_THREADS", 4)
# Keep-alive lets a browser (or the benchmark) reuse its connection for the next request.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Import Django once in the master and fork the workers from it: a worker (re)starts in milliseconds
# instead of a second or two of CPU, and the workers share the imported code's memory. The price: a
# HUP re-reads this file but not the code, so a release restarts the instances (docs/deploy.md).
# Nothing opens a database or Redis connection at import time, so no connection is shared by forks.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Restart workers now and then so a slow leak never grows without bound; jitter avoids all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
backlog = _int("GUNICORN_BACKLOG", 2048)
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
# The access log: client, time, method, path (no query string), status, bytes, milliseconds, user
# agent. No referer: it names the page someone came from, often their personal link. Any
# personal-link token left in a line (the path of /aanmelding/<token>/) is replaced by
# RedactingLogger below, as Django's own log lines are by settings.LOGGING (docs/deploy.md, "Logs").
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


class RedactingLogger(_GunicornLogger):
    """gunicorn's error and access logs with personal-link tokens replaced (core/redaction.py)."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactTokensFilter) for f in handler.filters):
                    handler.addFilter(RedactTokensFilter())


logger_class = RedactingLogger
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# Behind a TLS-terminating proxy on the same host, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), so a second
# instance on the same host would take over the first one's. Off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
