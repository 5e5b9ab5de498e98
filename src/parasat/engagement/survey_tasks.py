"""Background work of the surveys: each respondent's link emailed in the
language chosen for it, by the task worker (hundreds of addresses at once)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from parasat.engagement import calendars
from parasat.engagement.models import SurveyToken


@task
def send_survey_links(*, token_ids: list[int]) -> int:
    """Email each respondent link not sent yet. Returns how many were sent."""
    sent = 0
    rows = SurveyToken.objects.filter(pk__in=token_ids, sent_at__isnull=True).select_related(
        "survey__review"
    )
    for token in rows:
        survey = token.survey
        with translation.override(token.language):
            link = calendars.site_url(
                reverse("engagement:survey_answer", args=[survey.review.slug, token.token])
            )
            text = render_to_string(
                "engagement/email/survey_link.txt", {"survey": survey, "link": link}
            )
        subject, _sep, body = text.strip().partition("\n")
        send_mail(subject.strip(), body.strip() + "\n", None, [token.email])
        SurveyToken.objects.filter(pk=token.pk).update(sent_at=timezone.now())
        sent += 1
    return sent
