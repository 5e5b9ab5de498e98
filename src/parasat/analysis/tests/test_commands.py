"""parasat analysis scales load [FILE]: the scales page's loading, from a shell."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from parasat.analysis.models import RatingLevel, RatingScale
from parasat.core.testing.texts import tt

pytestmark = pytest.mark.django_db

GOOD = """[[scale]]
code = "three"
name = { en = "Three", ru = "Три", kk = "Үш" }
[[scale.level]]
code = "low"
colour = "#aa0000"
name = "Low"
description = "Little is done."
[[scale.level]]
code = "high"
colour = "#00aa00"
name = "High"
"""


def test_a_scales_file_is_loaded_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "scales.toml"
    path.write_text(GOOD, encoding="utf-8")
    call_command("analysis", "scales", "load", str(path))
    assert "Loaded: three." in capsys.readouterr().out
    scale = RatingScale.objects.get(code="three")
    assert scale.source == "file" and scale.name.get("kk") == "Үш"
    assert [str(lv.description) for lv in scale.levels.all()] == ["Little is done.", ""]


def test_a_bad_file_loads_nothing_and_says_why(tmp_path):
    path = tmp_path / "scales.toml"
    path.write_text('[[scale]]\ncode = "x"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="English name"):
        call_command("analysis", "scales", "load", str(path))
    with pytest.raises(CommandError, match="No file"):
        call_command("analysis", "scales", "load", str(tmp_path / "missing.toml"))
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 1_000_001)
    with pytest.raises(CommandError, match="at most 1 MB"):
        call_command("analysis", "scales", "load", str(big))
    assert not RatingScale.objects.exists()


def test_without_a_file_the_shipped_scales_are_loaded_again(capsys):
    call_command("analysis", "scales", "load")
    assert RatingScale.objects.filter(source="shipped").count() == 4
    RatingLevel.objects.update(description=tt(""))
    assert not any(str(lv.description) for lv in RatingLevel.objects.all())
    call_command("analysis", "scales", "load")
    assert "oecd-maturity, compliance" in capsys.readouterr().out
    assert all(lv.description.get("kk") for lv in RatingLevel.objects.all())
