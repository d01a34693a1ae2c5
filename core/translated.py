"""Staff-entered text in two languages: a Dutch field and an optional English one beside it (`title` and
`title_en`). One rule, used by templates (the `translated` filter), emails and calendar files alike:
on the English site the English text when staff entered one, otherwise the Dutch.
"""

from __future__ import annotations

from django.utils import translation

#: The language every Dutch field is written in, and the one that is shown when no English text exists.
SOURCE_LANGUAGE = "nl"


def _wants_english() -> bool:
    return (translation.get_language() or SOURCE_LANGUAGE).split("-")[0] == "en"


def translated(obj, field: str) -> str:
    """`obj.<field>_en` on the English site when it is filled in, else `obj.<field>` (Dutch)."""
    if _wants_english():
        english = (getattr(obj, f"{field}_en", "") or "").strip()
        if english:
            return english
    return getattr(obj, field, "") or ""


def shown_language(obj, field: str) -> str:
    """The language `translated(obj, field)` returns: "en" or "nl" (for a lang attribute, WCAG 3.1.2)."""
    if _wants_english() and (getattr(obj, f"{field}_en", "") or "").strip():
        return "en"
    return SOURCE_LANGUAGE
