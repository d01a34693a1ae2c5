"""A full-page cache for the public pages, for anonymous visitors only.

Rendering a public page costs 10-50 ms of template work, a bare Django view about 1 ms: only a stored
rendering closes that gap. `public_page` wraps a view; an anonymous GET or HEAD without a query string
is answered from the shared cache when the stored page is still valid, otherwise the view renders and
its response is stored if it is the same for every visitor.

Validity has two parts, both checked with one cache round trip (`get_many` of the content version and
the page):

- Content: every write to data the pages show (sessions, regions, registrations, themes) replaces
  the global content version after commit; each domain app names those models with `watch` in its
  `AppConfig.ready()`. A page is valid only with the version it was rendered at. The version is read
  *before* the view queries the database, so a write that commits during rendering leaves the page
  stored under the old version, never a stale page marked fresh.
- Time: a session's availability changes by time alone (registration opens or closes, the session
  starts). A page is valid until the earliest such moment of any session it shows, and at most
  PUBLIC_PAGE_CACHE_SECONDS (0 switches the cache off). Times come from `timezone.now()`.

Each process also keeps the pages it served and the version it last read, for LOCAL_SECONDS (1 s): a
hit within that second costs no round trip at all. A write shows at once in the process that made it
(`bump_version` forgets the local copy) and in every other process within LOCAL_SECONDS.

A stale page is rendered again by one request at a time: under load, the others keep getting the
stale copy for the moment that takes (a render lock in the cache, RENDER_LOCK_SECONDS at most),
instead of every request rendering at once. A request that finds no copy at all renders.

A cache that is down never breaks a page: the error is logged and the page rendered as usual.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

VERSION_KEY = "publicpage:version"
#: A page stays in the cache this long after it went stale, so that it can be served while one request
#: renders its successor (see `public_page`).
STALE_SECONDS = 300
#: How long other requests keep serving the stale page while one renders it (if that request fails,
#: another one tries after this).
RENDER_LOCK_SECONDS = 10
#: Each process remembers the content version, and the pages it served, this long before it asks the
#: shared cache again: a hit then costs no round trip at all. A write made by this process shows at
#: once; a write made by another process (another gunicorn worker or instance) after at most this long.
LOCAL_SECONDS = 1.0
#: At most this many pages per process (both languages); past it the process starts afresh.
LOCAL_MAX_PAGES = 200
#: The protocol for time-dependent objects in a page's context: `obj.availability_changes_at(now)`
#: returns the next moment after `now` at which the object shows differently, or None.
CHANGES_AT = "availability_changes_at"


def _page_key(language: str, path: str) -> str:
    # Hashed: a path may be long or contain characters some cache backends refuse in keys.
    digest = hashlib.sha256(path.encode("utf-8", "surrogatepass")).hexdigest()
    return f"publicpage:page:{language}:{digest}"


class _Local:
    """This process's copy: the content version as last read from the shared cache, when it was read,
    and the pages seen since. Plain attribute and dict operations: safe under the GIL for the
    threads of one gunicorn worker."""

    version = None
    checked_at = float("-inf")
    pages: dict = {}

    @classmethod
    def reset(cls) -> None:
        cls.version, cls.checked_at, cls.pages = None, float("-inf"), {}

    @classmethod
    def saw(cls, version) -> None:
        """The shared cache said `version` just now. Only a read from the shared cache sets it: a page
        this process renders is kept under the version it was rendered at, which may be old by then."""
        cls.version, cls.checked_at = version, time.monotonic()

    @classmethod
    def keep(cls, page_key: str, entry) -> None:
        if len(cls.pages) >= LOCAL_MAX_PAGES:
            cls.pages = {}
        cls.pages[page_key] = entry

    @classmethod
    def fresh_entry(cls, page_key: str, now):
        """The page as this process has it, if the version was read less than LOCAL_SECONDS ago."""
        if time.monotonic() - cls.checked_at >= LOCAL_SECONDS:
            return None
        entry = cls.pages.get(page_key)
        if entry is not None and entry["version"] == cls.version and now < entry["valid_until"]:
            return entry
        return None


def _reset_local(*, setting, **kwargs) -> None:
    # Tests switch caches and the cache duration; a page remembered under the old ones must not show.
    if setting in ("CACHES", "PUBLIC_PAGE_CACHE_SECONDS"):
        _Local.reset()


setting_changed.connect(_reset_local, dispatch_uid="publicpage-reset-local")


def _cache_seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0)


def _cacheable_request(request) -> bool:
    """Anonymous, no personal state, and a page address without a query string.

    "No session cookie" is what makes the visitor anonymous here: logging in needs a session, and
    without one nothing a view reads from the session can differ per visitor. `request.user` is not
    evaluated on purpose: that would touch the session and add `Vary: Cookie`, which the rendered page
    does not have. A messages cookie means a message is waiting to be shown on this page.
    """
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _storable_response(request, response) -> bool:
    """Only a response that every anonymous visitor would get in exactly this form."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # A page that asked for the CSRF token contains it (and will set the cookie): it is per visitor.
    # (`CSRF_COOKIE` alone is in META whenever the visitor sent a csrftoken cookie, used or not.)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    vary = {value.strip().lower() for value in response.get("Vary", "").split(",")}
    if "cookie" in vary or "*" in vary:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return "private" not in cache_control and "no-store" not in cache_control and "no-cache" not in cache_control


