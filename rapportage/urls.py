from django.urls import path

from rapportage import views

app_name = "rapportage"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("rapport.pdf", views.ReportPdfView.as_view(), name="pdf"),
    path("voorbeeld/", views.PreviewView.as_view(), name="voorbeeld"),
    path("regiosessies/<slug:slug>/voorbeeld/", views.SessionPreviewView.as_view(), name="session_preview"),
    path("belemmeringen.xlsx", views.ExportXlsxView.as_view(), name="xlsx"),
    path("regiosessies/<slug:slug>/rapport.pdf", views.SessionReportPdfView.as_view(), name="session_pdf"),
    path("renders/<uuid:pk>/", views.RenderStatusView.as_view(), name="render_status"),
    path("renders/<uuid:pk>/rapport.pdf", views.RenderDownloadView.as_view(), name="render_download"),
]
