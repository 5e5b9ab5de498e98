"""The kinds of job: what each one runs and who may read it.

An app declares its kinds in its own ``jobs`` module (found when the app
registry is ready, in the web server and in the task worker alike)::

    register(JobKind(name="assessment.answers_export", label=_("Answers export"),
                     run=run_export, perm=Perm.VIEW_ASSESSMENT))

``run(job, progress)`` does the work in the worker, in the language of the
request, and returns an :class:`Outcome`; it raises :class:`JobError` with a
message the person can act on when the work cannot be done. Writes it makes
must be all or nothing (one transaction): a failed job leaves nothing behind."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.utils.functional import Promise

from parasat.accounts.models import User
from parasat.jobs.models import Job
from parasat.reviews.permissions import Perm

T = TypeVar("T")


class JobError(Exception):
    """The work cannot be done, for a reason the person can read (already
    translated), with a report of what was wrong rendered by the kind's own
    template when there is more to show than a sentence."""

    def __init__(self, message: str, *, html: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.html = html


@dataclass
class Outcome:
    """What a job produced: a file to download, a summary, a report to show."""

    summary: str = ""
    content: bytes | None = None
    filename: str = ""
    content_type: str = "application/octet-stream"
    html: str = ""
    # Where the person goes next (e.g. the assignment an import filled in).
    next_url: str = ""


class Progress:
    """Reports how far a job has come: ``progress(40, _("Rendering pages…"))``.
    The reports are throttled by the service that writes them."""

    def __init__(self, report: Callable[[int, str], None]) -> None:
        self._report = report

    def __call__(self, percent: int, message: str = "") -> None:
        self._report(max(0, min(100, int(percent))), message)

    def each(
        self, items: Iterable[T], *, total: int, start: int = 0, end: int = 100, message: str = ""
    ) -> Iterator[T]:
        """Yield ``items`` while reporting progress from ``start`` to ``end`` percent."""
        span = end - start
        for done, item in enumerate(items):
            if total:
                self(start + span * done // total, message)
            yield item
        self(end, message)


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str | Promise
    run: Callable[[Job, Progress], Outcome]
    # The permission the requester must still hold in the job's review to read
    # the job and its result (the source's own permission).
    perm: Perm | None = None
    # Overrides the rule above (e.g. a public report readable by anyone).
    may_read: Callable[[User, Job], bool] | None = None


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"Two kinds of job are named {kind.name!r}.")
    _KINDS[kind.name] = kind
    return kind


def get_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
