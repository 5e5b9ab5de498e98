"""The answer form keeps each answer's row, drawn, under everything the row
shows (see ``answering._rows`` and ``frozen.kept_row``), and the whole page
under the assignment's last activity and the tokens (``answering._page_key``).
Whatever changes an answer shows at once, only the changed rows are drawn
again, no reader is shown a row drawn for another, and every row carries the
token of the request that shows it."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from parasat.assessment import access, frozen, services
from parasat.assessment.models import Evidence
from parasat.assessment.tests.test_views_answering import forward_all, post_save, save, url
from parasat.assessment.views import answering
from parasat.core.lib import pagecache
from parasat.reviews.models import Role

ROW = "assessment/_answer_row.html"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
NONCE = re.compile(r'nonce="[^"]*"')
MESSAGES = re.compile(r'<div class="messages".*?</div></div>', re.S)

pytestmark = pytest.mark.django_db


def forget_pages() -> None:
    """Drop the pages kept whole (the rows stay)."""
    cache.clear()
    pagecache._MEMO.clear()


def forget_all() -> None:
    forget_pages()
    frozen.forget()


def drawn(response) -> int:
    """How many answer rows the response drew rather than took as kept."""
    return [t.name for t in response.templates].count(ROW)


def tokens_out(html: str) -> str:
    """The page without what no two responses share: the CSRF token, the CSP
    nonce and the messages shown once."""
    html = TOKEN.sub('name="csrfmiddlewaretoken" value="-"', html)
    html = MESSAGES.sub("", html)
    return NONCE.sub('nonce="-"', html)


def form_of(client: Client, work, *, afresh: bool = True, **kw) -> str:
    """The form as ``client`` gets it; with ``afresh``, proved the same as the
    form drawn with nothing kept."""
    page = url("assignment", work, work.assignment.pk)
    response = client.get(page, **kw)
    assert response.status_code == 200
    html = response.content.decode()
    if afresh:
        forget_all()
        again = client.get(page, **kw)
        assert drawn(again) > 0
        assert tokens_out(again.content.decode()) == tokens_out(html)
    return html


def row_of(html: str, name: str) -> str:
    start = html.index(f'id="q-{name}"')
    return html[start : html.index("</section>", start)]


def test_a_row_is_drawn_once_and_a_save_draws_its_own_row_again(work, client_for):
    client = client_for(work.contact)
    page = url("assignment", work, work.assignment.pk)
    first = client.get(page)
    answers = work.assignment.answers.count()
    assert drawn(first) == answers == 6
    second = client.get(page)
    assert drawn(second) == 0
    assert tokens_out(second.text) == tokens_out(first.text)
    # One answer saved: its row alone is drawn again, with the new text.
    answer = work.answer("describe")
    assert post_save(client, work, answer, "A register of declarations.").status_code == 200
    third = client.get(page)
    assert drawn(third) == 1
    assert "A register of declarations." in row_of(third.text, "describe")
    # A save that changes which questions are asked draws those rows too.
    post_save(client, work, work.answer("policy"), "no")
    fourth = client.get(page)
    assert drawn(fourth) == 2  # policy, and share, no longer asked
    assert "not-relevant" in fourth.text.split('id="q-share"')[0].rsplit("<section", 1)[1]
    form_of(client, work)


def test_evidence_added_and_withdrawn_shows_at_once(work, client_for):
    client = client_for(work.contact)
    answer = work.answer("act")
    assert "Decree 12" not in form_of(client, work)
    response = client.post(
        url("evidence_add", work, answer.pk),
        {
            "kind": "link",
            "url": "https://example.kz/decree-12",
            "title": "Decree 12",
            "confidentiality": "team",
            "next": "form",
        },
    )
    assert response.status_code == 302
    html = form_of(client, work)
    assert "Decree 12" in row_of(html, "act")
    evidence = Evidence.objects.get(answer=answer)
    client.post(url("evidence_withdraw", work, evidence.pk), {"next": "form"})
    assert "Decree 12" not in form_of(client, work)


def test_a_comment_counts_in_its_row_at_once(work, client_for):
    client = client_for(work.contact)
    assert "Details and comments (1)" not in form_of(client, work)
    services.comment_post(answer=work.answer("describe"), by=work.coordinator, body="Cite it.")
    assert "Details and comments (1)" in row_of(form_of(client, work), "describe")


def test_an_answer_returned_shows_its_reason_and_opens_again(work, client_for):
    save(work, "policy", "yes")
    save(work, "share", "40")
    save(work, "describe", "Text")
    services.assignment_submit(assignment=work.assignment, by=work.contact)
    contact, coordinator = client_for(work.contact), client_for(work.coordinator)
    html = form_of(contact, work)
    assert "data-autosave" not in html  # submitted: nothing to edit
    form_of(coordinator, work)
    services.answers_decide(
        answers=[work.answer("describe")],
        by=work.coordinator,
        accept=False,
        reason="Please cite the act.",
    )
    html = form_of(contact, work)
    describe = row_of(html, "describe")
    assert "Please cite the act." in describe and "data-autosave" in describe
    assert html.count("data-autosave") == 1
    assert "Please cite the act." in form_of(coordinator, work)


def test_the_rows_follow_the_reader_s_language(work, client_for):
    client = client_for(work.contact)
    english = "Explanation and sources"
    with translation.override("ru"):
        russian = gettext(english)
    assert russian != english
    assert english in form_of(client, work)
    translation.activate("ru")
    html = form_of(client, work, headers={"accept-language": "ru"})
    assert russian in html and english not in html
    translation.activate("en")
    html = form_of(client, work, headers={"accept-language": "en"})
    assert english in html and russian not in html


def test_no_reader_is_shown_a_row_drawn_for_another(work, client_for, persona):
    act = work.answer("act")
    for title, level in (("Secret memo", "government"), ("Open memo", "team")):
        services.evidence_add_reference(
            answer=act,
            by=work.contact,
            kind="link",
            title=title,
            url="https://example.kz/memo",
            confidentiality=level,
        )
    services.comment_post(answer=act, by=work.contact, body="For the ministry.")
    forward_all(work)
    contact, analyst = client_for(work.contact), client_for(persona(Role.ANALYST))
    html = form_of(contact, work, afresh=False)
    assert "Secret memo" in html and "Open memo" in html
    theirs = analyst.get(url("assignment", work, work.assignment.pk))
    assert drawn(theirs) > 0  # drawn for the analyst, not taken from the contact's
    assert "Secret memo" not in theirs.text and "Open memo" in theirs.text
    form_of(analyst, work)
    coordinator = form_of(client_for(work.coordinator), work)
    assert "Secret memo" in coordinator


def test_every_row_carries_the_token_of_the_request_that_shows_it(work, client_for):
    client = Client(enforce_csrf_checks=True)
    client.force_login(work.contact, backend="parasat.accounts.backends.CachedModelBackend")
    page = url("assignment", work, work.assignment.pk)
    client.get(page)
    response = client.get(page)  # every row as kept
    assert drawn(response) == 0
    html = response.content.decode()
    assert "\x00" not in html
    secret = client.cookies["csrftoken"].value
    tokens = TOKEN.findall(html)
    assert len(tokens) > 6 and all(_unmask_cipher_token(t) == secret for t in tokens)
    answer = work.answer("describe")
    saved = client.post(
        url("answer_save", work, answer.pk),
        {
            "value": "Sent with the row's token.",
            "explanation": "",
            "confidentiality": "team",
            "base_version": answer.version,
            "csrfmiddlewaretoken": TOKEN.search(row_of(html, "describe")).group(1),
        },
    )
    assert saved.status_code == 302
    answer.refresh_from_db()
    assert answer.raw == "Sent with the row's token."


def test_a_row_drawn_editable_is_not_shown_to_a_reader_who_may_not_edit(
    work, client_for, monkeypatch
):
    """What the reader may do is part of what a row shows: the same answer,
    unchanged, is drawn read-only for a reader who may not edit it."""
    client = client_for(work.contact)
    assert form_of(client, work, afresh=False).count("data-autosave") == 6
    monkeypatch.setattr(access.Reader, "may_edit", lambda self, answer: False)
    forget_pages()
    response = client.get(url("assignment", work, work.assignment.pk))
    assert drawn(response) == 6 and "data-autosave" not in response.text


def test_the_page_kept_whole_reads_no_answers_and_shows_another_s_save_at_once(
    work, client_for, django_assert_max_num_queries
):
    """The page is kept whole too, under the assignment's last activity and
    the assessment's token: served without reading answers, evidence or
    comments, and drawn again (its unchanged rows as kept) whoever changed
    the assignment's answers."""
    contact, coordinator = client_for(work.contact), client_for(work.coordinator)
    page = url("assignment", work, work.assignment.pk)
    contact.get(page)
    with django_assert_max_num_queries(6) as kept:
        again = contact.get(page)
    read = " ".join(q["sql"] for q in kept.captured_queries)
    assert drawn(again) == 0 and "assessment_answer" not in read, read
    assert "assessment_evidence" not in read and "assessment_comment" not in read
    answer = work.answer("describe")
    assert post_save(coordinator, work, answer, "Written by the co-ordinator.").status_code == 200
    response = contact.get(page)
    assert drawn(response) == 1
    assert "Written by the co-ordinator." in row_of(response.text, "describe")
    assert "by Coordinator" in row_of(response.text, "describe")


