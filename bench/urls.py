"""The portal's URLs plus a bare view, served by the same gunicorn: the floor every figure is set against.

The bare view goes through the full middleware stack (sessions, CSRF, locale, security) but does no
database work and renders no template, so the gap between it and a real page is the page's own cost.
"""

from django.http import HttpResponse
from django.urls import path

from consultatie import urls as site_urls


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare, name="bench-bare")] + site_urls.urlpatterns
# Django looks the error views up in the URLconf it serves: the portal's own.
handler404 = site_urls.handler404
handler500 = site_urls.handler500
