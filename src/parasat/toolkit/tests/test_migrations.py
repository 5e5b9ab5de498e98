"""Migration 0002 corrects citations already in a database, so that a
questionnaire in use stops showing provision numbers its instruments lack."""

import importlib

import pytest
from django.apps import apps

from parasat.toolkit.models import Instrument, Provision
from parasat.toolkit.tests.factories import InstrumentFactory, ProvisionFactory, QuestionFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("parasat.toolkit.migrations.0002_provision_is_paraphrase")


def test_numbers_by_order_become_paraphrases_and_4b_becomes_4c():
    coi = InstrumentFactory(code="OECD-COI", kind=Instrument.Kind.GUIDELINES)
    pir = InstrumentFactory(code="OECD-PIR", kind=Instrument.Kind.RECOMMENDATION)
    question = QuestionFactory()
    question.provisions.add(
        ProvisionFactory(instrument=coi, ref="p2"), ProvisionFactory(instrument=pir, ref="p4(b)")
    )
    untouched = ProvisionFactory(ref="art.5(3)")
    migration.correct_citations(apps, None)
    cited = {p.key: p for p in question.provisions.all()}
    assert set(cited) == {"OECD-COI:disclosure", "OECD-PIR:p4(c)"}
    assert cited["OECD-COI:disclosure"].is_paraphrase and cited["OECD-COI:disclosure"].ref == (
        "disclosure"
    )
    assert not cited["OECD-PIR:p4(c)"].is_paraphrase
    untouched.refresh_from_db()
    assert untouched.key == "UNCAC:art.5(3)" and not untouched.is_paraphrase


def test_when_the_bank_already_loaded_the_new_key_the_citations_move_to_it():
    coi = InstrumentFactory(code="OECD-COI", kind=Instrument.Kind.GUIDELINES)
    in_use = QuestionFactory()
    in_use.provisions.add(ProvisionFactory(instrument=coi, ref="p2"))
    newer = ProvisionFactory(instrument=coi, ref="disclosure")
    migration.correct_citations(apps, None)
    assert list(in_use.provisions.all()) == [newer]
    assert not Provision.objects.filter(key="OECD-COI:p2").exists()
