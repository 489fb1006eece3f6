"""
The synthesis document: co-written by the agent and the cohort's leader, finalised by
the agent, co-signed by both, owned by the agent.

Its whole content (every version, section 2.5, the comments) is encrypted under a data
key of its own (`SynthesisKey`, see synthesis.fields); destroying it deletes that key.

Every save appends a `SynthesisVersion` (who, when, the whole content): earlier
versions stay readable, and a save based on anything but the latest version is
refused (`ConflictError`) instead of overwriting it. Between two saves, the editor
keeps each writer's work as their `SynthesisDraft` (one per synthesis and author,
encrypted like the rest, never a version): it is refused too when it is based on an
older version, or on an older revision of the same draft (another tab), and the
author's next save turns it into a version. The agent finalises in phase 4 only. A signature records the SHA-256
of the exact content signed; once both have signed, the document is locked and an
amendment starts a new version that needs new signatures.
"""

import datetime
import hashlib
import json

from cryptography.fernet import Fernet
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bpp.people.models import User
from bpp.templatetags import french
from cohorts.models import Cohort, Enrolment, Phase, SessionKind
from synthesis.fields import (
    EncryptedJSONField,
    EncryptedTextField,
    UndecryptableError,
    new_wrapped_key,
)
from synthesis.models.keys import SynthesisKey

# The agent finalises the synthesis in the conclusion phase, after the final interview
# (guide, "Les 4 phases"): before it, sections would be locked and signed empty.
FINALISING_PHASE = Phase.CONCLUSION


class SynthesisError(Exception):
    """A rule forbids this change; the message says why, in French, to the user."""


class ConflictError(SynthesisError):
    """The save was based on an older version than the latest one."""

    def __init__(self, latest: "SynthesisVersion"):
        self.latest = latest
        at = timezone.localtime(latest.created_at)
        when = f"{french.day(at)} à {at:%H:%M}"
        super().__init__(
            f"La synthèse a été modifiée par {latest.author.get_full_name()} le {when}, "
            "après que vous l’avez ouverte. Vos modifications n’ont pas été enregistrées : "
            "elles sont toujours dans le formulaire ci-dessous. Comparez-les avec la "
            "dernière version, puis enregistrez à nouveau."
        )


class DraftConflictError(SynthesisError):
    """The draft was saved since, from another tab or device, by the same author."""

    def __init__(self, draft: "SynthesisDraft | None"):
        self.draft = draft
        if draft is None:
            what = "vous l’avez enregistré ou abandonné depuis une autre fenêtre"
        else:
            when = timezone.localtime(draft.saved_at).strftime("%d/%m/%Y à %H:%M")
            what = f"vous l’avez modifié le {when} depuis une autre fenêtre ou un autre appareil"
        super().__init__(
            f"Brouillon non enregistré : {what}. Vos modifications sont toujours dans cette "
            "page : cliquez sur « Enregistrer » pour en faire une version, "
        )


class Orientation(models.TextChoices):
    """What follows the review (4.2 of the synthesis), chosen by the agent at conclusion."""

    SKILLS_ASSESSMENT = "bilan_competences", "Bilan de compétences"
    DEVELOPMENT_PLAN = "pidc", "Plan individuel de développement des compétences"
    IMMERSION = "immersion", "Période d’immersion professionnelle"
    CAREER_ADVICE = "cep", "Conseil en évolution professionnelle"
    MOBILITY = "mobilite", "Mobilité"
    NONE = "aucune", "Aucune suite particulière"


class Status(models.TextChoices):
    DRAFT = "brouillon", "En cours de rédaction"
    FINALISED = "finalisee", "Finalisée, en attente des signatures"
    SIGNED = "signee", "Signée"
    DESTROYED = "detruite", "Détruite à la demande de l’agent"


# The DSFR badge of each status (`fr-badge--<kind>`; empty: the grey one), declared once:
# pages show it through `templates/components/_badge.html`.
BADGES = {
    Status.DRAFT: "info",
    Status.FINALISED: "new",
    Status.SIGNED: "success",
    Status.DESTROYED: "",
}


