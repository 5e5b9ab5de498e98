"""factory_boy factories for the toolkit."""

from __future__ import annotations

from pathlib import Path

import factory

from parasat.core.testing.texts import tt
from parasat.toolkit.models import (
    Instrument,
    Pillar,
    PolicyArea,
    Provision,
    Question,
    Questionnaire,
)

FIXTURE_BANK = Path(__file__).resolve().parent / "bank"


class PillarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pillar
        django_get_or_create = ("code",)

    code = "GOV"
    order = 1
    name = factory.LazyFunction(lambda: tt("Governance", "Управление", "Басқару"))


class PolicyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyArea
        django_get_or_create = ("code",)

    code = "REG"
    pillar = factory.SubFactory(PillarFactory)
    order = 1
    name = factory.LazyFunction(lambda: tt("Regulatory policy", "Регуляторная политика"))


class InstrumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instrument
        django_get_or_create = ("code",)

    code = "UNCAC"
    kind = Instrument.Kind.CONVENTION
    url = "https://www.unodc.org/unodc/en/treaties/CAC/"
    name = factory.LazyFunction(lambda: tt("UN Convention against Corruption"))


class ProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provision
        django_get_or_create = ("key",)

    instrument = factory.SubFactory(InstrumentFactory)
    ref = factory.Sequence(lambda n: f"art.{n + 1}")
    key = factory.LazyAttribute(lambda o: f"{o.instrument.code}:{o.ref}")
    text = factory.LazyFunction(lambda: tt("A paraphrase.", "Пересказ.", "Мазмұны."))


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    identifier = factory.Sequence(lambda n: f"form_{n}")
    version = 1
    area = factory.SubFactory(PolicyAreaFactory)
    title = factory.LazyFunction(lambda: tt("A questionnaire", "Анкета", "Сауалнама"))
    source = Questionnaire.Source.IMPORT


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    order = factory.Sequence(lambda n: n + 1)
    type = "text"
    kind = Question.Kind.TEXT
    name = factory.Sequence(lambda n: f"q_{n}")
    label = factory.LazyAttribute(lambda o: tt(f"Question {o.name}", f"Вопрос {o.name}"))

    @factory.post_generation
    def provisions(self, create, extracted, **kwargs):
        if create and extracted:
            self.provisions.set(extracted)
