"""
A text field encrypted at rest with MultiFernet, for section 2.5 of the synthesis.

Its keys are its own (`SYNTHESIS_KEYS`, never derived from SECRET_KEY): the first
encrypts, all of them decrypt, so a new key is put first and `manage.py
rotate_synthesis_keys` re-encrypts the rows before the old key is dropped. A value
that no key opens raises `UndecryptableError`: a wrong key never shows as garbage.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class UndecryptableError(Exception):
    """No configured key opens this value (a wrong or missing key in SYNTHESIS_KEYS)."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SYNTHESIS_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.SYNTHESIS_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableError(
            "Section 2.5 cannot be decrypted with the keys of SYNTHESIS_KEYS."
        ) from None


class EncryptedTextField(models.TextField):
    """Stores a Fernet token; reads back the text. The empty text is stored as is.

    An encrypted value cannot be searched, ordered or compared in SQL, and every token
    differs even for the same text: lookups other than `isnull` make no sense on it.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)
