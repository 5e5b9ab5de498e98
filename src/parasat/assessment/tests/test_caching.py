"""The dashboard is kept whole per reader under the review's assessment token
(assessment/caching.py): every change of the work shows on the next view, in
every language, and no reader is ever served another's page."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from parasat.accounts.models import Organisation
from parasat.accounts.tests.factories import OrganisationFactory, UserFactory
from parasat.assessment import caching, services
from parasat.assessment.caching import assessment_changed, assessment_version
from parasat.assessment.models import Answer
from parasat.assessment.tests.factories import assign, sample_questionnaire, working_group
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory

S = Answer.Status
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}
COUNTED = ("Answered", "Submitted", "Returned", "Accepted", "Forwarded")


def url(name, review, *args):
    return reverse(f"assessment:{name}", args=[review.slug, *args])


def first_row(html: str) -> dict[str, str]:
    """The first assignment row's counts as the table shows them."""
    return {
        label: re.search(rf'data-label="{label}">([^<]*)</td>', html).group(1) for label in COUNTED
    }


def save(client, work, name: str, value: str):
    answer = work.answer(name)
    response = client.post(
        url("answer_save", work.review, answer.pk),
        {
            "value": value,
            "explanation": "",
            "confidentiality": "team",
            "base_version": answer.version,
        },
        **FETCH,
    )
    assert response.status_code == 200 and response.json()["changed"], response.content


# Committed for real, as in production: each change's token is written when its
# transaction commits (inside a test's transaction, a mark of the process stands in).
@pytest.mark.django_db(transaction=True)
def test_every_step_of_the_work_shows_on_the_next_view(
    work, client_for, django_assert_max_num_queries
):
    coordinator, contact = client_for(work.coordinator), client_for(work.contact)
    home = url("home", work.review)
    first = coordinator.get(home).text
    assert first_row(first) == {
        "Answered": "0 of 6",
        "Submitted": "0",
        "Returned": "0",
        "Accepted": "0",
        "Forwarded": "0",
    }
    # Nothing changed: the kept page, without a query of the work.
    with django_assert_max_num_queries(0):
        again = coordinator.get(home)
    assert again.status_code == 200 and first_row(again.text) == first_row(first)

    save(contact, work, "policy", "yes")  # a contact person saves
    assert first_row(coordinator.get(home).text)["Answered"] == "1 of 6"
    save(contact, work, "share", "40")
    save(contact, work, "describe", "A description.")
    assert first_row(coordinator.get(home).text)["Answered"] == "3 of 6"

    summary = url("summary", work.review)  # the review overview's totals, kept the same way
    assert "<dt>Submitted</dt><dd>0</dd>" in coordinator.get(summary).text
    submitted = contact.post(url("assignment_submit", work.review, work.assignment.pk))
    assert submitted.status_code == 302
    assert "<dt>Submitted</dt><dd>6</dd>" in coordinator.get(summary).text
    assert first_row(coordinator.get(home).text)["Submitted"] == "6"  # the rest are optional

    policy, share, describe = (work.answer(n).pk for n in ("policy", "share", "describe"))
    returned = coordinator.post(
        url("decide", work.review),
        {"answers": [policy], "decision": "return", "reason": "Cite the law."},
    )
    assert returned.status_code == 302
    html = coordinator.get(home).text
    assert (first_row(html)["Submitted"], first_row(html)["Returned"]) == ("5", "1")
    assert "Needs attention" in html  # a returned answer puts the row first

    accepted = coordinator.post(
        url("decide", work.review), {"answers": [share, describe], "decision": "accept"}
    )
    assert accepted.status_code == 302
    assert first_row(coordinator.get(home).text)["Accepted"] == "2"

    forwarded = coordinator.post(url("forward", work.review), {"area": "REG", "confirmed": "yes"})
    assert forwarded.status_code == 302
    row = first_row(coordinator.get(home).text)
    assert (row["Accepted"], row["Forwarded"], row["Returned"]) == ("0", "2", "1")


