"""The work of the self-assessment: the dashboard, "my work", assigning, the
queue of submitted answers, forwarding and the stages, for every role."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from parasat.accounts.tests.factories import OrganisationFactory, UserFactory
from parasat.assessment import selectors, services
from parasat.assessment.access import get_reader
from parasat.assessment.models import Answer, AssessmentStage, Assignment, Transition
from parasat.assessment.tests.conftest import made_work
from parasat.assessment.tests.factories import assign, sample_questionnaire, working_group
from parasat.conftest import ALL_ROLES
from parasat.core.testing import shared
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory, signed_review
from parasat.toolkit.tests.factories import PolicyAreaFactory

S = Answer.Status
PROGRESS_ROLES = {"coordinator", "analyst", "expert", "local_consultant"}
ANSWER_ROLES = {"coordinator", "contact_person"}
COORDINATOR_ONLY = {"coordinator"}
STAGE_ROLES = {"analyst"}


def url(name, review, *args):
    return reverse(f"assessment:{name}", args=[review.slug, *args])


def fill_and_submit(assignment, by):
    """Answer the sample questionnaire's required questions and submit those three."""
    values = {"policy": "yes", "share": "40", "describe": "A description."}
    answered = []
    for answer in assignment.answers.select_related("question"):
        if answer.question.name in values:
            services.answer_save(
                answer=answer,
                by=by,
                value=values[answer.question.name],
                explanation="Because the law says so.",
                confidentiality="team",
                base_version=answer.version,
            )
            answered.append(answer.pk)
    return services.assignment_submit(assignment=assignment, by=by, only=answered)


def made_submitted() -> dict[str, Any]:
    """The rows of the ``submitted`` fixture, for parasat.core.testing.shared."""
    made = made_work()
    made["submitted"] = fill_and_submit(made["work"].assignment, made["work"].contact)
    return made


shared.share_rows("submitted", made_submitted)


@pytest.fixture
def submitted(work, _shared_rows):
    """``work`` with its three required answers saved and submitted by the
    contact person (``fill_and_submit``); the submitted answers. Made once for
    the tests asking for it one after another."""
    if _shared_rows is not None and "submitted" in _shared_rows:
        return _shared_rows["submitted"]
    return fill_and_submit(work.assignment, work.contact)


def more_assignments(work, count, start=0):
    """``count`` more assignments of fresh sample questionnaires in two areas."""
    made = []
    for i in range(start, start + count):
        q = sample_questionnaire(identifier=f"Q{i:03d}", area_code="ANT" if i % 2 else "REG")
        made.append(
            assign(
                work.review,
                by=work.coordinator,
                ministry=work.ministry,
                assignee=work.contact,
                questionnaire=q,
            )
        )
    return made


def statuses(assignment):
    return sorted(assignment.answers.values_list("status", flat=True))


# --- who reaches what ------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_is_the_dashboard_for_those_following_progress(work, client_for, persona, role):
    response = client_for(persona(role)).get(url("home", work.review))
    if role in PROGRESS_ROLES:
        assert response.status_code == 200
        assert "Self-assessment: progress" in response.text
    elif role == "contact_person":
        assert response.status_code == 302
        assert response["Location"] == url("mine", work.review)
    else:
        # Peer reviewers and stakeholders see what is open to them, here nothing yet.
        assert response.status_code == 200
        assert "No answers are open to you yet" in response.text
        assert work.assignment.questionnaire.identifier not in response.text


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize(
    ("page", "allowed"),
    [
        ("summary", PROGRESS_ROLES),
        ("mine", ANSWER_ROLES),
        ("assign", COORDINATOR_ONLY),
        ("queue", COORDINATOR_ONLY),
    ],
)
def test_pages_refuse_roles_that_must_not_reach_them(
    work, client_for, persona, role, page, allowed
):
    response = client_for(persona(role)).get(url(page, work.review))
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_coordinator_opens_the_reassign_page(work, client_for, persona, role):
    response = client_for(persona(role)).get(url("reassign", work.review, work.assignment.pk))
    assert response.status_code == (200 if role in COORDINATOR_ONLY else 403)


