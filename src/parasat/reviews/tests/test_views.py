import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parasat.accounts.tests.factories import UserFactory
from parasat.reviews.models import Amendment, Letter, Role, Signature
from parasat.reviews.tests.factories import LetterFactory, ParticipantFactory

pytestmark = pytest.mark.django_db
ALL_ROLES = [r.value for r in Role]
CORRESPONDENCE_ROLES = {"coordinator", "contact_person", "analyst", "expert", "local_consultant"}
EDIT_ROLES = {"coordinator", "analyst"}


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.slug, *args])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_sees_the_overview_with_the_timeline(client_for, persona, review, role):
    response = client_for(persona(role)).get(url("overview", review))
    assert response.status_code == 200
    assert "Timeline" in response.text and "today" in response.text


def test_the_agreement_s_languages_are_named_in_the_reader_s_language(client_for, persona, review):
    review.languages, review.prevailing_language = ["kk", "ru", "en"], "en"
    review.save()
    client = client_for(persona(Role.COORDINATOR))
    client.cookies["django_language"] = "ru"
    html = client.get(url("overview", review)).text
    assert "Казахский, Русский, Английский" in html and ": Английский</p>" in html
    review.languages, review.prevailing_language = ["kk", "kz"], ""  # as an admin may type
    review.save()
    html = client.get(url("overview", review)).text  # no server error: shown as written
    assert "Казахский, kz" in html


def test_stranger_does_not_learn_a_private_review_exists(client_for, stranger, review):
    assert client_for(stranger).get(url("overview", review)).status_code == 404
    assert client_for(None).get(url("overview", review)).status_code == 404


def test_public_review_overview_is_readable_anonymously_but_people_are_not(client_for, review):
    review.is_public = True
    review.save()
    assert client_for(None).get(url("overview", review)).status_code == 200
    assert client_for(None).get(url("people", review)).status_code == 302  # to sign in


