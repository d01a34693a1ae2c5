"""The publications admin's own page: what would be published, and the button that publishes (in the
task worker, immediately in development). Plain functions taking the model admin first;
`resultaten.admin` wires them up."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _g
from django_tasks import TaskResultStatus

from resultaten import snapshot
from resultaten.models import Publicatie
from resultaten.tasks import publish_results


def publish_view(model_admin, request):
    """GET: what would be published, and whether it differs from the latest version. POST: publish."""
    if not model_admin.has_publish_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        return _publish(model_admin, request)
    data = snapshot.build_snapshot()
    latest = Publicatie.objects.latest_version()
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _g("Resultaten publiceren"),
        "latest": latest,
        "counts": {
            "knelpunten": len(data["knelpunten"]),
            "entries": len(data["entries"]),
            "needs": len(data["needs"]),
            "sessions": len(data["sessions"]),
            "programme": len(data["programme"]),
        },
    }
    return TemplateResponse(request, "admin/resultaten/publicatie/publiceren.html", context)


def _publish(model_admin, request):
    result = publish_results.enqueue(request.user.pk)
    if result.status == TaskResultStatus.SUCCESSFUL:
        outcome = result.return_value
        if outcome["created"]:
            model_admin.message_user(
                request, _g("Versie %(v)s is gepubliceerd.") % {"v": outcome["version"]}, messages.SUCCESS
            )
        else:
            model_admin.message_user(
                request,
                _g("Niets nieuws gepubliceerd: de gegevens zijn gelijk aan versie %(v)s.") % {"v": outcome["version"]},
                messages.INFO,
            )
    elif result.status == TaskResultStatus.FAILED:
        model_admin.message_user(
            request, _g("Publiceren is mislukt; er is niets gepubliceerd. Probeer het opnieuw."), messages.ERROR
        )
    else:
        model_admin.message_user(
            request, _g("De publicatie wordt gemaakt. Ververs deze pagina over een paar minuten."), messages.INFO
        )
    return HttpResponseRedirect(reverse("admin:resultaten_publicatie_changelist"))