@pytest.mark.django_db(transaction=True)
def test_a_new_assignment_and_a_reassignment_show_at_once(work, client_for):
    coordinator = client_for(work.coordinator)
    home = url("home", work.review)
    assert "1 assignment" in coordinator.get(home).text
    new = sample_questionnaire(identifier="Q-NEW", area_code="ANT")
    assign(work.review, by=work.coordinator, ministry=work.ministry, questionnaire=new)
    html = coordinator.get(home).text
    assert "2 assignments" in html and "Q-NEW" in html
    assert '<option value="ANT">' in html  # the filters list the new area
    other, _contact = working_group(
        work.review,
        OrganisationFactory(code="min-finance", kind=Organisation.Kind.MINISTRY),
        username="finance-contact",
    )
    services.assignment_reassign(
        assignment=work.assignment,
        ministry=other,
        assignee=None,
        due_on=work.assignment.due_on,
        by=work.coordinator,
    )
    html = coordinator.get(home).text
    assert work.contact.display_name not in html.split("<tbody", 1)[1]
    assert f'<option value="{other.code}">' in html  # and the new ministry


def test_no_reader_is_served_another_readers_page(work, client_for, persona):
    """The co-ordinator's kept page (with the reassign links and their name)
    is never served to an analyst, nor the English page to a Kazakh reader."""
    home = url("home", work.review)
    coordinator = client_for(work.coordinator)
    mine = coordinator.get(home).text
    assert url("reassign", work.review, work.assignment.pk) in mine
    analyst_user = persona(Role.ANALYST)
    theirs = client_for(analyst_user).get(home).text
    assert url("reassign", work.review, work.assignment.pk) not in theirs
    assert analyst_user.display_name in theirs and work.coordinator.display_name not in theirs
    assert "Open peer review" in theirs and "Open peer review" not in mine
    # A second co-ordinator with the same permissions still gets their own page.
    other = UserFactory(username="second-coordinator")
    ParticipantFactory(review=work.review, user=other, role=Role.COORDINATOR)
    second = client_for(other).get(home).text
    assert other.display_name in second and work.coordinator.display_name not in second
    # Another language, another page.
    coordinator.cookies["django_language"] = "kk"
    kazakh = coordinator.get(home).text
    assert '<html lang="kk">' in kazakh and kazakh != mine
    coordinator.cookies["django_language"] = "en"
    assert '<html lang="en">' in coordinator.get(home).text


def test_a_flash_message_is_shown_once_and_never_kept(work, client_for, persona):
    analyst = client_for(persona(Role.ANALYST))
    home = url("home", work.review)
    analyst.get(home)  # kept without a message
    done = analyst.post(
        url("stage", work.review), {"action": "open_peer_review", "confirmed": "yes"}, follow=True
    )
    assert done.redirect_chain[-1][0] == home
    assert done.text.count('class="message message-success"') == 1
    assert 'class="message message-success"' not in analyst.get(home).text


@pytest.mark.django_db
def test_the_token_changes_again_when_the_transaction_commits(
    review, django_capture_on_commit_callbacks
):
    before = assessment_version(review.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_changed(review.pk)
        during = assessment_version(review.pk)
    after = assessment_version(review.pk)
    assert len({before, during, after}) == 3
    assert assessment_version(review.pk + 1) != after  # one token per review


@pytest.mark.django_db
def test_a_change_rolled_back_still_lets_other_processes_changes_through(review):
    """The mark of a change never committed stays in this process; the shared
    token, changed by another process's commit, still changes the version."""

    def change_then_fail() -> None:
        with transaction.atomic():
            assessment_changed(review.pk)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_then_fail()
    marked = assessment_version(review.pk)
    assert assessment_version(review.pk) == marked  # stable: the kept page is used
    cache.set(caching._key(review.pk), "committed elsewhere", None)
    assert assessment_version(review.pk) not in (marked, "committed elsewhere")
    assert assessment_version(review.pk).startswith("committed elsewhere")
