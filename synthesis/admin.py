"""The back office of the syntheses: only the list of schemes. No synthesis is ever shown here."""

from django.contrib import admin

from bpp.people.admin_site import ScopedModelAdmin
from synthesis.models import Scheme


@admin.register(Scheme)
class SchemeAdmin(ScopedModelAdmin):
    """An HR admin extends the national list of methods and schemes for their employer."""

    list_display = ["name", "organisation", "position", "active"]
    list_select_related = ["organisation"]
    # Not `list_editable`: the admin's inputs in a list have no label (changed on the form).
    list_filter = ["active", "organisation"]
    search_fields = ["name"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            # The national list (no employer) is the operator's.
            form.base_fields["organisation"].required = True
            form.base_fields["organisation"].empty_label = None
        return form
