"""Measures to and from a spreadsheet: an export imports back; a bad row is
named by row and column and nothing is written."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parasat.actionplan import transfer
from parasat.actionplan.models import Indicator, Measure
from parasat.reviews.models import Role

pytestmark = pytest.mark.django_db

HEADER = (
    "recommendations,title_en,title_ru,responsible,partners,start,due,budget,currency,"
    "budget_source,indicator_en,unit,baseline,target,frequency\n"
)


def sheet(text: str, name: str = "measures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def test_measures_import_from_csv_with_their_indicators(setup):
    plan = setup.plan()
    text = HEADER + (
        "COI-1,Verify declarations,Проверять декларации,min-justice,min-finance,"
        "2016-01-01,2016-12-31,"
        "1000000,KZT,state,Share verified,percent,0,80,quarterly\n"
        "COI-2,Publish declarations,,min-justice,,2016-01-01,2017-06-30,,,,,,,,\n"
    )
    result = transfer.measures_import(plan=plan, upload=sheet(text), by=setup.coordinator)
    assert result.ok and result.measures == 2 and result.indicators == 1
    m1 = Measure.objects.get(code="1")
    assert m1.title.get("ru") == "Проверять декларации" and m1.budget == 1_000_000
    assert list(m1.partners.values_list("code", flat=True)) == ["min-finance"]


def test_a_bad_row_is_named_and_nothing_is_written(setup):
    plan = setup.plan()
    text = HEADER + (
        "COI-1,Verify declarations,,min-justice,,2016-01-01,2016-12-31,,,,"
        "Share,percent,0,80,quarterly\n"
        "COI-9,Unknown,,min-justice,,2016-01-01,2016-12-31,,,,,,,,\n"
        "COI-2,No agency,,,,2016-01-01,2016-12-31,,,,,,,,\n"
        "COI-2,Bad range,,min-justice,,2016-01-01,2016-12-31,,,,Share,percent,0,180,quarterly\n"
        "COI-2,Bad date,,min-justice,,2016-13-01,2016-12-31,,,,,,,,\n"
    )
    result = transfer.measures_import(plan=plan, upload=sheet(text), by=setup.coordinator)
    found = {(p.row, p.column) for p in result.problems}
    assert found == {(3, "recommendations"), (4, "responsible"), (5, "target"), (6, "start")}
    assert "Unknown recommendation COI-9" in result.problems[0].message
    assert not Measure.objects.exists() and not Indicator.objects.exists()


def test_a_nul_beyond_the_checked_head_of_a_csv_is_not_stored(setup):
    # The upload check reads the first 4 KB; PostgreSQL refuses NUL in text.
    plan = setup.plan()
    row = "COI-1,{title},,min-justice,,2016-01-01,2016-12-31,,,,,,,,\n"
    # Four rows of long titles fill the head (80 short ones did, each a measure saved).
    rows = [row.format(title=f"Measure {i} " + "verify declarations " * 55) for i in range(4)]
    text = HEADER + "".join(rows) + row.format(title="Verify\x00 declarations")
    assert text.index("\x00") > 4096
    result = transfer.measures_import(plan=plan, upload=sheet(text), by=setup.coordinator)
    assert result.ok, result.problems
    assert Measure.objects.filter(title__en="Verify declarations").exists()


def test_an_export_imports_back_into_another_plan(setup):
    plan, _measures = setup.adopted()
    rows = list(csv.reader(io.StringIO(transfer.export_csv(plan).lstrip("\ufeff"))))
    assert rows[0] == transfer.COLUMNS and len(rows) == 3
    xlsx = transfer.export_xlsx(plan)
    assert xlsx[:2] == b"PK"
    plan.delete()
    fresh = setup.plan()
    upload = SimpleUploadedFile("m.xlsx", xlsx)
    result = transfer.measures_import(plan=fresh, upload=upload, by=setup.coordinator)
    assert result.ok and result.measures == 2 and result.indicators == 2


def test_the_import_page_lists_problems_and_only_the_coordinator_imports(
    setup, persona, client_for
):
    setup.plan()
    url = reverse("actionplan:import", args=[setup.review.slug])
    bad = HEADER + "COI-9,Unknown,,min-justice,,2016-01-01,2016-12-31,,,,,,,,\n"
    response = client_for(setup.coordinator).post(url, {"file": sheet(bad)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "Unknown recommendation COI-9" in page
    for role in (Role.ANALYST, Role.CONTACT_PERSON, Role.CIVIL_SOCIETY):
        user = setup.contact if role == Role.CONTACT_PERSON else persona(role)
        good = HEADER + "COI-1,Verify,,min-justice,,2016-01-01,2016-12-31,,,,,,,,\n"
        assert client_for(user).post(url, {"file": sheet(good)}).status_code in {403, 404}
    assert not Measure.objects.exists()
    export = reverse("actionplan:export_csv", args=[setup.review.slug])
    assert client_for(persona(Role.ANALYST)).get(export).status_code == 200
