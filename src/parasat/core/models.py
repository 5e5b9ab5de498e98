from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class RowIsAppendOnly(Exception):
    """A row of an append-only table was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses the bulk writes that would pass by the rows' own save() and
    delete(): update() (and so bulk_update()) and delete()."""

    def update(self, **kwargs: Any) -> int:
        raise self.model.append_only_error

    def delete(self) -> tuple[int, dict[str, int]]:
        raise self.model.append_only_error


class AppendOnlyModel(models.Model):
    """A table whose rows, once written, stay as written: a row is inserted and
    never saved again nor deleted, one at a time or in bulk. A mistake is put
    right by a new row. ``append_only_error`` is what a refused write raises."""

    append_only_error: ClassVar[type[RowIsAppendOnly]] = RowIsAppendOnly

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.append_only_error
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise self.append_only_error
