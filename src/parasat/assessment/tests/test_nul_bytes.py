"""Issue 10: NUL characters in what people send. SQLite stored them;
PostgreSQL refuses them (a server error). They are removed on the way in, so
both databases hold the same text. Run on both: DATABASE_URL=postgres://…"""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parasat.assessment import imports
from parasat.assessment.models import Comment, Evidence

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def url(name, work, *args):
    return reverse(f"assessment:{name}", args=[work.review.slug, *args])


def test_an_answer_and_its_explanation(work, client_for):
    answer = work.answer("describe")
    response = client_for(work.contact).post(
        url("answer_save", work, answer.pk),
        {
            "value": "The law\x00 of 2015.",
            "explanation": "See\x00 art. 5.",
            "confidentiality": "team",
            "base_version": 0,
        },
        **FETCH,
    )
    assert response.status_code == 200, response.content
    answer.refresh_from_db()
    assert answer.raw == "The law of 2015." and answer.explanation == "See art. 5."
    assert answer.versions.get().value == {"value": "The law of 2015."}


def test_a_choice_with_a_nul_is_one_of_the_options(work, client_for):
    answer = work.answer("policy")
    response = client_for(work.contact).post(
        url("answer_save", work, answer.pk),
        {"value": "ye\x00s", "explanation": "", "confidentiality": "team", "base_version": 0},
        **FETCH,
    )
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.raw == "yes"


def test_a_comment(work, client_for):
    answer = work.answer("describe")
    client_for(work.coordinator).post(
        url("comment_post", work, answer.pk), {"body": "Please\x00 cite the law."}
    )
    assert Comment.objects.get().body == "Please cite the law."


def test_an_evidence_title_link_and_file_name(work, client_for):
    client = client_for(work.contact)
    answer = work.answer("act")
    client.post(
        url("evidence_add", work, answer.pk),
        {
            "kind": "link",
            "url": "https://adilet.zan.kz/\x00rus",
            "title": "Law\x00 on access",
            "confidentiality": "team",
        },
    )
    client.post(
        url("evidence_add", work, answer.pk),
        {
            "kind": "file",
            "title": "",
            "confidentiality": "team",
            "file": SimpleUploadedFile("Закон\x00.pdf", b"%PDF-1.7 body"),
        },
    )
    assert sorted(Evidence.objects.values_list("title", flat=True)) == [
        "Law on access",
        "Закон.pdf",
    ]
    assert Evidence.objects.get(kind="link").url == "https://adilet.zan.kz/rus"


def test_a_text_cell_of_an_imported_file(work):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["describe"])
    writer.writerow(["x" * 5000])  # the upload check looks for NUL in the first 4 KB only
    writer.writerow(["Answered\x00 in the field."])
    upload = SimpleUploadedFile("s.csv", out.getvalue().encode(), "text/csv")
    result = imports.import_answers(
        assignment=work.assignment, upload=upload, by=work.coordinator, use_last_row=True
    )
    assert result.ok, result.problems
    assert work.answer("describe").raw == "Answered in the field."


def test_a_query_string_and_a_posted_code(work, client_for):
    client = client_for(work.coordinator)
    assert client.get(reverse("toolkit:search") + "?q=law%00").status_code == 200
    response = client.post(url("forward", work), {"area": "REG\x00"})
    assert response.status_code == 302
