"""Report pages for staff. Who may see what is decided only by regiosessies.permissions:

* the dashboard, the full report and the XLSX export: programme staff (group Programmateam) and
  superusers;
* one session's report: programme staff, and also that session's own facilitator, who shares it with
  the session's participants (`can_manage_session`). A facilitator of another session gets 403.

Anonymous visitors are sent to the login page; other logged-in users get 403.
"""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from belemmeringen.models import Belemmering
from belemmeringen.spreadsheets import export_belemmeringen
from core.permissions import is_programmateam
from rapportage.dashboard import missing_for_report
from rapportage.data import build_report
from rapportage.models import RapportRender
from rapportage.pdf import report_html
from rapportage.services import request_report
from regiosessies.models import Regiosessie
from regiosessies.permissions import can_manage_session

# Seconds between reloads of the progress page.
STATUS_REFRESH_SECONDS = 5


class ReportAccessMixin(AccessMixin):
    """Log in first; then `has_report_access()` decides, or 403."""

    def has_report_access(self) -> bool:
        return is_programmateam(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.has_report_access():
            raise PermissionDenied(_("Alleen het programmateam kan de rapportage bekijken."))
        return super().dispatch(request, *args, **kwargs)


def _respond_with(request, render_obj: RapportRender):
    """Serve a finished render, send the browser to the progress page, or explain a failure."""
    if render_obj.status == RapportRender.Status.DONE:
        if not render_obj.file_exists():
            # An old link whose file was pruned: make (or fetch) the current report instead.
            if render_obj.session_id:
                return redirect("rapportage:session_pdf", slug=render_obj.session.slug)
            return redirect("rapportage:pdf")
        response = FileResponse(
            render_obj.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=render_obj.download_name(),
        )
        response["Cache-Control"] = "private, no-store"
        return response
    if render_obj.status == RapportRender.Status.FAILED:
        return render(
            request, "rapportage/rapportrender_detail.html", {"render": render_obj, "refresh": None}, status=503
        )
    return redirect("rapportage:render_status", pk=render_obj.pk)


class DashboardView(ReportAccessMixin, TemplateView):
    """Everything that stands between the data and a report that can be sent, with links to fix it."""

    template_name = "rapportage/rapport_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rapport = build_report()
        context.update(
            rapport=rapport,
            missing=missing_for_report(rapport),
            recent_renders=RapportRender.objects.select_related("session")[:5],
        )
        return context


class PreviewView(ReportAccessMixin, View):
    """The report as a web page, from the same template as the PDF: write and check without a render."""

    def get(self, request):
        html = report_html(
            build_report(), medium="web", back_url=reverse("rapportage:dashboard"), pdf_url=reverse("rapportage:pdf")
        )
        return _preview_response(html)


class SessionReportAccessMixin(ReportAccessMixin):
    """One session's report: for programme staff and that session's facilitator."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.session = get_object_or_404(Regiosessie, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def has_report_access(self) -> bool:
        return can_manage_session(self.request.user, self.session)


class SessionPreviewView(SessionReportAccessMixin, View):
    """One session's report as a web page."""

    def get(self, request, slug):
        html = report_html(
            build_report(session=self.session),
            medium="web",
            pdf_url=reverse("rapportage:session_pdf", kwargs={"slug": slug}),
            back_url=reverse("rapportage:dashboard") if is_programmateam(request.user) else "",
        )
        return _preview_response(html)


def _preview_response(html: str) -> HttpResponse:
    response = HttpResponse(html)
    response["Cache-Control"] = "private, no-store"
    return response


class ReportPdfView(ReportAccessMixin, View):
    def get(self, request):
        return _respond_with(request, request_report())


class SessionReportPdfView(SessionReportAccessMixin, View):
    def get(self, request, slug):
        return _respond_with(request, request_report(session=self.session))


class RenderAccessMixin(ReportAccessMixin):
    """A render of one session's report is visible to whoever may see that session's report."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.render_obj = get_object_or_404(RapportRender.objects.select_related("session"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def has_report_access(self) -> bool:
        if self.render_obj.session_id:
            return can_manage_session(self.request.user, self.render_obj.session)
        return is_programmateam(self.request.user)


class RenderStatusView(RenderAccessMixin, View):
    """Progress of a background render. Reloads itself (meta refresh, no script) until it is finished;
    then it sends the browser on to the file (meta refresh to the download, with a button as well)."""

    def get(self, request, pk):
        finished = self.render_obj.is_finished
        return render(
            request,
            "rapportage/rapportrender_detail.html",
            {"render": self.render_obj, "refresh": None if finished else STATUS_REFRESH_SECONDS},
            status=503 if self.render_obj.status == RapportRender.Status.FAILED else 200,
        )


class RenderDownloadView(RenderAccessMixin, View):
    def get(self, request, pk):
        return _respond_with(request, self.render_obj)


class ExportXlsxView(ReportAccessMixin, View):
    """All obstacles (concept and established) with their needs, as one spreadsheet."""

    def get(self, request):
        queryset = Belemmering.objects.all()
        content = export_belemmeringen(queryset, fmt="xlsx")
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        filename = f"belemmeringen-{timezone.localdate():%Y-%m-%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response
