"""The public tracker and the open data, signed out: what it shows, what it
never shows (a draft plan, a report for the government only), its cache
cleared by an accepted report, and a constant query count."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from parasat.actionplan import opendata, services
from parasat.actionplan.services import monitoring
from parasat.core.lib import pagecache
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db


def url(name, setup, *args):
    return reverse(f"tracker:{name}", args=[setup.review.slug, *args])


def accepted(setup, measure_code="1", value="40", period=dt.date(2016, 3, 31), **kw):
    indicator = setup.plan().measures.get(code=measure_code).indicators.get()
    report = monitoring.report_save(
        indicator=indicator,
        period_end=period,
        by=setup.contact,
        value=value,
        unit="percent",
        narrative=kw.pop("narrative", "Checked declarations."),
        **kw,
    )
    monitoring.report_submit(report=report, by=setup.contact)
    return monitoring.report_accept(report=report, by=setup.coordinator)


@pytest.fixture
def public(setup):
    setup.review.is_public = True
    setup.review.save()
    return setup


def test_a_draft_plan_or_a_private_review_is_not_on_the_tracker(setup):
    setup.measure()
    setup.review.is_public = True
    setup.review.save()
    assert Client().get(url("plan", setup)).status_code == 404  # a draft
    setup.review.is_public = False
    setup.review.save()
    setup.measure(setup.recommendations[1])
    setup.indicator(setup.plan().measures.get(code="1"))
    setup.indicator(setup.plan().measures.get(code="2"))
    services.plan_adopt(
        plan=setup.plan(), by=setup.coordinator, act_number="1", act_date=dt.date(2016, 1, 2)
    )
    assert Client().get(url("plan", setup)).status_code == 404  # not a public review


def test_signed_out_readers_follow_the_plan(public, adopted):
    accepted(public)
    client = Client()
    page = client.get(url("plan", public)).content.decode()
    assert "Verify declarations" in page and "COI" in page
    assert (
        "Organisation min-justice"
        in client.get(url("plan", public) + "?by=agency").content.decode()
    )
    measure = client.get(url("measure", public, "1")).content.decode()
    assert "Checked declarations." in measure and "<svg" in measure
    assert client.get(url("overdue", public)).status_code == 200
    assert client.get(url("measure", public, "99")).status_code == 404


def test_the_tracker_speaks_kazakh(public, adopted):
    client = Client()
    client.post(reverse("set_language"), {"language": "kk", "next": "/"})
    page = client.get(url("plan", public)).content.decode()
    assert "Декларацияларды тексеру" in page and "Ашық деректер" in page


def test_a_report_for_the_government_only_never_appears(public, adopted):
    _plan, (m1, _m2) = adopted
    accepted(public, narrative="Secret detail", confidentiality="government")
    monitoring.assessment_give(
        measure=m1,
        by=public.coordinator,
        source="government",
        level="substantial",
        text="Secret view",
        confidentiality="government",
    )
    client = Client()
    for name, args in (("measure", ["1"]), ("data_json", []), ("feed", [])):
        page = client.get(url(name, public, *args)).content.decode()
        assert "Secret detail" not in page and "Secret view" not in page, name
    body = b"".join(client.get(url("data_csv", public)).streaming_content).decode()
    assert "Secret detail" not in body and ",2016-03-31," not in body
    assert "substantial" not in body.split("\n", 1)[1]
    # Nor does either move the measure's public figures: value, progress, completion.
    m1.refresh_from_db()
    assert (m1.progress, m1.completion) == (0, "not_started")
    assert m1.indicators.get().latest_value is None


def test_an_accepted_report_clears_the_cached_pages(public, adopted):
    client = Client()
    assert "12.5" not in client.get(url("measure", public, "1")).content.decode()
    accepted(public, value="12.5")
    assert "12.5" in client.get(url("measure", public, "1")).content.decode()


def test_open_data_has_a_stable_schema_and_a_licence(public, persona, adopted):
    _plan, (m1, _m2) = adopted
    accepted(public)
    monitoring.assessment_give(
        measure=m1, by=public.coordinator, source="government", level="substantial", text="Ours"
    )
    monitoring.assessment_give(
        measure=m1,
        by=persona(Role.CIVIL_SOCIETY),
        source="civil_society",
        level="limited",
        text="Theirs",
    )
    monitoring.assessment_give(
        measure=m1,
        by=persona(Role.ANALYST),
        source="team",
        level="limited",
        text="Internal",
        confidentiality="team",
    )
    response = Client().get(url("data_csv", public))
    assert response.streaming and "license" in response["Link"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == opendata.HEADER
    reported = [r for r in rows[1:] if r[opendata.HEADER.index("period_end")]]
    assert reported[0][opendata.HEADER.index("value")] == "40"
    assert rows[0][-3:] == ["assessment_government", "assessment_team", "assessment_civil_society"]
    assert reported[0][-3:] == ["substantial", "", "limited"]
    data = json.loads(Client().get(url("data_json", public)).content)
    assert data["schema"] == opendata.SCHEMA and "CC BY 4.0" in data["licence"]
    assert data["measures"][0]["indicators"][0]["reports"][0]["value"] == "40"
    assert [(a["source"], a["level"], a["text"]) for a in data["measures"][0]["assessments"]] == [
        ("government", "substantial", "Ours"),
        ("civil_society", "limited", "Theirs"),
    ]
    assert "Internal" not in json.dumps(data)
    page = Client().get(url("data", public)).content.decode()
    assert "period_end" in page and "CC BY 4.0" in page
    feed = Client().get(url("feed", public))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Measure 1, indicator 1: 40" in feed.content.decode()
    assert "Measure 1 assessed by Civil society: Limited" in feed.content.decode()
    assert "Measure 1 assessed by Government: Substantial" in feed.content.decode()
    assert "Analytical team" not in feed.content.decode()  # marked for the team


def test_tracker_pages_keep_a_constant_query_count(public, django_assert_max_num_queries, adopted):
    plan, _measures = adopted
    accepted(public)
    pages = [
        url("plan", public),
        url("plan", public) + "?by=agency",
        url("measure", public, "1"),
        url("overdue", public),
    ]
    counts = []
    for page in pages:
        with django_assert_max_num_queries(20) as ctx:
            Client().get(page + ("&" if "?" in page else "?") + "fresh=1")
        counts.append(len(ctx.captured_queries))
    services.plan_amend(plan=plan, by=public.coordinator, reason="More")
    # More of every kind: measures (2, then 6), parts (0, then 2), indicators, reports.
    for n in range(2):
        m = public.measure(public.recommendations[n % 2])
        public.indicator(m)
        public.indicator(public.measure(parent=m, recommendation_ids=[]))
    services.plan_adopt(
        plan=plan, by=public.coordinator, act_number="2", act_date=dt.date(2016, 2, 1)
    )
    accepted(public, period=dt.date(2016, 6, 30))
    for page, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            Client().get(page + ("&" if "?" in page else "?") + "fresh=2")


def test_a_large_group_is_previewed_and_paged(public, monkeypatch, adopted):
    monkeypatch.setattr("parasat.actionplan.tracker.GROUP_PREVIEW", 1)
    monkeypatch.setattr("parasat.actionplan.tracker.PAGE_SIZE", 1)
    client = Client()
    page = client.get(url("plan", public)).content.decode()
    assert "All 2 measures of this group" in page
    assert "Measure 2" not in page
    page = client.get(url("plan", public) + "?group=COI&page=2").content.decode()
    assert "Measure 2" in page and "Page 2 of 2" in page
    assert client.get(url("plan", public) + "?group=NOPE").status_code == 404


def _pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 " + name.encode(), content_type="application/pdf")


def test_each_assessment_and_report_shows_its_public_evidence(public, persona, adopted):
    indicator = public.plan().measures.get(code="1").indicators.get()
    shown, hidden = [], []
    for period, level in ((dt.date(2016, 3, 31), "public"), (dt.date(2016, 6, 30), "government")):
        report = monitoring.report_save(
            indicator=indicator,
            period_end=period,
            by=public.contact,
            value="10",
            unit="percent",
            narrative=f"Report {level}",
            confidentiality=level,
        )
        item = monitoring.evidence_add_file(
            report=report, by=public.contact, upload=_pdf(f"{level}.pdf"), confidentiality="public"
        )
        (shown if level == "public" else hidden).append(item)
        hidden.append(
            monitoring.evidence_add_file(
                report=report,
                by=public.contact,
                upload=_pdf(f"team-{level}.pdf"),
                confidentiality="team",
            )
        )
        monitoring.report_submit(report=report, by=public.contact)
        monitoring.report_accept(report=report, by=public.coordinator)
    m1 = indicator.measure
    ours = monitoring.assessment_give(
        measure=m1, by=public.coordinator, source="government", level="limited", text="Ours"
    )
    shown.append(
        monitoring.evidence_add_reference(
            assessment=ours,
            by=public.coordinator,
            kind="link",
            title="Ministry's report",
            url="https://example.org/report",
            confidentiality="public",
        )
    )
    theirs = monitoring.assessment_give(
        measure=m1,
        by=persona(Role.CIVIL_SOCIETY),
        source="civil_society",
        level="not_started",
        text="Theirs",
    )
    shown.append(
        monitoring.evidence_add_file(
            assessment=theirs,
            by=persona(Role.CIVIL_SOCIETY),
            upload=_pdf("watchdog.pdf"),
            confidentiality="public",
        )
    )
    client = Client()
    page = client.get(url("measure", public, "1")).content.decode()
    assert "Ours" in page and "Theirs" in page
    assert "public.pdf" in page and "Ministry&#x27;s report" in page and "watchdog.pdf" in page
    assert "https://example.org/report" in page
    for item in hidden:
        assert item.title not in page
        assert client.get(url("evidence", public, item.pk)).status_code == 404
    for item in shown:
        if item.kind == "file":
            response = client.get(url("evidence", public, item.pk))
            assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    # A superseded assessment's evidence is no longer shown.
    monitoring.assessment_give(
        measure=m1,
        by=persona(Role.CIVIL_SOCIETY),
        source="civil_society",
        level="limited",
        text="Later",
    )
    assert "watchdog.pdf" not in client.get(url("measure", public, "1")).content.decode()
    assert client.get(url("evidence", public, shown[-1].pk)).status_code == 404


def test_a_cached_tracker_page_is_served_without_a_query(
    public, django_assert_num_queries, adopted
):
    accepted(public)
    for page in (url("plan", public), url("measure", public, "1"), url("overdue", public)):
        first = Client().get(page)
        with django_assert_num_queries(0):
            again = Client().get(page)
        assert first.status_code == again.status_code == 200
        assert "Anti-corruption action plan" in again.content.decode()
    public.review.is_public = False
    public.review.save()
    assert Client().get(url("plan", public)).status_code == 404  # the token moved on


def test_the_open_data_csv_streams_in_pieces_and_keeps_its_queries(
    public, monkeypatch, django_assert_max_num_queries, adopted
):
    plan, _measures = adopted
    accepted(public)
    monkeypatch.setattr(opendata, "LINES_PER_CHUNK", 2)
    with django_assert_max_num_queries(8) as ctx:
        chunks = list(opendata.csv_rows(plan, dt.date(2016, 5, 1)))
    lines = "".join(chunks).splitlines()
    assert len(lines) == 3 and len(chunks) == 2  # header + 2 rows, two lines a piece
    services.plan_amend(plan=plan, by=public.coordinator, reason="More")
    for n in range(5):
        m = public.measure(public.recommendations[n % 2])
        public.indicator(m)
    services.plan_adopt(
        plan=plan, by=public.coordinator, act_number="2", act_date=dt.date(2016, 2, 1)
    )
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert len("".join(opendata.csv_rows(plan, dt.date(2016, 5, 1))).splitlines()) == 8


def test_a_cached_tracker_page_is_kept_in_the_process(public, monkeypatch, adopted):
    page = url("plan", public)
    assert Client().get(page).status_code == 200
    reads = []

    class Watched:
        def get(self, key, *args):
            reads.append(key)
            return cache.get(key, *args)

        def __getattr__(self, name):
            return getattr(cache, name)

    monkeypatch.setattr(pagecache, "cache", Watched())
    again = Client().get(page)
    assert again.status_code == 200 and "Verify declarations" in again.content.decode()
    assert not [k for k in reads if k.startswith("page:")]
    accepted(public, value="33")  # a new token: the kept page is not used again
    assert "33" in Client().get(url("measure", public, "1")).content.decode()
