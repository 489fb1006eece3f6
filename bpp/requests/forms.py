"""The forms of the request pages: they validate and normalise, the model decides."""

import datetime

from crispy_forms.layout import Fieldset
from django import forms

from bpp.forms import DsfrForm, layout_helper
from bpp.people.models import L5212_13_HELP, AgentProfile
from bpp.requests import deadlines
from bpp.requests.models import POSTPONEMENT_REASON_MIN_LENGTH, Mode, Origin
from bpp.templatetags import french
from bpp.validators import validate_plausible_date

YES_NO = [("oui", "Oui"), ("non", "Non")]


class RequestForm(DsfrForm):
    origin = forms.ChoiceField(
        label="Qu’est-ce qui vous amène à demander ce bilan ?",
        choices=Origin.agent_choices(),
        initial=Origin.OWN_INITIATIVE,
        required=False,  # unanswered: the agent's own initiative
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez ce qui vous amène à ce bilan dans la liste."},
    )
    needs = forms.CharField(
        label="Vos besoins et vos attentes",
        help_text="Ce que vous attendez du bilan : faire le point, préparer une évolution, "
        "changer de métier…",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Décrivez vos besoins et vos attentes : c’est obligatoire."},
    )
    has_defined_project = forms.TypedChoiceField(
        label="Avez-vous déjà un projet professionnel défini ?",
        choices=YES_NO,
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si vous avez déjà un projet défini."},
    )
    preferred_mode = forms.ChoiceField(
        label="Modalité souhaitée",
        choices=Mode.preference_choices(),
        initial=Mode.ANY,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une modalité de la liste."},
    )
    availability_constraints = forms.CharField(
        label="Contraintes de disponibilité (facultatif)",
        help_text="Temps partiel, périodes de forte activité, congés prévus…",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    wants_disability_officer = forms.BooleanField(
        label="Je souhaite que le référent handicap de mon employeur soit associé à mon bilan",
        help_text=L5212_13_HELP
        + " Le référent est informé de votre bilan une fois la demande acceptée ; vous pourrez "
        "changer d’avis à tout moment depuis la page de votre demande.",
        required=False,
    )

    def __init__(self, *args, agent: AgentProfile, proposal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not agent.covered_by_l5212_13:
            del self.fields["wants_disability_officer"]
        if proposal:  # the employer's proposal brings it
            del self.fields["origin"]
        self.helper = layout_helper(
            Fieldset(
                "Vos besoins",
                *(["origin"] if "origin" in self.fields else []),
                "needs",
                "has_defined_project",
            ),
            Fieldset("Modalités", "preferred_mode", "availability_constraints"),
            *(
                [Fieldset("Accessibilité", "wants_disability_officer")]
                if "wants_disability_officer" in self.fields
                else []
            ),
        )


class DisabilityOfficerForm(DsfrForm):
    """The agent associates the référent handicap to their review, or no longer does."""

    associate = forms.TypedChoiceField(
        label="Associer le référent handicap à mon bilan",
        choices=YES_NO,
        coerce=lambda value: value == "oui",
        error_messages={"required": "Indiquez si vous souhaitez associer le référent handicap."},
    )


class ProposalForm(DsfrForm):
    message = forms.CharField(
        label="Votre message à l’agent",
        help_text="Pourquoi vous lui proposez un bilan de parcours professionnel.",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Écrivez un message à l’agent pour lui présenter le bilan."},
    )


class DecisionForm(DsfrForm):
    APPROVE, REFUSE, POSTPONE = "accepter", "refuser", "reporter"

    decision = forms.ChoiceField(
        label="Votre décision",
        choices=[
            (APPROVE, "Accepter la demande"),
            (REFUSE, "Refuser la demande (motif obligatoire)"),
            (
                POSTPONE,
                "Reporter, à titre exceptionnel, pour la continuité du service "
                "(accord préalable du service RH)",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez une décision.",
            "invalid_choice": "Cette décision n’existe pas : acceptez, refusez ou reportez.",
        },
    )
    reason = forms.CharField(
        label="Motif",
        help_text="Obligatoire pour un refus ou un report ; il sera communiqué à l’agent. "
        "Un report ne peut tenir qu’à la continuité du service : expliquez en quoi "
        f"({POSTPONEMENT_REASON_MIN_LENGTH} caractères au moins).",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    postponement_start = forms.DateField(
        label="Report : début de la période proposée",
        required=False,
        validators=[validate_plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    postponement_end = forms.DateField(
        label="Report : fin de la période proposée",
        help_text="Au lendemain de cette date, la demande est acceptée et rejoint la file "
        "d’attente, au rang du jour du report.",
        required=False,
        validators=[validate_plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = layout_helper(
            Fieldset("Décision", "decision", "reason"),
            Fieldset("En cas de report", "postponement_start", "postponement_end"),
        )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in (self.REFUSE, self.POSTPONE) and not data.get("reason", "").strip():
            self.add_error(
                "reason",
                "Le motif du refus est obligatoire."
                if decision == self.REFUSE
                else "Le motif du report est obligatoire : il doit tenir à la continuité du service.",
            )
        if decision == self.POSTPONE:
            reason = data.get("reason", "").strip()
            if reason and len(reason) < POSTPONEMENT_REASON_MIN_LENGTH:
                self.add_error(
                    "reason",
                    "Expliquez en quoi la continuité du service impose ce report "
                    f"({POSTPONEMENT_REASON_MIN_LENGTH} caractères au moins).",
                )
            start, end = data.get("postponement_start"), data.get("postponement_end")
            if start is None:
                self.add_error("postponement_start", "Indiquez le début de la période proposée.")
            elif start <= self.today:
                self.add_error(
                    "postponement_start", "La période proposée doit commencer après aujourd’hui."
                )
            if end is None:
                self.add_error("postponement_end", "Indiquez la fin de la période proposée.")
            elif start and end < start:
                self.add_error("postponement_end", "La fin de la période doit suivre son début.")
            elif end > (latest := deadlines.latest_postponement_end(self.today)):
                self.add_error(
                    "postponement_end",
                    f"Un report est exceptionnel : il doit finir au plus tard le {french.day(latest)}.",
                )
        return data


class PostponementAnswerForm(DsfrForm):
    agree = forms.TypedChoiceField(
        label="Le service RH donne-t-il son accord au report ?",
        choices=[
            ("oui", "Oui, le report est accordé"),
            ("non", "Non, la demande revient au manager"),
        ],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Indiquez si vous donnez votre accord.",
            "invalid_choice": "Répondez par oui ou par non.",
        },
    )
    reason = forms.CharField(
        label="Motif",
        help_text="Obligatoire si vous refusez le report.",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("agree") is False and not data.get("reason", "").strip():
            self.add_error("reason", "Dites au manager pourquoi vous refusez ce report.")
        return data


class OptionalReasonForm(DsfrForm):
    reason = forms.CharField(
        label="Motif (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
