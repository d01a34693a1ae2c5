"""The publications in the admin: read-only rows, and one button that publishes (programme staff only).

Publishing is a button on the list rather than a list action because the first publication has no row
to select. It runs in the task worker (immediately in development), so a long PDF render never holds
up the request.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus

from core.permissions import ProgrammateamReadOnlyMixin
from resultaten import snapshot
from resultaten.models import OpenDataBestand, Publicatie
from resultaten.tasks import publish_results


class OpenDataBestandInline(admin.TabularInline):
    model = OpenDataBestand
    fields = ["dataset", "format", "rows", "sha256"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publicatie)
class PublicatieAdmin(ProgrammateamReadOnlyMixin, admin.ModelAdmin):
    # Read-only: a published version stays available, since links in emails and harvested catalogues point at it.

    list_display = ["version", "published_at", "published_by", "report_pages", "public_link"]
    readonly_fields = ["version", "published_at", "published_by", "fingerprint", "report_pdf", "report_pages"]
    fields = readonly_fields
    inlines = [OpenDataBestandInline]
    change_list_template = "admin/resultaten/publicatie/change_list.html"

    @admin.display(description=_("openbaar"))
    def public_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("resultaten:rapport_versie", args=[obj.version]), _g("bekijk")
        )

    def get_urls(self):
        publish = path(
            "publiceren/", self.admin_site.admin_view(self.publish_view), name="resultaten_publicatie_publiceren"
        )
        return [publish, *super().get_urls()]

    def has_publish_permission(self, request) -> bool:
        # Publishing freezes what programme staff see here: whoever may view the publications (programme
        # staff with the model permission, the mixin's rule) may publish the next one.
        return self.has_view_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_publish": self.has_publish_permission(request)}
        return super().changelist_view(request, extra_context)

    def publish_view(self, request):
        """GET: what would be published, and whether it differs from the latest version. POST: publish."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._publish(request)
        data = snapshot.build_snapshot()
        latest = Publicatie.objects.latest_version()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
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

    def _publish(self, request):
        result = publish_results.enqueue(request.user.pk)
        if result.status == TaskResultStatus.SUCCESSFUL:
            outcome = result.return_value
            if outcome["created"]:
                self.message_user(
                    request, _g("Versie %(v)s is gepubliceerd.") % {"v": outcome["version"]}, messages.SUCCESS
                )
            else:
                self.message_user(
                    request,
                    _g("Niets nieuws gepubliceerd: de gegevens zijn gelijk aan versie %(v)s.")
                    % {"v": outcome["version"]},
                    messages.INFO,
                )
        elif result.status == TaskResultStatus.FAILED:
            self.message_user(
                request, _g("Publiceren is mislukt; er is niets gepubliceerd. Probeer het opnieuw."), messages.ERROR
            )
        else:
            self.message_user(
                request, _g("De publicatie wordt gemaakt. Ververs deze pagina over een paar minuten."), messages.INFO
            )
        return HttpResponseRedirect(reverse("admin:resultaten_publicatie_changelist"))
