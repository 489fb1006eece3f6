"""
The synthesis pages: the agent writes, finalises, signs, shares or destroys their
document; the leader co-writes, comments and co-signs; readers under a consent read
a copy without section 2.5.

Every page loads the synthesis through `synthesis.permissions.load_synthesis`, which
says on what ground the user may see it: no ground is a 404 (whoever guesses the
number), a provider whose access has ended gets a 410 on its old links.
"""

import io
import re
import unicodedata
import zipfile

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from bpp.people.models import Role, name_fields
from bpp.people.permissions import role_required, user_passes
from bpp.templatetags.dsfr_forms import error_summary
from bpp.templatetags.french import day
from cohorts.models import Enrolment
from synthesis import pdf
from synthesis.document import build, empty_sections, outline
from synthesis.forms import (
    CommentForm,
    DestroyForm,
    DiscardDraftForm,
    LeaderAnswerForm,
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
    LeaderConsent,
    ProviderCopy,
    ReadLine,
    ShareRequest,
    SharingError,
    Signature,
    Status,
    Synthesis,
    SynthesisDraft,
    SynthesisError,
    empty_content,
    header_for,
    revoke,
)
from synthesis.permissions import (
    Access,
    Purpose,
    leaders_joined_after_opening,
    led_by,
    load_led_cohort,
    load_syntheses,
    load_synthesis,
    may_see_syntheses,
    open_support_requests,
    provider_access_ends,
    shared_with,
)
from synthesis.sections import PARTS, PERSONAL_SITUATION
from synthesis.services import finalise_synthesis, share_synthesis, sign_synthesis

PAGE_SIZE = 25


def _breadcrumb(loaded: Access) -> list[tuple[str, str]]:
    """The parents of a synthesis page, down to the synthesis itself."""
    detail_url = reverse("synthesis:detail", args=[loaded.synthesis.pk])
    if loaded.is_owner:
        return [("Mon espace", reverse("portals:agent")), ("Ma synthèse", detail_url)]
    name = loaded.synthesis.enrolment.agent.user.get_full_name()
    return [("Documents de synthèse", reverse("synthesis:index")), (name, detail_url)]


def _record_read(request: HttpRequest, loaded: Access, fmt: str) -> None:
    _record_reads(request, [loaded], fmt)


def _record_reads(request: HttpRequest, reads: list[Access], fmt: str) -> None:
    """Every read by anyone but the agent is recorded, with its ground and consent (one
    INSERT); a provider's download is counted too, for the attestation of its destruction."""
    reads = [loaded for loaded in reads if not loaded.is_owner]
    AccessRecord.objects.bulk_create(
        AccessRecord(
            synthesis=loaded.synthesis,
            reader=request.user,
            basis=loaded.basis,
            consent=loaded.consents.get(loaded.basis),
            format=fmt,
        )
        for loaded in reads
    )
    for loaded in reads:
        if loaded.basis == Basis.PROVIDER and fmt == AccessRecord.Format.PDF:
            ProviderCopy.objects.record_download(
                consultant=request.user, cohort=loaded.synthesis.enrolment.cohort
            )


def _document(loaded: Access, version=None):
    synthesis = loaded.synthesis
    version = version or synthesis.current()
    signatures = (
        list(version.signatures.select_related("signer").order_by("signed_at")) if version else []
    )
    return build(
        synthesis,
        version,
        header=header_for(synthesis.enrolment) if version is None else {},
        with_personal_situation=loaded.may_read_personal_situation,
        signatures=signatures,
    )


# The agent's own ------------------------------------------------------------------


