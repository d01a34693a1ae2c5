"""The admin start page: what a facilitator does next for each of their sessions, and where programme
staff find the reports."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.db.models import Count, Q
from django.urls import reverse

from belemmeringen.admin import concept_list_url
from belemmeringen.models import Belemmering, LichtmastAntwoord
from core.permissions import is_programmateam
from regiosessies.permissions import sessions_for

register = template.Library()


@dataclass(frozen=True)
class SessionTodo:
    title: str
    findings_url: str
    obstacles: int
    concept: int
    concept_url: str
    lamp_post_url: str
    lamp_post_answered: bool
    report_url: str
    message_url: str
    sent_messages_url: str


def _todo(session) -> SessionTodo:
    answer_id = LichtmastAntwoord.objects.filter(session=session).values_list("pk", flat=True).first()
    if answer_id:
        lamp_post_url = reverse("admin:belemmeringen_lichtmastantwoord_change", args=[answer_id])
    else:
        lamp_post_url = reverse("admin:belemmeringen_lichtmastantwoord_add") + f"?session={session.pk}"
    return SessionTodo(
        title=session.title,
        findings_url=reverse("admin:belemmeringen_sessiebevindingen_change", args=[session.pk]),
        obstacles=session.obstacles,
        concept=session.concept,
        concept_url=concept_list_url(session_id=session.pk),
        lamp_post_url=lamp_post_url,
        lamp_post_answered=bool(answer_id),
        report_url=reverse("rapportage:session_pdf", kwargs={"slug": session.slug}),
        message_url=reverse("admin:regiosessies_regiosessie_bericht", args=[session.pk]),
        sent_messages_url=reverse("admin:regiosessies_regiosessie_berichten", args=[session.pk]),
    )


@register.inclusion_tag("admin/_beheer_start.html", takes_context=True)
def beheer_start(context):
    """Programme staff get the report links; a facilitator gets the steps for each of their sessions."""
    user = context["request"].user
    if is_programmateam(user):
        return {"programmateam": True}
    sessions = (
        sessions_for(user)
        .order_by("start")
        .annotate(
            obstacles=Count("belemmeringen"),
            concept=Count("belemmeringen", filter=Q(belemmeringen__status=Belemmering.Status.CONCEPT)),
        )
    )
    return {"programmateam": False, "sessions": [_todo(s) for s in sessions]}
