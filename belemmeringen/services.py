"""Writes on findings: establishing obstacles and importing spreadsheets.

Who may touch which session is asked of regiosessies.permissions, never decided here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _g

from belemmeringen.models import Behoefte, Belemmering
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
