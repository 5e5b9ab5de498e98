import pytest
from django.utils import translation

from parasat.core.lib.translated import Status, TranslatedText
from parasat.core.templatetags.translated import tr


def test_fresh_text_is_current_in_every_language():
    text = TranslatedText.fresh({"en": "Budget", "ru": "Бюджет", "kk": "Бюджет"})
    assert [text.status(lang) for lang in ("en", "ru", "kk")] == [Status.OK] * 3


def test_changing_english_makes_translations_stale_until_confirmed_or_updated():
    text = TranslatedText.fresh({"en": "Budget", "ru": "Бюджет", "kk": "Бюджет"})
    edited = text.updated({"en": "Budget and fee"})
    assert edited.status("ru") == Status.STALE
    assert edited.status("kk") == Status.STALE
    confirmed = edited.updated({}, confirm=["ru"])
    assert confirmed.status("ru") == Status.OK
    assert confirmed.status("kk") == Status.STALE
    updated = confirmed.updated({"kk": "Бюджет және алым"})
    assert updated.status("kk") == Status.OK


def test_missing_translation_falls_back_to_english_and_says_so():
    text = TranslatedText.fresh({"en": "Budget"})
    shown = text.render("kk")
    assert (shown.text, shown.language, shown.status) == ("Budget", "en", Status.MISSING)
    html = tr(text, "kk")
    assert 'lang="en"' in html and "tr-missing" in html


def test_stale_translation_is_shown_with_a_mark():
    text = TranslatedText.fresh({"en": "Budget", "ru": "Бюджет"}).updated({"en": "Total budget"})
    with translation.override("ru"):
        html = tr(text)
    assert "Бюджет" in html and "tr-stale" in html


def test_a_truncated_text_keeps_its_mark():
    text = TranslatedText.fresh({"en": "A long reason " * 10, "ru": "Причина"})
    html = tr(text.updated({"en": "Another long reason " * 10}), "kk", truncate=20)
    assert "A long reason" not in html and "Another long reason…" in html
    assert "tr-missing" in html
    with translation.override("ru"):
        html = tr(text.updated({"en": "Changed"}), truncate=4)
    assert "При…" in html and "tr-stale" in html


def test_json_round_trip_keeps_fingerprints():
    text = TranslatedText.fresh({"en": "A", "ru": "Б"}).updated({"en": "AA"})
    again = TranslatedText.from_json(text.to_json())
    assert again.status("ru") == Status.STALE
    assert again == text


@pytest.mark.django_db
def test_model_field_stores_and_reads_translated_text(review):
    review.title = review.title.updated({"en": "A new title"})
    review.save()
    review.refresh_from_db()
    assert review.title.source == "A new title"
    assert review.title.status("ru") == Status.STALE


def test_in_a_page_title_a_text_has_no_markup_and_is_escaped_once():
    from django.template import Context, Template

    text = TranslatedText.fresh({"en": "Budget & fee <draft>"})
    page = Template(
        "<title>{% plaintext %}{% tr text %}{% endplaintext %}</title><h1>{% tr text %}</h1>"
    )
    with translation.override("kk"):
        html = page.render(Context({"text": text}))
    assert html.startswith("<title>Budget &amp; fee &lt;draft&gt;</title>")
    assert 'lang="en"' in html.split("</title>")[1]  # the mark stays outside the title


@pytest.mark.django_db
def test_a_page_title_falling_back_to_english_shows_no_markup(client):
    from parasat.accounts.tests.factories import UserFactory
    from parasat.reviews.models import Participant
    from parasat.reviews.tests.factories import signed_review

    review = signed_review(title=TranslatedText.fresh({"en": "Integrity review"}).to_json())
    user = UserFactory()
    Participant.objects.create(review=review, user=user, role="coordinator")
    client.force_login(user)
    response = client.get(f"/reviews/{review.slug}/", HTTP_ACCEPT_LANGUAGE="kk")
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert "Integrity review" in title
    assert "<" not in title
