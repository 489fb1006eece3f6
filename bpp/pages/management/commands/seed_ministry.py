"""
A ministry-sized dataset for the benchmarks: 100,000 agents, 20,000 requests, 2,000
cohorts by default, written in bulk (a few minutes on PostgreSQL), then VACUUM ANALYZEd so that
the planner has the statistics a production database has.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bpp_bench \\
        .venv/bin/python manage.py seed_ministry

Everything hangs off one employer, "Ministère de l’Échelle", which the command
replaces if it exists. The accounts the benchmark signs in with are printed.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from bpp.people.models import AgentProfile, Organisation, Role, RoleAssignment, Service, User
from bpp.requests import deadlines
from bpp.requests.models import (
    Initiative,
    Mode,
    Origin,
    RequestTransition,
    ReviewRequest,
    Status,
)
from cohorts.models import Cohort, CohortPhase, Enrolment, Evaluation, Formula, Session
from synthesis.models import Synthesis

NAME = "Ministère de l’Échelle"
DOMAIN = "echelle.bench.gouv.fr"
BATCH = 5_000


AGENT_ORIGINS = [value for value, _ in Origin.agent_choices()]


class Command(BaseCommand):
    help = "Crée un jeu de données de la taille d’un ministère (pour les mesures de performance)."

    def add_arguments(self, parser):
        parser.add_argument("--agents", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=20_000)
        parser.add_argument("--cohorts", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        with transaction.atomic():
            self._seed(**options)
        # A production database has planner statistics and visibility maps (autovacuum):
        # without statistics every measure is 2–4× too slow, and without the visibility
        # map a count reads the table instead of its index alone.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # VACUUM cannot run in a transaction (a test's): statistics alone there.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write("Statistiques du planificateur à jour (VACUUM ANALYZE).")

    def _seed(self, *, agents: int, requests: int, cohorts: int, seed: int, **options):
        rng = random.Random(seed)
        today = deadlines.legal_today()
        now = timezone.now()
        self._clear()
        organisation = Organisation.objects.create(
            name=NAME, kind=Organisation.Kind.MINISTRY, versant="etat"
        )
        services = Service.objects.bulk_create(
            [Service(organisation=organisation, name=f"Service {i + 1}") for i in range(200)]
        )
        password = make_password(settings.DEMO_PASSWORD)

        def users(prefix: str, count: int) -> list[User]:
            return User.objects.bulk_create(
                [
                    User(
                        email=f"{prefix}{i}@{DOMAIN}",
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        password=password,
                    )
                    for i in range(count)
                ],
                batch_size=BATCH,
            )

        managers = users("manager", max(1, agents // 20))
        # A ministry of 100,000 agents has some 60 counsellors; an employer of 1,000, one.
        # Each then leads a few dozen cohorts over the three years, whatever the size.
        staff = {
            role: users(role, max(1, count * agents // 100_000) if role == Role.CMC else count)
            for role, count in STAFF.items()
        }
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=u, role=Role.MANAGER, organisation=organisation) for u in managers]
            + [
                RoleAssignment(user=u, role=role, organisation=organisation)
                for role, people in staff.items()
                for u in people
            ],
            batch_size=BATCH,
        )
        self.stdout.write(f"{len(managers)} managers, {sum(map(len, staff.values()))} RH/CMC")

        profiles = AgentProfile.objects.bulk_create(
            [
                AgentProfile(
                    user=user,
                    organisation=organisation,
                    service=services[i % len(services)],
                    status=rng.choice(["titulaire", "contractuel"]),
                    category=rng.choice("AABBCCC"),
                    function_title=rng.choice(FUNCTIONS),
                    post_start_date=today - datetime.timedelta(days=rng.randint(30, 9000)),
                    manager=managers[i // 20 % len(managers)],
                    holds_level4_diploma=rng.random() < 0.6,
                    covered_by_l5212_13=rng.random() < 0.06,
                    exposed_to_professional_wear=rng.random() < 0.05,
                )
                for i, user in enumerate(users("agent", agents))
            ],
            batch_size=BATCH,
        )
        self.stdout.write(f"{len(profiles)} agents")

        cohort_rows = self._cohorts(organisation, cohorts, staff[Role.CMC], today, now, rng)
        self._requests(
            organisation, profiles[:requests], cohort_rows, staff[Role.HR][0], today, now, rng
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Comptes (mot de passe {settings.DEMO_PASSWORD}) : manager0@{DOMAIN}, "
                f"hr0@{DOMAIN}, cmc0@{DOMAIN}, hr_admin0@{DOMAIN}, agent0@{DOMAIN}"
            )
        )

    def _clear(self) -> None:
        organisation = Organisation.objects.filter(name=NAME).first()
        if organisation is None:
            return
        Evaluation.objects.filter(enrolment__cohort__organisation=organisation).delete()
        Enrolment.objects.filter(cohort__organisation=organisation).delete()
        Cohort.objects.filter(organisation=organisation).delete()
        ReviewRequest.objects.filter(organisation=organisation).delete()
        AgentProfile.objects.filter(organisation=organisation).delete()
        User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
        Service.objects.filter(organisation=organisation).delete()
        organisation.delete()

    def _cohorts(self, organisation, count, cmcs, today, now, rng) -> list[Cohort]:
        """Cohorts spread over three years around today, a tenth individual."""
        rows = []
        for i in range(count):
            start = today + datetime.timedelta(days=rng.randint(-900, 200))
            individual = i % 10 == 9
            concluded = start + datetime.timedelta(weeks=12) < today
            started = start <= today
            rows.append(
                Cohort(
                    organisation=organisation,
                    title=f"Promotion {i + 1}",
                    formula=Formula.INDIVIDUAL if individual else Formula.COLLECTIVE,
                    individual_reason="Contrainte d’horaires" if individual else "",
                    mode=rng.choice([Mode.ON_SITE, Mode.REMOTE, Mode.HYBRID]),
                    place="Site central",
                    capacity=1 if individual else 12,
                    published=True,
                    current_phase=(4 if concluded else rng.randint(1, 4)) if started else None,
                    started_at=now - datetime.timedelta(days=(today - start).days)
                    if started
                    else None,
                    concluded_at=now - datetime.timedelta(days=(today - start).days - 84)
                    if concluded
                    else None,
                )
            )
            rows[-1].starts_on = start
        Cohort.objects.bulk_create(rows, batch_size=BATCH)
        CohortPhase.objects.bulk_create(
            [
                CohortPhase(
                    cohort=cohort,
                    number=n,
                    starts_on=cohort.starts_on + datetime.timedelta(weeks=3 * (n - 1)),
                    ends_on=cohort.starts_on + datetime.timedelta(weeks=3 * n - 1),
                )
                for cohort in rows
                for n in range(1, 5)
            ],
            batch_size=BATCH,
        )
        Cohort.leaders.through.objects.bulk_create(
            [
                Cohort.leaders.through(cohort_id=c.pk, user_id=cmcs[i % len(cmcs)].pk)
                for i, c in enumerate(rows)
            ],
            batch_size=BATCH,
        )
        Session.objects.bulk_create(
            [
                Session(
                    cohort=c,
                    phase=n,
                    kind="collective",
                    title=f"Séance de la phase {n}",
                    starts_at=now
                    + datetime.timedelta(days=(c.starts_on - today).days + 21 * (n - 1)),
                    place="Site central",
                )
                for c in rows
                for n in range(1, 5)
            ],
            batch_size=BATCH,
        )
        self.stdout.write(f"{len(rows)} promotions")
        return rows

    def _requests(self, organisation, profiles, cohorts, hr, today, now, rng) -> None:
        """Requests received over two years, in every state; approved ones mostly placed."""
        requests = []
        for profile in profiles:
            received = today - datetime.timedelta(days=rng.randint(0, 730))
            deadline = deadlines.decision_deadline(received)
            status = rng.choices(
                [
                    Status.APPROVED,
                    Status.REFUSED,
                    Status.PENDING,
                    Status.POSTPONED,
                    Status.WITHDRAWN,
                ],
                weights=[60, 10, 20, 3, 7],
            )[0]
            decided = status in (Status.APPROVED, Status.REFUSED, Status.POSTPONED)
            decided_on = received + datetime.timedelta(
                days=rng.randint(1, max(1, (min(deadline, today) - received).days))
            )
            requests.append(
                ReviewRequest(
                    agent=profile,
                    organisation=organisation,
                    initiative=Initiative.AGENT,
                    origin=AGENT_ORIGINS[len(requests) % len(AGENT_ORIGINS)],
                    status=status,
                    created_at=now - datetime.timedelta(days=(today - received).days),
                    received_on=received,
                    decision_deadline=deadline,
                    decided_by=hr if decided else None,
                    decided_at=now - datetime.timedelta(days=(today - decided_on).days)
                    if decided
                    else None,
                    refusal_reason="Nécessités du service" if status == Status.REFUSED else "",
                    postponement_reason="Continuité du service"
                    if status == Status.POSTPONED
                    else "",
                    postponement_start=today if status == Status.POSTPONED else None,
                    postponement_end=today + datetime.timedelta(days=90)
                    if status == Status.POSTPONED
                    else None,
                )
            )
        ReviewRequest.objects.bulk_create(requests, batch_size=BATCH)
        ReviewRequest.objects.filter(organisation=organisation).refresh_priority()
        RequestTransition.objects.bulk_create(
            [
                RequestTransition(
                    request=r,
                    from_status=Status.PENDING,
                    to_status=r.status,
                    by=hr,
                    at=r.decided_at,
                )
                for r in requests
                if r.decided_at
            ],
            batch_size=BATCH,
        )
        # Place approved requests in cohorts that started after their receipt.
        by_start = sorted(cohorts, key=lambda c: c.starts_on)
        seats = {c.pk: 0 for c in cohorts}
        enrolments = []
        for r in requests:
            if r.status != Status.APPROVED or rng.random() < 0.15:
                continue
            for c in by_start:
                if c.starts_on > r.received_on and seats[c.pk] < c.capacity:
                    seats[c.pk] += 1
                    enrolments.append(
                        Enrolment(
                            cohort=c,
                            agent=r.agent,
                            request=r,
                            placed_at=r.decided_at,
                            placed_by=hr,
                            contract_signed_at=r.decided_at if c.current_phase else None,
                            contract_version="2026-1" if c.current_phase else "",
                        )
                    )
                    break
        Enrolment.objects.bulk_create(enrolments, batch_size=BATCH)
        ReviewRequest.objects.filter(pk__in=[e.request_id for e in enrolments]).update(seated=True)
        Synthesis.objects.open_for(enrolments)  # as placing an agent does
        for c in cohorts:
            c.seats_taken = seats[c.pk]
        Cohort.objects.bulk_update(cohorts, ["seats_taken"], batch_size=BATCH)
        Evaluation.objects.bulk_create(
            [
                Evaluation(
                    enrolment=e,
                    kind="chaud",
                    sent_at=e.cohort.concluded_at,
                    answered_at=e.cohort.concluded_at,
                    overall_score=rng.choices(
                        range(11), weights=[1, 1, 1, 1, 2, 3, 5, 10, 20, 25, 20]
                    )[0],
                )
                for e in enrolments
                if e.cohort.concluded_at and rng.random() < 0.7
            ],
            batch_size=BATCH,
        )
        self.stdout.write(f"{len(requests)} demandes, {len(enrolments)} inscriptions")


# The staff of a ministry of 100,000 agents; the counsellors are in proportion.
STAFF = {Role.HR: 10, Role.CMC: 60, Role.HR_ADMIN: 2, Role.DISABILITY_OFFICER: 1}
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Noa", "Lou", "Eden", "Maël"]
LAST_NAMES = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois"]
FUNCTIONS = ["Gestionnaire RH", "Adjoint administratif", "Attaché", "Technicien", "Ingénieur"]
