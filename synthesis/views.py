"""
The synthesis pages: the agent writes, finalises, signs, shares or destroys their
document; the leader co-writes, comments and co-signs; readers under a consent read
a copy without section 2.5.

Every page loads the synthesis through `_load`, which asks synthesis.permissions on
what ground the user may see it: no ground is a 404 (whoever guesses the number), a
provider whose access has ended gets a 410 on its old links.
"""

import io
import zipfile
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from bpp.people.models import Role
from bpp.people.permissions import role_required
from cohorts.models import Cohort, Enrolment
from synthesis import pdf
from synthesis.document import build
from synthesis.forms import (
    CommentForm,
    DestroyForm,
    SharingForm,
    SignForm,
    TransmissionForm,
    content_of,
    forms_for,
)
from synthesis.models import (
    AccessRecord,
    Audience,
    Basis,
    Capacity,
    Comment,
    ConflictError,
    Consent,
    Signature,
    Status,
    Synthesis,
    SynthesisError,
    empty_content,
    grant,
    header_for,
    revoke,
)
from synthesis.permissions import (
    ProviderAccessEnded,
    basis_of,
    may_read_personal_situation,
    may_write,
    provider_access_ends,
    signs_as,
)
from synthesis.sections import PARTS, PERSONAL_SITUATION
from synthesis.services import finalise_synthesis, sign_synthesis

PAGE_SIZE = 25


class _Gone(Exception):
    pass


def gone_for_providers(view: Callable) -> Callable:
    """Answer 410 Gone where a provider's access has ended, 404 stays for the rest."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _Gone:
            return render(request, "synthesis/gone.html", status=410)

    return wrapper


def _syntheses():
    return Synthesis.objects.select_related(
        "enrolment__agent__user",
        "enrolment__agent__organisation",
        "enrolment__cohort__provider",
        "transmitted_to",
    )


class Loaded:
    """A synthesis, the ground on which the user sees it, and the agent's live consents."""

    def __init__(self, synthesis: Synthesis, basis: Basis, consents: dict):
        self.synthesis, self.basis, self.consents = synthesis, basis, consents

    @property
    def is_owner(self) -> bool:
        return self.basis == Basis.OWNER

    @property
    def may_write(self) -> bool:
        return may_write(self.basis)


def _breadcrumb(loaded: Loaded) -> list[tuple[str, str]]:
    """The parents of a synthesis page, down to the synthesis itself."""
    detail_url = reverse("synthesis:detail", args=[loaded.synthesis.pk])
    if loaded.is_owner:
        return [("Mon espace", reverse("portals:agent")), ("Ma synthèse", detail_url)]
    name = loaded.synthesis.enrolment.agent.user.get_full_name()
    return [("Documents de synthèse", reverse("synthesis:index")), (name, detail_url)]


def _load(request: HttpRequest, pk: int, *, writer=False, owner=False) -> Loaded:
    synthesis = get_object_or_404(_syntheses(), pk=pk)
    consents = {c.audience: c for c in synthesis.consents.live()}
    try:
        basis = basis_of(request.user, synthesis, live_audiences=set(consents))
    except ProviderAccessEnded:
        raise _Gone from None
    if basis is None or (writer and not may_write(basis)) or (owner and basis != Basis.OWNER):
        raise Http404
    if synthesis.is_destroyed and basis == Basis.OWNER and (writer or owner):
        raise Http404
    return Loaded(synthesis, basis, consents)


def _record_read(request: HttpRequest, loaded: Loaded, fmt: str) -> None:
    """Every read by anyone but the agent is recorded, with its ground and consent."""
    if loaded.is_owner:
        return
    AccessRecord.objects.create(
        synthesis=loaded.synthesis,
        reader=request.user,
        basis=loaded.basis,
        consent=loaded.consents.get(loaded.basis),
        format=fmt,
    )


def _document(loaded: Loaded, version=None):
    synthesis = loaded.synthesis
    version = version or synthesis.current()
    signatures = (
        list(version.signatures.select_related("signer").order_by("signed_at")) if version else []
    )
    return build(
        synthesis,
        version,
        header=header_for(synthesis.enrolment) if version is None else {},
        with_personal_situation=may_read_personal_situation(loaded.basis),
        signatures=signatures,
    )


