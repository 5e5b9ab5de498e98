from django.urls import reverse

from parasat.core.lib.urls import url_for_pks


def test_url_for_pks_matches_reverse_for_any_pk():
    make = url_for_pks("assessment:answer", "kazakhstan-2014")
    for pk in (1, 42, 918273645, 10**12):
        assert make(pk) == reverse("assessment:answer", args=["kazakhstan-2014", pk])


def test_a_slug_holding_the_marker_digits_keeps_its_place():
    slug = "review-918273645"
    make = url_for_pks("assessment:answer", slug)
    assert make(7) == reverse("assessment:answer", args=[slug, 7])
