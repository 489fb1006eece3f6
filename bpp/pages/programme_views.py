"""
The programme of messages and exercises between the sessions, and the agent's workbook.

The agent reads the programme of their cohort, answers its exercises, shows an answer
to the leader or copies it into their synthesis (a higher app's: hence these pages sit
here). The leader edits the cohort's programme and reads the answers shown to them; the
HR admin edits the employer's. Which programme a cohort follows: `cohorts.models.programme`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bpp.people.models import Organisation, Role
from bpp.people.permissions import role_required
from bpp.requests import deadlines
from cohorts.forms import (
    AnswerForm,
    ConfirmForm,
    ProgrammeItemForm,
    ProgrammeMessagesForm,
    ShowAnswerForm,
)
from cohorts.models import (
    Cohort,
    CohortError,
    ExerciseAnswer,
    Phase,
    ProgrammeItem,
    Scope,
    effective_scope,
    items_of_scope,
    programme_of,
)
from cohorts.permissions import (
    answers_shown_to_leader,
    load_employer_programme,
    load_led_programme,
    load_own_answer,
    load_own_enrolment,
    load_own_exercise,
    load_programme_item,
)
from cohorts.services import customise_programme, delete_programme_item, reset_programme
from synthesis.models import SynthesisError
from synthesis.sections import TEXT_SECTIONS
from synthesis.services import copy_answer_to_synthesis, section_fed_by


def _data(request: HttpRequest):
    """The form's data on a POST (an unchecked box posts nothing), none on a GET."""
    return request.POST if request.method == "POST" else None


SECTION_CHOICES = [(s.key, f"{s.number}. {s.title}") for s in TEXT_SECTIONS]
SECTION_NAMES = {s.key: f"{s.number} « {s.title} »" for s in TEXT_SECTIONS}

# The agent's own ------------------------------------------------------------------------


@role_required(Role.AGENT)
@require_http_methods(["GET", "POST"])
def programme(request: HttpRequest) -> HttpResponse:
    """The programme of the agent's cohort, its dates, what was sent; their preference."""
    enrolment = load_own_enrolment(request.user)
    form = ProgrammeMessagesForm(_data(request), instance=enrolment)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            "Vous recevrez les messages du programme."
            if enrolment.programme_messages
            else "Vous ne recevrez plus que les messages indispensables du programme.",
        )
        return redirect("portals:programme")
    phases: dict[int, list] = {}
    for line in programme_of(enrolment, deadlines.legal_today()):
        phases.setdefault(line.item.phase, []).append(
            (line, SECTION_NAMES.get(line.item.section, ""))
        )
    return render(
        request,
        "portals/programme.html",
        {
            "enrolment": enrolment,
            "phases": [(Phase(number), lines) for number, lines in phases.items()],
            "form": form,
        },
    )


@role_required(Role.AGENT)
@require_http_methods(["GET", "POST"])
def exercise(request: HttpRequest, pk: int) -> HttpResponse:
    """An exercise of the programme and the agent's answer, written and rewritten here."""
    enrolment, item = load_own_exercise(request.user, pk, deadlines.legal_today())
    if item.pk != pk:  # a link sent before the programme was customised
        return redirect("portals:exercise", item.pk)
    answer = ExerciseAnswer.objects.filter(enrolment=enrolment, item=item).first()
    form = AnswerForm(
        _data(request), instance=answer or ExerciseAnswer(enrolment=enrolment, item=item)
    )
    if request.method == "POST" and form.is_valid():
        ExerciseAnswer.write(
            enrolment=enrolment, item=item, text=form.cleaned_data["text"], now=timezone.now()
        )
        messages.success(request, "Votre réponse est enregistrée. Elle reste à vous.")
        return redirect("portals:exercise", item.pk)
    return render(
        request,
        "portals/exercise.html",
        {
            "enrolment": enrolment,
            "item": item,
            "answer": answer,
            "form": form,
            "section": section_fed_by(item),
        },
    )


