"""Every page of the analysis, role by role: it works, it refuses bad input
with a clear message beside the field (nothing written), and every role that
must be refused is refused (a stranger gets 404)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parasat.accounts.tests.factories import OrganisationFactory
from parasat.analysis import mentions, selectors, services
from parasat.analysis.access import get_reader
from parasat.analysis.models import (
    AnalysisStage,
    AreaAssessment,
    AssessmentComment,
    Finding,
    GovernmentRating,
    Rating,
    RatingScale,
    Recommendation,
)
from parasat.analysis.tests.factories import agreed, full_draft
from parasat.conftest import ALL_ROLES
from parasat.core.testing.texts import tt
from parasat.reviews.models import Role
from parasat.toolkit.tests.factories import PolicyAreaFactory, ProvisionFactory

pytestmark = pytest.mark.django_db
S = AreaAssessment.State
TEAM = {Role.ANALYST, Role.EXPERT, Role.LOCAL_CONSULTANT}
DRAFTERS = {Role.ANALYST, Role.LOCAL_CONSULTANT}


def url(name, team, *args):
    return reverse(f"analysis:{name}", args=[team.review.slug, *args])


def who(role, team, persona):
    return {Role.ANALYST: team.analyst, Role.EXPERT: team.expert}.get(role) or (
        team.coordinator if role == Role.COORDINATOR else persona(role)
    )


def text(response) -> str:
    return response.content.decode()


# --- reading ---------------------------------------------------------------------


def test_the_overview_opens_for_every_role(team, persona, client_for):
    for role in ALL_ROLES:
        response = client_for(who(role, team, persona)).get(url("overview", team))
        assert response.status_code == 200, role
        assert ("Progress" in text(response)) == (role in TEAM | {Role.COORDINATOR}), role


def row_of(page: str, code: str) -> str:
    """The table row (``<tr>…</tr>``) whose first cell names ``code``."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    return next(r for r in rows if f'<span class="code">{code}</span>' in r)


def cells(row: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>|\s+", " ", c).strip()
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
    ]


def test_the_overview_counts_each_areas_progress_and_the_open_recommendations(team, client_for):
    regulatory = full_draft(team)  # a finding, REG-1 urgent
    for priority, state in [("medium", "open"), ("medium", "open"), ("short", "withdrawn")]:
        services.recommendation_save(
            assessment=regulatory,
            by=team.analyst,
            text=tt("Another step."),
            priority=priority,
            state=state,
        )
    services.assessment_send_for_review(assessment=regulatory, by=team.analyst)
    services.assessment_start(
        review=team.review, area=PolicyAreaFactory(code="COI", order=2, name=tt("Conflict"))
    )
    PolicyAreaFactory(code="PSI", order=3, name=tt("Public sector integrity"))
    page = text(client_for(team.coordinator).get(url("overview", team)))
    progress = page.split('id="h-progress"')[1].split("</section>")[0]
    assert "<strong>1</strong> draft" in progress
    assert "<strong>1</strong> under team review" in progress
    assert "<strong>0</strong> agreed" in progress and "<strong>0</strong> reopened" in progress
    # Per area: its state, findings and open recommendations (the withdrawn one is not open).
    reg = cells(row_of(page, "REG"))
    assert reg[1] == "Under team review" and reg[-2:] == ["1", "3"]
    coi = cells(row_of(page, "COI"))
    assert coi[1] == "Draft" and coi[-2:] == ["0", "0"]
    assert cells(row_of(page, "PSI"))[1] == "Not started"
    per_priority = page.split('id="h-open"')[1].split("</section>")[0]
    assert re.findall(r"<strong>(\d+)</strong> (\w[\w ]*)</a>", per_priority) == [
        ("1", "urgent"),
        ("0", "short term"),
        ("2", "medium term"),
    ]


