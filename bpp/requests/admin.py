from django import forms
from django.contrib import admin
from django.db.models import Max, Min

from bpp.people.admin_site import (
    AdministeredOrganisationFilter,
    ReadOnlyInline,
    ReadOnlyScopedModelAdmin,
    ScopedModelAdmin,
    administered_organisations,
)
from bpp.people.models import Service
from bpp.requests.models import RequestTransition, Restructuring, ReviewRequest, Status


class RequestTransitionInline(ReadOnlyInline):
    model = RequestTransition
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields


class StateFilter(admin.SimpleListFilter):
    """The status as of today (an overdue request shows as implicitly rejected), filtered
    on the stored columns (`in_state`)."""

    title = "statut à ce jour"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        return queryset.in_state(self.value()) if self.value() else queryset


class ReceivedYearFilter(admin.SimpleListFilter):
    """The year of receipt, from the latest to the first of the listed requests.

    In place of Django's date hierarchy, whose list of years reads every request of the
    employer (DISTINCT over 20,000 rows at a ministry's size): the first and last dates
    come off the (employer, receipt date) index."""

    title = "année de réception"
    parameter_name = "annee"

    def lookups(self, request, model_admin):
        dates = model_admin.get_queryset(request).aggregate(
            first=Min("received_on"), last=Max("received_on")
        )
        if dates["first"] is None:
            return []
        years = range(dates["last"].year, dates["first"].year - 1, -1)
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        year = self.value()
        if year and year.isdigit() and len(year) == 4:
            return queryset.filter(received_on__year=int(year))
        return queryset


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnlyScopedModelAdmin):
    """Requests are decided in the application; the back office reads them and their history.

    The agent's own words (needs, constraints) are for the deciders, not shown here.
    """

    list_display = ["agent", "organisation", "state_label", "received_on", "decision_deadline"]
    list_filter = [
        StateFilter,
        ReceivedYearFilter,
        "initiative",
        "origin",
        ("organisation", AdministeredOrganisationFilter),
    ]
    list_select_related = ["agent__user", "organisation"]
    search_fields = ["agent__user__last_name", "agent__user__email"]
    fields = [
        "agent",
        "organisation",
        "initiative",
        "origin",
        "state_label",
        "created_at",
        "received_on",
        "decision_deadline",
        "decided_by",
        "decided_at",
        "postponement_start",
        "postponement_end",
        "restructuring",
    ]
    readonly_fields = fields
    inlines = [RequestTransitionInline]

    @admin.display(description="statut à ce jour", ordering="state")
    def state_label(self, obj):
        return obj.state_label


@admin.register(Restructuring)
class RestructuringAdmin(ScopedModelAdmin):
    """The HR admin records the operations decided by ministerial arrêté: a request made by
    an agent of a concerned service during the period is approved on receipt (de droit)."""

    list_display = ["title", "organisation", "decree_date", "starts_on", "ends_on"]
    list_select_related = ["organisation"]
    list_filter = [("organisation", AdministeredOrganisationFilter)]
    search_fields = ["title", "decree_reference"]
    fields = [
        "organisation",
        "title",
        "decree_reference",
        "decree_date",
        "services",
        "starts_on",
        "ends_on",
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "services":
            kwargs["queryset"] = Service.objects.filter(
                organisation__in=administered_organisations(request)
            )
            # Boxes to tick: the admin's two-list selector is not accessible (its icons
            # carry an ARIA label they may not have).
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)