# The agent's own ------------------------------------------------------------------


@role_required(Role.AGENT)
def mine(request: HttpRequest) -> HttpResponse:
    """The agent's syntheses; the one of their current cohort opens on first visit."""
    profile = request.user.agent_profile
    enrolment = (
        Enrolment.objects.filter(agent=profile, withdrawn_at__isnull=True)
        .select_related("cohort")
        .first()
    )
    if enrolment is not None:
        synthesis, _ = Synthesis.objects.get_or_create(enrolment=enrolment)
        if not synthesis.is_destroyed:
            return redirect("synthesis:detail", synthesis.pk)
    syntheses = (
        Synthesis.objects.filter(enrolment__agent=profile)
        .select_related("enrolment__cohort")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "synthesis/mine.html",
        {"syntheses": syntheses, "breadcrumb": [("Mon espace", reverse("portals:agent"))]},
    )


@gone_for_providers
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk)
    synthesis = loaded.synthesis
    if synthesis.is_destroyed:
        return render(
            request,
            "synthesis/destroyed.html",
            {"synthesis": synthesis, "breadcrumb": _breadcrumb(loaded)[:1]},
        )
    document = _document(loaded)
    _record_read(request, loaded, AccessRecord.Format.PAGE)
    context = {
        "loaded": loaded,
        "synthesis": synthesis,
        "document": document,
        "breadcrumb": _breadcrumb(loaded)[:1],
    }
    if loaded.may_write:
        capacity = signs_as(loaded.basis)
        context |= {
            "comments": _comments_by_section(synthesis),
            "comment_form": CommentForm(),
            "may_sign": synthesis.status == Status.FINALISED
            and capacity not in {s.capacity for s in document.signatures},
            "provider_access_ends": provider_access_ends(synthesis)
            if synthesis.enrolment.cohort.is_provider_led
            else None,
            "may_decide_transmission": loaded.is_owner and _may_decide_transmission(synthesis),
        }
    return render(request, "synthesis/detail.html", context)


def _comments_by_section(synthesis: Synthesis) -> dict[str, list[Comment]]:
    found: dict[str, list[Comment]] = {}
    for comment in synthesis.comments.select_related("author"):
        found.setdefault(comment.section, []).append(comment)
    return found


@gone_for_providers
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, writer=True)
    synthesis = loaded.synthesis
    if not synthesis.is_editable:
        messages.info(
            request, "La synthèse est finalisée : l’agent peut la rouvrir pour la modifier."
        )
        return redirect("synthesis:detail", synthesis.pk)
    current = synthesis.current()
    with_personal = may_read_personal_situation(loaded.basis)
    form, formset = forms_for(
        current.content if current else empty_content(),
        current.personal_situation if current else "",
        synthesis.version,
        data=request.POST if request.method == "POST" else None,
        organisation=synthesis.enrolment.cohort.organisation,
        with_personal_situation=with_personal,
    )
    conflict = None
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            saved = synthesis.save_version(
                by=request.user,
                based_on=form.cleaned_data["based_on"],
                content=content_of(form, formset),
                personal_situation=form.cleaned_data.get(PERSONAL_SITUATION.key, ""),
            )
        except ConflictError as error:
            # The user's text stays in the form; saving again, once they have compared
            # it with the latest version, is based on that version.
            conflict = error
            form.data = form.data.copy()
            form.data["based_on"] = error.latest.number
        except SynthesisError as error:
            messages.error(request, str(error))
            return redirect("synthesis:detail", synthesis.pk)
        else:
            if saved is None:
                messages.info(request, "Aucune modification à enregistrer.")
            else:
                messages.success(request, f"Synthèse enregistrée (version {saved.number}).")
            return redirect("synthesis:detail", synthesis.pk)
    if request.method == "GET":
        _record_read(request, loaded, AccessRecord.Format.PAGE)
    return render(
        request,
        "synthesis/edit.html",
        {
            "synthesis": synthesis,
            "form": form,
            "formset": formset,
            "parts": PARTS,
            "with_personal_situation": with_personal,
            "conflict": conflict,
            "breadcrumb": _breadcrumb(loaded),
        },
        status=409 if conflict else 200,
    )


