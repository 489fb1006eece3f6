import time

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bpp.people.models import AccountEvent, Role
from bpp.people.second_factor import SESSION_NEW_KEY
from tests.people.factories import AgentFactory, RoleFactory

pytestmark = pytest.mark.django_db

PASSWORD = "demo-bpp-2026"  # the factories' password


def sign_in(client, user, next_url: str = ""):
    data = {"username": user.email, "password": PASSWORD}
    url = reverse("login")
    if next_url:
        data["next"] = next_url
        url += "?next=" + next_url
    return client.post(url, data)


def code_for_key(key: str, *, offset: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def enrol(user, *, recovery_codes: tuple[str, ...] = ("secours1",)) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Application", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
    for code in recovery_codes:
        StaticToken.objects.create(device=static, token=code)
    return device


def cmc():
    return RoleFactory(role=Role.CMC).user


def test_a_cmc_signing_in_with_a_password_is_sent_to_enrolment(client):
    user = cmc()

    sign_in(client, user)
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("second_factor_enrol"))


def test_enrolment_shows_a_qr_code_and_the_secret_in_text(client):
    sign_in(client, cmc())

    response = client.get(reverse("second_factor_enrol"))

    assert response.status_code == 200
    assert "<svg" in response.text
    key = client.session[SESSION_NEW_KEY]
    secret = response.context["secret"]
    assert len(secret.replace(" ", "")) == 32 and secret in response.text
    assert key  # kept for the confirmation, never written before it
    assert not TOTPDevice.objects.exists()


def test_a_first_code_enrols_and_shows_ten_recovery_codes_once(client):
    user = cmc()
    sign_in(client, user, next_url="/compte/")
    client.get(reverse("second_factor_enrol"))
    key = client.session[SESSION_NEW_KEY]

    response = client.post(
        reverse("second_factor_enrol"), {"code": code_for_key(key), "next": "/compte/"}
    )

    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    codes = client.get(response.url)
    assert "Conservez ces codes" in codes.text
    tokens = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert len(tokens) == 10 and all(token in codes.text for token in tokens)
    download = client.get(reverse("second_factor_codes_text"))
    assert download["Content-Type"].startswith("text/plain")
    assert all(token in download.text for token in tokens)
    done = client.post(reverse("second_factor_codes"), {"next": "/compte/"})
    assert done.url == "/compte/"
    assert client.get(reverse("second_factor_codes")).status_code == 302  # shown once
    assert client.get(reverse("account")).status_code == 200  # the session is verified


def test_a_wrong_first_code_changes_nothing(client):
    user = cmc()
    sign_in(client, user)
    client.get(reverse("second_factor_enrol"))

    response = client.post(reverse("second_factor_enrol"), {"code": "000000"})

    assert response.status_code == 200
    assert "Ce code ne correspond pas" in response.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(reverse("home")).url.startswith(reverse("second_factor_enrol"))


def test_an_enrolled_cmc_is_asked_for_a_code_at_the_next_sign_in(client):
    user = cmc()
    device = enrol(user)

    sign_in(client, user, next_url="/compte/")
    response = client.get(reverse("account"))

    assert response.url == reverse("second_factor_verify") + "?next=%2Fcompte%2F"
    verified = client.post(
        reverse("second_factor_verify"), {"code": code_for_key(device.key), "next": "/compte/"}
    )
    assert verified.url == "/compte/"
    assert client.get(reverse("account")).status_code == 200


def test_a_wrong_code_is_refused_and_the_session_stays_unverified(client):
    user = cmc()
    enrol(user)
    sign_in(client, user)

    response = client.post(reverse("second_factor_verify"), {"code": "000000"})

    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.text
    assert client.get(reverse("account")).url.startswith(reverse("second_factor_verify"))


def test_attempts_are_throttled(client):
    user = cmc()
    device = enrol(user)
    sign_in(client, user)
    client.post(reverse("second_factor_verify"), {"code": "000000"})

    # Even the right code waits: each wrong one doubles the delay.
    response = client.post(reverse("second_factor_verify"), {"code": code_for_key(device.key)})

    assert "Trop de codes incorrects" in response.text
    assert client.get(reverse("account")).status_code == 302


def test_a_recovery_code_works_once(client):
    user = cmc()
    enrol(user, recovery_codes=("abcd2345",))
    sign_in(client, user)

    response = client.post(reverse("second_factor_verify"), {"code": "ABCD 2345"})

    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 200
    client.post(reverse("logout"))
    sign_in(client, user)
    again = client.post(reverse("second_factor_verify"), {"code": "abcd2345"})
    assert again.status_code == 200
    assert "Code incorrect ou expiré" in again.text


