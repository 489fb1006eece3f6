"""
An import as the HR admin lives it: upload and preview (an ImportRun keeps the file and
what the preview showed; a large file is read and planned by the tasks worker, with
progress), confirm, apply (inline when small, else by the tasks worker, with progress),
and the file deleted once applied.
"""

import datetime
import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from bpp.people.imports.applying import apply_plan
from bpp.people.imports.mapping import default_mapping
from bpp.people.imports.planning import Kind, Plan, Progress, plan_import
from bpp.people.imports.reading import read_table
from bpp.people.models import ImportRun, Organisation, User

logger = logging.getLogger(__name__)
UNEXPECTED = (
    "Erreur inattendue : l’import s’est arrêté. Déposez de nouveau le fichier : ce qui est "
    "déjà fait ne sera pas refait."
)
# Up to this many rows, a confirmed import runs during the request itself.
INLINE_ROWS = 1_000
# Up to this size (about INLINE_ROWS rows of a CSV extract), a file is read and planned
# during the upload request; a larger one by the tasks worker: 100,000 rows take longer
# than a proxy waits for an answer.
INLINE_BYTES = INLINE_ROWS * 150
REPORT_ORDER = (Kind.REJECT, Kind.CREATE, Kind.UPDATE)


def make_plan(run: ImportRun) -> Plan:
    """The plan of `run`'s file against the database as it is now (UnreadableFile,
    MappingError, FullExtractRefused when it cannot be made)."""
    table = read_table(bytes(run.content), run.filename)
    return plan_import(run.organisation, table, run.columns, full=run.full_extract, by=run.by)


def preview(
    *,
    organisation: Organisation,
    content: bytes,
    filename: str,
    columns: dict[str, str] | None,
    full_extract: bool,
    by: User,
) -> ImportRun:
    """Plan the import of an uploaded file (with `columns`, else the mapping its headers
    suggest) and keep it, with what it would do, for its confirmation. A small file is
    planned now: raises, with a French message, when it cannot be, and then nothing is
    kept. A large one is kept and planned by the tasks worker (`plan_run`), which records
    on the run what went wrong, if anything."""
    run = ImportRun(
        organisation=organisation,
        filename=filename[:255],
        content=content,
        columns=columns or {},  # empty: the mapping its headers suggest
        full_extract=full_extract,
        by=by,
    )
    if len(content) > INLINE_BYTES:
        run.status = ImportRun.Status.PLANNING
        run.save()
        plan_run.enqueue(run_id=run.pk)
        return run
    _plan_preview(run)
    run.save()
    return run


def _plan_preview(run: ImportRun, progress: Progress | None = None) -> Plan:
    """Plan `run`'s file and note on it what the plan would do (without saving it)."""
    table = read_table(bytes(run.content), run.filename)
    if not run.columns:
        run.columns = default_mapping(table.headers)
    plan = plan_import(
        run.organisation,
        table,
        run.columns,
        full=run.full_extract,
        by=run.by,
        progress=progress,
    )
    run.counts = plan.counts
    run.report = _report(plan)
    run.progress_done = 0
    run.progress_total = len(plan.rows) + len(plan.deactivate)
    return plan


@task
def plan_run(*, run_id: int) -> None:
    """Read and plan a large file for its preview, recording the rows read as progress;
    a file that cannot be planned fails the run, with the reason, and is deleted."""
    run = ImportRun.objects.select_related("organisation", "by").get(pk=run_id)
    if run.status != ImportRun.Status.PLANNING:
        return

    def progress(done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total)

    try:
        _plan_preview(run, progress)
    except ValueError as error:  # unreadable, columns missing, full extract refused
        _finish(run, status=ImportRun.Status.FAILED, error=str(error))
    except Exception:  # recorded for the HR admin, logged (and reported) for us
        logger.exception("Preview of import %s failed", run.pk)
        _finish(run, status=ImportRun.Status.FAILED, error=UNEXPECTED)
    else:
        run.status = ImportRun.Status.PREVIEWED
        run.save(
            update_fields=[
                "status",
                "columns",
                "counts",
                "report",
                "progress_done",
                "progress_total",
            ]
        )


def _report(plan: Plan) -> list[dict]:
    report = []
    for kind in REPORT_ORDER:
        for row in plan.rows:
            if row.kind == kind and len(report) < ImportRun.PREVIEW_ROWS:
                detail = " ".join(row.errors) if row.errors else ", ".join(row.changes)
                report.append(
                    {"line": row.line, "kind": kind.value, "email": row.email, "detail": detail}
                )
    return report


def confirm(*, run: ImportRun) -> None:
    """Apply a previewed import: now when small, else through the tasks worker."""
    with transaction.atomic():
        claimed = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED).update(
            status=ImportRun.Status.QUEUED
        )
    if not claimed:
        return  # confirmed twice (a double click): the first one runs
    if run.progress_total <= INLINE_ROWS:
        apply_run.call(run_id=run.pk)
    else:
        apply_run.enqueue(run_id=run.pk)


@task
def apply_run(*, run_id: int) -> None:
    """Plan the run's file afresh (the database may have changed since its preview) and
    apply it, recording the progress; the file is deleted at the end, success or not."""
    run = ImportRun.objects.select_related("organisation", "by").get(pk=run_id)
    if run.status != ImportRun.Status.QUEUED:
        return
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)

    def progress(done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total)

    try:
        plan = make_plan(run)
        counts = apply_plan(plan, by=run.by, progress=progress)
    except ValueError as error:  # the file or the database changed since the preview
        _finish(run, status=ImportRun.Status.FAILED, error=str(error))
    except Exception:  # recorded for the HR admin, logged (and reported) for us
        logger.exception("Import %s failed", run.pk)
        _finish(run, status=ImportRun.Status.FAILED, error=UNEXPECTED)
    else:
        _finish(run, status=ImportRun.Status.DONE, counts=counts)


def _finish(run: ImportRun, *, status: str, counts: dict | None = None, error: str = "") -> None:
    fields = {"status": status, "content": None, "error": error, "finished_at": timezone.now()}
    if counts is not None:
        fields["counts"] = counts
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def abandon(*, run: ImportRun) -> None:
    """Forget a previewed import, its file first of all."""
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.PREVIEWED).delete()


# A preview never confirmed keeps its file (personal data) this long, then goes.
ABANDONED_AFTER = datetime.timedelta(days=1)


def purge_imports(*, now: datetime.datetime, finished_before: datetime.datetime) -> int:
    """Delete the previews abandoned for a day (their file with them) and the imports
    finished before `finished_before` (their report names people). How many went."""
    abandoned = ImportRun.objects.filter(
        # A preview that never came (a worker down for a day) goes too.
        status__in=(ImportRun.Status.PREVIEWED, ImportRun.Status.PLANNING),
        created_at__lt=now - ABANDONED_AFTER,
    )
    old = ImportRun.objects.filter(finished_at__lt=finished_before)
    return abandoned.delete()[0] + old.delete()[0]
