"""An Atom feed of a plan's updates: each adopted version, each report and
each assessment of a measure (the government's own and the independent ones)
the public reads, newest first (Django's syndication framework)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from parasat.actionplan import access
from parasat.actionplan.models import MeasureAssessment, Plan, PlanVersion
from parasat.actionplan.tracker import public_reports
from parasat.reviews.disclosure import Audience

ITEMS = 50


@dataclass
class Update:
    title: str
    description: str
    link: str
    at: dt.datetime
    key: str


class PlanFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Plan:
        _review, plan = access.public_plan(slug)
        return plan

    def title(self, obj: Plan) -> str:
        return _("%(plan)s: updates") % {"plan": obj.title}

    def link(self, obj: Plan) -> str:
        return reverse("tracker:plan", args=[obj.review.slug])

    def subtitle(self, obj: Plan) -> str:
        return _(
            "Adopted versions of the action plan, accepted progress reports and "
            "assessments of measures."
        )

    def items(self, obj: Plan) -> list[Update]:
        slug = obj.review.slug
        updates = [
            Update(
                title=_("Version %(number)s adopted by act No. %(act)s")
                % {"number": v.number, "act": v.act_number},
                description=v.reason,
                link=reverse("tracker:plan", args=[slug]),
                at=v.adopted_at,
                key=f"version-{v.number}",
            )
            for v in PlanVersion.objects.filter(plan=obj).order_by("-number")[:ITEMS]
        ]
        reports = (
            public_reports(obj.review_id)
            .select_related("indicator__measure")
            .order_by("-decided_at")[:ITEMS]
        )
        for r in reports:
            measure = r.indicator.measure
            updates.append(
                Update(
                    title=_(
                        "Measure %(code)s, indicator %(number)s: %(value)s (period ending %(date)s)"
                    )
                    % {
                        "code": measure.code,
                        "number": r.indicator.number,
                        "value": f"{r.value.normalize():f}" if r.value is not None else "—",
                        "date": r.period_end.isoformat(),
                    },
                    description=r.narrative,
                    link=reverse("tracker:measure", args=[slug, measure.code]),
                    at=r.decided_at,
                    key=f"report-{r.pk}",
                )
            )
        assessments = (
            access.readable_assessments(Audience.public(obj.review_id))
            .select_related("measure")
            .order_by("-given_at")[:ITEMS]
        )
        for a in assessments:
            updates.append(
                Update(
                    title=_("Measure %(code)s assessed by %(source)s: %(level)s")
                    % {
                        "code": a.measure.code,
                        "source": MeasureAssessment.Source(a.source).label,
                        "level": a.get_level_display(),
                    },
                    description=a.text,
                    link=reverse("tracker:measure", args=[slug, a.measure.code]),
                    at=a.given_at,
                    key=f"assessment-{a.pk}",
                )
            )
        updates.sort(key=lambda u: u.at, reverse=True)
        return updates[:ITEMS]

    def item_title(self, item: Update) -> str:
        return item.title

    def item_description(self, item: Update) -> str:
        return item.description

    def item_link(self, item: Update) -> str:
        return f"{item.link}#{item.key}"

    def item_pubdate(self, item: Update) -> dt.datetime:
        return item.at

    def item_updateddate(self, item: Update) -> dt.datetime:
        return item.at

    def item_guid(self, item: Update) -> Any:
        return item.key
