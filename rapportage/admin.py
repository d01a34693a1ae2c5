"""Admin for the report texts, the programme proposal and the render cache: programme staff only, with
the model permissions their group holds (core.permissions: ROLE_PERMISSIONS and ProgrammateamOnlyMixin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.permissions import ProgrammateamOnlyMixin
from rapportage.models import ProgrammaOnderdeel, RapportRender, RapportTekst


@admin.register(RapportTekst)
class RapportTekstAdmin(ProgrammateamOnlyMixin, admin.ModelAdmin):
    """The report's chapters: one row, edited in place. Rendered escaped; blank lines make paragraphs and
    lines starting with "- " make lists."""

    list_display = ["title", "version", "publication_date", "updated"]
    fieldsets = [
        (_("Voorkant en colofon"), {"fields": ["title", "subtitle", "author", "version", "publication_date"]}),
        (_("Voorwoord"), {"fields": ["introduction"]}),
        (_("Onderzoeksvraag 1: knelpunten en behoeften"), {"fields": ["answer_rq1"]}),
        (_("Onderzoeksvraag 2: hergebruik van de openbare verlichting"), {"fields": ["rq2_verdict", "answer_rq2"]}),
        (_("Conclusies"), {"fields": ["conclusions"]}),
        (_("Werkwijze en verantwoording"), {"fields": ["method"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RapportTekst.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgrammaOnderdeel)
class ProgrammaOnderdeelAdmin(ProgrammateamOnlyMixin, admin.ModelAdmin):
    """The items of the proposed national support programme, in the order of `order`."""

    list_display = ["title", "level", "organiser", "order"]
    list_editable = ["order"]
    search_fields = ["title", "aim", "offer"]
    autocomplete_fields = ["behoeften", "knelpunten"]
    fieldsets = [
        (None, {"fields": ["title", "order"]}),
        (_("Inhoud"), {"fields": ["aim", "offer", "first_steps"]}),
        (_("Wie organiseert het"), {"fields": ["level", "organiser"]}),
        (_("Waar het op antwoordt"), {"fields": ["behoeften", "knelpunten"]}),
    ]


@admin.register(RapportRender)
class RapportRenderAdmin(ProgrammateamOnlyMixin, admin.ModelAdmin):
    """The cache of rendered reports, read-only: a report is made by downloading it."""

    list_display = ["created", "session", "status", "obstacle_count", "page_count", "finished"]
    list_filter = ["status", "session"]
    readonly_fields = [
        "id",
        "session",
        "fingerprint",
        "status",
        "pdf",
        "obstacle_count",
        "page_count",
        "error",
        "created",
        "finished",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
