"""In Chromium, the issue's "done when": the co-ordinator sees the five events
of the Kazakhstan example; an analyst schedules the policy dialogue and
invites two people, who receive an email with an .ics file; attendance is
taken; the minutes are drafted, amended by an attendee, approved and
published; a decision is linked to a finding; a consultation opens, a
civil-society representative and a member of the public contribute, the team
answers both, the matrix shows them and the consultation closes."""

import re

import pytest
from playwright.sync_api import expect

from parasat.accounts.tests.factories import UserFactory
from parasat.analysis.models import AreaAssessment, Finding
from parasat.core.testing.texts import tt
from parasat.engagement.models import Consultation, Invitation, Minutes
from parasat.reviews.loader import load_example
from parasat.reviews.models import Role
from parasat.reviews.tests.factories import ParticipantFactory
from parasat.toolkit.tests.factories import PolicyAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def example():
    """The example review with one person per role and a finding to discuss."""
    review = load_example("kazakhstan-2014")
    people = {}
    for role in Role:
        user = UserFactory(username=f"{role.value}-ex", email=f"{role.value}@example.org")
        ParticipantFactory(review=review, user=user, role=role)
        people[role] = user
    area = PolicyAreaFactory(code="ZZ")
    assessment = AreaAssessment.objects.create(review=review, area=area)
    Finding.objects.create(
        assessment=assessment, number=1, code="ZZ-F1", kind="gap", text=tt("Nobody checks.")
    )
    return review, people