@pytest.mark.parametrize("role", ALL_ROLES)
def test_correspondence_is_for_the_parties_only(client_for, persona, review, role):
    response = client_for(persona(role)).get(url("correspondence", review))
    assert response.status_code == (200 if role in CORRESPONDENCE_ROLES else 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_coordinator_and_analyst_register_letters(client_for, persona, review, role):
    response = client_for(persona(role)).post(
        url("correspondence", review),
        {"sent_on": "2015-03-02", "direction": "to_government", "subject": "Workshop dates"},
    )
    if role in EDIT_ROLES:
        assert response.status_code == 302
        assert Letter.objects.filter(review=review, subject="Workshop dates").exists()
    else:
        assert response.status_code == 403
        assert not Letter.objects.exists()


def test_letter_with_a_file_that_lies_about_its_type_is_refused(client_for, persona, review):
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf")
    response = client_for(persona("coordinator")).post(
        url("correspondence", review),
        {"sent_on": "2015-03-02", "direction": "to_government", "subject": "S", "attachment": fake},
    )
    assert response.status_code == 400
    assert "does not match" in response.text
    assert not Letter.objects.exists()


def test_letter_bad_input_gets_errors_and_writes_nothing(client_for, persona, review):
    response = client_for(persona("analyst")).post(
        url("correspondence", review),
        {"sent_on": "not a date", "direction": "sideways", "subject": ""},
    )
    assert response.status_code == 400
    assert not Letter.objects.exists()


def test_attachment_download_checks_the_role(client_for, persona, review):
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 hello")
    client_for(persona("coordinator")).post(
        url("correspondence", review),
        {"sent_on": "2015-03-02", "direction": "to_government", "subject": "S", "attachment": pdf},
    )
    letter = Letter.objects.get()
    assert (
        letter.attachment.name.endswith(".pdf")
        and "letter" not in letter.attachment.name.split("/")[-1]
    )
    ok = client_for(persona("analyst")).get(url("attachment", review, "letter", letter.pk))
    assert ok.status_code == 200 and b"".join(ok.streaming_content).startswith(b"%PDF")
    assert (
        client_for(persona("civil_society"))
        .get(url("attachment", review, "letter", letter.pk))
        .status_code
        == 403
    )


def test_attachments_go_through_the_storage_api(
    client_for, persona, review, uploads_in_memory, settings
):
    client = client_for(persona("coordinator"))
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4 hello")
    client.post(
        url("correspondence", review),
        {"sent_on": "2015-03-02", "direction": "to_government", "subject": "S", "attachment": pdf},
    )
    letter = Letter.objects.get()
    assert uploads_in_memory.exists(letter.attachment.name)
    download = url("attachment", review, "letter", letter.pk)
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 hello"
    assert not settings.MEDIA_ROOT.exists()
    # A file gone from the storage is not found, not a server error.
    uploads_in_memory.delete(letter.attachment.name)
    assert client.get(download).status_code == 404


def test_amendment_is_recorded_with_its_summary(client_for, persona, review):
    data = {
        "number": "1",
        "signed_on": "2015-06-01",
        "summary_en": "Extends the review by two months",
        "summary_1": "",
        "summary_2": "",
    }
    response = client_for(persona("analyst")).post(url("amendments", review), data)
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert amendment.summary.source == "Extends the review by two months"
    again = client_for(persona("analyst")).post(url("amendments", review), data)
    assert again.status_code == 400 and "already recorded" in again.text
    assert (
        client_for(persona("peer_reviewer")).post(url("amendments", review), data).status_code
        == 403
    )


@pytest.fixture
def amendment_with_file(review):
    amendment = Amendment.objects.create(
        review=review, number=1, signed_on=dt.date(2015, 6, 1), summary={"en": "Extends it"}
    )
    amendment.attachment.save("protocol.pdf", SimpleUploadedFile("p.pdf", b"%PDF-1.4 p"))
    return amendment


@pytest.mark.parametrize("public", [False, True])
def test_amendments_and_their_files_are_for_the_review_s_participants(
    client_for, persona, stranger, review, amendment_with_file, public
):
    """One rule for the anonymous and for people of other reviews: the protocols
    are read by those who take part in the review, public overview or not."""
    review.is_public = public
    review.save()
    page = url("amendments", review)
    file = url("attachment", review, "amendment", amendment_with_file.pk)
    for address in (page, file):
        assert client_for(stranger).get(address).status_code == 404
        anonymous = client_for(None).get(address)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    overview = client_for(stranger).get(url("overview", review))
    assert overview.status_code == (200 if public else 404)
    assert page not in overview.text


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_participant_reads_the_amendments_and_their_files(
    client_for, persona, review, amendment_with_file, role
):
    client = client_for(persona(role))
    assert "Extends it" in client.get(url("amendments", review)).text
    file = client.get(url("attachment", review, "amendment", amendment_with_file.pk))
    assert file.status_code == 200 and b"".join(file.streaming_content).startswith(b"%PDF")


def test_signature_date_replaces_the_placeholder(client_for, persona, review):
    sig = Signature.objects.filter(party__review=review).first()
    sig.date_is_placeholder = True
    sig.save()
    response = client_for(persona("coordinator")).post(
        url("signature_edit", review, sig.pk), {"signed_on": "2015-01-25"}
    )
    assert response.status_code == 302
    sig.refresh_from_db()
    assert sig.signed_on == dt.date(2015, 1, 25) and not sig.date_is_placeholder
    assert (
        client_for(persona("expert"))
        .post(url("signature_edit", review, sig.pk), {"signed_on": "2015-01-26"})
        .status_code
        == 403
    )


def test_people_page_lists_participants_by_role(client_for, persona, review):
    persona("coordinator")
    persona("peer_reviewer")
    response = client_for(persona("civil_society")).get(url("people", review))
    assert response.status_code == 200
    assert "Peer reviewer" in response.text and "Coordinator-User" in response.text


CONTACT_ROLES = {"coordinator", "contact_person", "analyst", "expert", "local_consultant"}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_contact_details_only_for_those_who_work_with_them(client_for, persona, review, role):
    """The government side and the analytical team write to each other; peer
    reviewers, civil society and business see names and organisations."""
    contact = persona("contact_person")
    html = client_for(persona(role)).get(url("people", review)).text
    assert contact.display_name in html
    assert (contact.email in html) == (role in CONTACT_ROLES)
    assert ("mailto:" in html) == (role in CONTACT_ROLES)


def test_overview_query_count_does_not_grow_with_people_and_letters(
    client_for, persona, review, django_assert_max_num_queries
):
    c = client_for(persona("coordinator"))
    with django_assert_max_num_queries(14):
        assert c.get(url("overview", review)).status_code == 200
    for i in range(30):
        ParticipantFactory(review=review, user=UserFactory(), role=Role.CONTACT_PERSON)
        LetterFactory(review=review, subject=f"L{i}")
    with django_assert_max_num_queries(14):
        assert c.get(url("overview", review)).status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get(url("people", review)).status_code == 200


def test_language_switch_is_remembered(client_for, persona, review):
    c = client_for(persona("coordinator"))
    response = c.post(reverse("set_language"), {"language": "kk", "next": url("overview", review)})
    assert response.status_code == 302
    page = c.get(url("overview", review))
    assert '<html lang="kk">' in page.text
    assert "Шолу kz-test" in page.text or "Қазақстан" in page.text


def test_translations_page_lists_missing_kazakh_and_is_refused_to_peers(
    client_for, persona, review
):
    review.title = review.title.updated({"kk": ""})
    review.save()
    response = client_for(persona("analyst")).get(reverse("translations") + "?language=kk")
    assert response.status_code == 200 and "Review kz-test" in response.text
    assert client_for(persona("peer_reviewer")).get(reverse("translations")).status_code == 403


TRANSLATION_ROLES = {"coordinator", "analyst", "local_consultant"}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_translations_page_is_for_those_who_write_or_translate_the_content(
    client_for, persona, review, role
):
    """The co-ordinator and the analysts write the review's texts; the local
    consultant, based in the country, translates them. Experts, peer reviewers,
    contact persons and stakeholders read the content in their language."""
    response = client_for(persona(role)).get(reverse("translations"))
    assert response.status_code == (200 if role in TRANSLATION_ROLES else 403)


def test_a_stranger_and_a_visitor_do_not_open_the_translations_page(client_for, stranger):
    assert client_for(stranger).get(reverse("translations")).status_code == 403
    assert client_for(None).get(reverse("translations")).status_code == 302


def test_the_translations_page_lists_only_the_reader_s_reviews(client_for, persona, review):
    from parasat.reviews.tests.factories import signed_review

    other = signed_review(slug="other-review", title={"en": "Secret other review"})
    review.title = review.title.updated({"kk": ""})
    review.save()
    Amendment.objects.create(
        review=other, number=1, signed_on=dt.date(2015, 6, 1), summary={"en": "Secret protocol"}
    )
    Amendment.objects.create(
        review=review, number=1, signed_on=dt.date(2015, 6, 1), summary={"en": "Our protocol"}
    )
    page = reverse("translations") + "?language=kk"
    for role in TRANSLATION_ROLES:
        html = client_for(persona(role)).get(page).text
        assert "Our protocol" in html and "Review kz-test" in html
        assert "Secret" not in html
    staff = UserFactory(username="staff", is_staff=True)
    html = client_for(staff).get(page).text
    assert "Secret protocol" in html and "Secret other review" in html


def test_cached_overview_shows_changes_made_through_services(client_for, persona, review):
    c = client_for(persona("coordinator"))
    assert "0 letters in the register" in c.get(url("overview", review)).text
    c.post(
        url("correspondence", review),
        {"sent_on": "2015-03-02", "direction": "to_government", "subject": "Workshop"},
    )
    assert "1 letter in the register" in c.get(url("overview", review)).text


def test_cached_overview_is_not_shared_between_roles(client_for, persona, review):
    assert (
        "letters in the register"
        in client_for(persona("coordinator")).get(url("overview", review)).text
    )
    assert (
        "letters in the register"
        not in client_for(persona("business")).get(url("overview", review)).text
    )


@pytest.mark.parametrize(
    ("role", "target", "allowed"),
    [
        ("coordinator", "contact_person", True),
        ("coordinator", "peer_reviewer", False),
        ("analyst", "peer_reviewer", True),
        ("analyst", "contact_person", False),
        ("contact_person", "contact_person", False),
        ("civil_society", "civil_society", False),
    ],
)
def test_who_may_add_whom(client_for, persona, review, role, target, allowed):
    from parasat.reviews.models import Participant

    response = client_for(persona(role)).post(
        url("people", review),
        {"full_name": "Dana New", "email": "dana@example.org", "role": target},
    )
    added = Participant.objects.filter(
        review=review, user__email="dana@example.org", role=target
    ).exists()
    assert added == allowed
    assert response.status_code in ((302,) if allowed else (400, 403))


def test_adding_someone_twice_is_a_clear_error_and_removal_keeps_the_record(
    client_for, persona, review
):
    from parasat.reviews.models import Participant

    c = client_for(persona("coordinator"))
    data = {"full_name": "Dana New", "email": "Dana@Example.org", "role": "contact_person"}
    assert c.post(url("people", review), data).status_code == 302
    again = c.post(url("people", review), data)
    assert again.status_code == 400
    assert "already takes part" in again.text
    p = Participant.objects.get(review=review, user__email="dana@example.org")
    assert not p.user.has_usable_password()
    assert c.post(url("people", review), {"remove": p.pk}).status_code == 302
    p.refresh_from_db()
    assert not p.active
    c.get(url("people", review))  # shows the confirmation message once
    assert "Dana New" not in c.get(url("people", review)).text


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("page", ["overview", "people", "correspondence", "amendments"])
def test_every_review_page_works_in_every_language(client_for, persona, review, language, page):
    c = client_for(persona("coordinator"))
    c.cookies["django_language"] = language
    response = c.get(url(page, review))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.text


def test_recording_deliveries_clears_the_overdue_marks(client_for, persona, review):
    c = client_for(persona("analyst"))
    response = c.post(
        url("deliveries", review),
        {
            "completed_on": "2016-07-20",
            "report_delivered_on": "2016-12-01",
            "financial_report_delivered_on": "",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "completed"
    assert str(review.report_delivered_on) == "2016-12-01"
    page = c.get(url("overview", review)).text
    assert page.count("badge-danger") == 1  # only the financial report is overdue


def test_a_report_cannot_be_delivered_before_the_end(client_for, persona, review):
    response = client_for(persona("coordinator")).post(
        url("deliveries", review),
        {"completed_on": "2016-07-20", "report_delivered_on": "2016-01-01"},
    )
    assert response.status_code == 400
    assert "before the project ends" in response.text
    assert client_for(persona("contact_person")).get(url("deliveries", review)).status_code == 403


def test_the_main_navigation_marks_the_page_it_is_on(client_for, persona, review):
    client = client_for(persona(Role.COORDINATOR))
    home = client.get(reverse("home")).text
    assert f'<a href="{reverse("home")}" aria-current="page">' in home
    inside = client.get(url("overview", review)).text
    assert f'<a href="{reverse("home")}" aria-current="page">' not in inside


def test_status_phases_and_deadlines_tell_one_story(client_for, persona, review):
    """Issue 10: the overview said "Under way" while every phase was past and
    both reports overdue. It now says so, and what the co-ordinator should do."""
    signature = Signature.objects.filter(party__review=review).first()
    signature.date_is_placeholder = True
    signature.save()
    page = client_for(persona("coordinator")).get(url("overview", review)).text
    assert (
        "Every phase ended on 20 July 2016, yet the review is still recorded as under way." in page
    )
    assert "planned end passed" in page
    assert "Enter the real signature dates" in page
    assert "Record when “Main report to the government” was delivered." in page
    assert "Record when “Final financial report” was delivered." in page
    assert "Record the date the review was completed" in page
    assert url("deliveries", review) in page
    # Others read where the review stands, not the co-ordinator's steps.
    other = client_for(persona("expert")).get(url("overview", review)).text
    assert "yet the review is still recorded as under way" in other
    assert "Record the date the review was completed" not in other


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("ru", "Все этапы завершились 20 июля 2016, но обзор всё ещё значится как «Проводится»."),
        (
            "kk",
            "Барлық кезеңдер аяқталды (соңғы күні — 20 шілде 2016), "
            "бірақ зерттеу әлі де «Жүргізілуде» деп тіркелген.",
        ),
    ],
)
def test_the_story_is_told_in_russian_and_kazakh(client_for, persona, review, language, sentence):
    client = client_for(persona("coordinator"))
    client.cookies["django_language"] = language
    page = client.get(url("overview", review)).text
    assert sentence in page


def test_a_completed_review_with_its_reports_has_nothing_left_to_do(client_for, persona, review):
    client = client_for(persona("coordinator"))
    client.post(
        url("deliveries", review),
        {
            "completed_on": "2016-07-20",
            "report_delivered_on": "2016-12-01",
            "financial_report_delivered_on": "2016-12-15",
        },
    )
    page = client.get(url("overview", review)).text
    assert "yet the review is still recorded" not in page
    assert "planned end passed" not in page
    assert "Record the date the review was completed" not in page
