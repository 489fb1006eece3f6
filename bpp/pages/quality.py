"""
The accompaniment index of an employer for a year (strategy, Outil F), the evidence of
its 6 quality criteria (Outil E), the beneficiaries' profile and the satisfaction.

What the product records is computed here (`compute_quality`, cached for the day);
what it cannot know comes from the HR admin's yearly `QualityDeclaration`, read fresh
(`quality_index`). Every figure follows the small-count rule of bpp.pages.indicators.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import ExtractMonth, ExtractYear

from bpp.pages import snapshots
from bpp.pages.indicators import (
    ColumnChart,
    Figure,
    Indicators,
    cached,
    cells,
    columns,
    share,
)
from bpp.pages.models import Criterion, CriterionAssessment, QualityDeclaration
from bpp.people.models import AgentProfile, Organisation, Role, RoleAssignment, Training
from bpp.requests import deadlines
from bpp.requests.models import ReviewRequest, Status
from cohorts.models import SMALL_COUNT, Cohort, Enrolment, Evaluation
from synthesis.models import Synthesis

# The years the index can be asked for: from the strategy's first year (2022-2024) on.
FIRST_YEAR = 2022
# The index reads this many years, the last one included, to show its trend.
TREND_YEARS = 5
# Indicator 7: a satisfaction score between 9 and 10 out of 10.
SATISFACTION_TARGET = 9
MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
SHORT_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]
# The agreement answers (cohorts.models.AGREEMENT) that say yes.
AGREES = (3, 4)


def quality_cache_key(organisation_id: int, year: int, today: datetime.date) -> str:
    """The cache key of an employer's computed quality figures for `year`, as of `today`."""
    return f"quality-index:{organisation_id}:{year}:{today.isoformat()}"


@dataclass
class Breakdown:
    """Applicants and beneficiaries by one trait; cells under SMALL_COUNT are withheld."""

    title: str
    rows: list[tuple[str, Figure, Figure]]  # label, applicants, beneficiaries
    overlapping: bool = False  # a person may count in several rows (priority grounds)


@dataclass
class Month:
    name: str
    answers: Figure
    mean: Figure


@dataclass
class QualityFigures:
    """Everything the product computes for an employer's year: cached for the day."""

    organisation: Organisation
    year: int
    today: datetime.date
    indicators: Indicators  # the year's indicators (volumes, delays, priority, cohorts)
    years: list[int]
    access: dict[int, Figure]  # indicator 3, per year: share of applicants accompanied
    applicants: dict[int, Figure]
    accompanied: dict[int, Figure]
    satisfaction: dict[int, Figure]  # indicator 7, per year: mean overall score
    informed: dict[int, Figure]  # share of answers agreeing they were informed of the offer
    questionnaire_coverage: dict[int, Figure]  # agents who finished and were sent one
    trained_leaders: Figure  # CMCs and disability officers with a recorded training
    staff: Figure
    cmc_per_1000_agents: Figure
    offered_cohorts: Figure  # not cancelled, starting in the year
    cancelled_cohorts: Figure
    disability_requests: Figure
    disability_officer_associated: Figure
    completed_reviews: Figure
    left_cohort: Figure
    signed_syntheses: Figure
    profile: list[Breakdown]
    months: list[Month]

    def score_chart(self) -> ColumnChart:
        """The year's overall scores, 0 to 10, with the target zone 9–10."""
        return columns(
            [(str(score), figure) for score, figure in self.indicators.score_distribution],
            target_zone=("9", "10"),
            target_label="Cible : 9 à 10",
        )

    def month_chart(self) -> ColumnChart:
        """The mean score of each month (withheld under 5 answers), against the target 9."""
        return columns(
            [(short, m.mean) for short, m in zip(SHORT_MONTHS, self.months, strict=True)],
            top=10,
            target=SATISFACTION_TARGET,
            target_label="Cible : 9",
        )


@dataclass
class IndexIndicator:
    number: int
    title: str
    target: str
    source: str  # how the value is obtained
    value: Figure | str
    unit: str
    met: bool | None
    trend: list[tuple[int, Figure | str]]
    evidence: list[tuple[str, Figure]] = field(default_factory=list)

    def _with_unit(self, value: Figure | str) -> str:
        published = isinstance(value, Figure) and value.value is not None and not value.is_small
        if not published or not self.unit:
            return str(value)
        return f"{value}\u00a0{self.unit}" if self.unit == "%" else f"{value}{self.unit}"

    @property
    def shown(self) -> str:
        return self._with_unit(self.value)

    @property
    def shown_trend(self) -> list[tuple[int, str]]:
        return [(year, self._with_unit(value)) for year, value in self.trend]

    @property
    def met_label(self) -> str:
        return "—" if self.met is None else ("Oui" if self.met else "Non")