def test_the_overview_joins_no_table_only_to_order_its_rows(team, django_assert_max_num_queries):
    """The models order by the review (its slug) and the area or scale: rows
    of one review that are keyed, not listed, or ordered by a column of their
    own, need neither table joined (nor grouped by, for the counts)."""
    full_draft(team)
    reader = get_reader(team.coordinator, team.review.slug)
    with django_assert_max_num_queries(9) as captured:
        data = selectors.overview(reader)
    # What each query orders and groups by (a permission rule may still join the review).
    tails = [
        part
        for q in captured.captured_queries
        for part in re.split(r" (?=ORDER BY|GROUP BY)", q["sql"])[1:]
    ]
    assert [t for t in tails if '"reviews_review"' in t] == []
    assert [lv.code for lv in data.primary.levels.all()] == [
        "nascent",
        "emerging",
        "established",
        "leading",
    ]
    reg = next(row for row in data.rows if row.area.code == "REG")
    assert (reg.findings, reg.open_recommendations) == (1, 1)
    assert reg.pairs[0].team.level.code == "emerging"


def test_strangers_and_the_signed_out_never_see_the_analysis(team, stranger, client_for):
    assert client_for(stranger).get(url("overview", team)).status_code == 404
    assert client_for(None).get(url("overview", team)).status_code == 302
    agreed(team)
    assert client_for(stranger).get(url("area", team, "REG")).status_code == 404


def test_an_agreed_assessment_for_peers_reaches_whom_the_stage_admits(team, persona, client_for):
    agreed(team)  # marked for peers
    clients = {role: client_for(who(role, team, persona)) for role in ALL_ROLES}
    always = TEAM | {Role.COORDINATOR}
    for role, client in clients.items():
        expected = 200 if role in always else 404
        assert client.get(url("area", team, "REG")).status_code == expected, role
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    for role, client in clients.items():
        response = client.get(url("area", team, "REG"))
        expected = 200 if role in always | {Role.PEER_REVIEWER} else 404
        assert response.status_code == expected, role
        if expected == 200:
            assert "Declarations are not verified." in text(response)


def test_a_peer_sees_the_agreed_text_and_no_more(team, persona, client_for):
    assessment = agreed(team)
    services.comment_post(assessment=assessment, by=team.analyst, body="Internal doubt.")
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    peer = client_for(persona(Role.PEER_REVIEWER))
    page = text(peer.get(url("area", team, "REG")))
    # The team-level answer and file the finding rests on are not the peer's to follow.
    assert "Answer S-01" not in page and "Annual declarations report" not in page
    assert "more sources you may not see" in page
    assert team.provision.key in page
    assert "Internal doubt." not in page and "History and versions" not in page
    assert "Add a finding" not in page
    assert peer.get(url("history", team, "REG")).status_code == 404
    analyst_page = text(client_for(team.analyst).get(url("area", team, "REG")))
    assert "Answer S-01" in analyst_page and "Annual declarations report" in analyst_page


def test_a_findings_sources_lead_where_they_say(team, persona, client_for):
    # The answer and file a finding rests on are links the analyst can follow
    # (to the answer's page and the file itself); a peer who learns the same
    # addresses is refused there too.
    agreed(team)
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    analyst = client_for(team.analyst)
    page = analyst.get(url("area", team, "REG")).content.decode()
    sources = re.findall(r'<ul class="links">(.*?)</ul>', page, flags=re.S)
    hrefs = {
        label.strip(): href.replace("&amp;", "&")
        for block in sources
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block)
    }
    answer, document = hrefs["Answer S-01"], hrefs["Annual declarations report"]
    opened = analyst.get(answer)
    assert opened.status_code == 200 and "S-01" in text(opened)
    downloaded = analyst.get(document)
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content if downloaded.streaming else [downloaded.content])
    peer = client_for(persona(Role.PEER_REVIEWER))
    assert peer.get(answer).status_code in (403, 404)
    assert peer.get(document).status_code in (403, 404)


def test_what_else_speaks_of_the_findings_is_read_as_values(team, django_assert_num_queries):
    """The area page asks every provider (engagement's decisions and surveys)
    where its findings and recommendations are spoken of, on every view, and
    most find none: each reads only what a mention shows, in one query, not
    whole rows of the decision, event, survey, question and review."""
    assessment = full_draft(team)
    findings = list(assessment.findings.values_list("pk", flat=True))
    recommendations = list(assessment.recommendations.values_list("pk", flat=True))
    with django_assert_num_queries(2) as captured:
        assert mentions.collect(team.review.pk, findings, recommendations) == {}
    for query in captured.captured_queries:
        assert '"reviews_review"."created_at"' not in query["sql"], query["sql"]
        assert '"engagement_decision"."text"' not in query["sql"], query["sql"]
        assert '"engagement_surveycitation"."note"' not in query["sql"], query["sql"]


