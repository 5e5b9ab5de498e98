"""The integrity toolkit: pillars and policy areas of the terms of reference
(Annex I §II), the international instruments and provisions they rest on, and
versioned questionnaires that travel as XLSForm."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parasat.core.fields import TranslatedTextField
from parasat.core.lib.translated import TranslatedText
from parasat.core.models import TimeStampedModel


class Pillar(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))
    name = TranslatedTextField(_("name"))
    description = TranslatedTextField(_("description"), blank=True, multiline=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")

    def __str__(self) -> str:
        return str(self.name)


class PolicyArea(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    pillar = models.ForeignKey(
        Pillar, verbose_name=_("pillar"), on_delete=models.PROTECT, related_name="areas"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = TranslatedTextField(_("name"))
    description = TranslatedTextField(_("description"), blank=True, multiline=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")

    def __str__(self) -> str:
        return str(self.name)


class Instrument(models.Model):
    """An international standard: a convention, recommendation, code or guidelines."""

    class Kind(models.TextChoices):
        CONVENTION = "convention", _("Convention")
        RECOMMENDATION = "recommendation", _("Recommendation")
        GUIDELINES = "guidelines", _("Guidelines")
        STANDARD = "standard", _("Standard")
        PRINCIPLES = "principles", _("Principles")
        DECLARATION = "declaration", _("Declaration")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("official text"), max_length=500, blank=True)
    name = TranslatedTextField(_("name"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.code


class Provision(models.Model):
    """An article, principle or recommendation of an instrument, e.g. ``UNCAC:art.5(3)``,
    in the instrument's own numbering; or, marked ``is_paraphrase``, a passage
    Parasat could not tie to such a number (``OECD-COI:disclosure``), which is
    shown as Parasat's own paraphrase and never as a provision number."""

    key = models.CharField(_("key"), max_length=80, unique=True)
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="provisions",
    )
    ref = models.CharField(_("reference"), max_length=60)
    url = models.URLField(_("link"), max_length=500, blank=True)
    text = TranslatedTextField(_("paraphrase"))
    is_paraphrase = models.BooleanField(
        _("Parasat's own paraphrase"),
        default=False,
        help_text=_(
            "The reference is not a number of the instrument: the text is Parasat's "
            "summary of a passage, shown as such."
        ),
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")

    def __str__(self) -> str:
        return self.key

    @property
    def link(self) -> str:
        return self.url or self.instrument.url

    @property
    def citation(self) -> str:
        """What pages show: the key of a numbered provision; for Parasat's own
        paraphrase only the instrument's code, so that no number is implied."""
        return self.key.split(":", 1)[0] if self.is_paraphrase else self.key


class Questionnaire(TimeStampedModel):
    """One version of a questionnaire. A version used by a review is frozen:
    changes make a new version, and answers stay tied to the one they answered."""

    class Source(models.TextChoices):
        BANK = "bank", _("Shipped question bank")
        IMPORT = "import", _("Imported XLSForm")
        COPY = "copy", _("New version")

    identifier = models.CharField(_("identifier"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    area = models.ForeignKey(
        PolicyArea,
        verbose_name=_("policy area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text=_("Empty until someone files the questionnaire under an area."),
    )
    title = TranslatedTextField(_("title"))
    description = TranslatedTextField(_("description"), blank=True, multiline=True)
    frozen = models.BooleanField(
        _("in use"), default=False, help_text=_("Used by a review: changes need a new version.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The XLSForm settings row ({header: value}), the header order of every
    # sheet, and whatever sheets Parasat does not use, so export gives them back.
    settings = models.JSONField(_("XLSForm settings"), default=dict, blank=True)
    columns = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["area__order", "identifier", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["identifier", "version"], name="unique_questionnaire_version"
            ),
        ]
        # The toolkit is shared by every review, so managing it is a right granted
        # on the account (to a person or a group, in the administration), never
        # a consequence of a role in some review (see toolkit.access).
        permissions = [
            (
                "manage_toolkit",
                _("Can manage the shared toolkit (import questionnaires, make versions)"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.identifier} v{self.version}"

    @property
    def in_use(self) -> bool:
        return self.frozen


def _questionnaire_changed(**lookup: Any) -> None:
    """A question, list or choice of the questionnaire found by ``lookup`` was
    saved or deleted: renew its ``updated_at``, under which the answer form
    keeps what it drew of a questionnaire in use (parasat.assessment.frozen).
    The texts of a version in use stay editable in the administration."""
    Questionnaire.objects.filter(**lookup).update(updated_at=timezone.now())


class ChoiceList(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="choice_lists"
    )
    name = models.CharField(_("list name"), max_length=200)

    class Meta:
        ordering = ["questionnaire", "pk"]
        verbose_name = _("choice list")
        verbose_name_plural = _("choice lists")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "name"], name="unique_choice_list"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _questionnaire_changed(pk=self.questionnaire_id)

    def delete(self, *args, **kwargs) -> Any:
        _questionnaire_changed(pk=self.questionnaire_id)
        return super().delete(*args, **kwargs)


class Choice(models.Model):
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    label = TranslatedTextField(_("label"), blank=True)
    media = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["choice_list", "order"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        _questionnaire_changed(choice_lists=self.choice_list_id)

    def delete(self, *args, **kwargs) -> Any:
        _questionnaire_changed(choice_lists=self.choice_list_id)
        return super().delete(*args, **kwargs)


class Question(models.Model):
    """One row of the survey sheet: a question, a note, a calculation, or the
    start or end of a group or repeat."""

    class Kind(models.TextChoices):
        YES_NO_PARTLY = "yes_no_partly", _("Yes / partly / no")
        SELECT_ONE = "select_one", _("Single choice")
        SELECT_MULTIPLE = "select_multiple", _("Multiple choice")
        TEXT = "text", _("Text")
        INTEGER = "integer", _("Whole number")
        DECIMAL = "decimal", _("Number")
        DATE = "date", _("Date")
        EVIDENCE = "evidence", _("Evidence upload")
        NOTE = "note", _("Note")
        CALCULATE = "calculate", _("Calculation")
        BEGIN_GROUP = "begin_group", _("Start of a group")
        END_GROUP = "end_group", _("End of a group")
        BEGIN_REPEAT = "begin_repeat", _("Start of a repeat")
        END_REPEAT = "end_repeat", _("End of a repeat")
        OTHER = "other", _("Other XLSForm type")

    STRUCTURE = frozenset({"begin_group", "end_group", "begin_repeat", "end_repeat"})

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveIntegerField(_("order"))
    type = models.CharField(_("XLSForm type"), max_length=255, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    choice_list = models.ForeignKey(
        ChoiceList, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=255, blank=True)
    code = models.CharField(_("code"), max_length=40, blank=True)
    path = models.CharField(_("group path"), max_length=1000, blank=True)
    label = TranslatedTextField(_("question"), blank=True)
    hint = TranslatedTextField(_("hint"), blank=True)
    guidance = TranslatedTextField(_("guidance"), blank=True, multiline=True)
    evidence = TranslatedTextField(_("expected evidence"), blank=True, multiline=True)
    required = models.CharField(_("required"), max_length=500, blank=True)
    relevant = models.TextField(_("relevant when"), blank=True)
    constraint = models.TextField(_("constraint"), blank=True)
    constraint_message = TranslatedTextField(_("constraint message"), blank=True)
    calculation = models.TextField(_("calculation"), blank=True)
    choice_filter = models.TextField(_("choice filter"), blank=True)
    media = models.JSONField(default=dict, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    provisions = models.ManyToManyField(
        Provision, verbose_name=_("provisions tested"), related_name="questions", blank=True
    )
    # Case-folded texts in every language, for search (SQLite's LIKE folds ASCII only).
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "order"], name="unique_question_order"
            ),
        ]
        indexes = [models.Index(fields=["questionnaire", "name"], name="question_name_idx")]

    def __str__(self) -> str:
        return self.code or self.name or self.type

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.compute_search_text()
        super().save(*args, **kwargs)
        _questionnaire_changed(pk=self.questionnaire_id)

    def delete(self, *args, **kwargs) -> Any:
        _questionnaire_changed(pk=self.questionnaire_id)
        return super().delete(*args, **kwargs)

    def compute_search_text(self) -> str:
        """Code, name and every language of the texts, case-folded (bulk writes call this)."""
        parts = [self.code, self.name]
        for field in ("label", "hint", "guidance", "evidence"):
            text = TranslatedText.from_json(getattr(self, field))
            parts.extend(text.get(lang) for lang in ("en", "ru", "kk"))
        return " ".join(p for p in parts if p).casefold()

    @property
    def is_question(self) -> bool:
        return self.kind not in self.STRUCTURE and bool(self.type)

    @property
    def is_required(self) -> bool:
        return self.required.strip().lower() in {"yes", "true", "true()", "1"}


QUESTION_ROWS = ~Q(kind__in=Question.STRUCTURE) & ~Q(type="")
