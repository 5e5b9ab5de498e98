"""The report's long work, run by the task worker as jobs: the PDF of the
final report in each language."""

from __future__ import annotations

from parasat.accounts.models import User
from parasat.reports.models import Report


def pdfs_start(*, report: Report, by: User) -> None:
    """Queue the PDF of the published report in every language (a later slice)."""
    return
