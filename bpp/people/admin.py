from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from dsfr.models import DsfrConfig

from bpp.forms import is_well_formed_key
from bpp.people import services
from bpp.people.admin_site import (
    AdministeredOrganisationFilter,
    ScopedInlineMixin,
    ScopedModelAdmin,
    administered_organisation_ids,
    administered_organisations,
)
from bpp.people.models import (
    PRIORITY_GROUNDS,
    AgentProfile,
    Organisation,
    Provider,
    ProviderContract,
    RoleAssignment,
    Service,
    Training,
    User,
    priority_grounds_changed,
)
from bpp.people.services import AccountSnapshot, account_snapshot

# The product uses neither Django groups nor django-dsfr's site settings model. Queued
# tasks hold whole e-mails (personal data): they are the operator's, not the HR admin's.
admin.site.unregister(Group)
admin.site.unregister(DsfrConfig)
admin.site.unregister(DBTaskResult)
# The second factor's devices are reset from a person's page (an action), never read:
# django-otp's own admin pages would show every secret of every employer.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


def users_of_organisations(organisations) -> Q:
    """Users who work for, or hold a role in, one of `organisations`."""
    return Q(agent_profile__organisation__in=organisations) | Exists(
        RoleAssignment.objects.filter(user=OuterRef("pk"), organisation__in=organisations)
    )


class UserScopedChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is User and not request.user.is_superuser:
            mine = administered_organisations(request)
            kwargs["queryset"] = User.objects.filter(users_of_organisations(mine))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(ScopedModelAdmin):
    organisation_lookup = "pk"
    list_display = ["name", "kind", "versant", "parent"]
    list_select_related = ["parent"]
    list_filter = ["kind", "versant"]
    search_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "versant", "parent"]}),
        (
            "Données personnelles",
            {
                "fields": ["controller_name", "dpo_name", "dpo_email", "dpo_address"],
                "description": "Affichés dans la notice d’information sur les données "
                "personnelles des agents de cet employeur.",
            },
        ),
    ]

    def has_add_permission(self, request):
        # New employers are created by the operator of the service, not by an HR admin.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Service)
class ServiceAdmin(ScopedModelAdmin):
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
    list_filter = [("organisation", AdministeredOrganisationFilter)]
    search_fields = ["name", "organisation__name"]


@admin.register(Provider)
class ProviderAdmin(ScopedModelAdmin):
    list_display = ["name", "siret"]
    search_fields = ["name", "siret"]

    def get_queryset(self, request):
        # Providers are contracted by several employers: every HR admin sees the list.
        return Provider.objects.all()


class WellFormedAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, which re-renders a form posted with a malformed choice.

    Django's looks the posted value up as is: a value that is no key ("a", or a number
    beyond the database's integers) makes the re-rendered form fail with a 500.
    """

    def optgroups(self, name, value, attr=None):
        key = self.field.target_field
        well_formed = [raw for raw in value if is_well_formed_key(key, raw)]
        return super().optgroups(name, well_formed, attr)


class AgentProfileInline(UserScopedChoicesMixin, ScopedInlineMixin, admin.StackedInline):
    model = AgentProfile
    fk_name = "user"
    can_delete = False
    autocomplete_fields = ["manager"]
    fieldsets = [
        (None, {"fields": ["organisation", "service", "status", "category", "function_title"]}),
        ("Poste", {"fields": ["post_start_date", "manager", "work_town", "work_departement"]}),
        (
            "Publics prioritaires et droits",
            {
                "fields": [
                    "holds_level4_diploma",
                    "covered_by_l5212_13",
                    "exposed_to_professional_wear",
                    "job_cut_by_restructuring",
                ]
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs.setdefault(
                "widget",
                WellFormedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using")),
            )
        if not request.user.is_superuser and db_field.related_model in (Organisation, Service):
            mine = administered_organisations(request)
            kwargs["queryset"] = (
                mine
                if db_field.related_model is Organisation
                else Service.objects.filter(organisation__in=mine)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RoleAssignmentInline(ScopedInlineMixin, admin.TabularInline):
    """Roles, within the HR admin's employers; a provider's role only for a provider under
    contract with one of them. Nobody changes their own roles: an administrator cannot
    grant themselves a role that reads syntheses."""

    model = RoleAssignment
    extra = 0

    def _is_own(self, request, obj) -> bool:
        return obj is not None and obj.pk == request.user.pk and not request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return not self._is_own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._is_own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_own(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            mine = administered_organisations(request)
            if db_field.related_model is Organisation:
                kwargs["queryset"] = mine
            elif db_field.related_model is Provider:
                kwargs["queryset"] = Provider.objects.contracted_by(mine, on=timezone.localdate())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UserCreationForm(forms.ModelForm):
    """A new account has no password: the person sets one through the link sent to them."""

    class Meta:
        model = User
        fields = ["email", "civility", "first_name", "last_name"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "civility", "first_name", "last_name", "is_active", "is_superuser"]


class TrainingInline(ScopedInlineMixin, admin.TabularInline):
    """The courses in accompanying careers a person followed: only the trained lead."""

    model = Training
    extra = 0
    fields = ["course", "body", "completed_on"]


class RoleFilter(admin.SimpleListFilter):
    """The people holding a role, through EXISTS: a join on their roles would list a
    person once per role and need DISTINCT."""

    title = "rôle"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return RoleAssignment.ASSIGNABLE

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        held = RoleAssignment.objects.filter(user=OuterRef("pk"), role=self.value())
        return queryset.filter(Exists(held))


def _agent_profile_forms(formsets):
    """The saved forms of the agent profile inline."""
    for formset in formsets:
        if formset.model is AgentProfile:
            yield from (f for f in formset.forms if f.instance.pk and f.has_changed())


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    """People of the HR admin's employers. Nobody sets another person's password or signs
    in as them: the admin sends a reset link to the person's own address. Every change of
    roles or manager is recorded and shown to the person (`AccountEvent`)."""

    form = UserEditForm
    add_form = UserCreationForm
    # The key last, as in the HR pages' lists: the index on names serves the page as is
    # (Django would otherwise add the key in reverse and sort each namesake group).
    ordering = ["last_name", "first_name", "pk"]
    list_display = ["email", "last_name", "first_name", "is_active"]
    list_filter = ["is_active", "agent_profile__category", RoleFilter]
    search_fields = ["email", "last_name", "first_name"]
    fieldsets = [
        (None, {"fields": ["email"]}),
        ("Identité", {"fields": ["civility", "first_name", "last_name"]}),
        ("Accès", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    superuser_fieldsets = [("Exploitation", {"fields": ["is_superuser"]})]
    add_fieldsets = [(None, {"fields": ["email", "civility", "first_name", "last_name"]})]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [AgentProfileInline, RoleAssignmentInline, TrainingInline]
    actions = ["send_password_reset", "reset_second_factor", "unbind_proconnect"]

    def scope(self, request):
        return users_of_organisations(administered_organisation_ids(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return [*fieldsets, *self.superuser_fieldsets]
        return fieldsets

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the history of requests refers to them.
        return request.user.is_superuser

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied  # nobody sets another person's password

    def save_model(self, request, obj, form, change):
        # Per request (a ModelAdmin is shared by every thread): the state before the save.
        request.account_before = account_snapshot(obj) if change else AccountSnapshot(set(), None)
        super().save_model(request, obj, form, change)
        if not change:
            services.send_password_reset(user=obj, by=request.user, welcome=True)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.record_account_changes(
            user=form.instance, before=request.account_before, by=request.user
        )
        for profile_form in _agent_profile_forms(formsets):
            if set(profile_form.changed_data) & set(PRIORITY_GROUNDS):
                priority_grounds_changed.send(AgentProfile, agent=profile_form.instance)

    @admin.action(description="Envoyer un lien de réinitialisation du mot de passe")
    def send_password_reset(self, request, queryset):
        for user in queryset:
            services.send_password_reset(user=user, by=request.user)
        self.message_user(
            request,
            f"Lien envoyé à l’adresse de chaque personne choisie ({queryset.count()}).",
        )

    @admin.action(description="Réinitialiser la double authentification")
    def reset_second_factor(self, request, queryset):
        reset = [
            user for user in queryset if services.reset_second_factor(user=user, by=request.user)
        ]
        for user in reset:
            self.log_change(request, user, "Double authentification réinitialisée.")
        self.message_user(
            request,
            f"Double authentification réinitialisée ({len(reset)}) : chaque personne ajoutera "
            "de nouveau son application à sa prochaine connexion.",
        )

    @admin.action(description="Dissocier l’identité ProConnect")
    def unbind_proconnect(self, request, queryset):
        unbound = [
            user for user in queryset if services.unbind_proconnect(user=user, by=request.user)
        ]
        for user in unbound:
            self.log_change(request, user, "Identité ProConnect dissociée.")
        self.message_user(
            request,
            f"Identité ProConnect dissociée ({len(unbound)}) : la prochaine connexion avec "
            "ProConnect retrouvera chaque compte par son adresse électronique.",
        )


@admin.register(ProviderContract)
class ProviderContractAdmin(ScopedModelAdmin):
    list_display = ["provider", "organisation", "reference", "starts_on", "ends_on"]
    list_select_related = ["provider", "organisation"]
    list_filter = [("organisation", AdministeredOrganisationFilter), "provider"]
    search_fields = ["reference", "provider__name"]