@dataclass
class QualityIndex:
    figures: QualityFigures
    declaration: QualityDeclaration | None
    declarations: dict[int, QualityDeclaration]
    assessments: dict[int, CriterionAssessment]
    indicators: list[IndexIndicator]
    criteria: list["CriterionEvidence"]


@dataclass
class CriterionEvidence:
    criterion: Criterion
    objective: str
    questions: list[str]
    evidence: list[tuple[str, Figure | str]]
    assessment: CriterionAssessment | None = None


def _by_year(rows, years: list[int], key: str = "n") -> dict[int, int]:
    found = {row["y"]: row[key] for row in rows}
    return {y: found.get(y) or 0 for y in years}


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("Oui" if value else "Non")


def _period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


# The traits of an applicant the profile and the index read: one grouped query gives them.
TRAITS = {
    "t_category": F("agent__category"),
    "t_status": F("agent__status"),
    "no_diploma": ExpressionWrapper(
        Q(agent__category=AgentProfile.Category.C, agent__holds_level4_diploma=False),
        output_field=BooleanField(),
    ),
    "l5212_13": F("agent__covered_by_l5212_13"),
    "wear": F("agent__exposed_to_professional_wear"),
    "de_droit": ExpressionWrapper(Q(restructuring__isnull=False), output_field=BooleanField()),
    "officer": F("wants_disability_officer"),
}
PRIORITY_GROUNDS = {
    "no_diploma": "Catégorie C sans diplôme de niveau 4",
    "l5212_13": "Bénéficiaires de l’article L5212-13",
    "wear": "Exposés à l’usure professionnelle",
    "de_droit": "Restructuration (demande de droit)",
}


def _profile(rows: list[dict], organisation: Organisation) -> list[Breakdown]:
    """Applicants and beneficiaries by category, status, versant and priority ground, from
    rows grouped by TRAITS with their counts `n` and `served`."""

    def counts(trait: str, values: list) -> tuple[list[int], list[int]]:
        applicants, served = dict.fromkeys(values, 0), dict.fromkeys(values, 0)
        for row in rows:
            applicants[row[trait]] += row["n"]
            served[row[trait]] += row["served"]
        return list(applicants.values()), list(served.values())

    def breakdown(title: str, trait: str, choices) -> Breakdown:
        applicants, served = counts(trait, [value for value, _ in choices])
        labels = [label for _, label in choices]
        return Breakdown(title, list(zip(labels, cells(applicants), cells(served), strict=True)))

    versant = [(organisation.versant, organisation.get_versant_display())]
    for row in rows:
        row["versant"] = organisation.versant
    grounds = []
    for trait, label in PRIORITY_GROUNDS.items():
        applicants, served = counts(trait, [True, False])
        grounds.append((label, Figure(applicants[0]), Figure(served[0])))
    return [
        breakdown("Catégorie", "t_category", AgentProfile.Category.choices),
        breakdown("Statut", "t_status", AgentProfile.Status.choices),
        breakdown("Versant de l’employeur", "versant", versant),
        Breakdown("Motif de priorité", grounds, overlapping=True),
    ]


