"""The header's language switch as a plain link to the same page in the other language.

A link, not a POST form to `set_language`: a form needs a CSRF token, which would make every page
differ per visitor and so impossible to serve from the page cache. Dutch lives at the unprefixed
addresses and English under /en/ (i18n_patterns), so the address itself carries the language.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

register = template.Library()

#: Each language's name in that language itself, as a visitor who does not read the page looks for it.
NAMES = {"nl": "Nederlands", "en": "English"}


@register.simple_tag(takes_context=True)
def other_language(context):
    """{"code", "name", "url"} for the language this page is not in.

    `url` is the same page at the other language's address, with the query string. A page that is not
    found gets the other language's home page (a dead end in two languages helps nobody). `url` is
    None for pages outside the language-prefixed addresses (the two-step login pages under /admin/):
    their language comes from the language cookie, so the template falls back to `set_language`.
    """
    request = context.get("request")
    current = translation.get_language() or settings.LANGUAGE_CODE
    code = next((lang for lang, _name in settings.LANGUAGES if lang != current), settings.LANGUAGE_CODE)
    switch = {"code": code, "name": NAMES.get(code, code), "url": None}
    if request is None:
        return switch
    try:
        match = resolve(request.path_info)
    except Resolver404:
        with translation.override(code):
            switch["url"] = reverse("home")
        return switch
    try:
        with translation.override(code):
            url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return switch
    if url == request.path:
        return switch  # not a language-prefixed address
    query = request.META.get("QUERY_STRING", "")
    switch["url"] = f"{url}?{query}" if query else url
    return switch
