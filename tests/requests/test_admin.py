import datetime

import pytest
from django.urls import reverse

from bpp.requests.models import Status


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


@pytest.mark.django_db
def test_the_state_filter_reads_the_state_as_of_today(world):
    world.request.decision_deadline = world.request.received_on - datetime.timedelta(days=1)
    world.request.received_on -= datetime.timedelta(days=70)
    world.request.save()
    url = reverse("admin:requests_reviewrequest_changelist")

    rejected = world.client("hr_admin").get(url, {"etat": Status.IMPLICITLY_REJECTED})
    pending = world.client("hr_admin").get(url, {"etat": Status.PENDING})

    assert list(rejected.context["cl"].result_list) == [world.request]
    assert world.request not in pending.context["cl"].result_list
