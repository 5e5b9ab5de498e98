import contextlib
import datetime as dt
import io
import re
import zlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from parasat.accounts.tests.factories import UserFactory
from parasat.conftest import Personas
from parasat.core.testing import shared
from parasat.finance import exports
from parasat.finance.models import Budget, Entry, Funding
from parasat.finance.services import (
    entry_record,
    entry_reverse,
    funding_record,
    termination_record,
)
from parasat.finance.tests.conftest import made_budget, xlsx_upload
from parasat.jobs.models import Job
from parasat.jobs.tests.helpers import download, run_posted
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db
D = Decimal
ALL_ROLES = [r.value for r in Role]
VIEW_ROLES = {"coordinator", "analyst"}
EDIT_ROLES = {"analyst"}

READ_PAGES = ["home", "check", "report", "report_pdf", "report_xlsx"]
WRITE_PAGES = ["entry_new", "import", "import_template", "funding_new", "termination"]


def url(name, review, *args):
    return reverse(f"finance:{name}", args=[review.slug, *args])


def good_entry(**changes):
    data = {
        "kind": "expenditure",
        "line": "staff",
        "on": "2015-03-01",
        "amount": "1250.50",
        "payee": "OECD payroll",
    }
    data.update(changes)
    return data


# --- who may do what --------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", READ_PAGES)
def test_finance_is_seen_by_coordinator_and_analyst_only(client_for, persona, budget, role, page):
    response = client_for(persona(role)).get(url(page, budget.review))
    assert response.status_code == (200 if role in VIEW_ROLES else 403)


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("page", WRITE_PAGES)
def test_only_the_analyst_opens_the_write_pages(client_for, persona, budget, role, page):
    response = client_for(persona(role)).get(url(page, budget.review))
    assert response.status_code == (200 if role in EDIT_ROLES else 403)


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_strangers_do_not_learn_the_review_exists(client_for, stranger, budget, page):
    assert client_for(stranger).get(url(page, budget.review)).status_code == 404


@pytest.mark.parametrize("page", READ_PAGES + WRITE_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client_for, budget, page):
    budget.review.is_public = True
    budget.review.save()
    response = client_for(None).get(url(page, budget.review))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_superuser_passes_every_check(client_for, budget):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    for page in READ_PAGES + WRITE_PAGES:
        assert client.get(url(page, budget.review)).status_code == 200


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_analyst_records_entries(client_for, persona, budget, role):
    response = client_for(persona(role)).post(url("entry_new", budget.review), good_entry())
    if role in EDIT_ROLES:
        assert response.status_code == 302
        entry = Entry.objects.get()
        assert entry.amount == D("1250.50") and entry.recorded_by == persona(role)
    else:
        assert response.status_code == 403
        assert not Entry.objects.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_analyst_reverses_entries(client_for, persona, budget, record, role):
    entry = record()
    response = client_for(persona(role)).post(url("entry_reverse", budget.review, entry.pk))
    if role in EDIT_ROLES:
        assert response.status_code == 302
        assert Entry.objects.filter(reverses=entry).exists()
    else:
        assert response.status_code == 403
        assert Entry.objects.count() == 1


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_analyst_records_funding_imports_and_terminates(client_for, persona, budget, role):
    client = client_for(persona(role))
    review = budget.review
    with TestCase.captureOnCommitCallbacks(execute=True):
        responses = [
            client.post(
                url("funding_new", review),
                {"kind": "payment", "on": "2015-02-01", "amount": "376726", "reference": "P-1"},
            ),
            client.post(
                url("import", review),
                {"file": xlsx_upload([(dt.date(2015, 3, 1), "expenditure", "staff", 10, "x")])},
            ),
            client.post(url("termination", review), {"terminated_on": "2015-06-01"}),
        ]
    budget.refresh_from_db()
    if role in EDIT_ROLES:
        assert [r.status_code for r in responses] == [302, 302, 302]
        assert Funding.objects.count() == 1 and Entry.objects.count() == 1
        assert budget.terminated_on == dt.date(2015, 6, 1)
    else:
        assert [r.status_code for r in responses] == [403, 403, 403]
        assert not Funding.objects.exists() and not Entry.objects.exists()
        assert budget.terminated_on is None


