"""Public pages for the regional sessions. Views stay thin: who gets a seat is decided in services."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView

from consultatie.ratelimit import ratelimit_post
from regiosessies import services
from regiosessies.forms import AanmeldingForm
from regiosessies.models import Aanmelding, Regiosessie

logger = logging.getLogger(__name__)


class SessieMixin:
    """Sessions with their confirmed/waitlisted counts in the same query, so availability costs nothing."""

    def sessions(self):
        return Regiosessie.objects.select_related("regio").with_counts()


class SessieListView(SessieMixin, ListView):
    template_name = "regiosessies/regiosessie_list.html"
    context_object_name = "sessies"

    def get_queryset(self):
        return self.sessions().order_by("start")


class KiesSessieView(SessieListView):
    """The old site's signup address: first choose the region, then fill in the form."""

    template_name = "regiosessies/regiosessie_kies.html"


class SessieDetailView(SessieMixin, DetailView):
    template_name = "regiosessies/regiosessie_detail.html"
    context_object_name = "sessie"

    def get_queryset(self):
        return self.sessions()


@method_decorator(ratelimit_post("aanmelden"), name="dispatch")
class AanmeldenView(SessieMixin, FormView):
    """The registration form. A duplicate address and a new registration end on the same neutral page."""

    template_name = "regiosessies/aanmelding_form.html"
    form_class = AanmeldingForm

    @cached_property
    def sessie(self) -> Regiosessie:
        # Only a page that is shown needs the session (with its seat counts): the form, or the form
        # again with errors. A valid POST never loads it here: `services.register` locks the
        # session by slug, and that lock is the registration's only lookup.
        return get_object_or_404(self.sessions(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessie"] = self.sessie
        context["availability"] = self.sessie.availability()
        return context

    def get_success_url(self) -> str:
        return reverse("regiosessies:verstuurd", kwargs={"slug": self.kwargs["slug"]})

    def form_valid(self, form):
        if form.is_spam():
            # Bots get the page a person gets, so they learn nothing; nothing is stored or sent.
            logger.info("Honeypot filled on registration for %s; ignored.", self.kwargs["slug"])
            return HttpResponseRedirect(self.get_success_url())
        data = form.cleaned_data
        try:
            services.register(
                session=self.kwargs["slug"],
                name=data["name"],
                email=data["email"],
                organisation_type=data["organisation_type"],
                organisation=data["organisation"],
                role=data["role"],
                themes=data["themes"],
                needs=data["needs"],
                remarks=data["remarks"],
            )
        except Regiosessie.DoesNotExist:
            raise Http404 from None
        except services.RegistrationClosed as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class AanmeldingVerstuurdView(SessieMixin, DetailView):
    """'Check your mailbox': the same page for a new registration, a waiting-list place and a duplicate."""

    template_name = "regiosessies/aanmelding_verstuurd.html"
    context_object_name = "sessie"

    def get_queryset(self):
        return self.sessions()


@method_decorator(never_cache, name="dispatch")
@method_decorator(ratelimit_post("aanmelding"), name="dispatch")
class AanmeldingDetailView(DetailView):
    """The personal page behind the link in the emails: see the registration, cancel it (POST)."""

    template_name = "regiosessies/aanmelding_detail.html"
    context_object_name = "aanmelding"
    slug_field = "token"
    slug_url_kwarg = "token"

    def get_queryset(self):
        return Aanmelding.objects.filter(anonymised_at__isnull=True).select_related("session", "session__regio")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessie"] = self.object.session
        context["position"] = services.waitlist_position(self.object)
        context["can_cancel"] = (
            self.object.status != Aanmelding.Status.CANCELLED and not self.object.session.cancelled
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # A personal page: keep it out of search engines even if a link leaks.
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def post(self, request, *args, **kwargs):
        aanmelding = self.get_object()
        if aanmelding.status == Aanmelding.Status.CANCELLED:
            messages.info(request, _("Deze aanmelding was al geannuleerd."))
        else:
            services.cancel_registration(aanmelding=aanmelding)
            messages.success(
                request, _("Uw aanmelding is geannuleerd. U ontvangt een bevestiging per e-mail.")
            )
        return redirect(aanmelding.get_absolute_url())