@gone_for_providers
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, writer=True)
    form = CommentForm(request.POST)
    if loaded.synthesis.status == Status.SIGNED:
        messages.error(request, "La synthèse est signée : elle ne se commente plus.")
    elif form.is_valid():
        Comment.objects.create(synthesis=loaded.synthesis, author=request.user, **form.cleaned_data)
        messages.success(request, "Commentaire ajouté.")
    else:
        messages.error(request, "Le commentaire est vide ou trop long : il n’a pas été ajouté.")
    return redirect("synthesis:detail", loaded.synthesis.pk)


@gone_for_providers
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, writer=True)
    history = (
        loaded.synthesis.versions.select_related("author")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.select_related("signer"))
        )
        .defer("content", "personal_situation")
    )
    page = Paginator(history, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "synthesis/versions.html",
        {"synthesis": loaded.synthesis, "page_obj": page, "breadcrumb": _breadcrumb(loaded)},
    )


@gone_for_providers
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    loaded = _load(request, pk, writer=True)
    found = get_object_or_404(loaded.synthesis.versions.select_related("author"), number=number)
    _record_read(request, loaded, AccessRecord.Format.PAGE)
    return render(
        request,
        "synthesis/version.html",
        {
            "synthesis": loaded.synthesis,
            "version": found,
            "document": _document(loaded, found),
            "breadcrumb": [
                *_breadcrumb(loaded),
                ("Versions", reverse("synthesis:versions", args=[pk])),
            ],
            "version_label": f"Version {found.number}",
        },
    )


@gone_for_providers
def download(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk)
    if loaded.synthesis.is_destroyed:
        raise Http404
    content = pdf.synthesis_pdf(_document(loaded))
    _record_read(request, loaded, AccessRecord.Format.PDF)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=_filename(loaded.synthesis)
    )
    return response


def _filename(synthesis: Synthesis) -> str:
    user = synthesis.enrolment.agent.user
    name = slugify(f"synthese {user.last_name} {user.first_name}")
    return f"{name}-v{synthesis.version}.pdf"


# Finalise, sign, reopen -----------------------------------------------------------


def _confirm(request, loaded: Loaded, template: str, form=None, **context) -> HttpResponse:
    return render(
        request,
        template,
        {
            "synthesis": loaded.synthesis,
            "form": form,
            "breadcrumb": _breadcrumb(loaded),
            **context,
        },
    )


@gone_for_providers
@require_http_methods(["GET", "POST"])
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, owner=True)
    if request.method == "POST":
        try:
            finalise_synthesis(synthesis=loaded.synthesis)
        except SynthesisError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "Synthèse finalisée. Signez-la ; le professionnel qui vous accompagne la signera "
                "à son tour.",
            )
        return redirect("synthesis:detail", pk)
    return _confirm(request, loaded, "synthesis/finalise.html")


@gone_for_providers
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, owner=True)
    if request.method == "POST":
        try:
            loaded.synthesis.reopen()
        except SynthesisError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La synthèse est rouverte : vous pouvez la modifier.")
        return redirect("synthesis:detail", pk)
    return _confirm(request, loaded, "synthesis/reopen.html")


@gone_for_providers
@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, writer=True)
    synthesis, capacity = loaded.synthesis, signs_as(loaded.basis)
    current = synthesis.current()
    if synthesis.status != Status.FINALISED:
        messages.info(request, "Seule une synthèse finalisée par l’agent se signe.")
        return redirect("synthesis:detail", pk)
    if current.signatures.filter(capacity=capacity).exists():
        messages.info(request, "Vous avez déjà signé cette version.")
        return redirect("synthesis:detail", pk)
    form = SignForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            sign_synthesis(synthesis=synthesis, by=request.user, capacity=capacity)
        except SynthesisError as error:
            messages.error(request, str(error))
        else:
            if synthesis.status == Status.SIGNED:
                messages.success(
                    request, "Synthèse signée par les deux parties : elle est verrouillée."
                )
            else:
                messages.success(request, "Votre signature est enregistrée.")
        return redirect("synthesis:detail", pk)
    _record_read(request, loaded, AccessRecord.Format.PAGE)
    return _confirm(
        request,
        loaded,
        "synthesis/sign.html",
        form,
        document=_document(loaded),
        capacity=Capacity(capacity),
    )


