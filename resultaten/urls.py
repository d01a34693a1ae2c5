"""Three lists, included by consultatie/urls.py: the results pages and the open-data page (Dutch, and
English under /en/), and the open-data files and catalogue (one language-neutral address each, so a
harvester and a download link always name the same URL).

public_page: served to anonymous visitors from the shared cache; a publication and a change of a
knelpunt's follow-up make the stored pages stale (resultaten.signals). The files are frozen per
version and need no page cache.
"""

from django.urls import path

from core.pagecache import public_page
from resultaten import views

pages = [
    path("", public_page(views.ResultsIndexView.as_view()), name="index"),
    path("rapport/", public_page(views.ReportView.as_view()), name="rapport"),
    path("rapport.pdf", views.report_pdf, name="rapport_pdf"),
    path("versies/", public_page(views.VersionsView.as_view()), name="versies"),
    path("versies/<int:version>/", public_page(views.ReportView.as_view()), name="rapport_versie"),
    path("versies/<int:version>/rapport.pdf", views.report_pdf, name="rapport_versie_pdf"),
    path("knelpunten/<int:pk>/", public_page(views.KnelpuntDetailView.as_view()), name="knelpunt"),
    # Last: a region's slug is any slug not taken by the paths above.
    path("<slug:slug>/", public_page(views.RegionResultsView.as_view()), name="regio"),
]

open_data = [
    path("", public_page(views.OpenDataView.as_view()), name="index"),
]

files = [
    path("catalogus.jsonld", views.catalogue_jsonld, name="catalogus"),
    path("v<int:version>/<slug:dataset>.<str:fmt>", views.open_data_file, name="bestand"),
]
