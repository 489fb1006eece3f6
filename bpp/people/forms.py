"""The sign-in form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField

from bpp.forms import DsfrForm


class LoginForm(AuthenticationForm, DsfrForm):
    # Bounded here: AuthenticationForm sets max_length after the field's validators exist.
    username = UsernameField(
        label="Adresse électronique professionnelle",
        max_length=254,
        # No autofocus: the first Tab must reach the skip links (RGAA 12.7).
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": (
            "Adresse électronique ou mot de passe incorrect. "
            "Vérifiez votre saisie ; les majuscules comptent dans le mot de passe."
        ),
        "inactive": "Ce compte est désactivé. Adressez-vous à votre service RH.",
    }


class PasswordResetRequestForm(DsfrForm):
    email = forms.EmailField(
        label="Adresse électronique professionnelle",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SecondFactorCodeForm(DsfrForm):
    """A code of the authenticator application, or a recovery code."""

    code = forms.CharField(
        label="Code à 6 chiffres",
        help_text="Affiché par votre application d’authentification ; ou l’un de vos codes "
        "de secours (8 caractères).",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )


class FirstCodeForm(DsfrForm):
    """The first code of a newly added application, which proves it works."""

    code = forms.CharField(
        label="Code à 6 chiffres affiché par l’application",
        help_text="Par exemple : 123456",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
