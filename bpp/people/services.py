"""
What an administrator does to a person's account, recorded and told to the person:
changes of roles or manager (which may change who reads a synthesis), and the password
reset link, sent to the person's own address (nobody sets another person's password).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bpp.people import emails, second_factor
from bpp.people.models import AccountEvent, AgentProfile, ProConnectIdentity, User


@dataclass(frozen=True)
class AccountSnapshot:
    roles: set[str]  # the roles as "<label> — <scope>"
    manager: User | None


def account_snapshot(user: User) -> AccountSnapshot:
    """The roles and the manager of `user` as stored now (before an admin's change)."""
    if user.pk is None:
        return AccountSnapshot(set(), None)
    roles = {str(a) for a in user.role_assignments.select_related("organisation", "provider")}
    profile = AgentProfile.objects.filter(user=user).select_related("manager").first()
    return AccountSnapshot(roles, profile.manager if profile else None)


@transaction.atomic
def record_account_changes(*, user: User, before: AccountSnapshot, by: User) -> list[AccountEvent]:
    """Record what changed since `before`, and tell the person by e-mail."""
    after = account_snapshot(user)
    events = [
        AccountEvent(user=user, kind=AccountEvent.Kind.ROLE_ADDED, detail=role, by=by)
        for role in sorted(after.roles - before.roles)
    ] + [
        AccountEvent(user=user, kind=AccountEvent.Kind.ROLE_REMOVED, detail=role, by=by)
        for role in sorted(before.roles - after.roles)
    ]
    if before.manager != after.manager:
        name = after.manager.get_full_name() if after.manager else "aucun"
        events.append(
            AccountEvent(user=user, kind=AccountEvent.Kind.MANAGER_CHANGED, detail=name, by=by)
        )
    if events:
        AccountEvent.objects.bulk_create(events)
        emails.account_changed(user, events)
    return events


@transaction.atomic
def send_password_reset(*, user: User, by: User | None = None, welcome: bool = False) -> None:
    """Send `user`, at their own address, a link to choose a new password (valid for
    PASSWORD_RESET_TIMEOUT); the administrator never sees nor sets it."""
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])
    emails.password_reset(user, url=link, welcome=welcome)
    if by is not None:
        AccountEvent.objects.create(
            user=user,
            kind=AccountEvent.Kind.PASSWORD_RESET_SENT,
            detail="à votre adresse " + user.email,
            by=by,
        )


def unbind_proconnect(*, user: User, by: User) -> bool:
    """Forget the ProConnect identity bound to `user` (bound by mistake, or a new one at
    ProConnect): their next ProConnect sign-in finds them by e-mail again. Recorded on their
    account page. Whether one was bound."""
    with transaction.atomic():
        deleted = ProConnectIdentity.objects.filter(user=user).delete()[0]
        if deleted:
            AccountEvent.objects.create(
                user=user,
                kind=AccountEvent.Kind.PROCONNECT_UNBOUND,
                detail="la prochaine connexion avec ProConnect retrouvera le compte par son adresse",
                by=by,
            )
    return bool(deleted)


def reset_second_factor(*, user: User, by: User) -> bool:
    """Remove `user`'s authenticator application and recovery codes (a lost telephone):
    their next password sign-in enrols again. Recorded on their account page. Whether they
    had any."""
    with transaction.atomic():
        had_any = second_factor.reset(user)
        if had_any:
            AccountEvent.objects.create(
                user=user,
                kind=AccountEvent.Kind.SECOND_FACTOR_RESET,
                detail="application d’authentification et codes de secours retirés",
                by=by,
            )
    return had_any
