"""
The admin site is the HR admins' back office.

An HR admin sees and edits only the rows of the employers they administer; a
superuser sees everything. Access goes through `bpp.permissions`, not through
Django's per-model permissions, so that one rule decides it.
"""

from functools import cached_property, wraps

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bpp.forms import is_well_formed_key, well_formed_form_class
from bpp.people.models import Organisation, Role
from bpp.people.permissions import may_use_admin_site


class HRAdminSite(admin.AdminSite):
    site_header = "Bilans de parcours — administration RH"
    site_title = "Administration RH"
    index_title = "Paramétrage et suivi"
    enable_nav_sidebar = False

    def has_permission(self, request: HttpRequest) -> bool:
        return may_use_admin_site(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        # Signed-in users without the role get a 403 at once, not a detour through a login page.
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return wrapper

    def login(self, request: HttpRequest, extra_context=None):
        # One login page for the whole product; signed-in users without the role get a 403.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def administered_organisations(request: HttpRequest) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        role_assignments__user=request.user, role_assignments__role=Role.HR_ADMIN
    )


def administered_organisation_ids(request: HttpRequest) -> list[int]:
    """The keys of `administered_organisations`, from the roles the request has loaded.

    Lists are scoped with these constants rather than a subquery: the planner then reads
    an employer's rows through the indexes that begin with its organisation (its latest
    requests, their first and last dates) instead of sorting all of them.
    """
    return [organisation.pk for organisation in request.user.organisations_for(Role.HR_ADMIN)]


class AdministeredOrganisationFilter(admin.RelatedFieldListFilter):
    """The employers the HR admin administers, from the roles the request has loaded:
    Django's own filter lists (and reads) every employer of the service. One employer is
    no choice: the filter then stays hidden."""

    def field_choices(self, field, request: HttpRequest, model_admin):
        if request.user.is_superuser:
            return super().field_choices(field, request, model_admin)
        administered = request.user.organisations_for(Role.HR_ADMIN)
        by_name = sorted(administered, key=lambda organisation: organisation.name.casefold())
        return [(organisation.pk, organisation.name) for organisation in by_name]


class WellFormedKeysMixin:
    """Relations and action selections refuse a malformed key (a form error, a message)
    instead of a 500: what anyone may post never breaks a page."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", well_formed_form_class(db_field))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", well_formed_form_class(db_field))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BoundedCountPaginator(Paginator):
    """Counts a list up to `bound` rows (a COUNT over a LIMIT): a ministry's 100,000
    people are not counted on every view. Beyond, the list says "plus de" and its last
    pages are reached by searching or filtering (`templates/admin/pagination.html`)."""

    bound = 1000

    @cached_property
    def count(self) -> int:
        # In key order: the planner walks the primary key (and the unique keys it joins
        # on) and stops at the bound. Unordered, it may hash a whole joined table first
        # (a ministry's 100,000 agent profiles, for its people).
        return self.object_list.order_by("pk")[: self.bound + 1].count()

    @property
    def is_bounded(self) -> bool:
        return self.count > self.bound


class ScopedModelAdmin(WellFormedKeysMixin, admin.ModelAdmin):
    """A model admin limited to the employers the HR admin administers.

    `organisation_lookup` is the path from the model to its `Organisation`: a path of
    foreign keys (to-one), so that the scope needs no DISTINCT. Lists count only the rows
    they show (no second COUNT of the whole table), and their search fields and filters
    follow to-one relations only, for the same reason.
    """

    organisation_lookup: str = "organisation"
    list_per_page = 50
    show_full_result_count = False
    paginator = BoundedCountPaginator
    # Django offers to count the rows of each filter's choices: exact counts over a
    # ministry's 100,000 people, half a second a view, where the list itself stops at
    # `BoundedCountPaginator.bound`.
    show_facets = admin.ShowFacets.NEVER

    def scope(self, request: HttpRequest) -> Q:
        return Q(**{f"{self.organisation_lookup}__in": administered_organisation_ids(request)})

    def get_changelist_instance(self, request: HttpRequest):
        # Django builds a datetime from the date hierarchy's parameters and fails (500) on
        # a year of more than four digits: answer as to any malformed filter instead.
        if self.date_hierarchy:
            for part in ("year", "month", "day"):
                value = request.GET.get(f"{self.date_hierarchy}__{part}")
                if value is not None and not (value.isdigit() and len(value) <= 4):
                    raise IncorrectLookupParameters(f"{part} invalide : {value[:20]}")
        return super().get_changelist_instance(request)

    def action_checkbox(self, obj) -> str:
        # Django's markup, written at once: Django renders each row's box through three
        # form templates, some 10 ms of a page of 50 people (a fifth of its time).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(self.scope(request))

    def response_action(self, request: HttpRequest, queryset: QuerySet, **kwargs):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_well_formed_key(self.model._meta.pk, raw) for raw in selected):
            self.message_user(request, "Sélection invalide : rien n’a changé.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            mine = administered_organisations(request)
            model = db_field.related_model
            if model is Organisation:
                kwargs["queryset"] = mine
            elif hasattr(model, "organisation"):
                kwargs["queryset"] = model._default_manager.filter(organisation__in=mine)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_use_admin_site(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin_site(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin_site(request.user)


class ReadOnlyScopedModelAdmin(ScopedModelAdmin):
    """For histories and logs: they are read, never written by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ScopedInlineMixin(WellFormedKeysMixin):
    """Inlines answer like their parent admin: HR admins hold no Django permissions."""

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin_site(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin_site(request.user)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_use_admin_site(request.user)


class ReadOnlyInline(ScopedInlineMixin, admin.TabularInline):
    """A history shown under its object: read, never written by hand."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