@pytest.mark.parametrize("role", sorted(set(ALL_ROLES) - COORDINATOR_ONLY))
def test_writes_are_refused_to_every_other_role_and_write_nothing(
    work, submitted, client_for, persona, role
):
    submitted = work.answer("policy")
    client = client_for(persona(role))
    posts = [
        ("assign", {"area": "REG", "ministry": work.ministry.pk, "due_on": "2030-01-01"}),
        ("decide", {"answers": [submitted.pk], "decision": "accept"}),
        ("forward", {"area": "REG"}),
    ]
    for name, data in posts:
        assert client.post(url(name, work.review), data).status_code == 403, name
    response = client.post(
        url("reassign", work.review, work.assignment.pk),
        {"ministry": work.ministry.pk, "due_on": "2030-01-01"},
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    assert Assignment.objects.count() == 1
    work.assignment.refresh_from_db()
    assert work.assignment.due_on != dt.date(2030, 1, 1)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", ["open_peer_review", "publish"])
def test_only_the_analytical_team_moves_the_stage(work, client_for, persona, role, action):
    client = client_for(persona(role))
    asked = client.get(url("stage", work.review), {"action": action})
    assert asked.status_code == (200 if role in STAGE_ROLES else 403)
    response = client.post(url("stage", work.review), {"action": action, "confirmed": "yes"})
    if role in STAGE_ROLES:
        assert response.status_code == 302
        assert AssessmentStage.objects.filter(review=work.review).exists()
    else:
        assert response.status_code == 403
        assert not AssessmentStage.objects.filter(review=work.review).exists()


PAGES = ["home", "summary", "mine", "assign", "queue"]
POSTS = ["decide", "forward", "stage"]


@pytest.mark.parametrize("page", PAGES + POSTS + ["reassign"])
def test_strangers_do_not_learn_the_review_exists(work, client_for, stranger, page):
    args = [work.assignment.pk] if page == "reassign" else []
    client = client_for(stranger)
    call = client.post if page in POSTS else client.get
    assert call(url(page, work.review, *args)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(work, client_for, page):
    work.review.is_public = True
    work.review.save()
    response = client_for(None).get(url(page, work.review))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_deciding_takes_posts_only(work, client_for):
    assert client_for(work.coordinator).get(url("decide", work.review)).status_code == 405


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_coordinator_is_asked_to_confirm_forwarding(
    work, submitted, client_for, persona, role
):
    services.answers_decide(answers=submitted, by=work.coordinator, accept=True)
    response = client_for(persona(role)).get(url("forward", work.review), {"area": "REG"})
    assert response.status_code == (200 if role in COORDINATOR_ONLY else 403)
    assert statuses(work.assignment).count(S.FORWARDED) == 0


def test_forwarding_asks_first_and_says_what_cannot_be_undone(work, submitted, client_for):
    services.answers_decide(answers=submitted, by=work.coordinator, accept=True)
    client = client_for(work.coordinator)
    queue = client.get(url("queue", work.review)).text
    assert f'<form method="get" action="{url("forward", work.review)}"' in queue
    for asked in (
        client.get(url("forward", work.review), {"area": "REG"}),
        client.post(url("forward", work.review), {"area": "REG"}),  # not confirmed
    ):
        assert asked.status_code == 200
        assert "3 accepted answers of REG" in asked.text
        assert "This cannot be undone" in asked.text
        assert 'name="confirmed" value="yes"' in asked.text
        assert "Forward 3 answers" in asked.text
        assert f'href="{url("queue", work.review)}">Cancel' in asked.text
    assert statuses(work.assignment).count(S.FORWARDED) == 0
    done = client.post(
        url("forward", work.review), {"area": "REG", "confirmed": "yes"}, follow=True
    )
    assert "3 accepted answers were forwarded" in done.text
    assert statuses(work.assignment).count(S.FORWARDED) == 3


@pytest.mark.parametrize(
    ("action", "question", "consequence"),
    [
        ("open_peer_review", "Open peer review?", "peer review cannot be closed again"),
        ("publish", "Publish the answers marked public?", "cannot be withdrawn"),
    ],
)
def test_the_stages_ask_first_and_say_what_cannot_be_undone(
    work, client_for, persona, action, question, consequence
):
    analyst = client_for(persona(Role.ANALYST))
    dashboard = analyst.get(url("home", work.review)).text
    assert f'<form method="get" action="{url("stage", work.review)}"' in dashboard
    for asked in (
        analyst.get(url("stage", work.review), {"action": action}),
        analyst.post(url("stage", work.review), {"action": action}),
    ):
        assert asked.status_code == 200
        assert question in asked.text and consequence in asked.text
        assert "This cannot be undone" in asked.text
    assert not AssessmentStage.objects.filter(review=work.review).exists()
    analyst.post(url("stage", work.review), {"action": action, "confirmed": "yes"})
    assert AssessmentStage.objects.filter(review=work.review).exists()


def test_reassigning_an_unknown_assignment_is_not_found(work, client_for):
    response = client_for(work.coordinator).get(
        url("reassign", work.review, work.assignment.pk + 1000)
    )
    assert response.status_code == 404


# --- the dashboard -------------------------------------------------------------------------


def test_the_dashboard_counts_each_assignment_and_links_to_it(work, client_for):
    fill_and_submit(work.assignment, work.contact)
    response = client_for(work.coordinator).get(url("home", work.review))
    html = response.text
    assert response.status_code == 200
    assert url("assignment", work.review, work.assignment.pk) in html
    assert "3 of 6" in html  # answered of total, in the row and the totals
    assert html.count("3 of 6") == 2
    assert "Regulatory policy" in html  # grouped by area
    assert url("reassign", work.review, work.assignment.pk) in html
    assert "Contact" in html  # the contact person's name


def test_the_dashboard_marks_overdue_assignments(work, client_for):
    Assignment.objects.filter(pk=work.assignment.pk).update(
        due_on=dt.date.today() - dt.timedelta(days=1)
    )
    html = client_for(work.coordinator).get(url("home", work.review)).text
    assert 'class="overdue"' in html and "1 overdue" in html


def test_the_dashboard_filters_by_area_ministry_status_and_overdue(work, client_for, review):
    other_ministry, other_contact = working_group(
        review, OrganisationFactory(code="min-finance"), username="finance"
    )
    other = assign(
        review,
        by=work.coordinator,
        ministry=other_ministry,
        assignee=other_contact,
        questionnaire=sample_questionnaire(identifier="OTHER", area_code="ANT"),
    )
    fill_and_submit(other, other_contact)
    Assignment.objects.filter(pk=work.assignment.pk).update(due_on=dt.date(2020, 1, 1))
    client = client_for(work.coordinator)

    def shown(query):
        html = client.get(url("home", work.review) + query).text
        return {
            a.questionnaire.identifier
            for a in (work.assignment, other)
            if url("assignment", work.review, a.pk) + '"' in html
        }

    assert shown("") == {"SAMPLE", "OTHER"}
    assert shown("?area=ANT") == {"OTHER"}
    assert shown("?ministry=min-justice") == {"SAMPLE"}
    assert shown("?status=submitted") == {"OTHER"}
    assert shown("?overdue=on") == {"SAMPLE"}
    assert shown("?area=REG&status=submitted") == set()


def test_the_filters_keep_the_choice_and_the_totals_follow_it(work, client_for):
    html = client_for(work.coordinator).get(url("home", work.review) + "?status=submitted").text
    assert '<option value="submitted" selected>' in html
    assert '<option value="" selected>' in html  # every area and every ministry
    assert 'name="area" id="id_area"' in html
    assert "No assignment matches these filters." in html  # nothing submitted yet


def test_clearing_the_filters_is_offered_inside_the_part_a_filter_change_replaces(work, client_for):
    # htmx swaps only #progress on a change of filter: a link outside it would
    # stay as the first page drew it.
    client = client_for(work.coordinator)
    reset = f'<a href="{url("home", work.review)}">Clear the filters</a>'
    assert reset not in client.get(url("home", work.review)).text
    html = client.get(url("home", work.review) + "?status=submitted").text
    progress = html[html.index('<section id="progress"') :]
    assert reset in progress[: progress.index("</section>")]


def test_a_filter_choice_is_escaped(work, client_for):
    from parasat.assessment.forms import QuickSelect

    widget = QuickSelect(choices=[("a&b", "<b>x</b>"), ("c", "c")])
    html = widget.render("area", "a&b", {"id": "id_area"})
    assert html == (
        '<select name="area" id="id_area"><option value="a&amp;b" selected>&lt;b&gt;x&lt;/b&gt;'
        '</option><option value="c">c</option></select>'
    )


def test_an_unknown_filter_is_reported_and_ignored(work, client_for):
    response = client_for(work.coordinator).get(url("home", work.review) + "?area=XYZ")
    assert response.status_code == 200
    assert "Some filters were not understood" in response.text
    assert url("assignment", work.review, work.assignment.pk) in response.text


def test_the_dashboard_query_count_does_not_grow_with_assignments(
    work, client_for, django_assert_max_num_queries
):
    client = client_for(work.coordinator)
    more_assignments(work, 2)
    with django_assert_max_num_queries(8) as few:
        assert client.get(url("home", work.review)).status_code == 200
    more_assignments(work, 3, start=2)  # 3 assignments, then 6
    fill_and_submit(Assignment.objects.get(questionnaire__identifier="Q003"), work.contact)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("home", work.review) + "?status=submitted&area=ANT")
        assert response.status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("home", work.review))
    assert response.text.count("/edit/") == 6


