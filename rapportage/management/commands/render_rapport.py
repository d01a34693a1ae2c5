"""Render the consultation report to a PDF file from the command line."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.pdf import RenderError, render_pdf
from rapportage.data import build_report
from rapportage.pdf import BACKGROUND_TIME_LIMIT, report_html
from regiosessies.models import Regiosessie


class Command(BaseCommand):
    help = (
        "Renders the report (all sessions, or one with --sessie SLUG) to OUT.pdf. Reads the findings; "
        "writes only the given file (not the download cache). Only established obstacles count."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="Path of the PDF file to write.")
        parser.add_argument(
            "--sessie", dest="session_slug", metavar="SLUG", help="Only this regional session's report."
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=BACKGROUND_TIME_LIMIT,
            help=f"Stop the render after this many seconds (default {BACKGROUND_TIME_LIMIT}).",
        )

    def handle(self, *args, out: str, session_slug: str | None = None, time_limit: float, **options):
        session = None
        if session_slug:
            session = Regiosessie.objects.filter(slug=session_slug).first()
            if session is None:
                slugs = ", ".join(Regiosessie.objects.order_by("start").values_list("slug", flat=True))
                raise CommandError(
                    _("Geen regiosessie met slug %(slug)r. Bestaande slugs: %(slugs)s.")
                    % {"slug": session_slug, "slugs": slugs or _("(geen)")}
                )
        path = Path(out)
        if not path.parent.exists():
            raise CommandError(_("De map %(dir)s bestaat niet.") % {"dir": path.parent})

        started = time.perf_counter()
        rapport = build_report(session=session)
        try:
            pdf = render_pdf(report_html(rapport), time_limit=time_limit)
        except RenderError as exc:
            raise CommandError(str(exc)) from exc
        path.write_bytes(pdf.content)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(path)s: %(pages)d pagina's, %(kb)d kB, %(obstacles)d vastgestelde belemmeringen "
                    "(%(concept)d in concept niet meegeteld), %(seconds).1f s."
                )
                % {
                    "path": path,
                    "pages": pdf.pages,
                    "kb": len(pdf.content) // 1024,
                    "obstacles": rapport.figures.entries,
                    "concept": rapport.figures.concept_entries,
                    "seconds": elapsed,
                }
            )
        )
