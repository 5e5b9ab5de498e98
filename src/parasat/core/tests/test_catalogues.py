"""Every UI string ships translated: no untranslated or fuzzy catalogue entry."""

from parasat.core.lib.catalogues import po_files, problems, untranslated_django_strings


def test_catalogues_exist_for_kazakh_and_russian():
    languages = {p.parts[-3] for p in po_files()}
    assert {"kk", "ru"} <= languages


def test_no_untranslated_or_fuzzy_entries():
    found = problems()
    assert not found, "\n".join(
        f"{p.path.name} [{p.path.parts[-3]}] {p.kind}: {p.msgid}" for p in found[:50]
    )


def test_django_itself_speaks_kazakh_and_russian_in_what_parasat_shows():
    """Django's own strings (forms, admin, sign-in) are translated in kk and ru,
    by Django's catalogue or Parasat's top-up (``locale_django``). A new Django
    release brings new strings; this names them."""
    missing = untranslated_django_strings(("kk", "ru"))
    assert not missing, "\n".join(f"[{lang}] {msgid}" for lang, msgid in missing[:50])


def test_a_select_left_empty_says_so_in_the_reader_s_language():
    from django.db.models.fields import BLANK_CHOICE_LABEL
    from django.utils import translation

    for language, text in [("kk", "- Нұсқаны таңдаңыз -"), ("ru", "- Выберите вариант -")]:
        with translation.override(language):
            assert str(BLANK_CHOICE_LABEL) == text


def test_kazakh_dates_write_the_month_in_lower_case():
    import datetime as dt

    from django.template.defaultfilters import date
    from django.utils import translation

    with translation.override("kk"):
        assert date(dt.date(2015, 1, 20), "j E Y") == "20 қаңтар 2015"
