"""`{% published_results as pub %}`: the latest publication (version and date only), or None before the
first one. The site's header and home page link to the results once they are public."""

from __future__ import annotations

import logging

from django import template
from django.db import DatabaseError

from resultaten.models import Publicatie

register = template.Library()
logger = logging.getLogger(__name__)


@register.simple_tag
def published_results():
    try:
        return Publicatie.objects.only("version", "published_at").order_by("-version").first()
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
