"""Public pages for the regional sessions. Views stay thin: who gets a seat is decided in services."""

from __future__ import annotations

from django.views.generic import DetailView, ListView

from regiosessies.models import Regiosessie


class SessieListView(ListView):
    template_name = "regiosessies/regiosessie_list.html"
    context_object_name = "sessies"

    def get_queryset(self):
        return Regiosessie.objects.select_related("regio").with_counts().order_by("start")


class KiesSessieView(SessieListView):
    """The old site's signup address: first choose the region, then fill in the form."""

    template_name = "regiosessies/regiosessie_kies.html"


class SessieDetailView(DetailView):
    template_name = "regiosessies/regiosessie_detail.html"
    context_object_name = "sessie"

    def get_queryset(self):
        return Regiosessie.objects.select_related("regio").with_counts()
