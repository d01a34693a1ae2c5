"""What the results email and the follow-up digest say, rendered per recipient by the bulk-mail worker
(`render_with` targets of `core.mailing`), in the recipient's language (already active).

Both carry the RFC 8058 one-click unsubscribe headers and the same link in the body. The link holds a
signed registration id, not the address: it works without logging in, and a mail log or a forwarded
message shows no address in it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from belemmeringen.models import Knelpunt, KnelpuntStatusWijziging
from core.mailing import NotWanted
from core.translated import translated
from regiosessies.models import Aanmelding, Regio
from resultaten.models import Publicatie

UNSUBSCRIBE_SALT = "terugkoppeling.afmelden"


def unsubscribe_token(aanmelding_id: int) -> str:
    return signing.dumps(aanmelding_id, salt=UNSUBSCRIBE_SALT)


def aanmelding_from_token(token: str) -> Aanmelding | None:
    """The registration a link names; None for a forged or damaged link, or one already anonymised."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Aanmelding.objects.filter(pk=pk, anonymised_at__isnull=True).first() if isinstance(pk, int) else None


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _still_wanted(row) -> None:
    if not Aanmelding.objects.wanting_results().filter(email=row.email).exists():
        raise NotWanted(row.email)  # the rule of Aanmelding.wants_results, by address


def _publicatie(pk: int) -> tuple[Publicatie, dict]:
    """A published version and its summary, read in full once per worker process: a version never
    changes (resultaten freezes it), and its data and report are large, so reading them for every
    recipient would dominate the sending. The key includes what identifies the version beyond its id
    (a test database hands out the same id again)."""
    fingerprint, published_at = Publicatie.objects.filter(pk=pk).values_list("fingerprint", "published_at").get()
    return _publicatie_frozen(pk, fingerprint, published_at)


@lru_cache(maxsize=4)
def _publicatie_frozen(pk: int, fingerprint: str, published_at: datetime) -> tuple[Publicatie, dict]:
    publicatie = Publicatie.objects.defer("report_html").get(pk=pk)
    return publicatie, summary(publicatie)


def _common(mailing, row) -> tuple[dict, dict]:
    """Context and headers both messages share: links, the region pages, unsubscribing."""
    _still_wanted(row)
    publicatie, figures = _publicatie(mailing.data["publicatie"])
    published_regions = {r["slug"] for r in publicatie.data.get("regions", [])}
    # The region's English name where staff entered one (the published data holds the Dutch).
    regios = {r.slug: r for r in Regio.objects.filter(slug__in=row.context.get("regions", []))}
    unsubscribe_url = absolute(
        reverse("terugkoppeling:afmelden", kwargs={"token": unsubscribe_token(row.context["aanmelding"])})
    )
    context = {
        "publicatie": publicatie,
        "summary": figures,
        "results_url": absolute(reverse("resultaten:index")),
        "pdf_url": absolute(reverse("resultaten:rapport_versie_pdf", kwargs={"version": publicatie.version})),
        "regions": [
            {
                "name": translated(regios[slug], "name"),
                "url": absolute(reverse("resultaten:regio", kwargs={"slug": slug})),
            }
            for slug in row.context.get("regions", [])
            if slug in published_regions and slug in regios
        ],
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
        "contact_email": settings.CONTACT_EMAIL,
    }
    headers = {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return context, headers


def summary(publicatie: Publicatie) -> dict:
    """The few figures the email opens with, from the published version itself."""
    knelpunten = publicatie.data.get("knelpunten", [])
    statuses = Counter(k["status"] for k in knelpunten)
    return {
        "sessions": sum(1 for s in publicatie.data.get("sessions", []) if not s.get("cancelled")),
        "regions": len(publicatie.data.get("regions", [])),
        "knelpunten": len(knelpunten),
        "by_status": [
            {"label": label, "count": statuses[value]} for value, label in Knelpunt.Opvolging.choices if statuses[value]
        ],
    }


def render_results(mailing, row) -> tuple[dict, dict]:
    """The results email of one published version."""
    return _common(mailing, row)


def render_digest(mailing, row) -> tuple[dict, dict]:
    """The follow-up digest: the knelpunten of the recipient's regions whose follow-up changed, and the
    version published since the recipient's last email, if any (`publicatie` is the latest)."""
    context, headers = _common(mailing, row)
    since: datetime = parse_datetime(row.context["since"])
    until: datetime = parse_datetime(mailing.data["until"])
    changes = (
        KnelpuntStatusWijziging.objects.filter(
            knelpunt_id__in=row.context["knelpunten"], changed_at__gt=since, changed_at__lte=until
        )
        .select_related("knelpunt")
        .order_by("knelpunt__title", "changed_at", "id")
    )
    context["changes"] = [
        {
            "knelpunt": change.knelpunt.title,
            "url": absolute(reverse("resultaten:knelpunt", kwargs={"pk": change.knelpunt_id})),
            "status": change.get_new_status_display(),
            "old_status": change.get_old_status_display(),
            "explanation": change.explanation,
            "changed_at": change.changed_at,
        }
        for change in changes
    ]
    context["since"] = since
    context["new_version"] = bool(row.context.get("new_version"))
    return context, headers
