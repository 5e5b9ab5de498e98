import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from parasat.reviews.loader import ExampleError, load_example
from parasat.reviews.models import Party, Review, Signature

pytestmark = pytest.mark.django_db


def test_kazakhstan_example_reproduces_the_agreement():
    review = load_example("kazakhstan-2014")
    assert review.slug == "kazakhstan-2014"
    assert review.title.get("en") == "Integrity Systems Review in Kazakhstan"
    assert review.title.get("kk") == "Қазақстанда парасаттылық жүйелеріне зерттеу жүргізу"
    assert (
        review.responsible_body.name.get("en")
        == "Ministry of National Economy of the Republic of Kazakhstan"
    )
    assert (review.duration_months, review.validity_months, review.report_due_months) == (18, 24, 6)
    assert review.languages == ["kk", "ru", "en"] and review.prevailing_language == "en"
    gov = Party.objects.get(review=review, side="government")
    assert gov.phone == "8 (7172) 74-38-01" and gov.fax == "8 (7172) 74-38-24"
    assert "8 Orynbor street, Astana" in gov.address.get("en")
    oecd = Party.objects.get(review=review, side="organisation")
    assert "2, rue André Pascal, 75775 Paris Cedex 16" in oecd.address.get("en")
    assert "CleanGovBiz" in oecd.addressee.get("en")
    signatories = list(
        Signature.objects.filter(party__review=review).values_list("signatory", flat=True)
    )
    assert sorted(signatories) == ["Anthony J. Rottier", "Rolf Alter", "Yerbolat Dossayev"]
    assert all(
        Signature.objects.filter(party__review=review).values_list("date_is_placeholder", flat=True)
    )
    phases = list(review.phases.values_list("kind", "min_months", "months"))
    assert phases == [("preparatory", 1, 2), ("review", None, 10), ("closing", None, 6)]


def test_organisations_are_named_in_the_reader_s_language():
    from django.utils import translation

    from parasat.accounts.models import Organisation

    load_example("kazakhstan-2014")
    ministry = Organisation.objects.get(code="kz-mne")
    shown = {}
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            shown[language] = str(ministry)
    assert shown == {
        "en": "Ministry of National Economy",
        "ru": "Министерство национальной экономики",
        "kk": "Ұлттық экономика министрлігі",
    }


def test_loading_twice_leaves_one_review_and_keeps_corrected_dates():
    review = load_example("kazakhstan-2014")
    sig = Signature.objects.get(signatory="Rolf Alter")
    sig.signed_on, sig.date_is_placeholder = dt.date(2015, 2, 2), False
    sig.save()
    call_command("example", "load", "kazakhstan-2014")
    assert Review.objects.filter(slug="kazakhstan-2014").count() == 1
    assert Signature.objects.filter(party__review=review).count() == 3
    sig.refresh_from_db()
    assert sig.signed_on == dt.date(2015, 2, 2)


def test_unknown_example_is_a_clear_error():
    with pytest.raises(ExampleError, match="Available: kazakhstan-2014"):
        load_example("atlantis-2099")


def test_if_empty_skips_when_a_review_exists(capsys):
    load_example("kazakhstan-2014")
    call_command("example", "load", "kazakhstan-2014", "--if-empty")
    assert "already holds a review" in capsys.readouterr().out


def test_demo_accounts_print_passwords_once(capsys):
    load_example("kazakhstan-2014")
    call_command("demo", "accounts")
    first = capsys.readouterr().out
    assert "demo-coordinator" in first and "demo-business" in first
    call_command("demo", "accounts")
    assert "demo-coordinator" not in capsys.readouterr().out


def test_a_short_name_missing_in_english_falls_back_to_the_name():
    from django.utils import translation

    from parasat.accounts.tests.factories import OrganisationFactory
    from parasat.core.testing.texts import tt

    org = OrganisationFactory(
        code="minfin", name=tt("Ministry of Finance", "Министерство финансов")
    )
    org.short_name = {"ru": "Минфин"}
    org.save()
    org.refresh_from_db()
    with translation.override("ru"):
        assert str(org) == "Минфин"
    with translation.override("en"):
        assert str(org) == "Ministry of Finance"  # was blank


ROLE_WORDS = re.compile(
    r"co-ordinator|contact person|analyst|expert|peer reviewer|consultant|civil society|business",
    re.IGNORECASE,
)


def test_demo_names_carry_no_english_role_words():
    """A name is the same on Kazakh, Russian and English pages and in emails;
    the role is shown, translated, where it matters and "demo" by a badge."""
    from parasat.accounts.models import User

    load_example("kazakhstan-2014")
    call_command("demo", "accounts", stdout=io.StringIO())
    names = list(User.objects.filter(is_demo=True).values_list("full_name", flat=True))
    assert len(names) == 8
    assert not [n for n in names if ROLE_WORDS.search(n)], names


def test_demo_accounts_made_with_role_words_lose_them_on_the_next_run():
    from parasat.accounts.models import User

    load_example("kazakhstan-2014")
    call_command("demo", "accounts", stdout=io.StringIO())
    User.objects.filter(username="demo-contact").update(full_name="Nurlan Demo (contact person)")
    User.objects.filter(username="demo-analyst").update(full_name="Claire Martin")  # renamed
    call_command("demo", "accounts", stdout=io.StringIO())
    assert User.objects.get(username="demo-contact").full_name == "Nurlan Demo"
    assert User.objects.get(username="demo-analyst").full_name == "Claire Martin"
