import pytest
from django.core.cache import cache

from parasat.core.lib import charts

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "description": "Two bars",
    "data": {"values": [{"area": "COI", "level": 2}, {"area": "REG", "level": 3}]},
    "mark": "bar",
    "encoding": {
        "y": {"field": "area", "type": "nominal"},
        "x": {"field": "level", "type": "quantitative"},
    },
}


def test_a_specification_draws_as_svg_without_script_or_declaration():
    svg = charts.vegalite_svg(SPEC, use_cache=False)
    assert svg.startswith("<svg")
    assert "COI" in svg and "REG" in svg
    assert "<script" not in svg and "style=" not in svg


def test_the_same_specification_is_drawn_once(monkeypatch):
    cache.clear()
    first = charts.vegalite_svg(SPEC)
    import vl_convert

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec: pytest.fail("drawn"))
    assert charts.vegalite_svg(dict(reversed(list(SPEC.items())))) == first


def test_a_broken_specification_is_a_value_error():
    with pytest.raises(ValueError, match="could not be drawn"):
        charts.vegalite_svg({"mark": "no-such-mark", "data": {"values": []}}, use_cache=False)
