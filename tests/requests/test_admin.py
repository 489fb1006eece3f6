import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "query", ["received_on__year=99999999999", "received_on__year=2026&received_on__month=-1"]
)
def test_a_date_filter_out_of_range_is_a_malformed_filter_not_an_error(world, query):
    client = world.client("hr_admin")

    response = client.get(f"{reverse('admin:requests_reviewrequest_changelist')}?{query}")

    assert response.status_code == 302
    assert response.url.endswith("?e=1")
    assert client.get(response.url).status_code == 200


def test_a_date_filter_in_range_still_filters(world):
    response = world.client("hr_admin").get(
        reverse("admin:requests_reviewrequest_changelist") + "?received_on__year=2026"
    )

    assert response.status_code == 200