def compute_quality(
    organisation: Organisation, year: int, *, today: datetime.date
) -> QualityFigures:
    """The figures the product computes for `organisation` and `year`, as of `today`."""
    start, end = _period(year)
    years = list(range(year - TREND_YEARS + 1, year + 1))
    first = datetime.date(years[0], 1, 1)

    accompanied = Exists(
        Enrolment.objects.current().filter(request=OuterRef("pk"), cohort__started_at__isnull=False)
    )
    accompanied_q = Q(accompanied)
    # Applicants: requests received (an employer's proposal once the agent accepted it),
    # less those the agent withdrew.
    received = (
        ReviewRequest.objects.filter(organisation=organisation, received_on__gte=first)
        .filter(received_on__lte=end)
        .exclude(status=Status.WITHDRAWN)
    )
    rows = list(
        received.annotate(y=ExtractYear("received_on"), **TRAITS)
        .values("y", *TRAITS)
        .annotate(n=Count("pk"), served=Count("pk", filter=accompanied_q))
        .order_by()
    )
    applicants, served = dict.fromkeys(years, 0), dict.fromkeys(years, 0)
    for row in rows:
        applicants[row["y"]] += row["n"]
        served[row["y"]] += row["served"]
    this_year = [row for row in rows if row["y"] == year]

    # Ranges of instants, not `__date`: an index on the instant serves them.
    since_first, after_end = deadlines.legal_day_range(first, end)
    year_start, _ = deadlines.legal_day_range(start, end)
    answers = Evaluation.objects.filter(
        enrolment__cohort__organisation=organisation,
        answered_at__gte=since_first,
        answered_at__lt=after_end,
    )
    answers_per_year = list(
        answers.annotate(y=ExtractYear("answered_at"))
        .values("y")
        .annotate(
            n=Count("pk"),
            mean=Avg("overall_score"),
            told=Count("pk", filter=Q(informed_of_offer__isnull=False)),
            informed=Count("pk", filter=Q(informed_of_offer__in=AGREES)),
        )
        .order_by()
    )
    means = {row["y"]: row for row in answers_per_year}

    # Agents whose cohort concluded in the year, and those of them sent a questionnaire.
    finished = Enrolment.objects.current().filter(
        cohort__organisation=organisation,
        cohort__concluded_at__gte=since_first,
        cohort__concluded_at__lt=after_end,
    )
    coverage = list(
        finished.annotate(y=ExtractYear("cohort__concluded_at"))
        .values("y")
        .annotate(
            n=Count("pk"),
            sent=Count("pk", filter=Q(Exists(Evaluation.objects.filter(enrolment=OuterRef("pk"))))),
        )
        .order_by()
    )
    finished_n, sent_n = _by_year(coverage, years), _by_year(coverage, years, "sent")

    staff = RoleAssignment.objects.filter(
        organisation=organisation, role__in=[Role.CMC, Role.DISABILITY_OFFICER]
    )
    staff_counts = staff.aggregate(
        staff=Count("user", distinct=True),
        trained=Count(
            "user",
            distinct=True,
            filter=Q(Exists(Training.objects.filter(user=OuterRef("user"), completed_on__lte=end))),
        ),
        cmcs=Count("user", distinct=True, filter=Q(role=Role.CMC)),
    )
    agents = AgentProfile.objects.filter(organisation=organisation).count()

    cohorts = Cohort.objects.filter(organisation=organisation)
    offered = (
        cohorts.with_start()
        .filter(cancelled_at__isnull=True, starts_on__gte=start, starts_on__lte=end)
        .count()
    )
    cancelled = cohorts.filter(cancelled_at__gte=year_start, cancelled_at__lt=after_end).count()
    enrolments = Enrolment.objects.filter(cohort__organisation=organisation).aggregate(
        completed=Count(
            "pk",
            filter=Q(
                withdrawn_at__isnull=True,
                cohort__concluded_at__gte=year_start,
                cohort__concluded_at__lt=after_end,
            ),
        ),
        left=Count("pk", filter=Q(withdrawn_at__gte=year_start, withdrawn_at__lt=after_end)),
    )
    signed = Synthesis.objects.filter(
        enrolment__cohort__organisation=organisation,
        signed_at__gte=year_start,
        signed_at__lt=after_end,
    ).count()

    by_month = {
        row["m"]: row
        for row in answers.filter(answered_at__gte=year_start)
        .annotate(m=ExtractMonth("answered_at"))
        .values("m")
        .annotate(n=Count("pk"), mean=Avg("overall_score"))
        .order_by()
    }

    def mean_of(row) -> Figure:
        if row is None or row["n"] < SMALL_COUNT:
            return Figure(None)
        return Figure(round(row["mean"], 1))

    return QualityFigures(
        organisation=organisation,
        year=year,
        today=today,
        indicators=cached(organisation, start, end, today=today),
        years=years,
        access={y: share(served[y], applicants[y]) for y in years},
        applicants={y: Figure(applicants[y]) for y in years},
        accompanied={y: Figure(served[y]) for y in years},
        satisfaction={y: mean_of(means.get(y)) for y in years},
        informed={
            y: share(means[y]["informed"], means[y]["told"]) if y in means else Figure(None)
            for y in years
        },
        questionnaire_coverage={y: share(sent_n[y], finished_n[y]) for y in years},
        # Staff are no beneficiaries: their training is counted as it is.
        trained_leaders=Figure(
            round(100 * staff_counts["trained"] / staff_counts["staff"], 1)
            if staff_counts["staff"]
            else None
        ),
        staff=Figure(staff_counts["staff"]),
        cmc_per_1000_agents=Figure(
            round(1000 * staff_counts["cmcs"] / agents, 2) if agents else None
        ),
        offered_cohorts=Figure(offered),
        cancelled_cohorts=Figure(cancelled),
        disability_requests=Figure(sum(r["n"] for r in this_year if r["l5212_13"])),
        disability_officer_associated=Figure(
            sum(r["n"] for r in this_year if r["l5212_13"] and r["officer"])
        ),
        completed_reviews=Figure(enrolments["completed"]),
        left_cohort=Figure(enrolments["left"]),
        signed_syntheses=Figure(signed),
        profile=_profile(this_year, organisation),
        months=[
            Month(
                name,
                Figure(by_month[m]["n"] if m in by_month else 0),
                mean_of(by_month.get(m)),
            )
            for m, name in enumerate(MONTHS, start=1)
        ],
    )


