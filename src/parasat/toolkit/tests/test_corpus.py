"""Every form of the shared corpus: pyxform's verdict decides, Parasat follows.
Accepted forms import, export back to a form pyxform accepts with every column
they had, and import again to the same questionnaire. Refused forms are turned
away naming sheet, row and column, and nothing is written."""

import re

import pytest

from parasat.toolkit.models import Choice, Question, Questionnaire
from parasat.toolkit.services import questionnaire_import
from parasat.toolkit.tests.corpus import CORPUS, corpus_files, verdicts
from parasat.toolkit.xlsform.reader import XLSFormRefused
from parasat.toolkit.xlsform.writer import write_xlsform

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::UserWarning")]
VERDICTS = verdicts()
FILES = corpus_files()
ACCEPTED = [f for f in FILES if VERDICTS.get(f, ("",))[0] == "accepted"]
REFUSED = [f for f in FILES if VERDICTS.get(f, ("",))[0] == "refused"]
NO_CORPUS = pytest.mark.skipif(
    not FILES, reason=f"the shared XLSForm corpus is not beside the repository ({CORPUS})"
)


def snapshot(questionnaire: Questionnaire) -> tuple:
    questions = [
        (
            q.order,
            q.type,
            q.kind,
            q.name,
            q.code,
            q.path,
            q.label.to_json(),
            q.hint.to_json(),
            q.guidance.to_json(),
            q.evidence.to_json(),
            q.required,
            q.relevant,
            q.constraint,
            q.constraint_message.to_json(),
            q.calculation,
            q.choice_filter,
            q.media,
            q.extra,
            sorted(p.key for p in q.provisions.all()),
            q.choice_list.name if q.choice_list else "",
        )
        for q in questionnaire.questions.select_related("choice_list").prefetch_related(
            "provisions"
        )
    ]
    choices = [
        (c.choice_list.name, c.order, c.name, c.label.to_json(), c.media, c.extra)
        for c in Choice.objects.filter(choice_list__questionnaire=questionnaire).select_related(
            "choice_list"
        )
    ]
    return questions, choices, questionnaire.title.to_json(), questionnaire.extra.get("sheets")


@NO_CORPUS
def test_every_corpus_file_has_a_verdict_and_the_counts_match():
    assert set(FILES) == set(VERDICTS)
    assert (len(ACCEPTED), len(REFUSED)) == (87, 19)


@NO_CORPUS
@pytest.mark.parametrize("name", ACCEPTED)
def test_accepted_form_imports_exports_and_round_trips(name):
    data = (CORPUS / name).read_bytes()
    first = questionnaire_import(data=data, filename=name.split("/")[-1])
    assert first.area is None and first.version == 1
    exported = write_xlsform(first)

    # Importing the export (which pyxform converts again) gives the same questionnaire.
    second = questionnaire_import(data=exported, filename="export.xlsx")
    assert second.identifier == first.identifier and second.version == 2
    assert snapshot(second) == snapshot(first)
    # The export has every column the file had (``columns`` holds each sheet's headers).
    for sheet in ("survey", "choices", "settings"):
        had = {h for h in first.columns.get(sheet, []) if h.strip()}
        assert had <= set(second.columns.get(sheet, [])), sheet


@NO_CORPUS
@pytest.mark.parametrize("name", REFUSED)
def test_refused_form_is_turned_away_with_its_place_and_nothing_written(name):
    said = VERDICTS[name][1]
    with pytest.raises(XLSFormRefused) as exc:
        questionnaire_import(data=(CORPUS / name).read_bytes(), filename=name.split("/")[-1])
    problem = exc.value.problems[0]
    assert problem.sheet and problem.message
    if match := re.search(r"\[row : (\d+)\]", said):
        assert problem.row == int(match.group(1))
    if "There should be a choices sheet" not in said:
        assert problem.row and problem.column, str(problem)
    text = str(problem)
    assert problem.sheet in text and "Traceback" not in text
    assert not Questionnaire.objects.exists() and not Question.objects.exists()
