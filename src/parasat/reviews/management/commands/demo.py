from django.core.management.base import BaseCommand, CommandError, CommandParser

from parasat.reviews.demo import demo_accounts_ensure
from parasat.reviews.models import Review


class Command(BaseCommand):
    help = (
        "Create one demo account per role in a review (fictional people, marked demo). "
        "Passwords are printed once, when created; --reset prints new ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["accounts"])
        parser.add_argument("--review", default="kazakhstan-2014")
        parser.add_argument(
            "--reset", action="store_true", help="Give every demo account a new password."
        )

    def handle(self, *args: object, review: str, reset: bool, **options: object) -> None:
        target = Review.objects.filter(slug=review).first()
        if target is None:
            raise CommandError(
                f"No review {review!r}. Load it first: parasat example load {review}"
            )
        created = demo_accounts_ensure(review=target, reset=reset)
        if not created:
            self.stdout.write(
                "Demo accounts already exist (parasat demo accounts --reset gives new passwords)."
            )
            return
        self.stdout.write(
            self.style.WARNING("Demo accounts (fictional people; shown only this once):")
        )
        width = max(len(u) for u, _, _ in created)
        for username, role, password in created:
            self.stdout.write(f"  {username.ljust(width)}  {password}  {role}")
