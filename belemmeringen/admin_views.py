"""The belemmeringen admin's own pages, and the request handling behind its import and "add" hooks.

Each function takes the ModelAdmin it serves first (`model_admin`, for its permissions, queryset and
messages), then the request. admin.py declares the classes and wires these in: its own URLs through
`get_urls()` (wrapped in `admin_site.admin_view`), the library's import steps through thin hook methods.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from belemmeringen import grouping, services
from belemmeringen.forms import KnelpuntKiesForm, KnelpuntSamenvoegForm, KnelpuntSplitsForm
from belemmeringen.grouping import Suggestion
from belemmeringen.importlimits import ImportLimitError
from belemmeringen.models import Belemmering, Knelpunt, LichtmastAntwoord
from belemmeringen.selectors import knelpunt_figures
from belemmeringen.spreadsheets import XLSX_CONTENT_TYPE, SpreadsheetError, blank_template
from belemmeringen.uploads import SharedUploadStorage, UploadUnavailable, owner_for
from core.permissions import is_programmateam
from regiosessies.permissions import sessions_for

# --- Obstacles: the spreadsheet template and the import flow ------------------------------------


def template_view(model_admin, request: HttpRequest) -> HttpResponse:
    """The empty spreadsheet to fill in and import."""
    if not model_admin.has_import_permission(request):
        raise PermissionDenied
    response = HttpResponse(blank_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="belemmeringen-sjabloon.xlsx"'
    return response


def keep_chosen_file(model_admin, response):
    """The upload and preview page, after the library made it: an erroneous form keeps its file."""
    context = getattr(response, "context_data", None) or {}
    form = context.get("form")
    if form is not None and form.is_bound and not context.get("confirm_form"):
        _keep_chosen_file(model_admin, form)
    return response


def _keep_chosen_file(model_admin, form) -> None:
    """After an error the chosen file stays chosen: it waits in the shared storage and the form says so."""
    upload = getattr(form, "cleaned_data", {}).get("import_file")
    if upload is None:
        return  # the file itself was the problem, or there was none
    name = getattr(upload, "tmp_storage_name", None) or model_admin.write_to_tmp_storage(upload, None).name
    form.data = form.data.copy()
    form.data["kept_file"], form.data["kept_file_label"] = name, upload.name
    form.fields["import_file"].help_text = format_html(
        _("Gekozen: <strong>{}</strong> (bewaard). Kies alleen een ander bestand als u het hebt verbeterd."),
        upload.name,
    )


def process_import(model_admin, request: HttpRequest, *, library_view, **kwargs) -> HttpResponse:
    """The confirm step: reads the upload only when it is this user's (in this session), on any instance.

    `library_view` is django-import-export's own confirm step, which shows a confirm form's errors."""
    if not model_admin.has_import_permission(request):
        raise PermissionDenied
    confirm_form = model_admin.create_confirm_form(request)
    if not confirm_form.is_valid():
        return library_view(request, **kwargs)  # the library's page with the form's errors
    storage = SharedUploadStorage(
        name=confirm_form.cleaned_data["import_file_name"], owner=owner_for(request), read_mode="rb"
    )
    retry = HttpResponseRedirect(reverse("admin:belemmeringen_belemmering_import"))
    try:
        data = storage.read()
        input_format = model_admin.get_import_formats()[int(confirm_form.cleaned_data["format"])]()
        dataset = input_format.create_dataset(data)
    except (UploadUnavailable, SpreadsheetError, ImportLimitError) as e:
        model_admin.message_user(request, str(e), messages.ERROR)
        return retry
    result = model_admin.process_dataset(dataset, confirm_form, request, **kwargs)
    storage.remove()
    if result.has_errors() or result.has_validation_errors():
        # The data changed since the preview, or a limit was reached: nothing was saved.
        for message in result.messages()[:10]:
            model_admin.message_user(request, message, messages.ERROR)
        return retry
    return model_admin.process_result(result, request)


# --- Obstacles: the "add to knelpunt" action's page ---------------------------------------------


def add_to_knelpunt(model_admin, request: HttpRequest, queryset):
    """First the page to choose the knelpunt; once chosen, the entries join it (None: back to the list)."""
    form = KnelpuntKiesForm(request.POST if "kies_knelpunt" in request.POST else None)
    if form.is_bound and form.is_valid():
        knelpunt = form.cleaned_data["knelpunt"]
        try:
            count = services.add_to_knelpunt(knelpunt=knelpunt, belemmeringen=queryset, user=request.user)
        except ValidationError as e:
            model_admin.message_user(request, " ".join(e.messages), messages.ERROR)
            return None
        model_admin.message_user(
            request,
            ngettext(
                "%(count)d belemmering toegevoegd aan “%(title)s”.",
                "%(count)d belemmeringen toegevoegd aan “%(title)s”.",
                count,
            )
            % {"count": count, "title": knelpunt.title},
            messages.SUCCESS,
        )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Voeg toe aan knelpunt"),
        "form": form,
        "entries": queryset.select_related("session__regio"),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/belemmeringen/knelpunt_kies.html", context)


# --- Lamp-post answer: one per session ----------------------------------------------------------


def redirect_to_existing_answer(model_admin, request: HttpRequest) -> HttpResponse | None:
    """ "Add" for a session that has its answer already leads to that answer (one per session)."""
    existing = _existing_answer(request) if request.method == "GET" else None
    if existing is None:
        return None
    model_admin.message_user(
        request,
        _("Deze sessie heeft al een antwoord op de lichtmastvraag; hier kunt u het aanpassen."),
        messages.INFO,
    )
    return HttpResponseRedirect(reverse("admin:belemmeringen_lichtmastantwoord_change", args=[existing]))


def _existing_answer(request: HttpRequest) -> int | None:
    """The answer of the session asked for (?session=), or of the user's only session."""
    sessions = sessions_for(request.user)
    session_id = request.GET.get("session", "")
    if session_id.isdigit():
        sessions = sessions.filter(pk=int(session_id))
    elif is_programmateam(request.user):
        return None
    only = list(sessions.values_list("pk", flat=True)[:2])
    if len(only) != 1:
        return None
    return LichtmastAntwoord.objects.filter(session_id=only[0]).values_list("pk", flat=True).first()


