from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q
from django_tasks_db.models import DBTaskResult
from dsfr.models import DsfrConfig

from bpp.forms import is_well_formed_key
from bpp.people.admin_site import (
    ScopedInlineMixin,
    ScopedModelAdmin,
    administered_organisations,
)
from bpp.people.models import (
    AgentProfile,
    Organisation,
    Provider,
    RoleAssignment,
    Service,
    User,
)

# The product uses neither Django groups nor django-dsfr's site settings model. Queued
# tasks hold whole e-mails (personal data): they are the operator's, not the HR admin's.
admin.site.unregister(Group)
admin.site.unregister(DsfrConfig)
admin.site.unregister(DBTaskResult)


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
    list_filter = ["kind", "versant"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        # New employers are created by the operator of the service, not by an HR admin.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Service)
class ServiceAdmin(ScopedModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
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
        ("Poste", {"fields": ["post_start_date", "manager"]}),
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
    model = RoleAssignment
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organisation and not request.user.is_superuser:
            kwargs["queryset"] = administered_organisations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["last_name", "first_name"]
    list_display = ["email", "last_name", "first_name", "is_active"]
    list_filter = ["is_active", "agent_profile__category", "role_assignments__role"]
    search_fields = ["email", "last_name", "first_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Accès", {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    superuser_fieldsets = [("Exploitation", {"fields": ["is_superuser"]})]
    add_fieldsets = [
        (None, {"fields": ["email", "first_name", "last_name", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [AgentProfileInline, RoleAssignmentInline]

    def scope(self, request):
        return users_of_organisations(administered_organisations(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            return [*fieldsets, *self.superuser_fieldsets]
        return fieldsets

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, never deleted: the history of requests refers to them.
        return request.user.is_superuser
