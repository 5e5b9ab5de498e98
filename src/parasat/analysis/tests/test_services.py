"""The writes of the analysis: each refuses bad input with a message naming
its field and writes nothing, and every change is a version."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parasat.accounts.tests.factories import OrganisationFactory
from parasat.analysis import services, snapshots
from parasat.analysis.access import get_reader
from parasat.analysis.models import (
    AreaAssessment,
    AssessmentVersion,
    Finding,
    GovernmentRating,
    Rating,
    RatingLevel,
    RatingScale,
    Recommendation,
)
from parasat.analysis.tests.factories import agreed, full_draft
from parasat.core.lib.translated import TranslatedText
from parasat.core.testing.texts import tt

pytestmark = pytest.mark.django_db
S = AreaAssessment.State


def sources(team, user=None):
    return get_reader(user or team.analyst, team.review.slug).sources


def field_of(exc: ValidationError) -> set[str]:
    return set(exc.value.message_dict) if hasattr(exc.value, "error_dict") else set()


# --- scales -------------------------------------------------------------------


def test_the_shipped_scales_load_once_with_their_levels_lowest_first():
    services.scales_load_shipped()
    services.scales_load_shipped()
    assert RatingScale.objects.count() == 4
    maturity = RatingScale.objects.get(code="oecd-maturity")
    assert [lv.code for lv in maturity.levels.all()] == [
        "nascent",
        "emerging",
        "established",
        "leading",
    ]
    assert maturity.name.get("kk") and maturity.name.get("ru")
    score = RatingScale.objects.get(code="score-100")
    assert score.scored and score.levels.get(code="moderate").holds(60)


def test_every_shipped_level_says_what_it_means_in_every_language():
    services.scales_load_shipped()
    levels = RatingLevel.objects.select_related("scale")
    assert levels.count() == 15
    for level in levels:
        for language in ("en", "ru", "kk"):
            assert level.description.get(language), (level.scale.code, level.code, language)
    greco = RatingScale.objects.get(code="greco-implementation").levels
    satisfactorily = greco.get(code="implemented-satisfactorily").description
    assert "dealt with satisfactorily" in str(satisfactorily)
    assert "75 to 100" in str(RatingScale.objects.get(code="score-100").levels.last().description)


def test_the_shipped_scales_leave_a_scale_of_the_same_code_the_site_added_alone():
    services.scales_load(
        rows=services.read_scales_file(
            b"""[[scale]]
code = "compliance"
name = "Our own compliance"
[[scale.level]]
code = "no"
colour = "#b8432f"
name = "No"
[[scale.level]]
code = "yes"
colour = "#2a6f97"
name = "Yes"
"""
        ),
        source="file",
    )
    services.scales_load_shipped()
    own = RatingScale.objects.get(code="compliance")
    assert str(own.name) == "Our own compliance" and own.source == "file"
    assert [lv.code for lv in own.levels.all()] == ["no", "yes"]
    assert RatingScale.objects.filter(source="shipped").count() == 3


def test_a_scales_file_names_every_problem():
    rows = services.read_scales_file(
        b"""[[scale]]
code = "mine"
[[scale.level]]
code = "a"
colour = "red"
name = "A"
"""
    )
    with pytest.raises(ValidationError) as exc:
        services.scales_load(rows=rows, source="file")
    text = " ".join(exc.value.messages)
    assert "English name" in text and "two levels" in text and "colour" in text
    assert not RatingScale.objects.filter(code="mine").exists()
    with pytest.raises(ValidationError, match="TOML"):
        services.read_scales_file(b"not = [toml")


def test_a_scale_in_use_is_frozen_and_a_file_changing_its_levels_is_refused(team):
    assert team.scale.frozen
    rows = services.read_scales_file(
        b"""[[scale]]
