"""
The core of the domain: employers and their services, providers, people and roles.

An agent is a user with an `AgentProfile`; every other role is a `RoleAssignment`
scoped to an employer organisation (or, for the provider role, to a provider).
A user may hold several roles: a CMC is usually an agent of the same employer.
"""

import datetime
import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.dispatch import Signal
from django.utils import timezone

from bpp.templatetags import french
from bpp.validators import validate_departement, validate_plausible_date


class Role(models.TextChoices):
    AGENT = "agent", "Agent"
    MANAGER = "manager", "Manager"
    HR = "hr", "Service RH"
    CMC = "cmc", "Conseiller mobilité-carrière"
    PROVIDER = "provider", "Prestataire"
    DISABILITY_OFFICER = "disability_officer", "Référent handicap"
    HR_ADMIN = "hr_admin", "Administrateur RH"


# Those who may read a synthesis other than their own: its leaders (CMC, provider's
# consultants), the follow-up CMC it is transmitted to, and the manager or HR the agent
# shares it with. Their password sign-ins ask for a second factor.
SYNTHESIS_READER_ROLES = frozenset({Role.CMC, Role.PROVIDER, Role.MANAGER, Role.HR})


class Civility(models.TextChoices):
    MADAME = "madame", "Madame"
    MONSIEUR = "monsieur", "Monsieur"


# The title of a role held by a woman, where it differs. The labels of `Role` are the
# forms the administration writes when it does not know (« conseiller mobilité-carrière »).
FEMININE_ROLE_TITLES = {
    Role.CMC: "Conseillère mobilité-carrière",
    Role.DISABILITY_OFFICER: "Référente handicap",
    Role.HR_ADMIN: "Administratrice RH",
}


def role_title(role: str, civility: str = "") -> str:
    """The title of `role` agreeing with a person's civility: « Référente handicap »."""
    if civility == Civility.MADAME and role in FEMININE_ROLE_TITLES:
        return FEMININE_ROLE_TITLES[role]
    return Role(role).label


class Versant(models.TextChoices):
    STATE = "etat", "Fonction publique de l’État"
    TERRITORIAL = "territoriale", "Fonction publique territoriale"
    HOSPITAL = "hospitaliere", "Fonction publique hospitalière"


