"""`{{ sessie|translated:"title" }}` and `{% lang_attr sessie "title" %}` (core/translated.py).

`lang_attr` writes ` lang="nl"` only where Dutch text stands on an English page, so screen readers
pronounce it as Dutch (WCAG 3.1.2); elsewhere it writes nothing.
"""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.html import format_html

from core import translated as translated_module

register = template.Library()


@register.filter
def translated(obj, field: str) -> str:
    return translated_module.translated(obj, field)


@register.simple_tag
def lang_attr(obj, field: str) -> str:
    language = translated_module.shown_language(obj, field)
    current = (translation.get_language() or "nl").split("-")[0]
    return format_html(' lang="{}"', language) if language != current else ""
