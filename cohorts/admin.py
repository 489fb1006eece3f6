"""The cohorts in the back office: found, filtered and read; they are run from the application."""

from django.contrib import admin
from django.db.models import Exists, F, OuterRef

from bpp.people.admin_site import ReadOnlyInline, ReadOnlyScopedModelAdmin
from cohorts.models import Cohort, CohortPhase, CohortTransition, Enrolment


class PhaseInline(ReadOnlyInline):
    model = CohortPhase
    fields = ["number", "starts_on", "ends_on", "completed_at"]
    readonly_fields = fields


class TransitionInline(ReadOnlyInline):
    model = CohortTransition
    fields = ["at", "kind", "from_phase", "to_phase", "leader", "by", "reason"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("leader", "by")


class EnrolmentInline(ReadOnlyInline):
    model = Enrolment
    fields = ["agent", "placed_at", "contract_signed_at", "withdrawn_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agent__user")


class FillFilter(admin.SimpleListFilter):
    title = "remplissage"
    parameter_name = "remplissage"

    def lookups(self, request, model_admin):
        return [("libre", "Places libres"), ("complete", "Complète"), ("moins6", "Moins de 6")]

    def queryset(self, request, queryset):
        match self.value():
            case "libre":
                return queryset.filter(seats_taken__lt=F("capacity"))
            case "complete":
                return queryset.filter(seats_taken=F("capacity"))
            case "moins6":
                return queryset.filter(seats_taken__lt=6, formula="collective")
        return queryset


@admin.register(Cohort)
class CohortAdmin(ReadOnlyScopedModelAdmin):
    list_display = ["title", "organisation", "formula", "mode", "current_phase", "fill", "provider"]
    list_filter = [
        "current_phase",
        FillFilter,
        "formula",
        "mode",
        "published",
        ("provider", admin.RelatedOnlyFieldListFilter),
        "organisation",
    ]
    list_select_related = ["organisation", "provider"]
    search_fields = ["title", "place"]

    def get_search_results(self, request, queryset, search_term):
        """Also the cohorts where an agent of that name is enrolled, through EXISTS: a join
        on the enrolments would need DISTINCT, which makes a long list slow."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            enrolled = Enrolment.objects.filter(
                cohort=OuterRef("pk"), agent__user__last_name__icontains=search_term
            )
            found = found | queryset.filter(Exists(enrolled))
        return found, may_have_duplicates

    fields = [
        "organisation",
        "title",
        "formula",
        "individual_reason",
        "mode",
        "place",
        "capacity",
        "seats_taken",
        "provider",
        "published",
        "current_phase",
        "started_at",
        "concluded_at",
        "small_start_reason",
    ]
    readonly_fields = fields
    inlines = [PhaseInline, EnrolmentInline, TransitionInline]

    @admin.display(description="places", ordering="seats_taken")
    def fill(self, obj: Cohort) -> str:
        return f"{obj.seats_taken}/{obj.capacity}"