def test_the_dashboard_lists_what_needs_attention_first(work, client_for):
    """Overdue assignments and those holding returned answers come first,
    soonest due first, under their own heading; the rest by area."""
    first, returned, later = more_assignments(work, 3)
    Assignment.objects.filter(pk=first.pk).update(due_on=dt.date(2020, 1, 5))
    fill_and_submit(returned, work.contact)
    services.answers_decide(
        answers=list(returned.answers.filter(status="submitted")),
        by=work.coordinator,
        accept=False,
        reason="Cite the law.",
    )
    html = client_for(work.coordinator).get(url("home", work.review)).text
    assert "2 need attention, listed first" in html
    table = html[html.index("Needs attention") :]
    order = [
        table.index(url("assignment", work.review, a.pk) + '"')
        for a in (first, returned, later, work.assignment)  # the rest: area, then identifier
    ]
    assert order == sorted(order)
    assert table.index("Needs attention") < order[0] and order[1] < table.index("work-area", 1)


def test_the_dashboard_shows_a_page_at_a_time_and_keeps_the_filters(
    work, client_for, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(selectors, "DASHBOARD_PAGE", 2)
    more_assignments(work, 4)  # 5 assignments: pages of 2, 2 and 1
    client = client_for(work.coordinator)
    first = client.get(url("home", work.review)).text
    assert "5 assignments" in first and "Page 1 of 3" in first
    assert first.count('/edit/"') == 2 and 'rel="next"' in first and 'rel="prev"' not in first
    assert "0 of 30" in first  # the totals count every assignment, not the page's
    with django_assert_max_num_queries(8):
        last = client.get(url("home", work.review) + "?page=3").text
    assert "Page 3 of 3" in last and last.count('/edit/"') == 1 and 'rel="next"' not in last
    # A page past the end shows the last; the filters stay in the pages' links.
    assert "Page 3 of 3" in client.get(url("home", work.review) + "?page=99").text
    assert "Page 1 of 3" in client.get(url("home", work.review) + "?page=x").text
    filtered = client.get(url("home", work.review) + "?area=ANT&page=1").text
    assert "2 assignments" in filtered and "Page" not in filtered
    assert (
        'href="?ministry=&amp;page=2"'
        in client.get(url("home", work.review) + "?ministry=&page=1").text
    )


def test_the_analyst_opens_peer_review_and_publishes_from_the_dashboard(work, client_for, persona):
    who = persona(Role.ANALYST)
    analyst = client_for(who)
    html = analyst.get(url("home", work.review)).text
    assert "Open peer review" in html and "Publish the answers marked public" in html
    coordinator_html = client_for(work.coordinator).get(url("home", work.review)).text
    assert "not open yet" in coordinator_html and "Open peer review" not in coordinator_html

    response = analyst.post(
        url("stage", work.review), {"action": "open_peer_review", "confirmed": "yes"}, follow=True
    )
    assert "Peer review is open" in response.text
    assert "Open peer review</button>" not in response.text
    assert f"opened by {who.display_name}" in response.text
    response = analyst.post(
        url("stage", work.review), {"action": "publish", "confirmed": "yes"}, follow=True
    )
    assert f"by {who.display_name}</dd>" in response.text and "published on" in response.text
    stage = AssessmentStage.objects.get(review=work.review)
    assert stage.peer_review_opened_at and stage.published_at
    assert stage.peer_review_opened_by == stage.published_by == who
    second_analyst = UserFactory(username="second-analyst")
    ParticipantFactory(review=work.review, user=second_analyst, role=Role.ANALYST)
    other = client_for(second_analyst)
    again = other.post(
        url("stage", work.review), {"action": "publish", "confirmed": "yes"}, follow=True
    )
    assert "already published" in again.text
    again = AssessmentStage.objects.get(review=work.review)
    assert (again.published_at, again.published_by) == (stage.published_at, who)


def test_an_unknown_stage_is_refused_with_a_message(work, client_for, persona):
    response = client_for(persona(Role.ANALYST)).post(
        url("stage", work.review), {"action": "close"}, follow=True
    )
    assert "Unknown step" in response.text
    assert not AssessmentStage.objects.filter(review=work.review).exists()


def test_peer_reviewers_see_the_forwarded_answers_once_peer_review_opens(work, client_for, persona):
    fill_and_submit(work.assignment, work.contact)
    services.answers_decide(
        answers=list(work.assignment.answers.filter(status=S.SUBMITTED)),
        by=work.coordinator,
        accept=True,
    )
    services.area_forward(
        review=work.review, area=work.assignment.questionnaire.area, by=work.coordinator
    )
    Answer.objects.filter(assignment=work.assignment, question__name="policy").update(
        confidentiality="peers"
    )
    peer = client_for(persona(Role.PEER_REVIEWER))
    assert "No answers are open to you yet" in peer.get(url("home", work.review)).text
    services.peer_review_open(review=work.review, by=persona(Role.ANALYST))
    html = peer.get(url("home", work.review)).text
    assert url("assignment", work.review, work.assignment.pk) in html and "1 answer" in html


# --- the overview and the navigation --------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_overview_links_to_the_self_assessment(work, client_for, persona, role):
    html = client_for(persona(role)).get(reverse("reviews:overview", args=[work.review.slug])).text
    assert url("home", work.review) in html and "Self-assessment" in html
    assert (url("summary", work.review) in html) == (role in PROGRESS_ROLES)


def test_the_overview_summary_shows_the_totals(work, client_for):
    fill_and_submit(work.assignment, work.contact)
    html = client_for(work.coordinator).get(url("summary", work.review)).text
    assert "3 of 6" in html and "<html" not in html


def test_the_nav_marks_the_self_assessment_current(work, client_for):
    html = client_for(work.coordinator).get(url("assign", work.review)).text
    assert f'href="{url("home", work.review)}" aria-current="page"' in html


# --- my work --------------------------------------------------------------------------------


def test_my_work_lists_what_is_mine_with_due_dates_and_returned_answers(work, client_for):
    fill_and_submit(work.assignment, work.contact)
    policy = work.answer("policy")
    services.answers_decide(
        answers=[policy], by=work.coordinator, accept=False, reason="Cite the law, please."
    )
    Assignment.objects.filter(pk=work.assignment.pk).update(due_on=dt.date(2020, 3, 1))
    response = client_for(work.contact).get(url("mine", work.review))
    html = response.text
    assert response.status_code == 200
    assert url("assignment", work.review, work.assignment.pk) in html
    assert "overdue" in html
    assert "1 answer returned to you" in html
    assert "Cite the law, please." in html
    # Straight into the form at the question, not to a read-only page.
    assert f'href="{url("assignment", work.review, work.assignment.pk)}#q-policy"' in html


def returned_and_overdue(work):
    fill_and_submit(work.assignment, work.contact)
    policy = work.answer("policy")
    services.answers_decide(
        answers=[policy], by=work.coordinator, accept=False, reason="Cite the law, please."
    )
    Assignment.objects.filter(pk=work.assignment.pk).update(due_on=dt.date(2020, 3, 1))
    return policy


def made_returned_overdue() -> dict[str, Any]:
    """The rows of the ``returned_overdue`` fixture, for parasat.core.testing.shared."""
    made = made_work()
    made["returned_overdue"] = returned_and_overdue(made["work"])
    return made


shared.share_rows("returned_overdue", made_returned_overdue)


@pytest.fixture
def returned_overdue(work, _shared_rows):
    """``work`` as ``returned_and_overdue`` leaves it (one answer returned, the
    assignment overdue); the returned answer. Made once for the tests asking
    for it one after another."""
    if _shared_rows is not None and "returned_overdue" in _shared_rows:
        return _shared_rows["returned_overdue"]
    return returned_and_overdue(work)


def test_the_contact_person_lands_on_what_is_due_and_what_was_returned(
    work, returned_overdue, client_for
):
    html = client_for(work.contact).get(reverse("home")).text
    section = html[html.index('id="my-work-heading"') :]
    form = url("assignment", work.review, work.assignment.pk)
    assert f'href="{form}#q-policy"' in section  # the returned answer, in the form
    assert "Cite the law, please." in section
    assert f'href="{form}"' in section and "SAMPLE" in section
    assert "1 March 2020" in section and "overdue" in section
    assert "1 answer returned to you" in section
    assert url("mine", work.review) in section


@pytest.mark.parametrize("role", sorted(set(ALL_ROLES) - {"contact_person"}))
def test_other_roles_land_on_their_reviews_without_a_contact_person_s_work(
    work, returned_overdue, client_for, persona, role
):
    html = client_for(persona(role)).get(reverse("home")).text
    assert "my-work-heading" not in html and "Cite the law" not in html


def test_a_contact_person_of_another_ministry_lands_on_nothing_of_this_one(
    work, returned_overdue, client_for, review
):
    _ministry, other = working_group(
        review, OrganisationFactory(code="min-health"), username="health"
    )
    html = client_for(other).get(reverse("home")).text
    assert "Cite the law" not in html and "SAMPLE" not in html
    assert "Nothing is due from you" in html


def test_the_landing_page_keeps_its_query_count(
    work, returned_overdue, client_for, django_assert_max_num_queries
):
    client = client_for(work.contact)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("home"))
    # More of every kind of row the page lists: assignments, questionnaires and
    # returned answers (1 and 1, then 4 and 10); a query per row would show.
    for a in more_assignments(work, 3):
        fill_and_submit(a, work.contact)
        services.answers_decide(
            answers=list(a.answers.filter(status=S.SUBMITTED)),
            by=work.coordinator,
            accept=False,
            reason="Again.",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("home")).text
    assert html.count("Again.") == 3 * 3


