"""The contact page at /contact/. Thin: the form validates, the service stores and queues the email."""

from __future__ import annotations

import logging

from django.http import HttpResponseRedirect
from django.urls import path, reverse_lazy
from django.utils.decorators import method_decorator
from django.views.generic import FormView, TemplateView

from consultatie.forms import ContactForm
from consultatie.services import submit_contact_message
from core.ratelimit import ratelimit_post

logger = logging.getLogger(__name__)


@method_decorator(ratelimit_post("contact"), name="dispatch")
class ContactView(FormView):
    template_name = "consultatie/contact_form.html"
    form_class = ContactForm
    success_url = reverse_lazy("contact_verzonden")

    def form_valid(self, form):
        if form.is_spam():
            logger.info("Honeypot filled on the contact form; ignored.")
            return HttpResponseRedirect(self.get_success_url())
        data = form.cleaned_data
        submit_contact_message(name=data["name"], email=data["email"], subject=data["subject"], message=data["message"])
        return HttpResponseRedirect(self.get_success_url())


class ContactVerzondenView(TemplateView):
    template_name = "consultatie/contact_done.html"


urlpatterns = [
    path("", ContactView.as_view(), name="contact"),
    path("verzonden/", ContactVerzondenView.as_view(), name="contact_verzonden"),
]
