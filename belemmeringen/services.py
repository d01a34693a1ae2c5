"""Writes on findings: establishing obstacles and importing spreadsheets.

Who may touch which session is asked of regiosessies.permissions, never decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _g

from belemmeringen.models import Behoefte, Belemmering, Knelpunt, KnelpuntStatusWijziging
from belemmeringen.resources import BelemmeringBatchResource, BelemmeringImportResult
from belemmeringen.spreadsheets import SpreadsheetError, read_table
from regiosessies.models import Regiosessie
from regiosessies.permissions import can_manage_session, restrict_to_sessions


@dataclass
class ImportReport:
    """What an import did (or, on a dry run or with errors, would have done)."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False
    new_behoeften: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def saved(self) -> bool:
        return self.ok and not self.dry_run


def import_belemmeringen(
    *, data: bytes, file_name: str, session: Regiosessie, user=None, dry_run: bool = False
) -> ImportReport:
    """Import a spreadsheet of obstacles into `session`, all or nothing.

    `user` is the person importing (None for the command line, which runs with the operator's
    rights); a facilitator may only import into a session they facilitate.
    """
    if user is not None and not can_manage_session(user, session):
        raise PermissionDenied(_g("U mag niet importeren in deze regiosessie."))
    report = ImportReport(dry_run=dry_run)
    try:
        dataset = read_table(data, file_name)
    except SpreadsheetError as e:
        report.errors.append(str(e))
        return report
    resource = BelemmeringBatchResource(session=session, user=user)
    with transaction.atomic():
        result: BelemmeringImportResult = resource.import_data(dataset, dry_run=dry_run, user=user)
    report.errors = result.messages()
    if not report.errors and result.total_rows == 0:
        report.errors.append(_g("Het bestand bevat geen belemmeringen: onder de kolomnamen staan geen ingevulde rijen."))
    report.new = result.totals.get("new", 0)
    report.updated = result.totals.get("update", 0)
    report.unchanged = result.totals.get("skip", 0)
    report.new_behoeften = [b.title for b in resource.fields["behoeften"].widget.created]
    return report


def mark_vastgesteld(*, belemmeringen: QuerySet[Belemmering], user) -> int:
    """Establish the given obstacles (end of a session); only those in the user's sessions."""
    with transaction.atomic():
        allowed = restrict_to_sessions(belemmeringen, user).exclude(status=Belemmering.Status.VASTGESTELD)
        return Belemmering.objects.filter(pk__in=allowed.values("pk")).update(status=Belemmering.Status.VASTGESTELD)


def can_edit_behoefte(user, behoefte: Behoefte | None) -> bool:
    """See BehoefteQuerySet.editable_by: programme staff, or the creator while it is only theirs."""
    if behoefte is None or behoefte.pk is None:
        return True
    return Behoefte.objects.editable_by(user).filter(pk=behoefte.pk).exists()


def change_knelpunt_status(*, knelpunt: Knelpunt, status: str, explanation: str, user=None, at=None) -> bool:
    """Set a knelpunt's follow-up status and record the step in its history, in one transaction.

    The explanation is required: participants read it on the results page next to the new status.
    Returns False (and records nothing) when neither status nor explanation changes.
    """
    explanation = (explanation or "").strip()
    if status not in Knelpunt.Opvolging.values:
        raise ValidationError({"status": _g("Kies een geldige opvolging.")}, code="invalid_status")
    if not explanation:
        raise ValidationError(
            {"status_explanation": _g("Leg uit waarom de opvolging verandert; deelnemers lezen dit.")},
            code="explanation_required",
        )
    at = at or timezone.now()
    with transaction.atomic():
        locked = Knelpunt.objects.select_for_update().get(pk=knelpunt.pk)
        if locked.status == status and locked.status_explanation == explanation:
            return False
        KnelpuntStatusWijziging.objects.create(
            knelpunt=locked,
            old_status=locked.status,
            new_status=status,
            explanation=explanation,
            changed_at=at,
            changed_by=user if user is not None and user.is_authenticated else None,
        )
        Knelpunt.objects.filter(pk=locked.pk).update(
            status=status, status_explanation=explanation, status_changed=at, updated=at
        )
    knelpunt.status, knelpunt.status_explanation, knelpunt.status_changed = status, explanation, at
    return True
