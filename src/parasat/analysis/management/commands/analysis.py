"""parasat analysis scales load [FILE]

Loads rating scales from a file of the shape of ``analysis/scales.toml`` (as
the scales page of a review does), or, without FILE, the scales shipped with
Parasat again, so that an existing site receives corrected names and
descriptions. A scale a review uses keeps its levels: a file that changes them
is refused and nothing is loaded (:func:`parasat.analysis.services.scales_load`)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parasat.analysis import services


class Command(BaseCommand):
    help = "Rating scales: parasat analysis scales load [FILE] (the shipped scales without FILE)"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="part", required=True)
        scales = sub.add_parser("scales", help="The library of rating scales")
        actions = scales.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="Load scales from FILE, or the shipped ones")
        load.add_argument("file", nargs="?", help="a scales file (TOML); none: the shipped scales")

    def handle(self, *args: object, file: str | None = None, **options: object) -> None:
        try:
            if file is None:
                made = services.scales_load_shipped()
            else:
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"No file {file!r}.")
                with path.open("rb") as handle:  # no more than one byte past the bound
                    made = services.scales_load_file(handle.read(services.scales.MAX_FILE + 1))
        except ValidationError as exc:
            raise CommandError("Nothing was loaded:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(f"Loaded: {', '.join(s.code for s in made) or 'nothing'}.")
