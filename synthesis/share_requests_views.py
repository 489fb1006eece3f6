"""
Share requests: the agent's manager, or HR of their employer, asks the agent to share
the signed synthesis; the agent accepts or declines on their sharing page.

The asker's page shows the state of their asks and never a word of the document: only
an accepted ask gives a consent, and the synthesis page then reads under it.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from synthesis.forms import ShareAnswerForm, ShareRequestForm
from synthesis.models import ShareRequest, SharingError
from synthesis.permissions import load_agent_to_ask, load_share_request
from synthesis.services import answer_share_request, ask_to_share


@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    """The manager or HR asks an agent to share their signed synthesis."""
    found = load_agent_to_ask(request.user, pk)
    form = ShareRequestForm(
        request.POST if request.method == "POST" else None, audiences=found.audiences
    )
    if found.synthesis is not None and form.is_valid():
        try:
            ask_to_share(
                synthesis=found.synthesis,
                audience=form.cleaned_data["audience"],
                by=request.user,
                message=form.cleaned_data["message"],
            )
        except SharingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Votre demande est envoyée à {found.agent.user.get_full_name()}. "
                "Vous serez prévenu de sa réponse.",
            )
        return redirect("synthesis:ask", pk)
    asked = (
        ShareRequest.objects.filter(asked_by=request.user, synthesis__enrolment__agent=found.agent)
        .with_lapsed()
        .order_by("-asked_at", "-pk")
    )
    return render(
        request,
        "synthesis/ask.html",
        {
            "agent": found.agent,
            "synthesis": found.synthesis,
            "form": form,
            "asked": asked,
            "breadcrumb": [("Documents de synthèse", reverse("synthesis:index"))],
        },
    )


@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent accepts or declines a share request."""
    share_request = load_share_request(request.user, pk)
    synthesis_pk = share_request.synthesis_id
    form = ShareAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choix invalide : rien n’a changé.")
        return redirect("synthesis:sharing", synthesis_pk)
    accepted = form.cleaned_data["accepted"]
    try:
        answer_share_request(share_request=share_request, accepted=accepted)
    except SharingError as error:
        messages.error(request, str(error))
    else:
        name = share_request.asked_by.get_full_name()
        messages.success(
            request,
            f"{name} peut désormais lire votre synthèse, sans la partie 2.5. Vous pouvez "
            "retirer cet accord à tout moment."
            if accepted
            else f"Demande déclinée : {name} en est informé, et rien ne lui est communiqué.",
        )
    return redirect("synthesis:sharing", synthesis_pk)
