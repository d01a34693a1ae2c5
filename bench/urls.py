"""The portal's URLs plus a bare view, served by the same gunicorn: the floor every figure is set against.

The bare view goes through the full middleware stack (sessions, CSRF, locale, security) but does no
database work and renders no template, so the gap between it and a real page is the page's own cost.
"""

from django.http import HttpResponse
from django.urls import path

from consultatie.urls import handler404, handler500  # noqa: F401
from consultatie.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare, name="bench-bare")] + site_urlpatterns