# Sharing, destruction, transmission ------------------------------------------------


@gone_for_providers
@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, owner=True)
    synthesis = loaded.synthesis
    if request.method == "POST":
        form = SharingForm(request.POST)
        if form.is_valid():
            audience, action = form.cleaned_data["audience"], form.cleaned_data["action"]
            label = Audience(audience).label.lower()
            if action == "grant":
                grant(synthesis, audience)
                messages.success(
                    request, f"{label.capitalize()} peut désormais lire votre synthèse."
                )
            else:
                revoke(synthesis, audience)
                messages.success(
                    request, f"Accès retiré : {label} ne peut plus lire votre synthèse."
                )
        else:
            messages.error(request, "Choix invalide : rien n’a changé.")
        return redirect("synthesis:sharing", pk)
    reads = synthesis.reads.select_related("reader", "consent").order_by("-read_at", "-pk")
    agent = synthesis.enrolment.agent
    manager = agent.manager.get_full_name() if agent.manager_id else None
    return render(
        request,
        "synthesis/sharing.html",
        {
            "synthesis": synthesis,
            "audiences": [
                (
                    Audience.MANAGER,
                    Audience.MANAGER.label,
                    loaded.consents.get(Audience.MANAGER),
                    manager,
                ),
                (
                    Audience.HR,
                    Audience.HR.label,
                    loaded.consents.get(Audience.HR),
                    f"Service RH — {agent.organisation}",
                ),
            ],
            "page_obj": Paginator(reads, PAGE_SIZE).get_page(request.GET.get("page")),
            "history": synthesis.consents.order_by("-granted_at")[:20],
            "breadcrumb": _breadcrumb(loaded),
        },
    )


@gone_for_providers
@require_http_methods(["GET", "POST"])
def destroy(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, owner=True)
    form = DestroyForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            loaded.synthesis.destroy()
        except SynthesisError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Votre document de synthèse est détruit.")
        return redirect("synthesis:mine")
    return _confirm(request, loaded, "synthesis/destroy.html", form)


def _may_decide_transmission(synthesis: Synthesis) -> bool:
    cohort = synthesis.enrolment.cohort
    return (
        cohort.is_provider_led
        and cohort.concluded_at is not None
        and synthesis.transmission_decided_at is None
    )


