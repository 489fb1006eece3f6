"""The HR admin's imports of agents: upload and preview, confirm, follow, the mapping."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bpp.people.imports import runs
from bpp.people.imports.forms import ImportMappingForm, ImportUploadForm
from bpp.people.imports.mapping import FIELDS, RENOIRH
from bpp.people.imports.planning import KIND_LABELS, Kind
from bpp.people.models import ImportMapping, ImportRun, Role
from bpp.people.permissions import load_import_organisation, load_import_run, role_required

REPORT_PAGE_SIZE = 50
# The rows a preview shows, by kind: ?lignes=rejet
KIND_FILTERS = {kind.value: KIND_LABELS[kind] for kind in (Kind.REJECT, Kind.CREATE, Kind.UPDATE)}


@role_required(Role.HR_ADMIN)
@require_http_methods(["GET", "POST"])
def imports(request: HttpRequest, pk: int) -> HttpResponse:
    """The employer's last imports, and the upload of an extract, previewed at once (by the
    tasks worker when large: its page shows the progress, then the preview)."""
    organisation = load_import_organisation(request.user, pk)
    form = ImportUploadForm(request.POST or None, request.FILES or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = runs.preview(
                organisation=organisation,
                content=upload.read(),
                filename=upload.name,
                columns=form.columns(),
                full_extract=form.cleaned_data["full_extract"],
                by=request.user,
            )
        except ValueError as error:  # unreadable, columns missing, full extract refused
            form.add_error("file", str(error))
        else:
            return redirect("portals:import_run", run.pk)
    recent = ImportRun.objects.filter(organisation=organisation).select_related("by")[:20]
    return render(
        request,
        "portals/imports/index.html",
        {"organisation": organisation, "form": form, "runs": recent},
    )


@role_required(Role.HR_ADMIN)
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview of an import (to confirm), its progress, or its result."""
    run = load_import_run(request.user, pk)
    shown = request.GET.get("lignes", "")
    report = [r for r in run.report if r["kind"] == shown] if shown in KIND_FILTERS else run.report
    page = Paginator(report, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page:
        row["kind_label"] = KIND_LABELS[Kind(row["kind"])]
    return render(
        request,
        "portals/imports/run.html",
        {
            "run": run,
            "page_obj": page,
            "shown": shown,
            "filters": KIND_FILTERS,
            "counts": [
                *((KIND_LABELS[kind], run.counts.get(kind.value, 0)) for kind in Kind),
                ("Absents du fichier, désactivés", run.counts.get("desactivation", 0)),
            ],
            "columns": [(f.label, run.columns[f.name]) for f in FIELDS if run.columns.get(f.name)],
        },
    )


@role_required(Role.HR_ADMIN)
@require_POST
def confirm_import(request: HttpRequest, pk: int) -> HttpResponse:
    run = load_import_run(request.user, pk)
    if run.status != ImportRun.Status.PREVIEWED:
        messages.info(request, "Cet import est déjà confirmé.")
    else:
        runs.confirm(run=run)
    return redirect("portals:import_run", run.pk)


@role_required(Role.HR_ADMIN)
@require_POST
def abandon_import(request: HttpRequest, pk: int) -> HttpResponse:
    run = load_import_run(request.user, pk)
    if run.status == ImportRun.Status.PREVIEWED:
        runs.abandon(run=run)
        messages.success(
            request, f"Import de « {run.filename} » abandonné : le fichier est supprimé."
        )
    return redirect("portals:imports", run.organisation_id)


@role_required(Role.HR_ADMIN)
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Save a mapping of the employer's extracts' columns (by name: the same name replaces)."""
    organisation = load_import_organisation(request.user, pk)
    saved = ImportMapping.objects.filter(
        organisation=organisation, name=request.GET.get("nom", "")[:100]
    ).first()
    initial = {"name": saved.name, **saved.columns} if saved else {"name": "RenoiRH", **RENOIRH}
    form = ImportMappingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ImportMapping.objects.update_or_create(
            organisation=organisation,
            name=form.cleaned_data["name"],
            defaults={"columns": form.columns},
        )
        messages.success(request, f"Correspondance « {form.cleaned_data['name']} » enregistrée.")
        return redirect("portals:imports", organisation.pk)
    return render(
        request,
        "portals/imports/mapping.html",
        {
            "organisation": organisation,
            "form": form,
            "saved": ImportMapping.objects.filter(organisation=organisation).order_by("name"),
        },
    )
