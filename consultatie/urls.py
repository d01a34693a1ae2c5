from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

from consultatie import views
from core.pagecache import public_page
from resultaten import urls as resultaten_urls

admin.site.site_header = _("Consultatieportaal Smart City – beheer")
admin.site.site_title = _("Consultatieportaal beheer")
admin.site.index_title = _("Regiosessies, bevindingen en rapportage")

handler404 = "consultatie.views.page_not_found"
handler500 = "consultatie.views.server_error"

urlpatterns = [
    path("health/", views.health, name="health"),
    # Before admin.site.urls, whose catch-all would otherwise answer these paths.
    path("admin/tweestapsverificatie/", include("core.twofactor")),
    # Before admin.site.urls: Django's "view on site" redirect checks staff status only (see the view).
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(views.view_on_site),
        name="admin_view_on_site_checked",
    ),
    path("admin/", admin.site.urls),
    # Open-data files and their DCAT catalogue: one address in every language (the page about them is below).
    path("open-data/", include((resultaten_urls.files, "opendata_bestanden"))),
]

# Dutch is served at the unprefixed URLs (the old site's addresses), English under /en/.
urlpatterns += i18n_patterns(
    # Inside the patterns: an unprefixed URL always runs in Dutch, so /i18n/setlang/ could not
    # translate "/en/..." back to Dutch; /en/i18n/setlang/ runs in English and can.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("privacy/", public_page(views.PrivacyView.as_view()), name="privacy"),
    path("toegankelijkheid/", public_page(views.ToegankelijkheidView.as_view()), name="toegankelijkheid"),
    # The address English readers guess (/en/accessibility/); the statement itself keeps one address per language.
    path("accessibility/", RedirectView.as_view(pattern_name="toegankelijkheid", permanent=True), name="accessibility"),
    path("", include("regiosessies.urls")),
    path("", include("prioritering.urls")),
    path("contact/", include("consultatie.contact")),
    path("rapportage/", include("rapportage.urls")),
    path("resultaten/", include((resultaten_urls.pages, "resultaten"))),
    path("open-data/", include((resultaten_urls.open_data, "opendata"))),
    path("berichten/", include("terugkoppeling.urls")),
    prefix_default_language=False,
)
