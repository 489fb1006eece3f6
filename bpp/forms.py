"""Base forms rendered the DSFR way, and the sign-in form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrForm(DsfrBaseForm):
    """A form whose fields render as DSFR input groups (directly or through crispy)."""

    def get_context(self):
        # Skip DsfrBaseForm.get_context: it only warns about a transitional setting.
        context = forms.Form.get_context(self)
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context


class DsfrModelForm(forms.ModelForm):
    """The ModelForm counterpart of DsfrForm."""

    bound_field_class = DsfrBoundField
    template_name = DsfrBaseForm.template_name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def get_context(self):
        context = super().get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = False
        return context


class LoginForm(AuthenticationForm, DsfrForm):
    username = UsernameField(
        label="Adresse électronique professionnelle",
        # No autofocus: the first Tab must reach the skip links (RGAA 12.7).
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. "
            "Vérifiez votre saisie ; les majuscules comptent dans le mot de passe."
        ),
        "inactive": "Ce compte est désactivé. Adressez-vous à votre service RH.",
    }
