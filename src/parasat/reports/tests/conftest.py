"""The reports' personas: the Kazakhstan 2014 example (its illustrative
analysis of three areas, two of them agreed) with a person in every role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from parasat.accounts.models import User
from parasat.accounts.tests.factories import UserFactory
from parasat.reports import services
from parasat.reports.models import Report
from parasat.reports.views import read
from parasat.reviews.loader import load_example
from parasat.reviews.models import Participant, Review, Role
from parasat.toolkit.bank import load_bank


@dataclass
class People:
    review: Review
    coordinator: User
    contact: User
    analyst: User
    consultant: User
    expert: User
    peer: User
    civil: User

    def report(self) -> Report:
        return services.report_draft(review=self.review, by=self.analyst)


def _person(review: Review, role: str, name: str) -> User:
    user = UserFactory(username=name)
    Participant.objects.create(review=review, user=user, role=role)
    return user


@pytest.fixture(autouse=True)
def _fresh_read_edition():
    """The read edition keeps pages and slugs in the process: not from one test to the next."""
    read.forget()
    yield
    read.forget()


@pytest.fixture
def example(db) -> Review:
    load_bank()
    return load_example("kazakhstan-2014")


@pytest.fixture
def people(example) -> People:
    return People(
        review=example,
        coordinator=_person(example, Role.COORDINATOR, "r-coordinator"),
        contact=_person(example, Role.CONTACT_PERSON, "r-contact"),
        analyst=_person(example, Role.ANALYST, "r-analyst"),
        consultant=_person(example, Role.LOCAL_CONSULTANT, "r-consultant"),
        expert=_person(example, Role.EXPERT, "r-expert"),
        peer=_person(example, Role.PEER_REVIEWER, "r-peer"),
        civil=_person(example, Role.CIVIL_SOCIETY, "r-civil"),
    )


def publish(people: People) -> Report:
    """The example's report taken through its three stages and published."""
    report = people.report()
    for _stage in range(2):
        services.report_issue(report=report, by=people.analyst)
        services.report_advance(report=report, by=people.analyst)
    services.report_issue(report=report, by=people.analyst)
    services.report_publish(report=report, by=people.analyst)
    report.refresh_from_db()
    return report


@pytest.fixture
def published(people) -> Report:
    return publish(people)
