"""The first text of a report, drafted from the review's own data: the front
matter, an executive summary, the methodology (timeline, events held,
questionnaires, who took part), one chapter per policy area from its agreed
assessment (context, findings, ratings, recommendations), and the annexes
(the recommendations, the events, the questionnaires, the references, a
glossary). Every generated sentence is written in each
content language from the interface's catalogues; the analysis's own texts
keep the translations they have (and their stale marks)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parasat.analysis.models import (
    AreaAssessment,
    Finding,
    GovernmentRating,
    Rating,
    Recommendation,
)
from parasat.assessment.models import Assignment
from parasat.core.lib.translated import SOURCE_LANGUAGE, TranslatedText, content_languages
from parasat.engagement.models import Event
from parasat.reports.markdown import split_blocks
from parasat.reviews.models import Participant, Party, Phase, Review, Role
from parasat.reviews.selectors import review_start
from parasat.toolkit.models import Instrument, PolicyArea, Provision


@dataclass
class DraftParagraph:
    text: TranslatedText
    anchor: str = ""


@dataclass
class DraftSection:
    key: str
    kind: str
    title: TranslatedText
    area: PolicyArea | None = None
    paragraphs: list[DraftParagraph] = field(default_factory=list)

    def add(self, text: TranslatedText, anchor: str = "") -> None:
        if text:
            self.paragraphs.append(DraftParagraph(text, anchor))


@dataclass
class DraftFigure:
    key: str
    title: TranslatedText
    alt: TranslatedText
    data: dict


def each_language(write: Callable[[], str]) -> TranslatedText:
    """``write()`` called in every content language (interface strings translated)."""
    texts = {}
    for language in content_languages():
        with translation.override(language):
            texts[language] = write()
    return TranslatedText.fresh(texts)


def joined(*parts: TranslatedText | Callable[[], str] | str, sep: str = " ") -> TranslatedText:
    """Parts in every language, side by side; an analysis text missing in a
    language is taken in English, and the paragraph is stale where a part is."""
    texts: dict[str, str] = {}
    current: set[str] = set()
    for language in content_languages():
        pieces = []
        fresh = True
        with translation.override(language):
            for part in parts:
                if isinstance(part, TranslatedText):
                    shown = part.render(language)
                    pieces.append(shown.text)
                    fresh = fresh and (language == SOURCE_LANGUAGE or shown.status == "ok")
                else:
                    pieces.append(part() if callable(part) else part)
        texts[language] = sep.join(p for p in pieces if p)
        if fresh:
            current.add(language)
    made = TranslatedText.fresh(texts)
    # Languages resting on a missing or stale analysis text are marked stale.
    data = made.to_json()
    data["_from"] = {k: v for k, v in data.get("_from", {}).items() if k in current}
    return TranslatedText.from_json(data)


def _date(day: dt.date | None) -> str:
    return formats.date_format(day, "j E Y") if day else _("not yet fixed")


def _name(value: TranslatedText) -> str:
    return TranslatedText.from_json(value).render().text


def draft(review: Review) -> tuple[TranslatedText, list[DraftSection], list[DraftFigure]]:
    """The title, sections and figures of a new report of ``review``."""
    assessments = list(
        AreaAssessment.objects.filter(review=review, state=AreaAssessment.State.AGREED)
        .select_related("area")
        .prefetch_related(
            Prefetch(
                "findings",
                Finding.objects.filter(withdrawn_at__isnull=True)
                .prefetch_related("provisions__instrument")
                .order_by("number"),
            ),
            Prefetch("ratings", Rating.objects.select_related("scale", "level")),
            Prefetch(
                "government_ratings",
                GovernmentRating.objects.filter(superseded_at__isnull=True).select_related(
                    "scale", "level"
                ),
            ),
            Prefetch(
                "recommendations",
                Recommendation.objects.exclude(state=Recommendation.State.WITHDRAWN)
                .prefetch_related("agencies")
                .order_by("number"),
            ),
        )
        .order_by("area__order")
    )
    title = each_language(
        lambda: _("Integrity review of %(country)s") % {"country": _name(review.country_name)}
    )
    sections = [
        _front(review),
        _summary(review, assessments),
        _methodology(review, assessments),
        *(_chapter(a) for a in assessments),
        _annex_recommendations(assessments),
        _annex_events(review),
        _annex_questionnaires(review),
        _annex_references(assessments),
        _annex_glossary(),
    ]
    return title, sections, [_ratings_figure(assessments), _findings_figure(assessments)]


def _front(review: Review) -> DraftSection:
    section = DraftSection("front", "front", each_language(lambda: _("About this report")))
    body = review.responsible_body
    section.add(
        each_language(
            lambda: (
                _(
                    "This report was written by the analytical team of the OECD under the "
                    "agreement on the integrity review of %(country)s. It sets out the "
                    "team's assessment of each policy area and the priority reforms it "
                    "recommends."
                )
                % {"country": _name(review.country_name)}
            )
        )
    )
    section.add(each_language(lambda: "## " + _("Acknowledgements")))
    section.add(
        each_language(
            lambda: (
                _(
                    "The OECD thanks the Government of %(country)s for its contribution to "
                    "this review: %(body)s co-ordinated the government's work, and the "
                    "ministries answered the questionnaires, provided the evidence and "
                    "commented on the drafts."
                )
                % {"country": _name(review.country_name), "body": _name(body.name)}
            )
        )
    )
    section.add(each_language(lambda: "## " + _("Copyright and reuse")))
    section.add(
        each_language(
            lambda: (
                _(
                    "© OECD %(year)s. The OECD holds the copyright of this report. The "
                    "government may publish it in full on its own web site. You may copy, "
                    "download or print it for your own use and include excerpts in your "
                    "own documents, provided the OECD is acknowledged as the source and "
                    "copyright owner."
                )
                % {"year": timezone.localdate().year}
            )
        )
    )
    section.add(
        each_language(
            lambda: _(
                "This report is published in English, Kazakh and Russian. In case of "
                "any difference between them, the English text prevails."
            )
        )
    )
    return section


def _rating_line(assessment: AreaAssessment) -> Callable[[], str]:
    ratings = list(assessment.ratings.all())

    def write() -> str:
        if not ratings:
            return _("%(area)s has not been rated.") % {"area": _name(assessment.area.name)}
        rating = ratings[0]
        return _("%(area)s: rated %(level)s on the scale %(scale)s.") % {
            "area": _name(assessment.area.name),
            "level": _name(rating.level.name),
            "scale": _name(rating.scale.name),
        }

    return write


def _summary(review: Review, assessments: list[AreaAssessment]) -> DraftSection:
    section = DraftSection("summary", "summary", each_language(lambda: _("Executive summary")))
    count = len(assessments)
    section.add(
        each_language(
            lambda: (
                ngettext(
                    "The review assessed %(count)s policy area against international good "
                    "practice. Its ratings are shown in [@fig:ratings].",
                    "The review assessed %(count)s policy areas against international good "
                    "practice. Their ratings are shown in [@fig:ratings].",
                    count,
                )
                % {"count": count}
            )
        )
    )
    for assessment in assessments:
        urgent = [r.code for r in assessment.recommendations.all() if r.priority == "urgent"]
        refs = ", ".join(f"[@rec:{code}]" for code in urgent)
        section.add(
            joined(
                _rating_line(assessment),
                (lambda refs=refs: _("Urgent: %(codes)s.") % {"codes": refs}) if refs else "",
                lambda a=assessment: _("See [@sec:%(key)s].") % {"key": _area_key(a.area)},
            )
        )
    section.add(TranslatedText.fresh(dict.fromkeys(content_languages(), "{{figure:ratings}}")))
    if any(a.findings.all() for a in assessments):
        section.add(
            each_language(
                lambda: _(
                    "The strengths, weaknesses and gaps the review found in each area are "
                    "counted in [@fig:findings]."
                )
            )
        )
        section.add(TranslatedText.fresh(dict.fromkeys(content_languages(), "{{figure:findings}}")))
    return section


def _area_key(area: PolicyArea) -> str:
    return f"area-{area.code.lower()}"


def _methodology(review: Review, assessments: list[AreaAssessment]) -> DraftSection:
    section = DraftSection("methodology", "methodology", each_language(lambda: _("Methodology")))
    parties = list(Party.objects.filter(review=review).prefetch_related("signatures"))
    start, _placeholder = review_start(parties)
    phases = list(Phase.objects.filter(review=review).order_by("order"))
    section.add(each_language(lambda: "## " + _("Timeline")))
    section.add(
        each_language(
            lambda: (
                ngettext(
                    "The review began on %(start)s, the date of the last signature of the "
                    "agreement, and runs for %(months)s month.",
                    "The review began on %(start)s, the date of the last signature of the "
                    "agreement, and runs for %(months)s months.",
                    review.duration_months,
                )
                % {"start": _date(start), "months": review.duration_months}
            )
        )
    )
    if phases:
        section.add(
            each_language(
                lambda: "\n".join(
                    "- "
                    + ngettext(
                        "%(name)s: %(months)s month", "%(name)s: %(months)s months", p.months
                    )
                    % {"name": _name(p.name), "months": p.months}
                    for p in phases
                )
            )
        )
    held = list(_events_held(review))
    section.add(each_language(lambda: "## " + _("Events")))
    section.add(each_language(lambda: _events_sentence(held)))
    assignments = Assignment.objects.filter(review=review)
    questionnaires = assignments.values("questionnaire").distinct().count()
    ministries = assignments.values("ministry").distinct().count()
    section.add(each_language(lambda: "## " + _("Questionnaires")))
    section.add(
        each_language(
            lambda: (
                _(
                    "The government answered the review's questionnaires (questionnaires "
                    "assigned: %(questionnaires)s; ministries and agencies: %(ministries)s). "
                    "Policy areas the analytical team assessed from their answers and "
                    "evidence: %(areas)s."
                )
                % {
                    "questionnaires": questionnaires,
                    "ministries": ministries,
                    "areas": len(assessments),
                }
                + " "
                + _("They are listed in [@sec:annex-questionnaires].")
            )
        )
    )
    roles = Counter(
        Participant.objects.filter(review=review, active=True).values_list("role", flat=True)
    )
    section.add(each_language(lambda: "## " + _("Who took part")))
    section.add(
        each_language(
            lambda: (
                "\n".join(f"- {Role(role).label}: {count}" for role, count in sorted(roles.items()))
                or _("No participants are recorded yet.")
            )
        )
    )
    return section


def _chapter(assessment: AreaAssessment) -> DraftSection:
    area = assessment.area
    section = DraftSection(_area_key(area), "chapter", TranslatedText.from_json(area.name), area)
    if assessment.context:
        section.add(each_language(lambda: "## " + _("Context")))
        context = TranslatedText.from_json(assessment.context)
        blocks = {lang: split_blocks(context.get(lang)) for lang in content_languages()}
        english = blocks[SOURCE_LANGUAGE]
        if len(english) == 1:
            section.add(context)
        else:
            for i, block in enumerate(english):
                texts = {"en": block}
                for lang, parts in blocks.items():
                    if lang != SOURCE_LANGUAGE and len(parts) == len(english):
                        texts[lang] = parts[i]
                section.add(TranslatedText.fresh(texts))
    findings = list(assessment.findings.all())
    if findings:
        section.add(each_language(lambda: "## " + _("Findings")))
        for finding in findings:
            codes = sorted({p.instrument.code for p in finding.provisions.all()})
            cites = "; ".join(f"[@cite:{code}]" for code in codes)
            section.add(
                joined(
                    lambda f=finding: f"**{f.code}** ({f.get_kind_display().lower()}).",
                    TranslatedText.from_json(finding.text),
                    f"({cites})" if cites else "",
                ),
                anchor=f"finding-{finding.code}",
            )
    ratings = list(assessment.ratings.all())
    government = {g.scale_id: g for g in assessment.government_ratings.all()}
    if ratings:
        section.add(each_language(lambda: "## " + _("Ratings")))
        for rating in ratings:
            section.add(
                joined(
                    lambda r=rating: (
                        _(
                            "On the scale *%(scale)s*, the analytical team rates the area "
                            "**%(level)s**."
                        )
                        % {"scale": _name(r.scale.name), "level": _name(r.level.name)}
                    ),
                    TranslatedText.from_json(rating.justification),
                )
            )
            theirs = government.get(rating.scale_id)
            if theirs is not None:
                section.add(
                    joined(
                        lambda g=theirs: (
                            _("The government rates it **%(level)s**.")
                            % {"level": _name(g.level.name)}
                        ),
                        TranslatedText.from_json(theirs.justification),
                    )
                )
    recommendations = list(assessment.recommendations.all())
    if recommendations:
        section.add(each_language(lambda: "## " + _("Recommendations")))
        for rec in recommendations:
            section.add(
                joined(
                    lambda r=rec: f"**{r.code}** ({r.get_priority_display().lower()}).",
                    TranslatedText.from_json(rec.text),
                ),
                anchor=f"rec-{rec.code}",
            )
    return section


def _annex_recommendations(assessments: list[AreaAssessment]) -> DraftSection:
    section = DraftSection(
        "annex-recommendations", "annex", each_language(lambda: _("List of recommendations"))
    )
    rows = [r for a in assessments for r in a.recommendations.all()]
    if not rows:
        section.add(each_language(lambda: _("The report makes no recommendation yet.")))
        return section

    def table() -> str:
        head = f"| {_('Code')} | {_('Priority')} | {_('Recommendation')} |\n|---|---|---|\n"
        lines = []
        for r in rows:
            text = TranslatedText.from_json(r.text).render().text.replace("|", "\\|")
            text = " ".join(text.split())
            lines.append(f"| [@rec:{r.code}] | {r.get_priority_display()} | {text} |")
        return head + "\n".join(lines)

    section.add(each_language(table))
    return section


def _events_held(review: Review):
    """The review's events that have taken place, in the order they were held."""
    return (
        Event.objects.filter(review=review, starts_at__lte=timezone.now())
        .select_related("phase")
        .order_by("starts_at", "pk")
    )