@role_required(Role.AGENT)
def mine(request: HttpRequest) -> HttpResponse:
    """The agent's syntheses: the one of their current cohort, or the list of the others."""
    profile = request.user.agent_profile
    current = (
        Synthesis.objects.alive()
        .filter(enrolment__in=Enrolment.objects.current().filter(agent=profile))
        .first()
    )
    if current is not None:
        return redirect("synthesis:detail", current.pk)
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


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.RECORD)
    synthesis = loaded.synthesis
    transitions = synthesis.transitions.select_related("by")
    if synthesis.is_destroyed:
        return render(
            request,
            "synthesis/destroyed.html",
            {
                "synthesis": synthesis,
                "transitions": transitions,
                "breadcrumb": _breadcrumb(loaded)[:1],
            },
        )
    document = _document(loaded)
    _record_read(request, loaded, AccessRecord.Format.PAGE)
    context = {
        "loaded": loaded,
        "synthesis": synthesis,
        "document": document,
        "outline": _outline(document),
        "status_label": synthesis.status_label(document.signatures),
        "awaited": _awaited(synthesis, document.signatures),
        "transitions": transitions,
        "breadcrumb": _breadcrumb(loaded)[:1],
    }
    if loaded.may_write:
        context |= {
            "comments": _comments_by_section(synthesis),
            "comment_form": CommentForm(),
            "draft": synthesis.drafts.filter(author=request.user).first(),
            "finalising_refusal": synthesis.finalising_refusal() if loaded.is_owner else None,
            "may_sign": synthesis.signing_refusal(loaded.signs_as, document.signatures) is None,
            "provider_access_ends": provider_access_ends(synthesis)
            if synthesis.enrolment.cohort.is_provider_led
            else None,
            "may_decide_transmission": loaded.is_owner and synthesis.can_decide_transmission,
            "joined_leaders": leaders_joined_after_opening(synthesis) if loaded.is_owner else [],
        }
    return render(request, "synthesis/detail.html", context)


def _outline(document):
    """The table of contents of a laid-out version (2.5 only in a copy that holds it)."""
    version = document.version
    return outline(version.content if version else {}, document.personal_situation)


def _awaited(synthesis: Synthesis, signatures) -> list[tuple[str, str]]:
    """Whose signature the finalised version still awaits: (capacity, names) pairs."""
    names = {}
    for capacity in synthesis.awaited_signatures(signatures):
        if capacity == Capacity.AGENT:
            names[capacity.label] = synthesis.enrolment.agent.user.get_full_name()
        else:
            leaders = synthesis.enrolment.cohort.leaders.order_by("last_name", "first_name")
            names[capacity.label] = " ou ".join(leader.get_full_name() for leader in leaders)
    return list(names.items())


