"""From report data to a PDF: the template renders HTML, and `core.pdf.render_pdf` (static files only, in
a child process with a time limit) turns it into a tagged PDF.

The report's own part is `report_html` and its time limits: an inline render in a web request gets
the short limit, the task worker's render the long one.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from core.pdf import STATIC_BASE_URL
from rapportage import charts
from rapportage.data import EMPHASIS_POINTS, Rapport

# Seconds a render may take before it is stopped. Inline renders in a web request get the short limit;
# the worker's limit leaves room for 5,000 obstacles (~1,300 pages) on a busy machine, which took
# 12 minutes in the benchmark (docs/performance.md).
INLINE_TIME_LIMIT = getattr(settings, "RAPPORT_INLINE_TIME_LIMIT", 60)
BACKGROUND_TIME_LIMIT = getattr(settings, "RAPPORT_BACKGROUND_TIME_LIMIT", 1800)


def report_html(rapport: Rapport, *, medium: str = "print", **web_links: str) -> str:
    """The report as one HTML document (Dutch): for WeasyPrint (`medium="print"`), or as a web page
    from the very same template (`medium="web"`: the browser preview, with the site's static URLs and
    optional `back_url` / `pdf_url` links in a bar above the report)."""
    with translation.override("nl"):
        context = {
            "rapport": rapport,
            "medium": medium,
            "emphasis_points": EMPHASIS_POINTS,
            "static_base": STATIC_BASE_URL,
            # Heat maps only: they show where knelpunten cluster, which the tables beside them only tell
            # on reading. The one-session report has too few knelpunten for a map to add anything.
            "chart_levels": charts.heat_map(
                rapport.theme_by_level, title=translation.gettext("Knelpunten per thema en niveau")
            ),
            "chart_regions": (
                charts.heat_map(
                    rapport.regional.region_by_theme,
                    title=translation.gettext("Knelpunten per regio en thema"),
                    label_width=170,
                )
                if rapport.regional
                else ""
            ),
            **web_links,
        }
        return render_to_string("rapportage/rapport_pdf.html", context)