class Organisation(models.Model):
    """An employer: a ministry, one of its directorates, a public body, a local authority."""

    class Kind(models.TextChoices):
        MINISTRY = "ministere", "Ministère"
        DIRECTORATE = "direction", "Direction"
        PUBLIC_BODY = "etablissement", "Établissement public"
        LOCAL_AUTHORITY = "collectivite", "Collectivité territoriale"
        HOSPITAL = "hopital", "Établissement hospitalier"

    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    versant = models.CharField("versant", max_length=20, choices=Versant.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="organisation de rattachement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # The controller (responsable de traitement) and its data protection officer, shown in
    # the privacy notice of this employer (`/donnees-personnelles/`).
    controller_name = models.CharField(
        "responsable de traitement",
        max_length=200,
        blank=True,
        help_text="Tel qu’il figure dans la notice (par défaut : le nom de l’organisation).",
    )
    dpo_name = models.CharField(
        "délégué à la protection des données (DPO)", max_length=200, blank=True
    )
    dpo_email = models.EmailField("adresse électronique du DPO", blank=True)
    dpo_address = models.TextField("adresse postale du DPO", max_length=500, blank=True)

    class Meta:
        verbose_name = "organisation employeuse"
        verbose_name_plural = "organisations employeuses"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def controller(self) -> str:
        """Who answers for the data of this employer's agents (the employer itself)."""
        return self.controller_name or self.name

    @property
    def has_dpo_contact(self) -> bool:
        return bool(self.dpo_email or self.dpo_address)


class Service(models.Model):
    """A unit of an employer (bureau, service, sous-direction) where agents work."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "service"
        verbose_name_plural = "services"
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="service_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderQuerySet(models.QuerySet):
    def contracted_by(self, organisations, *, on: datetime.date) -> "ProviderQuerySet":
        """The providers under a contract, on `on`, with one of `organisations`."""
        return self.filter(
            Exists(
                ProviderContract.objects.filter(provider=OuterRef("pk"))
                .filter(organisation__in=organisations, starts_on__lte=on)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            )
        )


class Provider(models.Model):
    """An external provider, used only when no internal professional can run a review."""

    name = models.CharField("raison sociale", max_length=200, unique=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = "prestataire"
        verbose_name_plural = "prestataires"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"), name="provider_siret_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProviderContract(models.Model):
    """A contract between an employer and a provider: only then may the provider lead its
    cohorts, and only then may the employer's HR admin give a provider's user that role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="employeur",
        on_delete=models.PROTECT,
        related_name="provider_contracts",
    )
    provider = models.ForeignKey(
        Provider, verbose_name="prestataire", on_delete=models.PROTECT, related_name="contracts"
    )
    reference = models.CharField("référence du marché", max_length=100)
    starts_on = models.DateField("début")
    ends_on = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "marché avec un prestataire"
        verbose_name_plural = "marchés avec des prestataires"
        ordering = ["organisation__name", "provider__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="provider_contract_ends_after_it_starts",
                violation_error_message="Le marché finit avant de commencer.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} ({self.reference})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields["is_superuser"] = True
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)

    def holding(self, role: str, organisation: "Organisation") -> models.QuerySet:
        """The active users who hold `role` at `organisation` (e-mail recipients)."""
        return self.filter(
            is_active=True,
            role_assignments__role=role,
            role_assignments__organisation=organisation,
        )


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their professional e-mail address."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    civility = models.CharField(
        "civilité",
        max_length=8,
        choices=Civility.choices,
        blank=True,
        help_text="Facultative ; accorde les titres affichés : « Conseillère mobilité-carrière ».",
    )
    is_active = models.BooleanField(
        "actif",
        default=True,
        help_text="Décochez plutôt que de supprimer un compte : l’historique reste lisible.",
    )
    date_joined = models.DateTimeField("date de création", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_unique_email_ci"),
        ]
        # People lists are sorted by name: a page of a ministry's 100,000 agents reads 25
        # index entries instead of sorting them all.
        indexes = [models.Index(fields=["last_name", "first_name", "id"], name="user_by_name")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    def role_title(self, role: str) -> str:
        """« Conseillère mobilité-carrière », « Référent handicap »: `role` as a title."""
        return role_title(role, self.civility)

    @property
    def leader_title(self) -> str:
        """Who leads a cohort or a session: « animatrice », « animateur »."""
        return "animatrice" if self.civility == Civility.MADAME else "animateur"

    @cached_property
    def role_assignments_cache(self) -> list["RoleAssignment"]:
        """Every role the user holds, loaded once per request."""
        return list(self.role_assignments.select_related("organisation", "provider"))

    @cached_property
    def agent_profile_or_none(self) -> "AgentProfile | None":
        try:
            return self.agent_profile
        except AgentProfile.DoesNotExist:
            return None

    @property
    def roles(self) -> list[str]:
        """The roles the user holds, in the order of `Role`, each once."""
        held = {assignment.role for assignment in self.role_assignments_cache}
        if self.agent_profile_or_none is not None:
            held.add(Role.AGENT)
        return [role for role in Role.values if role in held]

    def organisations_for(self, role: str) -> list[Organisation]:
        """The employers in which the user holds `role`."""
        if role == Role.AGENT:
            profile = self.agent_profile_or_none
            return [profile.organisation] if profile else []
        return [a.organisation for a in self.role_assignments_cache if a.role == role]

    @property
    def is_staff(self) -> bool:
        # The admin site is the HR admins' tool (see bpp.admin_site).
        return self.is_active and (self.is_superuser or Role.HR_ADMIN in self.roles)

    @property
    def needs_second_factor(self) -> bool:
        """Whether a password sign-in asks this person for a second factor: the admin
        site's users and whoever may read another person's synthesis."""
        return self.is_staff or not SYNTHESIS_READER_ROLES.isdisjoint(self.roles)


# Every category of article L5212-13 of the code du travail, as the agent and HR read them.
L5212_13_CATEGORIES = (
    "les travailleurs reconnus handicapés (RQTH)",
    "les victimes d’accidents du travail ou de maladies professionnelles ayant une incapacité "
    "permanente d’au moins 10 % et titulaires d’une rente",
    "les titulaires d’une pension d’invalidité (réduction d’au moins deux tiers de la capacité "
    "de travail)",
    "les bénéficiaires mentionnés à l’article L. 241-2 du code des pensions militaires "
    "d’invalidité et des victimes de guerre",
    "les sapeurs-pompiers volontaires titulaires d’une allocation ou rente d’invalidité",
    "les titulaires de la carte « mobilité inclusion » portant la mention « invalidité »",
    "les titulaires de l’allocation aux adultes handicapés (AAH)",
)
L5212_13_HELP = "Article L5212-13 du code du travail : " + " ; ".join(L5212_13_CATEGORIES) + "."


def name_fields(user: str) -> tuple[str, ...]:
    """What `str()` of a user reads (« Prénom Nom », else the address), for `.only()` on a
    list that shows people by their name alone: building every column of every person
    (and of the models on the way) is most of what such a short list costs. `user` is the
    path to the user (`"agent__user"`)."""
    return tuple(f"{user}__{field}" for field in ("first_name", "last_name", "email"))


def name_contains(query: str, *, user: str = "") -> Q:
    """People whose last name, first name or e-mail address contains each word of `query`,
    in any case: « pierre mart » finds Pierre Martin (on PostgreSQL, read off the trigram
    indexes of migration 0006). `user` is the path to the user from the model searched,
    with its trailing "__" (`"agent__user__"`)."""
    found = Q()
    for word in query.split() or [query]:
        found &= (
            Q(**{f"{user}last_name__icontains": word})
            | Q(**{f"{user}first_name__icontains": word})
            | Q(**{f"{user}email__icontains": word})
        )
    return found


class AgentProfileQuerySet(models.QuerySet):
    def matching(self, query: str) -> "AgentProfileQuerySet":
        """The agents whose name or e-mail address contains `query`."""
        return self.filter(name_contains(query, user="user__"))


class AgentProfile(models.Model):
    """What the employer knows of an agent that matters for a review."""

    class Status(models.TextChoices):
        TITULAIRE = "titulaire", "Titulaire"
        CONTRACTUEL = "contractuel", "Contractuel"

    class Category(models.TextChoices):
        A = "A", "Catégorie A"
        B = "B", "Catégorie B"
        C = "C", "Catégorie C"

    user = models.OneToOneField(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="agent_profile"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.PROTECT, related_name="agents"
    )
    service = models.ForeignKey(
        Service, verbose_name="service", on_delete=models.PROTECT, related_name="agents"
    )
    status = models.CharField("statut", max_length=20, choices=Status.choices)
    category = models.CharField("catégorie", max_length=1, choices=Category.choices)
    function_title = models.CharField("corps ou fonction", max_length=200)
    post_start_date = models.DateField(
        "date de prise de poste", validators=[validate_plausible_date]
    )
    manager = models.ForeignKey(
        User,
        verbose_name="supérieur hiérarchique direct",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_members",
    )
    holds_level4_diploma = models.BooleanField(
        "diplôme de niveau 4 ou plus",
        default=False,
        help_text="Baccalauréat ou équivalent. Sans lui, un agent de catégorie C est prioritaire.",
    )
    covered_by_l5212_13 = models.BooleanField(
        "bénéficiaire de l’article L5212-13 du code du travail",
        default=False,
        help_text=L5212_13_HELP,
    )
    exposed_to_professional_wear = models.BooleanField(
        "particulièrement exposé à l’usure professionnelle", default=False
    )
    job_cut_by_restructuring = models.BooleanField(
        "emploi supprimé par une restructuration", default=False
    )
    # Where the agent works: on-site cohorts are offered in the agent's département.
    work_town = models.CharField("commune du lieu de travail", max_length=100, blank=True)
    work_departement = models.CharField(
        "département du lieu de travail",
        max_length=3,
        blank=True,
        validators=[validate_departement],
        help_text="Code du département : 75, 2A, 971…",
    )

    objects = AgentProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "profil d’agent"
        verbose_name_plural = "profils d’agents"
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(manager=models.F("user")), name="agent_is_not_own_manager"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def priority_reasons(self) -> list[str]:
        """Why the agent belongs to a priority public (ordonnance 2021-658), if they do."""
        reasons = []
        if self.category == self.Category.C and not self.holds_level4_diploma:
            reasons.append("Catégorie C sans diplôme de niveau 4")
        if self.covered_by_l5212_13:
            reasons.append("Bénéficiaire de l’article L5212-13")
        if self.exposed_to_professional_wear:
            reasons.append("Exposé à l’usure professionnelle")
        return reasons

    @property
    def is_priority(self) -> bool:
        return bool(self.priority_reasons)


# The fields AgentProfile.priority_reasons reads.
PRIORITY_GROUNDS = (
    "category",
    "holds_level4_diploma",
    "covered_by_l5212_13",
    "exposed_to_professional_wear",
)
# Sent with `agent` (an AgentProfile), or `agents` (a list of AgentProfile pks, from an
# import), when one of its PRIORITY_GROUNDS changed: the apps
# that store a consequence of them (the queue's priority of a request) refresh it. A
# signal, because those apps sit above this one.
priority_grounds_changed = Signal()


# The same rule as AgentProfile.priority_reasons, for querysets (prefix: path to the profile).
def priority_public_q(prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}category": AgentProfile.Category.C, f"{prefix}holds_level4_diploma": False})
        | Q(**{f"{prefix}covered_by_l5212_13": True})
        | Q(**{f"{prefix}exposed_to_professional_wear": True})
    )


