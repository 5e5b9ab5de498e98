"""factory_boy factories for people and organisations."""

from __future__ import annotations

import factory

from parasat.accounts.models import Organisation, User
from parasat.core.testing.texts import tt


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org-{n}")
    name = factory.LazyAttribute(
        lambda o: tt(f"Organisation {o.code}", f"Организация {o.code}", f"Ұйым {o.code}")
    )
    kind = Organisation.Kind.MINISTRY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    full_name = factory.LazyAttribute(lambda o: o.username.title())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")
