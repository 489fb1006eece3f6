"""
Every e-mail the product can send, sent through its app's `emails.py` and delivered by
the real worker, then read as its recipient receives it: a plain-text part with no markup
and no HTML entity, an HTML part escaped once, every link absolute under SITE_URL, French
typography, a subject; and the same message kept in the recipient's « Mes notifications ».

A public function added to an `emails.py` without a line in SENDS fails
`test_every_email_function_is_sent_here`; a template pair under `templates/emails/` that
no line sends fails `test_every_email_template_is_sent_here`.
"""

import datetime
import importlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.utils import timezone

from bpp.mailer.models import Notification
from bpp.people import emails as people_emails
from bpp.people import services as people_services
from bpp.people.models import AccountEvent, User
from bpp.requests import emails as request_emails
from bpp.requests.models import ReviewRequest, Status
from cohorts import emails as cohort_emails
from cohorts.models import ProgrammeItem
from synthesis import emails as synthesis_emails
from synthesis.models import Audience, ProviderCopy, ShareRequest, ShareRequestState
from tests.conftest import World

SITE_URL = "https://bilans.exemple.gouv.fr"
OUR_PACKAGES = ("bpp", "cohorts", "synthesis")
EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


def _in_state(review_request: ReviewRequest, **fields) -> ReviewRequest:
    """The request as stored with `fields`, read back with its state of today."""
    ReviewRequest.objects.filter(pk=review_request.pk).update(**fields)
    return ReviewRequest.objects.get(pk=review_request.pk)


def _decided(w: World, status: str, **fields) -> ReviewRequest:
    return _in_state(
        w.request, status=status, decided_by=w.users["hr"], decided_at=timezone.now(), **fields
    )


def _postponement(w: World, status: str) -> ReviewRequest:
    today = timezone.localdate()
    return _in_state(
        w.request,
        status=status,
        decided_by=w.users["manager"],
        decided_at=timezone.now(),
        postponement_reason="Clôture budgétaire du service, jusqu’à la fin du trimestre.",
        postponement_start=today + datetime.timedelta(days=10),
        postponement_end=today + datetime.timedelta(days=90),
    )


def _digest(w: World, user: str, *, total: int, request=None) -> request_emails.Digest:
    """A digest naming the world's request to `user`, with `total - 1` others counted."""
    return request_emails.Digest(
        recipient=w.users[user], review_requests=[request or w.request], total=total
    )


def _account_events(w: World) -> list[AccountEvent]:
    user = w.users["agent"]
    return [
        AccountEvent.objects.create(
            user=user, kind=AccountEvent.Kind.ROLE_ADDED, detail="Manager", by=w.users["hr_admin"]
        ),
        AccountEvent.objects.create(
            user=user, kind=AccountEvent.Kind.MANAGER_CHANGED, detail="aucun", by=None
        ),
    ]


def _cancelled(session):
    session.cancelled_at = timezone.now()
    session.save(update_fields=["cancelled_at"])
    return session


def _declined(support, leader):
    support.answered(status="decline", decline_message="Voyons-nous jeudi.", decided_by=leader)
    return support


@dataclass
class Send:
    function: Callable  # the public function of an `emails.py`
    call: Callable[[World], None]  # how the product calls it, in the world
    names: set[str]  # the e-mails it sends there

    @property
    def qualname(self) -> str:
        return f"{self.function.__module__}.{self.function.__name__}"


def _share_request(w: World, state: str = ShareRequestState.PENDING) -> ShareRequest:
    now = timezone.now()
    return ShareRequest.objects.create(
        synthesis=w.synthesis,
        audience=Audience.MANAGER,
        asked_by=w.users["manager"],
        asked_at=now,
        message="Pour préparer votre entretien annuel.",
        state=state,
        answered_at=None if state == ShareRequestState.PENDING else now,
    )


def _provider_copies(w: World) -> list[ProviderCopy]:
    now = timezone.now()
    return [
        ProviderCopy.objects.create(
            consultant=w.users["provider"],
            cohort=w.cohort,
            provider=w.contract.provider,
            downloads=3,
            first_downloaded_at=now,
            last_downloaded_at=now,
        )
    ]


