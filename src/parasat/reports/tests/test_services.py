"""Drafting from the analysis, editing with stable paragraph identifiers,
frozen stages, comments that must be answered, translations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from parasat.assessment.models import Assignment
from parasat.core.lib.translated import Status
from parasat.reports import rendering, services
from parasat.reports.models import Paragraph, Report, Response, Section, Stage
from parasat.reports.versions import compare, snapshot
from parasat.toolkit.models import Instrument, Questionnaire

pytestmark = pytest.mark.django_db


def markdown_of(section: Section) -> str:
    return "\n\n".join(p.text.source for p in section.paragraphs.order_by("order"))


def test_the_report_is_drafted_from_the_agreed_analysis(people, drafted):
    report = drafted
    keys = list(report.sections.values_list("key", flat=True))
    # COI and PSI are agreed in the example; PRC is a draft and stays out.
    assert keys[:3] == ["front", "summary", "methodology"]
    assert set(keys[3:5]) == {"area-coi", "area-psi"}
    assert keys[5:] == [
        "annex-recommendations",
        "annex-events",
        "annex-questionnaires",
        "annex-references",
        "annex-glossary",
    ]
    front = markdown_of(report.sections.get(key="front"))
    assert "thanks the Government of Kazakhstan" in front and "© OECD" in front
    assert "English text prevails" in front
    coi = report.sections.get(key="area-coi")
    text = markdown_of(coi)
    assert "**COI-F2** (weakness). Declarations are not checked" in text
    assert "**COI-1** (urgent)." in text and "**Emerging**" in text
    # The analysis's Kazakh comes along, fresh.
    finding = coi.paragraphs.get(anchor="finding-COI-F2")
    assert "Декларациялар басқа тізілімдермен" in finding.text.get("kk")
    assert finding.text.status("kk") == Status.OK
    # The generated headings are in Kazakh too, from the catalogues.
    assert {r[0] for r in report.figures.get(key="ratings").data["rows"]} == {"COI", "PSI"}
    assert rendering.problems(snapshot(report)) == []


def test_the_methodology_and_annexes_come_from_the_reviews_events_and_questionnaires(people):
    questionnaire = Questionnaire.objects.filter(area__code="COI").order_by("-version").first()
    Assignment.objects.create(
        review=people.review,
        questionnaire=questionnaire,
        ministry=people.review.responsible_body,
        assigned_by=people.analyst,
        due_on=dt.date(2015, 5, 15),
    )
    report = people.report()
    method = report.sections.get(key="methodology")
    text = markdown_of(method)
    # The example's five events of the agreement were held (2015–2016).
    assert "5 events were held during the review" in text
    assert "kick-off workshop" in text and "[@sec:annex-events]" in text
    assert "[@sec:annex-questionnaires]" in text
    events = markdown_of(report.sections.get(key="annex-events"))
    assert "| 10 March 2015 |" in events and "OECD Conference Centre, Paris" in events
    kk = report.sections.get(key="annex-events").paragraphs.get().text.get("kk")
    assert "ЭЫДҰ конференц-орталығы, Париж" in kk and "наурыз" in kk.lower()
    assert "questionnaires assigned: 1; ministries and agencies: 1)" in text
    questionnaires = markdown_of(report.sections.get(key="annex-questionnaires"))
    assert str(questionnaire.title) in questionnaires and "| 15 May 2015 |" in questionnaires
    html = rendering.render_sections(snapshot(report), "en", lambda key: "", only="annex-events")
    assert "<table" in html[0].html and html[0].problems == []


def test_paragraph_identifiers_survive_edits_elsewhere(people, drafted):
    report = drafted
    section = report.sections.get(key="area-coi")
    before = list(section.paragraphs.order_by("order").values_list("pid", "text"))
    pids = [pid for pid, _t in before]
    blocks = [Paragraph(text=t).text.source for _p, t in before]
    # A new paragraph at the top, the third one edited, the last one removed.
    edited = ["A new opening paragraph.", *blocks]
    edited[3] = edited[3] + " One more sentence."
    del edited[-1]
    saved = services.section_save(
        section=section, by=people.analyst, markdown="\n\n".join(edited), base_revision=0
    )
    assert (saved.added, saved.changed, saved.removed) == (1, 1, 1)
    after = list(section.paragraphs.order_by("order").values_list("pid", flat=True))
    assert after[1:] == pids[:-1]
    assert after[0] not in pids
    changed = Paragraph.objects.get(pid=pids[2])
    assert changed.text.source.endswith("One more sentence.")
    assert changed.text.status("kk") == Status.STALE
    # The editor's revision guards against overwriting someone else's save.
    with pytest.raises(ValidationError, match="Someone else saved"):
        services.section_save(section=section, by=people.analyst, markdown="x", base_revision=0)


def test_raw_html_is_shown_as_text_and_broken_references_are_named(people, drafted):
    report = drafted
    section = report.sections.get(key="summary")
    services.section_save(
        section=section,
        by=people.analyst,
        markdown="Hello <script>alert(1)</script> [@rec:XX-9] and[^nope].",
        base_revision=None,
    )
    content = snapshot(report)
    view = rendering.render_sections(content, "en", lambda key: "", only="summary")[0]
    assert "<script>" not in view.html and "&lt;script&gt;" in view.html
    assert any("[@rec:XX-9]" in p for p in view.problems)
    assert any("[^nope]" in p for p in view.problems)
    with pytest.raises(ValidationError) as refused:
        services.report_issue(report=report, by=people.analyst)
    assert "[@rec:XX-9]" in " ".join(refused.value.messages)
    assert not report.versions.exists()


def test_stages_freeze_compare_and_need_every_comment_answered(people, drafted):
    report = drafted
    version = services.report_issue(report=report, by=people.analyst)
    report.refresh_from_db()
    assert report.state == Report.State.ISSUED and version.stage == Stage.PRELIMINARY
    section = report.sections.get(key="area-coi")
    with pytest.raises(ValidationError, match="frozen"):
        services.section_save(section=section, by=people.analyst, markdown="x", base_revision=None)
    paragraph = section.paragraphs.get(anchor="rec-COI-1")
    comment = services.comment_post(
        version=version,
        by=people.coordinator,
        section_key="area-coi",
        pid=paragraph.pid,
        quote="Verify declarations",
        body="Start with the ministries.",
    )
    with pytest.raises(ValidationError, match="no response"):
        services.report_advance(report=report, by=people.analyst)
    with pytest.raises(ValidationError):
        services.comment_respond(
            comment=comment, by=people.analyst, response=Response.ACCEPTED, reason="Yes."
        )
    services.comment_respond(
        comment=comment,
        by=people.analyst,
        response=Response.ACCEPTED,
        reason="Agreed.",
        change="Named the ministries first.",
    )
    services.report_advance(report=report, by=people.analyst)
    report.refresh_from_db()
    assert report.stage == Stage.PEER_REVIEW and report.is_editable
    text = paragraph.text.source.replace("starting with", "starting with the ministries and")
    services.section_save(
        section=section,
        by=people.analyst,
        markdown="\n\n".join(
            text if p.pid == paragraph.pid else p.text.source
            for p in section.paragraphs.order_by("order")
        ),
        base_revision=None,
    )
    second = services.report_issue(report=report, by=people.analyst)
    changes = {c.key: c for c in compare(version.content, second.content)}
    assert changes["area-coi"].changed and not changes["area-psi"].changed
    changed = [c for c in changes["area-coi"].changes if c.op != "same"]
    assert [c.pid for c in changed] == [paragraph.pid]
    assert ("+", "the ministries and") in changed[0].words


def test_a_quote_must_be_in_the_paragraph(people, drafted):
    report = drafted
    version = services.report_issue(report=report, by=people.analyst)
    pid = version.content["sections"][0]["paragraphs"][0]["id"]
    with pytest.raises(ValidationError, match="quoted phrase"):
        services.comment_post(
            version=version, by=people.peer, section_key="front", pid=pid,
            body="Hm.", quote="not there at all",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="not in this version"):
        services.comment_post(
            version=version, by=people.peer, section_key="front", pid="p-00000000", body="Hm."
        )


def test_the_reports_ratings_chart_is_the_analysis_chart(people, drafted):
    # One chart definition for the analysis pages and the report (web and
    # PDF): drawn from the same ratings, the two specifications agree.
    from django.utils import translation

    from parasat.analysis import access as analysis_access
    from parasat.analysis import charts, selectors

    report = drafted
    figure = next(f for f in snapshot(report)["figures"] if f["key"] == "ratings")
    from_report = rendering.figure_data(figure, 1, "en").spec
    with translation.override("en"):
        reader = analysis_access.get_reader(people.analyst, people.review.slug)
        from_analysis = charts.ratings_spec(selectors.overview(reader))
    assert from_analysis is not None
    # The report charts the agreed areas only; the analysis page every area.
    reported = from_report["data"]["values"]
    assert reported and all(v in from_analysis["data"]["values"] for v in reported)
    for spec in (from_report, from_analysis):
        spec["encoding"]["y"].pop("sort"), spec["encoding"]["y"]["scale"].pop("domain")
    for channel in ("x", "y", "yOffset", "color", "shape"):
        assert from_report["encoding"][channel] == from_analysis["encoding"][channel], channel
    assert from_report["mark"] == from_analysis["mark"]


def test_citations_of_the_bibliography_link_to_the_references(people, drafted):
    report = drafted
    annex = report.sections.get(key="annex-references")
    listed = set(annex.paragraphs.values_list("anchor", flat=True))
    # The findings cite the standards their provisions come from; each is in the annex.
    finding = report.sections.get(key="area-coi").paragraphs.get(anchor="finding-COI-F2")
    cited = set(services.CITE.findall(finding.text.source))
    assert cited and {f"ref-{code}" for code in cited} <= listed
    html = rendering.render_sections(snapshot(report), "kk", lambda key: f"/{key}/")
    coi = next(v for v in html if v.key == "area-coi")
    code = sorted(cited)[0]
    assert '<a class="cite" href="/annex-references/#p-' in coi.html and f">{code}</a>" in coi.html
    # A work cited for the first time joins the references when the section is saved.
    new = (
        Instrument.objects.exclude(code__in=cited).exclude(code__in=[a[4:] for a in listed]).first()
    )
    summary = report.sections.get(key="summary")
    services.section_save(
        section=summary,
        by=people.analyst,
        markdown=markdown_of(summary) + f"\n\nAs the standard says [@cite:{new.code}].",
        base_revision=summary.revision,
    )
    entry = annex.paragraphs.get(anchor=f"ref-{new.code}")
    assert entry.text.source.startswith(f"**{new.code}**.") and entry.text.get("ru")
    assert rendering.problems(snapshot(report)) == []
    # A code that names no work is named, and stops the issue.
    services.section_save(
        section=summary,
        by=people.analyst,
        markdown=markdown_of(summary) + "\n\nSee [@cite:NO-SUCH-WORK].",
        base_revision=summary.revision + 1,
    )
    with pytest.raises(ValidationError, match=r"\[@cite:NO-SUCH-WORK\] names no work"):
        services.report_issue(report=report, by=people.analyst)


def test_a_chart_of_the_findings_is_drafted_from_the_analysis(people, drafted):
    report = drafted
    figure = report.figures.get(key="findings")
    counts = {row[0]: row[2:] for row in figure.data["rows"]}
    # The example's COI findings: the strengths, weaknesses and gaps it records.
    assert set(counts) == {"COI", "PSI"} and sum(counts["COI"]) >= 2
    assert "{{figure:findings}}" in markdown_of(report.sections.get(key="summary"))
    view = rendering.render_sections(snapshot(report), "ru", lambda key: "", only="summary")[0]
    assert view.problems == [] and 'id="fig-findings"' in view.html
    assert "<svg" in view.html and "Недостатки" in view.html


def test_a_page_draws_only_the_figures_its_section_shows(drafted, monkeypatch):
    # A chapter's page (the read edition, the editor's preview) does not draw
    # the summary's charts: each is drawn where its section is shown.
    drawn = []
    monkeypatch.setattr(rendering, "vegalite_svg", lambda spec: drawn.append(spec) or "<svg/>")
    content = snapshot(drafted)
    coi = rendering.render_sections(content, "en", lambda key: "", only="area-coi")[0]
    assert drawn == [] and coi.problems == []
    summary = rendering.render_sections(content, "en", lambda key: "", only="summary")[0]
    assert len(drawn) == 2 and summary.html.count("<svg/>") == 2
    # The whole report (the PDF) draws each once.
    drawn.clear()
    rendering.render_sections(content, "en", lambda key: "")
    assert len(drawn) == 2
