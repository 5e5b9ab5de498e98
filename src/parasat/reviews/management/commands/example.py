from django.core.management.base import BaseCommand, CommandError, CommandParser

from parasat.reviews.examples import available_examples
from parasat.reviews.loader import ExampleError, load_example
from parasat.reviews.models import Review


class Command(BaseCommand):
    help = "Load an example review from its data file: parasat example load kazakhstan-2014"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "list"])
        parser.add_argument("name", nargs="?")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only when the database holds no review yet.",
        )

    def handle(
        self, *args: object, action: str, name: str | None, if_empty: bool, **options: object
    ) -> None:
        if action == "list":
            for example in available_examples():
                self.stdout.write(example)
            return
        if not name:
            raise CommandError("Name the example to load, e.g. kazakhstan-2014.")
        if if_empty and Review.objects.exists():
            self.stdout.write("The database already holds a review; nothing loaded.")
            return
        try:
            review = load_example(name)
        except ExampleError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded {review.slug}: {review.title.source}"))