r, c, s, p = request_emails, cohort_emails, synthesis_emails, people_emails
SENDS = {
    "share_requested": Send(
        s.share_requested,
        lambda w: s.share_requested(_share_request(w)),
        {"synthesis/share_requested"},
    ),
    "share_accepted": Send(
        s.share_answered,
        lambda w: s.share_answered(_share_request(w, ShareRequestState.ACCEPTED)),
        {"synthesis/share_answered"},
    ),
    "share_declined": Send(
        s.share_answered,
        lambda w: s.share_answered(_share_request(w, ShareRequestState.DECLINED)),
        {"synthesis/share_answered"},
    ),
    "destruction_reminder": Send(
        s.destruction_reminder,
        lambda w: s.destruction_reminder(w.users["provider"], _provider_copies(w)),
        {"synthesis/destruction_reminder"},
    ),
    "request_received": Send(
        r.request_received,
        lambda w: r.request_received(w.request),
        {"requests/received", "requests/to_decide"},
    ),
    "review_proposed": Send(
        r.review_proposed, lambda w: r.review_proposed(w.proposal), {"requests/proposed"}
    ),
    "proposal_accepted": Send(
        r.proposal_answered,
        lambda w: r.proposal_answered(
            _in_state(
                w.proposal,
                status=Status.PENDING,
                received_on=datetime.date(2026, 12, 31),
                decision_deadline=datetime.date(2027, 2, 28),
            )
        ),
        {"requests/proposal_answered"},
    ),
    "proposal_declined": Send(
        r.proposal_answered,
        lambda w: r.proposal_answered(_in_state(w.proposal, status=Status.DECLINED)),
        {"requests/proposal_answered"},
    ),
    "request_withdrawn": Send(
        r.request_withdrawn,
        lambda w: r.request_withdrawn(_in_state(w.request, status=Status.WITHDRAWN)),
        {"requests/withdrawn"},
    ),
    "request_approved": Send(
        r.request_decided,
        lambda w: r.request_decided(_decided(w, Status.APPROVED)),
        {"requests/decided", "requests/decided_for_deciders"},
    ),
    "request_refused": Send(
        r.request_decided,
        lambda w: r.request_decided(
            _decided(w, Status.REFUSED, refusal_reason="Le service est en sous-effectif.")
        ),
        {"requests/decided", "requests/decided_for_deciders"},
    ),
    "disability_officer_informed": Send(
        r.disability_officer_informed,
        lambda w: r.disability_officer_informed(w.request),
        {"requests/disability_officer"},
    ),
    "postponement_submitted": Send(
        r.postponement_submitted,
        lambda w: r.postponement_submitted(_postponement(w, Status.POSTPONEMENT_REQUESTED)),
        {"requests/postponement_submitted"},
    ),
    "postponement_agreed": Send(
        r.postponement_answered,
        lambda w: r.postponement_answered(
            _postponement(w, Status.POSTPONED), agreed=True, reason=""
        ),
        {"requests/postponement_answered", "requests/decided"},
    ),
    "postponement_refused": Send(
        r.postponement_answered,
        lambda w: r.postponement_answered(
            _postponement(w, Status.PENDING), agreed=False, reason="Le report n’est pas justifié."
        ),
        {"requests/postponement_answered"},
    ),
    "implicitly_rejected": Send(
        r.implicitly_rejected,
        lambda w: r.implicitly_rejected(_in_state(w.request, status=Status.IMPLICITLY_REJECTED)),
        {"requests/implicitly_rejected", "requests/implicitly_rejected_deciders"},
    ),
    "implicit_rejection_notices": Send(
        r.implicit_rejection_notices,
        lambda w: r.implicit_rejection_notices(
            [_in_state(w.request, status=Status.IMPLICITLY_REJECTED)]
        ),
        {"requests/implicitly_rejected"},
    ),
    "implicit_rejections_digest": Send(
        r.implicit_rejections_digest,
        lambda w: r.implicit_rejections_digest(
            [
                _digest(w, "manager", total=1),
                _digest(w, "hr", total=3),
            ],
            day=timezone.localdate(),
        ),
        {"requests/implicit_rejections_digest"},
    ),
    "postponement_ended_notices": Send(
        r.postponement_ended_notices,
        lambda w: r.postponement_ended_notices([_postponement(w, Status.APPROVED)]),
        {"requests/postponement_ended"},
    ),
    "postponements_ended_digest": Send(
        r.postponements_ended_digest,
        lambda w: r.postponements_ended_digest(
            [_digest(w, "cmc", total=1, request=_postponement(w, Status.APPROVED))],
            day=timezone.localdate(),
        ),
        {"requests/postponements_ended_digest"},
    ),
    "deadline_reminders_digest": Send(
        r.deadline_reminders_digest,
        lambda w: r.deadline_reminders_digest(
            [_digest(w, "manager", total=1), _digest(w, "hr", total=4)],
            [_digest(w, "hr", total=1), _digest(w, "hr_admin", total=2)],
            today=timezone.localdate(),
        ),
        {"requests/reminders_digest"},
    ),
    "account_changed": Send(
        p.account_changed,
        lambda w: p.account_changed(w.users["agent"], _account_events(w)),
        {"people/account_changed"},
    ),
    "password_reset": Send(
        p.password_reset,
        lambda w: people_services.send_password_reset(user=w.users["agent"]),
        {"people/password_reset"},
    ),
    "welcome": Send(
        p.password_reset,
        lambda w: people_services.send_password_reset(user=w.users["agent"], welcome=True),
        {"people/password_reset"},
    ),
    "convocation": Send(
        c.convocation, lambda w: c.convocation(w.enrolment), {"cohorts/convocation"}
    ),
    "seat_freed": Send(
        c.seat_freed,
        lambda w: c.seat_freed(w.cohort, [w.users["cmc"]], following=_decided(w, Status.APPROVED)),
        {"cohorts/seat_freed"},
    ),
    "seat_freed_nobody_waits": Send(
        c.seat_freed,
        lambda w: c.seat_freed(w.cohort, [w.users["cmc"]], following=None),
        {"cohorts/seat_freed"},
    ),
    "leaders_changed": Send(
        c.leaders_changed,
        lambda w: c.leaders_changed(
            w.cohort, added={w.users["cmc"]}, removed={w.users["provider"]}
        ),
        {"cohorts/leaders_changed"},
    ),
    **{
        name: Send(
            c.session_changed,
            lambda w, name=name: c.session_changed(
                _cancelled(w.session) if name == "session_cancelled" else w.session, name=name
            ),
            {f"cohorts/{name}"},
        )
        for name in ("session_scheduled", "session_moved", "session_cancelled")
    },
    **{
        f"programme_{kind}": Send(
            c.programme_item,
            lambda w, title=title: c.programme_item(
                ProgrammeItem.objects.national().get(title=title),
                w.cohort,
                [w.users["enrolled_agent"]],
            ),
            {"cohorts/programme_item"},
        )
        for kind, title in [
            ("exercise", "Mes compétences"),
            ("message", "Bienvenue dans votre bilan de parcours professionnel"),
        ]
    },
    "evaluation_sent": Send(
        c.evaluation_sent, lambda w: c.evaluation_sent(w.evaluation), {"cohorts/evaluation"}
    ),
    "synthesis_to_sign": Send(
        s.to_sign, lambda w: s.to_sign(w.synthesis, [w.users["cmc"]]), {"synthesis/to_sign"}
    ),
    "synthesis_signed": Send(
        s.signed, lambda w: s.signed(w.synthesis, [w.users["cmc"]]), {"synthesis/signed"}
    ),
    "synthesis_follow_up": Send(
        s.follow_up_sent,
        lambda w: s.follow_up_sent(w.follow_up),
        {"synthesis/follow_up"},
    ),
    "synthesis_support_asked": Send(
        s.support_asked,
        lambda w: s.support_asked(w.support_request, [w.users["cmc"]]),
        {"synthesis/support_asked"},
    ),
    "synthesis_support_declined": Send(
        s.support_declined,
        lambda w: s.support_declined(_declined(w.support_request, w.users["cmc"])),
        {"synthesis/support_declined"},
    ),
    "synthesis_deletion_notice": Send(
        s.deletion_notice,
        lambda w: s.deletion_notice(
            w.users["enrolled_agent"], [(w.synthesis, datetime.date(2027, 3, 1))]
        ),
        {"synthesis/deletion_notice"},
    ),
    "syntheses_deletion_notice": Send(
        s.deletion_notice,
        lambda w: s.deletion_notice(
            w.users["enrolled_agent"],
            [(w.synthesis, datetime.date(2027, 3, 1)), (w.synthesis, datetime.date(2027, 3, 2))],
        ),
        {"synthesis/deletion_notice"},
    ),
}


