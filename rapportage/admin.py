from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from rapportage.models import RapportRender, RapportTekst


@admin.register(RapportTekst)
class RapportTekstAdmin(admin.ModelAdmin):
    """The report texts: one row, edited in place. Rendered escaped; blank lines make paragraphs."""

    list_display = ["title", "publication_date", "updated"]
    fieldsets = [
        (_("Voorkant"), {"fields": ["title", "subtitle", "author", "publication_date"]}),
        (_("Teksten"), {"fields": ["introduction", "conclusions"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RapportTekst.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RapportRender)
class RapportRenderAdmin(admin.ModelAdmin):
    """The cache of rendered reports, read-only: a report is made by downloading it."""

    list_display = ["created", "session", "status", "obstacle_count", "page_count", "finished"]
    list_filter = ["status", "session"]
    readonly_fields = [
        "id", "session", "fingerprint", "status", "pdf", "obstacle_count", "page_count", "error", "created", "finished"
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
