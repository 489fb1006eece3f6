"""
The structure of the synthesis: the model of Annexe 2 of the guide, section by section.

Every free-text section is one `Section`; the personal situation (2.5) and the action
plan (3.1) are stored apart (encrypted, and structured). Templates, forms and the PDF
all walk `PARTS`, so the document always follows the model's order and numbering.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    key: str
    number: str
    title: str
    hint: str = ""


@dataclass(frozen=True)
class Group:
    """A numbered heading of the model (2.1, 2.2...) holding sections."""

    number: str
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass(frozen=True)
class Part:
    """One of the four phases, as the model numbers them."""

    number: int
    title: str
    groups: list[Group]


PERSONAL_SITUATION = Section(
    "personal_situation",
    "2.5",
    "Prise en compte de la situation personnelle",
    "Éléments d’ordre personnel (état de santé, situation familiale, pécuniaire…). "
    "Chiffrée, lue seulement par vous et l’animateur : jamais transmise.",
)

PARTS = [
    Part(
        1,
        "Phase de lancement",
        [
            Group(
                "1",
                "",
                [
                    Section(
                        "needs",
                        "1.1",
                        "Besoins et attentes de l’agent",
                        "Un bilan de parcours professionnel collectif, mais pour quel objectif, "
                        "quel projet ?",
                    ),
                    Section(
                        "form",
                        "1.2",
                        "Forme du bilan",
                        "Individuel ou collectif et, le cas échéant, les modalités matérielles "
                        "pour les personnes mentionnées à l’article L5212-13 du code du travail.",
                    ),
                    Section(
                        "commitment",
                        "1.3",
                        "Confirmation de l’engagement dans la démarche",
                        "Contrat d’engagement et de confidentialité.",
                    ),
                ],
            )
        ],
    ),
    Part(
        2,
        "Phase d’appui à l’analyse du parcours professionnel",
        [
            Group(
                "2.1",
                "Lancement de sa rétrospective professionnelle",
                [
                    Section(
                        "career_analysis",
                        "2.1.0",
                        "Analyse de l’ensemble du parcours professionnel",
                    ),
                    Section("missions", "2.1.1", "Domaine fonctionnel, missions, activités"),
                    Section(
                        "achievements",
                        "2.1.2",
                        "Expériences marquantes, réalisations significatives",
                        "Travaux réalisés.",
                    ),
                ],
            ),
            Group(
                "2.2",
                "Réfléchir à son évolution professionnelle",
                [
                    Section(
                        "steps_taken",
                        "2.2.1",
                        "Les démarches d’évolution professionnelle réalisées",
                    ),
                    Section("paths", "2.2.2", "Exploration des pistes d’évolution possibles"),
                    Section("motivations", "2.2.3", "Les motivations"),
                ],
            ),
            Group(
                "2.3",
                "Analyse des compétences",
                [
                    Section(
                        "knowledge",
                        "2.3.1",
                        "Connaissances acquises",
                        "Par exemple : les principes du management, les règles en finance "
                        "publique.",
                    ),
                    Section(
                        "know_how",
                        "2.3.2",
                        "Savoir-faire",
                        "Par exemple : réaliser une présentation, piloter un projet.",
                    ),
                    Section(
                        "soft_skills",
                        "2.3.3",
                        "Savoir-être",
                        "Par exemple : adaptation, autonomie.",
                    ),
                    Section(
                        "skills_to_acquire",
                        "2.3.4",
                        "Compétences à acquérir et à mettre en pratique",
                    ),
                ],
            ),
            Group(
                "2.4",
                "Valorisation de son parcours professionnel",
                [
                    Section(
                        "oral_summary",
                        "2.4.1",
                        "Synthèse du parcours présenté à l’oral par l’agent",
                    ),
                    Section(
                        "formative_jobs",
                        "2.4.2",
                        "Métiers occupés qui ont permis une montée en compétences significative",
                    ),
                ],
            ),
        ],
    ),
    Part(3, "Phase d’appui à la réalisation d’un plan d’action", []),
    Part(
        4,
        "Phase de conclusion",
        [
            Group(
                "4",
                "",
                [
                    Section(
                        "conclusions", "4.1", "Points de conclusion de l’entretien individuel final"
                    )
                ],
            )
        ],
    ),
]

TEXT_SECTIONS: list[Section] = [
    section for part in PARTS for group in part.groups for section in group.sections
]
# Sections one may comment on: the text ones, the personal situation and the action plan.
COMMENTABLE = {
    **{section.key: f"{section.number}. {section.title}" for section in TEXT_SECTIONS},
    PERSONAL_SITUATION.key: f"2.5. {PERSONAL_SITUATION.title}",
    "action_plan": "3.1. Plan d’action",
}

MAX_ACTIONS = 8
MAX_STEPS = 12
