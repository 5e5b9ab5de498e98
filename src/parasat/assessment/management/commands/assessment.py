"""parasat assessment reminders [--every SECONDS]
parasat assessment demo REVIEW

Queues the task that sends due-date reminders and escalations
(:func:`parasat.assessment.tasks.send_due_reminders`; each at most once, so
queuing it often is harmless). Once by default; with ``--every`` it keeps
queuing it, which is how ``parasat serve`` (and so ``make run``) schedules it
beside the web server and the task worker."""

from __future__ import annotations

import logging
import os
import signal
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection
from django.tasks import TaskResultStatus

from parasat.assessment.demo import demo_assessment_ensure
from parasat.assessment.tasks import SCHEDULED, send_due_reminders
from parasat.reviews.models import Review

logger = logging.getLogger("parasat.assessment")

# Sleep in slices this long, so that a stop request or the loss of the parent
# process (``parasat serve`` killed outright) ends the loop promptly.
SLICE_SECONDS = 2.0


class Command(BaseCommand):
    help = (
        "The self-assessment's background work and demo: "
        "parasat assessment reminders [--every 3600] | demo REVIEW"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reminders = sub.add_parser(
            "reminders",
            help="Queue the due-date reminders and escalations once, or every SECONDS",
        )
        reminders.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="Keep queuing them every SECONDS (parasat serve passes "
            "PARASAT_REMINDER_INTERVAL, 3600 by default) until stopped.",
        )

        demo = sub.add_parser(
            "demo",
            help="Give the demo contact person a first assignment when the review has none",
        )
        demo.add_argument("review", help="the review's identifier, e.g. kazakhstan-2014")

    def handle(
        self, *args: object, action: str, every: int | None = None, **options: object
    ) -> None:
        self.verbosity = int(options.get("verbosity", 1))  # type: ignore[call-overload]
        if action == "demo":
            self._demo(str(options["review"]))
            return
        if every is None:
            self._queue_once(strict=True)
            return
        if every < 1:
            raise CommandError("--every must be at least 1 second.")
        self._loop(every)

    def _demo(self, slug: str) -> None:
        review = Review.objects.filter(slug=slug).first()
        if review is None:
            raise CommandError(f"No review {slug!r}.")
        made = demo_assessment_ensure(review=review)
        for assignment in made:
            self.stdout.write(
                f"Demo assignment: {assignment.questionnaire.identifier} to "
                f"{assignment.ministry} ({assignment.assignee}), due {assignment.due_on}."
            )

    def _queue_once(self, *, strict: bool) -> bool:
        """Queue the task; report it. With ``strict`` a failure is an error,
        otherwise it is logged and the next round tries again."""
        try:
            result = send_due_reminders.enqueue()
            also = [scheduled.enqueue() for scheduled in SCHEDULED]
        except Exception as exc:
            if strict:
                raise CommandError(f"Could not queue the reminders: {exc}") from exc
            logger.exception("Could not queue the due-date reminders; trying again later.")
            return False
        finally:
            # A long-lived loop must not hold a broken or stale connection
            # (never inside a transaction: a test's, or a caller's).
            if not connection.in_atomic_block:
                close_old_connections()
        if result.status == TaskResultStatus.SUCCESSFUL:  # a backend that runs it at once
            sent = result.return_value + sum(
                r.return_value for r in also if r.status == TaskResultStatus.SUCCESSFUL
            )
            self.stdout.write(f"Due-date reminders sent: {sent}.")
        elif self.verbosity > 1 or strict:
            self.stdout.write(f"Due-date reminders queued (task {result.id}).")
        return True

    def _loop(self, every: int) -> None:
        stopping = False

        def stop(*_args: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        parent = os.getppid()
        self.stdout.write(f"Due-date reminders: queued every {every} s.")
        self.stdout.flush()
        while not stopping:
            self._queue_once(strict=False)
            deadline = time.monotonic() + every
            while not stopping and (left := deadline - time.monotonic()) > 0:
                time.sleep(min(SLICE_SECONDS, left))
                if os.getppid() != parent:
                    return  # orphaned: whoever started us is gone