def cached_quality(
    organisation: Organisation, year: int, *, today: datetime.date
) -> QualityFigures:
    """`compute_quality`, computed once a day per employer and year (bpp.pages.snapshots)."""
    return snapshots.daily(
        quality_cache_key(organisation.pk, year, today),
        today,
        lambda: compute_quality(organisation, year, today=today),
    )


def _percent_met(value: Figure | None) -> bool | None:
    if value is None or value.value is None:
        return None
    return value.value >= 100


def _declared_percent(declaration: QualityDeclaration | None, name: str) -> Figure:
    return Figure(None if declaration is None else getattr(declaration, name))


def quality_index(organisation: Organisation, year: int, *, today: datetime.date) -> QualityIndex:
    """The index of `year`: the cached computed figures and the HR admin's answers."""
    figures = cached_quality(organisation, year, today=today)
    declarations = {
        d.year: d
        for d in QualityDeclaration.objects.filter(
            organisation=organisation, year__in=figures.years
        ).select_related("answered_by")
    }
    declared = declarations.get(year)
    assessments = {
        a.criterion: a
        for a in CriterionAssessment.objects.filter(
            organisation=organisation, year=year
        ).select_related("assessed_by")
    }

    def declared_trend(name: str) -> list[tuple[int, Figure]]:
        return [(y, _declared_percent(declarations.get(y), name)) for y in figures.years]

    def declared_yes_no(name: str) -> list[tuple[int, str]]:
        return [
            (y, _yes_no(getattr(declarations[y], name) if y in declarations else None))
            for y in figures.years
        ]

    def computed_trend(values: dict[int, Figure]) -> list[tuple[int, Figure]]:
        return [(y, values[y]) for y in figures.years]

    declared_source = "Déclaré chaque année par l’administrateur RH"
    satisfaction = figures.satisfaction[year]
    i = figures.indicators
    indicators = [
        IndexIndicator(
            1,
            "Information sur l’offre d’accompagnement",
            "100 % des agents sont informés de l’offre de services",
            declared_source,
            _declared_percent(declared, "informed_share"),
            "%",
            _percent_met(_declared_percent(declared, "informed_share")),
            declared_trend("informed_share"),
            [
                (
                    "Questionnaires : part des agents d’accord pour dire qu’ils ont été informés "
                    "de l’offre (%)",
                    figures.informed[year],
                ),
                (
                    "Promotions proposées dans l’offre, démarrant dans l’année",
                    figures.offered_cohorts,
                ),
            ],
        ),
        IndexIndicator(
            2,
            "Premier niveau d’information et d’inspiration numérique mobilisable en autonomie",
            "100 % des agents ont accès à un premier niveau d’accompagnement numérique",
            declared_source,
            _declared_percent(declared, "digital_access_share"),
            "%",
            _percent_met(_declared_percent(declared, "digital_access_share")),
            declared_trend("digital_access_share"),
        ),
        IndexIndicator(
            3,
            "Accès aux services d’accompagnement humain",
            "100 % des agents en exprimant le besoin bénéficient d’un entretien ou d’un "
            "dispositif collectif avec un professionnel formé",
            "Calculé : part des demandes reçues dans l’année (hors demandes retirées par "
            "l’agent) dont l’agent est entré dans une promotion qui a démarré, animée par un "
            "professionnel dont la formation est enregistrée",
            figures.access[year],
            "%",
            _percent_met(figures.access[year]),
            computed_trend(figures.access),
            [
                ("Demandes reçues (hors retraits)", figures.applicants[year]),
                ("Agents entrés dans une promotion démarrée", figures.accompanied[year]),
                ("Délai médian de la demande au début du bilan (jours)", i.start_delay[0]),
            ],
        ),
        IndexIndicator(
            4,
            "Prise en compte du handicap",
            "Une offre de services prenant en compte les situations de handicap",
            declared_source,
            _yes_no(declared.disability_offer if declared else None),
            "",
            None if declared is None else declared.disability_offer,
            declared_yes_no("disability_offer"),
            [
                (
                    "Demandes d’agents bénéficiaires de l’article L5212-13",
                    figures.disability_requests,
                ),
                (
                    "… dont l’agent a souhaité associer le référent handicap",
                    figures.disability_officer_associated,
                ),
            ],
        ),
        IndexIndicator(
            5,
            "Professionnalisation des accompagnateurs",
            "100 % des conseillers mobilité-carrière, des référents information-mobilité et "
            "des référents handicap formés sur les compétences socles",
            declared_source,
            _declared_percent(declared, "trained_share"),
            "%",
            _percent_met(_declared_percent(declared, "trained_share")),
            declared_trend("trained_share"),
            [
                (
                    "Conseillers mobilité-carrière et référents handicap dont une formation est "
                    "enregistrée (%)",
                    figures.trained_leaders,
                ),
                ("Conseillers mobilité-carrière et référents handicap", figures.staff),
            ],
        ),
        IndexIndicator(
            6,
            "Anticipation des défaillances du service d’accompagnement",
            "Un processus formalisé de gestion des défaillances de services (du repérage à la "
            "gestion)",
            declared_source,
            _yes_no(declared.failure_process if declared else None),
            "",
            None if declared is None else declared.failure_process,
            declared_yes_no("failure_process"),
            [("Promotions annulées dans l’année", figures.cancelled_cohorts)],
        ),
        IndexIndicator(
            7,
            "Évaluation de l’expérience d’accompagnement",
            "Niveau de satisfaction exprimé (questionnaire unique à tous les agents) compris "
            "entre 9 et 10",
            "Calculé : note globale moyenne des questionnaires remplis dans l’année",
            satisfaction,
            "/10",
            None if satisfaction.value is None else satisfaction.value >= SATISFACTION_TARGET,
            computed_trend(figures.satisfaction),
            [
                ("Questionnaires remplis", i.satisfaction["answers"]),
                (
                    "Agents ayant terminé leur bilan à qui le questionnaire a été envoyé (%)",
                    figures.questionnaire_coverage[year],
                ),
            ],
        ),
    ]
    return QualityIndex(
        figures=figures,
        declaration=declared,
        declarations=declarations,
        assessments=assessments,
        indicators=indicators,
        criteria=criteria_evidence(figures, declared, assessments),
    )


