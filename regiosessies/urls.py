from django.urls import path

from regiosessies import views

app_name = "regiosessies"

urlpatterns = [
    path("aanmelden/", views.KiesSessieView.as_view(), name="kies"),
    path("regiosessies/", views.SessieListView.as_view(), name="list"),
    path("regiosessies/<slug:slug>/", views.SessieDetailView.as_view(), name="detail"),
    path("regiosessies/<slug:slug>/aanmelden/", views.AanmeldenView.as_view(), name="aanmelden"),
    path("regiosessies/<slug:slug>/aanmelden/verstuurd/", views.AanmeldingVerstuurdView.as_view(), name="verstuurd"),
    # The token is URL-safe base64 (letters, digits, - and _), which the slug converter matches.
    path("aanmelding/<slug:token>/", views.AanmeldingDetailView.as_view(), name="aanmelding"),
]