def test_where_the_second_factor_is_turned_off_a_cmc_goes_straight_home(client, settings):
    settings.SECOND_FACTOR_REQUIRED = False  # as in `make demo`
    user = cmc()
    enrol(user)

    sign_in(client, user)

    # Where a code is owed, every page but the second factor's leads to it.
    assert client.get(reverse("account")).status_code == 200


def test_an_agent_needs_no_second_factor_and_goes_straight_home(client):
    user = AgentFactory().user

    response = sign_in(client, user)

    assert response.url == reverse("home")
    assert client.get(reverse("portals:agent")).status_code == 200


def test_a_session_opened_without_a_password_is_not_asked(client):
    user = cmc()
    enrol(user)
    client.force_login(user)

    assert client.get(reverse("account")).status_code == 200


def test_the_pages_open_to_everyone_stay_open_before_the_code(client):
    user = cmc()
    enrol(user)
    sign_in(client, user)

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("privacy")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.CMC, Role.MANAGER, Role.HR, Role.HR_ADMIN])
def test_those_who_may_read_others_syntheses_or_administer_need_it(role):
    assert RoleFactory(role=role).user.needs_second_factor


def test_a_providers_consultant_needs_it():
    assert RoleFactory(for_provider=True).user.needs_second_factor


def test_a_disability_officer_or_an_agent_does_not_need_it():
    assert not RoleFactory(role=Role.DISABILITY_OFFICER).user.needs_second_factor
    assert not AgentFactory().user.needs_second_factor


def test_an_hr_admin_signing_in_must_pass_the_second_factor_before_the_admin(client):
    user = RoleFactory(role=Role.HR_ADMIN).user
    device = enrol(user)
    sign_in(client, user)

    response = client.get(reverse("admin:index"))

    assert response.url.startswith(reverse("second_factor_verify"))
    client.post(reverse("second_factor_verify"), {"code": code_for_key(device.key)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_account_page_shows_the_state_and_renews_recovery_codes(client):
    user = cmc()
    enrol(user, recovery_codes=("abcd2345", "efgh2345"))
    client.force_login(user)

    page = client.get(reverse("account"))
    assert "Codes de secours restants : 2 sur 10" in page.text
    wrong = client.post(reverse("second_factor_renew_codes"), {"code": "000000"})
    assert wrong.status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 2

    # The wrong code throttles the application, not the recovery codes.
    response = client.post(reverse("second_factor_renew_codes"), {"code": "efgh2345"})

    assert response.url.startswith(reverse("second_factor_codes"))
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert not StaticToken.objects.filter(token="abcd2345").exists()


def test_replacing_the_application_asks_a_current_code_then_enrols_again(client):
    user = cmc()
    enrol(user, recovery_codes=("abcd2345",))
    client.force_login(user)

    response = client.post(reverse("second_factor_replace"), {"code": "abcd2345"})

    assert response.url.startswith(reverse("second_factor_enrol"))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(response.url).status_code == 200


def test_the_hr_admin_resets_a_second_factor_with_an_admin_action(client):
    admin_user = RoleFactory(role=Role.HR_ADMIN).user
    organisation = admin_user.role_assignments.get().organisation
    person = RoleFactory(role=Role.CMC, organisation=organisation).user
    enrol(person)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:people_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [person.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    event = AccountEvent.objects.get(user=person)
    assert event.kind == AccountEvent.Kind.SECOND_FACTOR_RESET and event.by == admin_user
    assert LogEntry.objects.filter(object_id=str(person.pk), action_flag=CHANGE).exists()


def test_the_hr_admin_cannot_reset_someone_of_another_employer(client):
    admin_user = RoleFactory(role=Role.HR_ADMIN).user
    stranger = cmc()
    enrol(stranger)
    client.force_login(admin_user)

    client.post(
        reverse("admin:people_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [stranger.pk]},
    )

    assert TOTPDevice.objects.filter(user=stranger).exists()


def test_a_session_owing_its_code_sees_no_menu_but_may_sign_out(client):
    user = cmc()
    enrol(user)
    sign_in(client, user)

    response = client.get(reverse("second_factor_verify"))

    assert "navigation-principale" not in response.text
    assert reverse("logout") in response.text