def email_functions() -> set[str]:
    """Every public function of every `emails.py` of our apps."""
    found = set()
    for app in apps.get_app_configs():
        if app.name.split(".")[0] not in OUR_PACKAGES:
            continue
        try:
            module = importlib.import_module(f"{app.name}.emails")
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.emails":
                raise
            continue
        found |= {
            f"{module.__name__}.{name}"
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if function.__module__ == module.__name__ and not name.startswith("_")
        }
    return found


def test_every_email_function_is_sent_here():
    sent_here = {send.qualname for send in SENDS.values()}
    assert email_functions() - sent_here == set(), "add these e-mails to SENDS"
    assert sent_here - email_functions() == set(), "SENDS names functions that are gone"


def test_every_email_template_is_sent_here():
    on_disk = {
        str(path.relative_to(EMAIL_TEMPLATES)).removesuffix("_subject.txt")
        for path in EMAIL_TEMPLATES.rglob("*_subject.txt")
    }
    sent_here = set().union(*(send.names for send in SENDS.values()))
    assert on_disk == sent_here


class Links(HTMLParser):
    """The addresses an HTML part points to or loads."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs and tag == "a":
            self.hrefs.append(attrs["href"])
        if tag in ("img", "link", "script", "style", "iframe") or "src" in attrs:
            self.loads.append(tag)


TAG = re.compile(r"</?[a-zA-Z!][^>]*>")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z]|&amp;(lt|gt|amp|quot|#)")
URL = re.compile(r"https?://[^\s»)]+")


def _without_names(text: str) -> str:
    """The text without the names of people, which are theirs to spell."""
    for first_name, last_name in User.objects.values_list("first_name", "last_name"):
        text = text.replace(first_name, "").replace(last_name, "")
    return text


@pytest.mark.parametrize("case", sorted(SENDS))
def test_each_email_reads_right_in_both_parts(world, django_tasks, settings, case):
    settings.SITE_URL = SITE_URL
    send = SENDS[case]
    django_tasks.clear()

    send.call(world)
    django_tasks.run()

    kept = Notification.objects.exclude(pk=world.notification.pk).select_related("recipient")
    assert {n.name for n in kept} == send.names
    assert len(mail.outbox) == len(kept)
    for notification in kept:
        where = f"{notification.name} to {notification.recipient.email}"
        # « Mes notifications » keeps each message as sent, for its recipient alone.
        [message] = [
            m
            for m in mail.outbox
            if m.to == [notification.recipient.email] and m.subject == notification.subject
        ]
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        text = message.body

        # The subject: one line of plain French.
        assert message.subject.strip(), where
        assert "\n" not in message.subject and not TAG.search(message.subject), where
        assert not ENTITY.search(message.subject), where

        # The text part: no markup, no entity, nothing left unrendered.
        assert not TAG.search(text), f"{where}: markup in the text part"
        assert not ENTITY.search(text), f"{where}: an HTML entity in the text part"
        assert "{{" not in text and "{%" not in text and "None" not in text, where
        assert text.startswith(f"Bonjour {notification.recipient.first_name},"), where

        # The HTML part: escaped once, nothing to fetch, the same paragraphs.
        assert not ESCAPED_TAG.search(html), f"{where}: escaped markup in the HTML part"
        links = Links()
        links.feed(html)
        assert links.loads == [], f"{where}: the HTML part loads {links.loads}"
        assert f">Bonjour {notification.recipient.first_name},</p>" in html, where
        assert "République<br>française" in html and "Mes notifications</a>" in html, where

        # Every link, in both parts, absolute and under SITE_URL.
        assert links.hrefs, where
        for link in links.hrefs + URL.findall(text):
            assert link.startswith(SITE_URL + "/"), f"{where}: {link}"
        if notification.url:
            assert notification.url in links.hrefs and notification.url in text, where

        # French typography: the typographic apostrophe, in both parts and the subject.
        for part in (message.subject, text, html):
            assert "'" not in _without_names(part), f"{where}: a straight apostrophe"

        # The kept text is the e-mail's, the layout's footer aside; never a password link.
        if notification.name == "people/password_reset":
            assert notification.url == "" and SITE_URL not in notification.text, where
        else:
            assert text.startswith(notification.text + "\n"), where


def test_a_digest_names_people_as_a_mail_client_shows_them(world, django_tasks):
    """A name with characters HTML escapes (« & », « < », an apostrophe) reads as written
    in both parts: escaped once in the HTML, left alone in the text."""
    agent = world.request.agent.user
    agent.last_name = "L’Hôte & Fils <Dupont>"
    agent.save()
    django_tasks.clear()

    request_emails.deadline_reminders_digest(
        [_digest(world, "manager", total=1)], [], today=timezone.localdate()
    )
    django_tasks.run()

    [message] = mail.outbox
    html, _ = message.alternatives[0]
    assert "L’Hôte & Fils <Dupont>" in message.body
    assert "L’Hôte &amp; Fils &lt;Dupont&gt;" in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    # What a mail client shows: the HTML part's text, entities decoded once.
    assert "L’Hôte & Fils <Dupont>" in unescape(re.sub(r"<[^>]+>", "", html))


def test_a_programme_message_written_by_an_hr_admin_reads_as_written(world, django_tasks):
    """The body of a programme item is text an HR admin or a leader typed: « & » and « < »
    are escaped once in the HTML part and left alone in the text part."""
    item = ProgrammeItem.objects.create(
        organisation=world.organisation,
        phase=2,
        kind="message",
        title="Vos atouts",
        body="Listez vos atouts & vos envies <en trois lignes>.",
    )
    django_tasks.clear()

    cohort_emails.programme_item(item, world.cohort, [world.users["enrolled_agent"]])
    django_tasks.run()

    [message] = mail.outbox
    html, _ = message.alternatives[0]
    assert "Listez vos atouts & vos envies <en trois lignes>." in message.body
    assert "vos atouts &amp; vos envies &lt;en trois lignes&gt;." in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    shown = unescape(re.sub(r"<[^>]+>", "", html))
    assert "Listez vos atouts & vos envies <en trois lignes>." in shown