def _events_sentence(held: list[Event]) -> str:
    if not held:
        return _("No event of the review has been held yet.")
    kinds = ", ".join(dict.fromkeys(str(e.get_kind_display()).lower() for e in held))
    return (
        ngettext(
            "%(count)s event was held during the review (%(kinds)s).",
            "%(count)s events were held during the review (%(kinds)s).",
            len(held),
        )
        % {"count": len(held), "kinds": kinds}
        + " "
        + _("They are listed in [@sec:annex-events].")
    )


def _cell(value: str) -> str:
    return " ".join((value or "").replace("|", "\\|").split())


def _annex_events(review: Review) -> DraftSection:
    section = DraftSection("annex-events", "annex", each_language(lambda: _("Events")))
    held = list(_events_held(review))
    if not held:
        section.add(each_language(lambda: _("No event of the review has been held yet.")))
        return section

    def table() -> str:
        head = f"| {_('Date')} | {_('Event')} | {_('Kind')} | {_('Place')} |\n|---|---|---|---|\n"
        lines = [
            "| {} | {} | {} | {} |".format(
                formats.date_format(timezone.localtime(e.starts_at), "j E Y"),
                _cell(_name(e.title)),
                _cell(str(e.get_kind_display())),
                _cell(_name(e.place)) or "—",
            )
            for e in held
        ]
        return head + "\n".join(lines)

    section.add(each_language(table))
    return section


