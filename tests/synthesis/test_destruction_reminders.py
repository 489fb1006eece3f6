"""Consultants whose access ended are reminded daily, one e-mail each, until they attest."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from bpp.people.models import Role
from synthesis.jobs import send_destruction_reminders
from synthesis.models import ProviderCopy
from tests.clock import paris
from tests.cohorts.factories import CohortFactory, EnrolmentFactory
from tests.people.factories import ProviderFactory, RoleFactory
from tests.synthesis.factories import SynthesisFactory

pytestmark = pytest.mark.django_db

CONCLUDED = paris(2026, 11, 2, 18)  # the access ends 30 days later, on 2 December at 18:00


@pytest.fixture
def consultant(settings):
    settings.PROVIDER_ACCESS_DAYS = 30
    provider = ProviderFactory()
    return RoleFactory(role=Role.PROVIDER, organisation=None, provider=provider).user


def downloaded(consultant, title: str) -> ProviderCopy:
    provider = consultant.role_assignments.get().provider
    cohort = CohortFactory(provider=provider, title=title, concluded_at=CONCLUDED)
    cohort.leaders.add(consultant)
    # An agent yet to choose whether to transmit: the access lasts the 30 days.
    SynthesisFactory(enrolment=EnrolmentFactory(cohort=cohort), signed=True)
    ProviderCopy.objects.record_download(
        consultant=consultant, cohort=cohort, now=CONCLUDED - datetime.timedelta(days=2)
    )
    return ProviderCopy.objects.get(cohort=cohort)


def test_one_e_mail_per_consultant_lists_every_cohort(consultant, django_tasks):
    downloaded(consultant, "Promotion Alpha")
    downloaded(consultant, "Promotion Bêta")

    sent = send_destruction_reminders(now=paris(2026, 12, 3, 8))

    assert sent == 1
    [mail] = django_tasks.emails()
    assert mail["to"] == [consultant.email]
    assert "Promotion Alpha" in mail["text"] and "Promotion Bêta" in mail["text"]
    assert reverse("synthesis:destruction") in mail["text"]


@pytest.mark.parametrize(
    ("now", "sent"), [(paris(2026, 12, 2, 17, 59), 0), (paris(2026, 12, 2, 18), 1)]
)
def test_the_reminder_starts_the_instant_access_ends(consultant, django_tasks, now, sent):
    downloaded(consultant, "Promotion Alpha")

    assert send_destruction_reminders(now=now) == sent


def test_once_a_day_until_the_attestation(consultant, django_tasks):
    copy = downloaded(consultant, "Promotion Alpha")

    send_destruction_reminders(now=paris(2026, 12, 3, 8))
    send_destruction_reminders(now=paris(2026, 12, 3, 23, 30))  # the same day in Paris
    assert len(django_tasks.emails()) == 1

    send_destruction_reminders(now=paris(2026, 12, 4, 0, 30))  # the next day in Paris
    assert len(django_tasks.emails()) == 2

    copy.attest(name="Camille Prestataire", now=paris(2026, 12, 4, 9))
    send_destruction_reminders(now=paris(2026, 12, 5, 8))
    assert len(django_tasks.emails()) == 2


def test_a_cohort_due_later_the_same_day_waits_for_the_next_reminder(consultant, django_tasks):
    downloaded(consultant, "Promotion Alpha")
    send_destruction_reminders(now=paris(2026, 12, 3, 8))
    later = downloaded(consultant, "Promotion Bêta")

    send_destruction_reminders(now=paris(2026, 12, 3, 12))
    assert len(django_tasks.emails()) == 1
    send_destruction_reminders(now=paris(2026, 12, 4, 8))

    later.refresh_from_db()
    assert later.reminded_on == datetime.date(2026, 12, 4)
    assert "Promotion Bêta" in django_tasks.emails()[-1]["text"]


def test_the_command_runs_daily(consultant, django_tasks):
    downloaded(consultant, "Promotion Alpha")
    out = StringIO()

    with time_machine.travel(paris(2026, 12, 6, 7), tick=False):
        call_command("send_destruction_reminders", stdout=out)
        call_command("send_destruction_reminders", stdout=out)

    assert out.getvalue().splitlines() == ["1 rappel(s) envoyé(s).", "0 rappel(s) envoyé(s)."]
    assert len(django_tasks.emails()) == 1