def test_my_work_shows_nothing_of_other_ministries(work, client_for, review):
    ministry, contact = working_group(
        review, OrganisationFactory(code="min-health"), username="health"
    )
    html = client_for(contact).get(url("mine", work.review)).text
    assert url("assignment", work.review, work.assignment.pk) not in html
    assert "Nothing is assigned to your ministry or to you" in html


# --- assigning ---------------------------------------------------------------------------------


def assign_data(work, **changes):
    data = {
        "area": "",
        "questionnaire": "",
        "ministry": work.ministry.pk,
        "assignee": work.contact.pk,
        "due_on": (dt.date.today() + dt.timedelta(days=20)).isoformat(),
    }
    data.update(changes)
    return data


def test_the_assign_page_offers_areas_questionnaires_ministries_and_contacts(work, client_for):
    sample_questionnaire(identifier="FREE", area_code="ANT")
    html = client_for(work.coordinator).get(url("assign", work.review)).text
    assert "1 questionnaire to assign" in html  # ANT
    assert "nothing left to assign" in html  # REG: SAMPLE is taken
    assert "FREE —" in html and "SAMPLE —" not in html  # only what is left
    assert "Contact — " in html  # the contact person with their ministry
    assert f'<option value="{work.ministry.pk}"' in html


def test_the_coordinator_assigns_a_whole_area(work, client_for, review):
    PolicyAreaFactory(code="ANT", order=2)
    for identifier in ("ANT-1", "ANT-2"):
        sample_questionnaire(identifier=identifier, area_code="ANT")
    response = client_for(work.coordinator).post(
        url("assign", review), assign_data(work, area="ANT"), follow=True
    )
    assert "2 questionnaires were assigned to" in response.text
    made = Assignment.objects.filter(questionnaire__area__code="ANT")
    assert sorted(a.questionnaire.identifier for a in made) == ["ANT-1", "ANT-2"]
    assert {a.assignee for a in made} == {work.contact}