@pytest.mark.parametrize("role", [Role.PEER_REVIEWER, Role.CIVIL_SOCIETY, Role.CONTACT_PERSON])
def test_drafts_never_leave_the_team_and_the_coordinator(team, persona, client_for, role):
    full_draft(team)
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    services.analysis_publish(review=team.review, by=team.analyst)
    client = client_for(who(role, team, persona))
    assert client.get(url("area", team, "REG")).status_code == 404
    assert "REG-1" not in text(client.get(url("recommendations", team)))
    assert (
        "REG"
        not in text(client.get(url("overview", team))).split("h-open")[0].split("h-ratings")[1]
    )
    assert text(client_for(team.coordinator).get(url("area", team, "REG"))).count("REG-1") >= 1


def test_a_public_agreed_assessment_reaches_civil_society_once_published(team, persona, client_for):
    assessment = agreed(team)
    AreaAssessment.objects.filter(pk=assessment.pk).update(confidentiality="public")
    civil = client_for(persona(Role.CIVIL_SOCIETY))
    assert civil.get(url("area", team, "REG")).status_code == 404
    services.analysis_publish(review=team.review, by=team.analyst)
    page = text(civil.get(url("area", team, "REG")))
    assert "Declarations are not verified." in page


def test_the_coordinator_sees_the_teams_rating_beside_the_governments(team, client_for):
    assessment = full_draft(team)
    services.government_rating_give(
        assessment=assessment,
        by=team.coordinator,
        scale=team.scale,
        level=team.level("leading"),
        justification=services.content.TranslatedText.fresh({"en": "We lead."}),
    )
    page = text(client_for(team.coordinator).get(url("area", team, "REG")))
    assert "Emerging" in page and "Leading" in page and "We lead." in page
    assert "differ by more than one level" in page
    overview = text(client_for(team.coordinator).get(url("overview", team)))
    assert "<svg" in overview and "differs by more than one level" in overview


def test_history_compares_two_versions_for_the_team(team, client_for):
    full_draft(team)
    response = client_for(team.analyst).get(url("history", team, "REG") + "?a=1&b=4")
    assert response.status_code == 200
    page = text(response)
    assert "Recommendation REG-1 proposed" in page and "REG-1" in page
    assert client_for(team.analyst).get(url("history", team, "REG") + "?a=x").status_code == 200


def test_coverage_names_the_provisions_no_finding_addresses(team, client_for):
    assessment = team.assessment()
    page = text(client_for(team.analyst).get(url("coverage", team, "REG")))
    assert team.provision.key in page and "no finding" in page
    full_draft(team)
    assert assessment.findings.count() == 1
    page = text(client_for(team.analyst).get(url("coverage", team, "REG")))
    assert "REG-F1" in page


def test_coverage_tells_tested_by_the_questions_apart_from_addressed_by_a_finding(team, client_for):
    """A provision the questions test and no finding addresses; then one a
    finding addresses that no question tests; then the first addressed too."""
    assessment = team.assessment()
    client = client_for(team.analyst)
    page = text(client.get(url("coverage", team, "REG")))
    tested = cells(row_of_provision(page, team.provision.key))
    assert tested[2] != "—" and "no finding" in tested[3]
    assert stats(page) == {"provisions in all": 1, "tested, addressed by no finding": 1,
                           "addressed, not tested by a question": 0}  # fmt: skip
    untested = ProvisionFactory(ref="art.99")
    services.finding_save(
        assessment=assessment,
        by=team.analyst,
        sources=get_reader(team.analyst, team.review.slug).sources,
        kind="gap",
        text=tt("Nothing on gifts."),
        provision_keys=[untested.key],
    )
    page = text(client.get(url("coverage", team, "REG")))
    row = cells(row_of_provision(page, untested.key))
    assert row[2] == "—" and row[3] == "REG-F1"
    assert "no finding" in cells(row_of_provision(page, team.provision.key))[3]
    assert stats(page) == {"provisions in all": 2, "tested, addressed by no finding": 1,
                           "addressed, not tested by a question": 1}  # fmt: skip
    services.finding_save(
        assessment=assessment,
        by=team.analyst,
        sources=get_reader(team.analyst, team.review.slug).sources,
        kind="weakness",
        text=tt("Declarations are not verified."),
        provision_keys=[team.provision.key],
    )
    page = text(client.get(url("coverage", team, "REG")))
    both = cells(row_of_provision(page, team.provision.key))
    assert both[2] == tested[2] and both[3] == "REG-F2"
    assert stats(page)["tested, addressed by no finding"] == 0