CRITERIA_TEXT = {
    Criterion.INFORMATION: (
        "S’assurer que l’accès à un accompagnement est optimal (non limité par un manque de "
        "visibilité et de lisibilité de l’offre proposée).",
        [
            "L’offre d’accompagnement est-elle formalisée ? Est-elle bien partagée aux agents ? "
            "Est-elle comprise par les agents ?"
        ],
    ),
    Criterion.ACCESS: (
        "Vérifier la cohérence entre les moyens mis en œuvre et l’objectif d’accès universel à "
        "un accompagnement ; prévoir un dispositif de priorités d’accès (ordonnance "
        "n° 2021-658 du 26 mai 2021).",
        [
            "Tout agent a-t-il bien accès à un accompagnement quels que soient son besoin, sa "
            "catégorie, son corps, son lieu d’affectation ?",
            "Quel est le profil des bénéficiaires ?",
            "Le délai de prise en charge est-il satisfaisant ?",
            "La priorité d’accès pour certains agents publics est-elle mise en œuvre ?",
        ],
    ),
    Criterion.ADAPTATION: (
        "Vérifier l’adéquation entre les dispositifs proposés et les besoins ou profils des "
        "agents ; mobiliser les acteurs pertinents selon le besoin et le contexte.",
        [
            "Tout agent a-t-il l’assurance d’être accompagné pour son besoin, l’ensemble de son "
            "besoin et rien que son besoin ?",
            "Le parcours d’accompagnement des réorganisations et restructurations est-il défini ?",
        ],
    ),
    Criterion.PROFESSIONALISATION: (
        "S’assurer de la qualité des accompagnements réalisés sur la durée.",
        [
            "Tout agent est-il accompagné par une personne qui détient les compétences "
            "nécessaires ?",
            "Tout conseiller mobilité-carrière bénéficie-t-il d’un programme de "
            "professionnalisation continue ?",
        ],
    ),
    Criterion.RISKS: (
        "Prévoir un processus de prise en charge des défaillances du service, "
        "organisationnelles (absence) ou humaines (comportement inadapté).",
        ["Comment les risques sont-ils repérés ? Comment sont-ils gérés ?"],
    ),
    Criterion.EVALUATION: (
        "Faire évoluer en continu l’offre de services en partant de l’expérience des "
        "bénéficiaires.",
        [
            "Tout agent accompagné est-il consulté pour formuler ses avis et ses propositions ?",
            "Tout agent a-t-il la garantie que son retour d’expérience sera analysé ?",
        ],
    ),
}


