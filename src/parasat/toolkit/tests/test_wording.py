"""The shipped bank names pillars and areas as the agreement does, and every
questionnaire's title carries its area's name in each language.

The agreement's names are copied from its Kazakh text (Resolution No. 1371 of
24 December 2014, Annex I §II; ``../shared/seed/``), lower case as printed in
the list. The seed holds no Russian text, so Russian is held to consistency
between an area and its questionnaire, not to the agreement's wording."""

from parasat.toolkit.bank import BANK_DIR, read_bank

AGREEMENT_PILLARS_KK = {
    "GOV": "тиісті түрде жұмыс істейтін басқару жүйелері",
    "PRV": "тиімді профилактика",
    "DET": "жосықсыз практиканы анықтаудың астарлы тетіктері",
    "PRS": "құқық бұзушылықтарды қатаң қудалау және түзету жүйесі",
}

AGREEMENT_AREAS_KK = {
    "REG": "нормативтік реттеу саласындағы саясат",
    "CMP": "бәсекелестік саласындағы саясат",
    "PFM": "мемлекеттік қаржылық басқару",
    "DEV": "даму саласындағы ынтымақтастық",
    "PSI": "мемлекеттік сектордағы парасаттылық",
    "PRC": "мемлекеттік сатып алу",
    "TXT": "салық ашықтығы",
    "EXC": "экспорттық несиелер",
    "COI": "мүддені білдіру",
    "BSI": "іскерлік сектордағы парасаттылық",
    "CSO": "азаматтық қоғамды нығайту",
    "TAX": "салықтық әкімшілендіру",
    "WBP": "әшкерелеушілерді (ақпарат берушілерді) қорғау",
    "MED": "тәуелсіз бақ",
    "BRB": "пара алуды криминалдандыру және жазаны бұлтартпай орындауды қамтамасыз ету",
}


def test_pillars_and_areas_carry_the_agreement_s_kazakh_names():
    bank = read_bank(BANK_DIR)
    pillars = {p["code"]: p["name"]["kk"].casefold() for p in bank.pillars}
    areas = {a["code"]: a["name"]["kk"].casefold() for a in bank.areas}
    assert pillars == AGREEMENT_PILLARS_KK
    assert areas == AGREEMENT_AREAS_KK


def test_every_questionnaire_title_contains_its_area_name_in_each_language():
    bank = read_bank(BANK_DIR)
    names = {a["code"]: a["name"] for a in bank.areas}
    wrong = [
        f"{meta['area']} [{lang}]: {meta['title'][lang]!r} lacks {names[meta['area']][lang]!r}"
        for _, data, _ in bank.questionnaires
        for meta in [data["questionnaire"]]
        for lang in ("en", "ru", "kk")
        if names[meta["area"]][lang].casefold() not in meta["title"][lang].casefold()
    ]
    assert not wrong, "\n".join(wrong)
