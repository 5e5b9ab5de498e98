"""factory_boy factories for the review: parties, signatures, phases, letters, people."""

from __future__ import annotations

import datetime as dt

import factory

from parasat.accounts.models import Organisation
from parasat.accounts.tests.factories import OrganisationFactory, UserFactory
from parasat.core.testing.texts import tt
from parasat.reviews.models import Letter, Participant, Party, Phase, Review, Role, Signature


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"review-{n}")
    country = "KZ"
    country_name = factory.LazyFunction(lambda: tt("Kazakhstan", "Казахстан", "Қазақстан"))
    title = factory.LazyAttribute(
        lambda o: tt(f"Review {o.slug}", f"Обзор {o.slug}", f"Шолу {o.slug}")
    )
    responsible_body = factory.SubFactory(OrganisationFactory)
    status = Review.Status.ACTIVE
    languages = factory.LazyFunction(lambda: ["kk", "ru", "en"])


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    review = factory.SubFactory(ReviewFactory)
    side = Party.Side.GOVERNMENT
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.GOVERNMENT)


class SignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signature

    party = factory.SubFactory(PartyFactory)
    signatory = factory.Sequence(lambda n: f"Signatory {n}")
    signatory_title = factory.LazyFunction(lambda: tt("Minister", "Министр", "Министр"))
    signed_on = dt.date(2015, 1, 20)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    review = factory.SubFactory(ReviewFactory)
    kind = Phase.Kind.REVIEW
    order = factory.Sequence(lambda n: n + 1)
    name = factory.LazyFunction(lambda: tt("Review", "Обзор", "Зерттеу"))
    months = 10


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    review = factory.SubFactory(ReviewFactory)
    sent_on = dt.date(2015, 3, 1)
    direction = Letter.Direction.TO_ORGANISATION
    subject = factory.Sequence(lambda n: f"Letter {n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    review = factory.SubFactory(ReviewFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.CONTACT_PERSON


def signed_review(**kwargs: object) -> Review:
    """A review both parties signed (start 2015-01-20), with the three standard phases."""
    review = ReviewFactory(**kwargs)
    gov = PartyFactory(review=review, side=Party.Side.GOVERNMENT)
    org = PartyFactory(
        review=review,
        side=Party.Side.ORGANISATION,
        organisation=OrganisationFactory(kind=Organisation.Kind.INTERNATIONAL),
    )
    SignatureFactory(party=gov, signed_on=dt.date(2015, 1, 15))
    SignatureFactory(party=org, signed_on=dt.date(2015, 1, 20))
    for order, (kind, months) in enumerate(
        [(Phase.Kind.PREPARATORY, 2), (Phase.Kind.REVIEW, 10), (Phase.Kind.CLOSING, 6)], start=1
    ):
        PhaseFactory(review=review, kind=kind, order=order, months=months, name=tt(kind.label))
    return review
