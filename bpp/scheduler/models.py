from django.db import models


class JobRun(models.Model):
    """One scheduled run of a periodic job: saved before it starts, by one process only."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "en cours"
        SUCCEEDED = "succeeded", "réussie"
        FAILED = "failed", "en échec"

    job = models.CharField("tâche", max_length=100)
    due_at = models.DateTimeField("heure prévue")
    started_at = models.DateTimeField("début")
    finished_at = models.DateTimeField("fin", null=True, blank=True)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome, default=Outcome.RUNNING)
    output = models.TextField("sortie", blank=True)

    class Meta:
        verbose_name = "exécution d’une tâche périodique"
        verbose_name_plural = "exécutions des tâches périodiques"
        ordering = ["-due_at"]
        constraints = [
            # The exactly-once guarantee: a second process cannot record the same run.
            models.UniqueConstraint(fields=["job", "due_at"], name="one_run_per_job_and_due_time"),
        ]

    def __str__(self) -> str:
        return f"{self.job} ({self.due_at:%Y-%m-%d %H:%M})"