def criteria_evidence(
    figures: QualityFigures,
    declared: QualityDeclaration | None,
    assessments: dict[int, CriterionAssessment],
) -> list[CriterionEvidence]:
    """Each criterion with what the product can show for it."""
    i, year = figures.indicators, figures.year
    evidence = {
        Criterion.INFORMATION: [
            ("Promotions proposées dans l’offre, démarrant dans l’année", figures.offered_cohorts),
            (
                "Agents informés de l’offre, déclaré (%)",
                _declared_percent(declared, "informed_share"),
            ),
            ("Questionnaires : agents se disant informés de l’offre (%)", figures.informed[year]),
        ],
        Criterion.ACCESS: [
            ("Taux d’accès des demandeurs à un accompagnement (%)", figures.access[year]),
            ("Délai médian de la demande au début du bilan (jours)", i.start_delay[0]),
            ("Part des publics prioritaires parmi les demandes (%)", i.priority_share_requests),
            ("Part des publics prioritaires parmi les agents placés (%)", i.priority_share_placed),
            ("Conseillers mobilité-carrière pour 1 000 agents", figures.cmc_per_1000_agents),
        ],
        Criterion.ADAPTATION: [
            ("Part de la formule individuelle (%)", i.cohorts["individual_share"]),
            ("Demandes de droit (restructuration)", i.requests["de_droit"]),
            ("Demandes d’agents bénéficiaires de l’article L5212-13", figures.disability_requests),
            (
                "Offre prenant en compte le handicap, déclaré",
                _yes_no(declared.disability_offer if declared else None),
            ),
        ],
        Criterion.PROFESSIONALISATION: [
            (
                "Conseillers mobilité-carrière et référents handicap dont une formation est "
                "enregistrée (%)",
                figures.trained_leaders,
            ),
            (
                "Accompagnateurs formés aux compétences socles, déclaré (%)",
                _declared_percent(declared, "trained_share"),
            ),
        ],
        Criterion.RISKS: [
            (
                "Processus formalisé de gestion des défaillances, déclaré",
                _yes_no(declared.failure_process if declared else None),
            ),
            ("Promotions annulées dans l’année", figures.cancelled_cohorts),
            ("Agents sortis d’une promotion avant la fin", figures.left_cohort),
        ],
        Criterion.EVALUATION: [
            ("Questionnaires remplis", i.satisfaction["answers"]),
            (
                "Agents ayant terminé leur bilan à qui le questionnaire a été envoyé (%)",
                figures.questionnaire_coverage[year],
            ),
            ("Note globale moyenne (sur 10)", i.satisfaction["mean"]),
        ],
    }
    return [
        CriterionEvidence(
            criterion, *CRITERIA_TEXT[criterion], evidence[criterion], assessments.get(criterion)
        )
        for criterion in Criterion
    ]
