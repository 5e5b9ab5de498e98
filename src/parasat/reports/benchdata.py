"""A published report at the scale of a real one, for bench/reports.py: 15
chapters, about 1,200 paragraphs, 300 footnotes and 30 charts, in English,
Kazakh and Russian (some 200 pages as PDF)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from parasat.core.lib.translated import TranslatedText
from parasat.reports import services
from parasat.reports.models import Figure, Paragraph, Report, Section, Stage
from parasat.reviews.models import Review

WORDS = {
    "en": str.split(
        "the declaration of assets and interests is verified against registers by an "
        "independent body whose findings are published every year and followed by sanctions"
    ),
    "kk": str.split(
        "активтер мен мүдделер декларациясы тізілімдермен тәуелсіз орган арқылы тексеріледі "
        "оның қорытындылары жыл сайын жарияланады және санкциялар қолданылады"
    ),
    "ru": str.split(
        "декларация активов и интересов проверяется по реестрам независимым органом "
        "выводы которого ежегодно публикуются и влекут санкции"
    ),
}


@dataclass
class Generated:
    report: Report
    counts: dict[str, int]


def _sentence(rng: random.Random, language: str, words: int) -> str:
    chosen = [rng.choice(WORDS[language]) for _ in range(words)]
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, language: str) -> str:
    return " ".join(_sentence(rng, language, rng.randint(12, 22)) for _ in range(rng.randint(3, 5)))


def generate(
    review: Review,
    *,
    chapters: int = 15,
    paragraphs: int = 80,
    footnotes: int = 20,
    charts: int = 2,
    by=None,
) -> Generated:
    """Replace the review's report by a generated one, issued as the final
    report and published."""
    rng = random.Random(2014)  # noqa: S311 (made-up text, not a secret)
    Report.objects.filter(review=review).delete()
    report = Report.objects.create(
        review=review,
        title=TranslatedText.fresh(
            {"en": "Integrity review (benchmark)", "kk": "Зерттеу (бенчмарк)", "ru": "Обзор"}
        ),
        stage=Stage.FINAL,
    )
    taken: set[str] = set()
    rows: list[Paragraph] = []
    figures: list[Figure] = []
    count = notes = 0
    for n in range(1, chapters + 1):
        section = Section.objects.create(
            report=report,
            key=f"chapter-{n}",
            kind=Section.Kind.CHAPTER,
            order=n,
            title=TranslatedText.fresh(
                {lang: f"{n}. " + _sentence(rng, lang, 4) for lang in WORDS}
            ),
        )
        texts: list[dict[str, str]] = []
        for p in range(paragraphs - footnotes):
            if p % 12 == 0:
                texts.append({lang: "## " + _sentence(rng, lang, 5) for lang in WORDS})
            elif p < footnotes:
                texts.append({lang: _paragraph(rng, lang) + f"[^{p}]" for lang in WORDS})
            else:
                texts.append({lang: _paragraph(rng, lang) for lang in WORDS})
        for c in range(charts):
            key = f"chart-{n}-{c + 1}"
            texts.insert(10 + 20 * c, dict.fromkeys(WORDS, "{{figure:" + key + "}}"))
            figures.append(_figure(rng, report, key))
        for p in range(footnotes):
            texts.append({lang: f"[^{p}]: " + _sentence(rng, lang, 10) for lang in WORDS})
            notes += 1
        for order, text in enumerate(texts, start=1):
            rows.append(
                Paragraph(
                    section=section,
                    pid=services.new_pid(taken),
                    order=order,
                    text=TranslatedText.fresh(text),
                )
            )
        count += len(texts)
    Paragraph.objects.bulk_create(rows, batch_size=500)
    Figure.objects.bulk_create(figures)
    services.report_issue(report=report, by=by)
    services.report_publish(report=report, by=by)
    report.refresh_from_db()
    return Generated(
        report,
        {"chapters": chapters, "paragraphs": count, "footnotes": notes, "charts": len(figures)},
    )


def _figure(rng: random.Random, report: Report, key: str) -> Figure:
    levels = [{"en": name, "kk": name, "ru": name} for name in ("Nascent", "Emerging", "Leading")]
    rows = [
        [f"A{i:02d}", {"en": f"Area {i}", "kk": f"Сала {i}", "ru": f"Область {i}"},
         rng.choice(levels), rng.choice(levels)]
        for i in range(1, 9)
    ]  # fmt: skip
    return Figure(
        report=report,
        key=key,
        title=TranslatedText.fresh({"en": key, "kk": key, "ru": key}),
        alt=TranslatedText.fresh({lang: _sentence(rng, lang, 8) for lang in WORDS}),
        data={"chart": "ratings", "rows": rows, "levels": levels},
    )
