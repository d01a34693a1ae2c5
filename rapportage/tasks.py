"""Background rendering of big reports (django-tasks: immediate in development and tests, the database
backend with `manage.py db_worker` in production)."""

from __future__ import annotations

from django_tasks import task

from rapportage.models import RapportRender


@task()
def render_report(render_id: str) -> str:
    """Render a queued report; returns the final status. A render that vanished is skipped."""
    from rapportage.services import run_render

    render = RapportRender.objects.select_related("session").filter(pk=render_id).first()
    if render is None:
        return "missing"
    return run_render(render=render).status
