"""Where an uploaded spreadsheet waits between the import's preview and its confirm step.

django-import-export keeps it by default in the process's temp folder under a name the browser sends
back (`import_file_name`), so anyone could confirm anyone's file (or any file in /tmp), and a confirm
that reaches another instance finds nothing (issue 17, findings 2, 3 and 5). Here it is kept in
Django's cache: Redis in production, the database cache table otherwise, both shared by every
instance, both private (nothing serves them over HTTP), both with an expiry. The name is random and
the entry records a keyed hash of the uploading user and their login session; reading or removing it
with another owner fails as if it did not exist. An abandoned upload expires after
settings.IMPORT_UPLOAD_TTL; each new upload also deletes the expired ones it knows of (the database
cache would otherwise keep their rows until it culls).
"""

from __future__ import annotations

import re
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _g
from import_export.tmp_storages import BaseStorage

KEY_PREFIX = "belemmeringen-upload:"
INDEX_KEY = "belemmeringen-upload-index"
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class UploadUnavailable(Exception):
    """The named upload is missing, expired or someone else's; the message is Dutch."""

    def __init__(self):
        super().__init__(
            _g(
                "Het bestand voor deze import is niet (meer) beschikbaar: het is verlopen, al ingelezen of "
                "door iemand anders geüpload. Er is niets ingelezen. Kies het bestand opnieuw."
            )
        )


def owner_for(request) -> str:
    """Who may confirm: this user in this login session (a keyed hash, so the cache holds no ids)."""
    session_key = request.session.session_key or ""
    return salted_hmac("belemmeringen.uploads.owner", f"{request.user.pk}:{session_key}").hexdigest()


class SharedUploadStorage(BaseStorage):
    """django-import-export's `tmp_storage_class` contract (save / read / remove), bound to an owner."""

    def __init__(self, *, owner: str = "", **kwargs):
        super().__init__(**kwargs)
        self.owner = owner

    @staticmethod
    def _key(name: str) -> str:
        return KEY_PREFIX + name

    def save(self, data: bytes) -> None:
        if not self.owner:
            raise ValueError("An upload needs an owner.")
        self.name = secrets.token_urlsafe(32)
        ttl = settings.IMPORT_UPLOAD_TTL
        cache.set(self._key(self.name), {"owner": self.owner, "data": bytes(data)}, ttl)
        sweep(new={self.name: time.time() + ttl})

    def _entry(self) -> dict:
        if not self.owner or not isinstance(self.name, str) or not NAME_RE.match(self.name):
            raise UploadUnavailable
        entry = cache.get(self._key(self.name))
        if not isinstance(entry, dict) or not constant_time_compare(entry.get("owner", ""), self.owner):
            raise UploadUnavailable
        return entry

    def read(self) -> bytes:
        return self._entry()["data"]

    def remove(self) -> None:
        self._entry()  # only the owner removes
        cache.delete(self._key(self.name))


def sweep(*, new: dict[str, float] | None = None, now: float | None = None) -> int:
    """Delete the uploads whose time is up; returns how many. The index is best effort (two uploads at
    the same moment may each miss the other's name); an entry it misses still expires in the cache."""
    now = now if now is not None else time.time()
    index: dict[str, float] = cache.get(INDEX_KEY) or {}
    expired = [name for name, until in index.items() if until <= now]
    if expired:
        cache.delete_many([KEY_PREFIX + name for name in expired])
    kept = {name: until for name, until in index.items() if until > now}
    kept.update(new or {})
    cache.set(INDEX_KEY, kept, settings.IMPORT_UPLOAD_TTL * 2)
    return len(expired)
