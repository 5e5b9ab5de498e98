"""Two co-ordinators acting at once. PostgreSQL lets both transactions run
side by side, so what the code checks before writing must be locked; SQLite
lets one writer in at a time and needs no test here."""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from parasat.assessment import services
from parasat.assessment.models import Assignment
from parasat.assessment.tests.factories import sample_questionnaire, working_group
from parasat.reviews.models import Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers by itself"
    ),
]


def test_two_coordinators_assigning_the_same_questionnaire_at_once_make_one_assignment(
    review, persona, monkeypatch
):
    coordinator = persona(Role.COORDINATOR)
    ministry, _contact = working_group(review)
    questionnaire = sample_questionnaire()
    create = Assignment.objects.create

    def slow_create(**kwargs):
        time.sleep(0.3)  # between the check and the write, where the other one comes in
        return create(**kwargs)

    monkeypatch.setattr(Assignment.objects, "create", slow_create)
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def assign() -> None:
        try:
            start.wait(5)
            outcomes.append(
                services.assignment_create(
                    review=review,
                    questionnaire=questionnaire,
                    ministry=ministry,
                    assignee=None,
                    due_on=dt.date.today() + dt.timedelta(days=30),
                    by=coordinator,
                )
            )
        except Exception as exc:  # noqa: BLE001 - compared below
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=assign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert Assignment.objects.filter(review=review).count() == 1
    kinds = sorted(type(o).__name__ for o in outcomes)
    assert kinds == ["Assignment", "ValidationError"], outcomes
    refused = next(o for o in outcomes if isinstance(o, ValidationError))
    assert "already assigned" in refused.messages[0]
