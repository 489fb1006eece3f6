"""
Sessions of a cohort (collective sessions and individual interviews) and attendance.

Each session carries a stable calendar UID and a SEQUENCE number that grows with every
change, so calendar applications update (or cancel) the event they already hold.
"""

import datetime
import uuid

from django.db import models
from django.db.models import Q

from cohorts.models.cohorts import Cohort, Enrolment, Phase


class SessionKind(models.TextChoices):
    COLLECTIVE = "collective", "Séance collective"
    INITIAL_INTERVIEW = "entretien_initial", "Entretien individuel initial"
    INTERVIEW = "entretien", "Entretien individuel"
    FINAL_INTERVIEW = "entretien_final", "Entretien individuel final"


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    phase = models.PositiveSmallIntegerField("phase", choices=Phase.choices)
    kind = models.CharField("type", max_length=20, choices=SessionKind.choices)
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=180)
    place = models.CharField("lieu", max_length=300, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    participants = models.ManyToManyField(
        Enrolment, verbose_name="participants", related_name="sessions"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="session_duration_15_min_to_8_h",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SessionKind.INITIAL_INTERVIEW) | Q(phase=Phase.LAUNCH),
                name="session_initial_interview_in_phase_1",
            ),
            models.CheckConstraint(
                condition=~Q(kind=SessionKind.FINAL_INTERVIEW) | Q(phase=Phase.CONCLUSION),
                name="session_final_interview_in_phase_4",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""),
                name="session_has_a_place_or_a_link",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.starts_at:%d/%m/%Y}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_individual(self) -> bool:
        return self.kind != SessionKind.COLLECTIVE


class Attendance(models.Model):
    """Émargement: whether a participant came to a session."""

    class Status(models.TextChoices):
        PRESENT = "present", "Présent"
        ABSENT = "absent", "Absent"
        EXCUSED = "excuse", "Absent excusé"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField("présence", max_length=10, choices=Status.choices)
    recorded_at = models.DateTimeField("relevée le", auto_now=True)

    class Meta:
        verbose_name = "émargement"
        verbose_name_plural = "émargements"
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.agent} — {self.get_status_display()}"
