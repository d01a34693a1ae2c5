"""The spreadsheet columns of obstacles, for django-import-export.

One resource serves the admin's import (with its preview and confirm step), the command line import
and the export, so a file that was exported can be edited and imported again.

Names are forgiving on import: theme, sub-topic, level, dimension and status are matched by name,
ignoring case and surrounding spaces (Dutch diacritics are kept, only normalised to one Unicode form).
Every problem becomes a Dutch message that names the spreadsheet row and column.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _g
from import_export import fields, resources, widgets
from import_export.results import Error, Result

from belemmeringen.importlimits import Deadline, ImportLimitError, too_many_wrong_rows
from belemmeringen.models import Behoefte, Belemmering, Dimensie, Niveau, Subthema, Thema
from core.spreadsheets import unescape_formula

# Column headers as people see them in the spreadsheet (and in the blank template).
COL_ID = "ID"
COL_SESSION = "Regiosessie"
# Export only: the region of the session, for sorting and pivoting; ignored on import.
COL_REGIO = "Regio"
COL_THEMA = "Thema"
COL_SUBTHEMA = "Subthema"
COL_TITLE = "Titel"
COL_DESCRIPTION = "Omschrijving"
COL_LEVEL = "Niveau"
COL_DIMENSION = "Dimensie"
COL_RECOGNISED_BY = "Herkend door"
COL_SUPPORT_NEEDED = "Benodigde ondersteuning"
COL_BEHOEFTEN = "Behoeften"
COL_STATUS = "Status"

COLUMNS = [
    COL_ID,
    COL_SESSION,
    COL_THEMA,
    COL_SUBTHEMA,
    COL_TITLE,
    COL_DESCRIPTION,
    COL_LEVEL,
    COL_DIMENSION,
    COL_RECOGNISED_BY,
    COL_SUPPORT_NEEDED,
    COL_BEHOEFTEN,
    COL_STATUS,
    COL_REGIO,
]
REQUIRED_COLUMNS = [COL_THEMA, COL_TITLE, COL_LEVEL, COL_DIMENSION]
BEHOEFTEN_SEPARATOR = ";"

# The stored fields an import can change (compared to tell unchanged rows, written by bulk_update).
COMPARED_FIELDS = [
    "thema_id",
    "subthema_id",
    "title",
    "description",
    "level",
    "dimension",
    "recognised_by",
    "support_needed",
    "status",
]

logger = logging.getLogger(__name__)

# The admin's preview shows this many rows (with the counts and every error), never the whole file.
PREVIEW_ROWS = 50
# An import stops at the first wrong row past this many, reporting those (a garbage file of 20,000
# wrong rows took 470 MB in the admin's preview before).
MAX_INVALID_ROWS = 200

# The first spreadsheet row holds the headers, so data row 1 is spreadsheet row 2.
HEADER_ROWS = 1

# A need that is named in the spreadsheet but does not exist yet is created with the support type
# that fits the obstacle's theme; programme staff can refine it later in the admin.
SUPPORT_TYPE_BY_THEMA = {
    "organisatie": Behoefte.Ondersteuning.ORGANISATIE,
    "financiering": Behoefte.Ondersteuning.FINANCIERING,
    "juridisch": Behoefte.Ondersteuning.JURIDISCH,
    "technisch": Behoefte.Ondersteuning.STANDAARDEN,
}


def normalise(value) -> str:
    """The form in which names are compared: one Unicode form, no surrounding space, any case."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip().casefold()


def clean_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    if "\x00" in text:
        # PostgreSQL cannot store a NUL character; refuse the cell instead of failing the import.
        raise ValueError(_g("bevat een NUL-teken (\\x00), dat niet kan worden opgeslagen; verwijder het."))
    return text


def short_label(label) -> str:
    """'Verticaal (binnen de eigen afdeling)' -> 'Verticaal': the name used in spreadsheets."""
    return str(label).split(" (", 1)[0]