def _comments_by_section(synthesis: Synthesis) -> dict[str, list[Comment]]:
    found: dict[str, list[Comment]] = {}
    for comment in synthesis.comments.select_related("author"):
        found.setdefault(comment.section, []).append(comment)
    return found


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.WRITE)
    synthesis = loaded.synthesis
    if not synthesis.is_editable:
        messages.info(
            request, "La synthèse est finalisée : l’agent peut la rouvrir pour la modifier."
        )
        return redirect("synthesis:detail", synthesis.pk)
    current = synthesis.current()
    # The user's own draft, if any, is where they left off.
    draft = synthesis.drafts.filter(author=request.user).first()
    source = draft or current
    with_personal = loaded.may_read_personal_situation
    form, formset = forms_for(
        source.content if source else empty_content(),
        source.personal_situation if source else "",
        synthesis.version,
        draft_revision=draft.revision if draft else 0,
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
    if form.is_bound and form.is_valid() and formset.is_valid():
        shown = content_of(form, formset)
        personal = form.cleaned_data.get(PERSONAL_SITUATION.key, "")
    else:
        shown = source.content if source else {}
        personal = source.personal_situation if source else ""
    return render(
        request,
        "synthesis/edit.html",
        {
            "synthesis": synthesis,
            "form": form,
            "formset": formset,
            "parts": PARTS,
            "outline": outline(shown, personal if with_personal else None),
            "with_personal_situation": with_personal,
            "conflict": conflict,
            "draft": draft,
            # A draft written from an older version: the form holds it, to compare.
            "stale_draft": draft is not None and draft.based_on != synthesis.version,
            "current": current,
            "autosave_seconds": settings.SYNTHESIS_AUTOSAVE_SECONDS,
            "breadcrumb": _breadcrumb(loaded),
        },
        status=409 if conflict else 200,
    )


@require_POST
def autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Keep the editor's work as the user's draft, never as a version (the page's script
    posts the form here a few seconds after a change); JSON with a message for the page."""
    loaded = load_synthesis(request.user, pk, Purpose.WRITE)
    synthesis = loaded.synthesis
    # The choices the editor offered: schemes no longer offered stay where the text cites them.
    source = synthesis.drafts.filter(author=request.user).first() or synthesis.current()
    form, formset = forms_for(
        source.content if source else empty_content(),
        "",
        synthesis.version,
        data=request.POST,
        organisation=synthesis.enrolment.cohort.organisation,
        with_personal_situation=loaded.may_read_personal_situation,
    )
    if not (form.is_valid() and formset.is_valid()):
        entry = error_summary(form, formset).entries[0]
        where = f"{entry.label} : " if entry.label else ""
        return JsonResponse(
            {
                "message": f"Brouillon non enregistré : {where}{entry.message} Il le sera dès "
                "que ce champ sera corrigé."
            },
            status=400,
        )
    content = content_of(form, formset)
    personal = form.cleaned_data.get(PERSONAL_SITUATION.key, "")
    try:
        draft = synthesis.save_draft(
            by=request.user,
            based_on=form.cleaned_data["based_on"],
            revision=form.cleaned_data["draft_revision"] or 0,
            content=content,
            personal_situation=personal,
        )
    except ConflictError as error:
        latest = error.latest
        return JsonResponse(
            {
                "message": (
                    f"Brouillon non enregistré : {latest.author.get_full_name()} a enregistré "
                    f"la version {latest.number} le {day(latest.created_at)} à "
                    f"{timezone.localtime(latest.created_at):%H:%M}, après l’ouverture de "
                    "cette page. Vos modifications sont toujours dans le formulaire : "
                    "cliquez sur « Enregistrer » pour les comparer à cette version."
                ),
                "link": reverse("synthesis:version", args=[pk, latest.number]),
                "link_text": f"Voir la version {latest.number} (nouvel onglet)",
            },
            status=409,
        )
    except SynthesisError as error:
        return JsonResponse({"message": str(error)}, status=409)
    started = {
        entry.key: entry.started
        for part in outline(content, personal if loaded.may_read_personal_situation else None)
        for entry in part.entries
    }
    return JsonResponse(
        {
            "message": f"Brouillon enregistré à {timezone.localtime(draft.saved_at):%H:%M}.",
            "draft_revision": draft.revision,
            "started": started,
        }
    )


@require_http_methods(["GET", "POST"])
def discard_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """The writer abandons their draft, after a confirmation: back to the latest version."""
    loaded = load_synthesis(request.user, pk, Purpose.WRITE)
    draft = loaded.synthesis.drafts.filter(author=request.user).first()
    if draft is None:
        messages.info(request, "Vous n’avez pas de brouillon en cours pour cette synthèse.")
        return redirect("synthesis:detail", pk)
    form = DiscardDraftForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        SynthesisDraft.objects.filter(pk=draft.pk).delete()
        messages.success(
            request, "Brouillon abandonné : la synthèse reste telle que dans sa dernière version."
        )
        return redirect("synthesis:detail", pk)
    return _confirm(request, loaded, "synthesis/discard_draft.html", form, draft=draft)


@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.WRITE)
    form = CommentForm(request.POST)
    if loaded.synthesis.status == Status.SIGNED:
        messages.error(request, "La synthèse est signée : elle ne se commente plus.")
    elif form.is_valid():
        Comment.objects.create(synthesis=loaded.synthesis, author=request.user, **form.cleaned_data)
        messages.success(request, "Commentaire ajouté.")
    else:
        messages.error(request, "Le commentaire est vide ou trop long : il n’a pas été ajouté.")
    return redirect("synthesis:detail", loaded.synthesis.pk)


def versions(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.WRITE)
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


def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.WRITE)
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


def _pdf(loaded: Access) -> bytes:
    """The PDF of the synthesis for this reader: as kept once signed, else rendered now."""
    if loaded.synthesis.is_signed:
        try:
            return pdf.signed_pdf(
                loaded.synthesis, with_personal_situation=loaded.may_read_personal_situation
            )
        except SynthesisError:
            pass  # reopened since it was loaded: as it is now
    return pdf.synthesis_pdf(_document(loaded))


def download(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk)
    content = _pdf(loaded)
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


def _confirm(request, loaded: Access, template: str, form=None, **context) -> HttpResponse:
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


@require_http_methods(["GET", "POST"])
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.OWN)
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
    synthesis = loaded.synthesis
    document = _document(loaded)
    return _confirm(
        request,
        loaded,
        "synthesis/finalise.html",
        refusal=synthesis.finalising_refusal(),
        empty=empty_sections(_outline(document)),
        draft=synthesis.drafts.filter(author=request.user).first(),
    )


@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.OWN)
    if request.method == "POST":
        try:
            loaded.synthesis.reopen()
        except SynthesisError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "La synthèse est rouverte : vous pouvez la modifier.")
        return redirect("synthesis:detail", pk)
    return _confirm(request, loaded, "synthesis/reopen.html")


@require_http_methods(["GET", "POST"])
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.WRITE)
    synthesis, capacity = loaded.synthesis, loaded.signs_as
    current = synthesis.current()
    refusal = synthesis.signing_refusal(capacity, current.signatures.all() if current else [])
    if refusal is not None:
        messages.info(request, refusal)
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
                awaited = _awaited(synthesis, synthesis.current().signatures.all())
                messages.success(
                    request,
                    "Votre signature est enregistrée. Reste à signer : "
                    + " ; ".join(f"{label.lower()}, {names}" for label, names in awaited)
                    + ".",
                )
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


@require_http_methods(["GET", "POST"])
def sharing(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.OWN)
    synthesis = loaded.synthesis
    if request.method == "POST":
        form = SharingForm(request.POST)
        if form.is_valid():
            audience, action = form.cleaned_data["audience"], form.cleaned_data["action"]
            label = Audience(audience).label.lower()
            if action == "grant":
                try:
                    share_synthesis(synthesis=synthesis, audience=audience)
                except SharingError as error:
                    messages.error(request, str(error))
                else:
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
    page = Paginator(synthesis.reads.summarised(), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [ReadLine(**row) for row in page.object_list]
    agent = synthesis.enrolment.agent
    manager = agent.manager.get_full_name() if agent.manager_id else None
    # A consent names its recipient: one to a former manager has ended by itself.
    applying = {a: c for a, c in loaded.consents.items() if c.still_applies()}
    ended = [c for c in loaded.consents.values() if not c.still_applies()]
    return render(
        request,
        "synthesis/sharing.html",
        {
            "synthesis": synthesis,
            "audiences": [
                (
                    Audience.MANAGER,
                    Audience.MANAGER.label,
                    applying.get(Audience.MANAGER),
                    manager,
                ),
                (
                    Audience.HR,
                    Audience.HR.label,
                    applying.get(Audience.HR),
                    f"Service RH — {agent.organisation}",
                ),
            ],
            "page_obj": page,
            "beyond_routine": synthesis.reads.beyond_routine().count(),
            "ended": ended,
            "history": synthesis.consents.select_related("recipient", "organisation").order_by(
                "-granted_at"
            )[:20],
            # The asks of the manager or HR: those still awaiting an answer first.
            "share_requests": synthesis.share_requests.select_related("asked_by", "organisation")
            .with_lapsed()
            .order_by("-asked_at", "-pk")[:20],
            "breadcrumb": _breadcrumb(loaded),
        },
    )


@require_http_methods(["GET", "POST"])
def destroy(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.OWN)
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


@require_POST
def answer_leader(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent lets a leader who joined after the opening read the synthesis, or not."""
    loaded = load_synthesis(request.user, pk, Purpose.OWN)
    joined = {j.leader.pk: j for j in leaders_joined_after_opening(loaded.synthesis)}
    form = LeaderAnswerForm(request.POST, leaders=[j.leader for j in joined.values()])
    if not form.is_valid():
        messages.error(request, "Choix invalide : rien n’a changé.")
        return redirect("synthesis:detail", pk)
    leader, accepted = form.cleaned_data["leader"], form.cleaned_data["accepted"]
    LeaderConsent.objects.update_or_create(
        synthesis=loaded.synthesis,
        leader=leader,
        defaults={"accepted": accepted, "answered_at": timezone.now()},
    )
    messages.success(
        request,
        f"{leader.get_full_name()} peut désormais lire et co-écrire votre synthèse."
        if accepted
        else f"{leader.get_full_name()} ne lira pas votre synthèse.",
    )
    return redirect("synthesis:detail", pk)


@require_http_methods(["GET", "POST"])
def transmit(request: HttpRequest, pk: int) -> HttpResponse:
    loaded = load_synthesis(request.user, pk, Purpose.OWN)
    synthesis = loaded.synthesis
    if not synthesis.can_decide_transmission:
        raise Http404  # nothing to choose: the page does not exist for this synthesis
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


@user_passes(may_see_syntheses)
def index(request: HttpRequest) -> HttpResponse:
    """The syntheses a professional works on, or those shared with a manager or HR."""
    user = request.user
    related = ("enrolment__agent__user", "enrolment__cohort")
    # What a row shows (synthesis/_row.html): the agent's name, the cohort, the status.
    shown = ("status", "enrolment__cohort__title", *name_fields("enrolment__agent__user"))
    led = (
        led_by(user, timezone.now())
        .select_related(*related)
        .only(*shown)
        .with_awaiting_leader()
        .order_by(
            "-awaiting_me", "enrolment__cohort__title", "enrolment__agent__user__last_name", "pk"
        )
    )
    received = (
        Synthesis.objects.alive()
        .filter(transmitted_to=user)
        .select_related(*related)
        .only(*shown)
        .order_by("-transmission_decided_at")
    )
    shared_with_me = (
        shared_with(user)
        .select_related(*related)
        .only(*shown)
        .order_by("enrolment__agent__user__last_name", "pk")
    )
    # The state of the user's asks (managers and HR ask), never the document before the
    # agent accepts.
    asked = (
        ShareRequest.objects.filter(asked_by=user)
        .select_related("synthesis__enrolment__agent__user")
        .with_lapsed()
        .order_by("-asked_at", "-pk")
        if set(user.roles) & {Role.MANAGER, Role.HR}
        else ShareRequest.objects.none()
    )
    return render(
        request,
        "synthesis/index.html",
        {
            "led": Paginator(led, PAGE_SIZE).get_page(request.GET.get("page")),
            "received": received[:PAGE_SIZE],
            "shared": Paginator(shared_with_me, PAGE_SIZE).get_page(request.GET.get("partagees")),
            "asked": asked[:PAGE_SIZE],
        },
    )


def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    """The syntheses of one cohort, for its leaders: which await a signature."""
    led_cohort = load_led_cohort(request.user, pk)
    syntheses = list(
        led_by(request.user, timezone.now())
        .filter(enrolment__cohort=led_cohort)
        .select_related("enrolment__agent__user", "enrolment__cohort")
        .with_awaiting_leader()
        .order_by("enrolment__agent__user__last_name", "enrolment__agent__user__first_name")
    )
    enrolled = led_cohort.enrolments.current().count()
    return render(
        request,
        "synthesis/cohort.html",
        {
            "cohort": led_cohort,
            "syntheses": syntheses,
            # What the ZIP holds: its button only when there is something to download.
            "signed": sum(synthesis.is_signed for synthesis in syntheses),
            "enrolled": enrolled,
            "support_requests": open_support_requests(request.user, led_cohort),
            "breadcrumb": [
                ("Promotions", reverse("cohorts:dashboard")),
                (led_cohort.title, reverse("cohorts:detail", args=[pk])),
            ],
        },
    )


def cohort_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed syntheses of a cohort, as PDFs in one ZIP file (with 2.5: for its leaders)."""
    led_cohort = load_led_cohort(request.user, pk)
    signed = list(
        led_by(request.user, timezone.now())
        .filter(enrolment__cohort=led_cohort, status=Status.SIGNED)
        .values_list("pk", flat=True)
    )
    if not signed:
        messages.info(request, "Aucune synthèse signée dans cette promotion pour l’instant.")
        return redirect("synthesis:cohort", pk)
    reads = load_syntheses(request.user, signed)
    # The copies with 2.5 kept at the signature, in one query; any other as `_pdf` says.
    kept = pdf.kept_pdfs([r.synthesis for r in reads if r.may_read_personal_situation])
    files = [(_name_in_zip(r.synthesis), kept.get(r.synthesis.pk) or _pdf(r)) for r in reads]
    _record_reads(request, reads, AccessRecord.Format.PDF)
    response = HttpResponse(_zip(files), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="syntheses-promotion-{pk}.zip"'
    return response


# What Windows or macOS refuse in a file name, control characters included.
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def _name_in_zip(synthesis: Synthesis) -> str:
    """« Nom Prénom – n° 12.pdf »: unique by the synthesis's number (two agents may share
    a name), accents kept, nothing Windows or macOS would refuse."""
    user = synthesis.enrolment.agent.user
    name = unicodedata.normalize("NFC", f"{user.last_name} {user.first_name}")
    name = " ".join(UNSAFE_IN_FILE_NAMES.sub(" ", name).split())[:100].strip(" .")
    return f"{name or 'Synthèse'} – n° {synthesis.pk}.pdf"


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    # Stored as they are: a PDF is compressed already (deflating it again saves 2 % of
    # its size for most of the time the ZIP takes).
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()