def _valid_until(context, now):
    """The earliest moment anything shown changes by time alone, capped by PUBLIC_PAGE_CACHE_SECONDS.

    Querysets in the context are evaluated here; the template then iterates the same, already filled
    queryset, so this costs no query.
    """
    until = now + timedelta(seconds=_cache_seconds())
    for value in (context or {}).values():
        if isinstance(value, QuerySet):
            if not hasattr(value.model, CHANGES_AT):
                continue
            objects = value
        elif isinstance(value, (list, tuple)):
            objects = value
        else:
            objects = (value,)
        for obj in objects:
            changes_at = getattr(obj, CHANGES_AT, None)
            moment = changes_at(now) if callable(changes_at) else None
            if moment is not None and moment < until:
                until = moment
    return until


def _read(page_key: str):
    """(version, entry) in one round trip; (None, None) when the cache cannot be read."""
    try:
        found = cache.get_many([VERSION_KEY, page_key])
    except Exception:
        logger.exception("Page cache unavailable; rendering %s without it.", page_key)
        return None, None
    return found.get(VERSION_KEY), found.get(page_key)


def _serve(entry) -> HttpResponse:
    # A HEAD gets the full response too and the server drops the body, exactly as for a rendered page
    # (the handler, runserver and the test client all do that), so the headers stay the same.
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _store(page_key: str, version, request, response, valid_until, now) -> None:
    if version is None:
        # No version yet (first request after a cache flush): start one. Store nothing this time
        # unless ours is the version now in the cache, so a concurrent bump is never overwritten.
        version = secrets.token_hex(8)
        try:
            if not cache.add(VERSION_KEY, version, timeout=None):
                return
            _Local.saw(version)
        except Exception:
            logger.exception("Page cache unavailable; %s not stored.", request.path)
            return
    seconds = math.ceil((valid_until - now).total_seconds())
    if seconds <= 0:
        return
    seconds += STALE_SECONDS  # kept, past its validity, for `_render_lock` to fall back on
    entry = {
        "version": version,
        "valid_until": valid_until,
        "content": response.content,
        "headers": list(response.items()),
    }
    try:
        cache.set(page_key, entry, timeout=seconds)
    except Exception:
        logger.exception("Page cache unavailable; %s not stored.", request.path)
        return
    _Local.keep(page_key, entry)


