"""The forms of the offer: a cohort with its four phases, a withdrawal, an override,
sessions and interviews, attendance."""

import datetime

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.db.models import Q
from django.utils import timezone

from bpp.forms import DsfrForm, DsfrModelForm, WellFormedModelMultipleChoiceField, layout_helper
from bpp.people.models import Organisation, Provider, ProviderContract, Role, User
from bpp.requests import deadlines
from bpp.requests.models import Mode, ReviewRequest
from bpp.templatetags import french
from bpp.validators import validate_departement, validate_plausible_date
from cohorts.models import (
    AGREEMENT,
    ANSWER_MAX_LENGTH,
    CODE_LENGTH,
    GROUP_KINDS,
    STATEMENTS,
    Attendance,
    Cohort,
    CohortPhase,
    Enrolment,
    Evaluation,
    ExerciseAnswer,
    Formula,
    Phase,
    ProgrammeItem,
    Session,
    SessionKind,
    clock_time,
    normalise_code,
    phase_refusal,
    phases_in_order,
)
from cohorts.permissions import eligible_leaders
from cohorts.queue import REASON_MIN_LENGTH, rank_explanation
from cohorts.working_time import working_time_refusal


class CohortForm(DsfrModelForm):
    """A cohort and the planned dates of its four phases, which must follow each other."""

    class Meta(DsfrModelForm.Meta):
        model = Cohort
        fields = [
            "organisation",
            "title",
            "formula",
            "individual_reason",
            "capacity",
            "mode",
            "place",
            "town",
            "departement",
            "leaders",
            "provider",
            "provider_contract",
            "provider_reason",
            "published",
        ]
        widgets = {
            "individual_reason": forms.Textarea(attrs={"rows": 2}),
            "provider_reason": forms.Textarea(attrs={"rows": 2}),
            "leaders": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "capacity": "De 6 à 12 places pour une promotion collective ; 1 pour la formule individuelle.",
            "place": "Adresse et salle, ou « à distance » avec l’outil de visioconférence.",
            "town": "Les agents de son département se voient proposer une promotion sur site ou hybride.",
            "provider_contract": "Le marché passé avec ce prestataire.",
            "provider_reason": "Le recours à un prestataire est l’exception : dites pourquoi aucun conseiller ni autre professionnel interne ne peut animer cette promotion.",
            "leaders": "Conseillers mobilité-carrière de l’employeur, ou consultants du prestataire, dont la formation est enregistrée.",
        }

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        )
        # Who may lead: the CMCs of these employers, the consultants of the providers under
        # contract with them; the pair chosen is checked in clean() (cohorts.permissions).
        today = deadlines.legal_today()
        contracted = Provider.objects.contracted_by(organisations, on=today)
        self.fields["provider"].queryset = contracted
        self.fields["provider_contract"].queryset = ProviderContract.objects.filter(
            organisation__in=organisations
        ).select_related("provider")
        self.fields["leaders"].queryset = (
            User.objects.filter(is_active=True, trainings__isnull=False)
            .filter(
                Q(role_assignments__role=Role.CMC, role_assignments__organisation__in=organisations)
                | Q(role_assignments__role=Role.PROVIDER, role_assignments__provider__in=contracted)
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        if self.instance.pk and self.instance.concluded_at is not None:
            self.fields["leaders"].disabled = True
            self.fields["leaders"].help_text = "La promotion est terminée : ses animateurs restent."
        existing = {p.number: p for p in self.instance.phases.all()} if self.instance.pk else {}
        for phase in Phase:
            for edge, label in (("starts_on", "début"), ("ends_on", "fin")):
                name = f"phase{phase.value}_{edge}"
                self.fields[name] = forms.DateField(
                    label=f"Phase {phase.value} — {phase.label} : {label}",
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    initial=getattr(existing.get(phase.value), edge, None),
                    validators=[validate_plausible_date],
                    error_messages={
                        "required": "Indiquez cette date.",
                        "invalid": "Date invalide.",
                    },
                )
        self.helper = layout_helper(
            Fieldset(
                "La promotion",
                "organisation",
                "title",
                "formula",
                "individual_reason",
                "capacity",
            ),
            Fieldset(
                "Lieu et animation",
                "mode",
                "place",
                Row(Column("town"), Column("departement")),
                "leaders",
            ),
            Fieldset(
                "Prestataire (seulement si aucun professionnel interne n’est disponible)",
                "provider",
                "provider_contract",
                "provider_reason",
            ),
            Fieldset(
                "Calendrier des quatre phases",
                *(
                    Row(Column(f"phase{n}_starts_on"), Column(f"phase{n}_ends_on"))
                    for n in Phase.values
                ),
            ),
            Fieldset("Publication", "published"),
        )

    def phase_dates(self) -> list[tuple[datetime.date, datetime.date]]:
        return [
            (self.cleaned_data[f"phase{n}_starts_on"], self.cleaned_data[f"phase{n}_ends_on"])
            for n in Phase.values
        ]

    def clean(self):
        # The 6-to-12 places and the motivated individual formula are the model's check
        # constraints, validated with their own messages by ModelForm.validate_constraints().
        data = super().clean()
        formula, capacity = data.get("formula"), data.get("capacity")
        if formula == Formula.INDIVIDUAL:
            data["capacity"] = 1
        elif self.instance.pk and capacity is not None and capacity < self.instance.seats_taken:
            self.add_error(
                "capacity",
                f"{self.instance.seats_taken} agents sont déjà inscrits : "
                "la capacité ne peut pas descendre en dessous.",
            )
        provider, contract = data.get("provider"), data.get("provider_contract")
        if provider is None:
            data["provider_contract"], data["provider_reason"] = None, ""
        elif contract is not None and (
            contract.provider_id != provider.pk
            or contract.organisation_id != getattr(data.get("organisation"), "pk", None)
        ):
            self.add_error(
                "provider_contract", "Choisissez un marché de l’employeur avec ce prestataire."
            )
        leaders, organisation = data.get("leaders"), data.get("organisation")
        if not leaders:
            self.add_error("leaders", "Choisissez au moins un animateur.")
        elif organisation is not None and "leaders" in self.changed_data:
            eligible = set(
                eligible_leaders(organisation, data.get("provider"))
                .filter(pk__in=[u.pk for u in leaders])
                .values_list("pk", flat=True)
            )
            refused = [u for u in leaders if u.pk not in eligible]
            if refused:
                self.add_error(
                    "leaders",
                    "Ne peut animer cette promotion : "
                    + ", ".join(u.get_full_name() for u in refused)
                    + ". Pour une promotion interne, ses conseillers mobilité-carrière ; pour un "
                    "prestataire, ses consultants.",
                )
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


class SignContractForm(DsfrForm):
    agree = forms.BooleanField(
        label="J’ai lu ce contrat et je m’engage à le respecter",
        error_messages={"required": "Cochez la case pour signer le contrat."},
    )


class ConfidentialityForm(DsfrModelForm):
    class Meta(DsfrModelForm.Meta):
        model = Cohort
        fields = ["confidentiality_rules"]
        widgets = {"confidentiality_rules": forms.Textarea(attrs={"rows": 4})}
        labels = {"confidentiality_rules": "Ce que le groupe tient pour confidentiel"}
        help_texts = {
            "confidentiality_rules": "Établie avec le groupe pendant le lancement ; chaque agent la lit avant de signer son contrat."
        }


class SessionForm(DsfrModelForm):
    class Meta(DsfrModelForm.Meta):
        model = Session
        fields = [
            "phase",
            "kind",
            "title",
            "starts_at",
            "duration_minutes",
            "place",
            "video_link",
            "participants",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "participants": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "starts_at": "Heure de Paris.",
            "participants": "Tous les agents pour une séance collective ; un seul pour un entretien.",
        }

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = cohort.enrolments.current().select_related(
            "agent__user"
        )
        self.fields["starts_at"].validators.append(validate_plausible_date)
        self.fields["participants"].label_from_instance = lambda e: str(e.agent)
        self.fields["participants"].error_messages["required"] = (
            "Choisissez au moins un participant."
        )
        about = ["kind", "phase", "title"]
        if self.instance.pk is None:
            # A session of the current phase where the cohort meets, for everyone: a
            # collective session, the information webinar or the restitution to the group.
            # Individual interviews have their own form, one per agent, nobody ticked.
            self.fields["kind"].choices = [(k.value, k.label) for k in GROUP_KINDS]
            self.fields["kind"].required = False  # a collective session unless said otherwise
            self.initial.setdefault("kind", SessionKind.COLLECTIVE)
            self.fields["participants"].help_text = "Tous les agents de la promotion, a priori."
            self.initial.setdefault("phase", cohort.current_phase or Phase.LAUNCH)
            self.initial.setdefault("place", cohort.place)
            self.initial.setdefault("participants", list(self.fields["participants"].queryset))
        self.helper = layout_helper(
            Fieldset("La séance", *about),
            Fieldset(
                "Date et lieu",
                Row(Column("starts_at"), Column("duration_minutes")),
                "place",
                "video_link",
            ),
            "participants",
        )

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not data.get("kind") and "kind" not in self.errors:
            data["kind"] = self.instance.kind = SessionKind.COLLECTIVE
        kind, phase = data.get("kind"), data.get("phase")
        refusal = phase_refusal(kind, phase)
        if refusal:
            self.add_error("phase", refusal)
        if kind and kind not in GROUP_KINDS and len(data.get("participants") or []) != 1:
            self.add_error("participants", "Un entretien individuel réunit un seul agent.")
        if kind == SessionKind.WEBINAR and not data.get("video_link"):
            self.add_error("video_link", "Un webinaire se suit à distance : indiquez son lien.")
        if not data.get("place") and not data.get("video_link"):
            self.add_error("place", "Indiquez un lieu ou un lien de visioconférence.")
        duration, starts_at = data.get("duration_minutes"), data.get("starts_at")
        if duration is not None and not 15 <= duration <= 480:
            self.add_error("duration_minutes", "Une séance dure de 15 minutes à 8 heures.")
        elif duration is not None and starts_at is not None:
            refusal = working_time_refusal(starts_at, duration)
            if refusal:
                self.add_error("starts_at", refusal)
        return data


class InterviewSeriesForm(DsfrForm):
    """A series of individual interviews, one per agent ticked (none is, at first), one
    after the other from the first start, each on working time."""

    kind = forms.ChoiceField(
        label="Type d’entretien",
        # The support interview is scheduled from the agent's request (SupportRequest).
        choices=[
            (k.value, k.label)
            for k in SessionKind
            if k not in GROUP_KINDS and k != SessionKind.SUPPORT_INTERVIEW
        ],
        initial=SessionKind.INTERVIEW,
    )
    phase = forms.TypedChoiceField(label="Phase", choices=Phase.choices, coerce=int)
    title = forms.CharField(label="Intitulé", max_length=200, initial="Entretien individuel")
    starts_at = forms.DateTimeField(
        label="Début du premier entretien",
        help_text="Heure de Paris ; les suivants s’enchaînent.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_plausible_date],
    )
    duration_minutes = forms.IntegerField(
        label="Durée de chaque entretien (minutes)", initial=60, min_value=15, max_value=480
    )
    break_minutes = forms.IntegerField(
        label="Pause entre deux entretiens (minutes)", initial=15, min_value=0, max_value=240
    )
    place = forms.CharField(label="Lieu", max_length=300, required=False)
    video_link = forms.URLField(label="Lien de visioconférence", required=False)
    participants = WellFormedModelMultipleChoiceField(
        label="Agents reçus en entretien",
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Un entretien par agent coché, dans cet ordre ; chacun est convoqué au sien.",
        error_messages={"required": "Cochez au moins un agent."},
    )

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (
            cohort.enrolments.current()
            .select_related("agent__user")
            .order_by("agent__user__last_name", "agent__user__first_name", "pk")
        )
        self.fields["participants"].label_from_instance = lambda e: str(e.agent)
        self.initial.setdefault("phase", cohort.current_phase or Phase.LAUNCH)
        self.initial.setdefault("place", cohort.place)
        self.helper = layout_helper(
            Fieldset("Les entretiens", "kind", "phase", "title"),
            Fieldset(
                "Date et lieu",
                "starts_at",
                Row(Column("duration_minutes"), Column("break_minutes")),
                "place",
                "video_link",
            ),
            "participants",
        )

    def clean(self):
        data = super().clean()
        kind, phase = data.get("kind"), data.get("phase")
        refusal = phase_refusal(kind, phase)
        if refusal:
            self.add_error("phase", refusal)
        if not data.get("place") and not data.get("video_link"):
            self.add_error("place", "Indiquez un lieu ou un lien de visioconférence.")
        if not self.errors:
            for enrolment, starts_at in self.slots():
                refusal = working_time_refusal(starts_at, data["duration_minutes"])
                if refusal:
                    self.add_error(
                        "starts_at",
                        f"L’entretien {french.elide('de', enrolment.agent)}, "
                        f"le {french.jour(timezone.localtime(starts_at), 'j F')} "
                        f"à {clock_time(starts_at)} : {refusal}",
                    )
                    break
        return data

    def slots(self) -> list[tuple[Enrolment, datetime.datetime]]:
        """Each agent ticked with the start of their interview, in the list's order."""
        data = self.cleaned_data
        step = datetime.timedelta(minutes=data["duration_minutes"] + data["break_minutes"])
        ticked = {e.pk for e in data["participants"]}
        agents = [e for e in self.fields["participants"].queryset if e.pk in ticked]
        return [(e, data["starts_at"] + n * step) for n, e in enumerate(agents)]

    def session_fields(self) -> dict:
        """What every interview of the series shares."""
        return {
            name: self.cleaned_data[name]
            for name in ("kind", "phase", "title", "duration_minutes", "place", "video_link")
        }


class AttendanceForm(DsfrForm):
    """The attendance grid: one presence choice per participant, none required (an agent
    not chosen yet is left as is, or marked present by « Tous présents »)."""

    ALL_PRESENT = "tous_presents"

    def __init__(self, *args, session: Session, attendances: dict[int, Attendance], **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(
            session.participants.select_related("agent__user").order_by(
                "agent__user__last_name", "agent__user__first_name", "pk"
            )
        )
        self.attendances = attendances
        for enrolment in self.participants:
            recorded = attendances.get(enrolment.pk)
            self.fields[f"presence_{enrolment.pk}"] = forms.ChoiceField(
                label=str(enrolment.agent),
                choices=Attendance.Status.choices,
                initial=recorded.status if recorded else None,
                required=False,
                widget=forms.RadioSelect,
            )

    def rows(self) -> list[tuple[Enrolment, forms.BoundField, Attendance | None]]:
        return [
            (e, self[f"presence_{e.pk}"], self.attendances.get(e.pk)) for e in self.participants
        ]

    def statuses(self, *, all_present: bool) -> dict[int, str]:
        """The statuses chosen; with `all_present`, present for every participant left."""
        chosen = {e.pk: self.cleaned_data[f"presence_{e.pk}"] for e in self.participants}
        if all_present:
            return {pk: status or Attendance.Status.PRESENT for pk, status in chosen.items()}
        return {pk: status for pk, status in chosen.items() if status}


class SignPresenceForm(DsfrForm):
    """The code the leader shows, typed by the agent (or read from the QR code)."""

    code = forms.CharField(
        label="Code de la séance",
        help_text=f"{CODE_LENGTH} caractères, affichés par l’animateur ; ils changent toutes "
        "les 30 secondes.",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": "Saisissez le code affiché par l’animateur."},
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or not code.isalnum() or not code.isascii():
            raise forms.ValidationError(
                f"Le code compte {CODE_LENGTH} caractères, lettres et chiffres, "
                "comme affiché par l’animateur."
            )
        return code


class EvaluationForm(DsfrModelForm):
    # Declared here, not replaced in __init__: DsfrModelForm binds its fields on creation.
    overall_score = forms.TypedChoiceField(
        label="Quelle note donnez-vous à votre bilan de parcours, de 0 à 10 ?",
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={
            "required": "Donnez une note de 0 à 10.",
            "invalid_choice": "La note va de 0 à 10.",
        },
    )

    class Meta(DsfrModelForm.Meta):
        model = Evaluation
        fields = ["overall_score", *STATEMENTS, "comment"]
        widgets = {name: forms.RadioSelect(attrs={"inline": True}) for name in STATEMENTS} | {
            "comment": forms.Textarea(attrs={"rows": 4})
        }
        labels = STATEMENTS | {
            "comment": "Vos remarques et vos propositions d’amélioration (facultatif)"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in STATEMENTS:
            self.fields[name].required = True
            self.fields[name].choices = AGREEMENT
            self.fields[name].error_messages["required"] = "Répondez à cette question."


class PlacementForm(DsfrForm):
    """The agents a CMC places in one cohort, and why when the choice departs from the queue.

    Step "choisir" shows the waiting agents the cohort suits (and any already chosen);
    step "confirmer" lists the choice with what it would skip (cohorts.queue.departures).
    """

    demandes = forms.ModelMultipleChoiceField(
        label="Agents à inscrire",
        queryset=ReviewRequest.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un agent à inscrire.",
            "invalid_choice": "Un des agents choisis n’attend plus de place : choisissez à nouveau.",
            "invalid_pk_value": "Un des agents choisis n’attend plus de place : choisissez à nouveau.",
        },
    )
    motif = forms.CharField(
        label="Motif de la dérogation",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Obligatoire quand le choix déroge à l’ordre de la file ({REASON_MIN_LENGTH} caractères au moins) ; il figure dans l’historique de la file.",
    )

    def __init__(self, *args, cohort: Cohort, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        field = self.fields["demandes"]
        field.queryset = waiting
        field.label_from_instance = lambda r: f"{r.agent} — {rank_explanation(r)}"

    def clean_demandes(self):
        chosen = self.cleaned_data["demandes"]
        if len(chosen) > self.cohort.free_seats:
            raise forms.ValidationError(
                f"Il reste {self.cohort.free_seats} place{'s' if self.cohort.free_seats > 1 else ''}"
                " dans cette promotion : choisissez moins d’agents."
            )
        return list(chosen)


class QueueFilterForm(DsfrForm):
    """The filters of the waiting queue; an unknown value is ignored, never an error page."""

    prioritaires = forms.BooleanField(label="Publics prioritaires seulement", required=False)
    modalite = forms.ChoiceField(
        label="Modalité souhaitée",
        required=False,
        choices=[("", "Toutes"), *Mode.preference_choices()],
    )
    departement = forms.CharField(
        label="Département du lieu de travail",
        required=False,
        max_length=3,
        validators=[validate_departement],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "priority_only": data["prioritaires"],
            "mode": data["modalite"],
            "departement": data["departement"],
        }


# The programme and the workbook -------------------------------------------------------


class ProgrammeItemForm(DsfrModelForm):
    """A message or an exercise of an employer's or a cohort's programme. The view gives
    the synthesis sections an exercise may feed (a higher layer's)."""

    class Meta(DsfrModelForm.Meta):
        model = ProgrammeItem
        fields = ["phase", "anchor", "offset_days", "kind", "title", "body", "essential", "section"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "essential": "Un message indispensable (une information pratique) parvient à "
            "tous les agents ; les autres peuvent être désactivés par l’agent.",
        }

    def __init__(self, *args, section_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"] = forms.ChoiceField(
            label="Section de la synthèse qu’il alimente (exercice)",
            choices=[("", "Aucune"), *section_choices],
            required=False,
        )


class AnswerForm(DsfrModelForm):
    class Meta(DsfrModelForm.Meta):
        model = ExerciseAnswer
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 10})}
        labels = {"text": "Votre réponse"}
        help_texts = {
            "text": f"{ANSWER_MAX_LENGTH:,} caractères au plus. Elle reste à vous.".replace(
                ",", "\u202f"
            )
        }


class ShowAnswerForm(DsfrForm):
    show = forms.BooleanField(required=False)


class ProgrammeMessagesForm(DsfrModelForm):
    class Meta(DsfrModelForm.Meta):
        model = Enrolment
        fields = ["programme_messages"]
        labels = {"programme_messages": "Recevoir les messages du programme par courriel"}
        help_texts = {
            "programme_messages": "Les convocations et les messages indispensables vous "
            "parviennent toujours."
        }


class ConfirmForm(DsfrForm):
    confirm = forms.BooleanField(
        label="Je confirme.",
        error_messages={"required": "Cochez la case pour confirmer."},
    )
