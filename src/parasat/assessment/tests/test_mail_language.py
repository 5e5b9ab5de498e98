"""Emails are written in each recipient's language: the one they last chose
in the header, else the site's default."""

import pytest

from parasat.accounts.tests.factories import UserFactory
from parasat.assessment.tasks import send_notice
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory


@pytest.fixture
def colleagues(work):
    """Three contact persons of the same ministry: Kazakh, Russian, no choice."""
    people = {}
    for language in ["kk", "ru", ""]:
        person = UserFactory(username=f"cp-{language or 'none'}", language=language)
        ParticipantFactory(
            review=work.review, user=person, role=Role.CONTACT_PERSON, organisation=work.ministry
        )
        people[language] = person
    return people


def sent_to(mailoutbox, person):
    (message,) = [m for m in mailoutbox if m.to == [person.email]]
    return message


def test_each_recipient_reads_the_email_in_their_language(work, colleagues, mailoutbox):
    sent = send_notice.call(
        kind="assigned",
        user_ids=[p.pk for p in colleagues.values()],
        assignment_id=work.assignment.pk,
    )
    assert sent == 3
    url = f"/reviews/{work.review.slug}/assessment/assignments/{work.assignment.pk}/"
    # The ministry's name is content translated in the database: it follows
    # the recipient's language whatever the state of the UI catalogues.
    ministry = work.ministry.name
    for language, shown in [("kk", "kk"), ("ru", "ru"), ("", "en")]:
        message = sent_to(mailoutbox, colleagues[language])
        assert ministry.get(shown) in message.body
        assert url in message.body and "SAMPLE" in message.subject


def test_the_email_is_rendered_under_the_recipients_language(
    work, colleagues, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "ru"  # the default for who never chose
    template = "{% load i18n %}{% get_current_language as lang %}Subject {{ lang }}\nBody {{ url }}"
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {"assessment/email/due_soon.txt": template},
                    )
                ],
            },
        }
    ]
    send_notice.call(
        kind="due_soon",
        user_ids=[p.pk for p in colleagues.values()],
        assignment_id=work.assignment.pk,
    )
    subjects = {tuple(m.to): m.subject for m in mailoutbox}
    assert subjects == {
        (colleagues["kk"].email,): "Subject kk",
        (colleagues["ru"].email,): "Subject ru",
        (colleagues[""].email,): "Subject ru",
    }
