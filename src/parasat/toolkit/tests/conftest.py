import pytest
from django.contrib.auth.models import Group, Permission

from parasat.accounts.tests.factories import UserFactory
from parasat.toolkit.bank import load_bank
from parasat.toolkit.tests.factories import FIXTURE_BANK


@pytest.fixture
def fixture_bank(db):
    """The small test bank (two areas, REG and PRC) loaded."""
    return load_bank(FIXTURE_BANK)


@pytest.fixture
def editor(db):
    """A person granted the right to manage the shared toolkit (through a
    group, as an administrator would grant it), who takes part in no review."""
    group = Group.objects.create(name="Toolkit editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="toolkit", codename="manage_toolkit")
    )
    user = UserFactory(username="toolkit-editor")
    user.groups.add(group)
    return user
