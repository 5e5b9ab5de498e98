"""Forms of the self-assessment. Choices are built from lists a selector has
already read, so validating a form runs no query; the services check the rules
(a contact person of that ministry, something left to assign, a plausible date)
and their ValidationError is shown on the form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from parasat.accounts.models import Organisation, User
from parasat.assessment.models import Answer, Assignment
from parasat.assessment.selectors import AssignOptions, ProgressFilters
from parasat.core.lib.forms import parse_pk
from parasat.reviews.forms import DateInput
from parasat.toolkit.models import PolicyArea, Questionnaire

# --- assigning -----------------------------------------------------------------

UNFILED = "none"  # the "area" of questionnaires not filed under one (area codes have 3 letters)


def _questionnaire_label(q: Questionnaire) -> str:
    return f"{q.identifier} — {q.title} (v{q.version})"


class _PeopleForm(forms.Form):
    """The ministry, optionally one of its contact persons, and a due date."""

    ministry = forms.ChoiceField(label=_("Ministry"))
    assignee = forms.ChoiceField(
        label=_("Contact person"),
        required=False,
        help_text=_(
            "Optional. Must be a contact person of that ministry; without one, every "
            "contact person of the ministry may answer."
        ),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def __init__(self, *args: Any, options: AssignOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ministries = {str(m.pk): m for m in options.ministries}
        self._people = {str(p.user_id): p.user for p in options.contacts}
        self.fields["ministry"].choices = [
            ("", "—"),
            *((str(m.pk), str(m)) for m in options.ministries),
        ]
        self.fields["assignee"].choices = [
            ("", gettext("Any contact person of the ministry")),
            *(
                (str(p.user_id), f"{p.user.display_name} — {p.organisation}")
                for p in options.contacts
            ),
        ]

    def clean_ministry(self) -> Organisation:
        return self._ministries[self.cleaned_data["ministry"]]

    def clean_assignee(self) -> User | None:
        value = self.cleaned_data.get("assignee")
        return self._people[value] if value else None


class AssignForm(_PeopleForm):
    """An area (its unassigned questionnaires) or one questionnaire, to a ministry."""

    area = forms.ChoiceField(
        label=_("A whole area"),
        required=False,
        help_text=_("Every questionnaire of the area not yet assigned, in its newest version."),
    )
    questionnaire = forms.ChoiceField(label=_("Or a single questionnaire"), required=False)
    field_order = ["area", "questionnaire", "ministry", "assignee", "due_on"]

    def __init__(self, *args: Any, options: AssignOptions, **kwargs: Any) -> None:
        super().__init__(*args, options=options, **kwargs)
        self._areas = {a.code: a for a, _left in options.areas}
        self._questionnaires = {str(q.pk): q for q in options.questionnaires}
        self.fields["area"].choices = [
            ("", "—"),
            *(
                (
                    a.code,
                    ngettext(
                        "%(code)s · %(area)s — %(count)s questionnaire to assign",
                        "%(code)s · %(area)s — %(count)s questionnaires to assign",
                        left,
                    )
                    % {"code": a.code, "area": a.name, "count": left}
                    if left
                    else gettext("%(code)s · %(area)s — nothing left to assign")
                    % {"code": a.code, "area": a.name},
                )
                for a, left in options.areas
            ),
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for q in options.questionnaires:
            group = (
                f"{q.area.code} · {q.area.name}" if q.area else gettext("Not filed under an area")
            )
            groups.setdefault(group, []).append((str(q.pk), _questionnaire_label(q)))
        self.fields["questionnaire"].choices = [("", "—"), *groups.items()]
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + dt.timedelta(days=30))

    def clean_area(self) -> PolicyArea | None:
        value = self.cleaned_data.get("area")
        return self._areas[value] if value else None

    def clean_questionnaire(self) -> Questionnaire | None:
        value = self.cleaned_data.get("questionnaire")
        return self._questionnaires[value] if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        area, questionnaire = data.get("area"), data.get("questionnaire")
        if "area" in data and "questionnaire" in data:
            if area and questionnaire:
                raise ValidationError(
                    gettext("Choose either a whole area or a single questionnaire, not both.")
                )
            if not area and not questionnaire:
                raise ValidationError(gettext("Choose an area or a questionnaire to assign."))
        return data


class ReassignForm(_PeopleForm):
    """Another ministry, contact person or due date for one assignment."""

    def __init__(
        self, *args: Any, options: AssignOptions, assignment: Assignment, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "ministry": str(assignment.ministry_id),
                "assignee": str(assignment.assignee_id or ""),
                "due_on": assignment.due_on,
            },
        )
        super().__init__(*args, options=options, **kwargs)
        if str(assignment.ministry_id) not in self._ministries:
            # A ministry that is no longer one (its kind changed) stays choosable.
            self._ministries[str(assignment.ministry_id)] = assignment.ministry
            self.fields["ministry"].choices = [
                *self.fields["ministry"].choices,
                (str(assignment.ministry_id), str(assignment.ministry)),
            ]


# --- the dashboard and the queue ---------------------------------------------------


class QuickSelect(forms.Select):
    """A flat select drawn in Python. The stock widget renders a template per
    option; on the dashboard's filters, dozens of options, that cost more than
    the rest of the form."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        current = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, " selected" if option in current else "", label)
                for option, label in ((str(v), label) for v, label in self.choices)
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            options,
        )


