"""Site-wide middleware: the Permissions-Policy header, two-factor enforcement for staff, and a
friendly 503 when the database is unreachable."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template import loader
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# The portal uses none of these browser features; saying so stops injected or third-party code
# from asking for them.
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "autoplay": "()",
    "camera": "()",
    "display-capture": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "midi": "()",
    "payment": "()",
    "usb": "()",
    "fullscreen": "(self)",
}

# "Cannot reach the database" (server down, connection refused or dropped, database locked).
DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


def is_database_outage(exception: BaseException) -> bool:
    """True when `exception` means the database cannot be reached, not that a query or the data is wrong."""
    if isinstance(exception, DATABASE_DOWN_ERRORS):
        return True
    # psycopg2 reports a few connections that drop mid-reply as a bare DatabaseError (e.g. "error with
    # status PGRES_TUPLES_OK and no message from the libpq"). Only that exact class, and only when a
    # connection is then gone: its subclasses (ProgrammingError, IntegrityError, DataError) are bugs
    # or bad data and must stay a 500.
    return type(exception) is DatabaseError and _a_connection_is_lost()


def _a_connection_is_lost() -> bool:
    for connection in connections.all(initialized_only=True):
        try:
            if connection.connection is None or not connection.is_usable():
                return True
        except Exception:
            return True
    return False


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", PERMISSIONS_POLICY)
        self.header = ", ".join(f"{feature}={allow}" for feature, allow in policy.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


# django-import-export 4.4.3's admin export page (admin/import_export/export.html) has one inline
# event handler (the "select all" checkbox) and two style="" attributes. Rather than 'unsafe-inline',
# exactly those three snippets are allowed by hash ('unsafe-hashes' admits hashed attributes only,
# never <script> blocks), and only on admin export pages. Check these when upgrading the package.
ADMIN_EXPORT_CSP_UPDATE = {
    "script-src": [
        "'unsafe-hashes'",
        "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",
    ],  # onSelectToggleChange(event)
    "style-src": [
        "'unsafe-hashes'",
        "'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='",  # padding: 0;
        "'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='",  # font-weight: bold;
    ],
}


class AdminExportCspMiddleware:
    """Adds ADMIN_EXPORT_CSP_UPDATE to the policy of /admin/.../export/ pages only.
    Must come after csp.middleware.CSPMiddleware, which reads `_csp_update` from the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        path = request.path_info
        if path.startswith("/admin/") and path.endswith("/export/") and not hasattr(response, "_csp_update"):
            response._csp_update = ADMIN_EXPORT_CSP_UPDATE
        return response


def database_unavailable_response() -> HttpResponse:
    """The friendly Dutch 503 page, rendered without the request on purpose: context processors
    (the logged-in user, messages) would query the database that just failed."""
    html = loader.get_template("503.html").render({"CONTACT_EMAIL": settings.CONTACT_EMAIL})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection in a view or template into the 503 page instead of a traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            logger.error("Database unavailable while serving %s", request.path, exc_info=exception)
            return database_unavailable_response()
        return None


class StaffTwoFactorMiddleware:
    """With settings.REQUIRE_2FA on, a staff account that has logged in with its password but not yet
    with a one-time code is sent to the verification page (or, without a device, to enrolment) for
    every page except those needed to get there. Fail closed: staff pages added later are covered
    without listing them. Must come after django_otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if getattr(settings, "REQUIRE_2FA", False) and not self._exempt(request):
            try:
                redirect_to = self._redirect_for(request)
            except DatabaseError as exc:
                if not is_database_outage(exc):
                    raise
                # Loading the session's user failed; this runs outside the view, so say it here.
                logger.error("Database unavailable while checking two-factor status", exc_info=True)
                return database_unavailable_response()
            if redirect_to:
                return redirect_to
        return self.get_response(request)

    @staticmethod
    def _exempt(request: HttpRequest) -> bool:
        path = request.path
        if path.startswith(settings.STATIC_URL) or path.startswith(reverse("twofactor:index")):
            return True
        return path in {reverse("admin:logout"), reverse("admin:login"), reverse("health"), reverse("set_language")}

    @staticmethod
    def _redirect_for(request: HttpRequest) -> HttpResponse | None:
        from django_otp import user_has_device

        user = request.user
        if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
            return None
        if user.is_verified():
            return None
        target = "twofactor:verify" if user_has_device(user, confirmed=True) else "twofactor:enrol"
        url = reverse(target)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return HttpResponseRedirect(url)
