"""Background tasks of the prioritisation round (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def invite_participants(round_id: int) -> int:
    """Enrol every eligible address and mail its invitation, in batches (see services)."""
    from prioritering import services
    from prioritering.models import Ronde

    ronde = Ronde.objects.filter(pk=round_id, status=Ronde.Status.OPEN).first()
    if ronde is None:
        return 0
    services.enrol_participants(ronde=ronde)
    return services.send_invitations(ronde=ronde)