def test_events_minutes_decisions_and_a_consultation(example, open_as, mailoutbox):
    review, people = example
    slug = review.slug

    coordinator = open_as(people[Role.COORDINATOR])
    coordinator.goto(f"/reviews/{slug}/events/")
    table = coordinator.locator("#events").inner_text()
    for title in (
        "Kick-off workshop",
        "Policy-dialogue workshop",
        "Consultations with civil society and business",
        "Peer review workshop",
        "Final meeting",
    ):
        assert title in table
    assert "illustrative" in table

    # The analyst schedules the policy dialogue (in the future: the timeline
    # warns and saves) and invites a person of the review and a guest.
    analyst = open_as(people[Role.ANALYST])
    analyst.goto(f"/reviews/{slug}/events/")
    analyst.get_by_role("link", name="Policy-dialogue workshop").click()
    analyst.get_by_role("link", name="Change the event").click()
    analyst.get_by_label("Starts").fill("2030-07-07T09:30")
    analyst.get_by_label("Ends").fill("2030-07-07T17:30")
    analyst.get_by_role("button", name="Save the event").click()
    messages = analyst.locator(".messages").inner_text()
    assert "outside the review's timeline" in messages and "The event is saved." in messages
    analyst.get_by_label(f"{people[Role.EXPERT].display_name} <expert@example.org>").check()
    analyst.get_by_label("Guest's name").fill("Dana Guest")
    analyst.get_by_label("Guest's email address").fill("dana@example.org")
    analyst.get_by_label("Language of the guest's email").select_option("ru")
    analyst.get_by_role("button", name="Send the invitations").click()
    assert "2 invitations sent" in analyst.locator(".messages").inner_text()
    assert sorted(m.to[0] for m in mailoutbox) == ["dana@example.org", "expert@example.org"]
    for message in mailoutbox:
        (name, content, mimetype) = message.attachments[0]
        assert name == "invitation.ics" and "BEGIN:VEVENT" in str(content)
    assert "Приглашение" in next(m for m in mailoutbox if m.to == ["dana@example.org"]).subject

    # Attendance on the day.
    for invitation in Invitation.objects.all():
        analyst.locator(f"#present-{invitation.pk}").check()
    analyst.get_by_role("button", name="Record attendance").click()
    assert "2 present" in analyst.locator(".messages").inner_text()

    # Minutes: drafted, circulated, amended by the expert, approved, published.
    analyst.get_by_role("link", name="Draft the minutes").click()
    analyst.locator("#id_text_0").fill("The team and the working group went through the answers.")
    analyst.get_by_role("button", name="Save a new version").click()
    analyst.get_by_label("Amendments until").fill("2031-01-01T12:00")
    analyst.get_by_role("button", name="Circulate to those who attended").click()
    assert "Circulated" in analyst.locator("#minutes-state").inner_text()

    expert = open_as(people[Role.EXPERT])
    expert.goto(analyst.url)
    expert.get_by_label("Your proposed amendment").fill("Say that the answers on COI were read.")
    expert.get_by_role("button", name="Send the amendment").click()
    assert "sent to the organisers" in expert.locator(".messages").inner_text()

    analyst.reload()
    analyst.locator("#id_text_0").fill(
        "The team and the working group went through the answers, COI first."
    )
    analyst.get_by_role("button", name="Save a new version").click()
    analyst.locator("#amendments").get_by_label("Accept").check()
    analyst.locator("#amendments").get_by_role("button", name="Decide").click()
    analyst.get_by_role("button", name="Approve the minutes").click()
    assert "frozen" in analyst.locator(".messages").inner_text()
    analyst.get_by_role("button", name="Publish the minutes").click()
    expect(analyst.locator(".messages")).to_contain_text("The minutes are published.")
    minutes = Minutes.objects.get()
    assert minutes.state == "published" and minutes.version == 2

    # A decision linked to the finding, shown from the finding's side.
    analyst.get_by_role("link", name="Policy-dialogue workshop").click()
    decisions = analyst.locator("#decisions")
    decisions.locator("#id_text_0").fill("The ministry drafts a verification rule.")
    decisions.get_by_label("Owner").fill("Ministry of Justice")
    decisions.get_by_label("Finding discussed").select_option(label="ZZ-F1: Nobody checks.")
    decisions.get_by_role("button", name="Record the decision").click()
    assert "ZZ-F1" in analyst.locator("#decisions").inner_text()

    # A consultation for civil society, business and the public.
    analyst.goto(f"/reviews/{slug}/consultations/")
    analyst.get_by_role("link", name="Open a consultation").click()
    analyst.locator("#id_title_0").fill("Draft findings on conflicts of interest")
    analyst.locator("#id_subject_kind").select_option("area_findings")
    analyst.get_by_label("Subject reference").fill("COI")
    for channel in ("Civil society", "Business", "The public"):
        analyst.get_by_label(channel, exact=True).check()
    analyst.get_by_label("Opens").fill("2020-01-01T09:00")
    analyst.get_by_label("Closes").fill("2099-01-01T18:00")
    analyst.get_by_role("button", name="Open the consultation").click()
    assert "The consultation is opened." in analyst.locator(".messages").inner_text()
    consultation = Consultation.objects.get()

    civil = open_as(people[Role.CIVIL_SOCIETY])
    civil.goto(f"/reviews/{slug}/consultations/{consultation.pk}/")
    civil.locator("#id_text").fill("Publish the declarations online.")
    civil.get_by_role("button", name="Send the contribution").click()
    assert "is received" in civil.locator(".messages").inner_text()

    public = open_as(None)
    public.goto(f"/reviews/{slug}/consultations/{consultation.pk}/public/")
    public.get_by_label("Your email address").fill("citizen@example.org")
    public.get_by_role("button", name="Send me the link").click()
    assert "We have sent you a link" in public.locator("main").inner_text()
    confirm = next(m for m in mailoutbox if m.to == ["citizen@example.org"])
    link = re.search(r"/reviews/\S+/public/\S+/", confirm.body).group(0)
    public.goto(link)
    public.get_by_label("Your name").fill("Aigerim")
    public.locator("#id_text").fill("Verify the declarations every year.")
    public.get_by_label("Do not publish my name").check()
    public.get_by_role("button", name="Send the contribution").click()
    assert "is received" in public.locator("main").inner_text()

    # The team answers both; closing is refused until then.
    analyst.goto(f"/reviews/{slug}/consultations/{consultation.pk}/")
    analyst.get_by_role("button", name="Close the consultation").click()
    assert "have no response yet" in analyst.locator(".messages").inner_text()
    for number, kind in ((1, "Accepted"), (2, "Partly accepted")):
        analyst.goto(f"/reviews/{slug}/consultations/{consultation.pk}/contributions/{number}/")
        analyst.get_by_label(kind, exact=True).check()
        analyst.locator("#id_reason_0").fill(f"Answer {number}.")
        analyst.get_by_role("button", name="Save the response").click()
    matrix = analyst.locator("#matrix").inner_text()
    assert "Publish the declarations online." in matrix and "Verify the declarations" in matrix
    assert "Accepted" in matrix and "Partly accepted" in matrix and "unanswered" not in matrix
    analyst.goto(f"/reviews/{slug}/consultations/{consultation.pk}/")
    analyst.get_by_role("button", name="Close the consultation").click()
    assert "The consultation is closed." in analyst.locator(".messages").inner_text()
    assert analyst.locator("#consultation-state").inner_text().strip() == "Closed"
