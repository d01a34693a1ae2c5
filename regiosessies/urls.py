from django.urls import path

from core.pagecache import public_page
from regiosessies import views

app_name = "regiosessies"

# public_page: served to anonymous visitors from the shared cache (core/pagecache.py). Never on
# the form, the personal page or anything that differs per visitor.
urlpatterns = [
    path("aanmelden/", public_page(views.ChooseSessionView.as_view()), name="kies"),
    path("regiosessies/", public_page(views.SessionListView.as_view()), name="list"),
    path("regiosessies/<slug:slug>/", public_page(views.SessionDetailView.as_view()), name="detail"),
    path("regiosessies/<slug:slug>/agenda.ics", views.SessionAgendaView.as_view(), name="agenda"),
    path("regiosessies/<slug:slug>/aanmelden/", views.RegisterView.as_view(), name="aanmelden"),
    path(
        "regiosessies/<slug:slug>/aanmelden/verstuurd/",
        public_page(views.RegistrationSentView.as_view()),
        name="verstuurd",
    ),
    # The token is URL-safe base64 (letters, digits, - and _), which the slug converter matches.
    path("aanmelding/<slug:token>/", views.AanmeldingDetailView.as_view(), name="aanmelding"),
    path("aanmelding/<slug:token>/annuleren/", views.CancelRegistrationView.as_view(), name="annuleren"),
    path("aanmelding/<slug:token>/herstellen/", views.UndoCancellationView.as_view(), name="herstellen"),
    path("aanmelding/<slug:token>/wijzigen/", views.UpdateDetailsView.as_view(), name="wijzigen"),
    path("aanmelding/<slug:token>/resultaten/", views.ResultsConsentView.as_view(), name="resultaten_toestemming"),
]
