"""The part of the landing page ("My reviews") that is a contact person's
work: what is due from their ministries and what was returned to them, each
a link straight into the form (at the question, for a returned answer)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from parasat.assessment import selectors
from parasat.core.lib.urls import url_for_pks
from parasat.reviews.models import Review


def landing_section(request: HttpRequest, reviews: list[Review]) -> str:
    """HTML for the landing page, empty for whoever is no contact person."""
    if not request.user.is_authenticated:
        return ""
    work = selectors.landing_work(request.user, reviews, today=timezone.localdate())
    if not work:
        return ""
    for block in work:
        form = url_for_pks("assessment:assignment", block.review.slug)
        for row in block.due:
            row.url = form(row.assignment.pk)
        for answer in block.returned:
            answer.form_url = f"{form(answer.assignment_id)}#q-{answer.question.name}"
    return render_to_string(
        "assessment/_landing.html", {"work": work, "several": len(work) > 1}, request=request
    )