code = "oecd-maturity"
name = "Changed"
[[scale.level]]
code = "low"
colour = "#000000"
name = "Low"
[[scale.level]]
code = "high"
colour = "#ffffff"
name = "High"
"""
    )
    with pytest.raises(ValidationError, match="in use"):
        services.scales_load(rows=rows, source="file")
    assert team.scale.levels.count() == 4


def test_loading_the_shipped_scales_again_completes_a_frozen_scale_and_keeps_its_levels(team):
    """A site loaded before the levels had descriptions: loading the shipped
    scales again fills them in, on a scale in use too, and its levels (the
    rows ratings point to) stay as they were."""
    compliance = RatingScale.objects.get(code="compliance")
    services.review_scales_set(review=team.review, scales=[team.scale, compliance], by=None)
    assessment = full_draft(team)
    services.rating_save(
        assessment=assessment,
        by=team.analyst,
        sources=sources(team),
        scale=compliance,
        level=compliance.levels.get(code="partially-compliant"),
        justification=tt("Half of it."),
        provision_keys=[team.provision.key],
    )
    RatingLevel.objects.filter(scale=compliance).update(description=tt(""))
    before = list(compliance.levels.values_list("pk", "rank", "code", "min_score", "max_score"))
    services.scales_load_shipped()
    compliance.refresh_from_db()
    assert compliance.frozen
    assert list(compliance.levels.values_list("pk", "rank", "code", "min_score", "max_score")) == (
        before
    )
    partial = compliance.levels.get(code="partially-compliant")
    assert "Moderate shortcomings" in partial.description.get("en")
    assert partial.description.get("ru") and partial.description.get("kk")
    rating = Rating.objects.get(assessment=assessment, scale=compliance)
    assert rating.level_id == partial.pk


def test_a_file_cannot_make_a_scale_in_use_unscored(team):
    """The same levels and bands, but no longer scored: the ratings' scores
    would lose their meaning, so the file is refused as a change of levels is."""
    score = RatingScale.objects.get(code="score-100")
    services.review_scales_set(review=team.review, scales=[team.scale, score], by=None)
    levels = "".join(
        f'[[scale.level]]\ncode = "{lv.code}"\ncolour = "{lv.colour}"\nname = "X"\n'
        f"min_score = {lv.min_score}\nmax_score = {lv.max_score}\n"
        for lv in score.levels.all()
    )
    rows = services.read_scales_file(
        f'[[scale]]\ncode = "score-100"\nname = "Bands"\n{levels}'.encode()
    )
    with pytest.raises(ValidationError, match="in use"):
        services.scales_load(rows=rows, source="file")
    score.refresh_from_db()
    assert score.scored and str(score.name) != "Bands"


def test_a_scale_rating_an_area_cannot_be_dropped(team):
    full_draft(team)
    other = RatingScale.objects.get(code="compliance")
    with pytest.raises(ValidationError, match="cannot be dropped"):
        services.review_scales_set(review=team.review, scales=[other], by=team.analyst)


# --- findings -------------------------------------------------------------------


def test_a_finding_links_what_the_analyst_may_read_and_makes_a_version(team):
    assessment = team.assessment()
    finding = services.finding_save(
        assessment=assessment,
        by=team.analyst,
        sources=sources(team),
        kind="strength",
        text=tt("A strength."),
        answer_ids=[team.answer("policy").pk],
        evidence_ids=[team.team_file.pk],
        provision_keys=[team.provision.key],
    )
    assert finding.code == "REG-F1"
    assert list(finding.answers.all()) == [team.answer("policy")]
    version = AssessmentVersion.objects.get(assessment=assessment)
    assert version.number == 1 and version.content["findings"][0]["answers"] == ["S-01"]


@pytest.mark.parametrize(
    ("kind", "link", "field"),
    [
        ("strength", {"answer_ids": "share"}, "answers"),  # government only: not for the team
        ("strength", {"evidence_ids": "secret"}, "evidence"),
        ("strength", {"provision_keys": ["NOPE:1"]}, "provisions"),
        ("opinion", {}, "kind"),
    ],
)
def test_a_finding_resting_on_what_the_analyst_may_not_read_is_refused(team, kind, link, field):
    assessment = team.assessment()
    args = {}
    if link.get("answer_ids"):
        args["answer_ids"] = [team.answer(link["answer_ids"]).pk]
    if link.get("evidence_ids"):
        args["evidence_ids"] = [team.mix.secret_file.pk]
    if link.get("provision_keys"):
        args["provision_keys"] = link["provision_keys"]
    with pytest.raises(ValidationError) as exc:
        services.finding_save(
            assessment=assessment,
            by=team.analyst,
            sources=sources(team),
            kind=kind,
            text=tt("Text."),
            **args,
        )
    assert field_of(exc) == {field}
    assert not Finding.objects.exists() and not AssessmentVersion.objects.exists()


def test_a_finding_without_english_is_refused(team):
    with pytest.raises(ValidationError) as exc:
        services.finding_save(
            assessment=team.assessment(),
            by=team.analyst,
            sources=sources(team),
            kind="gap",
            text=tt("", "Только по-русски"),
        )
    assert field_of(exc) == {"text"}


# --- ratings ---------------------------------------------------------------------


def rate(team, **kw):
    args = {
        "assessment": team.assessment(),
        "by": team.analyst,
        "sources": sources(team),
        "scale": team.scale,
        "level": team.level("emerging"),
        "justification": tt("Because."),
        "provision_keys": [team.provision.key],
    }
    return services.rating_save(**(args | kw))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"justification": tt("")}, "justification"),
        ({"provision_keys": []}, "sources"),
        ({"level": "compliance"}, "level"),  # a level of another scale
        ({"scale": "compliance"}, "scale"),  # a scale the review does not use
        ({"external": ("", "", None), "provision_keys": []}, "sources"),
        ({"external": ("Report", "ftp://x", dt.date(2015, 1, 1))}, "external_url"),
        ({"external": ("Report", "", None)}, "external_consulted_on"),
        ({"external": ("Report", "", dt.date(2999, 1, 1))}, "external_consulted_on"),
        ({"external": ("", "https://example.org", dt.date(2015, 1, 1))}, "external_title"),
    ],
)
def test_a_bad_rating_is_refused_beside_its_field(team, change, field):
    if change.get("level") == "compliance":
        change["level"] = RatingScale.objects.get(code="compliance").levels.first()
    if change.get("scale") == "compliance":
        change["scale"] = RatingScale.objects.get(code="compliance")
    if "external" in change:
        change["external"] = services.ExternalSource(*change["external"])
    with pytest.raises(ValidationError) as exc:
        rate(team, **change)
    assert field_of(exc) == {field}
    assert not Rating.objects.exists()


def test_a_score_gives_its_band_and_a_score_outside_the_scale_is_refused(team):
    score = RatingScale.objects.get(code="score-100")
    services.review_scales_set(review=team.review, scales=[team.scale, score], by=None)
    rating = rate(team, scale=score, level=None, score=62)
    assert rating.level.code == "moderate" and rating.score == 62
    with pytest.raises(ValidationError) as exc:
        rate(team, scale=score, level=None, score=101)
    assert field_of(exc) == {"score"}


def test_rating_again_replaces_the_rating_and_keeps_the_old_one_in_the_versions(team):
    rate(team)
    rate(team, level=team.level("established"), provision_keys=[], evidence_ids=[team.team_file.pk])
    rating = Rating.objects.get()
    assert rating.level.code == "established" and rating.revision == 2
    assert [s.kind for s in rating.sources.all()] == ["evidence"]
    first, second = AssessmentVersion.objects.order_by("number")
    assert first.content["ratings"][0]["level"] == "emerging"
    assert second.content["ratings"][0]["level"] == "established"


def test_the_government_rating_supersedes_the_last_and_keeps_it(team):
    assessment = team.assessment()
    for code in ("leading", "established"):
        services.government_rating_give(
            assessment=assessment,
            by=team.coordinator,
            scale=team.scale,
            level=team.level(code),
            justification=tt("Our view."),
        )
    assert GovernmentRating.objects.count() == 2
    current = GovernmentRating.objects.get(superseded_at__isnull=True)
    assert current.level.code == "established"
    with pytest.raises(ValidationError) as exc:
        services.government_rating_give(
            assessment=assessment,
            by=team.coordinator,
            scale=team.scale,
            level=team.level("leading"),
            justification=tt(""),
        )
    assert field_of(exc) == {"justification"}


# --- recommendations ----------------------------------------------------------------


def recommend(team, **kw):
    args = {
        "assessment": team.assessment(),
        "by": team.analyst,
        "text": tt("Do it."),
        "priority": "short",
    }
    return services.recommendation_save(**(args | kw))


def test_recommendations_are_numbered_per_area_and_never_renumbered(team):
    first = recommend(team)
    third = recommend(team, number=3)
    nxt = recommend(team)
    assert [first.code, third.code, nxt.code] == ["REG-1", "REG-3", "REG-4"]
    recommend(team, recommendation=first, state="withdrawn", base_revision=1)
    with pytest.raises(ValidationError) as exc:
        recommend(team, number=1)
    assert field_of(exc) == {"number"}
    assert "REG-1" in exc.value.message_dict["number"][0]
    with pytest.raises(ValidationError) as exc:
        recommend(team, recommendation=third, number=5)
    assert field_of(exc) == {"number"}
    assert Recommendation.objects.count() == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"priority": "someday"}, "priority"),
        ({"text": tt("")}, "text"),
        ({"agency_ids": [987654]}, "agencies"),
        ({"finding_ids": [987654]}, "findings"),
        ({"number": 0}, "number"),
    ],
)
def test_a_bad_recommendation_is_refused(team, change, field):
    with pytest.raises(ValidationError) as exc:
        recommend(team, **change)
    assert field_of(exc) == {field}
    assert not Recommendation.objects.exists()


def test_an_edit_from_an_old_revision_is_refused(team):
    rec = recommend(team)
    recommend(team, recommendation=rec, base_revision=1, text=tt("Changed."))
    with pytest.raises(ValidationError, match="Someone changed"):
        recommend(team, recommendation=rec, base_revision=1, text=tt("Mine."))
    rec.refresh_from_db()
    assert rec.text.source == "Changed."


# --- states ---------------------------------------------------------------------------


def test_an_incomplete_assessment_cannot_go_to_review(team):
    assessment = team.assessment()
    with pytest.raises(ValidationError) as exc:
        services.assessment_send_for_review(assessment=assessment, by=team.analyst)
    assert len(exc.value.messages) == 3  # context, a finding, a rating
    assessment.refresh_from_db()
    assert assessment.state == S.DRAFT


def test_four_eyes_the_sender_cannot_agree(team, persona):
    assessment = full_draft(team)
    services.assessment_send_for_review(assessment=assessment, by=team.analyst)
    with pytest.raises(ValidationError, match="another expert or analyst"):
        services.assessment_agree(assessment=assessment, by=team.analyst)
    services.assessment_agree(assessment=assessment, by=team.expert)
    assessment.refresh_from_db()
    assert assessment.state == S.AGREED and assessment.agreed_by == team.expert


def test_an_agreed_assessment_is_not_edited_until_reopened_with_a_reason(team):
    assessment = agreed(team)
    versions = assessment.version
    with pytest.raises(ValidationError, match="reopen it"):
        recommend(team)
    with pytest.raises(ValidationError, match="reopen it"):
        rate(team)
    with pytest.raises(ValidationError) as exc:
        services.assessment_reopen(assessment=assessment, by=team.analyst, reason=" ")
    assert field_of(exc) == {"reason"}
    services.assessment_reopen(assessment=assessment, by=team.analyst, reason="New law.")
    recommend(team)
    assessment.refresh_from_db()
    assert assessment.state == S.REOPENED and assessment.version == versions + 2
    states = list(assessment.transitions.values_list("to_state", flat=True))
    assert states == [S.TEAM_REVIEW, S.AGREED, S.REOPENED]


def test_under_review_the_assessment_is_returned_with_a_reason(team):
    assessment = full_draft(team)
    services.assessment_send_for_review(assessment=assessment, by=team.analyst)
    with pytest.raises(ValidationError, match="under team review"):
        recommend(team)
    with pytest.raises(ValidationError):
        services.assessment_return(assessment=assessment, by=team.expert, reason="")
    services.assessment_return(assessment=assessment, by=team.expert, reason="Sharper.")
    assessment.refresh_from_db()
    assert assessment.state == S.DRAFT


def test_two_versions_compare_item_by_item(team):
    assessment = full_draft(team)
    rec = Recommendation.objects.get()
    recommend(team, recommendation=rec, base_revision=1, text=tt("Verify every declaration."))
    versions = list(assessment.versions.order_by("number"))
    result = snapshots.compare(versions[-2].content, versions[-1].content)
    changed = [i for i in result["recommendations"] if i.status == "changed"]
    assert [i.code for i in changed] == ["REG-1"]
    text = next(line for line in changed[0].lines if line.label == "Recommendation")
    assert ("+", "every declaration.") in text.diff or ("+", "every") in text.diff
    assert all(i.status == "same" for i in result["findings"])


def test_a_version_holds_every_link_of_the_content_in_a_fixed_number_of_queries(
    team, django_assert_num_queries
):
    # Nothing in it yet: its findings, ratings and recommendations, no links to look for.
    started = team.assessment()
    with django_assert_num_queries(3):
        empty = snapshots.snapshot(started)
    assert (empty["findings"], empty["ratings"], empty["recommendations"]) == ([], [], [])
    assessment = full_draft(team)  # REG-F1 on "policy", the team's file and the provision
    finance = OrganisationFactory(code="mof", name=tt("Ministry of Finance"))
    justice = OrganisationFactory(code="moj", name=tt("Ministry of Justice"))
    with django_assert_num_queries(9):
        small = snapshots.snapshot(assessment)
    second = services.finding_save(
        assessment=assessment,
        by=team.analyst,
        sources=sources(team),
        kind="gap",
        text=tt("No register."),
        answer_ids=[team.answer("describe").pk, team.answer("policy").pk],
        provision_keys=[team.provision.key],
    )
    recommend(
        team,
        text=tt("Keep a register."),
        agency_ids=[justice.pk, finance.pk],
        finding_ids=[second.pk, Finding.objects.get(code="REG-F1").pk],
    )
    Finding.objects.filter(pk=second.pk).update(withdrawn_at=timezone.now())
    with django_assert_num_queries(9):
        content = snapshots.snapshot(assessment)
    assert (
        content["findings"][0]
        == small["findings"][0]
        == {
            "code": "REG-F1",
            "kind": "weakness",
            "text": small["findings"][0]["text"],
            "answers": [team.answer("policy").question.code],
            "evidence": [f"{team.team_file.pk}: Annual declarations report"],
            "provisions": [team.provision.key],
            "withdrawn": False,
        }
    )
    assert content["findings"][1] | {"text": None} == {
        "code": "REG-F2",
        "kind": "gap",
        "text": None,
        "answers": sorted(team.answer(n).question.code for n in ("describe", "policy")),
        "evidence": [],
        "provisions": [team.provision.key],
        "withdrawn": True,
    }
    assert TranslatedText.from_json(content["findings"][1]["text"]).source == "No register."
    assert [(r["code"], r["agencies"], r["findings"]) for r in content["recommendations"]] == [
        ("REG-1", [], ["REG-F1"]),
        ("REG-2", ["mof", "moj"], ["REG-F1", "REG-F2"]),
    ]
    assert content["ratings"][0]["sources"] == [
        f"provision {team.provision.key}",
        "external Monitoring report https://example.org/r 2015-03-01",
    ]


def test_a_new_finding_rating_or_recommendation_adds_its_links_without_reading_them_first(
    team, django_assert_max_num_queries
):
    """A row just made has no links yet: they are inserted, not read and
    replaced (and none is written for a kind it has none of)."""
    assessment = team.assessment()
    writer = sources(team)
    finance = OrganisationFactory(code="mof", name=tt("Ministry of Finance"))
    with django_assert_max_num_queries(20):
        finding = services.finding_save(
            assessment=assessment,
            by=team.analyst,
            sources=writer,
            kind="weakness",
            text=tt("Declarations are not verified."),
            answer_ids=[team.answer("policy").pk],
            evidence_ids=[team.team_file.pk],
            provision_keys=[team.provision.key],
        )
    with django_assert_max_num_queries(18):
        services.rating_save(
            assessment=assessment,
            by=team.analyst,
            sources=writer,
            scale=team.scale,
            level=team.level("emerging"),
            justification=tt("Rules exist; practice lags."),
            provision_keys=[team.provision.key],
        )
    with django_assert_max_num_queries(24):
        recommend(team, assessment=assessment, agency_ids=[finance.pk], finding_ids=[finding.pk])
    with django_assert_max_num_queries(20):
        recommend(team, assessment=assessment)
    content = snapshots.snapshot(assessment)
    assert content["findings"][0] | {"text": None} == {
        "code": "REG-F1",
        "kind": "weakness",
        "text": None,
        "answers": [team.answer("policy").question.code],
        "evidence": [f"{team.team_file.pk}: Annual declarations report"],
        "provisions": [team.provision.key],
        "withdrawn": False,
    }
    assert content["ratings"][0]["sources"] == [f"provision {team.provision.key}"]
    assert [(r["code"], r["agencies"], r["findings"]) for r in content["recommendations"]] == [
        ("REG-1", ["mof"], ["REG-F1"]),
        ("REG-2", [], []),
    ]


def test_comments_are_posted_and_corrected_only_by_their_author(team):
    assessment = team.assessment()
    first = services.comment_post(assessment=assessment, by=team.analyst, body="Check COI.")
    with pytest.raises(ValidationError) as exc:
        services.comment_post(assessment=assessment, by=team.expert, body="No.", corrects=first)
    assert field_of(exc) == {"corrects"}
    with pytest.raises(ValidationError) as exc:
        services.comment_post(assessment=assessment, by=team.expert, body="  ")
    assert field_of(exc) == {"body"}
