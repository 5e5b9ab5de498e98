"""The self-assessment's personas: a co-ordinator who assigned the sample
questionnaire to the Ministry of Justice, whose contact person answers it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from parasat.accounts.models import Organisation, User
from parasat.assessment.models import Answer, Assignment
from parasat.assessment.tests.factories import assign, working_group
from parasat.reviews.models import Review, Role


@dataclass
class Setup:
    review: Review
    coordinator: User
    contact: User
    ministry: Organisation
    assignment: Assignment

    def answer(self, name: str) -> Answer:
        return self.assignment.answers.select_related("question").get(question__name=name)


@pytest.fixture
def work(review, persona) -> Setup:
    coordinator = persona(Role.COORDINATOR)
    ministry, contact = working_group(review)
    assignment = assign(review, by=coordinator, ministry=ministry, assignee=contact)
    return Setup(review, coordinator, contact, ministry, assignment)


@pytest.fixture
def quiet_page(page):
    """``page``, left only once the automatic saves it may still send (on a timer,
    or as a beacon when the page goes away) have reached the live server, so the
    database is not flushed under them."""
    yield page
    page.goto("about:blank")
    page.wait_for_timeout(1500)
