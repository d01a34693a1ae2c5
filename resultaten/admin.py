"""The publications in the admin: read-only rows, and one button that publishes (programme staff only).

Publishing is a button on the list rather than a list action because the first publication has no row
to select. It runs in the task worker (immediately in development), so a long PDF render never holds
up the request. The publish page is `resultaten.admin_views.publish_view`.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from core.permissions import ProgrammateamReadOnlyMixin
from resultaten import admin_views
from resultaten.models import OpenDataBestand, Publicatie


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
            "publiceren/",
            self.admin_site.admin_view(partial(admin_views.publish_view, self)),
            name="resultaten_publicatie_publiceren",
        )
        return [publish, *super().get_urls()]

    def has_publish_permission(self, request) -> bool:
        # Publishing freezes what programme staff see here: whoever may view the publications (programme
        # staff with the model permission, the mixin's rule) may publish the next one.
        return self.has_view_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_publish": self.has_publish_permission(request)}
        return super().changelist_view(request, extra_context)
