"""
Sessions of a cohort (collective sessions and individual interviews) and attendance.

Each session carries a stable calendar UID and a SEQUENCE number that grows with every
change, so calendar applications update (or cancel) the event they already hold.

Attendance (émargement): each agent signs their own presence from their phone, with the
code the leader shows in the room (typed, or read from its QR code), or for a session with
a video link by confirming from the session page; the leader records the others. The code
is a TOTP-like value: an HMAC of the current 30-second window under a secret of the
session, itself derived from SECRET_KEY and the session's UID, so that no secret and no
code is ever stored. A code stays valid for the window after the one it was shown in
(30 to 60 seconds), the time to type it.
"""

import datetime
import hmac
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format

from bpp.templatetags import french
from cohorts.models.cohorts import Cohort, CohortError, Enrolment, Phase

# The attendance code: 6 characters among 31 that cannot be taken for one another (no 0,
# O, 1, I, L), about 887 million values, a new one every CODE_WINDOW_SECONDS.
CODE_LENGTH = 6
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_WINDOW_SECONDS = 30
# Agents sign from a quarter of an hour before the start (they arrive early, or join the
# video call early) until the planned end; after that the leader records the stragglers.
SIGNING_OPENS_BEFORE = datetime.timedelta(minutes=15)
# Wrong codes an agent may type for one session within WRONG_CODES_PERIOD.
MAX_WRONG_CODES = 5
WRONG_CODES_PERIOD = datetime.timedelta(minutes=10)


def normalise_code(raw: str) -> str:
    """The code as typed, in capitals, without the spaces and hyphens people add."""
    return "".join(raw.split()).replace("-", "").upper()


def clock_time(value: datetime.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.hour} h {local.minute:02d}"


class SessionKind(models.TextChoices):
    COLLECTIVE = "collective", "Séance collective"
    WEBINAR = "webinaire", "Webinaire d’information"
    RESTITUTION = "restitution", "Restitution au collectif"
    INITIAL_INTERVIEW = "entretien_initial", "Entretien individuel initial"
    INTERVIEW = "entretien", "Entretien individuel"
    # Asked by the agent while they finalise their synthesis (guide, "entretien d’appui").
    SUPPORT_INTERVIEW = "entretien_appui", "Entretien d’appui"
    FINAL_INTERVIEW = "entretien_final", "Entretien individuel final"


# The kinds where the whole cohort meets; the others receive one agent.
GROUP_KINDS = (SessionKind.COLLECTIVE, SessionKind.WEBINAR, SessionKind.RESTITUTION)
# The kinds the guide ties to one phase: the information webinar and the initial interview
# belong to the launch, the restitution to the group to the action plan, the final
# interview to the conclusion. The model's constraints and the forms both read this.
PHASE_OF_KIND = {
    SessionKind.WEBINAR: Phase.LAUNCH,
    SessionKind.INITIAL_INTERVIEW: Phase.LAUNCH,
    SessionKind.RESTITUTION: Phase.ACTION_PLAN,
    SessionKind.FINAL_INTERVIEW: Phase.CONCLUSION,
}
# How the refusal names them, in a sentence.
_KIND_IN_A_SENTENCE = {
    SessionKind.WEBINAR: "Le webinaire d’information",
    SessionKind.INITIAL_INTERVIEW: "L’entretien initial",
    SessionKind.RESTITUTION: "La restitution au collectif",
    SessionKind.FINAL_INTERVIEW: "L’entretien final",
}
_PHASE_IN_A_SENTENCE = {
    Phase.LAUNCH: "le lancement",
    Phase.ACTION_PLAN: "l’appui à la réalisation d’un plan d’action",
    Phase.CONCLUSION: "la conclusion",
}