def _annex_questionnaires(review: Review) -> DraftSection:
    section = DraftSection(
        "annex-questionnaires", "annex", each_language(lambda: _("Questionnaires"))
    )
    assignments = list(
        Assignment.objects.filter(review=review)
        .select_related("questionnaire__area", "ministry")
        .order_by("questionnaire__area__order", "questionnaire__identifier")
    )
    if not assignments:
        section.add(each_language(lambda: _("No questionnaire has been assigned yet.")))
        return section

    def table() -> str:
        head = (
            f"| {_('Questionnaire')} | {_('Policy area')} | {_('Answered by')} | {_('Due on')} |"
            "\n|---|---|---|---|\n"
        )
        lines = [
            "| {} | {} | {} | {} |".format(
                _cell(_name(a.questionnaire.title)),
                _cell(_name(a.questionnaire.area.name)) if a.questionnaire.area else "—",
                _cell(_name(a.ministry.short_name) or _name(a.ministry.name)),
                formats.date_format(a.due_on, "j E Y"),
            )
            for a in assignments
        ]
        return head + "\n".join(lines)

    section.add(each_language(table))
    return section


# The anchor of the references' "nothing cited yet", replaced by the first citation.
NO_REFERENCES = "no-references"


def _annex_references(assessments: list[AreaAssessment]) -> DraftSection:
    section = DraftSection("annex-references", "annex", each_language(lambda: _("References")))
    provisions: dict[str, Provision] = {}
    for assessment in assessments:
        for finding in assessment.findings.all():
            for provision in finding.provisions.all():
                provisions[provision.key] = provision
    instruments = {p.instrument.code: p.instrument for p in provisions.values()}
    if not instruments:
        section.add(
            each_language(lambda: _("No international standard is cited yet.")),
            anchor=NO_REFERENCES,
        )
        return section
    for code in sorted(instruments):
        instrument = instruments[code]
        cited = sorted(p.ref for p in provisions.values() if p.instrument_id == instrument.pk)
        section.add(reference_text(instrument, cited), anchor=f"ref-{instrument.code}")
    return section