# --- Knelpunten: merge, split, suggestions ------------------------------------------------------


def _context(model_admin, request: HttpRequest, title: str, **extra) -> dict:
    return {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, "title": title, **extra}


def _knelpunt_or_404(model_admin, request: HttpRequest, pk: int) -> Knelpunt:
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    knelpunt = model_admin.get_queryset(request).filter(pk=pk).first()
    if knelpunt is None:
        raise Http404(_("Dit knelpunt bestaat niet (meer)."))
    return knelpunt


def split_view(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    knelpunt = _knelpunt_or_404(model_admin, request, pk)
    form = KnelpuntSplitsForm(request.POST or None, knelpunt=knelpunt)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.split_knelpunt(
                knelpunt=knelpunt,
                belemmeringen=form.cleaned_data["belemmeringen"],
                title=form.cleaned_data["title"],
                user=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            model_admin.message_user(
                request,
                _("Afgesplitst naar het nieuwe knelpunt “%(title)s”.") % {"title": new.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:belemmeringen_knelpunt_change", args=[new.pk]))
    title = _("Knelpunt splitsen: %(title)s") % {"title": knelpunt.title}
    return TemplateResponse(
        request,
        "admin/belemmeringen/knelpunt_splitsen.html",
        _context(model_admin, request, title, knelpunt=knelpunt, form=form),
    )


def merge_view(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    knelpunt = _knelpunt_or_404(model_admin, request, pk)
    form = KnelpuntSamenvoegForm(request.POST or request.GET or None, knelpunt=knelpunt)
    other = form.cleaned_data["met"] if form.is_bound and form.is_valid() else None
    if request.method == "POST" and other is not None:
        try:
            services.merge_knelpunten(keep=knelpunt, other=other, user=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            model_admin.message_user(
                request,
                _("“%(other)s” is samengevoegd met “%(title)s”.") % {"other": other.title, "title": knelpunt.title},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:belemmeringen_knelpunt_change", args=[knelpunt.pk]))
    figures = knelpunt_figures([knelpunt, other] if other else [knelpunt])
    pairs = [(k, figures[k.pk]) for k in (knelpunt, other) if k is not None]
    title = _("Knelpunten samenvoegen: %(title)s") % {"title": knelpunt.title}
    context = _context(model_admin, request, title, knelpunt=knelpunt, other=other, form=form, pairs=pairs)
    return TemplateResponse(request, "admin/belemmeringen/knelpunt_samenvoegen.html", context)


def suggestions_view(model_admin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        chosen = [s for s in map(Suggestion.from_key, request.POST.getlist("suggestie")) if s]
        if not chosen:
            model_admin.message_user(request, _("Vink eerst de suggesties aan die u wilt overnemen."), messages.WARNING)
        else:
            result = grouping.accept(suggestions=chosen, user=request.user)
            model_admin.message_user(request, _accept_message(result), messages.SUCCESS)
        return HttpResponseRedirect(request.get_full_path())
    threshold = _threshold(request.GET.get("drempel"))
    suggestions = grouping.suggest(threshold=threshold)
    context = _context(
        model_admin,
        request,
        _("Suggesties voor knelpunten"),
        rows=_suggestion_rows(suggestions),
        threshold=threshold,
        preselect=PRESELECT_SCORE,
        ungrouped=Belemmering.objects.ungrouped().count(),
        todo_url=reverse("admin:belemmeringen_belemmering_changelist") + "?knelpunt=geen",
    )
    return TemplateResponse(request, "admin/belemmeringen/knelpunt_suggesties.html", context)


#: Suggestions scoring at least this are ticked already on the suggestions page.
PRESELECT_SCORE = 0.75


def _threshold(value: str | None) -> float:
    try:
        threshold = float((value or "").replace(",", "."))
    except ValueError:
        return grouping.DEFAULT_THRESHOLD
    return min(max(threshold, 0.2), 1.0) if threshold == threshold else grouping.DEFAULT_THRESHOLD


def _suggestion_rows(suggestions) -> list[dict]:
    """Each suggestion with its entries and knelpunt, read in two queries for the whole page."""
    ids = {pk for s in suggestions for pk in s.entry_ids}
    entries = Belemmering.objects.filter(pk__in=ids).select_related("session__regio", "thema").in_bulk()
    knelpunten = Knelpunt.objects.in_bulk({s.knelpunt_id for s in suggestions if s.knelpunt_id})
    return [
        {
            "suggestion": s,
            "entries": sorted((entries[pk] for pk in s.entry_ids if pk in entries), key=lambda b: b.session.start),
            "knelpunt": knelpunten.get(s.knelpunt_id),
        }
        for s in suggestions
    ]


def _accept_message(result) -> str:
    return _(
        "%(created)d nieuwe knelpunten gemaakt, %(attached)d belemmeringen toegevoegd aan bestaande "
        "knelpunten, %(skipped)d suggesties overgeslagen (intussen al gegroepeerd)."
    ) % {
        "created": len(result.created),
        "attached": result.attached,
        "skipped": result.skipped,
    }