def row_of_provision(page: str, key: str) -> str:
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S)
    return next(r for r in rows if f">{key}<" in r)


def stats(page: str) -> dict[str, int]:
    listed = page.split('class="stat-list"')[1].split("</ul>")[0]
    return {
        label.strip(): int(n)
        for n, label in re.findall(r"<strong>(\d+)</strong>([^<]+)</li>", listed)
    }


def test_an_unknown_area_is_404(team, client_for):
    assert client_for(team.analyst).get(url("area", team, "ZZZ")).status_code == 404


# --- writing -----------------------------------------------------------------------


def finding_data(team, **kw):
    return {
        "kind": "weakness",
        "text_en": "No verification.",
        "answers": [team.answer("policy").pk],
        "evidence": [team.team_file.pk],
        "provisions": [team.provision.key],
        "revision": "",
        **kw,
    }


def test_only_drafters_write_findings(team, persona, client_for):
    for role in sorted(ALL_ROLES, key=lambda r: r in DRAFTERS):
        client = client_for(who(role, team, persona))
        response = client.post(url("finding_new", team, "REG"), finding_data(team))
        if role in DRAFTERS:
            assert response.status_code == 302, role
        else:
            assert response.status_code == 403, role
            assert not Finding.objects.exists(), role
    assert list(Finding.objects.values_list("code", flat=True)) == ["REG-F1", "REG-F2"]


def test_a_finding_on_an_answer_the_analyst_may_not_read_is_refused_beside_the_field(
    team, client_for
):
    response = client_for(team.analyst).post(
        url("finding_new", team, "REG"), finding_data(team, answers=[team.answer("share").pk])
    )
    assert response.status_code == 400
    page = text(response)
    assert 'id="id_answers_errors"' in page and "that you may read can be linked" in page
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"justification_en": ""}, "a rating is never a bare level"),
        ({"provisions": [], "answers": []}, "Give at least one source"),
        ({"level": "other-scale"}, "Choose a level of the scale"),
        ({"external_title": "Report", "external_url": "javascript:alert(1)"}, "https://"),
    ],
)
def test_a_bad_rating_is_refused_with_its_message(team, client_for, data, message):
    level = team.level("emerging").pk
    if data.get("level") == "other-scale":
        data["level"] = RatingScale.objects.get(code="compliance").levels.first().pk
    post = {
        "level": level,
        "justification_en": "Because.",
        "provisions": [team.provision.key],
        "answers": [],
        "evidence": [],
        "external_consulted_on": "2015-01-01" if data.get("external_title") else "",
        **data,
    }
    response = client_for(team.analyst).post(url("rating", team, "REG", "oecd-maturity"), post)
    assert response.status_code == 400
    assert message in text(response)
    assert not Rating.objects.exists()


def test_the_rating_form_says_what_each_level_means(team, client_for):
    page = text(client_for(team.analyst).get(url("rating", team, "REG", "oecd-maturity")))
    assert "Emerging — The framework is in place and partly applied" in page
    assert "Leading — Practice is evaluated and improved continuously" in page


def test_a_rating_with_a_justification_and_a_source_is_saved(team, client_for):
    response = client_for(team.analyst).post(
        url("rating", team, "REG", "oecd-maturity"),
        {
            "level": team.level("emerging").pk,
            "justification_en": "Because.",
            "answers": [team.answer("policy").pk],
        },
    )
    assert response.status_code == 302
    assert Rating.objects.get().sources.get().answer == team.answer("policy")


def test_a_reused_recommendation_number_is_refused(team, client_for):
    client = client_for(team.analyst)
    data = {"text_en": "Verify.", "priority": "urgent", "state": "open", "number": "2"}
    assert client.post(url("recommendation_new", team, "REG"), data).status_code == 302
    response = client.post(url("recommendation_new", team, "REG"), data)
    assert response.status_code == 400
    assert "REG-2 is already taken" in text(response)
    assert Recommendation.objects.count() == 1


