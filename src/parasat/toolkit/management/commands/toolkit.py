"""parasat toolkit list | import FILE [--area CODE] | export Q -o FILE.xlsx | load-bank"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parasat.toolkit import selectors, services
from parasat.toolkit.bank import BANK_DIR, BankInvalid, load_bank
from parasat.toolkit.models import PolicyArea
from parasat.toolkit.xlsform.parsed import XLSFormRefused
from parasat.toolkit.xlsform.writer import write_xlsform


class Command(BaseCommand):
    help = "The integrity toolkit: list, import and export questionnaires; load the shipped bank."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "list", help="One questionnaire a line: identifier, area, version, questions"
        )
        imp = sub.add_parser("import", help="Import an XLSForm (.xlsx, .xlsm, .xls, .csv)")
        imp.add_argument("file")
        imp.add_argument("--area", help="File the questionnaire under this area code")
        exp = sub.add_parser("export", help="Export a questionnaire to XLSForm")
        exp.add_argument("questionnaire", help="identifier, or identifier@version")
        exp.add_argument("-o", "--output", required=True)
        bank = sub.add_parser("load-bank", help="Load the shipped question bank (idempotent)")
        bank.add_argument("--directory", default=str(BANK_DIR))

    def handle(self, *args: object, action: str, **options: object) -> None:
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_list(self, **options: object) -> None:
        for q in selectors.questionnaire_list():
            area = q.area.code if q.area else "-"
            self.stdout.write(f"{q.identifier}\t{area}\tv{q.version}\t{q.question_count}")

    def do_import(self, *, file: str, area: str | None, **options: object) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        area_obj = None
        if area:
            area_obj = PolicyArea.objects.filter(code=area.upper()).first()
            if area_obj is None:
                raise CommandError(f"No policy area {area!r}. Load the bank first.")
        try:
            q = services.questionnaire_import(
                data=path.read_bytes(), filename=path.name, area=area_obj
            )
        except XLSFormRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{path.name} was refused; nothing was written.") from exc
        where = q.area.code if q.area else "unassigned"
        count = selectors.question_count(q)
        self.stdout.write(
            self.style.SUCCESS(f"Imported {q.identifier} v{q.version} ({where}), {count} questions")
        )

    def do_export(self, *, questionnaire: str, output: str, **options: object) -> None:
        identifier, _, version = questionnaire.partition("@")
        q = selectors.questionnaire_by_identifier(identifier, int(version) if version else None)
        if q is None:
            raise CommandError(f"No questionnaire {questionnaire!r}.")
        Path(output).write_bytes(write_xlsform(q))
        self.stdout.write(self.style.SUCCESS(f"Wrote {q.identifier} v{q.version} to {output}"))

    def do_load_bank(self, *, directory: str, **options: object) -> None:
        try:
            report = load_bank(Path(directory))
        except BankInvalid as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                f"The question bank has {len(exc.errors)} problem(s); nothing was loaded."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Toolkit bank: {report.pillars} pillars, {report.areas} areas, "
                f"{report.instruments} instruments, {report.provisions} provisions, "
                f"{report.questions} questions; questionnaires created "
                f"{len(report.created)}, updated {len(report.updated)}, new versions "
                f"{len(report.new_versions)}, unchanged {len(report.unchanged)}."
            )
        )
        for identifier, counts in report.counts.items():
            self.stdout.write(
                f"  {identifier}: {counts['questions']} questions "
                f"(en {counts['en']}, ru {counts['ru']}, kk {counts['kk']})"
            )
