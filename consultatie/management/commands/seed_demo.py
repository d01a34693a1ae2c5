"""Load demo data: the six regions with a session each, demo users, and whatever the apps add.

Idempotent: running it again changes nothing that is already there. Refuses in production mode,
because it creates accounts with known passwords.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from belemmeringen.demo import seed_findings
from belemmeringen.models import Knelpunt
from core.permissions import sync_role_groups
from prioritering.demo import seed_priority_round
from rapportage.demo import seed_report_texts
from regiosessies.demo import seed_regions_and_sessions, seed_registrations
from resultaten.demo import seed_publication

# (username, password, first name, group, facilitated session slugs, superuser)
DEMO_USERS = [
    ("beheer", "demo-beheer-2026", "Beheerder", None, [], True),
    ("programma", "demo-programma-2026", "Programmateam", "Programmateam", [], False),
    (
        "facilitator-noord",
        "demo-noord-2026",
        "Facilitator Noord",
        "Facilitator",
        ["regiosessie-noord-nederland"],
        False,
    ),
    ("facilitator-zuid", "demo-zuid-2026", "Facilitator Zuid", "Facilitator", ["regiosessie-zuid-nederland"], False),
]


class Command(BaseCommand):
    help = (
        "Loads demo data (idempotent): six regions with one regional session each, demo users "
        "(beheer, programma, facilitator-noord, facilitator-zuid) and the apps' demo content. "
        "Refuses to run with DEBUG=0 unless --allow-production is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG=0 (creates accounts with known passwords).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("seed_demo creates accounts with known passwords; it refuses to run with DEBUG=0.")

        sessions = seed_regions_and_sessions()
        by_slug = {s.slug: s for s in sessions}
        users = self._seed_users(by_slug)
        seed_registrations()
        findings = seed_findings(sessions)
        self.stdout.write(
            f"Demo findings: {findings} new obstacles; {Knelpunt.objects.count()} knelpunten, "
            f"{Knelpunt.objects.filter(belemmeringen__isnull=True).count()} of them without entries."
        )
        ballots = seed_priority_round()
        self.stdout.write(f"Demo prioritisation round: {ballots} new ballots.")
        # After the findings and knelpunten: the programme items link to the knelpunten that exist.
        chapters = seed_report_texts()
        self.stdout.write(f"Demo report: {chapters} chapters written.")
        # Last: a publication freezes everything above (report, figures, open data) as version 1.
        publicatie, created = seed_publication()
        self.stdout.write(
            f"Demo results: version {publicatie.version} {'published' if created else 'was already published'}."
        )

        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(sessions)} regiosessies, {users} demo users."))
        self.stdout.write(f"Demo logins ({settings.SITE_URL}/admin/):")
        for username, password, _name, group, slugs, superuser in DEMO_USERS:
            role = "superuser" if superuser else group
            extra = f" ({', '.join(slugs)})" if slugs else ""
            self.stdout.write(f"  {username} / {password}  – {role}{extra}")

    def _seed_users(self, sessions_by_slug) -> int:
        User = get_user_model()
        groups = sync_role_groups()
        for username, password, first_name, group_name, slugs, superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "is_staff": True, "is_superuser": superuser},
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if group_name:
                user.groups.add(groups[group_name])
            for slug in slugs:
                sessions_by_slug[slug].facilitators.add(user)
        return len(DEMO_USERS)
