"""Public pages for the regional sessions. Views stay thin: who gets a seat is decided in services."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, ListView, View
from django.views.generic.detail import SingleObjectMixin

from core.ratelimit import ratelimit_post
from regiosessies import services
from regiosessies.forms import AanmeldingForm, GegevensWijzigenForm, ResultsConsentForm
from regiosessies.ics import session_ics
from regiosessies.models import Aanmelding, Regiosessie

logger = logging.getLogger(__name__)


class SessionMixin:
    """Sessions with their confirmed/waitlisted counts in the same query, so availability costs nothing."""

    def sessions(self):
        return Regiosessie.objects.select_related("regio").with_counts()


class SessionListView(SessionMixin, ListView):
    template_name = "regiosessies/regiosessie_list.html"
    context_object_name = "sessions"

    def get_queryset(self):
        return self.sessions().order_by("start")


class ChooseSessionView(SessionListView):
    """The old site's signup address: first choose the region, then fill in the form."""

    template_name = "regiosessies/regiosessie_kies.html"


class SessionDetailView(SessionMixin, DetailView):
    template_name = "regiosessies/regiosessie_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        return self.sessions()


@method_decorator(ratelimit_post("aanmelden"), name="dispatch")
class RegisterView(SessionMixin, FormView):
    """The registration form. A duplicate address and a new registration end on the same neutral page."""

    template_name = "regiosessies/aanmelding_form.html"
    form_class = AanmeldingForm

    @cached_property
    def session(self) -> Regiosessie:
        # Only a page that is shown needs the session (with its seat counts): the form, or the form
        # again with errors. A valid POST never loads it here: `services.register` locks the
        # session by slug, and that lock is the registration's only lookup.
        return get_object_or_404(self.sessions(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.session
        context["availability"] = self.session.availability()
        context["open_for_registration"] = self.session.is_open_for_registration()
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
                results_consent=data["results_consent"],
            )
        except Regiosessie.DoesNotExist:
            raise Http404 from None
        except services.RegistrationClosed as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class RegistrationSentView(SessionMixin, DetailView):
    """'Check your mailbox': the same page for a new registration, a waiting-list place and a duplicate."""

    template_name = "regiosessies/aanmelding_verstuurd.html"
    context_object_name = "session"

    def get_queryset(self):
        return self.sessions()


@method_decorator(never_cache, name="dispatch")
@method_decorator(ratelimit_post("aanmelding"), name="dispatch")
class PersonalLinkMixin(SingleObjectMixin):
    """The pages behind the personal link: found by token, never cached, kept out of search engines."""

    slug_field = "token"
    slug_url_kwarg = "token"
    context_object_name = "aanmelding"

    def get_queryset(self):
        return Aanmelding.objects.filter(anonymised_at__isnull=True).select_related("session", "session__regio")

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class AanmeldingDetailView(PersonalLinkMixin, DetailView):
    """The personal page behind the link in the emails: the registration and what can be done with it."""

    template_name = "regiosessies/aanmelding_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.object.session
        context["position"] = self.object.waitlist_position()
        context["can_cancel"] = self.object.participant_can_cancel()
        context["can_undo"] = self.object.undo_possible()
        context["can_register_again"] = self.object.session.is_open_for_registration()
        context["can_edit"] = self.object.status != Aanmelding.Status.CANCELLED and not self.object.session.cancelled
        context["results_consent"] = self.object.wants_results()
        return context


class ResultsConsentView(PersonalLinkMixin, View):
    """The personal page's switch for the results email (POST only); answers on the personal page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        aanmelding = self.get_object()
        form = ResultsConsentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Er ging iets mis met uw keuze; probeer het opnieuw."))
        elif form.cleaned_data["results_consent"]:
            services.set_results_consent(aanmelding=aanmelding, consent=True)
            messages.success(request, _("U ontvangt de resultaten van de consultatie per e-mail."))
        else:
            services.set_results_consent(aanmelding=aanmelding, consent=False)
            messages.success(request, _("U ontvangt geen e-mail meer over de resultaten."))
        return redirect(aanmelding.get_absolute_url())


class SessionAgendaView(SessionMixin, DetailView):
    """The session as a calendar file (the "add to calendar" link): the same for every visitor."""

    def get_queryset(self):
        return Regiosessie.objects.all()

    def render_to_response(self, context, **response_kwargs):
        response = HttpResponse(session_ics(self.object), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.object.slug}.ics"'
        return response


class CancelRegistrationView(PersonalLinkMixin, DetailView):
    """Cancelling asks first: GET shows what cancelling means, POST cancels."""

    template_name = "regiosessies/aanmelding_annuleren.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session"] = self.object.session
        context["can_cancel"] = self.object.participant_can_cancel()
        return context

    def post(self, request, *args, **kwargs):
        aanmelding = self.get_object()
        if aanmelding.status == Aanmelding.Status.CANCELLED:
            messages.info(request, _("Deze aanmelding was al geannuleerd."))
        elif not aanmelding.participant_can_cancel():
            messages.info(request, _("Deze aanmelding kan niet meer worden geannuleerd."))
        else:
            services.cancel_registration(aanmelding=aanmelding)
            messages.success(request, _("Uw aanmelding is geannuleerd. U ontvangt een bevestiging per e-mail."))
        return redirect(aanmelding.get_absolute_url())


class UndoCancellationView(PersonalLinkMixin, View):
    """Undo a cancellation (POST): the seat back while it is still free (services.undo_cancellation)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        aanmelding = self.get_object()
        try:
            services.undo_cancellation(aanmelding=aanmelding)
        except services.SeatNoLongerFree:
            messages.error(
                request,
                _("Uw plaats is intussen niet meer vrij, dus de annulering kan niet worden teruggedraaid."),
            )
        else:
            messages.success(
                request,
                _("Uw annulering is teruggedraaid: u heeft uw plaats weer. U ontvangt een bevestiging per e-mail."),
            )
        return redirect(aanmelding.get_absolute_url())


class UpdateDetailsView(PersonalLinkMixin, FormView):
    """Correct name, organisation, role and needs; the email address cannot be changed here (see template)."""

    template_name = "regiosessies/aanmelding_wijzigen.html"
    form_class = GegevensWijzigenForm

    def dispatch(self, request, *args, **kwargs):
        self.object = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["aanmelding"] = self.object
        context["session"] = self.object.session
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        services.update_details(
            aanmelding=self.object,
            name=data["name"],
            organisation_type=data["organisation_type"],
            organisation=data["organisation"],
            role=data["role"],
            needs=data["needs"],
        )
        messages.success(self.request, _("Uw gegevens zijn bijgewerkt."))
        return redirect(self.object.get_absolute_url())
