"""
The employer's webhooks in the HR admin's back office: its endpoints (add, edit, pause,
delete after Django's confirmation page, send a test event) and its deliveries (their
status and attempts, resend a failed one). Another employer's are not in the lists (404).
"""

import json

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from bpp.people.admin_site import (
    ReadOnlyInline,
    ReadOnlyScopedModelAdmin,
    ScopedModelAdmin,
    administered_organisations,
)
from bpp.webhooks import events, sending
from bpp.webhooks.models import SUBSCRIBABLE, Delivery, DeliveryAttempt, Endpoint, new_secret


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label="Événements envoyés",
        choices=SUBSCRIBABLE,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chaque événement est envoyé en JSON, signé (voir la documentation).",
    )

    class Meta:
        model = Endpoint
        fields = ["organisation", "url", "description", "events", "active"]
        help_texts = {
            "url": "Une adresse en https:// de votre système, qui répond par un code 2xx en "
            "moins de 5 secondes.",
        }


@admin.register(Endpoint)
class EndpointAdmin(ScopedModelAdmin):
    form = EndpointForm
    list_display = ["url", "description", "organisation", "event_labels", "active"]
    list_select_related = ["organisation"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    readonly_fields = ["signing_secret", "deliveries_link"]
    actions = ["send_test_event", "renew_secret"]

    def get_fields(self, request, obj=None):
        fields = ["organisation", "url", "description", "events", "active"]
        return fields if obj is None else [*fields, "signing_secret", "deliveries_link"]

    @admin.display(description="événements")
    def event_labels(self, endpoint: Endpoint) -> str:
        return endpoint.event_labels()

    @admin.display(description="secret de signature")
    def signing_secret(self, endpoint: Endpoint) -> str:
        return format_html(
            "<code>{}</code><br>À garder secret : votre système vérifie avec lui la "
            "signature de chaque envoi.",
            endpoint.secret,
        )

    @admin.display(description="envois")
    def deliveries_link(self, endpoint: Endpoint) -> str:
        url = reverse("admin:webhooks_delivery_changelist") + f"?point={endpoint.pk}"
        return format_html('<a href="{}">Voir les envois à cette adresse</a>', url)

    def save_model(self, request, obj: Endpoint, form, change: bool) -> None:
        if not obj.sealed_secret:
            obj.secret = new_secret()
        super().save_model(request, obj, form, change)

    @admin.action(description="Envoyer un événement de test")
    def send_test_event(self, request, queryset) -> None:
        endpoints = list(queryset)
        for endpoint in endpoints:
            events.send_test_event(endpoint)
        self.message_user(
            request,
            f"Événement de test mis en file pour {len(endpoints)} adresse"
            f"{'s' if len(endpoints) > 1 else ''} : suivez-le dans les envois.",
        )

    @admin.action(description="Renouveler le secret de signature")
    def renew_secret(self, request, queryset) -> None:
        """For a secret that leaked: the old one stops verifying at once."""
        endpoints = list(queryset)
        for endpoint in endpoints:
            endpoint.secret = new_secret()
            endpoint.save(update_fields=["sealed_secret"])
            self.log_change(request, endpoint, "Secret de signature renouvelé.")
        self.message_user(
            request,
            "Nouveau secret pour chaque adresse choisie : reportez-le dans votre système.",
        )


class EndpointFilter(admin.SimpleListFilter):
    """The employer's endpoints only (Django's own filter would list every employer's)."""

    title = "point de réception"
    parameter_name = "point"

    def lookups(self, request, model_admin):
        endpoints = Endpoint.objects.all()
        if not request.user.is_superuser:
            endpoints = endpoints.filter(organisation__in=administered_organisations(request))
        return [(str(endpoint.pk), str(endpoint)) for endpoint in endpoints]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        return (
            queryset.filter(endpoint_id=value)
            if value.isdigit() and len(value) < 10
            else queryset.none()
        )


class DeliveryAttemptInline(ReadOnlyInline):
    model = DeliveryAttempt
    fields = ["at", "status_code", "error"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyScopedModelAdmin):
    organisation_lookup = "endpoint__organisation"
    list_display = [
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    ]
    list_select_related = ["endpoint"]
    list_filter = ["status", "event", EndpointFilter]
    fields = [
        "endpoint",
        "event",
        "message_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
        "sent_payload",
    ]
    readonly_fields = fields
    inlines = [DeliveryAttemptInline]
    actions = ["resend"]

    @admin.display(description="contenu")
    def sent_payload(self, delivery: Delivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, indent=2))

    @admin.action(description="Renvoyer les envois en échec")
    def resend(self, request, queryset) -> None:
        now = timezone.now()
        resent = [delivery for delivery in queryset if delivery.resend(now=now)]
        if resent:
            sending.wake_worker()
            self.message_user(
                request, f"{len(resent)} envoi{'s' if len(resent) > 1 else ''} remis en file."
            )
        else:
            self.message_user(
                request,
                "Seuls les envois en échec peuvent être renvoyés : rien n’a changé.",
                messages.WARNING,
            )
