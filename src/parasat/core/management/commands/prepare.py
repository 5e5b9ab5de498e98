from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Everything `make run` needs before serving, in one process: migrate, load the "
        "toolkit's question bank, load the example review when the database has none, "
        "create the demo accounts and give the demo contact person a first assignment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--example", default="kazakhstan-2014")

    def handle(self, *args: object, example: str, **options: object) -> None:
        # The apps' own commands, called by name: core imports none of them.
        call_command("migrate", interactive=False, verbosity=0)
        call_command("toolkit", "load-bank")
        call_command("example", "load", example, if_empty=True)
        call_command("demo", "accounts", review=example)
        call_command("assessment", "demo", example)
