"""Writes on findings: establishing obstacles and importing spreadsheets.

Who may touch which session is asked of regiosessies.permissions, never decided here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _g

from belemmeringen.importlimits import Deadline, ImportLimitError
from belemmeringen.models import Behoefte, Belemmering, Knelpunt, KnelpuntStatusWijziging
from belemmeringen.resources import BelemmeringBatchResource, BelemmeringImportResult
from belemmeringen.spreadsheets import SpreadsheetError, read_table
from core.permissions import is_programmateam
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
    deadline = Deadline.from_settings()
    try:
        dataset = read_table(data, file_name, deadline=deadline)
    except (SpreadsheetError, ImportLimitError) as e:
        report.errors.append(str(e))
        return report
    resource = BelemmeringBatchResource(session=session, user=user, deadline=deadline)
    with transaction.atomic():
        result: BelemmeringImportResult = resource.import_data(dataset, dry_run=dry_run, user=user)
    report.errors = result.messages()
    if not report.errors and result.total_rows == 0:
        report.errors.append(
            _g("Het bestand bevat geen belemmeringen: onder de kolomnamen staan geen ingevulde rijen.")
        )
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


def save_knelpunt(*, knelpunt: Knelpunt, user=None, created: bool) -> None:
    """Save a knelpunt edited as a whole (the admin's form). Its follow-up is never written with the
    rest: a new knelpunt starts open (and records who made it), and a changed status or explanation
    goes through `change_knelpunt_status`, so every step is in its history."""
    status, explanation = knelpunt.status, knelpunt.status_explanation
    if created:
        knelpunt.status, knelpunt.status_explanation = Knelpunt.Opvolging.OPEN, ""
        knelpunt.created_by = user
    else:
        knelpunt.status, knelpunt.status_explanation = Knelpunt.objects.values_list("status", "status_explanation").get(
            pk=knelpunt.pk
        )
    knelpunt.save()
    if (status, explanation) != (knelpunt.status, knelpunt.status_explanation):
        change_knelpunt_status(knelpunt=knelpunt, status=status, explanation=explanation, user=user)


# --- Grouping entries into knelpunten -----------------------------------------------------------
# Programme staff only (`user` None is the command line, which runs with the operator's rights).
# Every change is written to the admin history (LogEntry) when a person made it, on the knelpunt and
# on each entry it touched, so either page's "Geschiedenis" tells what happened.


def _require_programmateam(user) -> None:
    if user is not None and not is_programmateam(user):
        raise PermissionDenied(_g("Alleen het programmateam groepeert belemmeringen tot knelpunten."))


def _log(user, objects, flag: int, message: str) -> None:
    objects = list(objects)
    if user is None or not getattr(user, "pk", None) or not objects:
        return
    LogEntry.objects.log_actions(user.pk, objects, flag, message, single_object=len(objects) == 1)


def _entries(belemmeringen) -> list[Belemmering]:
    ids = [b.pk for b in belemmeringen]
    return list(
        Belemmering.objects.filter(pk__in=ids).select_for_update(of=("self",)).select_related("session").order_by("pk")
    )


def _lock_knelpunt(pk: int) -> Knelpunt:
    # Another member of the team may have merged this knelpunt away since the page was loaded.
    knelpunt = Knelpunt.objects.select_for_update().filter(pk=pk).first()
    if knelpunt is None:
        raise _gone()
    return knelpunt


def _gone() -> ValidationError:
    return ValidationError(
        _g(
            "Dit knelpunt bestaat niet meer: iemand anders heeft het intussen samengevoegd of verwijderd. "
            "Laad de pagina opnieuw."
        ),
        code="knelpunt_gone",
    )


def _most_common(values, default=None):
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else default


def create_knelpunt(
    *,
    belemmeringen,
    user=None,
    title: str = "",
    description: str = "",
    thema=None,
    subthema=None,
    level: str = "",
    priority: int | None = None,
) -> Knelpunt:
    """Make one knelpunt of the given entries, in one transaction.

    What is not given follows the entries: the title and description of the most recognised entry,
    the theme, sub-topic and level most entries have, and every need the entries link to. Entries
    that belonged to another knelpunt move to this one.
    """
    _require_programmateam(user)
    with transaction.atomic():
        entries = _entries(belemmeringen)
        if not entries:
            raise ValidationError(_g("Kies minstens één belemmering."), code="no_entries")
        lead = max(entries, key=lambda b: (b.recognised_by, -b.pk))
        thema_id = thema.pk if thema else _most_common(b.thema_id for b in entries)
        if subthema is None:
            subthema_id = _most_common(b.subthema_id for b in entries if b.thema_id == thema_id)
        else:
            subthema_id = subthema.pk
        knelpunt = Knelpunt.objects.create(
            title=(title or lead.title).strip()[:200],
            description=description or lead.description,
            thema_id=thema_id,
            subthema_id=subthema_id,
            level=level or _most_common(b.level for b in entries),
            priority=priority or Knelpunt.Prioriteit.MIDDEL,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        knelpunt.behoeften.set(Behoefte.objects.filter(belemmeringen__in=entries).distinct())
        Belemmering.objects.filter(pk__in=[b.pk for b in entries]).update(knelpunt=knelpunt)
        _log(
            user,
            [knelpunt],
            ADDITION,
            _g("Knelpunt gemaakt uit %(count)d belemmeringen: %(list)s")
            % {"count": len(entries), "list": _describe(entries)},
        )
        _log(user, entries, CHANGE, _g("Gegroepeerd onder knelpunt “%(title)s”.") % {"title": knelpunt.title})
    return knelpunt


def _describe(entries) -> str:
    return "; ".join(f"{b.title} ({b.session.title})" for b in entries)


def add_to_knelpunt(*, knelpunt: Knelpunt, belemmeringen, user=None) -> int:
    """Place entries under `knelpunt` (moving them from another one if needed); returns how many moved."""
    _require_programmateam(user)
    with transaction.atomic():
        knelpunt = _lock_knelpunt(knelpunt.pk)
        entries = [b for b in _entries(belemmeringen) if b.knelpunt_id != knelpunt.pk]
        if not entries:
            return 0
        Belemmering.objects.filter(pk__in=[b.pk for b in entries]).update(knelpunt=knelpunt)
        knelpunt.behoeften.add(*Behoefte.objects.filter(belemmeringen__in=entries).distinct())
        _log(user, [knelpunt], CHANGE, _g("Belemmeringen toegevoegd: %(list)s") % {"list": _describe(entries)})
        _log(user, entries, CHANGE, _g("Gegroepeerd onder knelpunt “%(title)s”.") % {"title": knelpunt.title})
    return len(entries)


def remove_from_knelpunt(*, knelpunt: Knelpunt, belemmeringen, user=None) -> int:
    """Take entries out of `knelpunt`; they return to the to-do list, nothing is deleted."""
    _require_programmateam(user)
    with transaction.atomic():
        knelpunt = _lock_knelpunt(knelpunt.pk)
        entries = [b for b in _entries(belemmeringen) if b.knelpunt_id == knelpunt.pk]
        Belemmering.objects.filter(pk__in=[b.pk for b in entries]).update(knelpunt=None)
        _log(user, [knelpunt], CHANGE, _g("Belemmeringen eruit gehaald: %(list)s") % {"list": _describe(entries)})
        _log(user, entries, CHANGE, _g("Uit knelpunt “%(title)s” gehaald.") % {"title": knelpunt.title})
    return len(entries)


def remove_from_knelpunten(*, belemmeringen, user=None) -> int:
    """Take entries out of whichever knelpunt each is in (`remove_from_knelpunt` per knelpunt); returns
    how many came out."""
    knelpunten = Knelpunt.objects.filter(pk__in=belemmeringen.values("knelpunt_id"))
    return sum(remove_from_knelpunt(knelpunt=k, belemmeringen=belemmeringen, user=user) for k in knelpunten)


def merge_knelpunten(*, keep: Knelpunt, other: Knelpunt, user=None) -> Knelpunt:
    """Merge `other` into `keep`: its entries and needs move over, its follow-up history is kept on
    `keep` (in date order with keep's own), and `other` is deleted. No entry is lost."""
    _require_programmateam(user)
    if keep.pk == other.pk:
        raise ValidationError(_g("Kies twee verschillende knelpunten om samen te voegen."), code="same_knelpunt")
    with transaction.atomic():
        # Locked in one order (by pk), so two merges of the same pair wait for each other instead of deadlocking.
        locked = {
            k.pk: k for k in Knelpunt.objects.select_for_update().filter(pk__in=[keep.pk, other.pk]).order_by("pk")
        }
        if keep.pk not in locked or other.pk not in locked:
            raise _gone()
        keep, other = locked[keep.pk], locked[other.pk]
        entries = list(other.belemmeringen.select_related("session").order_by("pk"))
        Belemmering.objects.filter(knelpunt=other).update(knelpunt=keep)
        keep.behoeften.add(*other.behoeften.all())
        KnelpuntStatusWijziging.objects.filter(knelpunt=other).update(knelpunt=keep)
        message = _g("Knelpunt “%(other)s” samengevoegd hiermee (%(count)d belemmeringen overgenomen).") % {
            "other": other.title,
            "count": len(entries),
        }
        _log(user, [keep], CHANGE, message)
        _log(user, entries, CHANGE, _g("Gegroepeerd onder knelpunt “%(title)s”.") % {"title": keep.title})
        _log(user, [other], DELETION, _g("Samengevoegd met knelpunt “%(title)s”.") % {"title": keep.title})
        other.delete()
    return keep


def split_knelpunt(*, knelpunt: Knelpunt, belemmeringen, user=None, title: str = "") -> Knelpunt:
    """Move the chosen entries of `knelpunt` to a new knelpunt with the same theme, level, priority
    and needs; returns the new one. At least one entry must move and at least one must stay."""
    _require_programmateam(user)
    with transaction.atomic():
        knelpunt = _lock_knelpunt(knelpunt.pk)
        chosen = [b for b in _entries(belemmeringen) if b.knelpunt_id == knelpunt.pk]
        remaining = knelpunt.belemmeringen.exclude(pk__in=[b.pk for b in chosen]).count()
        if not chosen or not remaining:
            raise ValidationError(
                _g("Kies minstens één belemmering om af te splitsen, en laat er minstens één achter."),
                code="split_all_or_nothing",
            )
        new = Knelpunt.objects.create(
            title=(title or chosen[0].title).strip()[:200],
            description=knelpunt.description,
            thema_id=knelpunt.thema_id,
            subthema_id=knelpunt.subthema_id,
            level=knelpunt.level,
            priority=knelpunt.priority,
            created_by=user if user is not None and user.is_authenticated else None,
        )
        new.behoeften.set(knelpunt.behoeften.all())
        Belemmering.objects.filter(pk__in=[b.pk for b in chosen]).update(knelpunt=new)
        _log(
            user,
            [new],
            ADDITION,
            _g("Afgesplitst van knelpunt “%(title)s”: %(list)s") % {"title": knelpunt.title, "list": _describe(chosen)},
        )
        _log(
            user,
            [knelpunt],
            CHANGE,
            _g("Afgesplitst naar nieuw knelpunt “%(title)s”: %(list)s")
            % {"title": new.title, "list": _describe(chosen)},
        )
        _log(user, chosen, CHANGE, _g("Gegroepeerd onder knelpunt “%(title)s”.") % {"title": new.title})
    return new
