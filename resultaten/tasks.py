"""Publishing in the task worker: rendering the report PDF of a big consultation can take minutes,
longer than an admin request may wait (django-tasks: immediate in development and tests, the database
backend with `manage.py db_worker` in production)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def publish_results(user_id: int | None = None) -> dict:
    """Publish; returns {"version": n, "created": bool} for the admin's message."""
    from resultaten.services import publish

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    publicatie, created = publish(user=user)
    return {"version": publicatie.version, "created": created}
