"""Open or close the prioritisation round, or (re)send its invitations and reminders."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from prioritering import selectors, services


class Command(BaseCommand):
    help = (
        "Prioritisation round. `open --days N [--points 10] [--max-per-need 5] [--attended-only]` opens a "
        "round over every need on the shopping list (needs linked to an established obstacle) and queues "
        "the invitations (sent in batches by the task worker). `close` closes the open round and freezes "
        "its results. `invite` enrols and invites eligible addresses not yet invited, once the round has "
        "started (idempotent; run it hourly). `remind` mails, in the last two days of the round, everyone "
        "invited who has not taken part, once (idempotent; run it hourly). Touches only prioritering rows "
        "and the email outbox."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        opening = sub.add_parser("open", help="Open a round over the shopping list's needs.")
        opening.add_argument("--days", type=int, required=True, help="How many days the round runs.")
        opening.add_argument("--points", type=int, default=10, help="Points per person (default 10).")
        opening.add_argument("--max-per-need", type=int, default=5, help="Most points on one need (default 5).")
        opening.add_argument(
            "--attended-only", action="store_true", help="Only registrants marked present at their session."
        )
        sub.add_parser("close", help="Close the open round and freeze its results.")
        sub.add_parser("invite", help="Invite eligible addresses that have no invitation yet.")
        sub.add_parser("remind", help="Remind, once, who has not taken part (last two days only).")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except services.RoundError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def _open(self, *, days: int, points: int, max_per_need: int, attended_only: bool, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        needs = list(selectors.shopping_list_needs())
        ronde = services.open_round(
            ends_at=timezone.now() + timedelta(days=days),
            behoeften=needs,
            points_per_person=points,
            max_per_need=max_per_need,
            attended_only=attended_only,
        )
        self.stdout.write(
            f"Opened round {ronde.pk} until {timezone.localtime(ronde.ends_at):%Y-%m-%d %H:%M}: {len(needs)} needs, "
            f"{points} points per person, at most {max_per_need} per need, "
            f"{'attended registrants only' if attended_only else 'all registrants'}. Invitations are queued."
        )

    def _close(self, **options):
        ronde = services.close_round()
        results = ronde.results
        self.stdout.write(
            f"Closed round {ronde.pk}: {results['ballots']} ballots from {results['eligible']} eligible addresses, "
            f"{results['points_cast']} points; results frozen."
        )

    def _invite(self, **options):
        ronde = selectors.current_round()
        if ronde is None:
            raise CommandError("No round is open.")
        enrolled = services.enrol_participants(ronde=ronde)
        invited = services.send_invitations(ronde=ronde)
        self.stdout.write(f"Round {ronde.pk}: {enrolled} new addresses enrolled, {invited} invitations queued.")

    def _remind(self, **options):
        ronde = selectors.current_round()
        if ronde is None:
            self.stdout.write("No round is open; no reminders.")
            return
        reminded = services.send_reminders(ronde=ronde)
        self.stdout.write(f"Round {ronde.pk}: {reminded} reminders queued.")