def test_an_agreed_assessment_is_not_edited_without_reopening(team, client_for):
    agreed(team)
    client = client_for(team.analyst)
    response = client.get(url("finding_new", team, "REG"))
    assert response.status_code == 302
    response = client.post(url("recommendation_new", team, "REG"), {"text_en": "X"}, follow=True)
    assert "reopen it, with a reason" in text(response)
    assert Recommendation.objects.count() == 1
    response = client.post(url("state", team, "REG"), {"step": "reopen", "reason": ""})
    assert AreaAssessment.objects.get().state == S.AGREED
    client.post(url("state", team, "REG"), {"step": "reopen", "reason": "A new law."})
    assert AreaAssessment.objects.get().state == S.REOPENED
    assert client.get(url("finding_new", team, "REG")).status_code == 200


def test_who_may_agree(team, persona, client_for):
    assessment = full_draft(team)
    services.assessment_send_for_review(assessment=assessment, by=team.analyst)
    for role in [r for r in ALL_ROLES if r not in (Role.ANALYST, Role.EXPERT)]:
        response = client_for(who(role, team, persona)).post(
            url("state", team, "REG"), {"step": "agree"}
        )
        assert response.status_code in (403, 404), role
        assert AreaAssessment.objects.get().state == S.TEAM_REVIEW, role
    # The sender may not agree (four eyes): told so, nothing changed.
    response = client_for(team.analyst).post(
        url("state", team, "REG"), {"step": "agree"}, follow=True
    )
    assert "another expert or analyst must agree it" in text(response)
    assert AreaAssessment.objects.get().state == S.TEAM_REVIEW
    client_for(team.expert).post(url("state", team, "REG"), {"step": "agree"})
    assert AreaAssessment.objects.get().state == S.AGREED


def test_only_the_coordinator_gives_the_government_rating(team, persona, client_for):
    team.assessment()
    for role in sorted(ALL_ROLES, key=lambda r: r == Role.COORDINATOR):
        response = client_for(who(role, team, persona)).post(
            url("government_rating", team, "REG", "oecd-maturity"),
            {"level": team.level("leading").pk, "justification_en": "Ours."},
        )
        assert GovernmentRating.objects.exists() == (role == Role.COORDINATOR), role
        assert response.status_code == (302 if role == Role.COORDINATOR else 403), role


def test_the_government_rating_needs_a_justification(team, client_for):
    team.assessment()
    response = client_for(team.coordinator).post(
        url("government_rating", team, "REG", "oecd-maturity"),
        {"level": team.level("leading").pk, "justification_en": ""},
    )
    assert response.status_code == 400 and not GovernmentRating.objects.exists()


def test_comments_come_from_the_team_and_the_coordinator(team, persona, client_for):
    agreed(team)
    services.analysis_open_to_peers(review=team.review, by=team.analyst)
    for role in ALL_ROLES:
        client_for(who(role, team, persona)).post(url("comment", team, "REG"), {"body": role})
    authors = set(AssessmentComment.objects.values_list("body", flat=True))
    assert authors == TEAM | {Role.COORDINATOR}
    response = client_for(team.analyst).post(
        url("comment", team, "REG"), {"body": " "}, follow=True
    )
    assert "Write a comment first." in text(response)


# --- the review-wide list, the stage and the scales -----------------------------------------