def reference_text(instrument: Instrument, cited: list[str]) -> TranslatedText:
    """A work's entry in the references: its name, publisher and year, the
    provisions the report cites and its official text; ``[@cite:CODE]`` links
    to it."""
    link = f" <{instrument.url}>" if instrument.url else ""
    refs = ", ".join(cited)
    return joined(
        f"**{instrument.code}**.",
        TranslatedText.from_json(instrument.name),
        lambda i=instrument: (
            f"({i.publisher + ', ' if i.publisher else ''}{i.year or ''})."
            + (" " + _("Cited: %(refs)s.") % {"refs": refs} if refs else "")
            + link
        ),
    )


GLOSSARY = [
    (
        lambda: _("Analytical team"),
        lambda: _("The OECD's analysts, experts and local consultant who assess the areas."),
    ),
    (
        lambda: _("Peer reviewers"),
        lambda: _(
            "Officials of member countries who examine the draft report with the government."
        ),
    ),
    (
        lambda: _("Policy area"),
        lambda: _("One of the parts of the integrity system the review assesses."),
    ),
    (
        lambda: _("Recommendation"),
        lambda: _("A priority reform the report proposes, with a stable code such as COI-1."),
    ),
]


def _annex_glossary() -> DraftSection:
    section = DraftSection("annex-glossary", "annex", each_language(lambda: _("Glossary")))
    for term, meaning in GLOSSARY:
        section.add(each_language(lambda t=term, m=meaning: f"**{t()}**: {m()}"))
    return section


