"""The data-subject page of the audit log admin: find, export or erase what is held about one address
(the work is done in `core.privacy`). Plain functions taking the model admin first; `core.admin`
wires them up in `AuditLogAdmin.get_urls`."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core import privacy
from core.forms import SubjectEraseForm, SubjectSearchForm


def requeued_message(count: int) -> str:
    """What the outbox, the bulk-mail and the session's sent-messages pages say after a resend."""
    return ngettext(
        "%(count)d bericht opnieuw in de wachtrij gezet.",
        "%(count)d berichten opnieuw in de wachtrij gezet.",
        count,
    ) % {"count": count}


# method_decorator: the request is the second argument, after the model admin.
@method_decorator(never_cache)
@method_decorator(sensitive_post_parameters("email"))
def subject_view(model_admin, request: HttpRequest) -> HttpResponse:
    """One page, three actions: search (show what is held), export (JSON download), erase."""
    if not model_admin.has_view_permission(request):  # programme staff with the log's view permission
        raise PermissionDenied
    action = request.POST.get("action", "") if request.method == "POST" else ""
    search_form = SubjectSearchForm(request.POST if action in {"search", "export"} else None)
    if action == "export" and search_form.is_valid():
        return _subject_export(request, search_form.cleaned_data["email"])
    if action != "erase":
        return _subject_page(model_admin, request, search_form, SubjectEraseForm())
    erase_form = SubjectEraseForm(request.POST)
    if erase_form.is_valid():
        return _subject_erase(request, erase_form.cleaned_data["email"])
    # Not confirmed: the same page again, with what is held and the erase form's error.
    email = request.POST.get("email", "")
    return _subject_page(model_admin, request, SubjectSearchForm({"email": email}), erase_form, email=email)


def _subject_export(request: HttpRequest, email: str) -> HttpResponse:
    payload = privacy.export_personal_data(email=email, actor=request.user)
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="persoonsgegevens.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def _subject_erase(request: HttpRequest, email: str) -> HttpResponse:
    result = privacy.erase_personal_data(email=email, actor=request.user)
    # Each source says what it did in its own words ("1 aanmelding geanonimiseerd"), core adds its own.
    messages.success(request, _("Gewist: %(what)s.") % {"what": ", ".join(result.describe())})
    return redirect(reverse("admin:core_auditlog_subject"))


def _subject_page(model_admin, request: HttpRequest, search_form, erase_form, *, email: str = "") -> HttpResponse:
    """The page; with a valid address, what is held about it (the look is logged)."""
    data = None
    if search_form.is_bound and search_form.is_valid():
        email = search_form.cleaned_data["email"]
        data = privacy.view_personal_data(email=email, actor=request.user)
        if not erase_form.is_bound:
            erase_form = SubjectEraseForm(initial={"email": email})
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Persoonsgegevens opvragen of wissen"),
        "opts": model_admin.model._meta,
        "search_form": search_form,
        "erase_form": erase_form,
        "error_forms": [f for f in (search_form, erase_form) if f.is_bound and f.errors],
        "data": data,
        "email": email,
    }
    return TemplateResponse(request, "admin/core/auditlog/subject.html", context)
