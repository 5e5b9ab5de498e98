"""Append-only tables: every way in through the ORM refuses to change a row."""

import pytest
from django.apps import apps

from parasat.core.models import AppendOnlyModel, AppendOnlyQuerySet, RowIsAppendOnly

APPEND_ONLY = [m for m in apps.get_models() if issubclass(m, AppendOnlyModel)]


def test_the_project_has_append_only_tables():
    assert {m._meta.label for m in APPEND_ONLY} >= {"finance.Entry", "finance.Funding"}


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_no_manager_of_an_append_only_table_lets_bulk_writes_through(model):
    # A plain manager added beside the inherited one (objects = models.Manager())
    # would let update() and delete() pass by the rows' own refusals.
    for manager in model._meta.managers:
        assert isinstance(manager.get_queryset(), AppendOnlyQuerySet), manager.name
    assert issubclass(model.append_only_error, RowIsAppendOnly)


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_an_append_only_row_refuses_to_be_saved_again_or_deleted_before_any_query(model):
    row = model()
    row._state.adding = False  # as if loaded from the database
    with pytest.raises(model.append_only_error):
        row.save()
    with pytest.raises(model.append_only_error):
        row.delete()
    with pytest.raises(model.append_only_error):
        model.objects.none().update()
    with pytest.raises(model.append_only_error):
        model.objects.none().delete()
