"""Access-control matrix: for EVERY URL the project serves, which of the six roles gets it and which is refused.

The URL list is not typed by hand: `all_url_names()` walks the resolver, so a URL or admin view
added later makes `test_every_url_is_classified` fail until it gets a row here. A row names the URL
(built from the `world` fixture, so object URLs point at session A's data unless the row says B) and
the roles that must be ALLOWED; every other role must be refused. Allowed means a 200 answer (a
download, a page). Refused is exact, per case (`expected_refusal`): a visitor without an account is sent
to the login page on staff URLs; what does not exist for the role is a 404 (made-up links, unknown
objects, another session's objects in the admin, an admin app with nothing the role may see); any
other refusal of staff is a 403. Never the content. The "participant" holds session A's personal link
and nothing else. Staff log in
through force_login with two-factor off, as in the demo; the two-factor gate itself is tested in
test_twofactor.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from belemmeringen.models import Behoefte, Belemmering, Dimensie, Knelpunt, LichtmastAntwoord, Niveau, Thema
from core.models import AuditLog, ContactBericht, Mailing, MailingRecipient, OutboxMessage
from prioritering.models import Ronde
from rapportage.models import ProgrammaOnderdeel, RapportRender, RapportTekst
from regiosessies.tests.factories import register
from resultaten.tests.factories import make_publication
from terugkoppeling.emails import unsubscribe_token

ROLES = ("anonymous", "participant", "facilitator_a", "facilitator_b", "programmateam", "superuser")
STAFF = {"facilitator_a", "facilitator_b", "programmateam", "superuser"}
EVERYONE = set(ROLES)
NOBODY: set[str] = set()
PROGRAMME = {"programmateam", "superuser"}
SESSION_A = {"facilitator_a", "programmateam", "superuser"}
SESSION_B = {"facilitator_b", "programmateam", "superuser"}
SUPERUSER = {"superuser"}
LOGIN = "login"  # a refusal by redirect to the admin's login page


@dataclass
class World:
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(session_a, session_b, facilitator_a, facilitator_b, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    aanmelding_a = register(session_a, "anna@example.nl", "Anna")
    aanmelding_b = register(session_b, "bert@example.nl", "Bert", organisation_type="bedrijf")
    thema = Thema.objects.first()
    common = {"thema": thema, "level": Niveau.choices[0][0], "dimension": Dimensie.choices[0][0]}
    access = {
        "user_agent": "test",
        "ip_address": "127.0.0.1",
        "username": "fac-a",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }
    now = timezone.now()
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    objects = {
        "session_a": session_a,
        "session_b": session_b,
        "aanmelding_a": aanmelding_a,
        "aanmelding_b": aanmelding_b,
        "belemmering_a": Belemmering.objects.create(session=session_a, title="Geen budget", **common),
        "belemmering_b": Belemmering.objects.create(session=session_b, title="Geen data", **common),
        "behoefte_a": Behoefte.objects.create(
            title="Landelijke afspraken",
            support_type=Behoefte.Ondersteuning.choices[0][0],
            level=Niveau.choices[0][0],
            created_by=facilitator_a,
        ),
        "lichtmast_a": LichtmastAntwoord.objects.create(
            session=session_a, verdict=LichtmastAntwoord.Oordeel.choices[0][0]
        ),
        "lichtmast_b": LichtmastAntwoord.objects.create(
            session=session_b, verdict=LichtmastAntwoord.Oordeel.choices[0][0]
        ),
        "thema": thema,
        "knelpunt": Knelpunt.objects.create(title="Geen budget", thema=thema, level=Niveau.choices[0][0]),
        "rapporttekst": RapportTekst.objects.get_or_create()[0],
        "programmaonderdeel": ProgrammaOnderdeel.objects.create(
            title="Kennisplatform", aim="Delen.", offer="Platform."
        ),
        "render_all": RapportRender.objects.create(fingerprint="a" * 64),
        "render_a": RapportRender.objects.create(session=session_a, fingerprint="b" * 64),
        "render_b": RapportRender.objects.create(session=session_b, fingerprint="c" * 64),
        "outbox": OutboxMessage.objects.filter(aanmelding=aanmelding_a).first(),
        "contact": ContactBericht.objects.create(
            name="Carla", email="carla@example.nl", subject="Vraag", message="Hallo"
        ),
        "auditlog": AuditLog.objects.create(actor=None, action=AuditLog.Action.choices[0][0], what="test"),
        "mailing": (
            mailing := Mailing.objects.create(
                kind="resultaten", key="publicatie-1", template="resultaten", render_with="x.y"
            )
        ),
        "mailing_row": MailingRecipient.objects.create(mailing=mailing, email="anna@example.nl", language="nl"),
        "group": Group.objects.get(name="Facilitator"),
        "user": facilitator_a,
        "site": Site.objects.get_current(),
        "redirect": Redirect.objects.create(site=Site.objects.get_current(), old_path="/oud/", new_path="/"),
        "taskresult": DBTaskResult.objects.create(
            enqueued_at=now,
            run_after=now,
            args_kwargs={},
            task_path="x.y",
            backend_name="default",
            exception_class_path="",
            traceback="",
        ),
        "accessattempt": AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **access),
        "accesslog": AccessLog.objects.create(**access),
        "accessfailurelog": AccessFailureLog.objects.create(**access),
        "totpdevice": TOTPDevice.objects.create(user=facilitator_a, name="telefoon"),
        # An open prioritisation round, so the ballot page shows its form.
        "ronde": Ronde.objects.create(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=7)),
    }
    # Published last, so the frozen results name the world's knelpunt and regions.
    objects["publicatie"] = make_publication()
    for key in ("render_all", "render_a", "render_b"):
        render = objects[key]
        render.status = RapportRender.Status.DONE
        render.pdf.save(f"{key}.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    assert objects["outbox"] is not None, "registering should have queued a confirmation email"
    return World(objects)


def named(name: str, *attrs: str, kwarg: str | None = None, key: str = "pk") -> Callable[[World], str]:
    """reverse(name) with the pk (or another attribute) of world objects as arguments."""

    def build(world: World) -> str:
        values = [getattr(getattr(world, attr), key) for attr in attrs]
        if kwarg:
            return reverse(name, kwargs={kwarg: values[0]})
        return reverse(name, args=values)

    return build


# --- Admin: one policy per registered model --------------------------------------------------------
# view -> roles allowed. Object views ("change", "history", "delete" and the model's own object views)
# use the world object named in ADMIN_OBJECTS; a session-bound model also gets "<view>@b" rows for
# session B's object. Standard views a model does not offer (e.g. "add" on a read-only model) must
# still be listed, with NOBODY, so the refusal is proven too.
OBJECT_VIEWS = {
    "change",
    "history",
    "delete",
    "presentielijst",
    "bericht",
    "berichten",
    "config",
    "qrcode",
    "password_change",
    "splitsen",
    "samenvoegen",
    "sluiten",
}

ADMIN_OBJECTS: dict[str, tuple[str, ...]] = {
    "auth_group": ("group",),
    "auth_user": ("user",),
    "sites_site": ("site",),
    "redirects_redirect": ("redirect",),
    "django_tasks_database_dbtaskresult": ("taskresult",),
    "axes_accessattempt": ("accessattempt",),
    "axes_accesslog": ("accesslog",),
    "axes_accessfailurelog": ("accessfailurelog",),
    "otp_totp_totpdevice": ("totpdevice",),
    "core_outboxmessage": ("outbox",),
    "core_contactbericht": ("contact",),
    "core_auditlog": ("auditlog",),
    "core_mailing": ("mailing",),
    "core_mailingrecipient": ("mailing_row",),
    "regiosessies_regio": ("session_a.regio",),
    "regiosessies_regiosessie": ("session_a", "session_b"),
    "regiosessies_aanmelding": ("aanmelding_a", "aanmelding_b"),
    "belemmeringen_belemmering": ("belemmering_a", "belemmering_b"),
    "belemmeringen_behoefte": ("behoefte_a",),
    "belemmeringen_knelpunt": ("knelpunt",),
    "belemmeringen_lichtmastantwoord": ("lichtmast_a", "lichtmast_b"),
    "belemmeringen_sessiebevindingen": ("session_a", "session_b"),
    "belemmeringen_thema": ("thema",),
    "rapportage_rapporttekst": ("rapporttekst",),
    "rapportage_programmaonderdeel": ("programmaonderdeel",),
    "rapportage_rapportrender": ("render_a", "render_b"),
    "prioritering_ronde": ("ronde",),
    "resultaten_publicatie": ("publicatie",),
}

# Models whose admin shows each facilitator only their own sessions' objects: another session's object
# does not exist for them, so its object views answer 404 (not 403) to that session's non-facilitator.
SESSION_SCOPED_ADMIN = {
    "regiosessies_regiosessie",
    "regiosessies_aanmelding",
    "belemmeringen_belemmering",
    "belemmeringen_lichtmastantwoord",
    "belemmeringen_sessiebevindingen",
}

SUPERUSER_ONLY_MODEL = {
    "changelist": SUPERUSER,
    "add": SUPERUSER,
    "change": SUPERUSER,
    "history": SUPERUSER,
    "delete": SUPERUSER,
}
READ_ONLY_SUPERUSER = {
    "changelist": SUPERUSER,
    "add": NOBODY,
    "change": SUPERUSER,
    "history": SUPERUSER,
    "delete": NOBODY,
}
PROGRAMME_READ_ONLY = {
    "changelist": PROGRAMME,
    "add": NOBODY,
    "change": PROGRAMME,
    "history": PROGRAMME,
    "delete": NOBODY,
}

ADMIN_POLICY: dict[str, dict[str, set[str]]] = {
    # Accounts, site configuration, task queue, login records and 2FA devices: superuser only.
    "auth_group": SUPERUSER_ONLY_MODEL,
    "auth_user": {**SUPERUSER_ONLY_MODEL, "password_change": SUPERUSER},
    "sites_site": SUPERUSER_ONLY_MODEL,
    "redirects_redirect": SUPERUSER_ONLY_MODEL,
    "django_tasks_database_dbtaskresult": READ_ONLY_SUPERUSER,
    "axes_accessattempt": {**READ_ONLY_SUPERUSER, "delete": SUPERUSER},
    "axes_accesslog": {**READ_ONLY_SUPERUSER, "delete": SUPERUSER},
    "axes_accessfailurelog": {**READ_ONLY_SUPERUSER, "delete": SUPERUSER},
    # The device's secret (config page, QR code) is shown to nobody: OTP_ADMIN_HIDE_SENSITIVE_DATA.
    "otp_totp_totpdevice": {**SUPERUSER_ONLY_MODEL, "config": NOBODY, "qrcode": NOBODY},
    # Programme staff's own records: nothing of a person that a facilitator could reach.
    "core_outboxmessage": PROGRAMME_READ_ONLY,
    "core_contactbericht": PROGRAMME_READ_ONLY,
    "core_auditlog": {**PROGRAMME_READ_ONLY, "subject": PROGRAMME},
    # Bulk mailings hold every consenting address: programme staff only, and only to read and retry.
    "core_mailing": PROGRAMME_READ_ONLY,
    "core_mailingrecipient": PROGRAMME_READ_ONLY,
    "regiosessies_regio": {
        "changelist": PROGRAMME,
        "add": PROGRAMME,
        "change": PROGRAMME,
        "history": PROGRAMME,
        "delete": PROGRAMME,
    },
    # Session-bound: a facilitator sees the list (filtered to their sessions) and only their session's objects.
    "regiosessies_regiosessie": {
        "changelist": STAFF,
        "add": PROGRAMME,
        "change": SESSION_A,
        "history": SESSION_A,
        "delete": PROGRAMME,
        "presentielijst": SESSION_A,
        "change@b": SESSION_B,
        "history@b": SESSION_B,
        "delete@b": PROGRAMME,
        "presentielijst@b": SESSION_B,
        # Writing to a session's participants, and the emails sent to them: that session's facilitator
        # and programme staff (another session's facilitator gets a 404).
        "bericht": SESSION_A,
        "berichten": SESSION_A,
        "bericht@b": SESSION_B,
        "berichten@b": SESSION_B,
    },
    "regiosessies_aanmelding": {
        # Registrations come only from the public form, and are anonymised, never deleted.
        "changelist": STAFF,
        "add": NOBODY,
        "change": SESSION_A,
        "history": SESSION_A,
        "delete": NOBODY,
        "export": STAFF,
        "change@b": SESSION_B,
        "history@b": SESSION_B,
        "delete@b": NOBODY,
    },
    "belemmeringen_belemmering": {
        "changelist": STAFF,
        "add": STAFF,
        "change": SESSION_A,
        "history": SESSION_A,
        "delete": PROGRAMME,
        "export": STAFF,
        "import": STAFF,
        "sjabloon": STAFF,
        "change@b": SESSION_B,
        "history@b": SESSION_B,
        "delete@b": PROGRAMME,
    },
    # Needs are shared across sessions; facilitator A created this one and may still edit it.
    "belemmeringen_behoefte": {
        "changelist": STAFF,
        "add": STAFF,
        "change": STAFF,
        "history": STAFF,
        "delete": SESSION_A,
    },
    "belemmeringen_lichtmastantwoord": {
        "changelist": STAFF,
        "add": STAFF,
        "change": SESSION_A,
        "history": SESSION_A,
        "delete": PROGRAMME,
        "change@b": SESSION_B,
        "history@b": SESSION_B,
        "delete@b": PROGRAMME,
    },
    "belemmeringen_sessiebevindingen": {
        "changelist": STAFF,
        "add": NOBODY,
        "change": SESSION_A,
        "history": SESSION_A,
        "delete": NOBODY,
        "change@b": SESSION_B,
        "history@b": SESSION_B,
        "delete@b": NOBODY,
    },
    # Grouping entries into knelpunten is the programme team's work; facilitators get a 403.
    "belemmeringen_knelpunt": {
        "changelist": PROGRAMME,
        "add": PROGRAMME,
        "change": PROGRAMME,
        "history": PROGRAMME,
        "delete": PROGRAMME,
        "suggesties": PROGRAMME,
        "splitsen": PROGRAMME,
        "samenvoegen": PROGRAMME,
    },
    "belemmeringen_thema": {
        "changelist": STAFF,
        "add": PROGRAMME,
        "change": STAFF,
        "history": STAFF,
        "delete": PROGRAMME,
    },
    # One report text row: it exists, so "add" is closed; it is never deleted.
    "rapportage_rapporttekst": {
        "changelist": PROGRAMME,
        "add": NOBODY,
        "change": PROGRAMME,
        "history": PROGRAMME,
        "delete": NOBODY,
    },
    # Rounds (with their live results) are for programme staff; a round is never deleted.
    # Closing asks first (GET shows the figures, POST closes): programme staff only.
    "prioritering_ronde": {
        "changelist": PROGRAMME,
        "add": PROGRAMME,
        "change": PROGRAMME,
        "history": PROGRAMME,
        "delete": NOBODY,
        "sluiten": PROGRAMME,
    },
    # The programme proposal is written by the programme team alone.
    "rapportage_programmaonderdeel": {
        "changelist": PROGRAMME,
        "add": PROGRAMME,
        "change": PROGRAMME,
        "history": PROGRAMME,
        "delete": PROGRAMME,
    },
    # Publications: programme staff see them and publish (the button's page); a version is never changed or deleted.
    "resultaten_publicatie": {
        "changelist": PROGRAMME,
        "add": NOBODY,
        "change": PROGRAMME,
        "history": PROGRAMME,
        "delete": NOBODY,
        "publiceren": PROGRAMME,
    },
    "rapportage_rapportrender": {
        "changelist": PROGRAMME,
        "add": NOBODY,
        "change": PROGRAMME,
        "history": PROGRAMME,
        "delete": SUPERUSER,
        "change@b": PROGRAMME,
        "history@b": PROGRAMME,
        "delete@b": SUPERUSER,
    },
}

# URL names reached only by POST (GET is not a way in); their POST handling is tested where they live.
NOT_GET: dict[str, str] = {
    "admin:logout": "POST only (Django 5); tested by the admin login tests",
    "admin:belemmeringen_belemmering_process_import": "second step of the import, POST only; test_admin.py of belemmeringen",
    "regiosessies:herstellen": "undo a cancellation, POST only; regiosessies/tests/test_personal_page.py",
    "regiosessies:resultaten_toestemming": "the results-email switch on the personal page, POST only (GET is 405); regiosessies/tests/test_results_consent.py",
}

# Patterns without a name: where they go and which row covers that.
UNNAMED = {
    "(?P<url>.*)$": "the admin's catch-all: unknown admin paths go to the login page or 404",
    "<path:object_id>/": "the admin's old-style object URL, a redirect to the change view (covered by the change rows)",
}


def _admin_object(world: World, attr: str):
    obj = world
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


# label -> the roles for whom that URL's object does not exist (404), besides the rows in NOT_FOUND.
NOT_FOUND_FOR: dict[str, set[str]] = {
    # "View on site" of session A: facilitator B does not see session A in the admin.
    "admin:view_on_site@session_a": {"facilitator_b"},
}


def _admin_rows() -> list[tuple[str, Callable[[World], str], set[str]]]:
    rows = []
    for model, policy in ADMIN_POLICY.items():
        objs = ADMIN_OBJECTS[model]
        for view, allowed in policy.items():
            base, _, which = view.partition("@")
            attr = objs[1] if which == "b" else objs[0]
            name = f"admin:{model}_{base}"
            label = f"{name}{'@b' if which else ''}"
            if base in OBJECT_VIEWS:
                url = (lambda n, a: lambda w: reverse(n, args=[_admin_object(w, a).pk]))(name, attr)
                if model in SESSION_SCOPED_ADMIN:
                    NOT_FOUND_FOR[label] = {"facilitator_a" if which == "b" else "facilitator_b"}
            else:
                url = (lambda n: lambda w: reverse(n))(name)
            rows.append((label, url, allowed))
    return rows


def view_on_site(attr: str) -> Callable[[World], str]:
    def build(world: World) -> str:
        obj = getattr(world, attr)
        return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])

    return build


# (label = URL name[@variant], url(world), roles allowed)
MATRIX: list[tuple[str, Callable[[World], str], set[str]]] = [
    # Public pages
    ("home", lambda w: reverse("home"), EVERYONE),
    ("privacy", lambda w: reverse("privacy"), EVERYONE),
    ("toegankelijkheid", lambda w: reverse("toegankelijkheid"), EVERYONE),
    ("health", lambda w: reverse("health"), EVERYONE),
    ("regiosessies:kies", lambda w: reverse("regiosessies:kies"), EVERYONE),
    ("regiosessies:list", lambda w: reverse("regiosessies:list"), EVERYONE),
    ("regiosessies:detail", named("regiosessies:detail", "session_a", key="slug"), EVERYONE),
    ("regiosessies:aanmelden", named("regiosessies:aanmelden", "session_a", key="slug"), EVERYONE),
    ("regiosessies:verstuurd", named("regiosessies:verstuurd", "session_a", key="slug"), EVERYONE),
    ("contact", lambda w: reverse("contact"), EVERYONE),
    ("contact_verzonden", lambda w: reverse("contact_verzonden"), EVERYONE),
    # The personal link: holding it is the credential, so whoever has it sees that one registration.
    ("regiosessies:aanmelding", named("regiosessies:aanmelding", "aanmelding_a", key="token"), EVERYONE),
    ("regiosessies:aanmelding@made-up", lambda w: reverse("regiosessies:aanmelding", args=["x" * 43]), NOBODY),
    # The ballot behind the same link: the link is the credential; a made-up one is a 404.
    ("prioritering:stembiljet", named("prioritering:stembiljet", "aanmelding_a", key="token"), EVERYONE),
    ("prioritering:stembiljet@made-up", lambda w: reverse("prioritering:stembiljet", args=["x" * 43]), NOBODY),
    ("regiosessies:annuleren", named("regiosessies:annuleren", "aanmelding_a", key="token"), EVERYONE),
    ("regiosessies:annuleren@made-up", lambda w: reverse("regiosessies:annuleren", args=["x" * 43]), NOBODY),
    ("regiosessies:wijzigen", named("regiosessies:wijzigen", "aanmelding_a", key="token"), EVERYONE),
    ("regiosessies:wijzigen@made-up", lambda w: reverse("regiosessies:wijzigen", args=["x" * 43]), NOBODY),
    # Unsubscribing from the results email: the signed link is the credential, like the personal link;
    # a forged one is a 404 (terugkoppeling/tests/test_views.py has the POSTs).
    (
        "terugkoppeling:afmelden",
        lambda w: reverse("terugkoppeling:afmelden", args=[unsubscribe_token(w.aanmelding_a.pk)]),
        EVERYONE,
    ),
    (
        "terugkoppeling:afmelden@forged",
        lambda w: reverse("terugkoppeling:afmelden", args=[f"{w.aanmelding_a.pk}:vals"]),
        NOBODY,
    ),
    # The session's calendar file: public, like the session page.
    ("regiosessies:agenda", named("regiosessies:agenda", "session_a", key="slug"), EVERYONE),
    ("regiosessies:agenda@made-up", lambda w: reverse("regiosessies:agenda", args=["bestaat-niet"]), NOBODY),
    # Admin, not bound to a model
    ("admin:index", lambda w: reverse("admin:index"), STAFF),
    ("admin:password_change", lambda w: reverse("admin:password_change"), STAFF),
    ("admin:password_change_done", lambda w: reverse("admin:password_change_done"), STAFF),
    ("admin:jsi18n", lambda w: reverse("admin:jsi18n"), STAFF),
    ("admin:app_list@regiosessies", lambda w: reverse("admin:app_list", args=["regiosessies"]), STAFF),
    ("admin:app_list@belemmeringen", lambda w: reverse("admin:app_list", args=["belemmeringen"]), STAFF),
    ("admin:app_list@core", lambda w: reverse("admin:app_list", args=["core"]), PROGRAMME),
    ("admin:app_list@rapportage", lambda w: reverse("admin:app_list", args=["rapportage"]), PROGRAMME),
    ("admin:app_list@prioritering", lambda w: reverse("admin:app_list", args=["prioritering"]), PROGRAMME),
    ("admin:app_list@resultaten", lambda w: reverse("admin:app_list", args=["resultaten"]), PROGRAMME),
    ("admin:app_list@auth", lambda w: reverse("admin:app_list", args=["auth"]), SUPERUSER),
    ("admin:app_list@sites", lambda w: reverse("admin:app_list", args=["sites"]), SUPERUSER),
    ("admin:app_list@redirects", lambda w: reverse("admin:app_list", args=["redirects"]), SUPERUSER),
    (
        "admin:app_list@django_tasks_database",
        lambda w: reverse("admin:app_list", args=["django_tasks_database"]),
        SUPERUSER,
    ),
    ("admin:app_list@axes", lambda w: reverse("admin:app_list", args=["axes"]), SUPERUSER),
    ("admin:app_list@otp_totp", lambda w: reverse("admin:app_list", args=["otp_totp"]), SUPERUSER),
    # Autocomplete answers for the obstacle form's session field: a facilitator only gets their own.
    (
        "admin:autocomplete",
        lambda w: (
            reverse("admin:autocomplete") + "?app_label=belemmeringen&model_name=belemmering&field_name=session&term="
        ),
        STAFF,
    ),
    # "View on site" redirects to the object's public URL (built from SITE_URL). A registration's
    # public URL is the personal link, a secret: its admin has no "view on site", for nobody (issue 17).
    ("admin:view_on_site@aanmelding_a", view_on_site("aanmelding_a"), NOBODY),
    ("admin_view_on_site_checked@aanmelding_b", view_on_site("aanmelding_b"), NOBODY),
    ("admin:view_on_site@session_a", view_on_site("session_a"), SESSION_A),
    ("admin:view_on_site@unknown", lambda w: reverse("admin:view_on_site", args=[1, "x"]), NOBODY),
    # Two-factor pages are for staff only. Facilitator A has a device (see world), so gets the code
    # page and is sent on from enrolment; the others are sent from the code page to enrolment.
    ("twofactor:index", lambda w: reverse("twofactor:index"), STAFF),
    ("twofactor:enrol", lambda w: reverse("twofactor:enrol"), STAFF),
    ("twofactor:verify", lambda w: reverse("twofactor:verify"), STAFF),
    # Report
    ("rapportage:dashboard", lambda w: reverse("rapportage:dashboard"), PROGRAMME),
    ("rapportage:pdf", lambda w: reverse("rapportage:pdf"), PROGRAMME),
    ("rapportage:voorbeeld", lambda w: reverse("rapportage:voorbeeld"), PROGRAMME),
    ("rapportage:session_preview", named("rapportage:session_preview", "session_a", key="slug"), SESSION_A),
    ("rapportage:session_preview@b", named("rapportage:session_preview", "session_b", key="slug"), SESSION_B),
    ("rapportage:xlsx", lambda w: reverse("rapportage:xlsx"), PROGRAMME),
    ("rapportage:session_pdf", named("rapportage:session_pdf", "session_a", key="slug"), SESSION_A),
    ("rapportage:session_pdf@b", named("rapportage:session_pdf", "session_b", key="slug"), SESSION_B),
    ("rapportage:render_status", named("rapportage:render_status", "render_a"), SESSION_A),
    ("rapportage:render_status@b", named("rapportage:render_status", "render_b"), SESSION_B),
    ("rapportage:render_status@all", named("rapportage:render_status", "render_all"), PROGRAMME),
    ("rapportage:render_status@unknown", lambda w: reverse("rapportage:render_status", args=[uuid.uuid4()]), NOBODY),
    ("rapportage:render_download@all", named("rapportage:render_download", "render_all"), PROGRAMME),
    ("rapportage:render_download@a", named("rapportage:render_download", "render_a"), SESSION_A),
    ("rapportage:render_download@b", named("rapportage:render_download", "render_b"), SESSION_B),
    # Published results and open data: public to everyone once published (before that they are 404:
    # resultaten/tests/test_views.py); unknown versions, regions, datasets and unpublished knelpunten are 404.
    ("resultaten:index", lambda w: reverse("resultaten:index"), EVERYONE),
    ("resultaten:rapport", lambda w: reverse("resultaten:rapport"), EVERYONE),
    ("resultaten:rapport_pdf", lambda w: reverse("resultaten:rapport_pdf"), EVERYONE),
    ("resultaten:versies", lambda w: reverse("resultaten:versies"), EVERYONE),
    ("resultaten:rapport_versie", named("resultaten:rapport_versie", "publicatie", key="version"), EVERYONE),
    ("resultaten:rapport_versie@unknown", lambda w: reverse("resultaten:rapport_versie", args=[99]), NOBODY),
    ("resultaten:rapport_versie_pdf", named("resultaten:rapport_versie_pdf", "publicatie", key="version"), EVERYONE),
    ("resultaten:knelpunt", named("resultaten:knelpunt", "knelpunt"), EVERYONE),
    ("resultaten:knelpunt@unpublished", lambda w: reverse("resultaten:knelpunt", args=[w.knelpunt.pk + 1000]), NOBODY),
    ("resultaten:regio", lambda w: reverse("resultaten:regio", args=[w.session_a.regio.slug]), EVERYONE),
    ("resultaten:regio@unknown", lambda w: reverse("resultaten:regio", args=["bestaat-niet"]), NOBODY),
    ("opendata:index", lambda w: reverse("opendata:index"), EVERYONE),
    ("opendata_bestanden:catalogus", lambda w: reverse("opendata_bestanden:catalogus"), EVERYONE),
    (
        "opendata_bestanden:bestand",
        lambda w: reverse("opendata_bestanden:bestand", args=[1, "knelpunten", "csv"]),
        EVERYONE,
    ),
    (
        "opendata_bestanden:bestand@unknown",
        lambda w: reverse("opendata_bestanden:bestand", args=[1, "aanmeldingen", "csv"]),
        NOBODY,
    ),
    *_admin_rows(),
]

# Rows whose object does not exist for anyone (made up, forged, unknown, unpublished, or a page the
# admin does not offer for it): a 404 to every role refused, except that staff URLs send a visitor
# without an account to the login page first.
NOT_FOUND = {
    "regiosessies:aanmelding@made-up",
    "prioritering:stembiljet@made-up",
    "regiosessies:annuleren@made-up",
    "regiosessies:wijzigen@made-up",
    "terugkoppeling:afmelden@forged",
    "regiosessies:agenda@made-up",
    "admin:view_on_site@aanmelding_a",
    "admin_view_on_site_checked@aanmelding_b",
    "admin:view_on_site@unknown",
    "rapportage:render_status@unknown",
    "resultaten:rapport_versie@unknown",
    "resultaten:knelpunt@unpublished",
    "resultaten:regio@unknown",
    "opendata_bestanden:bestand@unknown",
}

# URLs that only staff may reach: without a staff login they lead to the login page.
STAFF_URLS = ("admin:", "admin_view_on_site", "twofactor:", "rapportage:")


def expected_refusal(label: str, role: str) -> int | str:
    """How `role` is refused `label`: LOGIN (redirect to the login page), 404 or 403."""
    if role not in STAFF and label.startswith(STAFF_URLS):
        return LOGIN
    if label in NOT_FOUND or role in NOT_FOUND_FOR.get(label, ()):
        return 404
    if label.startswith("admin:app_list@"):
        # Django's app index is a 404 for an app of which the user may see no model.
        return 404
    return 403


# Allowed answers that are redirects rather than pages, with where they must lead.
ALLOWED_REDIRECTS: dict[str, Callable[[World], str]] = {
    "admin:view_on_site@session_a": lambda w: w.session_a.get_absolute_url(),
    "twofactor:index": lambda w: reverse("twofactor:verify"),
}

# Pages of one flow that answer either themselves or with the next step of the flow (by path prefix).
ALLOWED_PAGE_OR_FLOW = {
    "twofactor:enrol": "/admin/tweestapsverificatie/",
    "twofactor:verify": "/admin/tweestapsverificatie/",
    # A facilitator whose only session has its lamp-post answer is led to that answer (one per session).
    "admin:belemmeringen_lichtmastantwoord_add": "/admin/belemmeringen/lichtmastantwoord/",
}

PUBLIC_REDIRECTS = {
    # Answered for everyone with a redirect, whatever the role: there is nothing to withhold.
    "admin:login": "the login page; a logged-in staff member is sent on to the admin index",
    "set_language": "switches the language and redirects back; tested in consultatie/tests",
    "accessibility": "the English-sounding address of the accessibility statement, redirects to it; consultatie/tests/test_public_addresses.py",
}


def all_url_names() -> tuple[set[str], set[str]]:
    """Every named URL (with namespaces) and every unnamed pattern the resolver serves."""
    names: set[str] = set()
    unnamed: set[str] = set()

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    names.add(namespace + pattern.name)
                else:
                    unnamed.add(str(pattern.pattern))

    walk(get_resolver().url_patterns)
    return names, unnamed


def test_every_url_is_classified():
    names, unnamed = all_url_names()
    classified = {label.partition("@")[0] for label, _, _ in MATRIX} | set(NOT_GET) | set(PUBLIC_REDIRECTS)
    missing = sorted(names - classified)
    assert not missing, f"URLs without a row in the access matrix (add them to test_security.py): {missing}"
    stale = sorted(classified - names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"
    assert unnamed <= set(UNNAMED), f"unnamed URL patterns to classify: {sorted(unnamed - set(UNNAMED))}"


def client_for(role: str, world: World, request) -> Client:
    client = Client()
    if role in STAFF:
        client.force_login(request.getfixturevalue(role))
    return client


def refusal(response) -> int | str:
    """The kind of answer: LOGIN for a redirect to the login page, else the status code."""
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return LOGIN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("label", "url", "allowed"), MATRIX, ids=[row[0] for row in MATRIX])
def test_access_matrix(request, world, role, label, url, allowed):
    client = client_for(role, world, request)
    response = client.get(url(world))
    if role in allowed and label in ALLOWED_REDIRECTS:
        assert response.status_code == 302, f"{role} should be sent on from {label}; got {response.status_code}"
        assert response["Location"].split("?")[0].endswith(ALLOWED_REDIRECTS[label](world)), response["Location"]
    elif role in allowed and label in ALLOWED_PAGE_OR_FLOW and response.status_code == 302:
        assert response["Location"].startswith(ALLOWED_PAGE_OR_FLOW[label]), response["Location"]
    elif role in allowed:
        assert response.status_code == 200, f"{role} should get {label}; got {response.status_code}"
    else:
        expected = expected_refusal(label, role)
        got = refusal(response)
        assert got == expected, f"{role} must be refused {label} with {expected}; got {got}"


def test_every_row_named_in_the_refusal_tables_is_in_the_matrix():
    labels = {label for label, _, _ in MATRIX}
    assert NOT_FOUND <= labels, sorted(NOT_FOUND - labels)
    assert set(NOT_FOUND_FOR) <= labels, sorted(set(NOT_FOUND_FOR) - labels)
