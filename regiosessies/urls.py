from django.urls import path

from regiosessies import views

app_name = "regiosessies"

urlpatterns = [
    path("aanmelden/", views.KiesSessieView.as_view(), name="kies"),
    path("regiosessies/", views.SessieListView.as_view(), name="list"),
    path("regiosessies/<slug:slug>/", views.SessieDetailView.as_view(), name="detail"),
]