def test_strangers_cannot_write(client_for, stranger, budget, record):
    entry = record()
    client = client_for(stranger)
    review = budget.review
    assert client.post(url("entry_new", review), good_entry()).status_code == 404
    assert client.post(url("entry_reverse", review, entry.pk)).status_code == 404
    assert Entry.objects.count() == 1


def test_entry_document_download_checks_the_role(client_for, persona, budget):
    client = client_for(persona("analyst"))
    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice")
    response = client.post(url("entry_new", budget.review), good_entry(document=pdf))
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.document_name == "invoice.pdf"
    download = url("entry_document", budget.review, entry.pk)
    assert client_for(persona("coordinator")).get(download).status_code == 200
    assert client_for(persona("expert")).get(download).status_code == 403


def test_entry_documents_go_through_the_storage_api(
    client_for, persona, budget, uploads_in_memory, settings
):
    client = client_for(persona("analyst"))
    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice")
    assert client.post(url("entry_new", budget.review), good_entry(document=pdf)).status_code == 302
    entry = Entry.objects.get()
    assert uploads_in_memory.exists(entry.document.name)
    download = url("entry_document", budget.review, entry.pk)
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 invoice"
    assert not settings.MEDIA_ROOT.exists()
    # A file gone from the storage is not found, not a server error.
    uploads_in_memory.delete(entry.document.name)
    assert client.get(download).status_code == 404


