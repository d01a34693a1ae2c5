"""What other apps may listen to, and what this app listens to.

`results_published` is sent once per NEW version, after the transaction that created it committed
(never for a repeated publication of unchanged data). Receivers get `publicatie`. The mailing side
connects to it in its own AppConfig.ready(), so this app never imports the mailing code.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import Signal

results_published = Signal()


def _status_changed(sender, **kwargs) -> None:
    from core.pagecache import content_changed

    content_changed(using=kwargs.get("using") or "default")


def connect_page_cache() -> None:
    """A knelpunt's follow-up shows on the public pages at once, published or not yet re-published:
    every recorded status change makes the stored pages stale (after commit)."""
    from belemmeringen.models import KnelpuntStatusWijziging

    post_save.connect(_status_changed, sender=KnelpuntStatusWijziging, dispatch_uid="resultaten-status-pagecache")