class RequiredTextWidget(widgets.CharWidget):
    def __init__(self, label: str, max_length: int | None = None, required: bool = True):
        super().__init__(allow_blank=True)
        self.label = label
        self.max_length = max_length
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = clean_text(value)
        if self.required and not text:
            raise ValueError(_g("deze cel is leeg, maar is verplicht."))
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _g("is te lang: %(lengte)d tekens, maximaal %(max)d.") % {"lengte": len(text), "max": self.max_length}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceNameWidget(widgets.Widget):
    """A choice by its name ('Lokaal', 'verticaal', ' NATIONAAL ') instead of its stored code."""

    def __init__(self, choices_class, label: str, default: str | None = None):
        super().__init__()
        self.label = label
        self.default = default
        self.by_name: dict[str, str] = {}
        self.render_as: dict[str, str] = {}
        for value, choice_label in choices_class.choices:
            name = short_label(choice_label)
            self.render_as[value] = name
            for key in (value, str(choice_label), name):
                self.by_name[normalise(key)] = value
        self.allowed = [self.render_as[v] for v, _l in choices_class.choices]

    def clean(self, value, row=None, **kwargs):
        key = normalise(value)
        if not key:
            if self.default is not None:
                return self.default
            raise ValueError(_g("deze cel is leeg, maar is verplicht."))
        try:
            return self.by_name[key]
        except KeyError:
            raise ValueError(
                _g("'%(waarde)s' is geen geldige waarde. Kies uit: %(keuzes)s.")
                % {"waarde": clean_text(value), "keuzes": ", ".join(self.allowed)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return self.render_as.get(value, value or "")


class CountWidget(widgets.Widget):
    """How many participants recognised it: a whole number, 0 or more; an empty cell is 0."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return 0
        number = value
        if isinstance(value, str):
            try:
                number = float(value.strip().replace(",", "."))
            except ValueError:
                number = None
        if isinstance(number, bool) or not isinstance(number, int | float) or not float(number).is_integer():
            raise ValueError(_g("'%(waarde)s' is geen geheel getal.") % {"waarde": clean_text(value)})
        if number < 0:
            raise ValueError(_g("moet 0 of meer zijn, niet %(waarde)s.") % {"waarde": int(number)})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class ThemaWidget(widgets.Widget):
    def __init__(self):
        super().__init__()
        self._cache: dict[str, Thema] | None = None

    @property
    def themas(self) -> dict[str, Thema]:
        if self._cache is None:
            self._cache = {normalise(t.name): t for t in Thema.objects.all()}
        return self._cache

    def lookup(self, value) -> Thema | None:
        return self.themas.get(normalise(value))

    def clean(self, value, row=None, **kwargs):
        if not normalise(value):
            raise ValueError(_g("deze cel is leeg, maar is verplicht."))
        thema = self.lookup(value)
        if thema is None:
            raise ValueError(
                _g("onbekend thema '%(waarde)s'. Kies uit: %(keuzes)s.")
                % {"waarde": clean_text(value), "keuzes": ", ".join(t.name for t in self.themas.values())}
            )
        return thema

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class SubthemaWidget(widgets.Widget):
    """A sub-topic by name, looked up within the row's theme (names may repeat across themes)."""

    def __init__(self, thema_widget: ThemaWidget):
        super().__init__()
        self.thema_widget = thema_widget
        self._cache: dict[int, dict[str, Subthema]] | None = None

    @property
    def by_thema(self) -> dict[int, dict[str, Subthema]]:
        if self._cache is None:
            self._cache = {}
            for sub in Subthema.objects.select_related("thema"):
                self._cache.setdefault(sub.thema_id, {})[normalise(sub.name)] = sub
        return self._cache

    def clean(self, value, row=None, **kwargs):
        if not normalise(value):
            return None
        thema = self.thema_widget.lookup((row or {}).get(COL_THEMA))
        if thema is None:
            # The theme column carries its own message; a sub-topic cannot be checked without it.
            raise ValueError(_g("kan niet worden gecontroleerd zonder geldig thema."))
        sub = self.by_thema.get(thema.pk, {}).get(normalise(value))
        if sub is None:
            elders = [
                s.thema.name
                for subs in self.by_thema.values()
                for s in subs.values()
                if normalise(s.name) == normalise(value)
            ]
            if elders:
                raise ValueError(
                    _g("'%(waarde)s' hoort bij thema %(elders)s, niet bij thema '%(thema)s'.")
                    % {"waarde": clean_text(value), "elders": ", ".join(elders), "thema": thema.name}
                )
            raise ValueError(
                _g("onbekend subthema '%(waarde)s' voor thema '%(thema)s'. Kies uit: %(keuzes)s.")
                % {
                    "waarde": clean_text(value),
                    "thema": thema.name,
                    "keuzes": ", ".join(s.name for s in self.by_thema.get(thema.pk, {}).values()),
                }
            )
        return sub

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class BehoeftenWidget(widgets.ManyToManyWidget):
    """Needs by title, separated by `;`. A title that does not exist yet becomes a new need."""

    def __init__(self, thema_widget: ThemaWidget, user=None):
        super().__init__(Behoefte, separator=BEHOEFTEN_SEPARATOR, field="title")
        self.thema_widget = thema_widget
        self.user = user
        self._cache: dict[str, Behoefte] | None = None
        self.created: list[Behoefte] = []
        # A new need is organised at the level of the obstacle that first names it.
        self.level_for_new: str | None = None

    @property
    def behoeften(self) -> dict[str, Behoefte]:
        if self._cache is None:
            self._cache = {normalise(b.title): b for b in Behoefte.objects.all()}
        return self._cache

    def titles(self, value) -> list[str]:
        seen, titles = set(), []
        for part in clean_text(value).split(self.separator):
            title = clean_text(part)
            if title and normalise(title) not in seen:
                seen.add(normalise(title))
                titles.append(title)
        return titles

    def check(self, value) -> None:
        too_long = [t for t in self.titles(value) if len(t) > Behoefte._meta.get_field("title").max_length]
        if too_long:
            raise ValueError(_g("behoefte '%(titel)s…' is langer dan 200 tekens.") % {"titel": too_long[0][:40]})

    def clean(self, value, row=None, **kwargs):
        result = []
        row = row or {}
        for title in self.titles(value):
            behoefte = self.behoeften.get(normalise(title))
            if behoefte is None:
                thema = self.thema_widget.lookup(row.get(COL_THEMA))
                behoefte = Behoefte.objects.create(
                    title=title,
                    support_type=SUPPORT_TYPE_BY_THEMA.get(thema.slug if thema else "", Behoefte.Ondersteuning.KENNIS),
                    level=self.level_for_new or Niveau.NATIONAAL,
                    created_by=self.user if getattr(self.user, "is_authenticated", False) else None,
                )
                self.behoeften[normalise(title)] = behoefte
                self.created.append(behoefte)
            result.append(behoefte)
        return result

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        needs = value if isinstance(value, list) else value.all()
        return f"{self.separator} ".join(sorted(b.title for b in needs))


class BehoeftenField(fields.Field):
    """During an import the needs of a row are linked only when its batch is saved; until then (for
    the preview) the field reports the needs the row will get."""

    def get_value(self, instance):
        pending = getattr(instance, "_import_behoeften", None)
        if pending is not None:
            return pending
        if instance.pk is None:
            return None
        return instance.behoeften


class SessionField(fields.Field):
    """Which session a row belongs to. The session is chosen for the whole import; this column only
    guards against mixing up regions: when filled in, it must name that session (title or slug)."""

    def get_value(self, instance):
        return instance.session.title if instance.session_id else None


def shown_error(error: BaseException) -> str:
    """What the person importing reads about an error. Our own checks raise ValueError with a Dutch
    message; anything else (a database error, a bug) is logged and described in general terms, so no
    raw database text ("null value in column …, Failing row contains …") reaches the page."""
    if isinstance(error, ValueError) and not isinstance(error, UnicodeError):
        return str(error)
    logger.warning("Import stopped by an unexpected error", exc_info=error)
    return _g(
        "Onverwachte fout bij het verwerken; er is niets opgeslagen. Controleer het bestand of meld het de beheerder."
    )


class BelemmeringImportResult(Result):
    """Import result that can say in Dutch what is wrong, row by row."""

    max_messages = 200

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filled in by BelemmeringResource.import_data.
        self.column_by_attribute: dict[str, str] = {}
        self.source_rows: list[int] = []

    def spreadsheet_row(self, number: int) -> int:
        if 0 < number <= len(self.source_rows):
            return self.source_rows[number - 1]
        return number + HEADER_ROWS

    def messages(self) -> list[str]:
        messages: list[str] = []
        for error in self.base_errors:
            messages.append(shown_error(error.error))
        for number, errors in self.row_errors():
            for error in errors:
                messages.append(
                    _g("Rij %(rij)d: kon niet worden opgeslagen (%(fout)s).")
                    % {"rij": self.spreadsheet_row(number), "fout": shown_error(error.error)}
                )
        for invalid in self.invalid_rows:
            rij = self.spreadsheet_row(invalid.number)
            for attribute, errors in invalid.error_dict.items():
                for message in errors:
                    if attribute == NON_FIELD_ERRORS:
                        messages.append(_g("Rij %(rij)d: %(fout)s") % {"rij": rij, "fout": message})
                    else:
                        kolom = self.column_by_attribute.get(attribute, attribute)
                        messages.append(
                            _g("Rij %(rij)d, kolom %(kolom)s: %(fout)s") % {"rij": rij, "kolom": kolom, "fout": message}
                        )
        if len(messages) > self.max_messages:
            rest = len(messages) - self.max_messages
            messages = messages[: self.max_messages] + [_g("… en nog %(aantal)d fouten.") % {"aantal": rest}]
        return messages


class BelemmeringResource(resources.ModelResource):
    """Obstacles of one session, as spreadsheet rows.

    `session` is the session being imported into (chosen in the admin form or with --sessie); rows
    with an ID update that session's obstacles, rows without one become new obstacles in it.
    """

    id = fields.Field(attribute="id", column_name=COL_ID, readonly=True, widget=widgets.IntegerWidget())
    session = SessionField(attribute="session", column_name=COL_SESSION, readonly=True)
    thema = fields.Field(attribute="thema", column_name=COL_THEMA)
    subthema = fields.Field(attribute="subthema", column_name=COL_SUBTHEMA)
    title = fields.Field(attribute="title", column_name=COL_TITLE, widget=RequiredTextWidget(COL_TITLE, 200))
    description = fields.Field(
        attribute="description",
        column_name=COL_DESCRIPTION,
        widget=RequiredTextWidget(COL_DESCRIPTION, required=False),
    )
    level = fields.Field(attribute="level", column_name=COL_LEVEL, widget=ChoiceNameWidget(Niveau, COL_LEVEL))
    dimension = fields.Field(
        attribute="dimension", column_name=COL_DIMENSION, widget=ChoiceNameWidget(Dimensie, COL_DIMENSION)
    )
    recognised_by = fields.Field(attribute="recognised_by", column_name=COL_RECOGNISED_BY, widget=CountWidget())
    support_needed = fields.Field(
        attribute="support_needed",
        column_name=COL_SUPPORT_NEEDED,
        widget=RequiredTextWidget(COL_SUPPORT_NEEDED, required=False),
    )
    behoeften = BehoeftenField(attribute="behoeften", column_name=COL_BEHOEFTEN)
    status = fields.Field(
        attribute="status",
        column_name=COL_STATUS,
        widget=ChoiceNameWidget(Belemmering.Status, COL_STATUS, default=Belemmering.Status.CONCEPT),
    )
    regio = fields.Field(attribute="session__regio__name", column_name=COL_REGIO, readonly=True)

    class Meta:
        model = Belemmering
        fields = (
            "id",
            "session",
            "thema",
            "subthema",
            "title",
            "description",
            "level",
            "dimension",
            "recognised_by",
            "support_needed",
            "behoeften",
            "status",
            "regio",
        )
        import_id_fields = ["id"]
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        # Validation of the foreign keys is done by the widgets against cached rows; Django's own
        # model validation would cost three queries per row (see the import benchmark).
        clean_model_instances = False
        # Rows are saved in batches (and their needs linked in batches, see bulk_create): saving one
        # row at a time costs several round trips per row and missed the 10,000-rows-in-30-s target.
        use_bulk = True
        batch_size = 1000

    def __init__(self, session=None, user=None, deadline: Deadline | None = None, **kwargs):
        super().__init__(**kwargs)
        self.session = session
        self.user = user
        self.deadline = deadline or Deadline.from_settings()
        thema_widget = ThemaWidget()
        self.fields["thema"].widget = thema_widget
        self.fields["subthema"].widget = SubthemaWidget(thema_widget)
        self.fields["behoeften"].widget = BehoeftenWidget(thema_widget, user=user)
        self._existing: dict[int, Belemmering] = {}
        self._snapshots: dict[int, tuple[dict, set[int]]] = {}
        self._source_rows: list[int] = []
        self._first_invalid: list[tuple[int, dict, ValidationError]] = []
        self._wrong_rows = 0

    @classmethod
    def get_display_name(cls):
        return _g("Belemmeringen")

    def get_result_class(self):
        return BelemmeringImportResult

    def get_user_visible_fields(self):
        return [f for f in self.get_import_fields() if f.column_name != COL_ID] or super().get_user_visible_fields()

    # --- Import --------------------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # All or nothing: one invalid row rolls back every other row, in the preview and for real.
        kwargs["rollback_on_validation_errors"] = True
        try:
            result = super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True, **kwargs
            )
        except ImportLimitError as e:
            # Raised between rows (see import_row); the import's transaction has been rolled back.
            result = self.get_result_class()()
            result.append_base_error(Error(e))
            for number, row, error in self._first_invalid:
                result.append_invalid_row(number, row, error)
        result.column_by_attribute = {f.attribute: f.column_name for f in self.fields.values()}
        result.column_by_attribute["id"] = COL_ID
        result.source_rows = self._source_rows
        return result

    def import_row(self, row, instance_loader, **kwargs):
        # Outside the library's per-row error handling, so running out of time stops the whole import
        # (and rolls it back) instead of marking one row.
        self.deadline.check()
        row_result = super().import_row(row, instance_loader, **kwargs)
        if kwargs.get("row_number", 0) > PREVIEW_ROWS:
            # The preview shows the first rows only; the rest need not keep their before/after HTML.
            row_result.diff = None
        if row_result.validation_error is not None or row_result.errors:
            # A file with this many wrong rows is usually the wrong file (or columns); every wrong row
            # held for the report costs memory, so stop here and report the first ones.
            self._wrong_rows += 1
            if self._wrong_rows > MAX_INVALID_ROWS:
                raise too_many_wrong_rows(MAX_INVALID_ROWS)
            if row_result.validation_error is not None:
                self._first_invalid.append((kwargs.get("row_number", 0), dict(row), row_result.validation_error))
        return row_result

    def before_import(self, dataset, **kwargs):
        try:
            self._prepare(dataset)
        except Exception:
            # A fault in the file's structure stops the import here: no row is read (or inserted) after it.
            dataset.wipe()
            raise

    def _prepare(self, dataset) -> None:
        if self.session is None:
            raise ValueError(_g("Kies eerst de regiosessie waarin u importeert."))
        self._source_rows = list(getattr(dataset, "source_rows", []) or [])
        headers = canonical_headers(dataset.headers or [])
        missing = [c for c in REQUIRED_COLUMNS if c not in headers]
        if missing:
            # Without these columns every row would fail the same way; say it once.
            raise ValueError(
                _g("Kolom %(kolommen)s ontbreekt in de eerste rij. Verwachte kolommen: %(verwacht)s.")
                % {"kolommen": ", ".join(f"'{c}'" for c in missing), "verwacht": ", ".join(COLUMNS)}
            )
        dataset.headers = headers
        ids = []
        for value in dataset[COL_ID] if COL_ID in headers else []:
            try:
                ids.append(int(float(value)))
            except (TypeError, ValueError):
                pass
        # Only this session's obstacles can be updated: an ID from another session is "unknown".
        self._existing = {
            b.pk: b
            for b in Belemmering.objects.filter(session=self.session, pk__in=ids)
            .select_related("thema", "subthema")
            .prefetch_related("behoeften")
        }

    def get_instance(self, instance_loader, row):
        raw = row.get(COL_ID)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            pk = int(float(raw))
        except (TypeError, ValueError):
            raise ValidationError(
                {
                    "id": _g("'%(waarde)s' is geen geldig ID; laat de cel leeg voor een nieuwe belemmering.")
                    % {"waarde": raw}
                }
            ) from None
        instance = self._existing.get(pk)
        if instance is None:
            raise ValidationError(
                {
                    "id": _g("belemmering %(id)d bestaat niet in deze regiosessie; laat de cel leeg voor een nieuwe.")
                    % {"id": pk}
                }
            )
        # What is stored now, to tell an unchanged row from a changed one (see skip_row).
        self._snapshots[pk] = (
            {name: getattr(instance, name) for name in COMPARED_FIELDS},
            {b.pk for b in instance.behoeften.all()},
        )
        return instance

    def init_instance(self, row=None):
        return Belemmering(
            session=self.session, created_by=self.user if getattr(self.user, "is_authenticated", False) else None
        )

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            row[key] = unescape_formula(value)
        try:
            level = self.fields["level"].widget.clean(row.get(COL_LEVEL))
        except ValueError:
            level = None
        self.fields["behoeften"].widget.level_for_new = level

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        named_session = normalise(row.get(COL_SESSION))
        if named_session and named_session not in {normalise(self.session.title), normalise(self.session.slug)}:
            errors.setdefault("session", []).append(
                ValidationError(
                    _g("'%(waarde)s' is niet de regiosessie waarin u importeert (%(sessie)s).")
                    % {"waarde": clean_text(row.get(COL_SESSION)), "sessie": self.session.title}
                )
            )
        # Needs are resolved here (and new ones created, inside the import's transaction) so that the
        # batch save can link them; None means the file has no Behoeften column: leave links alone.
        instance._import_behoeften = None
        if COL_BEHOEFTEN in row:
            widget = self.fields["behoeften"].widget
            try:
                widget.check(row.get(COL_BEHOEFTEN))
                instance._import_behoeften = widget.clean(row.get(COL_BEHOEFTEN), row=row)
            except ValueError as e:
                errors.setdefault("behoeften", []).append(ValidationError(str(e)))
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance.pk is None or instance.pk not in self._snapshots:
            return False
        values, behoefte_ids = self._snapshots[instance.pk]
        if any(getattr(instance, name) != value for name, value in values.items()):
            return False
        wanted = instance._import_behoeften
        return wanted is None or {b.pk for b in wanted} == behoefte_ids

    def save_m2m(self, instance, row, **kwargs):
        # Linked in batches by bulk_create / bulk_update below.
        pass

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            # bulk_update does not run auto_now.
            instance.updated = timezone.now()

    def get_bulk_update_fields(self):
        return [*COMPARED_FIELDS, "updated"]

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        pending = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        self._link_behoeften([obj for obj in pending if obj.pk is not None], replace=False)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        pending = list(self.update_instances)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        self._link_behoeften(pending, replace=True)

    def _link_behoeften(self, instances, *, replace: bool) -> None:
        through = Belemmering.behoeften.through
        instances = [obj for obj in instances if getattr(obj, "_import_behoeften", None) is not None]
        if not instances:
            return
        if replace:
            through.objects.filter(belemmering_id__in=[obj.pk for obj in instances]).delete()
        through.objects.bulk_create(
            [through(belemmering_id=obj.pk, behoefte_id=b.pk) for obj in instances for b in obj._import_behoeften],
            batch_size=1000,
        )


class BelemmeringBatchResource(BelemmeringResource):
    """The same import without the per-row before/after comparison that only the admin's preview
    table shows; used by the command line and the service (a third faster on 10,000 rows)."""

    class Meta(BelemmeringResource.Meta):
        skip_diff = True


def canonical_headers(headers: Iterable) -> list[str]:
    """Map headers as typed ('  thema ', 'HERKEND DOOR') onto the column names; others stay as they are."""
    by_key = {normalise(c): c for c in COLUMNS}
    return [by_key.get(normalise(h), clean_text(h)) for h in headers]


def allowed_values() -> dict[str, list[str]]:
    """What may go in each choice column, as listed in the template's second sheet."""
    result = {
        COL_THEMA: [t.name for t in Thema.objects.all()],
        COL_LEVEL: ChoiceNameWidget(Niveau, COL_LEVEL).allowed,
        COL_DIMENSION: ChoiceNameWidget(Dimensie, COL_DIMENSION).allowed,
        COL_STATUS: ChoiceNameWidget(Belemmering.Status, COL_STATUS).allowed,
    }
    result[COL_SUBTHEMA] = [f"{s.name} ({s.thema.name})" for s in Subthema.objects.select_related("thema")]
    return result


DIMENSIE_UITLEG = {short_label(label): str(label) for _v, label in Dimensie.choices}
__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "BelemmeringResource",
    "BelemmeringBatchResource",
    "BelemmeringImportResult",
    "canonical_headers",
    "allowed_values",
    "DIMENSIE_UITLEG",
]
