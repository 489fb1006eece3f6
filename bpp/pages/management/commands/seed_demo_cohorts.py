"""
The demo offer of the ministry: cohorts in every phase, two led by the provider (one
running, one just ended), one individual, one nearly full, one too small to start, and
agents waiting for a seat.
Run by `seed_demo` after the people and requests; rebuilt on every run.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from bpp.people.models import AgentProfile, Organisation, Provider, ProviderContract, Role, User
from bpp.requests import deadlines
from bpp.requests.models import LIVE, Mode, RequestTransition, ReviewRequest, Status
from cohorts.models import (
    Attendance,
    Cohort,
    CohortPhase,
    Enrolment,
    Evaluation,
    Formula,
    Phase,
    Session,
    SessionKind,
)

MINISTRY = "Ministère de la Transition écologique"
CONTRACT_VERSION = "2026-01"

# title, mode, place, formula, capacity, enrolled, phase (None: not started, 5: done),
# weeks from today to the launch, provider-led
COHORTS = [
    (
        "Promotion d’automne — La Défense",
        Mode.ON_SITE,
        "Tour Séquoia, salle 12",
        Formula.COLLECTIVE,
        12,
        9,
        Phase.ANALYSIS,
        -5,
        False,
    ),
    (
        "Promotion d’été — Lyon",
        Mode.HYBRID,
        "DREAL Auvergne-Rhône-Alpes, Lyon",
        Formula.COLLECTIVE,
        10,
        7,
        Phase.CONCLUSION,
        -14,
        False,
    ),
    (
        "Promotion de printemps — La Défense",
        Mode.ON_SITE,
        "Tour Séquoia, salle 12",
        Formula.COLLECTIVE,
        12,
        8,
        5,
        -30,
        False,
    ),
    (
        "Promotion de janvier — La Défense",
        Mode.ON_SITE,
        "Arche Sud, salle 3",
        Formula.COLLECTIVE,
        12,
        11,
        None,
        6,
        False,
    ),
    (
        "Promotion à distance de février",
        Mode.REMOTE,
        "",
        Formula.COLLECTIVE,
        12,
        3,
        None,
        10,
        False,
    ),
    (
        "Promotion Cap Parcours — Marseille",
        Mode.ON_SITE,
        "Cap Parcours Conseil, 12 quai du Port",
        Formula.COLLECTIVE,
        8,
        6,
        Phase.LAUNCH,
        -1,
        True,
    ),
    ("Promotion d’avril à distance", Mode.REMOTE, "", Formula.COLLECTIVE, 12, 0, None, 20, False),
    (
        "Promotion Cap Parcours — Toulon",
        Mode.ON_SITE,
        "Cap Parcours Conseil, 4 place d’Armes, Toulon",
        Formula.COLLECTIVE,
        8,
        6,
        5,
        -16,
        True,
    ),
]
# Where the on-site and hybrid cohorts meet (the remote ones meet nowhere).
TOWNS = {
    "Promotion d’automne — La Défense": ("Puteaux", "92"),
    "Promotion d’été — Lyon": ("Lyon", "69"),
    "Promotion de printemps — La Défense": ("Puteaux", "92"),
    "Promotion de janvier — La Défense": ("Puteaux", "92"),
    "Promotion Cap Parcours — Marseille": ("Marseille", "13"),
    "Promotion Cap Parcours — Toulon": ("Toulon", "83"),
    "Parcours individuel — Brest": ("Brest", "29"),
}
INDIVIDUAL = (
    "Parcours individuel — Brest",
    Mode.ON_SITE,
    "DDTM du Finistère, Brest",
    Formula.INDIVIDUAL,
    1,
    1,
    Phase.ACTION_PLAN,
    -8,
    False,
)


class Command(BaseCommand):
    help = "Crée l’offre de démonstration (promotions dans toutes les phases)."

    @transaction.atomic
    def handle(self, *args, **options):
        self.today = deadlines.legal_today()
        ministry = Organisation.objects.get(name=MINISTRY)
        Cohort.objects.filter(organisation=ministry).delete()  # enrolments and phases follow
        ReviewRequest.objects.filter(organisation=ministry, needs=DEMO_NEEDS).delete()
        cmcs = list(
            User.objects.filter(
                role_assignments__role=Role.CMC, role_assignments__organisation=ministry
            ).order_by("email")
        )
        provider = Provider.objects.get(name="Cap Parcours Conseil")
        consultants = list(User.objects.filter(role_assignments__provider=provider))
        contract = ProviderContract.objects.get(organisation=ministry, provider=provider)
        free_agents = iter(
            AgentProfile.objects.filter(organisation=ministry, manager__isnull=False)
            .exclude(review_requests__status__in=LIVE)
            .exclude(user__role_assignments__isnull=False)
            .exclude(user__email__startswith="agent@")  # the demo agent asks for hers
            .select_related("user", "manager")
            .order_by("pk")
        )
        for index, spec in enumerate([*COHORTS, INDIVIDUAL]):
            title, mode, place, formula, capacity, enrolled, phase, weeks, by_provider = spec
            cohort = Cohort.objects.create(
                organisation=ministry,
                title=title,
                formula=formula,
                individual_reason=(
                    "Seul agent du site concerné, à plus de 300 km de la promotion la plus proche."
                    if formula == Formula.INDIVIDUAL
                    else ""
                ),
                mode=mode,
                place=place,
                capacity=capacity,
                provider=provider if by_provider else None,
                provider_contract=contract if by_provider else None,
                provider_reason=(
                    "Aucun conseiller mobilité-carrière du ministère n’est en poste dans le Sud-Est ;"
                    " le marché de 2026 confie ces promotions à Cap Parcours Conseil."
                    if by_provider
                    else ""
                ),
                town=TOWNS.get(title, ("", ""))[0],
                departement=TOWNS.get(title, ("", ""))[1],
                published=True,
                confidentiality_rules=(
                    "Ce qui est dit des situations personnelles et des collègues reste dans le groupe."
                    if phase
                    else ""
                ),
            )
            cohort.leaders.set(consultants if by_provider else [cmcs[index % len(cmcs)]])
            launch = self.today + datetime.timedelta(weeks=weeks)
            for number in Phase.values:
                starts = launch + datetime.timedelta(weeks=3 * (number - 1))
                CohortPhase.objects.create(
                    cohort=cohort,
                    number=number,
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(weeks=3, days=-1),
                    completed_at=self.at(starts + datetime.timedelta(weeks=3))
                    if phase and number < phase
                    else None,
                )
            enrolments = [
                self.enrol(cohort, next(free_agents), launch, signed=bool(phase))
                for _ in range(enrolled)
            ]
            if enrolments:
                self.sessions(cohort, enrolments, launch)
            Cohort.objects.filter(pk=cohort.pk).update(
                seats_taken=enrolled,
                current_phase=min(phase, Phase.CONCLUSION) if phase else None,
                started_at=self.at(launch) if phase else None,
                concluded_at=self.at(launch + datetime.timedelta(weeks=12)) if phase == 5 else None,
            )
            if phase == 5:
                self.evaluations(enrolments, self.at(launch + datetime.timedelta(weeks=12)))
        count = Cohort.objects.filter(organisation=ministry).count()
        self.stdout.write(f"{count} promotions de démonstration, dans toutes les phases.")

    def at(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(10), tzinfo=deadlines.LEGAL_TIME_ZONE)

    def sessions(self, cohort: Cohort, enrolments: list[Enrolment], launch: datetime.date):
        """A collective session per phase, the initial and final interviews of the first agent;
        attendance for those past; the concluded cohort's questionnaires answered."""
        place = cohort.place or ""
        link = "" if place else "https://webconf.numerique.gouv.fr/bilan-parcours"
        plan = [
            (
                1,
                SessionKind.COLLECTIVE,
                "Lancement : règles, calendrier, engagements",
                0,
                enrolments,
            ),
            (1, SessionKind.INITIAL_INTERVIEW, "Entretien initial", 2, enrolments[:1]),
            (2, SessionKind.COLLECTIVE, "Mon parcours, mes compétences", 3, enrolments),
            (3, SessionKind.COLLECTIVE, "Construire mon plan d’action", 6, enrolments),
            (4, SessionKind.FINAL_INTERVIEW, "Entretien final", 9, enrolments[:1]),
        ]
        now = timezone.now()
        for phase, kind, title, week, participants in plan:
            starts = self.at(launch + datetime.timedelta(weeks=week))
            session = Session.objects.create(
                cohort=cohort,
                phase=phase,
                kind=kind,
                title=title,
                starts_at=starts,
                duration_minutes=180 if kind == SessionKind.COLLECTIVE else 60,
                place=place,
                video_link=link,
            )
            session.participants.set(participants)
            if starts < now:
                Attendance.objects.bulk_create(
                    Attendance(
                        session=session, enrolment=e, status="present" if i % 7 else "excuse"
                    )
                    for i, e in enumerate(participants)
                )

    def evaluations(self, enrolments: list[Enrolment], sent_at: datetime.datetime):
        """The hot questionnaire of a concluded cohort, answered by all but two agents."""
        comments = ["Le groupe m’a beaucoup apporté.", "", "Plus de séances à distance ?", ""]
        Evaluation.objects.bulk_create(
            Evaluation(
                enrolment=e,
                kind=Evaluation.Kind.HOT,
                sent_at=sent_at,
                answered_at=sent_at + datetime.timedelta(days=2) if i >= 2 else None,
                overall_score=(9, 10, 8, 9, 10, 7)[i % 6] if i >= 2 else None,
                informed_of_offer=4 if i >= 2 else None,
                delay_communicated=3 if i >= 2 else None,
                adapted=4 if i >= 2 else None,
                confidential=4 if i >= 2 else None,
                synthesis_help=3 if i >= 2 else None,
                comment=comments[i % 4] if i >= 2 else "",
            )
            for i, e in enumerate(enrolments)
        )

    def enrol(self, cohort: Cohort, agent: AgentProfile, launch: datetime.date, signed: bool):
        # Received ten weeks before the launch, but never less than a month ago: the approval
        # (15 days later) and the placement (3 days after it) stay in the past.
        received = min(
            launch - datetime.timedelta(weeks=10), self.today - datetime.timedelta(days=30)
        )
        approved = self.at(received + datetime.timedelta(days=15))
        review_request = ReviewRequest.objects.create(
            agent=agent,
            organisation=agent.organisation,
            initiative="agent",
            status=Status.APPROVED,
            is_priority=agent.is_priority,
            seated=True,  # placed below
            needs=DEMO_NEEDS,
            created_at=self.at(received),
            received_on=received,
            decision_deadline=deadlines.decision_deadline(received),
            decided_by=agent.manager,
            decided_at=approved,
        )
        RequestTransition.objects.bulk_create(
            [
                RequestTransition(
                    request=review_request,
                    to_status=Status.PENDING,
                    by=agent.user,
                    at=self.at(received),
                ),
                RequestTransition(
                    request=review_request,
                    from_status=Status.PENDING,
                    to_status=Status.APPROVED,
                    by=agent.manager,
                    at=approved,
                ),
            ]
        )
        cmc = cohort.leaders.first()
        return Enrolment.objects.create(
            cohort=cohort,
            agent=agent,
            request=review_request,
            placed_at=approved + datetime.timedelta(days=3),
            placed_by=cmc,
            contract_signed_at=self.at(launch) if signed else None,
            contract_version=CONTRACT_VERSION if signed else "",
        )


DEMO_NEEDS = "Faire le point sur mes compétences et construire un projet d’évolution."
