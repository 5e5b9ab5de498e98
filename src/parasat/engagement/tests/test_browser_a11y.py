"""axe-core on the engagement's main pages and forms: no serious or critical
violations, on a desktop window and on a phone."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from parasat.conftest import sign_in
from parasat.core.testing.texts import tt
from parasat.engagement import services
from parasat.engagement.models import Event
from parasat.engagement.services import consultations, minutes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page, axe, path):
    page.goto(path)
    results = axe.run(page)
    assert results.response["passes"], f"axe did not run on {path}"
    return [
        f"{path}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_engagement_pages_have_no_serious_accessibility_violations(
    chromium_browser, live_server, review, persona
):
    review.is_public = True
    review.save()
    analyst = persona("analyst")
    services.events_plan(review=review)
    event = Event.objects.get(review=review, key="kickoff")
    event.starts_at = timezone.now() + dt.timedelta(days=30)
    event.save()
    services.agenda_item_add(
        event=event, title=tt("Opening"), presenter="OECD", duration_minutes=20
    )
    services.invitations_send(event=event, by=analyst, people=[persona("expert")])
    minutes.minutes_save(event=event, by=analyst, text=tt("We met."))
    now = timezone.now()
    consultation = consultations.consultation_open(
        review=review,
        by=analyst,
        title=tt("Draft findings"),
        description=tt("Tell us."),
        subject_kind="area_findings",
        channels=["civil_society", "public"],
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
    )
    consultations.contribution_submit(
        consultation=consultation,
        contributor=consultations.Contributor(channel="public", name="A", email="a@example.org"),
        text="A view.",
    )
    base = f"/reviews/{review.slug}"
    paths = [
        "/events/",
        f"/events/{event.pk}/",
        f"/events/{event.pk}/edit/",
        f"/events/{event.pk}/minutes/",
        "/consultations/",
        "/consultations/new/",
        f"/consultations/{consultation.pk}/",
        f"/consultations/{consultation.pk}/matrix/",
        f"/consultations/{consultation.pk}/contributions/1/",
    ]
    public = [f"/events/{event.pk}/public/", f"/consultations/{consultation.pk}/public/"]
    axe = Axe()
    failures = []
    for width in (1280, 390):
        context = chromium_browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        for path in public:
            failures += violations(page, axe, base + path)
        sign_in(page, analyst.username)
        for path in paths:
            failures += violations(page, axe, base + path)
        page.goto("about:blank")
        context.close()
    assert not failures, failures
