"""In Chromium, the analysis of one area from the forwarded answers to what a
peer reviewer reads: an analyst writes two findings linked to an answer and an
evidence file, rates the area with a justification and a source and proposes
two recommendations; an expert agrees it; the co-ordinator gives the
government's rating and sees it beside the team's; a peer reviewer reads the
agreed text and none of what the audience keeps from them."""

import pytest
from playwright.sync_api import expect

from parasat.analysis.models import AnalysisStage, AreaAssessment, Recommendation
from parasat.reviews.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_area_from_the_forwarded_answers_to_the_peer_reviewer(team, persona, open_as):
    slug = team.review.slug
    analyst = open_as(team.analyst)
    analyst.goto(f"/reviews/{slug}/analysis/")
    analyst.get_by_role("link", name="REG Regulatory policy").click()
    answers = analyst.locator("#answers")
    assert "S-01" in answers.inner_text()

    # Two findings, the first resting on an answer and an evidence file.
    for kind, text, with_file in [
        ("Weakness", "Declarations are never verified.", True),
        ("Strength", "The duty to declare is broad.", False),
    ]:
        analyst.get_by_role("link", name="Add a finding").click()
        analyst.get_by_label(kind, exact=True).check()
        analyst.locator("#id_text_0").fill(text)
        analyst.get_by_label("S-01", exact=False).first.check()
        if with_file:
            analyst.get_by_label("Annual declarations report", exact=False).check()
        analyst.get_by_role("button", name="Save the finding").click()
        assert "is saved" in analyst.locator(".messages").inner_text()
    findings = analyst.locator("#findings")
    assert "REG-F1" in findings.inner_text() and "REG-F2" in findings.inner_text()
    expect(findings.get_by_role("link", name="Annual declarations report")).to_have_count(1)

    # A rating without a source is refused beside the sources; with one it is saved.
    analyst.get_by_role("link", name="Rate on OECD Public Integrity Maturity Models").click()
    analyst.get_by_label("Emerging").check()
    analyst.locator("#id_justification_0").fill("Rules exist; nobody checks them.")
    analyst.get_by_role("button", name="Save the rating").click()
    assert "Give at least one source" in analyst.locator("#sources-errors").inner_text()
    analyst.get_by_label(team.provision.key, exact=False).check()
    analyst.get_by_role("button", name="Save the rating").click()
    assert "is saved" in analyst.locator(".messages").inner_text()

    analyst.get_by_role("link", name="Edit the context and readers").click()
    analyst.locator("#id_context_0").fill("The law requires annual declarations.")
    analyst.get_by_label("Who may read it once agreed").select_option("peers")
    analyst.get_by_role("button", name="Save").click()

    for priority, text in [("Urgent", "Verify declarations."), ("Medium term", "Publish them.")]:
        analyst.get_by_role("link", name="Propose a recommendation").click()
        analyst.locator("#id_text_0").fill(text)
        analyst.get_by_label(priority, exact=True).check()
        analyst.get_by_label("REG-F1", exact=False).check()
        analyst.get_by_role("button", name="Save the recommendation").click()
    recs = analyst.locator("#recommendations").inner_text()
    assert "REG-1" in recs and "REG-2" in recs
    analyst.get_by_role("button", name="Send for team review").click()
    assert "sent for team review" in analyst.locator(".messages").inner_text()
    # Four eyes: no agreeing one's own.
    assert analyst.get_by_role("button", name="Agree the assessment").count() == 0

    expert = open_as(team.expert)
    expert.goto(f"/reviews/{slug}/analysis/REG/")
    expert.get_by_role("button", name="Agree the assessment").click()
    assert "is agreed" in expert.locator(".messages").inner_text()
    assert AreaAssessment.objects.get().state == AreaAssessment.State.AGREED
    assert Recommendation.objects.count() == 2

    coordinator = open_as(team.coordinator)
    coordinator.goto(f"/reviews/{slug}/analysis/REG/")
    coordinator.get_by_role("link", name="Give the government's rating").click()
    coordinator.get_by_label("Leading").check()
    coordinator.locator("#id_justification_0").fill("Every official declares.")
    coordinator.get_by_role("button", name="Save the government's rating").click()
    ratings = coordinator.locator("#ratings")
    assert "Emerging" in ratings.inner_text() and "Leading" in ratings.inner_text()
    assert "differ by more than one level" in ratings.inner_text()
    coordinator.goto(f"/reviews/{slug}/analysis/")
    expect(coordinator.locator("figure.chart svg")).to_have_count(1)
    assert "differs by more than one level" in coordinator.locator("table").inner_text()

    analyst.goto(f"/reviews/{slug}/analysis/")
    analyst.get_by_role("button", name="Open the agreed analysis to peer reviewers").click()
    # It cannot be undone: a page asks first, and Cancel changes nothing.
    assert "This cannot be undone" in analyst.locator("main").inner_text()
    analyst.get_by_role("link", name="Cancel").click()
    assert AnalysisStage.objects.filter(peers_opened_at__isnull=False).count() == 0
    analyst.get_by_role("button", name="Open the agreed analysis to peer reviewers").click()
    analyst.get_by_role("button", name="Open the agreed analysis to peer reviewers").click()
    assert "Peer reviewers now read" in analyst.locator(".messages").inner_text()

    peer = open_as(persona(Role.PEER_REVIEWER), width=390)
    peer.goto(f"/reviews/{slug}/analysis/REG/")
    body = peer.locator("main").inner_text()
    assert "Declarations are never verified." in body and "REG-1" in body
    assert "Emerging" in body and "Leading" in body
    # The answer and the file are the team's: the peer is told they exist, no more.
    assert "Annual declarations report" not in body and "Answer S-01" not in body
    assert "more sources you may not see" in body
    assert "Comments" not in body and "History and versions" not in body
    assert peer.get_by_role("link", name="Add a finding").count() == 0
    # On a phone the page does not scroll sideways.
    assert peer.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
