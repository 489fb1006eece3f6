"""
The second factor of a password sign-in: an authenticator application (TOTP, django-otp's
`otp_totp`) and ten single-use recovery codes (`otp_static`).

A sign-in with a password marks the session as owing a second factor
(`require_for_session`), and so does a ProConnect sign-in that ProConnect vouches for with
one factor only (see ProConnectCallbackView); a session opened otherwise (a test's
`force_login`) is not asked. `SecondFactorMiddleware` holds a marked, unverified session
on the verification or enrolment page.
"""

import time
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from bpp.people.models import User

SESSION_REQUIRED_KEY = "second_factor_required"
SESSION_NEW_KEY = "second_factor_new_key"  # the secret shown on the enrolment page
RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "Application d’authentification"


class Throttled(Exception):
    """Too many wrong codes: the device refuses any code for `wait` more seconds."""

    def __init__(self, wait: int):
        super().__init__(wait)
        self.wait = wait


def require_for_session(request: HttpRequest) -> None:
    """Mark a session just opened with a password, if its user needs a second factor."""
    if settings.SECOND_FACTOR_REQUIRED and request.user.needs_second_factor:
        request.session[SESSION_REQUIRED_KEY] = True


def is_pending(request: HttpRequest) -> bool:
    """Whether this session still owes its second factor."""
    return bool(
        request.session.get(SESSION_REQUIRED_KEY)
        and request.user.is_authenticated
        and not request.user.is_verified()
    )


def app_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def new_key(request: HttpRequest) -> str:
    """The secret offered on the enrolment page, kept in the session until confirmed."""
    if not request.session.get(SESSION_NEW_KEY):
        request.session[SESSION_NEW_KEY] = random_hex(20)
    return request.session[SESSION_NEW_KEY]


def config_url(user: User, key: str) -> str:
    """The otpauth:// address an authenticator application reads from the QR code."""
    return TOTPDevice(user=user, key=key, name=DEVICE_NAME).config_url


def base32(key: str) -> str:
    """The secret as a person types it into their application, by groups of four."""
    secret = b32encode(bytes.fromhex(key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrol(request: HttpRequest, token: str) -> list[str] | None:
    """Confirm the session's new key with a first code from the application: replace the
    user's devices, verify the session, and return the new recovery codes (None: a wrong
    code, nothing changed)."""
    key = request.session.get(SESSION_NEW_KEY)
    if not key or not token.isdigit():
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not totp.verify(int(token), tolerance=1):
        return None
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, key=key, name=DEVICE_NAME, confirmed=True, last_t=totp.t()
        )
        codes = _replace_recovery_codes(user)
    del request.session[SESSION_NEW_KEY]
    otp_login(request, device)
    return codes


def verify(request: HttpRequest, token: str) -> bool:
    """Check a code from the application (six digits) or a recovery code (used up), and
    verify the session if it holds. Raises Throttled while the device refuses codes."""
    token = "".join(token.split()).lower()
    user = request.user
    is_app_code = len(token) == 6 and token.isdigit()  # recovery codes have 8 characters
    device = app_device(user) if is_app_code else recovery_device(user)
    if device is None:
        return False
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, data = device.verify_is_allowed()
        if not allowed:
            raise Throttled(_seconds_left(data))
        verified = device.verify_token(token)
    if verified:
        otp_login(request, device)
    return verified


def forget_verification(request: HttpRequest) -> None:
    """The session no longer counts as verified (its device was replaced)."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


def renew_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes; the former ones no longer work."""
    with transaction.atomic():
        return _replace_recovery_codes(user)


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user: User) -> bool:
    """Remove every device of `user`: their next password sign-in enrols again. Whether
    they had one."""
    with transaction.atomic():
        deleted = TOTPDevice.objects.filter(user=user).delete()[0]
        deleted += StaticDevice.objects.filter(user=user).delete()[0]
    return bool(deleted)


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _seconds_left(data: dict | None) -> int:
    locked_until = (data or {}).get("locked_until")
    if locked_until is None:
        return 1
    return max(1, int((locked_until - timezone.now()).total_seconds()) + 1)


def step(view):
    """Mark `view` as a step of the second factor: open to a session that still owes it."""
    view.second_factor_step = True
    return view
