"""The HR admin's yearly quality forms: the declaration and the 6 criteria."""

from crispy_forms.layout import Fieldset
from django import forms

from bpp.forms import DsfrForm, DsfrModelForm, layout_helper
from bpp.pages.models import Criterion, CriterionAssessment, QualityDeclaration


class QualityDeclarationForm(DsfrModelForm):
    class Meta(DsfrModelForm.Meta):
        model = QualityDeclaration
        fields = [
            "informed_share",
            "information_means",
            "digital_access_share",
            "disability_offer",
            "disability_measures",
            "trained_share",
            "failure_process",
            "failure_process_description",
        ]
        widgets = {
            "information_means": forms.Textarea(attrs={"rows": 3}),
            "disability_measures": forms.Textarea(attrs={"rows": 3}),
            "failure_process_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = layout_helper(
            Fieldset(
                "Indicateur 1 — Information sur l’offre d’accompagnement",
                "informed_share",
                "information_means",
            ),
            Fieldset("Indicateur 2 — Premier niveau numérique", "digital_access_share"),
            Fieldset(
                "Indicateur 4 — Prise en compte du handicap",
                "disability_offer",
                "disability_measures",
            ),
            Fieldset("Indicateur 5 — Professionnalisation des accompagnateurs", "trained_share"),
            Fieldset(
                "Indicateur 6 — Anticipation des défaillances du service",
                "failure_process",
                "failure_process_description",
            ),
        )


class CriteriaAssessmentForm(DsfrForm):
    """A level and its evidence for each of the 6 criteria (fields `level_N`, `comment_N`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[f"level_{criterion.value}"] = forms.ChoiceField(
                label=f"Critère {criterion.value} : niveau atteint",
                choices=CriterionAssessment.Level.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.value}"] = forms.CharField(
                label=f"Critère {criterion.value} : éléments qui le démontrent",
                max_length=3000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def fields_of(self, criterion: int) -> tuple:
        return self[f"level_{criterion}"], self[f"comment_{criterion}"]

    def answers(self) -> dict[int, tuple[str, str]]:
        return {
            c.value: (
                self.cleaned_data[f"level_{c.value}"],
                self.cleaned_data[f"comment_{c.value}"],
            )
            for c in Criterion
        }

    @staticmethod
    def initial_from(assessments: dict[int, CriterionAssessment]) -> dict[str, str]:
        initial = {}
        for criterion, assessment in assessments.items():
            initial[f"level_{criterion}"] = assessment.level
            initial[f"comment_{criterion}"] = assessment.comment
        return initial
