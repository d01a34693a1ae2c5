"""Login protection: the django-axes backend as this portal uses it, and how it finds the client's address.

Settings live in consultatie/settings.py (AXES_*); the lockout page is templates/axes/lockout.html.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LoginProtectionBackend(AxesStandaloneBackend):
    """Refuses a locked-out username/IP pair before the password is checked.

    Every login over the web (the admin login form) passes the request, so it is counted and locked.
    `authenticate()` without a request (the test client's `client.login`, a shell) has no client
    address to count against; django-axes would raise, so here it is passed on to the next backend
    unchecked. Nothing in the portal calls `authenticate()` without the request.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs
    ):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The address login attempts are counted against.

    REMOTE_ADDR, unless settings.TRUST_X_FORWARDED_FOR says a TLS proxy is always in front: then the
    last X-Forwarded-For entry, the one that proxy appended itself. Earlier entries are whatever the
    client sent and could be forged to dodge the lockout.
    """
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The Dutch lockout page (settings.AXES_LOCKOUT_CALLABLE), status 429 Too Many Requests."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes}
    return render(request, "axes/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