class Capacity(models.TextChoices):
    """In which capacity a person signs."""

    AGENT = "agent", "L’agent"
    LEADER = "animateur", "Le professionnel qui accompagne"


class SynthesisEvent(models.TextChoices):
    """What happened to a synthesis, in its history (never a word of its content)."""

    FINALISED = "finalisation", "Finalisée par l’agent"
    SIGNED_BY_AGENT = "signature_agent", "Signée par l’agent"
    SIGNED_BY_LEADER = "signature_animateur", "Signée par le professionnel qui accompagne"
    REOPENED = "reouverture", "Rouverte pour modification"
    AMENDED = "avenant", "Rouverte pour un avenant"
    TRANSMITTED = "transmission", "Transmise à un conseiller mobilité-carrière interne"
    NOT_TRANSMITTED = "non_transmission", "Transmise à personne"
    DESTROYED = "destruction", "Détruite à la demande de l’agent"


SIGNED_AS = {
    Capacity.AGENT: SynthesisEvent.SIGNED_BY_AGENT,
    Capacity.LEADER: SynthesisEvent.SIGNED_BY_LEADER,
}


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


def header_for(enrolment: Enrolment) -> dict:
    """The header of the model and the dates of the phases, from the profile and the cohort."""
    agent, cohort = enrolment.agent, enrolment.cohort
    phases = {str(p.number): [_day(p.starts_on), _day(p.ends_on)] for p in cohort.phases.all()}
    sessions = list(
        enrolment.sessions.filter(cancelled_at__isnull=True)
        .order_by("starts_at")
        .values_list("phase", "kind", "starts_at")
    )

    def first(kind: str) -> str:
        return next((_day(at) for _phase, k, at in sessions if k == kind), "")

    return {
        "agent": agent.user.get_full_name(),
        "function": agent.function_title,
        "category": agent.get_category_display(),
        "post_start_date": _day(agent.post_start_date),
        "launch_date": phases.get(str(Phase.LAUNCH), [""])[0],
        "cohort": cohort.title,
        "provider": cohort.provider.name if cohort.provider_id else "",
        "phases": phases,
        "initial_interview": first(SessionKind.INITIAL_INTERVIEW),
        "final_interview": first(SessionKind.FINAL_INTERVIEW),
        "analysis_sessions": [
            _day(at)
            for phase, kind, at in sessions
            if phase == Phase.ANALYSIS and kind == SessionKind.COLLECTIVE
        ],
        "contract_signed_on": _day(enrolment.contract_signed_at),
    }


def empty_content() -> dict:
    return {"sections": {}, "actions": [], "schemes": [], "schemes_other": ""}


class SynthesisQuerySet(models.QuerySet):
    def open_for(self, enrolments) -> None:
        """Open the synthesis of each enrolment that has none yet (one INSERT)."""
        self.bulk_create(
            [Synthesis(enrolment=enrolment) for enrolment in enrolments], ignore_conflicts=True
        )

    def of_cohorts_led_by(self, user: User) -> "SynthesisQuerySet":
        return self.filter(enrolment__cohort__in=Cohort.objects.led_by(user))

    def alive(self) -> "SynthesisQuerySet":
        return self.exclude(status=Status.DESTROYED)

    def with_awaiting_leader(self) -> "SynthesisQuerySet":
        """Annotate `awaiting_me`: finalised, the leader's signature still missing; and
        `agent_signed`: finalised, the agent's signature given."""
        finalised = Q(status=Status.FINALISED)
        return self.annotate(
            awaiting_me=finalised & ~Q(Exists(_signed(Capacity.LEADER))),
            agent_signed=finalised & Q(Exists(_signed(Capacity.AGENT))),
        )

    def awaiting_leader(self) -> "SynthesisQuerySet":
        """Finalised, the leader's signature still missing (`awaiting_me`, as a filter)."""
        return self.filter(status=Status.FINALISED).exclude(Exists(_signed(Capacity.LEADER)))


def _signed(capacity: str) -> QuerySet:
    """The signature given in `capacity` to the synthesis's current version."""
    return Signature.objects.filter(
        version__synthesis=OuterRef("pk"), version__number=OuterRef("version"), capacity=capacity
    )


