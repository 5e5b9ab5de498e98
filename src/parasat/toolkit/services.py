"""Writes to the toolkit. Every change goes through one of these functions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parasat.accounts.models import User
from parasat.toolkit.models import (
    Choice,
    ChoiceList,
    PolicyArea,
    Provision,
    Question,
    Questionnaire,
)
from parasat.toolkit.xlsform.importer import FormRows, form_rows, unchecked_patterns
from parasat.toolkit.xlsform.importer import unknown_provision_problems as _unknown
from parasat.toolkit.xlsform.parsed import XLSFormRefused


def save_rows(*, questionnaire: Questionnaire, rows: FormRows) -> None:
    """Store the choice lists, choices and questions of a new questionnaire version."""
    for choice_list in rows.lists:
        choice_list.questionnaire = questionnaire
    ChoiceList.objects.bulk_create(rows.lists)
    lists = {cl.name: cl for cl in rows.lists}
    choices = []
    for name, bucket in rows.choices.items():
        for choice in bucket:
            choice.choice_list = lists[name]
            choices.append(choice)
    Choice.objects.bulk_create(choices, batch_size=500)
    for question in rows.questions:
        question.questionnaire = questionnaire
        question.choice_list = lists.get(rows.list_names.get(question.order, ""))
        question.search_text = question.compute_search_text()
    Question.objects.bulk_create(rows.questions, batch_size=500)
    if rows.provision_keys:
        wanted = {k for keys in rows.provision_keys.values() for k in keys}
        ids = dict(Provision.objects.filter(key__in=wanted).values_list("key", "pk"))
        through = Question.provisions.through
        by_order = {q.order: q for q in rows.questions}
        through.objects.bulk_create(
            [
                through(question_id=by_order[order].pk, provision_id=ids[key])
                for order, keys in rows.provision_keys.items()
                for key in dict.fromkeys(keys)
            ],
            batch_size=500,
        )


def _next_version(identifier: str) -> tuple[int, Questionnaire | None]:
    """The next version number, and the latest version (its number and area
    only: its settings, columns and extra sheets, thousands of rows on a
    large form, were read and decoded for nothing)."""
    latest = (
        Questionnaire.objects.filter(identifier=identifier)
        .only("pk", "version", "area")
        .order_by("-version")
        .first()
    )
    return (latest.version + 1 if latest else 1), latest


@transaction.atomic
def questionnaire_import(
    *,
    data: bytes,
    filename: str,
    area: PolicyArea | None = None,
    by: User | None = None,
) -> Questionnaire:
    """Import an XLSForm as a new questionnaire, or as the next version of the
    questionnaire with the same form id (an import never changes an existing
    version, so versions in use stay as they were). Raises XLSFormRefused, writing nothing,
    when pyxform refuses the file or it cites provisions the toolkit lacks."""
    # The reader loads pyxform and openpyxl (seconds): only when a form is read.
    from parasat.toolkit.xlsform.reader import read_xlsform

    form = read_xlsform(data, filename)
    rows = form_rows(form)
    cited = set(rows.provision_rows)
    if cited:
        known = set(Provision.objects.filter(key__in=cited).values_list("key", flat=True))
        problems = _unknown(rows, known, form.survey.name)
        if problems:
            raise XLSFormRefused(problems)
    version, parent = _next_version(rows.identifier)
    questionnaire = Questionnaire.objects.create(
        identifier=rows.identifier,
        version=version,
        parent=parent,
        area=area if area is not None else (parent.area if parent else None),
        title=rows.title,
        description=rows.description,
        source=Questionnaire.Source.IMPORT,
        source_name=filename[:255],
        created_by=by,
        settings=rows.settings,
        columns=rows.columns,
        extra={
            **rows.extra,
            "warnings": form.warnings,
            "unchecked": unchecked_patterns(rows, form.survey.name),
        },
    )
    save_rows(questionnaire=questionnaire, rows=rows)
    return questionnaire


@transaction.atomic
def questionnaire_new_version(
    *, questionnaire: Questionnaire, by: User | None = None
) -> Questionnaire:
    """Copy ``questionnaire`` (usually a frozen one) into the next version, which
    may be changed; answers given to the old version stay with it."""
    version, latest = _next_version(questionnaire.identifier)
    copy = Questionnaire.objects.create(
        identifier=questionnaire.identifier,
        version=version,
        parent=questionnaire,
        area=questionnaire.area,
        title=questionnaire.title,
        description=questionnaire.description,
        source=Questionnaire.Source.COPY,
        source_name=questionnaire.source_name,
        created_by=by,
        settings=questionnaire.settings,
        columns=questionnaire.columns,
        extra=questionnaire.extra,
    )
    list_map: dict[int, ChoiceList] = {}
    old_lists = list(questionnaire.choice_lists.prefetch_related("choices"))
    new_lists = [ChoiceList(questionnaire=copy, name=cl.name) for cl in old_lists]
    ChoiceList.objects.bulk_create(new_lists)
    choices = []
    for old, new in zip(old_lists, new_lists, strict=True):
        list_map[old.pk] = new
        for choice in old.choices.all():
            choice.pk = None
            choice.choice_list = new
            choices.append(choice)
    Choice.objects.bulk_create(choices, batch_size=500)
    old_questions = list(questionnaire.questions.prefetch_related("provisions"))
    provisions = {q.order: [p.pk for p in q.provisions.all()] for q in old_questions}
    for question in old_questions:
        question.pk = None
        question.questionnaire = copy
        question.choice_list = list_map.get(question.choice_list_id)
    Question.objects.bulk_create(old_questions, batch_size=500)
    through = Question.provisions.through
    through.objects.bulk_create(
        [
            through(question_id=q.pk, provision_id=pid)
            for q in old_questions
            for pid in provisions[q.order]
        ],
        batch_size=500,
    )
    return copy


@transaction.atomic
def questionnaire_freeze(*, questionnaire: Questionnaire) -> Questionnaire:
    """Mark a version as used by a review: from now on it never changes."""
    if not questionnaire.frozen:
        questionnaire.frozen = True
        questionnaire.save(update_fields=["frozen", "updated_at"])
    return questionnaire


@transaction.atomic
def questionnaire_file_under(
    *, questionnaire: Questionnaire, area: PolicyArea | None
) -> Questionnaire:
    """File a questionnaire under a policy area (or take it out of one). A
    version in use keeps its area: the reviews that assigned it group, count and
    forward its answers by that area. Its next version may be filed elsewhere."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.frozen and locked.area_id != (area.pk if area else None):
        raise ValidationError(
            _(
                "This version is in use by a review and keeps its area: create a new "
                "version and file that one."
            )
        )
    questionnaire.area = area
    questionnaire.save(update_fields=["area", "updated_at"])
    return questionnaire
