"""The forms of the synthesis: its sections and action plan, comments, sharing, signature."""

from crispy_forms.layout import HTML, Fieldset
from django import forms
from django.utils.html import format_html

from bpp.forms import DsfrForm, WellFormedModelChoiceField, layout_helper
from bpp.people.models import Organisation, Role, User
from bpp.validators import validate_plausible_date
from synthesis.models import ActionStatus, Audience, FollowUp, Orientation, ProviderCopy, Scheme
from synthesis.models.sharing import MESSAGE_MAX_LENGTH
from synthesis.models.support import MESSAGE_MAX_LENGTH as SUPPORT_MESSAGE_MAX_LENGTH
from synthesis.sections import (
    COMMENTABLE,
    MAX_ACTIONS,
    MAX_STEPS,
    PARTS,
    PERSONAL_SITUATION,
    TEXT_SECTIONS,
    Part,
)

MAX_TEXT = 20_000


def _text(label: str, help_text: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class SynthesisForm(DsfrForm):
    """Every free-text section of Annexe 2, 2.5 (if the user may read it) and 3.1.3.

    `based_on` is the version the user started from: the save is refused if another
    one was saved since (see Synthesis.save_version). `draft_revision` is the revision of
    the user's draft the page last saved, for the autosave (see Synthesis.save_draft).
    """

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    draft_revision = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )
    schemes = forms.MultipleChoiceField(
        label="Outils méthodologiques et dispositifs utilisés",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schemes_other = forms.CharField(
        label="Autres outils ou dispositifs",
        required=False,
        max_length=500,
        help_text="Séparez-les par des virgules.",
    )
    orientation = forms.ChoiceField(
        label="4.2. Orientation retenue",
        help_text="La suite que vous donnez au bilan. Votre employeur n’en connaît que le "
        "décompte, par groupes d’au moins 5 agents.",
        choices=Orientation.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez une orientation de la liste."},
    )

    def __init__(self, *args, organisation: Organisation, with_personal_situation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for section in TEXT_SECTIONS:
            self.fields[section.key] = _text(f"{section.number}. {section.title}", section.hint)
        if with_personal_situation:
            self.fields[PERSONAL_SITUATION.key] = _text(
                f"2.5. {PERSONAL_SITUATION.title}", PERSONAL_SITUATION.hint
            )
        offered = list(Scheme.objects.offered_to(organisation).values_list("name", flat=True))
        # A scheme no longer offered stays selectable where a synthesis already cites it.
        kept = [name for name in self.initial.get("schemes", []) if name not in offered]
        self.fields["schemes"].choices = [(name, name) for name in offered + kept]
        self.helper = layout_helper(
            "based_on", "draft_revision", *(self._part_fieldset(part) for part in PARTS)
        )
        # The page's summary lists the action plan's errors too.
        self.helper.form_show_errors = False

    def _part_fieldset(self, part: Part) -> Fieldset:
        """One part of the model, its groups and sections in order; 3.1 is the action plan."""
        rows = []
        for group in part.groups:
            if group.title:
                rows.append(
                    HTML(format_html('<h3 class="fr-h5">{}. {}</h3>', group.number, group.title))
                )
            rows += [section.key for section in group.sections]
        if part.number == 2 and PERSONAL_SITUATION.key in self.fields:
            rows.append(PERSONAL_SITUATION.key)
        if part.number == 3:
            # The page's action formset, between 3.1 and the schemes (3.1.3).
            rows += [
                HTML('{% include "synthesis/_action_plan.html" %}'),
                "schemes",
                "schemes_other",
            ]
        if part.number == 4:
            rows.append("orientation")
        legend = format_html('<h2 class="fr-h4 fr-mb-0">{}. {}</h2>', part.number, part.title)
        return Fieldset(legend, *rows, css_class="bpp-part")


class ActionForm(DsfrForm):
    """One action of the plan (3.1.1) and its steps, in order (3.1.2)."""

    title = forms.CharField(label="Intitulé de l’action", required=False, max_length=300)
    duration = forms.CharField(
        label="Durée", required=False, max_length=100, help_text="Par exemple : 3 mois."
    )
    due_on = forms.DateField(
        label="Date de réalisation",
        required=False,
        validators=[validate_plausible_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    steps = forms.CharField(
        label="Étapes",
        required=False,
        max_length=MAX_TEXT,
        help_text="Une étape par ligne, dans l’ordre.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_steps(self) -> list[str]:
        steps = [line.strip() for line in self.cleaned_data["steps"].splitlines() if line.strip()]
        if len(steps) > MAX_STEPS:
            raise forms.ValidationError(f"Au plus {MAX_STEPS} étapes par action.")
        return steps

    def clean(self):
        data = super().clean()
        filled = data.get("duration") or data.get("due_on") or data.get("steps")
        if filled and not data.get("title"):
            self.add_error(
                "title", "Donnez un intitulé à cette action, ou videz ses autres champs."
            )
        return data

    def as_action(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return {
            "title": data["title"],
            "duration": data["duration"],
            "due_on": data["due_on"].isoformat() if data["due_on"] else "",
            "steps": data["steps"],
        }


ActionFormSet = forms.formset_factory(
    ActionForm, extra=1, max_num=MAX_ACTIONS, validate_max=True, absolute_max=MAX_ACTIONS
)


def forms_for(
    content: dict,
    personal_situation: str,
    based_on: int,
    *,
    draft_revision: int = 0,
    data=None,
    **kwargs,
):
    """The section form and the action formset, prefilled with `content`."""
    initial = {
        "draft_revision": draft_revision,
        **content.get("sections", {}),
        PERSONAL_SITUATION.key: personal_situation,
        "schemes": content.get("schemes", []),
        "schemes_other": content.get("schemes_other", ""),
        "orientation": content.get("orientation", ""),
        "based_on": based_on,
    }
    actions = [
        {**action, "steps": "\n".join(action.get("steps", []))}
        for action in content.get("actions", [])
    ]
    return (
        SynthesisForm(data, initial=initial, **kwargs),
        ActionFormSet(data, initial=actions, prefix="actions"),
    )


def content_of(form: SynthesisForm, formset) -> dict:
    """The content dict of a valid form and formset (see SynthesisVersion.content)."""
    data = form.cleaned_data
    return {
        "sections": {s.key: data[s.key] for s in TEXT_SECTIONS if data[s.key]},
        "actions": [a for a in (f.as_action() for f in formset.forms) if a],
        "schemes": data["schemes"],
        "schemes_other": data["schemes_other"],
        **({"orientation": data["orientation"]} if data["orientation"] else {}),
    }


class CommentForm(DsfrForm):
    section = forms.ChoiceField(label="Section", choices=list(COMMENTABLE.items()))
    text = forms.CharField(
        label="Commentaire", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SharingForm(DsfrForm):
    audience = forms.ChoiceField(choices=Audience.choices)
    action = forms.ChoiceField(choices=[("grant", "Partager"), ("revoke", "Retirer")])


class ShareRequestForm(DsfrForm):
    """The manager or HR asks the agent to share the synthesis, with a few words maybe."""

    audience = forms.ChoiceField(
        label="Vous demandez en tant que",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez à quel titre vous demandez."},
    )
    message = forms.CharField(
        label="Message à l’agent (facultatif)",
        help_text=f"Pourquoi vous aimeriez le lire, en quelques mots ({MESSAGE_MAX_LENGTH} "
        "caractères au plus). Il ne doit rien contenir de personnel.",
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, audiences: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["audience"]
        labels = {Audience.MANAGER: "Supérieur hiérarchique de l’agent", Audience.HR: "Service RH"}
        field.choices = [(a, labels[a]) for a in audiences]
        if len(audiences) == 1:
            field.initial = audiences[0]
            field.widget = forms.HiddenInput()


class ShareAnswerForm(DsfrForm):
    """The agent's answer to a share request."""

    accepted = forms.TypedChoiceField(
        coerce=lambda value: value == "oui", choices=[("oui", "Accepter"), ("non", "Décliner")]
    )


class LeaderAnswerForm(DsfrForm):
    """The agent's answer to a leader who joined the cohort after the synthesis was opened."""

    leader = forms.ModelChoiceField(queryset=User.objects.none())
    accepted = forms.TypedChoiceField(
        coerce=lambda value: value == "oui", choices=[("oui", "Accepter"), ("non", "Refuser")]
    )

    def __init__(self, *args, leaders: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(pk__in=[u.pk for u in leaders])


class SignForm(DsfrForm):
    confirm = forms.BooleanField(
        label="Je certifie avoir relu cette version et la signe.",
        error_messages={"required": "Cochez la case pour signer."},
    )


class DestroyForm(DsfrForm):
    confirm = forms.BooleanField(
        label="Je demande la destruction définitive de mon document de synthèse.",
        error_messages={"required": "Cochez la case pour confirmer la destruction."},
    )


class DiscardDraftForm(DsfrForm):
    confirm = forms.BooleanField(
        label="J’abandonne mon brouillon : ce que j’y ai écrit depuis la dernière version "
        "sera perdu.",
        error_messages={"required": "Cochez la case pour abandonner le brouillon."},
    )


class DestructionAttestationForm(DsfrForm):
    """A provider's consultant attests the destruction of the copies of one cohort."""

    copy = WellFormedModelChoiceField(
        label="Promotion",
        queryset=ProviderCopy.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choisissez la promotion.",
            "invalid_choice": "Choisissez la promotion.",
        },
    )
    confirm = forms.BooleanField(
        label="J’atteste avoir détruit toutes les copies des documents de synthèse de cette "
        "promotion que j’ai téléchargées (PDF, archives ZIP, impressions et copies "
        "transmises), sur tous les supports où elles se trouvaient.",
        error_messages={"required": "Cochez la case pour attester la destruction."},
    )
    name = forms.CharField(
        label="Vos nom et prénom",
        max_length=150,
        help_text="Ils signent l’attestation, enregistrée avec sa date.",
        error_messages={"required": "Indiquez vos nom et prénom pour signer l’attestation."},
    )

    def __init__(self, *args, copies, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["copy"]
        field.queryset = copies
        field.label_from_instance = lambda copy: (
            f"{copy.cohort.title} ({copy.cohort.organisation}) — {copy.downloads} "
            f"document{'s' if copy.downloads > 1 else ''} téléchargé{'s' if copy.downloads > 1 else ''}"
        )


class TransmissionForm(DsfrForm):
    """The agent of a provider-led cohort chooses whether an internal CMC receives it."""

    transmit = forms.TypedChoiceField(
        label="Transmettre mon document de synthèse",
        coerce=lambda value: value == "oui",
        choices=[
            ("oui", "Oui, à un conseiller mobilité-carrière de mon administration"),
            ("non", "Non, ne le transmettre à personne"),
        ],
        widget=forms.RadioSelect,
    )
    counsellor = forms.ModelChoiceField(
        label="Conseiller destinataire",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choisissez un conseiller",
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counsellor"].queryset = User.objects.filter(
            is_active=True,
            role_assignments__role=Role.CMC,
            role_assignments__organisation=organisation,
        ).order_by("last_name", "first_name")
        self.fields["counsellor"].label_from_instance = lambda user: user.get_full_name()

    def clean(self):
        data = super().clean()
        if data.get("transmit") and not data.get("counsellor"):
            self.add_error("counsellor", "Choisissez le conseiller qui recevra votre synthèse.")
        if data.get("transmit") is False:
            data["counsellor"] = None
        return data


YES_NO = [("oui", "Oui"), ("non", "Non")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda answer: answer == "oui",
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": "Répondez par oui ou par non."},
    )


class FollowUpForm(DsfrForm):
    """The agent's check-in: each action of their plan (done, in progress, dropped, and
    when), two outcomes HR counts, and whether the leader may read the answers."""

    training_started = _yes_no(
        "Depuis la fin de votre bilan, avez-vous commencé une formation (y compris une "
        "préparation aux concours, une VAE ou un bilan de compétences) ?"
    )
    mobility_achieved = _yes_no(
        "Depuis la fin de votre bilan, avez-vous changé de poste, de service, d’employeur ou "
        "de métier ?"
    )
    shared_with_leader = forms.BooleanField(
        label="L’animateur de mon bilan peut lire mes réponses.",
        help_text="Sans cette case, vos réponses restent les vôtres : seuls des totaux, à "
        "partir de cinq réponses, sont donnés au service RH.",
        required=False,
    )

    def __init__(self, *args, follow_up: FollowUp, **kwargs):
        super().__init__(*args, **kwargs)
        self.follow_up = follow_up
        fieldsets = []
        for index, action in enumerate(follow_up.actions):
            self.fields[f"status_{index}"] = forms.ChoiceField(
                label="Où en est cette action ?",
                choices=ActionStatus.choices,
                widget=forms.RadioSelect(attrs={"inline": True}),
                error_messages={"required": "Dites où en est cette action."},
            )
            self.fields[f"on_{index}"] = forms.DateField(
                label="Depuis le",
                help_text="Le jour où elle a été réalisée, commencée ou abandonnée.",
                validators=[validate_plausible_date],
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"required": "Indiquez une date."},
            )
            legend = format_html("Action {} : {}", index + 1, action["title"])
            fieldsets.append(Fieldset(legend, f"status_{index}", f"on_{index}"))
        self.helper = layout_helper(
            *fieldsets,
            Fieldset("Depuis la fin de votre bilan", "training_started", "mobility_achieved"),
            "shared_with_leader",
        )

    def answers(self) -> list[tuple[str, object]]:
        """(status, date) for each action, in the plan's order."""
        return [
            (self.cleaned_data[f"status_{i}"], self.cleaned_data[f"on_{i}"])
            for i in range(len(self.follow_up.actions))
        ]


class SupportAskForm(DsfrForm):
    message = forms.CharField(
        label="Sur quoi souhaitez-vous de l’aide ? (facultatif)",
        help_text="Seuls les animateurs de votre promotion le lisent.",
        required=False,
        max_length=SUPPORT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SupportScheduleForm(DsfrForm):
    """When and where the support interview takes place (working time is checked when it is
    scheduled, as for every session)."""

    starts_at = forms.DateTimeField(
        label="Début",
        help_text="Heure de Paris.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_plausible_date],
    )
    duration_minutes = forms.IntegerField(
        label="Durée (minutes)", initial=60, min_value=15, max_value=480
    )
    place = forms.CharField(label="Lieu", max_length=300, required=False)
    video_link = forms.URLField(label="Lien de visioconférence", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_link"):
            self.add_error("place", "Indiquez un lieu ou un lien de visioconférence.")
        return data


class SupportDeclineForm(DsfrForm):
    decline_message = forms.CharField(
        label="Votre message à l’agent",
        help_text="Pourquoi, ou ce que vous lui proposez à la place.",
        max_length=SUPPORT_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Dites à l’agent pourquoi vous déclinez sa demande."},
    )