def test_the_coordinator_assigns_one_questionnaire_without_a_person(work, client_for, review):
    q = sample_questionnaire(identifier="SOLO", area_code="ANT")
    response = client_for(work.coordinator).post(
        url("assign", review), assign_data(work, questionnaire=q.pk, assignee="")
    )
    assert response.status_code == 302
    made = Assignment.objects.get(questionnaire=q)
    assert made.assignee is None and made.ministry == work.ministry


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"area": "REG"}, "Every questionnaire of this area is already assigned"),
        ({"due_on": "2200-01-01", "area": "ANT"}, "The due date is not plausible."),
        ({"due_on": "31/31/2025", "area": "ANT"}, "Enter a valid date."),
        ({"area": "ANT", "questionnaire": "FREE"}, "not both"),
        ({}, "Choose an area or a questionnaire to assign."),
        ({"area": "ANT", "ministry": ""}, "This field is required."),
        ({"area": "ANT", "ministry": "999999"}, "Select a valid choice."),
    ],
)
def test_bad_assignments_are_refused_and_nothing_is_written(
    work, client_for, review, changes, message
):
    free = sample_questionnaire(identifier="FREE", area_code="ANT")
    if changes.get("questionnaire") == "FREE":
        changes = {**changes, "questionnaire": free.pk}
    response = client_for(work.coordinator).post(
        url("assign", review), assign_data(work, **changes)
    )
    assert response.status_code == 400
    assert message in response.text
    assert Assignment.objects.count() == 1


