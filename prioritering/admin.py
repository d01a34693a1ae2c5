"""Admin for the prioritisation round: programme staff open a round (the add form), follow its live
results and turnout (the change page, staff only), and close it (an action). Opening and closing go
through `prioritering.services` (the close page is `prioritering.admin_views.close_view`); individual
ballots are not shown to anyone."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django import forms
from django.contrib import admin
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from belemmeringen.models import Behoefte
from core.permissions import ProgrammateamOnlyMixin
from prioritering import admin_views, selectors, services
from prioritering.models import Ronde


class RondeAddForm(forms.ModelForm):
    class Meta:
        model = Ronde
        fields = ["starts_at", "ends_at", "points_per_person", "max_per_need", "participants", "behoeften"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["behoeften"].queryset = Behoefte.objects.order_by("title")
        if not self.is_bound:
            self.initial.setdefault("behoeften", list(selectors.shopping_list_needs().values_list("pk", flat=True)))
            self.initial.setdefault("ends_at", timezone.now() + timedelta(days=14))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.check_round_settings(
                starts_at=cleaned["starts_at"],
                ends_at=cleaned["ends_at"],
                points_per_person=cleaned["points_per_person"],
                max_per_need=cleaned["max_per_need"],
                behoeften=cleaned["behoeften"],
            )
        except services.RoundError as exc:
            raise forms.ValidationError(exc.messages, code=exc.code) from None
        return cleaned


@admin.register(Ronde)
class RondeAdmin(ProgrammateamOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "status", "ends_at", "participants", "turnout"]
    list_filter = ["status"]
    actions = ["close_rounds"]
    filter_horizontal = ["behoeften"]
    readonly_fields = ["status", "closed_at", "opened_by", "results_table"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = RondeAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        settings_fields = ["starts_at", "ends_at", "points_per_person", "max_per_need", "participants", "behoeften"]
        if obj is None:
            return [(None, {"fields": settings_fields})]
        return [
            (None, {"fields": ["status", *settings_fields, "opened_by", "closed_at"]}),
            (_("Uitslag en opkomst"), {"fields": ["results_table"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        # A round's rules are fixed once people have cast ballots under them.
        if obj is None:
            return []
        return [
            "status",
            "starts_at",
            "ends_at",
            "points_per_person",
            "max_per_need",
            "participants",
            "behoeften",
            "opened_by",
            "closed_at",
            "results_table",
        ]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        close = path(
            "<path:object_id>/sluiten/",
            self.admin_site.admin_view(partial(admin_views.close_view, self)),
            name="%s_%s_sluiten" % info,
        )
        return [close, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ronde = Ronde.objects.filter(pk=object_id, status=Ronde.Status.OPEN).first() if object_id.isdigit() else None
        extra = {"close_url": reverse("admin:prioritering_ronde_sluiten", args=[ronde.pk])} if ronde else {}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = form.cleaned_data
        ronde = services.open_round(
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            points_per_person=data["points_per_person"],
            max_per_need=data["max_per_need"],
            attended_only=data["participants"] == Ronde.Deelnemers.ATTENDED,
            behoeften=data["behoeften"],
            opened_by=request.user,
        )
        # The admin goes on with `obj` (its log entry, the form's many-to-many): make it the stored round.
        obj.pk = ronde.pk
        obj._state.adding = False
        obj._state.db = ronde._state.db

    @admin.display(description=_("opkomst"))
    def turnout(self, obj: Ronde) -> str:
        results = selectors.live_results(obj)
        return f"{results.ballots} / {results.eligible}"

    @admin.display(description=_("uitslag"))
    def results_table(self, obj: Ronde) -> str:
        if obj is None or obj.pk is None:
            return "–"
        return render_to_string("prioritering/_resultaten.html", {"results": selectors.live_results(obj)})

    @admin.action(description=_("Geselecteerde ronde sluiten en de uitslag vastleggen"))
    def close_rounds(self, request, queryset):
        for ronde in queryset.filter(status=Ronde.Status.OPEN):
            admin_views.close_round(self, request, ronde)