@gone_for_providers
@require_http_methods(["GET", "POST"])
def transmit(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = _load(request, pk, owner=True)
    synthesis = loaded.synthesis
    if not _may_decide_transmission(synthesis):
        raise Http404
    form = TransmissionForm(
        request.POST if request.method == "POST" else None,
        organisation=synthesis.enrolment.agent.organisation,
    )
    if form.is_valid():
        try:
            synthesis.decide_transmission(to=form.cleaned_data["counsellor"])
        except SynthesisError as error:
            messages.error(request, str(error))
        else:
            to = form.cleaned_data["counsellor"]
            messages.success(
                request,
                f"Synthèse transmise à {to.get_full_name()}. Le prestataire n’y a plus accès."
                if to
                else "Votre synthèse n’est transmise à personne. Le prestataire n’y a plus accès.",
            )
        return redirect("synthesis:detail", pk)
    return _confirm(
        request, loaded, "synthesis/transmit.html", form, ends=provider_access_ends(synthesis)
    )


# The professionals' lists ----------------------------------------------------------


def _led(user, now):
    """The syntheses of the cohorts `user` leads, without those a provider may no longer open."""
    led = Synthesis.objects.alive().of_cohorts_led_by(user)
    providers = [a.provider_id for a in user.role_assignments_cache if a.role == Role.PROVIDER]
    if providers:
        cutoff = now - timedelta(days=settings.PROVIDER_ACCESS_DAYS)
        led = led.exclude(
            Q(enrolment__cohort__provider__in=providers)
            & (
                Q(transmission_decided_at__isnull=False)
                | Q(enrolment__cohort__concluded_at__lte=cutoff)
            )
        )
    return led


def index(request: HttpRequest) -> HttpResponse:
    """The syntheses a professional works on, or those shared with a manager or HR."""
    user = request.user
    roles = set(user.roles)
    if not roles & {Role.CMC, Role.PROVIDER, Role.MANAGER, Role.HR}:
        raise PermissionDenied
    related = ("enrolment__agent__user", "enrolment__cohort")
    led = (
        _led(user, timezone.now())
        .select_related(*related)
        .with_awaiting_leader()
        .order_by(
            "-awaiting_me", "enrolment__cohort__title", "enrolment__agent__user__last_name", "pk"
        )
    )
    received = (
        Synthesis.objects.alive()
        .filter(transmitted_to=user)
        .select_related(*related)
        .order_by("-transmission_decided_at")
    )
    live = Consent.objects.live().filter(synthesis=OuterRef("pk"))
    shared_with_me = (
        Synthesis.objects.alive()
        .filter(
            Q(Exists(live.filter(audience=Audience.MANAGER)), enrolment__agent__manager=user)
            | Q(
                Exists(live.filter(audience=Audience.HR)),
                enrolment__agent__organisation__in=user.organisations_for(Role.HR),
            )
        )
        .select_related(*related)
        .order_by("enrolment__agent__user__last_name", "pk")
    )
    return render(
        request,
        "synthesis/index.html",
        {
            "led": Paginator(led, PAGE_SIZE).get_page(request.GET.get("page")),
            "received": received[:PAGE_SIZE],
            "shared": Paginator(shared_with_me, PAGE_SIZE).get_page(request.GET.get("partagees")),
        },
    )


def _led_cohort(request: HttpRequest, pk: int) -> Cohort:
    return get_object_or_404(Cohort.objects.led_by(request.user), pk=pk)


def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    """The syntheses of one cohort, for its leaders: which await a signature.

    Every agent placed in the cohort has one: those not opened yet are opened here, so
    the leader can start the co-writing (one INSERT, whatever the size).
    """
    led_cohort = _led_cohort(request, pk)
    if led_cohort.concluded_at is None:
        Synthesis.objects.bulk_create(
            [
                Synthesis(enrolment=enrolment)
                for enrolment in led_cohort.enrolments.filter(
                    withdrawn_at__isnull=True, synthesis__isnull=True
                ).only("pk")
            ],
            ignore_conflicts=True,
        )
    syntheses = (
        _led(request.user, timezone.now())
        .filter(enrolment__cohort=led_cohort)
        .select_related("enrolment__agent__user", "enrolment__cohort")
        .with_awaiting_leader()
        .order_by("enrolment__agent__user__last_name", "enrolment__agent__user__first_name")
    )
    enrolled = led_cohort.enrolments.filter(withdrawn_at__isnull=True).count()
    return render(
        request,
        "synthesis/cohort.html",
        {
            "cohort": led_cohort,
            "syntheses": syntheses,
            "enrolled": enrolled,
            "breadcrumb": [
                ("Promotions", reverse("cohorts:dashboard")),
                (led_cohort.title, reverse("cohorts:detail", args=[pk])),
            ],
        },
    )


def cohort_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed syntheses of a cohort, as PDFs in one ZIP file (with 2.5: for its leaders)."""
    led_cohort = _led_cohort(request, pk)
    signed = list(
        _syntheses()
        .filter(pk__in=_led(request.user, timezone.now()), enrolment__cohort=led_cohort)
        .filter(status=Status.SIGNED)
    )
    if not signed:
        messages.info(request, "Aucune synthèse signée dans cette promotion pour l’instant.")
        return redirect("synthesis:cohort", pk)
    files = []
    for synthesis in signed:
        loaded = _load(request, synthesis.pk)
        files.append((_filename(synthesis), pdf.synthesis_pdf(_document(loaded))))
        _record_read(request, loaded, AccessRecord.Format.PDF)
    response = HttpResponse(_zip(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="syntheses-promotion-{pk}.zip"'
    return response


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()
