from django.urls import path

from prioritering import views

app_name = "prioritering"

# Beside the personal page (regiosessies' `aanmelding/<token>/`): the same link, one step further.
# Never a public_page: it differs per person.
urlpatterns = [
    path("aanmelding/<slug:token>/prioriteiten/", views.BallotView.as_view(), name="stembiljet"),
]
