"""Suggest (or, above a score, apply) groupings of ungrouped entries into knelpunten: for big imports."""

from __future__ import annotations

from argparse import ArgumentTypeError

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from belemmeringen import grouping
from belemmeringen.models import Belemmering, Knelpunt
from core.permissions import is_programmateam


def _score(value: str) -> float:
    try:
        score = float(value)
    except ValueError:
        raise ArgumentTypeError(f"'{value}' is geen score; geef een getal tussen 0 en 1, bijvoorbeeld 0.8.") from None
    if not 0 < score <= 1:
        raise ArgumentTypeError(f"Een score ligt tussen 0 en 1 (gegeven: {value}).")
    return score


def _programme_member(username: str | None):
    if not username:
        raise CommandError(
            "Geef met --user aan wie groepeert: de wijzigingen komen op diens naam in de beheergeschiedenis."
        )
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None or not is_programmateam(actor):
        raise CommandError(f"'{username}' is geen actieve gebruiker van het programmateam.")
    return actor


class Command(BaseCommand):
    help = (
        "Prints suggested groups of ungrouped obstacles (Belemmering) that describe the same knelpunt "
        "across sessions, and ungrouped obstacles that fit an existing knelpunt: score, titles, sessions. "
        "Reads only, unless --apply-above SCORE is given: then every suggestion scoring at least SCORE "
        "is applied (new knelpunten are created, obstacles are linked to knelpunten; nothing is deleted), "
        "exactly as accepting them in the admin, in the admin history under --user (a member of the "
        "programme team). Prints counts at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold",
            type=_score,
            default=grouping.DEFAULT_THRESHOLD,
            help=f"Lowest score to suggest (default {grouping.DEFAULT_THRESHOLD}).",
        )
        parser.add_argument(
            "--apply-above", type=_score, metavar="SCORE", help="Apply the suggestions scoring at least SCORE."
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="Programme-team member the changes are recorded under in the admin history (needed with --apply-above).",
        )

    def handle(self, *args, threshold: float, apply_above: float | None = None, user: str | None = None, **options):
        # Every grouping change is in the admin history, and a history entry names a person.
        actor = _programme_member(user) if apply_above is not None else None
        suggestions = grouping.suggest(threshold=min(threshold, apply_above or threshold))
        ids = {pk for s in suggestions for pk in s.entry_ids}
        entries = Belemmering.objects.filter(pk__in=ids).select_related("session").in_bulk()
        knelpunten = Knelpunt.objects.in_bulk({s.knelpunt_id for s in suggestions if s.knelpunt_id})
        for s in suggestions:
            if s.knelpunt_id:
                self.stdout.write(f"{s.score:.2f}  toevoegen aan knelpunt “{knelpunten[s.knelpunt_id].title}”")
            else:
                self.stdout.write(f"{s.score:.2f}  nieuw knelpunt")
            for pk in s.entry_ids:
                self.stdout.write(f"      - {entries[pk].title} ({entries[pk].session.title})")
        entry_count = sum(len(s.entry_ids) for s in suggestions)
        self.stdout.write(f"{len(suggestions)} suggesties met samen {entry_count} belemmeringen.")
        if apply_above is None:
            return
        chosen = [s for s in suggestions if s.score >= apply_above]
        result = grouping.accept(suggestions=chosen, user=actor)
        self.stdout.write(
            self.style.SUCCESS(
                f"Toegepast vanaf score {apply_above:.2f}: {len(result.created)} nieuwe knelpunten, "
                f"{result.attached} belemmeringen toegevoegd aan bestaande knelpunten, "
                f"{result.skipped} overgeslagen."
            )
        )
        self.stdout.write(f"Nog niet gegroepeerd: {Belemmering.objects.ungrouped().count()} belemmeringen.")