class Synthesis(models.Model):
    enrolment = models.OneToOneField(
        Enrolment, verbose_name="inscription", on_delete=models.CASCADE, related_name="synthesis"
    )
    status = models.CharField("état", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("version en cours", default=0)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    finalised_at = models.DateTimeField("finalisée le", null=True, blank=True)
    signed_at = models.DateTimeField("signée le", null=True, blank=True)
    destroyed_at = models.DateTimeField("détruite le", null=True, blank=True)
    # The orientation of the signed version (4.2), copied at the second signature for the
    # indicators' counts (never shown one by one outside the document): the one word of
    # the content kept outside its encrypted versions. Emptied on reopening and destruction.
    orientation = models.CharField(
        "orientation retenue (signée)", max_length=20, choices=Orientation.choices, blank=True
    )
    # Provider-led cohorts: the agent's choice, at the end, to transmit it to an internal CMC.
    transmission_decided_at = models.DateTimeField("transmission décidée le", null=True, blank=True)
    transmitted_to = models.ForeignKey(
        User,
        verbose_name="transmise à",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="syntheses_received",
    )

    objects = SynthesisQuerySet.as_manager()

    class Meta:
        verbose_name = "document de synthèse"
        verbose_name_plural = "documents de synthèse"
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DESTROYED, destroyed_at__isnull=False, version=0)
                | (~Q(status=Status.DESTROYED) & Q(destroyed_at__isnull=True)),
                name="synthesis_destroyed_is_empty",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.SIGNED) | Q(signed_at__isnull=False),
                name="synthesis_signed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(orientation="") | Q(status=Status.SIGNED),
                name="synthesis_orientation_only_signed",
            ),
            models.CheckConstraint(
                condition=Q(transmitted_to__isnull=True) | Q(transmission_decided_at__isnull=False),
                name="synthesis_transmission_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"Synthèse {french.elide('de', self.enrolment.agent)}"

    @property
    def status_badge(self) -> str:
        """The DSFR badge kind of the status (`BADGES`)."""
        return BADGES[self.status]

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def is_finalised(self) -> bool:
        """Finalised by the agent, awaiting both signatures."""
        return self.status == Status.FINALISED

    @property
    def is_signed(self) -> bool:
        """Signed by both: locked until the agent reopens it for an amendment."""
        return self.status == Status.SIGNED

    @property
    def is_destroyed(self) -> bool:
        return self.status == Status.DESTROYED

    @property
    def is_editable(self) -> bool:
        return self.is_draft

    def current(self) -> "SynthesisVersion | None":
        if self.version == 0:
            return None
        return self.versions.select_related("author").get(number=self.version)

    def data_key(self, *, create: bool = False) -> Fernet:
        """The key that encrypts this synthesis's content; UndecryptableError without one.

        The key is made on the first write (a version or a comment, `create=True`), under
        the synthesis row lock, and refused once the synthesis is destroyed. Lazily rather
        than in `open_for`: its bulk INSERT ignores conflicts and gives back no primary
        keys, factories and seeds create syntheses too, and a synthesis nobody wrote in
        has nothing to encrypt. A synthesis never written, or destroyed, has no key.
        """
        try:
            return self.key.fernet
        except SynthesisKey.DoesNotExist:
            pass  # none cached: made since this instance was read, or to be made now
        key = SynthesisKey.objects.filter(synthesis_id=self.pk).first()
        if key is None and not create:
            raise UndecryptableError("Cette synthèse n’a pas de clé : rien ne s’y déchiffre.")
        if key is None:
            with transaction.atomic():
                locked = self._locked()
                self._ensure(not locked.is_destroyed, "Cette synthèse a été détruite.")
                key, _ = SynthesisKey.objects.get_or_create(
                    synthesis=locked, defaults={"wrapped": new_wrapped_key()}
                )
        self.key = key
        return key.fernet

    def _locked(self) -> "Synthesis":
        return Synthesis.objects.select_for_update().get(pk=self.pk)

    def _refresh_from(self, locked: "Synthesis") -> None:
        for name in ("status", "version", "finalised_at", "signed_at", "destroyed_at"):
            setattr(self, name, getattr(locked, name))

    @staticmethod
    def _ensure(condition: bool, message: str) -> None:
        if not condition:
            raise SynthesisError(message)

    def _record(
        self, event: str, *, from_status: str, to_status: str, by_id: int, at: datetime.datetime
    ) -> "SynthesisTransition":
        return SynthesisTransition.objects.create(
            synthesis_id=self.pk,
            event=event,
            from_status=from_status,
            to_status=to_status,
            by_id=by_id,
            at=at,
        )

    @property
    def _agent_user_id(self) -> int:
        """Finalising, reopening, transmitting and destroying are the agent's alone."""
        return self.enrolment.agent.user_id

    @transaction.atomic
    def save_version(
        self,
        *,
        by: User,
        based_on: int,
        content: dict,
        personal_situation: str,
        now: datetime.datetime | None = None,
    ) -> "SynthesisVersion | None":
        """Append a version with this content, if it is based on the latest one.

        Returns None when nothing changed (no empty version in the history).
        """
        locked = self._locked()
        self._ensure(locked.status != Status.DESTROYED, "Cette synthèse a été détruite.")
        self._ensure(
            locked.status == Status.DRAFT,
            "La synthèse est finalisée : l’agent doit la rouvrir avant toute modification.",
        )
        latest = self._check_based_on(locked, based_on)
        content = {**content, "header": header_for(self.enrolment)}
        # The author's draft ends here: what they save now is their latest word.
        self.drafts.filter(author=by).delete()
        if latest is not None and (latest.content, latest.personal_situation) == (
            content,
            personal_situation,
        ):
            return None
        version = SynthesisVersion.objects.create(
            synthesis=locked,
            number=locked.version + 1,
            author=by,
            created_at=now or timezone.now(),
            content=content,
            personal_situation=personal_situation,
        )
        Synthesis.objects.filter(pk=self.pk).update(version=version.number)
        self.version = version.number
        return version

    @staticmethod
    def _check_based_on(locked: "Synthesis", based_on: int) -> "SynthesisVersion | None":
        """The latest version, if `based_on` is it; ConflictError otherwise."""
        latest = locked.current()
        if based_on != locked.version:
            if latest is None:
                raise SynthesisError(
                    "Cette page repose sur une version inconnue : rechargez-la avant d’écrire."
                )
            raise ConflictError(latest)
        return latest

    @transaction.atomic
    def save_draft(
        self,
        *,
        by: User,
        based_on: int,
        revision: int,
        content: dict,
        personal_situation: str,
        now: datetime.datetime | None = None,
    ) -> "SynthesisDraft":
        """Keep `by`'s work in progress, without a version, unless it would overwrite newer work.

        `based_on` is the version the editor started from: ConflictError if another one
        was saved since. `revision` is the revision of `by`'s draft the editor last saved
        (0: none yet): DraftConflictError if the draft was saved since, from elsewhere.
        """
        locked = self._locked()
        self._ensure(locked.status != Status.DESTROYED, "Cette synthèse a été détruite.")
        self._ensure(
            locked.status == Status.DRAFT,
            "Brouillon non enregistré : la synthèse est finalisée. L’agent doit la rouvrir "
            "avant toute modification.",
        )
        self._check_based_on(locked, based_on)
        draft = SynthesisDraft.objects.filter(synthesis=locked, author=by).first()
        now = now or timezone.now()
        if draft is None:
            if revision != 0:
                raise DraftConflictError(None)
            try:
                with transaction.atomic():
                    return SynthesisDraft.objects.create(
                        synthesis=locked,
                        author=by,
                        based_on=based_on,
                        revision=1,
                        saved_at=now,
                        content=content,
                        personal_situation=personal_situation,
                    )
            except IntegrityError:  # created meanwhile by another tab of the same author
                raise DraftConflictError(None) from None
        # One conditional UPDATE claims the next revision: it holds on SQLite too, where
        # the row lock above is ignored.
        claimed = SynthesisDraft.objects.filter(pk=draft.pk, revision=revision).update(
            revision=revision + 1
        )
        if not claimed:
            raise DraftConflictError(draft)
        draft.synthesis = locked
        draft.revision, draft.based_on, draft.saved_at = revision + 1, based_on, now
        draft.content, draft.personal_situation = content, personal_situation
        draft.save(update_fields=["based_on", "saved_at", "content", "personal_situation"])
        return draft

    def finalising_refusal(self) -> str | None:
        """Why the agent may not finalise now: a draft, written, in phase 4 of the cohort.

        Reads the cohort through the enrolment; `finalise` re-reads it under the lock.
        """
        if self.status != Status.DRAFT:
            return "Cette synthèse n’est pas en rédaction."
        if self.version == 0:
            return "La synthèse est vide : rédigez-la avant de la finaliser."
        phase = self.enrolment.cohort.current_phase
        if phase != FINALISING_PHASE:
            where = (
                "la promotion n’a pas encore démarré"
                if phase is None
                else f"la promotion est en phase {phase} ({Phase(phase).label.lower()})"
            )
            return (
                f"La synthèse se finalise en phase {FINALISING_PHASE} "
                f"({Phase(FINALISING_PHASE).label.lower()}), après l’entretien final : "
                f"{where}."
            )
        return None

    @transaction.atomic
    def finalise(self, *, now: datetime.datetime | None = None) -> None:
        """The agent declares the document complete, in phase 4; both may now sign it."""
        now = now or timezone.now()
        locked = self._locked()
        locked.enrolment = Enrolment.objects.select_related("cohort").get(pk=self.enrolment_id)
        refusal = locked.finalising_refusal()
        self._ensure(refusal is None, refusal or "")
        Synthesis.objects.filter(pk=self.pk).update(status=Status.FINALISED, finalised_at=now)
        self._record(
            SynthesisEvent.FINALISED,
            from_status=locked.status,
            to_status=Status.FINALISED,
            by_id=self._agent_user_id,
            at=now,
        )
        self._refresh_from(Synthesis.objects.get(pk=self.pk))

    @transaction.atomic
    def reopen(self, *, now: datetime.datetime | None = None) -> None:
        """Back to writing: before the signatures, or as an amendment of the signed document.

        The signed version stays in the history with its signatures; the next save
        creates a new version, which needs new signatures.
        """
        locked = self._locked()
        self._ensure(
            locked.status in (Status.FINALISED, Status.SIGNED),
            "Cette synthèse est déjà en rédaction.",
        )
        Synthesis.objects.filter(pk=self.pk).update(
            status=Status.DRAFT, finalised_at=None, signed_at=None, orientation=""
        )
        self._record(
            SynthesisEvent.AMENDED if locked.status == Status.SIGNED else SynthesisEvent.REOPENED,
            from_status=locked.status,
            to_status=Status.DRAFT,
            by_id=self._agent_user_id,
            at=now or timezone.now(),
        )
        self._refresh_from(Synthesis.objects.get(pk=self.pk))

    def signing_refusal(self, capacity: str | None, signatures) -> str | None:
        """Why `capacity` may not sign now (`signatures`: those of the current version)."""
        if capacity is None:
            return "Seuls l’agent et l’animateur de la promotion signent la synthèse."
        if self.status != Status.FINALISED:
            return "Seule une synthèse finalisée par l’agent peut être signée."
        if capacity in {signature.capacity for signature in signatures}:
            return "Cette version est déjà signée à ce titre."
        return None

    def status_label(self, signatures=()) -> str:
        """The status in words; once finalised, whose signature is given already
        (`signatures`: those of the current version)."""
        given = {signature.capacity for signature in signatures}
        if self.status == Status.FINALISED and Capacity.AGENT in given:
            return "Signée par l’agent, en attente du professionnel"
        if self.status == Status.FINALISED and Capacity.LEADER in given:
            return "Signée par le professionnel, en attente de l’agent"
        return self.get_status_display()

    def awaited_signatures(self, signatures) -> list[Capacity]:
        """The capacities whose signature the finalised version still awaits (`signatures`:
        those of the current version), the agent first."""
        if self.status != Status.FINALISED:
            return []
        given = {signature.capacity for signature in signatures}
        return [capacity for capacity in Capacity if capacity not in given]

    @transaction.atomic
    def sign(self, *, by: User, capacity: str, now: datetime.datetime | None = None) -> "Signature":
        """Sign the finalised version; the second signature locks the document."""
        now = now or timezone.now()
        locked = self._locked()
        version = locked.current()
        refusal = locked.signing_refusal(capacity, version.signatures.all() if version else [])
        self._ensure(refusal is None, refusal or "")
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    version=version,
                    capacity=capacity,
                    signer=by,
                    signed_at=now,
                    digest=version.digest(),
                )
        except IntegrityError:
            raise SynthesisError("Cette version est déjà signée à ce titre.") from None
        to_status = locked.status
        if version.signatures.count() == len(Capacity):
            to_status = Status.SIGNED
            orientation = version.content.get("orientation", "")
            Synthesis.objects.filter(pk=self.pk).update(
                status=Status.SIGNED,
                signed_at=now,
                orientation=orientation if orientation in Orientation.values else "",
            )
        self._record(
            SIGNED_AS[capacity], from_status=locked.status, to_status=to_status, by_id=by.pk, at=now
        )
        self._refresh_from(Synthesis.objects.get(pk=self.pk))
        return signature

    @transaction.atomic
    def destroy(self, *, now: datetime.datetime | None = None) -> None:
        """Erase the content for good, at the agent's request; only the record remains.

        The history goes too: what remains is one dated entry, the destruction itself.
        """
        now = now or timezone.now()
        locked = self._locked()
        self._ensure(locked.status != Status.DESTROYED, "Cette synthèse est déjà détruite.")
        # Signatures go with their versions (CASCADE); consents, asks, reads, comments too.
        self.reads.all().delete()
        self.consents.all().delete()
        self.share_requests.all().delete()
        self.comments.all().delete()
        self.drafts.all().delete()
        self.signed_pdfs.all().delete()
        self.follow_ups.all().delete()  # the plan's actions in the agent's words
        self.support_requests.all().delete()  # the agent's messages
        self.versions.all().delete()
        self.transitions.all().delete()
        # What the DELETEs leave behind (dead rows, the WAL, backups) was encrypted under
        # this key: without it, nothing of the content can be read again, anywhere.
        SynthesisKey.objects.filter(synthesis_id=self.pk).delete()
        self._state.fields_cache.pop("key", None)
        Synthesis.objects.filter(pk=self.pk).update(
            status=Status.DESTROYED,
            version=0,
            finalised_at=None,
            signed_at=None,
            orientation="",
            destroyed_at=now,
        )
        self._record(
            SynthesisEvent.DESTROYED,
            from_status=locked.status,
            to_status=Status.DESTROYED,
            by_id=self._agent_user_id,
            at=now,
        )
        self._refresh_from(Synthesis.objects.get(pk=self.pk))

    @property
    def can_decide_transmission(self) -> bool:
        """A provider-led cohort has concluded and the agent has not chosen yet whether an
        internal CMC receives the synthesis (before that, the provider co-writes it)."""
        cohort = self.enrolment.cohort
        return (
            cohort.is_provider_led
            and cohort.concluded_at is not None
            and self.transmission_decided_at is None
        )

    @transaction.atomic
    def decide_transmission(self, *, to: User | None, now: datetime.datetime | None = None) -> None:
        """The agent of a provider-led cohort chooses whether an internal CMC receives it.

        Either way, the provider loses its access at once.
        """
        locked = self._locked()
        locked.enrolment = self.enrolment
        self._ensure(
            locked.can_decide_transmission,
            "La transmission se décide une fois la promotion du prestataire terminée, une fois.",
        )
        now = now or timezone.now()
        Synthesis.objects.filter(pk=self.pk).update(transmission_decided_at=now, transmitted_to=to)
        self._record(
            SynthesisEvent.NOT_TRANSMITTED if to is None else SynthesisEvent.TRANSMITTED,
            from_status=locked.status,
            to_status=locked.status,
            by_id=self._agent_user_id,
            at=now,
        )
        self.transmission_decided_at, self.transmitted_to = now, to


