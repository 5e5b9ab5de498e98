"""parasat budget check REVIEW: the arithmetic of the printed budget.
Exits with status 1 when something does not add up."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from parasat.finance.money import format_exact
from parasat.finance.selectors import budget_check_for_review
from parasat.reviews.models import Review


class Command(BaseCommand):
    help = "Check a review's budget: parasat budget check kazakhstan-2014"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"])
        parser.add_argument("review", help="The review's identifier (slug).")
        parser.add_argument("--language", default="en", choices=["en", "ru", "kk"])

    def handle(self, *args: object, action: str, review: str, language: str, **options: object):
        try:
            obj = Review.objects.get(slug=review)
        except Review.DoesNotExist:
            raise CommandError(f"No review {review!r}.") from None
        with translation.override(language):
            check = budget_check_for_review(obj)
            if check is None:
                raise CommandError(f"The review {review!r} has no budget.")
            budget = check.budget
            self.stdout.write(f"{obj.slug}: {obj.title.render(language).text}")
            self.stdout.write(
                f"  {budget.currency} · total {format_exact(budget.total)} · "
                f"fee {format_exact(budget.fee_amount)} ({budget.fee_rate.normalize()}%) · "
                f"lines {format_exact(check.lines_total)}"
            )
            for item in check.items:
                mark = self.style.SUCCESS("OK  ") if item.ok else self.style.ERROR("FAIL")
                self.stdout.write(f"{mark} {item.label}")
                if item.detail:
                    self.stdout.write(f"       {item.detail}")
                if not item.ok and item.difference is not None:
                    self.stdout.write(
                        f"       expected {format_exact(item.expected)}, "
                        f"found {format_exact(item.actual)}, "
                        f"difference {item.difference:+}"
                    )
        if not check.ok:
            raise CommandError(
                f"{len(check.problems)} check(s) do not add up in the budget of {obj.slug}.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("The budget adds up."))