@role_required(Role.AGENT)
@require_POST
def show_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the answer to the cohort's leaders, or stop showing it."""
    answer = load_own_answer(request.user, pk)
    form = ShowAnswerForm(request.POST)
    shown = form.is_valid() and form.cleaned_data["show"]
    answer.show_to_leader(shown, now=timezone.now())
    messages.success(
        request,
        "L’animateur peut lire cette réponse."
        if shown
        else "Cette réponse n’est plus montrée à l’animateur.",
    )
    return redirect("portals:exercise", pk)


@role_required(Role.AGENT)
@require_POST
def copy_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the answer at the end of the synthesis section its exercise feeds, in the
    agent's draft, then open the editor on it."""
    answer = load_own_answer(request.user, pk)
    try:
        section = copy_answer_to_synthesis(answer=answer, by=request.user)
    except SynthesisError as error:
        messages.error(request, str(error))
        return redirect("portals:exercise", pk)
    messages.success(
        request,
        f"Votre réponse est ajoutée à la section {section.number} « {section.title} », dans "
        "votre brouillon : relisez-la, puis enregistrez.",
    )
    return redirect("synthesis:edit", answer.enrolment.synthesis.pk)


# Editing a programme: the cohort's leader, the employer's HR admin -------------------------


@dataclass
class Owner:
    """Whose programme a page edits: a cohort (its leader) or an employer (its HR admin)."""

    cohort: Cohort | None = None
    organisation: Organisation | None = None

    @property
    def scope(self) -> str:
        return Scope.COHORT if self.cohort else Scope.EMPLOYER

    @property
    def name(self) -> str:
        """« la promotion « X » », « l’employeur « Y » »."""
        if self.cohort:
            return f"la promotion « {self.cohort} »"
        return f"l’employeur « {self.organisation} »"

    @property
    def of_name(self) -> str:
        """« de la promotion « X » », « de l’employeur « Y » »."""
        return f"de {self.name}"

    @property
    def parent(self) -> tuple[str, str]:
        """The page above this programme's, for the breadcrumb: (label, URL)."""
        if self.cohort:
            return str(self.cohort), reverse("cohorts:detail", args=[self.cohort.pk])
        return "Pilotage", reverse("portals:hr_admin")

    def url(self, action: str = "") -> str:
        if self.cohort:
            return reverse(f"portals:cohort_programme{action}", args=[self.cohort.pk])
        return reverse(f"portals:employer_programme{action}", args=[self.organisation.pk])

    def followed(self) -> str:
        """The programme the owner follows now."""
        if self.cohort:
            return effective_scope(self.cohort)
        if ProgrammeItem.objects.of_employer(self.organisation).exists():
            return Scope.EMPLOYER
        return Scope.NATIONAL

    def items(self, followed: str):
        if self.cohort:
            return items_of_scope(self.cohort, followed).in_order()
        if followed == Scope.EMPLOYER:
            return ProgrammeItem.objects.of_employer(self.organisation).in_order()
        return ProgrammeItem.objects.national().in_order()

    def next_down(self) -> str:
        """What the owner follows once it abandons its own programme, in words."""
        if self.cohort and ProgrammeItem.objects.of_employer(self.cohort.organisation).exists():
            return Scope.EMPLOYER.label.lower()
        return Scope.NATIONAL.label.lower()

    def new_item(self) -> ProgrammeItem:
        return ProgrammeItem(cohort=self.cohort, organisation=self.organisation)


def _owner_of(item: ProgrammeItem) -> Owner:
    return Owner(cohort=item.cohort) if item.cohort_id else Owner(organisation=item.organisation)


def _load_owner(request: HttpRequest, pk: int, of: str) -> Owner:
    if of == "cohort":
        return Owner(cohort=load_led_programme(request.user, pk))
    return Owner(organisation=load_employer_programme(request.user, pk))


def _programme_page(request: HttpRequest, owner: Owner) -> HttpResponse:
    followed = owner.followed()
    items = list(owner.items(followed))
    answers: dict[int, list[ExerciseAnswer]] = {}
    if owner.cohort:
        for answer in answers_shown_to_leader(owner.cohort):
            answers.setdefault(answer.item_id, []).append(answer)
    return render(
        request,
        "portals/programme_edit.html",
        {
            "owner": owner,
            "followed": Scope(followed),
            "is_own": followed == owner.scope,
            "items": [
                (item, SECTION_NAMES.get(item.section, ""), answers.get(item.pk, []))
                for item in items
            ],
        },
    )


