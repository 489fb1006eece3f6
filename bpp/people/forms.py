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