class SynthesisTransition(models.Model):
    """One event in a synthesis's life: who, when, from, to. Append-only, until destruction.

    It says what happened, never what the document says.
    """

    synthesis = models.ForeignKey(
        Synthesis, verbose_name="synthèse", on_delete=models.CASCADE, related_name="transitions"
    )
    event = models.CharField("événement", max_length=20, choices=SynthesisEvent.choices)
    from_status = models.CharField("de", max_length=20, choices=Status.choices)
    to_status = models.CharField("vers", max_length=20, choices=Status.choices)
    by = models.ForeignKey(User, verbose_name="par", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("le")
    reason = models.TextField("motif", max_length=2000, blank=True)

    class Meta:
        verbose_name = "événement de la synthèse"
        verbose_name_plural = "historique des synthèses"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["synthesis", "at"], name="synthesis_transition_at")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.get_from_status_display()} → {self.get_to_status_display()})"

    @property
    def label(self) -> str:
        """What happened, in a sentence of the history."""
        return self.get_event_display()


class SynthesisVersion(models.Model):
    """The whole content of the synthesis as one person saved it."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("version")
    author = models.ForeignKey(
        User, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("enregistrée le")
    # {"header": {...}, "sections": {key: text}, "actions": [...], "schemes": [...],
    #  "schemes_other": str}; see synthesis.sections and synthesis.forms.
    content = EncryptedJSONField("contenu")
    personal_situation = EncryptedTextField(
        "situation personnelle (2.5)", max_length=20_000, blank=True
    )

    class Meta:
        verbose_name = "version"
        ordering = ["synthesis", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["synthesis", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    def canonical(self) -> bytes:
        """The exact bytes a signature covers: every word of this version, 2.5 included."""
        return json.dumps(
            {
                "synthesis": self.synthesis_id,
                "version": self.number,
                "content": self.content,
                "personal_situation": self.personal_situation,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()

    def digest(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class SynthesisDraft(models.Model):
    """One writer's work in progress since their last save: never a version, never shown to
    anyone but its author, turned into a version by the author's next save.

    `based_on` is the version it was written from; `revision` counts its saves, so that
    a tab that did not see the last one cannot overwrite it.
    """

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(
        User, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    based_on = models.PositiveIntegerField("écrit à partir de la version")
    revision = models.PositiveIntegerField("révision", default=1)
    saved_at = models.DateTimeField("enregistré le")
    # As SynthesisVersion.content, without the header.
    content = EncryptedJSONField("contenu")
    personal_situation = EncryptedTextField(
        "situation personnelle (2.5)", max_length=20_000, blank=True
    )

    class Meta:
        verbose_name = "brouillon"
        ordering = ["synthesis", "-saved_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["synthesis", "author"], name="draft_one_per_author"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="draft_revision_positive"),
        ]

    def __str__(self) -> str:
        return f"Brouillon de {self.author}"


class Signature(models.Model):
    version = models.ForeignKey(
        SynthesisVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    capacity = models.CharField("en qualité de", max_length=20, choices=Capacity.choices)
    signer = models.ForeignKey(
        User, verbose_name="signataire", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("signée le")
    digest = models.CharField("empreinte SHA-256 du contenu signé", max_length=64)

    class Meta:
        verbose_name = "signature"
        ordering = ["version", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "capacity"], name="signature_once_per_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer} ({self.get_capacity_display()})"

    @property
    def is_intact(self) -> bool:
        """Whether the version still holds exactly what was signed."""
        return self.digest == self.version.digest()


class Comment(models.Model):
    """A remark on one section, by the leader (co-élaboration) or the agent."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField("section", max_length=40)
    author = models.ForeignKey(
        User, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("écrit le", default=timezone.now)
    text = EncryptedTextField("commentaire", max_length=5000)

    class Meta:
        verbose_name = "commentaire"
        ordering = ["synthesis", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} sur {self.section}"
