"""The quality results, share requests and provider attestations, as people see them:
accessible (axe-core) and without horizontal scrolling at 390 px."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bpp.people.models import Role
from cohorts.models import Evaluation
from synthesis.models import ProviderCopy, ShareRequest
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import RoleFactory
from tests.synthesis.factories import finalise, sign_both


def test_the_agent_reads_the_quality_results(world, login_as, assert_holds):
    now = timezone.now()
    for score in (7, 8, 9, 9, 10, 10):
        Evaluation.objects.create(
            enrolment=EnrolmentFactory(cohort=CohortFactory(organisation=world.organisation)),
            kind=Evaluation.Kind.HOT,
            sent_at=now - datetime.timedelta(days=2),
            answered_at=now - datetime.timedelta(days=1),
            overall_score=score,
            **dict.fromkeys(
                ["informed_of_offer", "delay_communicated", "adapted", "confidential"], 4
            ),
            synthesis_help=3,
        )

    assert_holds(login_as(world.users["agent"]), reverse("cohorts:quality"))


def test_the_share_request_pages(world, login_as, assert_holds):
    synthesis = world.synthesis
    agent = synthesis.enrolment.agent
    agent.manager = world.users["manager"]
    agent.save()
    finalise(synthesis)
    sign_both(synthesis)
    ShareRequest.objects.create(
        synthesis=synthesis,
        audience="manager",
        asked_by=world.users["manager"],
        message="Pour préparer notre entretien annuel.",
        asked_at=timezone.now(),
    )

    assert_holds(
        login_as(world.users["manager"]),
        reverse("synthesis:ask", args=[agent.pk]),
    )
    assert_holds(
        login_as(agent.user),
        reverse("synthesis:sharing", args=[synthesis.pk]),
    )


def test_the_attestation_pages(world, login_as, assert_holds):
    consultant = world.users["provider"]
    cohort = CohortFactory(
        organisation=world.organisation,
        provider=world.provider_organisation,
        concluded_at=timezone.now() - datetime.timedelta(days=60),
    )
    cohort.leaders.add(consultant)
    ProviderCopy.objects.record_download(
        consultant=consultant, cohort=cohort, now=timezone.now() - datetime.timedelta(days=61)
    )

    assert_holds(login_as(consultant), reverse("synthesis:destruction"))
    hr = RoleFactory(role=Role.HR, organisation=world.organisation).user
    assert_holds(login_as(hr), reverse("synthesis:cohort_copies", args=[cohort.pk]))