def test_a_person_of_another_ministry_is_refused(work, client_for, review):
    other_ministry = OrganisationFactory(code="min-finance")
    sample_questionnaire(identifier="FREE", area_code="ANT")
    response = client_for(work.coordinator).post(
        url("assign", review), assign_data(work, area="ANT", ministry=other_ministry.pk)
    )
    assert response.status_code == 400
    assert "is not a contact person of" in response.text
    assert Assignment.objects.count() == 1


def test_the_coordinator_reassigns(work, client_for, review):
    ministry, person = working_group(
        review, OrganisationFactory(code="min-finance"), username="finance"
    )
    response = client_for(work.coordinator).post(
        url("reassign", review, work.assignment.pk),
        {"ministry": ministry.pk, "assignee": person.pk, "due_on": "2031-05-06"},
        follow=True,
    )
    assert "is now assigned to" in response.text
    work.assignment.refresh_from_db()
    assert work.assignment.ministry == ministry and work.assignment.assignee == person
    assert work.assignment.due_on == dt.date(2031, 5, 6)


def forward_everything(assignment, work):
    """Every answer of ``assignment`` accepted and forwarded to the team."""
    for answer in assignment.answers.all():
        Answer.objects.filter(pk=answer.pk).update(status=S.ACCEPTED)
    services.area_forward(
        review=work.review, area=None, assignments=[assignment], by=work.coordinator
    )


def test_reassign_is_not_offered_on_a_fully_forwarded_assignment(work, client_for, review):
    done, still_open = work.assignment, more_assignments(work, 1)[0]
    forward_everything(done, work)
    assert statuses(done) == [S.FORWARDED] * len(statuses(done))
    client = client_for(work.coordinator)
    for page in ("home", "assign"):
        html = client.get(url(page, review)).text
        assert url("reassign", review, done.pk) not in html, page
        assert url("reassign", review, still_open.pk) in html, page


def test_a_fully_forwarded_assignment_is_not_reassigned(work, client_for, review):
    forward_everything(work.assignment, work)
    ministry, person = working_group(
        review, OrganisationFactory(code="min-finance"), username="finance"
    )
    before = (work.assignment.ministry_id, work.assignment.assignee_id, work.assignment.due_on)
    client = client_for(work.coordinator)
    page = client.get(url("reassign", review, work.assignment.pk), follow=True)
    assert page.redirect_chain == [(url("assign", review), 302)]
    assert "Every answer of SAMPLE was forwarded" in page.text
    response = client.post(
        url("reassign", review, work.assignment.pk),
        {"ministry": ministry.pk, "assignee": person.pk, "due_on": "2031-05-06"},
        follow=True,
    )
    assert "Every answer of SAMPLE was forwarded" in response.text
    work.assignment.refresh_from_db()
    after = (work.assignment.ministry_id, work.assignment.assignee_id, work.assignment.due_on)
    assert after == before
    with pytest.raises(ValidationError, match="forwarded"):
        services.assignment_reassign(
            assignment=work.assignment,
            ministry=ministry,
            assignee=person,
            due_on=dt.date(2031, 5, 6),
            by=work.coordinator,
        )