def phase_refusal(kind: str | None, phase: int | None) -> str | None:
    """Why a session of `kind` cannot take place in `phase`, in French, or None."""
    if kind not in PHASE_OF_KIND or phase == PHASE_OF_KIND[kind]:
        return None
    expected = PHASE_OF_KIND[kind]
    return (
        f"{_KIND_IN_A_SENTENCE[kind]} a lieu pendant la phase {expected.value}, "
        f"{_PHASE_IN_A_SENTENCE[expected]}."
    )


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
    # The leader certifies the attendance sheet once the session is over; it is final.
    attendance_certified_at = models.DateTimeField("émargement certifié le", null=True, blank=True)
    attendance_certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="émargement certifié par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="session_duration_15_min_to_8_h",
            ),
            *(
                models.CheckConstraint(
                    condition=~Q(kind=kind) | Q(phase=phase),
                    name=f"session_{kind}_in_phase_{phase}",
                )
                for kind, phase in PHASE_OF_KIND.items()
            ),
            # A webinar is followed from a distance: it has a link.
            models.CheckConstraint(
                condition=~Q(kind=SessionKind.WEBINAR) | ~Q(video_link=""),
                name="session_webinar_has_a_link",
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""),
                name="session_has_a_place_or_a_link",
            ),
            models.CheckConstraint(
                condition=Q(
                    attendance_certified_at__isnull=True, attendance_certified_by__isnull=True
                )
                | Q(attendance_certified_at__isnull=False, attendance_certified_by__isnull=False),
                name="session_certified_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {french.day(self.starts_at)}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_individual(self) -> bool:
        return self.kind not in GROUP_KINDS

    @property
    def is_attendance_certified(self) -> bool:
        return self.attendance_certified_at is not None

    @property
    def allows_remote_confirmation(self) -> bool:
        """Agents who follow it by video confirm their presence from the session page."""
        return bool(self.video_link)

    # Signing one's presence --------------------------------------------------------

    @property
    def signing_opens_at(self) -> datetime.datetime:
        return self.starts_at - SIGNING_OPENS_BEFORE

    def signing_refusal(self, now: datetime.datetime) -> str | None:
        """Why an agent cannot sign their presence at `now`, in French, or None."""
        if self.cancelled_at:
            return "Cette séance est annulée."
        if self.is_attendance_certified:
            return "La feuille d’émargement est certifiée : demandez à l’animateur."
        if now < self.signing_opens_at:
            return (
                f"L’émargement ouvre le {date_format(timezone.localtime(self.signing_opens_at), 'l j F Y')} "
                f"à {clock_time(self.signing_opens_at)}, un quart d’heure avant la séance."
            )
        if now >= self.ends_at:
            return (
                f"L’émargement a fermé à {clock_time(self.ends_at)}, à la fin de la séance : "
                "demandez à l’animateur de relever votre présence."
            )
        return None

    def is_signing_open(self, now: datetime.datetime | None = None) -> bool:
        return self.signing_refusal(now or timezone.now()) is None

    @property
    def signing_open_now(self) -> bool:
        """For the templates: whether agents can sign at this instant."""
        return self.is_signing_open()

    def _code_for_window(self, window: int) -> str:
        # The session's own secret, derived (never stored): SECRET_KEY and the UID.
        secret = salted_hmac(
            "cohorts.Session.attendance_code", str(self.uid), algorithm="sha256"
        ).digest()
        number = int.from_bytes(
            hmac.new(secret, window.to_bytes(8, "big"), "sha256").digest(), "big"
        )
        characters = []
        for _ in range(CODE_LENGTH):
            number, index = divmod(number, len(CODE_ALPHABET))
            characters.append(CODE_ALPHABET[index])
        return "".join(characters)

    @staticmethod
    def _window(at: datetime.datetime) -> int:
        return int(at.timestamp()) // CODE_WINDOW_SECONDS

    def attendance_code(self, at: datetime.datetime) -> str:
        """The code to show in the room at `at`."""
        return self._code_for_window(self._window(at))

    @classmethod
    def code_seconds_left(cls, at: datetime.datetime) -> int:
        """Seconds until the code shown at `at` is replaced by the next one."""
        return (cls._window(at) + 1) * CODE_WINDOW_SECONDS - int(at.timestamp())

    def accepts_code(self, code: str, at: datetime.datetime) -> bool:
        """Whether `code` is the one shown at `at` or just before (constant-time)."""
        code = normalise_code(code)
        window = self._window(at)
        accepted = False
        for shown in (window, window - 1):
            accepted |= hmac.compare_digest(code, self._code_for_window(shown))
        return accepted


class AlreadySigned(CohortError):
    """The agent already signed their presence at this session."""


class Attendance(models.Model):
    """Émargement: whether a participant came to a session, and how we know it."""

    class Status(models.TextChoices):
        PRESENT = "present", "Présent"
        EXCUSED = "excuse", "Absent excusé"
        ABSENT = "absent", "Absent"
        LEFT_EARLY = "parti", "Parti en cours de séance"

    class Method(models.TextChoices):
        CODE = "code", "Signé avec le code de la séance"
        REMOTE = "distance", "Présence confirmée à distance"
        LEADER = "animateur", "Relevé par l’animateur"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField("présence", max_length=10, choices=Status.choices)
    method = models.CharField(
        "émargement", max_length=10, choices=Method.choices, default=Method.LEADER
    )
    # When the agent signed themselves (code or remote confirmation); none when recorded.
    signed_at = models.DateTimeField("signé le", null=True, blank=True)
    # Who set the status: the agent when they signed, else the leader (or someone running
    # the cohort). A leader may still change a signed status (left early).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="relevé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("relevée le", default=timezone.now)

    class Meta:
        verbose_name = "émargement"
        verbose_name_plural = "émargements"
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(method="animateur", signed_at__isnull=True)
                | (~Q(method="animateur") & Q(signed_at__isnull=False)),
                name="attendance_signed_iff_signed_by_the_agent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.agent} — {self.get_status_display()}"

    @property
    def is_signed_by_the_agent(self) -> bool:
        return self.signed_at is not None

    @property
    def changed_by_someone_else(self) -> bool:
        """The agent signed, and someone else set the status since (left early, say)."""
        return self.is_signed_by_the_agent and self.recorded_by_id != self.enrolment.agent.user_id


class WrongAttendanceCode(models.Model):
    """A wrong code typed by an agent: after MAX_WRONG_CODES in a while, they must wait."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="+")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField("le")

    class Meta:
        verbose_name = "code d’émargement erroné"
        verbose_name_plural = "codes d’émargement erronés"
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["session", "enrolment", "at"], name="wrong_code_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.at:%d/%m/%Y %H:%M:%S}"
