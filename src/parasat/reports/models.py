"""A review's report and everything in it.

The *working text* (sections and their paragraphs) is what the team edits
while a stage is being drafted. Issuing a stage freezes the working text as a
:class:`ReportVersion` (the whole report as JSON, every language); comments
are made on a version, paragraph by paragraph, and answered before the next
stage begins. The read edition and the PDF are made from the final version,
never from the working text."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parasat.core.fields import TranslatedTextField
from parasat.reviews.disclosure import Confidentiality
from parasat.reviews.models import Review
from parasat.toolkit.models import PolicyArea

_USER = settings.AUTH_USER_MODEL


class Stage(models.TextChoices):
    """Annex I §IV steps 6–9, in order."""

    PRELIMINARY = "preliminary", _("Preliminary report")
    PEER_REVIEW = "peer_review", _("Draft for peer review")
    FINAL = "final", _("Final report")


STAGE_ORDER = [Stage.PRELIMINARY, Stage.PEER_REVIEW, Stage.FINAL]

# Who beyond the team and the government reads a stage's text: the
# preliminary report goes from the team to the government, the draft to the
# peer reviewers too, the final report to everyone once it is published.
STAGE_LEVEL = {
    Stage.PRELIMINARY: Confidentiality.TEAM,
    Stage.PEER_REVIEW: Confidentiality.PEERS,
    Stage.FINAL: Confidentiality.PUBLIC,
}


class Report(models.Model):
    """The report of one review, at one stage."""

    translation_scope = ("review", "report.draft")

    class State(models.TextChoices):
        DRAFTING = "drafting", _("Being drafted")
        ISSUED = "issued", _("Issued for comments")
        PUBLISHED = "published", _("Published")

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="report")
    title = TranslatedTextField(_("title"))
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.PRELIMINARY
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFTING
    )
    # Bumped by every change of the working text (any language), so two
    # editors cannot overwrite each other and a translation file knows its text.
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        _USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return str(self.review)

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFTING

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(Stage(self.stage))


class Section(models.Model):
    """One part of the working text: the front matter, the executive summary,
    the methodology, a chapter per policy area, an annex."""

    translation_scope = ("report__review", "report.draft")

    class Kind(models.TextChoices):
        FRONT = "front", _("Front matter")
        SUMMARY = "summary", _("Executive summary")
        METHODOLOGY = "methodology", _("Methodology")
        CHAPTER = "chapter", _("Chapter")
        ANNEX = "annex", _("Annex")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    # Stable within the report and used in links: "summary", "area-coi", "annex-recommendations".
    key = models.SlugField(_("key"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    title = TranslatedTextField(_("title"))
    area = models.ForeignKey(
        PolicyArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Bumped by every change of its paragraphs: the editor's guard against overwriting.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["report_id", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="unique_report_section_key"),
        ]

    def __str__(self) -> str:
        return self.key


class Paragraph(models.Model):
    """One block of a section's Markdown (a paragraph, a heading, a list, a
    table, a footnote, a figure) in every language, with an identifier that
    stays with it whatever changes elsewhere in the section."""

    translation_scope = ("section__report__review", "report.draft")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs")
    # "p-" and eight hex digits; unique in the report, never given again.
    pid = models.CharField(_("identifier"), max_length=16)
    order = models.PositiveIntegerField(_("order"))
    text = TranslatedTextField(_("text"), multiline=True)
    # What cross references may call it besides its identifier: "rec-COI-1".
    anchor = models.CharField(_("anchor"), max_length=40, blank=True)

    class Meta:
        ordering = ["section_id", "order"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["section", "pid"], name="unique_paragraph_id"),
        ]

    def __str__(self) -> str:
        return self.pid


class Figure(models.Model):
    """A chart drawn from the review's data (a Vega-Lite specification whose
    data is also shown as a table and offered for download)."""

    translation_scope = ("report__review", "report.draft")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="figures")
    key = models.SlugField(_("key"), max_length=60)
    title = TranslatedTextField(_("title"))
    alt = TranslatedTextField(_("text alternative"), multiline=True)
    # {"columns": [TranslatedText JSON...], "rows": [[...], ...], "chart": "ratings"}
    data = models.JSONField(_("data"), default=dict)

    class Meta:
        ordering = ["report_id", "key"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="unique_report_figure_key"),
        ]

    def __str__(self) -> str:
        return self.key


class ReportVersion(models.Model):
    """The report as it was issued at one stage: frozen, kept for ever."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    content = models.JSONField(_("content"), default=dict)
    # A digest of the content: a PDF built from it is kept until it changes.
    digest = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Set when the stage's comments are all answered and the next stage began.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["report_id", "number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version"),
            models.UniqueConstraint(fields=["report", "stage"], name="one_version_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"


class Response(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    NOTED = "noted", _("Noted")


class ReportComment(models.Model):
    """A comment on one paragraph of an issued version (optionally on a phrase
    quoted from it), and the team's response with its reason and the change."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="comments")
    section_key = models.SlugField(max_length=60)
    pid = models.CharField(_("paragraph"), max_length=16)
    quote = models.CharField(_("quoted phrase"), max_length=500, blank=True)
    body = models.TextField(_("comment"))
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("posted at"))
    response = models.CharField(_("response"), max_length=20, choices=Response.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    change = models.TextField(_("change made"), blank=True)
    responded_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["version_id", "created_at", "pk"]
        verbose_name = _("comment on a report")
        verbose_name_plural = _("comments on reports")
        indexes = [models.Index(fields=["version", "pid"], name="report_comment_paragraph_idx")]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def answered(self) -> bool:
        return bool(self.response)


class ReportPdf(models.Model):
    """A PDF built from one version in one language; kept until the version's
    text changes (its digest), so it is never built twice."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="pdfs")
    language = models.CharField(_("language"), max_length=8)
    digest = models.CharField(max_length=64)
    file = models.FileField(_("file"), upload_to="reports/pdf/")
    size = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(_("built"))

    class Meta:
        verbose_name = _("report PDF")
        verbose_name_plural = _("report PDFs")
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="one_pdf_per_language"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id}:{self.language}"