class ProgressFilterForm(forms.Form):
    """Filters of the dashboard (GET); an unknown value is reported and ignored."""

    area = forms.ChoiceField(label=_("Area"), required=False, widget=QuickSelect)
    ministry = forms.ChoiceField(label=_("Ministry"), required=False, widget=QuickSelect)
    status = forms.ChoiceField(label=_("With answers that are"), required=False, widget=QuickSelect)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, filters: ProgressFilters, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            ("", gettext("All areas")),
            *((a.code, f"{a.code} · {a.label}") for a in filters.areas),
        ]
        self.fields["ministry"].choices = [
            ("", gettext("All ministries")),
            *((m.code, m.label) for m in filters.ministries),
        ]
        self.fields["status"].choices = [
            ("", gettext("Any status")),
            *Answer.Status.choices,
        ]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for :func:`selectors.progress`, valid values only."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "area": data.get("area") or "",
            "ministry": data.get("ministry") or "",
            "status": data.get("status") or "",
            "overdue_only": bool(data.get("overdue")),
        }


class PkListField(forms.Field):
    """The primary keys of the checked boxes (rendered by the template)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Choose at least one answer."),
        "invalid": _("The choice of answers is not valid."),
    }

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        pks = {parse_pk(v) for v in value}
        if None in pks:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return sorted(pks)  # type: ignore[type-var]


class DecideForm(forms.Form):
    """Accept, or return with a reason, the checked submitted answers."""

    ACCEPT = "accept"
    RETURN = "return"

    answers = PkListField(label=_("Answers"))
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return"))],
        error_messages={"required": _("Choose to accept or to return the answers.")},
    )
    reason = forms.CharField(
        label=_("Reason for returning"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to return answers; the contact persons read it."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", gettext("Say why the answers are returned."))
        return data

    # A refused decision is not shown in the POST's response (a reload would
    # post it again) but kept for the page the person is sent back to, once.
    DRAFT = "assessment:decision_draft"

    def keep(self, session: SessionBase) -> None:
        """Keep what was sent (bounded) and what was wrong with it in ``session``."""
        session[self.DRAFT] = {
            "answers": [str(v)[:40] for v in self.data.getlist("answers")[:5000]],
            "decision": str(self.data.get("decision", ""))[:20],
            "reason": str(self.data.get("reason", ""))[:20_000],
            "errors": {name: [str(m) for m in errors] for name, errors in self.errors.items()},
        }

    @classmethod
    def restored(cls, session: SessionBase, *, answers: list[str] | None = None) -> DecideForm:
        """The form a refused decision left in ``session``, with its errors (only
        when it was about ``answers``, if given), else an empty form."""
        draft = session.get(cls.DRAFT)
        if not draft or (answers is not None and draft["answers"] != answers):
            return cls()
        del session[cls.DRAFT]
        data = QueryDict(mutable=True)
        data.setlist("answers", draft["answers"])
        data["decision"], data["reason"] = draft["decision"], draft["reason"]
        form = cls(data)
        form.is_valid()
        for name, messages in draft["errors"].items():
            for message in messages:
                if message not in form.errors.get(name, []):
                    form.add_error(None if name == NON_FIELD_ERRORS else name, message)
        return form

    @property
    def chosen(self) -> set[int]:
        """The answers that were checked, as far as they are answers' numbers."""
        if not self.is_bound:
            return set()
        return {pk for value in self.data.getlist("answers") if (pk := parse_pk(value))}