def test_recommendations_filter_and_export(team, client_for):
    full_draft(team)
    client = client_for(team.analyst)
    page = text(client.get(url("recommendations", team) + "?priority=urgent"))
    assert "REG-1" in page
    page = text(client.get(url("recommendations", team) + "?priority=medium"))
    assert "REG-1" not in page and "No recommendation matches" in page
    response = client.get(url("recommendations", team) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Code" and rows[1][0] == "REG-1" and rows[1][3] == "Urgent"
    response = client.get(url("recommendations", team) + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(url("recommendations", team) + "?format=pdf").status_code == 404
    bad = client.get(url("recommendations", team) + "?priority=someday")
    assert bad.status_code == 400 and "not understood" in text(bad)


def test_recommendations_filter_by_area_and_by_agency(team, client_for):
    regulatory = full_draft(team)  # REG-1, addressed to no agency
    finance = OrganisationFactory(code="mof", name=tt("Ministry of Finance"))
    justice = OrganisationFactory(code="moj", name=tt("Ministry of Justice"))
    services.recommendation_save(
        assessment=regulatory,
        by=team.analyst,
        text=tt("Publish the declarations."),
        priority="medium",
        agency_ids=[finance.pk],
    )
    conflict = services.assessment_start(
        review=team.review, area=PolicyAreaFactory(code="COI", order=2, name=tt("Conflict"))
    )
    services.recommendation_save(
        assessment=conflict,
        by=team.analyst,
        text=tt("Train the officials."),
        priority="urgent",
        agency_ids=[finance.pk, justice.pk],
    )
    client = client_for(team.analyst)

    def codes(query: str) -> list[str]:
        page = text(client.get(url("recommendations", team) + query))
        return re.findall(r'#rec-\d+">([A-Z]+-\d+)</a>', page)

    assert codes("") == ["REG-1", "REG-2", "COI-1"]
    assert codes("?area=REG") == ["REG-1", "REG-2"]
    assert codes("?area=COI") == ["COI-1"]
    assert codes("?agency=mof") == ["REG-2", "COI-1"]
    assert codes("?agency=moj") == ["COI-1"]
    assert codes("?area=REG&agency=moj") == []
    assert codes("?area=COI&agency=mof&priority=urgent") == ["COI-1"]
    # The agency filter offers only the agencies the recommendations address.
    page = text(client.get(url("recommendations", team)))
    assert 'value="mof"' in page and 'value="moj"' in page
    bad = client.get(url("recommendations", team) + "?agency=nobody")
    assert bad.status_code == 400 and "not understood" in text(bad)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(url("recommendations", team) + "?agency=moj&format=csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert [r[0] for r in rows[1:]] == ["COI-1"]


def test_only_analysts_open_the_analysis_to_peers(team, persona, client_for):
    for role in sorted(ALL_ROLES, key=lambda r: r == Role.ANALYST):
        client = client_for(who(role, team, persona))
        asked = client.get(url("stage", team), {"step": "open_to_peers"})
        assert asked.status_code == (200 if role == Role.ANALYST else 403), role
        response = client.post(url("stage", team), {"step": "open_to_peers", "confirmed": "yes"})
        opened = AnalysisStage.objects.filter(peers_opened_at__isnull=False).exists()
        assert opened == (role == Role.ANALYST), role
        assert response.status_code == (302 if role == Role.ANALYST else 403), role


@pytest.mark.parametrize(
    ("step", "question", "count", "consequence", "field"),
    [
        (
            "open_to_peers",
            "Open the agreed analysis to peer reviewers?",
            "Peer reviewers will read the 1 agreed assessment marked for peer reviewers",
            "the analysis cannot be closed to peer reviewers again",
            "peers_opened_at",
        ),
        (
            "publish",
            "Publish the agreed analysis marked public?",
            "will read the 0 agreed assessments marked public",
            "the publication cannot be withdrawn",
            "published_at",
        ),
    ],
)
def test_the_stages_ask_first_and_say_what_cannot_be_undone(
    team, client_for, step, question, count, consequence, field
):
    agreed(team)  # marked for peers
    analyst = client_for(team.analyst)
    overview = text(analyst.get(url("overview", team)))
    assert f'<form method="get" action="{url("stage", team)}"' in overview
    for asked in (
        analyst.get(url("stage", team), {"step": step}),
        analyst.post(url("stage", team), {"step": step}),  # not confirmed
    ):
        assert asked.status_code == 200
        page = text(asked)
        assert question in page and count in page and consequence in page
        assert "This cannot be undone" in page
        assert 'name="confirmed" value="yes"' in page
        assert f'href="{url("overview", team)}">Cancel' in page
    assert not AnalysisStage.objects.filter(**{f"{field}__isnull": False}).exists()
    done = analyst.post(url("stage", team), {"step": step, "confirmed": "yes"}, follow=True)
    assert "now read the agreed assessments" in text(done)
    assert AnalysisStage.objects.filter(**{f"{field}__isnull": False}).exists()
    again = analyst.get(url("stage", team), {"step": step}, follow=True)
    assert "already" in text(again) and "This cannot be undone" not in text(again)


def test_scales_are_chosen_by_analysts_and_loaded_from_a_file(team, client_for):
    compliance = RatingScale.objects.get(code="compliance")
    client = client_for(team.analyst)
    response = client.post(
        url("scales", team), {"step": "choose", "scales": [team.scale.pk, compliance.pk]}
    )
    assert response.status_code == 302
    assert team.review.rating_scales.count() == 2
    assert client.post(url("scales", team), {"step": "choose"}).status_code == 400
    upload = SimpleUploadedFile("scales.toml", b"[[scale]]\ncode = 'x'\n", "application/toml")
    response = client.post(url("scales", team), {"step": "upload", "file": upload})
    assert response.status_code == 400 and "English name" in text(response)
    good = (
        b'[[scale]]\ncode = "three"\nname = "Three"\n'
        b'[[scale.level]]\ncode = "low"\ncolour = "#aa0000"\nname = "Low"\n'
        b'[[scale.level]]\ncode = "high"\ncolour = "#00aa00"\nname = "High"\n'
    )
    upload = SimpleUploadedFile("scales.toml", good, "application/toml")
    assert client.post(url("scales", team), {"step": "upload", "file": upload}).status_code == 302
    assert RatingScale.objects.get(code="three").source == "file"
    coordinator = client_for(team.coordinator)
    assert coordinator.get(url("scales", team)).status_code == 200
    assert coordinator.post(url("scales", team), {"step": "choose"}).status_code == 403


def test_a_cached_page_shows_every_later_write(team, client_for):
    """The area page and the overview are cached per reader; every write of the
    analysis (and every change of the answers) shows at once."""
    assessment = full_draft(team)
    analyst = client_for(team.analyst)
    coordinator = client_for(team.coordinator)
    assert "Not verified at all." not in text(analyst.get(url("area", team, "REG")))
    assert "not rated" in text(coordinator.get(url("overview", team)))
    services.finding_save(
        assessment=assessment,
        by=team.analyst,
        sources=get_reader(team.analyst, team.review.slug).sources,
        kind="gap",
        text=tt("Not verified at all."),
    )
    assert "Not verified at all." in text(analyst.get(url("area", team, "REG")))
    services.government_rating_give(
        assessment=assessment,
        by=team.coordinator,
        scale=team.scale,
        level=team.level("leading"),
        justification=tt("Ours."),
    )
    assert "Ours." in text(analyst.get(url("area", team, "REG")))
    assert "differs by more than one level" in text(coordinator.get(url("overview", team)))
    services.comment_post(assessment=assessment, by=team.coordinator, body="Seen.")
    assert "Seen." in text(analyst.get(url("area", team, "REG")))


# --- texts in kk and ru ---------------------------------------------------------------


def test_an_analysis_text_marks_a_missing_translation_and_an_outdated_one(team, client_for):
    """A finding written in English only shows in Kazakh as the English text
    marked "not translated yet"; once its Russian is given and then the
    English changes, the Russian is shown marked out of date."""
    assessment = full_draft(team)  # the context in three languages, the finding in English
    client = client_for(team.analyst)
    client.cookies["django_language"] = "kk"
    page = text(client.get(url("area", team, "REG")))
    assert (
        '<span lang="en">Declarations are not verified.</span> <abbr class="tr-mark tr-missing"'
    ) in page
    assert "Мәнмәтін." in page and "Мәнмәтін. <abbr" not in page
    finding = assessment.findings.get()
    edit = url("finding_edit", team, "REG", finding.number)
    for english in ("Declarations are not verified.", "Declarations are never verified."):
        finding.refresh_from_db()
        response = client.post(
            edit,
            finding_data(
                team,
                text_en=english,
                text_ru="Декларации не проверяются.",
                revision=str(finding.revision),
            ),
        )
        assert response.status_code == 302, text(response)
    client.cookies["django_language"] = "ru"
    page = text(client.get(url("area", team, "REG")))
    assert 'Декларации не проверяются. <abbr class="tr-mark tr-stale"' in page
    assert "Контекст." in page and "Контекст. <abbr" not in page
    client.cookies["django_language"] = "kk"
    page = text(client.get(url("area", team, "REG")))
    assert '<span lang="en">Declarations are never verified.</span> <abbr' in page
