"""Every provision the shipped bank defines is either a number the instrument
itself uses or is marked as Parasat's own paraphrase.

OWN_NUMBERING is the instruments' own numbering as far as Parasat's reference
material establishes it (``../shared/reference/standards.md``, which lists the
numbered provisions, and the structure of each instrument: how many articles,
principles, recommendations, chapters or paragraphs it has). An instrument that
is not listed has no numbering Parasat could establish: everything cited from
it must be a paraphrase."""

import re

from parasat.toolkit.bank import BANK_DIR, read_bank


def numbered(prefix: str, last: int, first: int = 1) -> set[str]:
    return {f"{prefix}{n}" for n in range(first, last + 1)}


ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def roman(prefix: str, last: int) -> set[str]:
    return {f"{prefix}{r}" for r in ROMAN[:last]}


def paragraphs(article: int, last: int, letters: str = "") -> set[str]:
    """art.N(1)…(last), and art.N(p)(a)… for each paragraph p listed in letters ('p:ae')."""
    found = {f"art.{article}({p})" for p in range(1, last + 1)}
    for spec in letters.split():
        p, span = spec.split(":")
        found |= {f"art.{article}({p})({chr(c)})" for c in range(ord(span[0]), ord(span[1]) + 1)}
    return found


OWN_NUMBERING: dict[str, set[str]] = {
    # 71 articles; the paragraphs and sub-paragraphs standards.md cites.
    "UNCAC": numbered("art.", 71)
    | paragraphs(5, 4)
    | paragraphs(7, 4)
    | paragraphs(8, 6)
    | paragraphs(9, 3, "1:ae 2:ae")
    | paragraphs(12, 4, "2:af")
    | paragraphs(13, 2, "1:ad")
    | paragraphs(52, 6),
    "OECD-ABC": numbered("art.", 17),
    "OECD-ABR21": {"annex-i", "annex-ii"},
    # 13 principles [V]; in principle 4, (b) codes of conduct and (c) conflict of interest.
    "OECD-PIR": numbered("p", 13) | {"p4(b)", "p4(c)"},
    "OECD-RPG": numbered("rec.", 12),
    "OECD-GOVREG": numbered("p", 7),
    "OECD-BUDGOV": numbered("p", 10),
    "IMF-FTC": roman("ch.", 4),
    "PEFA": roman("ch.", 7),
    "INTOSAI-LIMA": numbered("art.", 25),
    "INTOSAI-MEXICO": numbered("p", 8),
    "OECD-LOBBY": numbered("p", 10),
    "COE-R2000-10": numbered("art.", 28),
    "OECD-PP": numbered("p", 12),
    "MAPS": roman("ch.", 4),
    "UNCITRAL-ML": numbered("art.", 69),
    "GF-EOIR": numbered("a.", 3) | numbered("b.", 2) | numbered("c.", 5),
    "OECD-CRS": roman("ch.", 9),
    "MAAC": numbered("art.", 32),
    "FATF": numbered("r.", 40) | numbered("io.", 11),
    "EITI": {f"req.{r}.{n}" for r in range(1, 8) for n in range(1, 13)},
    "OECD-ECB": numbered("iv.", 5),
    "OECD-MNE": roman("ch.", 11),
    "G20-OECD-CG": roman("ch.", 6),
    "OECD-SOEACI": roman("ch.", 5),
    "ISO-37001": {"req.4.5", "req.5.3.2", "req.8.2", "req.8.7", "req.8.9"},
    "ICCPR": numbered("art.", 53) | {"art.19(1)", "art.19(2)", "art.19(3)"},
    "UN-HRD": numbered("art.", 20),
    "OECD-OG": numbered("p", 10),
    "OECD-TAXCRIME": numbered("p", 10),
    "COE-CM2014-7": numbered("p", 29),
    "EU-2019-1937": numbered("art.", 29),
    "HRC-GC34": numbered("para.", 52),
    "UNESCO-MDI": roman("ch.", 5),
    "SDG16": {f"target.16.{n}" for n in range(1, 11)}
    | {f"ind.16.{t}.{n}" for t in range(1, 11) for n in range(1, 5)},
    "COE-ETS173": numbered("art.", 42),
}


def test_every_provision_is_numbered_as_its_instrument_numbers_it_or_is_a_paraphrase():
    wrong = []
    for provision in read_bank(BANK_DIR).provisions:
        code, ref = provision["key"].split(":", 1)
        if provision.get("paraphrase"):
            if re.search(r"\d", ref):
                wrong.append(f"{provision['key']}: a paraphrase named like a number")
        elif ref not in OWN_NUMBERING.get(code, set()):
            wrong.append(f"{provision['key']}: {code} has no provision {ref}")
    assert not wrong, "\n".join(wrong)


def test_conflict_of_interest_procedures_are_principle_4c_of_the_public_integrity_recommendation():
    provisions = {p["key"]: p for p in read_bank(BANK_DIR).provisions}
    assert "conflicts of interest" in provisions["OECD-PIR:p4(c)"]["text"]["en"]
    assert "OECD-PIR:p4(b)" not in provisions or (
        "conflict" not in provisions["OECD-PIR:p4(b)"]["text"]["en"]
    )
