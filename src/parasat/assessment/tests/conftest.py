"""The self-assessment's personas: a co-ordinator who assigned the sample
questionnaire to the Ministry of Justice, whose contact person answers it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError

from parasat.accounts.models import Organisation, User
from parasat.assessment.models import Answer, Assignment
from parasat.assessment.tests.factories import assign, working_group
from parasat.conftest import Personas, made_review
from parasat.core.testing import shared
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


def make_work(review: Review, persona: Personas) -> Setup:
    coordinator = persona(Role.COORDINATOR)
    ministry, contact = working_group(review)
    assignment = assign(review, by=coordinator, ministry=ministry, assignee=contact)
    return Setup(review, coordinator, contact, ministry, assignment)


def made_work() -> dict[str, Any]:
    """The rows of the ``work`` fixture, for parasat.core.testing.shared."""
    made = made_review()
    made["work"] = make_work(made["review"], Personas(made["review"], made["personas"]))
    return made


def made_mix() -> dict[str, Any]:
    """The rows of the ``mix`` fixture: ``work`` with every confidentiality level."""
    from parasat.assessment.tests.data_setup import build

    made = made_work()
    made["mix"] = build(made["work"])
    return made


shared.share_rows("work", made_work)
shared.share_rows("mix", made_mix)


@pytest.fixture
def work(review, persona, _shared_rows) -> Setup:
    if _shared_rows is not None and "work" in _shared_rows:
        return _shared_rows["work"]
    return make_work(review, persona)


@pytest.fixture
def mix(work, _shared_rows):
    """``work`` answered, submitted, accepted and forwarded with answers and
    files of every confidentiality level, and another ministry's draft
    (assessment/tests/data_setup.py)."""
    from parasat.assessment.tests.data_setup import build

    if _shared_rows is not None and "mix" in _shared_rows:
        return _shared_rows["mix"]
    return build(work)


# True once no form of the page is saving or holds an edit it would still
# send (on its timer, or as a beacon when the page goes away); a form in
# conflict, refused or invalid sends nothing (form.js).
NOTHING_TO_SEND = """() => ![...document.querySelectorAll('form[data-autosave]')].some(
  f => f.dataset.saving
    || (f.dataset.dirty && !f.dataset.conflict && !f.dataset.invalid && !f.dataset.refused))"""


def leave_quietly(pages: list) -> None:
    """Leave ``pages`` only once what they may still send has reached the live
    server, so the database is not flushed under it. A page whose forms have
    nothing left to send goes at once; one that still would (offline, say)
    goes, and the live server is given 1.5 s for its beacons, as before."""
    late = False
    for page in pages:
        try:
            page.wait_for_function(NOTHING_TO_SEND, timeout=3000)
        except PlaywrightError:
            late = True
        page.goto("about:blank")
    if late and pages:
        pages[0].wait_for_timeout(1500)


@pytest.fixture
def quiet_page(page):
    """``page``, left only once the automatic saves it may still send (on a timer,
    or as a beacon when the page goes away) have reached the live server, so the
    database is not flushed under them."""
    yield page
    leave_quietly([page])
