"""The round admin's own page: closing a round (asks first, then closes and freezes the results), and
the message both it and the list action give. Plain functions taking the model admin first;
`prioritering.admin` wires them up. Closing goes through `prioritering.services`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prioritering import selectors, services
from prioritering.models import Ronde


def close_view(model_admin, request, object_id):
    """Asks first (GET), then closes the round and freezes its results (POST)."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    ronde = get_object_or_404(Ronde, pk=object_id)
    change_url = reverse("admin:prioritering_ronde_change", args=[ronde.pk])
    if request.method == "POST":
        close_round(model_admin, request, ronde)
        return redirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Prioriteringsronde sluiten"),
        "ronde": ronde,
        "results": selectors.live_results(ronde),
        "change_url": change_url,
    }
    return TemplateResponse(request, "admin/prioritering/ronde/sluiten.html", context)


def close_round(model_admin, request, ronde: Ronde) -> None:
    """Close one round through the service and tell the user how it went (action and close page)."""
    try:
        services.close_round(ronde=ronde)
    except services.RoundError as exc:
        model_admin.message_user(request, " ".join(exc.messages), messages.ERROR)
    else:
        model_admin.message_user(
            request, _("%(ronde)s is gesloten; de uitslag is vastgelegd.") % {"ronde": ronde}, messages.SUCCESS
        )
