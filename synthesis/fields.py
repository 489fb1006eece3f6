"""
Envelope encryption of the synthesis content ("crypto-shredding").

Each synthesis has a data key of its own (`SynthesisKey`): a Fernet key, stored wrapped
(encrypted) with the keys of `SYNTHESIS_KEYS`, which are never derived from SECRET_KEY.
Every word of the content is encrypted under that data key: each version's sections,
action plan and schemes, section 2.5, the comments, the PDFs kept of its signed versions.
Destroying the synthesis deletes its data key, so what remains of the content in dead
rows, the WAL or a backup can no longer be opened by anyone.

`SYNTHESIS_KEYS` only wraps data keys: the first wraps, all of them unwrap, and
`manage.py rotate_synthesis_keys` re-wraps the data keys, never the content. A value
that no key opens raises `UndecryptableError`: a wrong key never shows as garbage.
"""

import json
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.query_utils import DeferredAttribute


class UndecryptableError(Exception):
    """No configured key opens this value (a wrong or missing key, or a destroyed synthesis)."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SYNTHESIS_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


def fernet() -> MultiFernet:
    """The key-encryption keys: they wrap the data keys, never the content itself."""
    return _fernet(tuple(settings.SYNTHESIS_KEYS))


def new_wrapped_key() -> str:
    """A fresh data key, wrapped with the first key of SYNTHESIS_KEYS."""
    return fernet().encrypt(Fernet.generate_key()).decode()


def unwrap(wrapped: str) -> Fernet:
    try:
        return Fernet(fernet().decrypt(wrapped.encode()))
    except InvalidToken:
        raise UndecryptableError(
            "The data key of a synthesis cannot be unwrapped with the keys of SYNTHESIS_KEYS."
        ) from None


def rewrap(wrapped: str) -> str:
    """The same data key, wrapped again with the first key of SYNTHESIS_KEYS."""
    try:
        return fernet().rotate(wrapped.encode()).decode()
    except InvalidToken:
        raise UndecryptableError(
            "The data key of a synthesis cannot be unwrapped with the keys of SYNTHESIS_KEYS."
        ) from None


@dataclass(frozen=True)
class Sealed:
    """A value as stored: a Fernet token under the data key of its synthesis."""

    token: str


class _OpenOnRead(DeferredAttribute):
    """Decrypt the stored token on first access, with the data key of the row's synthesis.

    A data descriptor (it has `__set__`), so that reads go through it even once the
    value sits in the instance's __dict__.
    """

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """Stores a Fernet token under the data key of the row's `synthesis`; reads back the text.

    The model has a `synthesis` foreign key; `Synthesis.data_key()` gives the key, made
    on the first write. Values are encrypted in `pre_save`, so only `save()`, `create()`
    and `bulk_create()` write them: `update()` or a lookup with a value raises TypeError
    rather than store or compare plain text. The empty text is stored as is. Every token
    differs even for the same text: such a column cannot be searched or ordered in SQL.
    """

    descriptor_class = _OpenOnRead

    def to_text(self, value) -> str:
        return value

    def from_text(self, text: str):
        return text

    def to_plain(self, value) -> bytes:
        """The bytes encrypted for `value`."""
        return self.to_text(value).encode()

    def from_plain(self, plain: bytes):
        """The value of the decrypted bytes."""
        return self.from_text(plain.decode())

    def open(self, instance: models.Model, sealed: Sealed):
        key = instance.synthesis.data_key()
        try:
            plain = key.decrypt(sealed.token.encode())
        except InvalidToken:
            raise UndecryptableError(
                "The content of a synthesis cannot be decrypted with its data key."
            ) from None
        return self.from_plain(plain)

    def pre_save(self, model_instance: models.Model, add: bool):
        value = getattr(model_instance, self.attname)
        if value in (None, ""):
            return value
        key = model_instance.synthesis.data_key(create=True)
        return Sealed(key.encrypt(self.to_plain(value)).decode())

    def get_prep_value(self, value):
        if isinstance(value, Sealed):
            return value.token
        if value in (None, ""):
            return value
        raise TypeError(
            f"{self.model.__name__}.{self.name} is encrypted under the key of its synthesis: "
            "write it with save() or create(), never update(), and never look it up by value."
        )

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return Sealed(value)


class EncryptedJSONField(EncryptedTextField):
    """A JSON document (a dict), encrypted like `EncryptedTextField`."""

    def to_text(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    def from_text(self, text: str):
        return json.loads(text)

    def to_python(self, value):
        return value


class EncryptedBinaryField(EncryptedTextField):
    """Bytes (a file, such as a signed PDF), encrypted like `EncryptedTextField`."""

    def to_plain(self, value) -> bytes:
        return bytes(value)

    def from_plain(self, plain: bytes):
        return plain

    def to_python(self, value):
        return value
