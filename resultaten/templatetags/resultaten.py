"""`{% published_results as pub %}`: the latest publication (version and date only), or None before the
first one. The site's header and home page link to the results once they are public."""

from __future__ import annotations

import logging

from django import template
from django.db import DatabaseError

from resultaten.models import Publicatie

register = template.Library()
logger = logging.getLogger(__name__)


_UNREAD = object()


@register.simple_tag(takes_context=True)
def published_results(context):
    # The header and the home page both ask; one query per request answers both.
    request = context.get("request")
    found = getattr(request, "_published_results", _UNREAD)
    if found is _UNREAD:
        found = _latest_publication()
        if request is not None:
            request._published_results = found
    return found


def _latest_publication() -> Publicatie | None:
    try:
        # Only the two fields the link shows: the row also holds the frozen report and files.
        return Publicatie.objects.only("version", "published_at").latest_version()
    except DatabaseError:
        # A page about a database outage must still render; it simply shows no results link.
        logger.warning("Could not check for published results; no link shown.")
        return None


@register.filter
def text_blocks(value: str):
    """The team's plain text as paragraphs and lists, the same rule as in the report (a blank line starts
    a paragraph, lines starting with "- " make a list). Nothing is read as HTML."""
    from rapportage.data import text_blocks as blocks

    return blocks(value or "")
