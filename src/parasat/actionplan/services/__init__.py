"""Every write of the action plan (see each module)."""

from parasat.actionplan.services.plan import (
    adoption_problems,
    agencies,
    implied_range,
    indicator_save,
    indicator_withdraw,
    measure_freeze,
    measure_release,
    measure_save,
    measure_withdraw,
    plan_adopt,
    plan_amend,
    plan_start,
    position_save,
    range_text,
)

__all__ = [
    "adoption_problems",
    "agencies",
    "implied_range",
    "indicator_save",
    "indicator_withdraw",
    "measure_freeze",
    "measure_release",
    "measure_save",
    "measure_withdraw",
    "plan_adopt",
    "plan_amend",
    "plan_start",
    "position_save",
    "range_text",
]