def test_a_bad_reassignment_is_refused_and_nothing_changes(work, client_for, review):
    ministry = OrganisationFactory(code="min-finance")
    before = (work.assignment.ministry_id, work.assignment.assignee_id, work.assignment.due_on)
    client = client_for(work.coordinator)
    response = client.post(
        url("reassign", review, work.assignment.pk),
        {"ministry": ministry.pk, "assignee": work.contact.pk, "due_on": "2031-05-06"},
    )
    assert response.status_code == 400 and "is not a contact person of" in response.text
    response = client.post(
        url("reassign", review, work.assignment.pk),
        {"ministry": work.ministry.pk, "assignee": "", "due_on": "not a date"},
    )
    assert response.status_code == 400 and "Enter a valid date." in response.text
    work.assignment.refresh_from_db()
    assert (
        work.assignment.ministry_id,
        work.assignment.assignee_id,
        work.assignment.due_on,
    ) == before


# --- the queue, deciding and forwarding ------------------------------------------------------


def test_the_queue_shows_submitted_answers_as_text_with_evidence_counts(
    work, submitted, client_for
):
    response = client_for(work.coordinator).get(url("queue", work.review))
    html = response.text
    assert response.status_code == 200
    assert "3 answers await your decision" in html
    assert "S-01" in html and "S-02" in html and "S-04" in html
    assert 'data-label="Answer">Yes</td>' in html  # the choice's label, not its name
    assert "Because the law says so." in html
    for answer in work.assignment.answers.filter(status=S.SUBMITTED):
        assert f'name="answers" value="{answer.pk}"' in html
        assert f'<label for="pick-{answer.pk}"' in html
    assert "No accepted answer awaits forwarding." in html


def test_the_coordinator_accepts_many_answers_at_once(work, submitted, client_for):
    response = client_for(work.coordinator).post(
        url("decide", work.review),
        {"answers": [a.pk for a in submitted], "decision": "accept"},
        follow=True,
    )
    assert "3 answers were accepted." in response.text
    assert statuses(work.assignment).count(S.ACCEPTED) == 3
    assert "3 accepted answers await forwarding" in response.text


@pytest.mark.parametrize("pk", ["9" * 30, "²", "-3"])
def test_a_choice_that_is_no_answer_is_refused_and_nothing_decided(work, submitted, client_for, pk):
    response = client_for(work.coordinator).post(
        url("decide", work.review),
        {"answers": [submitted[0].pk, pk], "decision": "accept"},
        follow=True,
    )
    assert "The choice of answers is not valid." in response.text
    assert statuses(work.assignment).count(S.SUBMITTED) == 3


def test_returning_needs_a_reason_and_writes_nothing_without_one(work, submitted, client_for):
    client = client_for(work.coordinator)
    chosen, left = [submitted[0].pk, submitted[2].pk], submitted[1].pk
    data = {"answers": chosen, "decision": "return", "reason": "  "}
    response = client.post(url("decide", work.review), data)
    # Sent back to the queue: a reload shows the page again and posts nothing.
    assert response.status_code == 302 and response["Location"] == url("queue", work.review)
    page = client.get(url("queue", work.review))
    assert page.status_code == 200
    html = page.text
    error = re.search(r'<p class="error" id="id_reason_error"[^>]*>(.*?)</p>', html, re.S)
    assert error and "Say why the answers are returned." in error.group(1)
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_reason"', html) or re.search(
        r'<textarea[^>]*id="id_reason"[^>]*aria-invalid="true"', html
    )
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    for pk in chosen:  # the selection is kept
        assert f'value="{pk}" id="pick-{pk}" checked' in html
    assert f'value="{left}" id="pick-{left}">' in html
    assert statuses(work.assignment).count(S.SUBMITTED) == 3
    assert not Transition.objects.filter(to_status=S.RETURNED).exists()
    again = client.get(url("queue", work.review)).text  # once: a reload starts afresh
    assert "Say why the answers are returned." not in again and " checked" not in again

    response = client.post(
        url("decide", work.review), {**data, "reason": "Sources are missing."}, follow=True
    )
    assert "2 answers were returned to the ministry." in response.text
    assert set(
        work.assignment.answers.filter(status=S.RETURNED).values_list("return_reason", flat=True)
    ) == {"Sources are missing."}


def test_a_reason_refused_on_the_answer_page_is_shown_at_its_field(work, submitted, client_for):
    answer = submitted[0]
    client = client_for(work.coordinator)
    page = reverse("assessment:answer", args=[work.review.slug, answer.pk])
    response = client.post(
        url("decide", work.review),
        {"answers": [answer.pk], "decision": "return", "reason": "", "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page
    html = client.get(page).text
    error = re.search(r'<p class="error" id="reason-error"[^>]*>(.*?)</p>', html, re.S)
    assert error and "Say why the answers are returned." in error.group(1)
    assert 'aria-describedby="reason-error"' in html and 'aria-invalid="true"' in html
    assert "Say why" not in client.get(page).text  # shown once
    assert statuses(work.assignment).count(S.SUBMITTED) == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "accept"}, "Choose at least one answer."),
        ({"answers": ["x"], "decision": "accept"}, "The choice of answers is not valid."),
        ({"answers": ["99999"], "decision": "accept"}, "do not exist in this review"),
        ({"decision": "maybe"}, "Select a valid choice."),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_written(
    work, submitted, client_for, data, message
):
    response = client_for(work.coordinator).post(url("decide", work.review), data, follow=True)
    assert response.redirect_chain == [(url("queue", work.review), 302)]
    assert message in response.text
    assert statuses(work.assignment).count(S.SUBMITTED) == 3


