"""The HR admin creates an API token in the browser and copies it from the one page
that shows it."""

from playwright.sync_api import Page, expect

from bpp.api.models import ApiToken
from bpp.people.models import Role
from tests.people.factories import OrganisationFactory, RoleFactory


def test_the_hr_admin_creates_a_token_and_sees_it_once(
    page: Page, login_as, assert_holds, assert_accessible
):
    organisation = OrganisationFactory(name="Ministère de l’Exemple")
    hr_admin = RoleFactory(role=Role.HR_ADMIN, organisation=organisation).user
    login_as(hr_admin)
    assert_holds(page, "/admin/api/apitoken/add/")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Employeur").select_option(label="Ministère de l’Exemple")
    page.get_by_label("Nom").fill("SIRH Renoirh")
    page.get_by_label("Demandes et décisions").check()
    page.get_by_label("Indicateurs").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()

    secret = page.locator("#api-token-secret").inner_text()
    api_token = ApiToken.objects.get()
    assert api_token.token_hash == ApiToken.hash(secret)
    assert api_token.scope_list == ["requests:read", "indicators:read"]
    expect(page.get_by_text("il ne sera plus jamais affiché")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Jetons d’API").first.click()
    page.get_by_role("link", name="SIRH Renoirh").click()
    expect(page.get_by_text(api_token.prefix, exact=True)).to_be_visible()
    assert secret not in page.content()
