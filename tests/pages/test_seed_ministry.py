"""The benchmark dataset: the sizes asked for, consistent, replaced on a second run."""

import io

import pytest
from django.core.management import call_command

from bpp.people.models import AgentProfile
from bpp.requests.models import ReviewRequest
from cohorts.models import Cohort, Enrolment

pytestmark = pytest.mark.django_db


def test_it_builds_the_sizes_asked_for_and_replaces_itself():
    for _ in range(2):
        call_command("seed_ministry", agents=300, requests=120, cohorts=15, stdout=io.StringIO())

    assert AgentProfile.objects.count() == 300
    assert ReviewRequest.objects.count() == 120
    assert Cohort.objects.count() == 15
    for cohort in Cohort.objects.all():
        assert cohort.seats_taken == cohort.enrolments.count() <= cohort.capacity
    assert Enrolment.objects.exists()


def test_it_stores_each_request_s_queue_priority():
    call_command("seed_ministry", agents=200, requests=100, cohorts=5, stdout=io.StringIO())

    for review_request in ReviewRequest.objects.select_related("agent"):
        assert review_request.is_priority == review_request.priority_now