# --- bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"amount": "-100"}, "cannot be negative"),
        ({"amount": "one hundred"}, "is not an amount"),
        ({"amount": "1" * 28}, "The amount is too large."),  # issue 10: was a server error
        ({"amount": "1,250"}, "ambiguous"),
        ({"line": "catering"}, "Unknown budget line"),
        ({"on": "2014-12-31"}, "outside the project"),
        ({"on": "2016-07-21"}, "outside the project"),
        ({"on": "yesterday"}, "Enter a valid date"),
    ],
)
def test_bad_entry_gets_a_clear_error_and_writes_nothing(
    client_for, persona, budget, changes, message
):
    response = client_for(persona("analyst")).post(
        url("entry_new", budget.review), good_entry(**changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Entry.objects.exists()


def test_entry_with_a_file_that_lies_about_its_type_writes_nothing(client_for, persona, budget):
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90 not a pdf")
    response = client_for(persona("analyst")).post(
        url("entry_new", budget.review), good_entry(document=fake)
    )
    assert response.status_code == 400
    assert "does not match" in response.text
    assert not Entry.objects.exists()


def test_xlsx_with_broken_rows_shows_each_row_and_writes_nothing(client_for, persona, budget):
    upload = xlsx_upload(
        [
            (dt.date(2015, 3, 1), "expenditure", "staff", 1000, "Good"),
            (dt.date(2015, 3, 1), "expenditure", "staff", "lots", "Text"),
            (dt.date(2015, 3, 1), "expenditure", "nowhere", 10, "Unknown line"),
        ]
    )
    client = client_for(persona("analyst"))
    job = run_posted(client, url("import", budget.review), {"file": upload})
    assert job.state == Job.State.FAILED
    text = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "2 rows need correcting; nothing was imported." in text
    assert "“lots” is not an amount" in text and "Unknown budget line “nowhere”" in text
    assert not Entry.objects.exists()


def test_bad_funding_and_termination_get_errors(client_for, persona, budget):
    client = client_for(persona("analyst"))
    response = client.post(
        url("funding_new", budget.review),
        {"kind": "payment", "on": "2015-02-01", "amount": "lots", "reference": ""},
    )
    assert response.status_code == 400 and "is not an amount" in response.text
    response = client.post(url("termination", budget.review), {"terminated_on": "2030-01-01"})
    assert response.status_code == 400 and "within the project" in response.text
    assert not Funding.objects.exists()
    budget.refresh_from_db()
    assert budget.terminated_on is None


# --- what the pages show ------------------------------------------------------


def test_finance_page_shows_the_check_with_the_discrepancy(client_for, persona, budget):
    text = client_for(persona("coordinator")).get(url("home", budget.review)).content.decode()
    assert "does not add up" in text
    assert "376,731.00" in text and "376,726.00" in text and "5.00" in text
    assert "23,733.738" in text
    # The co-ordinator sees but cannot write.
    assert url("entry_new", budget.review) not in text


def test_finance_page_shows_overspending(client_for, persona, budget, record):
    record(line="expert-missions", amount="7000.01")
    text = client_for(persona("analyst")).get(url("home", budget.review)).content.decode()
    assert "Mission costs (experts) is overspent by 0.01 EUR." in text


def test_finance_page_query_count_does_not_grow_with_entries(
    client_for, persona, budget, record, django_assert_max_num_queries
):
    client = client_for(persona("analyst"))
    record()
    with django_assert_max_num_queries(20) as few:
        client.get(url("home", budget.review))
    for i in range(8):  # 1 entry, then 9 and 3 reversals
        reversed_ = record(amount=str(i + 1))
        if i % 3 == 0:
            entry_reverse(entry=reversed_, by=persona("analyst"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("home", budget.review))
    assert response.status_code == 200


def test_overview_loads_the_check_for_finance_roles_only(client_for, persona, budget):
    overview = reverse("reviews:overview", args=[budget.review.slug])
    check = url("check", budget.review)
    assert check in client_for(persona("coordinator")).get(overview).text
    assert check not in client_for(persona("expert")).get(overview).text
    fragment = client_for(persona("coordinator")).get(check).text
    assert "1 discrepancy in the printed budget" in fragment
    assert "Difference: 5.00." in fragment


def test_nav_links_to_finance_for_finance_roles_only(client_for, persona, budget):
    overview = reverse("reviews:overview", args=[budget.review.slug])
    assert url("home", budget.review) in client_for(persona("analyst")).get(overview).text
    assert url("home", budget.review) not in client_for(persona("business")).get(overview).text


# --- the final financial report -------------------------------------------------


def spend(review, analyst):
    """A payment of the whole first instalment, two lines' expenditure and a commitment."""
    funding_record(
        review=review,
        kind="payment",
        on=dt.date(2015, 2, 1),
        amount="376726",
        reference="P",
        by=analyst,
    )
    for line, amount, kind in (
        ("staff", "200000", "expenditure"),
        ("expert-fees", "28000.50", "expenditure"),
        ("other", "1000", "commitment"),
    ):
        entry_record(
            review=review,
            kind=kind,
            line_code=line,
            on=dt.date(2015, 3, 1),
            amount=amount,
            payee="P",
            by=analyst,
        )


def made_spent() -> dict[str, Any]:
    """The rows of the ``spent`` fixture, for parasat.core.testing.shared."""
    made = made_budget()
    spend(made["review"], Personas(made["review"], made["personas"])("analyst"))
    made["spent"] = made["budget"]
    return made


shared.share_rows("spent", made_spent)


@pytest.fixture
def spent(review, budget, analyst, _shared_rows):
    """The budget, its ledger spent as ``spend`` does: made once for the tests
    asking for it one after another."""
    if _shared_rows is not None and "spent" in _shared_rows:
        return _shared_rows["spent"]
    spend(review, analyst)
    return budget


def test_report_html_in_each_language(client_for, persona, spent):
    client = client_for(persona("coordinator"))
    en = client.get(url("report", spent.review) + "?lang=en").content.decode()
    assert "Final financial report" in en
    assert "200,000.00" in en and "28,000.50" in en
    # Due six months after the planned end (2016-07-20): 20 January 2017.
    assert "20 January 2017" in en
    # balance = 376,726 - 228,000.50 - 1,000 - 23,734 = 123,991.50
    assert "123,991.50" in en
    ru = client.get(url("report", spent.review) + "?lang=ru").content.decode()
    assert "200\xa0000,00" in ru and "Расходы на персонал" in ru
    kk = client.get(url("report", spent.review) + "?lang=kk").content.decode()
    assert "Қызметкерлерге арналған шығындар" in kk


def test_report_follows_the_reader_language_cookie(client_for, persona, spent):
    client = client_for(persona("analyst"))
    client.cookies["django_language"] = "kk"
    text = client.get(url("report", spent.review)).content.decode()
    assert 'lang="kk"' in text and "Қызметкерлерге арналған шығындар" in text


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_report_pdf(client_for, persona, spent, lang):
    client = client_for(persona("analyst"))
    page = client.get(url("report_pdf", spent.review) + f"?lang={lang}")
    assert page.status_code == 200
    assert f'value="{lang}" checked' in page.content.decode()
    job = run_posted(client, url("report_pdf", spent.review), {"lang": lang})
    assert job.language == lang
    response = download(client, job)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"-{lang}.pdf" in response["Content-Disposition"]
    # DejaVu Sans covers Kazakh; no other face is embedded.
    assert _pdf_fonts(response.content) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_the_offer_to_prepare_the_pdf_reads_no_ledger(
    client_for, persona, spent, django_assert_max_num_queries
):
    """The page offering the PDF only needs the review and whether it has a
    budget: the figures are read by the job that lays the PDF out."""
    client = client_for(persona("analyst"))
    with django_assert_max_num_queries(3) as queries:  # the user, the roles, the budget
        assert client.get(url("report_pdf", spent.review)).status_code == 200
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "finance_entry" not in read and "finance_funding" not in read
    assert "finance_budgetline" not in read and "reviews_signature" not in read


def test_report_pdf_is_built_once_per_ledger_version_and_language(
    client_for, persona, spent, record, monkeypatch
):
    """WeasyPrint takes seconds: a PDF is built once for what the ledger holds
    and the language, kept, and sent again as it is until the ledger changes."""
    built: list[str] = []
    real = exports.pdf_from_html
    monkeypatch.setattr(exports, "pdf_from_html", lambda html: built.append(html) or real(html))
    client = client_for(persona("analyst"))
    first = download(client, run_posted(client, url("report_pdf", spent.review), {"lang": "en"}))
    again = client.post(url("report_pdf", spent.review), {"lang": "en"})
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"
    assert '-en.pdf"' in again["Content-Disposition"]
    assert again.content == first.content and len(built) == 1
    # Another reader with the right is sent the same file; one without it, nothing.
    other = client_for(persona("coordinator")).post(url("report_pdf", spent.review), {"lang": "en"})
    assert other.content == first.content and len(built) == 1
    for role in sorted(set(ALL_ROLES) - VIEW_ROLES):
        refused = client_for(persona(role)).post(url("report_pdf", spent.review), {"lang": "en"})
        assert refused.status_code in (403, 404) and not refused.content.startswith(b"%PDF")
    # Another language is another PDF.
    run_posted(client, url("report_pdf", spent.review), {"lang": "ru"})
    assert len(built) == 2
    # A new entry in the ledger: the kept PDF is no longer sent, a job builds the new one.
    record(line="other", amount="4321")
    job = run_posted(client, url("report_pdf", spent.review), {"lang": "en"})
    assert len(built) == 3 and re.search(r"4\D?321", built[-1])
    assert download(client, job).content != first.content


def _pdf_fonts(data: bytes) -> set[str]:
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(match.group(1)))
    names = {n for c in chunks for n in re.findall(rb"/BaseFont\s*/([A-Za-z+\-]+)", c)}
    return {n.decode().split("+", 1)[-1] for n in names}


@pytest.mark.parametrize(
    ("lang", "title", "line"),
    [
        ("en", "Final financial report", "Staff costs"),
        ("ru", None, "Расходы на персонал"),
        ("kk", None, "Қызметкерлерге арналған шығындар"),
    ],
)
def test_report_xlsx(client_for, persona, spent, lang, title, line):
    response = client_for(persona("coordinator")).get(
        url("report_xlsx", spent.review) + f"?lang={lang}"
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    if title:
        assert rows[0][0] == title
    staff = next(r for r in rows if r[0] == line)
    assert [D(str(v)) for v in staff[1:5]] == [
        D("212790"),
        D("200000"),
        D("0"),
        D("12790"),
    ]
    entries = wb.worksheets[1]
    amounts = [D(str(r[4])) for r in entries.iter_rows(min_row=2, values_only=True)]
    assert amounts == [D("200000"), D("28000.5"), D("1000")]


def test_report_of_a_terminated_review_shows_the_settlement(client_for, persona, spent):
    termination_record(
        review=spent.review, terminated_on=dt.date(2015, 6, 1), by=persona("analyst")
    )
    text = client_for(persona("coordinator")).get(url("report", spent.review)).content.decode()
    assert "Settlement after termination" in text
    # owed = 228,000.50 spent + 1,000 committed; refund = 376,726 - 229,000.50
    assert "229,000.50" in text and "147,725.50" in text
    # Due six months after the termination.
    assert "1 December 2015" in text
    wb = load_workbook(
        io.BytesIO(client_for(persona("analyst")).get(url("report_xlsx", spent.review)).content)
    )
    rows = {r[0]: r[1] for r in wb.worksheets[0].iter_rows(values_only=True) if r and r[0]}
    assert D(str(rows["Refund to the Government"])) == D("147725.50")


def test_review_without_budget(client_for, persona, review):
    client = client_for(persona("analyst"))
    assert "No budget has been recorded" in client.get(url("home", review)).text
    assert client.get(url("report_pdf", review)).status_code == 404
    assert not Budget.objects.exists()


def test_admin_lists_the_ledger_read_only(client_for, budget, record):
    record()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    assert client.get(reverse("admin:finance_entry_changelist")).status_code == 200
    assert client.get(reverse("admin:finance_budget_changelist")).status_code == 200
    assert client.get(reverse("admin:finance_entry_add")).status_code == 403


def test_import_template_round_trips(client_for, persona, budget):
    client = client_for(persona("analyst"))
    response = client.get(url("import_template", budget.review))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == ["date", "kind", "line", "amount", "payee"]
    codes = [r[0] for r in wb.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert codes[0] == "staff" and len(codes) == 6
    ws = wb.worksheets[0]
    ws.append([dt.date(2015, 3, 1), "expenditure", "staff", "10.00", "From the template"])
    out = io.BytesIO()
    wb.save(out)
    upload = SimpleUploadedFile("filled.xlsx", out.getvalue())
    job = run_posted(client, url("import", budget.review), {"file": upload})
    assert job.state == Job.State.SUCCEEDED
    assert job.summary == "1 entry was imported."
    assert Entry.objects.get().amount == D("10.00")


def test_report_query_count_does_not_grow_with_entries(
    client_for, persona, budget, record, django_assert_max_num_queries
):
    client = client_for(persona("coordinator"))
    record()
    with django_assert_max_num_queries(30) as few:
        client.get(url("report", budget.review))
    for i in range(8):  # 1 entry, then 9 on two lines
        record(amount=str(i + 1), line="other" if i % 2 else "staff")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("report", budget.review)).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("report_xlsx", budget.review)).status_code == 200


@pytest.mark.parametrize(
    ("lang", "found", "claim"),
    [
        (
            "en",
            "The budget lines plus the administrative fee do not equal the stated total.",
            "The budget lines plus the administrative fee equal the stated total.",
        ),
        (
            "ru",
            "Сумма статей бюджета и административного сбора не равна указанной общей сумме.",
            "Сумма статей бюджета и административного сбора равна указанной общей сумме.",
        ),
        (
            "kk",
            "Бюджет баптары мен әкімшілік алымның қосындысы көрсетілген жалпы сомаға тең емес.",
            "Бюджет баптары мен әкімшілік алымның қосындысы көрсетілген жалпы сомаға тең.",
        ),
    ],
)
def test_the_budget_check_says_what_it_found(client_for, persona, budget, lang, found, claim):
    """Issue 10: the overview said the lines plus the fee equal the total, then
    showed that they do not. Each check now says what it found."""
    client = client_for(persona("coordinator"))
    client.cookies["django_language"] = lang
    for page in ("check", "home"):
        text = client.get(url(page, budget.review)).content.decode()
        assert found in text, page
        assert claim not in text, page


@pytest.mark.parametrize("role", ["coordinator", "analyst", "local_consultant"])
def test_the_translations_page_lists_budget_lines_to_finance_readers_only(
    client_for, persona, review, budget, role
):
    line = budget.lines.get(code="staff")
    line.name = line.name.updated({"en": "Staff costs, as printed"})  # kk/ru now out of date
    line.save()
    html = client_for(persona(role)).get(reverse("translations") + "?language=kk").text
    assert ("Staff costs, as printed" in html) == (role in VIEW_ROLES)