class RoleAssignment(models.Model):
    """A role held by a user in an employer (or, for a provider's staff, in a provider)."""

    ASSIGNABLE = [(r.value, r.label) for r in Role if r != Role.AGENT]

    user = models.ForeignKey(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("rôle", max_length=30, choices=ASSIGNABLE)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name="prestataire",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        verbose_name = "rôle"
        verbose_name_plural = "rôles"
        ordering = ["user__last_name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role=Role.PROVIDER, provider__isnull=False, organisation__isnull=True)
                    | (
                        ~Q(role=Role.PROVIDER)
                        & Q(organisation__isnull=False, provider__isnull=True)
                    )
                ),
                name="role_scope_matches_role",
                violation_error_message=(
                    "Le rôle prestataire se rattache à un prestataire ; "
                    "les autres rôles à une organisation."
                ),
            ),
            models.CheckConstraint(condition=~Q(role=Role.AGENT), name="role_agent_is_a_profile"),
            models.UniqueConstraint(
                fields=["user", "role", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_in_organisation",
                violation_error_message="Cet utilisateur a déjà ce rôle dans cette organisation.",
            ),
            models.UniqueConstraint(
                fields=["user", "provider"],
                condition=Q(provider__isnull=False),
                name="role_unique_in_provider",
                violation_error_message="Cet utilisateur est déjà rattaché à ce prestataire.",
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.provider
        return f"{self.get_role_display()} — {scope}"

    @property
    def title(self) -> str:
        """The role as the person's title, with its scope: « Référente handicap — … »."""
        return f"{self.user.role_title(self.role)} — {self.organisation or self.provider}"


class AccountEvent(models.Model):
    """What an administrator changed about a person that may change who reads what: their
    roles, their manager, a password reset link sent. Append-only; shown to the person
    on their account page ("Mon compte")."""

    class Kind(models.TextChoices):
        ROLE_ADDED = "role_ajoute", "Rôle attribué"
        ROLE_REMOVED = "role_retire", "Rôle retiré"
        MANAGER_CHANGED = "manager_change", "Manager changé"
        PASSWORD_RESET_SENT = "lien_mot_de_passe", "Lien de réinitialisation du mot de passe envoyé"
        SECOND_FACTOR_RESET = "double_auth_reinit", "Double authentification réinitialisée"
        PROCONNECT_BOUND = "proconnect_associe", "Compte ProConnect associé"
        PROCONNECT_UNBOUND = "proconnect_dissocie", "Compte ProConnect dissocié"

    user = models.ForeignKey(
        User, verbose_name="personne", on_delete=models.CASCADE, related_name="account_events"
    )
    kind = models.CharField("événement", max_length=30, choices=Kind.choices)
    detail = models.CharField("détail", max_length=300, blank=True)
    # None: the application itself.
    by = models.ForeignKey(
        User, verbose_name="par", on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "événement du compte"
        verbose_name_plural = "événements des comptes"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="account_event_by_user")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.detail}"


class Training(models.Model):
    """A course in the techniques of accompanying people's careers that a leader followed.

    The review is led by a CMC or another professional trained in these techniques
    (guide, "Qui anime le bilan de parcours ?"): only people with a recorded training lead.
    """

    user = models.ForeignKey(
        User, verbose_name="professionnel", on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField("formation suivie", max_length=200)
    body = models.CharField("organisme de formation", max_length=200, blank=True)
    completed_on = models.DateField("achevée le", validators=[validate_plausible_date])

    class Meta:
        verbose_name = "formation d’animateur"
        verbose_name_plural = "formations des animateurs"
        ordering = ["user__last_name", "user__first_name", "-completed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.course} ({french.day(self.completed_on)})"


class CalendarFeed(models.Model):
    """A person's private calendar subscription address, which calendar applications poll
    without signing in: the address itself is the secret. Only a hash of its token is
    kept, so the address is shown once; a new one replaces it and the old one stops
    working."""

    user = models.OneToOneField(
        User, verbose_name="personne", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "abonnement à l’agenda"
        verbose_name_plural = "abonnements aux agendas"

    def __str__(self) -> str:
        return f"Agenda {french.elide('de', self.user)}"

    @staticmethod
    def hash(token: str) -> str:
        # The token is 256 random bits: a fast hash is enough, nothing to guess.
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def renew(cls, user: User, *, now: datetime.datetime | None = None) -> str:
        """Give `user` a new secret token (the previous one stops working) and return it,
        the only time it is ever seen in clear."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(
            user=user, defaults={"token_hash": cls.hash(token), "created_at": now or timezone.now()}
        )
        return token


class DeletionNotice(models.Model):
    """A person was told, once, that data of theirs will be deleted on `deletes_on` at the
    end of its retention period. The data is deleted no sooner than a month after this."""

    class Subject(models.TextChoices):
        SYNTHESIS = "synthese", "Document de synthèse"

    user = models.ForeignKey(
        User, verbose_name="personne", on_delete=models.CASCADE, related_name="deletion_notices"
    )
    subject = models.CharField("donnée", max_length=20, choices=Subject.choices)
    # The primary key of the row concerned (a synthesis): no foreign key, as the layers
    # above own those rows, and the notice goes when they go.
    subject_id = models.PositiveBigIntegerField("numéro")
    deletes_on = models.DateField("suppression prévue le")
    sent_at = models.DateTimeField("prévenue le")

    class Meta:
        verbose_name = "avis de suppression"
        verbose_name_plural = "avis de suppression"
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_id", "deletes_on"], name="deletion_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} {self.subject_id} — {self.deletes_on:%d/%m/%Y}"


class ProConnectIdentity(models.Model):
    """The ProConnect identity (`sub`) a person signs in with, bound at their first
    ProConnect sign-in (found by e-mail), and how they last authenticated there.

    Once bound, only the `sub` finds the person: an e-mail address changed at ProConnect
    can neither lose the account nor take over another one."""

    user = models.OneToOneField(
        User,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="proconnect_identity",
    )
    sub = models.CharField("identifiant ProConnect (sub)", max_length=255, unique=True)
    bound_at = models.DateTimeField("associé le", default=timezone.now)
    # What ProConnect said of the last sign-in: its level (`acr`, e.g. "eidas1") and
    # methods (`amr`, e.g. ["pwd", "otp", "mfa"]).
    last_sign_in_at = models.DateTimeField("dernière connexion", null=True, blank=True)
    last_acr = models.CharField("niveau de la dernière connexion (acr)", max_length=255, blank=True)
    last_amr = models.JSONField("méthodes de la dernière connexion (amr)", default=list, blank=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"

    def __str__(self) -> str:
        return f"{self.user} — {self.sub}"


class ImportMapping(models.Model):
    """Which column of an employer's HR extract holds which field (see
    bpp.people.imports.mapping), saved so that the next extract is read the same way."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField("nom", max_length=100)
    columns = models.JSONField("colonnes", default=dict)  # {field: column header}
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)

    class Meta:
        verbose_name = "correspondance de colonnes d’import"
        verbose_name_plural = "correspondances de colonnes d’import"
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="import_mapping_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One upload of an HR extract: previewed (in the background when large), then
    confirmed and applied (in the background when large). The file is kept only until it
    is applied or abandoned: it holds personal data."""

    class Status(models.TextChoices):
        PLANNING = "lecture", "Lecture du fichier"
        PREVIEWED = "apercu", "Aperçu"
        QUEUED = "en_attente", "En attente"
        RUNNING = "en_cours", "En cours"
        DONE = "termine", "Terminé"
        FAILED = "echec", "Échec"

    organisation = models.ForeignKey(
        Organisation, verbose_name="employeur", on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField("fichier", max_length=255)
    # In the database rather than on disk: the tasks worker may run on another machine.
    content = models.BinaryField("contenu du fichier", null=True, editable=False)
    columns = models.JSONField("colonnes", default=dict)
    full_extract = models.BooleanField(
        "extraction complète",
        default=False,
        help_text="Les agents actifs absents du fichier sont désactivés (jamais supprimés).",
    )
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    counts = models.JSONField("décompte", default=dict)  # per planning.Kind, and deactivations
    # The rows worth reading in the preview (rejected, to create, to change): line, kind,
    # e-mail, detail; at most PREVIEW_ROWS of them.
    report = models.JSONField("lignes", default=list)
    progress_done = models.PositiveIntegerField("lignes traitées", default=0)
    progress_total = models.PositiveIntegerField("lignes à traiter", default=0)
    error = models.TextField("erreur", blank=True)
    by = models.ForeignKey(
        User, verbose_name="par", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    PREVIEW_ROWS = 5_000

    class Meta:
        verbose_name = "import d’agents"
        verbose_name_plural = "imports d’agents"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_previewed(self) -> bool:
        return self.status == self.Status.PREVIEWED

    @property
    def is_planning(self) -> bool:
        """Its file is being read and planned by the tasks worker: no preview yet."""
        return self.status == self.Status.PLANNING

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def awaits_worker(self) -> bool:
        """Whether its page should reload itself: the worker is at it (or will be)."""
        return self.is_planning or self.is_pending

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.is_finished else 0
        return self.progress_done * 100 // self.progress_total