def test_a_decision_on_one_draft_among_submitted_answers_changes_nothing(
    work, submitted, client_for
):
    draft = work.answer("bodies")
    response = client_for(work.coordinator).post(
        url("decide", work.review),
        {"answers": [*(a.pk for a in submitted), draft.pk], "decision": "accept"},
        follow=True,
    )
    assert "Only submitted answers can be accepted or returned: S-03." in response.text
    assert statuses(work.assignment).count(S.SUBMITTED) == 3


def test_answers_of_another_review_cannot_be_decided(work, submitted, client_for, persona):
    other_review = signed_review(slug="kz-other")
    other_coordinator = UserFactory(username="other-coordinator")
    ParticipantFactory(review=other_review, user=other_coordinator, role=Role.COORDINATOR)
    response = client_for(other_coordinator).post(
        url("decide", other_review), {"answers": [submitted[0].pk], "decision": "accept"}
    )
    assert response.status_code == 302
    assert statuses(work.assignment).count(S.SUBMITTED) == 3


def test_a_decision_from_the_answer_page_goes_back_there(work, submitted, client_for):
    answer = work.answer("policy")
    back = url("answer", work.review, answer.pk)
    client = client_for(work.coordinator)
    response = client.post(
        url("decide", work.review),
        {"answers": [answer.pk], "decision": "return", "reason": "", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    answer.refresh_from_db()
    assert answer.status == S.SUBMITTED
    response = client.post(
        url("decide", work.review),
        {"answers": [answer.pk], "decision": "accept", "next": "https://evil.example/"},
    )
    assert response["Location"] == url("queue", work.review)


def test_the_coordinator_forwards_an_areas_accepted_answers(work, submitted, client_for):
    services.answers_decide(answers=submitted, by=work.coordinator, accept=True)
    client = client_for(work.coordinator)
    html = client.get(url("queue", work.review)).text
    assert "3 accepted answers await forwarding" in html
    response = client.post(
        url("forward", work.review), {"area": "REG", "confirmed": "yes"}, follow=True
    )
    assert "3 accepted answers were forwarded to the analytical team." in response.text
    assert statuses(work.assignment).count(S.FORWARDED) == 3
    assert "No accepted answer awaits forwarding." in response.text


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("REG", "There are no accepted answers to forward."),
        ("XYZ", "Choose an area whose accepted answers to forward."),
        ("", "Choose an area whose accepted answers to forward."),
        ("none", "There are no accepted answers to forward."),
    ],
)
def test_forwarding_nothing_is_refused_with_a_message(work, submitted, client_for, area, message):
    response = client_for(work.coordinator).post(
        url("forward", work.review), {"area": area}, follow=True
    )
    assert message in response.text
    assert statuses(work.assignment).count(S.SUBMITTED) == 3
    assert not Transition.objects.filter(to_status=S.FORWARDED).exists()


def test_answers_of_questionnaires_without_an_area_are_forwarded_too(work, client_for, review):
    q = sample_questionnaire(identifier="LOOSE", area_code="ANT")
    q.area = None
    q.save()
    loose = assign(review, by=work.coordinator, ministry=work.ministry, questionnaire=q)
    submitted = fill_and_submit(loose, work.contact)
    services.answers_decide(answers=submitted, by=work.coordinator, accept=True)
    client = client_for(work.coordinator)
    assert "Not filed under an area" in client.get(url("queue", review)).text
    client.post(url("forward", review), {"area": "none", "confirmed": "yes"})
    assert statuses(loose).count(S.FORWARDED) == 3


def test_the_queue_query_count_does_not_grow_with_answers(
    work, client_for, django_assert_max_num_queries
):
    client = client_for(work.coordinator)
    for a in [work.assignment, *more_assignments(work, 1)]:
        fill_and_submit(a, work.contact)
    with django_assert_max_num_queries(8) as few:
        assert client.get(url("queue", work.review)).status_code == 200
    for a in more_assignments(work, 3, start=1):  # 2 questionnaires' answers, then 5
        fill_and_submit(a, work.contact)
    services.answers_decide(
        answers=list(
            Answer.objects.filter(assignment__questionnaire__identifier="Q003", status=S.SUBMITTED)
        ),
        by=work.coordinator,
        accept=False,
        reason="More, please.",
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("queue", work.review))
    assert response.text.count('name="answers"') == 3 * 5 - 3  # Q003 went back


# --- selectors used only here ------------------------------------------------------------


def test_awaiting_forward_counts_per_area(work, review):
    submitted = fill_and_submit(work.assignment, work.contact)
    services.answers_decide(answers=submitted[:2], by=work.coordinator, accept=True)
    reader = get_reader(work.coordinator, review.slug)
    rows = selectors.awaiting_forward(reader)
    assert [(r.area.code, r.count) for r in rows] == [("REG", 2)]
