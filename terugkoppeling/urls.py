from django.urls import path

from terugkoppeling import views

app_name = "terugkoppeling"

urlpatterns = [
    # The token is a signed value (letters, digits, -, _ and :), hence str.
    path("afmelden/<str:token>/", views.UnsubscribeView.as_view(), name="afmelden"),
]
