"""« Mes notifications »: every message sent to me, as the e-mail said it, for me alone."""

import pytest
from django.urls import reverse

from bpp import mailer
from bpp.mailer.models import Notification
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(user, count=1, **context):
    for _ in range(count):
        mailer.send("synthesis/to_sign", [user], agent="Émilie", url="https://x/s/1/", **context)
    return Notification.objects.filter(recipient=user).first()


def test_it_lists_my_messages_newest_first_the_unread_ones_marked(client):
    user = UserFactory()
    old, new = notify(user), notify(user)
    Notification.objects.filter(pk=old.pk).update(read_at=old.sent_at)
    notify(UserFactory())  # someone else's
    client.force_login(user)

    response = client.get(reverse("notifications:inbox"))

    assert [n.pk for n in response.context["page_obj"]] == [new.pk, old.pk]
    assert response.text.count("Non lu") == 1
    assert "2 messages" in response.text


def test_the_header_counts_my_unread_messages(client):
    user = UserFactory()
    notify(user, 3)
    client.force_login(user)

    page = client.get(reverse("account")).text

    assert '3<span class="fr-sr-only"> non lues</span>' in page


def test_opening_a_message_marks_it_read_and_shows_what_the_e_mail_said(client, django_tasks):
    user = UserFactory(first_name="Inès")
    notification = notify(user)
    [sent] = django_tasks.emails()
    client.force_login(user)

    shown = client.get(reverse("notifications:detail", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.is_unread  # reading a page never writes
    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.url == reverse("notifications:detail", args=[notification.pk])
    notification.refresh_from_db()
    assert not notification.is_unread
    assert sent["text"].startswith(notification.text)
    assert "Bonjour Inès," in shown.text and 'href="https://x/s/1/"' in shown.text


def test_marking_everything_read_leaves_others_messages_alone(client):
    user, other = UserFactory(), UserFactory()
    notify(user, 2)
    notify(other)
    client.force_login(user)

    client.post(reverse("notifications:read_all"))

    assert not Notification.objects.filter(recipient=user).unread().exists()
    assert Notification.objects.filter(recipient=other).unread().count() == 1


@pytest.mark.parametrize("persona", ["hr", "hr_admin", "manager", "cmc"])
def test_nobody_reads_another_person_s_message_whatever_their_role(world, persona):
    client = world.client(persona)

    shown = client.get(reverse("notifications:detail", args=[world.notification.pk]))
    opened = client.post(reverse("notifications:open", args=[world.notification.pk]))
    listed = client.get(reverse("notifications:inbox"))

    assert shown.status_code == opened.status_code == 404
    world.notification.refresh_from_db()
    assert world.notification.is_unread
    assert world.notification.subject not in listed.text


@pytest.mark.parametrize("count", [3, 45])
def test_the_list_is_paginated_with_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, count
):
    user = UserFactory()
    notify(user, count)
    client.force_login(user)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:inbox"), {"page": 2 if count > 20 else 1})

    assert len(response.context["page_obj"]) == (20 if count > 20 else count)
