from django.contrib import admin

from bpp.people.admin_site import ReadOnlyInline, ReadOnlyScopedModelAdmin
from bpp.requests.models import RequestTransition, ReviewRequest, Status


class RequestTransitionInline(ReadOnlyInline):
    model = RequestTransition
    fields = ["at", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields


class StateFilter(admin.SimpleListFilter):
    """The status as of today (an overdue request shows as implicitly rejected)."""

    title = "statut à ce jour"
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


@admin.register(ReviewRequest)
class ReviewRequestAdmin(ReadOnlyScopedModelAdmin):
    """Requests are decided in the application; the back office reads them and their history.

    The agent's own words (needs, constraints) are for the deciders, not shown here.
    """

    list_display = ["agent", "organisation", "state_label", "received_on", "decision_deadline"]
    list_filter = [StateFilter, "initiative", "organisation"]
    list_select_related = ["agent__user", "organisation"]
    search_fields = ["agent__user__last_name", "agent__user__email"]
    date_hierarchy = "received_on"
    fields = [
        "agent",
        "organisation",
        "initiative",
        "state_label",
        "created_at",
        "received_on",
        "decision_deadline",
        "decided_by",
        "decided_at",
        "postponement_start",
        "postponement_end",
    ]
    readonly_fields = fields
    inlines = [RequestTransitionInline]

    @admin.display(description="statut à ce jour", ordering="state")
    def state_label(self, obj):
        return obj.state_label