def public_page(view):
    """Serve the view's page to anonymous visitors from the shared cache (see the module docstring).

    For views whose page depends only on the language, the path and the public content: never on the
    visitor, a form, or a query string.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _cache_seconds() <= 0 or not _cacheable_request(request):
            return view(request, *args, **kwargs)

        page_key = _page_key(translation.get_language() or settings.LANGUAGE_CODE, request.path)
        now = timezone.now()
        entry = _Local.fresh_entry(page_key, now)
        if entry is not None:
            return _serve(entry)
        version, entry = _read(page_key)
        if version is not None:
            _Local.saw(version)
        locked = False
        if entry is not None and version is not None:
            if entry["version"] == version and now < entry["valid_until"]:
                _Local.keep(page_key, entry)
                return _serve(entry)
            # Stale (content changed, or its time ran out). In a rush every request finds that at the
            # same moment; rendering it in all of them at once stalls the server for seconds. One
            # renders, the others serve the stale copy meanwhile (for the length of one rendering).
            locked = _render_lock(page_key)
            if not locked:
                return _serve(entry)
        try:
            return _render_and_store(view, request, args, kwargs, page_key, version, now)
        finally:
            if locked:
                _release(page_key)

    return wrapper


def _render_and_store(view, request, args, kwargs, page_key, version, now):
    """Render the page and store it if every anonymous visitor would get it in exactly this form."""
    response = view(request, *args, **kwargs)
    if response.status_code != 200:
        return response
    valid_until = _valid_until(getattr(response, "context_data", None), now)
    # Rendered here rather than by the handler, to store the result; no installed middleware has a
    # process_template_response that could still change it.
    if hasattr(response, "render") and callable(response.render):
        response.render()
    if _storable_response(request, response):
        _store(page_key, version, request, response, valid_until, now)
    return response


def _lock_key(page_key: str) -> str:
    return f"{page_key}:rendering"


def _render_lock(page_key: str) -> bool:
    """True if this request may render the stale page again: nobody else is doing so right now."""
    try:
        return cache.add(_lock_key(page_key), 1, timeout=RENDER_LOCK_SECONDS)
    except Exception:
        logger.exception("Page cache unavailable; rendering %s without it.", page_key)
        return True


def _release(page_key: str) -> None:
    try:
        cache.delete(_lock_key(page_key))
    except Exception:
        logger.exception("Page cache unavailable; the render lock of %s expires by itself.", page_key)


# --- Invalidation -------------------------------------------------------------------------------


def bump_version() -> None:
    """Make every stored page stale. Any new value will do; a cache error is logged, never raised,
    because this runs after a registration (or an admin change) has committed."""
    _Local.reset()  # this process sees its own write at once; the others within LOCAL_SECONDS
    try:
        cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        logger.exception("Page cache unavailable; could not mark the public pages stale.")


def content_changed(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Mark the public pages stale once the current transaction commits (at once outside one).

    Call this after writes that send no signals (`QuerySet.update()`, `bulk_create`, raw SQL) to
    data the public pages show. After commit, not before: a page rendered between the write and the
    commit still reads the old rows, and must not be stored under a version that counts as new.
    """
    transaction.on_commit(bump_version, using=using)


# Which models make the pages stale, and which of their writes do not: filled by the domain apps
# from their AppConfig.ready(), through `watch`.
_ignored_writes: dict[type, Callable[..., bool] | None] = {}


def watch(model, *, ignore: Callable[..., bool] | None = None) -> None:
    """Every save or delete of `model` makes the public pages stale, after commit. Call it from the
    domain app's `AppConfig.ready()` for each model whose rows the cached pages show.

    `ignore(instance, *, created)` may say that a save changes nothing the pages show (it is not asked
    about deletes). Many-to-many links are not watched; watch them only if a page shows them.
    """
    _ignored_writes[model] = ignore
    uid = f"publicpage-{model._meta.label_lower}"
    post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}-delete")


def _on_write(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    ignore = _ignored_writes.get(sender)
    if ignore is not None and "created" in kwargs and ignore(kwargs.get("instance"), created=kwargs["created"]):
        return
    content_changed(using=using)
