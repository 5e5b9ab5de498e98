"""The reports' personas: the Kazakhstan 2014 example (its illustrative
analysis of three areas, two of them agreed) with a person in every role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import pytest

from parasat.accounts.models import User
from parasat.accounts.tests.factories import UserFactory
from parasat.core.lib import charts
from parasat.core.testing import shared
from parasat.reports import rendering, services
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
    # The module's rows hold the report already (see drafted_once).
    drafted: bool = False

    def report(self) -> Report:
        """The review's report, drafted now, or the one drafted for the module."""
        if self.drafted:
            return Report.objects.get(review=self.review)
        return services.report_draft(review=self.review, by=self.analyst)


USERS = [f.name for f in fields(People) if f.name not in ("review", "drafted")]


def _person(review: Review, role: str, name: str) -> User:
    user = UserFactory(username=name)
    Participant.objects.create(review=review, user=user, role=role)
    return user


@pytest.fixture(autouse=True, scope="module")
def _charts_drawn_once_for_the_module():
    """A chart drawn by vl-convert (0.07-0.15 s of CPU each) is kept for the
    module's tests by its specification, as the shared cache keeps it from
    one request to the next in production: the tests' cache is emptied before
    each test, and the same example's charts were drawn again in each one
    (31 drawings for 7 different charts). The first drawing of each is real."""
    drawn: dict[str, str] = {}
    real = rendering.vegalite_svg

    def vegalite_svg(spec: dict[str, Any]) -> str:
        key = charts.svg_key(spec)
        if key not in drawn:
            drawn[key] = real(spec)
        return drawn[key]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "vegalite_svg", vegalite_svg)
        yield


@pytest.fixture(autouse=True)
def _fresh_read_edition():
    """The read edition keeps pages and slugs in the process: not from one test to the next."""
    read.forget()
    yield
    read.forget()


def _load() -> Review:
    load_bank()
    return load_example("kazakhstan-2014")


def _with_people(review: Review) -> People:
    return People(
        review=review,
        coordinator=_person(review, Role.COORDINATOR, "r-coordinator"),
        contact=_person(review, Role.CONTACT_PERSON, "r-contact"),
        analyst=_person(review, Role.ANALYST, "r-analyst"),
        consultant=_person(review, Role.LOCAL_CONSULTANT, "r-consultant"),
        expert=_person(review, Role.EXPERT, "r-expert"),
        peer=_person(review, Role.PEER_REVIEWER, "r-peer"),
        civil=_person(review, Role.CIVIL_SOCIETY, "r-civil"),
    )


def _example_and_people() -> People:
    return _with_people(_load())


@pytest.fixture(scope="module")
def _module_people(request) -> Iterator[People | None]:
    """The example and its people, loaded once for the module's tests (about
    0.7 s of CPU each time), and once for the modules of this folder that run
    one after another; see parasat.core.testing.shared."""
    yield from _rows_of_the_module(request, lambda people: people)


# The module's people while its tests run, for the rows its consecutive tests
# share on top of them (the published report below).
_of_the_module: People | None = None


def _rows_of_the_module(
    request: pytest.FixtureRequest, make: Callable[[People], People]
) -> Iterator[People | None]:
    """The module's rows: ``make`` takes them further from the example and
    its people, which the folder's modules share."""
    global _of_the_module
    rows = shared.rows_for_the_module(request, make, under=_example_and_people)
    made = next(rows)
    _of_the_module = made
    try:
        yield made
    finally:
        _of_the_module = None
        next(rows, None)


def drafted_once(
    request: pytest.FixtureRequest, then: Callable[[People, Report], object] | None = None
) -> Iterator[People | None]:
    """For a module whose every test starts from the drafted report (and, with
    ``then``, taken further the same way): its ``_module_people`` drafts it
    once for the module, with the example; ``people.report()`` then reads it."""

    def make(people: People) -> People:
        report = people.report()
        if then is not None:
            then(people, report)
        people.drafted = True
        return people

    yield from _rows_of_the_module(request, make)


@pytest.fixture
def people(_module_people, request, db) -> People:
    if _module_people is None:
        return _example_and_people()
    shared.inside_the_module_rows(request)
    # Each test its own objects, read again: nothing it changes in memory stays.
    users = User.objects.in_bulk([getattr(_module_people, name).pk for name in USERS])
    return People(
        review=Review.objects.get(pk=_module_people.review.pk),
        drafted=_module_people.drafted,
        **{name: users[getattr(_module_people, name).pk] for name in USERS},
    )


@pytest.fixture
def example(people) -> Review:
    return people.review


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


def _on_the_module_rows() -> People:
    if _of_the_module is None:
        pytest.fail("the report is made on the module's rows (_module_people)")
    return _of_the_module


# The report drafted, or published, once for the consecutive tests of a module
# that ask for it, not once per test (parasat.core.testing.shared.share_rows):
# each test still starts from it as drafted (published), its own copy, whatever
# the one before did.
shared.share_rows("drafted", lambda: {"drafted": _on_the_module_rows().report()})
shared.share_rows("published", lambda: {"published": publish(_on_the_module_rows())})


@pytest.fixture
def drafted(people, _shared_rows) -> Report:
    """The example's report as drafted from its analysis."""
    if _shared_rows is not None:
        return _shared_rows["drafted"]
    return people.report()


@pytest.fixture
def published(people, _shared_rows) -> Report:
    if _shared_rows is not None:
        return _shared_rows["published"]
    return publish(people)
