"""The HR admin creates and revokes the API tokens of their employers on the admin site."""

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse

from bpp.api.models import ApiToken, Scope
from bpp.people.admin_site import AdministeredOrganisationFilter, ScopedModelAdmin


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label="Droits",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ce que le système pourra lire ; il ne pourra jamais rien modifier.",
    )

    class Meta:
        model = ApiToken
        fields = ["organisation", "name", "scopes"]

    def clean_scopes(self) -> str:
        return " ".join(self.cleaned_data["scopes"])


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedModelAdmin):
    """Created here and shown once; revoked, never deleted (its history stays)."""

    form = ApiTokenForm
    list_display = ["name", "organisation", "prefix", "scopes", "last_used_at", "revoked_at"]
    list_select_related = ["organisation"]
    list_filter = [("organisation", AdministeredOrganisationFilter)]
    search_fields = ["name", "prefix"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["prefix", "created_at", "last_used_at", "revoked_at"]
        # A token does not change: a system that needs other rights gets a new one.
        return [
            "organisation",
            "name",
            "scopes",
            "prefix",
            "created_by",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organisation", "name", "scopes"]
        return self.get_readonly_fields(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            # Kept on the request for `response_add`, the one page that shows it.
            request.api_token_secret = obj.new_secret()
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(
            request,
            "admin/api/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "title": "Jeton créé",
                "opts": self.opts,
                "api_token": obj,
                "secret": request.api_token_secret,
            },
        )

    @admin.action(description="Révoquer les jetons choisis")
    def revoke(self, request, queryset):
        revoked = ApiToken.revoke(queryset)
        self.message_user(
            request, f"Jetons révoqués ({revoked}) : ils ne donnent plus accès à l’API."
        )
