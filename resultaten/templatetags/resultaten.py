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
