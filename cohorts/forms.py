"""The forms of the offer: a cohort with its four phases, a withdrawal, an override."""

import datetime

from django import forms
from django.db.models import Q

from bpp.forms import DsfrForm, DsfrModelForm
from bpp.models import Organisation, Role, User
from cohorts.models import (
    COLLECTIVE_MAX,
    COLLECTIVE_MIN,
    Cohort,
    CohortPhase,
    Formula,
    Phase,
    phases_in_order,
)


class CohortForm(DsfrModelForm):
    """A cohort and the planned dates of its four phases, which must follow each other."""

    class Meta:
        model = Cohort
        fields = [
            "organisation",
            "title",
            "formula",
            "individual_reason",
            "capacity",
            "mode",
            "place",
            "leaders",
            "provider",
            "published",
        ]
        widgets = {
            "individual_reason": forms.Textarea(attrs={"rows": 2}),
            "leaders": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "capacity": "De 6 à 12 places pour une promotion collective ; 1 pour la formule individuelle.",
            "place": "Adresse et salle, ou « à distance » avec l’outil de visioconférence.",
            "leaders": "Conseillers mobilité-carrière de l’employeur, ou consultants du prestataire.",
        }

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        self.fields["leaders"].queryset = (
            User.objects.filter(is_active=True)
            .filter(
                Q(role_assignments__role=Role.CMC, role_assignments__organisation__in=organisations)
                | Q(role_assignments__role=Role.PROVIDER)
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        existing = {p.number: p for p in self.instance.phases.all()} if self.instance.pk else {}
        for phase in Phase:
            for edge, label in (("starts_on", "début"), ("ends_on", "fin")):
                name = f"phase{phase.value}_{edge}"
                self.fields[name] = forms.DateField(
                    label=f"Phase {phase.value} — {phase.label} : {label}",
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    initial=getattr(existing.get(phase.value), edge, None),
                    error_messages={
                        "required": "Indiquez cette date.",
                        "invalid": "Date invalide.",
                    },
                )

    def phase_dates(self) -> list[tuple[datetime.date, datetime.date]]:
        return [
            (self.cleaned_data[f"phase{n}_starts_on"], self.cleaned_data[f"phase{n}_ends_on"])
            for n in Phase.values
        ]

    def clean(self):
        data = super().clean()
        formula, capacity = data.get("formula"), data.get("capacity")
        if formula == Formula.COLLECTIVE and capacity is not None:
            if not COLLECTIVE_MIN <= capacity <= COLLECTIVE_MAX:
                self.add_error("capacity", "Une promotion collective compte de 6 à 12 places.")
            elif self.instance.pk and capacity < self.instance.seats_taken:
                self.add_error(
                    "capacity",
                    f"{self.instance.seats_taken} agents sont déjà inscrits : "
                    "la capacité ne peut pas descendre en dessous.",
                )
        if formula == Formula.INDIVIDUAL:
            data["capacity"] = 1
            if not data.get("individual_reason", "").strip():
                self.add_error(
                    "individual_reason",
                    "La formule individuelle est l’exception : dites pourquoi la collective "
                    "n’est pas possible.",
                )
        if data.get("provider") is None and not data.get("leaders"):
            self.add_error("leaders", "Choisissez au moins un animateur.")
        dates_valid = all(
            f"phase{n}_{edge}" not in self.errors
            for n in Phase.values
            for edge in ("starts_on", "ends_on")
        )
        if dates_valid and not phases_in_order(self.phase_dates()):
            raise forms.ValidationError(
                "Les phases doivent se suivre : chacune finit après son début, "
                "et la suivante ne commence pas avant la fin de la précédente."
            )
        return data

    def save_phases(self, cohort: Cohort) -> None:
        for number, (starts_on, ends_on) in zip(Phase.values, self.phase_dates(), strict=True):
            CohortPhase.objects.update_or_create(
                cohort=cohort,
                number=number,
                defaults={"starts_on": starts_on, "ends_on": ends_on},
            )


class ReasonForm(DsfrForm):
    reason = forms.CharField(
        label="Motif",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Le motif est obligatoire."},
    )


class OptionalReasonForm(DsfrForm):
    reason = forms.CharField(
        label="Motif (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignContractForm(DsfrForm):
    agree = forms.BooleanField(
        label="J’ai lu ce contrat et je m’engage à le respecter",
        error_messages={"required": "Cochez la case pour signer le contrat."},
    )


class ConfidentialityForm(DsfrModelForm):
    class Meta:
        model = Cohort
        fields = ["confidentiality_rules"]
        widgets = {"confidentiality_rules": forms.Textarea(attrs={"rows": 4})}
        labels = {"confidentiality_rules": "Ce que le groupe tient pour confidentiel"}
        help_texts = {
            "confidentiality_rules": "Établie avec le groupe pendant le lancement ; chaque agent la lit avant de signer son contrat."
        }