def _customise(request: HttpRequest, owner: Owner) -> HttpResponse:
    try:
        customise_programme(cohort=owner.cohort, organisation=owner.organisation)
    except CohortError as error:
        messages.info(request, str(error))
    else:
        messages.success(
            request, f"Le programme {owner.of_name} est le vôtre : modifiez-le à votre guise."
        )
    return redirect(owner.url())


def _reset(request: HttpRequest, owner: Owner) -> HttpResponse:
    form = ConfirmForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            reset_programme(cohort=owner.cohort, organisation=owner.organisation)
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Le programme propre {owner.of_name} est abandonné : le {owner.next_down()} "
                "s’applique.",
            )
        return redirect(owner.url())
    return render(
        request,
        "portals/programme_confirm.html",
        {
            "owner": owner,
            "form": form,
            "title": f"Reprendre le {owner.next_down()}",
            "warning": f"Les éléments du programme propre {owner.of_name} seront supprimés ; "
            f"le {owner.next_down()} s’appliquera. Ce qui a déjà été envoyé et les réponses "
            "des agents sont conservés.",
            "action": "Reprendre",
        },
    )


def _item_form(request: HttpRequest, owner: Owner, item: ProgrammeItem) -> HttpResponse:
    form = ProgrammeItemForm(_data(request), instance=item, section_choices=SECTION_CHOICES)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"« {item.title} » est enregistré.")
        return redirect(owner.url())
    return render(
        request,
        "portals/programme_item.html",
        {"owner": owner, "item": item, "form": form},
    )


def _followed_by_owner(request: HttpRequest, owner: Owner) -> bool:
    """Adding needs the owner's own programme: say so otherwise."""
    if owner.followed() == owner.scope:
        return True
    messages.info(
        request, "Personnalisez d’abord le programme : vous modifierez ensuite votre copie."
    )
    return False


@require_http_methods(["GET"])
def cohort_programme(request: HttpRequest, pk: int) -> HttpResponse:
    return _programme_page(request, _load_owner(request, pk, "cohort"))


@require_http_methods(["GET"])
def employer_programme(request: HttpRequest, pk: int) -> HttpResponse:
    return _programme_page(request, _load_owner(request, pk, "employer"))


@require_POST
def cohort_programme_customise(request: HttpRequest, pk: int) -> HttpResponse:
    return _customise(request, _load_owner(request, pk, "cohort"))


@require_POST
def employer_programme_customise(request: HttpRequest, pk: int) -> HttpResponse:
    return _customise(request, _load_owner(request, pk, "employer"))


@require_http_methods(["GET", "POST"])
def cohort_programme_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _reset(request, _load_owner(request, pk, "cohort"))


@require_http_methods(["GET", "POST"])
def employer_programme_reset(request: HttpRequest, pk: int) -> HttpResponse:
    return _reset(request, _load_owner(request, pk, "employer"))


@require_http_methods(["GET", "POST"])
def cohort_programme_add(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _load_owner(request, pk, "cohort")
    if not _followed_by_owner(request, owner):
        return redirect(owner.url())
    return _item_form(request, owner, owner.new_item())


@require_http_methods(["GET", "POST"])
def employer_programme_add(request: HttpRequest, pk: int) -> HttpResponse:
    owner = _load_owner(request, pk, "employer")
    if not _followed_by_owner(request, owner):
        return redirect(owner.url())
    return _item_form(request, owner, owner.new_item())


@require_http_methods(["GET", "POST"])
def programme_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = load_programme_item(request.user, pk)
    return _item_form(request, _owner_of(item), item)


@require_http_methods(["GET", "POST"])
def programme_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = load_programme_item(request.user, pk)
    owner = _owner_of(item)
    form = ConfirmForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            delete_programme_item(item=item)
        except CohortError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"« {item.title} » est supprimé du programme.")
        return redirect(owner.url())
    return render(
        request,
        "portals/programme_confirm.html",
        {
            "owner": owner,
            "form": form,
            "title": f"Supprimer « {item.title} »",
            "warning": "Cet élément sera retiré du programme : il ne sera plus envoyé.",
            "action": "Supprimer",
        },
    )