def _ratings_figure(assessments: list[AreaAssessment]) -> DraftFigure:
    """The team's and the government's rating of every area on the first scale."""
    rows = []
    for assessment in assessments:
        ratings = list(assessment.ratings.all())
        if not ratings:
            continue
        rating = ratings[0]
        government = {g.scale_id: g for g in assessment.government_ratings.all()}.get(
            rating.scale_id
        )
        rows.append(
            [
                assessment.area.code,
                TranslatedText.from_json(assessment.area.name).to_json(),
                TranslatedText.from_json(rating.level.name).to_json(),
                TranslatedText.from_json(government.level.name).to_json() if government else {},
            ]
        )
    scale = next((a.ratings.all()[0].scale for a in assessments if a.ratings.all()), None)
    levels = (
        [TranslatedText.from_json(lv.name).to_json() for lv in scale.levels.all()] if scale else []
    )
    return DraftFigure(
        key="ratings",
        title=each_language(lambda: _("Ratings of the policy areas")),
        alt=each_language(
            lambda: _(
                "A chart of each policy area's rating: the analytical team's beside "
                "the government's. The table below gives the same data."
            )
        ),
        data={
            "chart": "ratings",
            "rows": rows,
            "levels": levels,
            # The scale's name titles the chart's axis, as on the analysis page.
            "scale": TranslatedText.from_json(scale.name).to_json() if scale else {},
        },
    )


def _findings_figure(assessments: list[AreaAssessment]) -> DraftFigure:
    """How many strengths, weaknesses and gaps the review found in each area."""
    rows = []
    for assessment in assessments:
        kinds = Counter(f.kind for f in assessment.findings.all())
        rows.append(
            [
                assessment.area.code,
                TranslatedText.from_json(assessment.area.name).to_json(),
                kinds[Finding.Kind.STRENGTH],
                kinds[Finding.Kind.WEAKNESS],
                kinds[Finding.Kind.GAP],
            ]
        )
    return DraftFigure(
        key="findings",
        title=each_language(lambda: _("Findings of the policy areas")),
        alt=each_language(
            lambda: _(
                "A bar chart of the number of strengths, weaknesses and gaps found in "
                "each policy area. The table below gives the same data."
            )
        ),
        data={"chart": "findings", "rows": rows},
    )
