"""
The reports HR owes for a year: the report to the social dialogue committee (CSA) as
PDF and XLSX, and the export for the social database (base de données sociales, which
feeds the rapport social unique).

The strategy names the social database (décret n° 2020-1493 du 30 novembre 2020,
arrêté du 7 mai 2021) without listing its fields; the export gives the figures of the
accompaniment the strategy asks for (Outils E and F) that the product holds. Every
figure keeps the small-count rule: a withheld one reads "moins de 5" or "—".
"""

import csv
import datetime
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

from bpp.pages.indicators import Figure
from bpp.pages.quality import QualityIndex

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Section:
    title: str
    rows: list[tuple[str, Figure | str]]


def outcomes(index: QualityIndex) -> list[tuple[str, Figure | str]]:
    """What became of the year's requests and reviews."""
    figures, year = index.figures, index.figures.year
    return [
        ("Demandes reçues (hors retraits)", figures.applicants[year]),
        ("Agents entrés dans une promotion démarrée", figures.accompanied[year]),
        ("Taux d’accès des demandeurs à un accompagnement (%)", figures.access[year]),
        ("Bilans menés à leur terme dans l’année", figures.completed_reviews),
        ("Agents sortis d’une promotion avant la fin", figures.left_cohort),
        ("Documents de synthèse signés", figures.signed_syntheses),
    ]


def csa_sections(index: QualityIndex) -> list[Section]:
    """The figures of the CSA report, in its order."""
    indicators = index.figures.indicators
    figures = indicators.figures()
    return [
        Section("Les demandes et leurs suites", figures[:7]),
        Section("D’où viennent les demandes", indicators.origins),
        Section("Les délais", figures[7:11]),
        Section("Les publics prioritaires", figures[11:13]),
        Section("Les promotions et leur taux de remplissage", figures[13:16]),
        Section("La satisfaction", figures[16:18]),
        Section(
            "Ce que sont devenus les bilans",
            [
                *outcomes(index),
                *((f"Orientation retenue : {label}", f) for label, f in indicators.orientations),
            ],
        ),
    ]


def csa_report_pdf(index: QualityIndex, *, made_on: datetime.date) -> bytes:
    # WeasyPrint (20 MB) loads with the first PDF, not in every process that reads the
    # URLs: the tasks worker and the jobs do, to write their e-mails.
    from bpp.printing import render_pdf

    return render_pdf(
        "portals/pdf/csa_report.html",
        {
            "index": index,
            "figures": index.figures,
            "sections": csa_sections(index),
            "made_on": made_on,
        },
        stylesheet="csa_report",
    )


def _value(figure: Figure | str) -> str | int | float:
    """A number when it may be published, else its text ("moins de 5", "—")."""
    if isinstance(figure, Figure) and figure.value is not None and not figure.is_small:
        return figure.value
    return str(figure)


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_value(v) if isinstance(v, Figure) else v for v in row])
    for column in "ABCDE":
        sheet.column_dimensions[column].width = 40


def csa_report_xlsx(index: QualityIndex) -> bytes:
    figures = index.figures
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "Rapport CSA",
        ["Rubrique", "Indicateur", "Valeur"],
        [[s.title, label, value] for s in csa_sections(index) for label, value in s.rows],
    )
    _sheet(
        workbook,
        "Index",
        ["Indicateur", "Cible", "Valeur", "Cible atteinte", "Source"],
        [
            [
                f"{i.number}. {i.title}",
                i.target,
                i.value,
                i.met_label,
                i.source,
            ]
            for i in index.indicators
        ],
    )
    _sheet(
        workbook,
        "Profil",
        ["Répartition", "Modalité", "Demandeurs", "Bénéficiaires"],
        [[b.title, label, a, s] for b in figures.profile for label, a, s in b.rows],
    )
    _sheet(
        workbook,
        "Satisfaction",
        ["Note globale", "Questionnaires"],
        [[score, figure] for score, figure in figures.indicators.score_distribution],
    )
    _sheet(
        workbook,
        "Satisfaction par mois",
        ["Mois", "Questionnaires", "Note moyenne"],
        [[m.name, m.answers, m.mean] for m in figures.months],
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def social_database_rows(index: QualityIndex) -> list[tuple[str, str, Figure | str]]:
    """(heading, indicator, value) for the social database."""
    figures = index.figures
    indicators = figures.indicators
    year = figures.year
    rows = [
        ("Demandes de bilan de parcours professionnel", label, value)
        for label, value in indicators.figures()[:7]
    ]
    rows += [("Bilans de parcours professionnel", label, value) for label, value in outcomes(index)]
    for breakdown in figures.profile:
        rows += [
            (f"Bénéficiaires par {breakdown.title.lower()}", label, served)
            for label, _, served in breakdown.rows
        ]
    rows += [
        (
            "Délais",
            "Délai médian de la demande au début du bilan (jours)",
            indicators.start_delay[0],
        ),
        ("Promotions", "Promotions démarrées", indicators.cohorts["run"]),
        ("Promotions", "Taux de remplissage moyen (%)", indicators.cohorts["fill_rate"]),
        (
            "Promotions",
            "Part de la formule individuelle (%)",
            indicators.cohorts["individual_share"],
        ),
        (
            "Accompagnateurs",
            "Conseillers mobilité-carrière pour 1 000 agents",
            figures.cmc_per_1000_agents,
        ),
        (
            "Accompagnateurs",
            "Conseillers mobilité-carrière et référents handicap dont une formation est "
            "enregistrée (%)",
            figures.trained_leaders,
        ),
        (
            "Accompagnateurs",
            "Accompagnateurs formés aux compétences socles, déclaré (%)",
            index.indicators[4].value,
        ),
        ("Satisfaction", "Questionnaires remplis", indicators.satisfaction["answers"]),
        ("Satisfaction", "Note globale moyenne (sur 10)", figures.satisfaction[year]),
    ]
    return rows


def social_database_csv(index: QualityIndex) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 only with its byte order mark
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Employeur", "Année", "Rubrique", "Indicateur", "Valeur"])
    name, year = index.figures.organisation.name, index.figures.year
    for heading, label, value in social_database_rows(index):
        writer.writerow([name, year, heading, label, str(value)])
    return out.getvalue().encode()
