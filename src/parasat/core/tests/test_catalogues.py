"""Every UI string ships translated: no untranslated or fuzzy catalogue entry."""

from parasat.core.lib.catalogues import po_files, problems


def test_catalogues_exist_for_kazakh_and_russian():
    languages = {p.parts[-3] for p in po_files()}
    assert {"kk", "ru"} <= languages


def test_no_untranslated_or_fuzzy_entries():
    found = problems()
    assert not found, "\n".join(
        f"{p.path.name} [{p.path.parts[-3]}] {p.kind}: {p.msgid}" for p in found[:50]
    )
