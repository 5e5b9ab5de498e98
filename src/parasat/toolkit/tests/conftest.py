import pytest

from parasat.toolkit.bank import load_bank
from parasat.toolkit.tests.factories import FIXTURE_BANK


@pytest.fixture
def fixture_bank(db):
    """The small test bank (two areas, REG and PRC) loaded."""
    return load_bank(FIXTURE_BANK)