def test_a_person_renamed_shows_within_the_page_s_minutes(work, client_for, monkeypatch):
    client = client_for(work.contact)
    save(work, "describe", "Text")
    assert "by Contact" in row_of(form_of(client, work, afresh=False), "describe")
    work.contact.full_name = "Aigerim Contact"
    work.contact.save()
    html = form_of(client, work, afresh=False)
    later = timezone.now() + dt.timedelta(minutes=answering.PAGE_MINUTES)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "by Aigerim Contact" in row_of(form_of(client, work), "describe")
    assert "Aigerim" in html  # the header names the reader at once (the reader's key)


def test_evidence_refused_comes_back_in_the_kept_page(work, client_for):
    """What a failed add left shows in the form even when the message that
    went with it was read on another page and the form is kept."""
    client = client_for(work.contact)
    answer = work.answer("act")
    form_of(client, work, afresh=False)
    bad = {"kind": "link", "url": "ftp://example.kz/act", "title": "Act", "next": "form"}
    client.post(url("evidence_add", work, answer.pk), bad)
    client.get(url("home", work))  # the message is shown and read there
    html = form_of(client, work, afresh=False)
    assert 'value="ftp://example.kz/act"' in row_of(html, "act")
    assert "ftp://example.kz/act" not in form_of(client, work)  # once


def test_the_kept_page_stays_in_the_process(work, client_for, monkeypatch):
    """The page's key changes with every save in the assignment: it is kept in
    the process, never written to nor read from the shared cache."""
    used = []

    class Watched:
        def get(self, key, *args):
            used.append(key)
            return cache.get(key, *args)

        def set(self, key, *args, **kwargs):
            used.append(key)
            return cache.set(key, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(cache, name)

    monkeypatch.setattr(pagecache, "cache", Watched())
    client = client_for(work.contact)
    page = url("assignment", work, work.assignment.pk)
    client.get(page)
    again = client.get(page)
    assert drawn(again) == 0  # kept
    assert not [k for k in used if k.startswith("page:")]
