"""Site-wide pages: the consultation's home page, the privacy and accessibility statements,
the health check and the error pages."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from belemmeringen.models import Dimensie, Niveau, Thema
from core.middleware import database_unavailable_response, is_database_outage
from regiosessies.models import Regiosessie


class HomeView(TemplateView):
    template_name = "consultatie/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["themes"] = Thema.objects.prefetch_related("subthemas")
        context["dimensies"] = Dimensie.choices
        context["niveaus"] = Niveau.choices
        context["sessions"] = Regiosessie.objects.select_related("regio").order_by("start")
        return context


class PrivacyView(TemplateView):
    template_name = "consultatie/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["retention_days"] = settings.PERSONAL_DATA_RETENTION_DAYS
        context["contact_max_days"] = settings.CONTACT_MESSAGE_MAX_DAYS
        context["privacy_version"] = settings.PRIVACY_STATEMENT_VERSION
        context["results_followup_until"] = settings.RESULTS_FOLLOWUP_UNTIL
        return context


class ToegankelijkheidView(TemplateView):
    template_name = "consultatie/toegankelijkheid.html"


@never_cache
def health(request):
    """200 when the database answers a query, 503 when it does not. For load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A database outage that surfaced outside a view (e.g. in the redirects middleware on a 404) is
    # still an outage, not a bug: answer with the 503 page, which tells people to try again shortly.
    exception = sys.exc_info()[1]
    if exception is not None and is_database_outage(exception):
        return database_unavailable_response()
    # Rendered without the request's context processors: the failure may be the database itself,
    # and the auth context processor would touch it again.
    html = loader.get_template("500.html").render({"CONTACT_EMAIL": settings.CONTACT_EMAIL})
    return HttpResponseServerError(html)


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect, for objects the admin would show this user only.

    Django's own view (contenttypes' shortcut) checks staff status alone and takes the host from the
    sites framework, whose domain was never set (its placeholder domain, over plain http). Here the object must
    be in the model admin's queryset for this user and pass its view check, its admin must offer
    "view on site" at all (the registration admin does not: its public URL is the personal link), and
    the address is built from settings.SITE_URL.
    """
    from django.contrib import admin
    from django.contrib.admin.exceptions import NotRegistered
    from django.contrib.contenttypes.models import ContentType
    from django.core.exceptions import ObjectDoesNotExist, ValidationError
    from django.http import Http404, HttpResponseRedirect

    try:
        model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        if model is None:  # a content type whose model no longer exists
            raise ObjectDoesNotExist
        model_admin = admin.site.get_model_admin(model)
        obj = model_admin.get_queryset(request).get(pk=object_id)
    except (ValueError, TypeError, ValidationError, ObjectDoesNotExist, NotRegistered):
        obj = None
    if obj is None or not model_admin.has_view_permission(request, obj) or not model_admin.get_view_on_site_url(obj):
        raise Http404
    return HttpResponseRedirect(settings.SITE_URL + obj.get_absolute_url())
