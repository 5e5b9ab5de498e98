"""Every form of the shared corpus: pyxform's verdict decides, Parasat follows.
Accepted forms import, export back to a form pyxform accepts with every column
they had, and import again to the same questionnaire. Refused forms are turned
away naming sheet, row and column, and nothing is written."""

import re

import pytest

from parasat.core.lib.translated import TranslatedText
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


QUESTION_FIELDS = (
    "order",
    "type",
    "kind",
    "name",
    "code",
    "path",
    "label",
    "hint",
    "guidance",
    "evidence",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "choice_filter",
    "media",
    "extra",
)


def _plain(value):
    return value.to_json() if isinstance(value, TranslatedText) else value


def snapshot(questionnaire: Questionnaire) -> tuple:
    """Every stored field of its questions (with their provisions and choice
    list) and choices, read as values: building model instances took most of it."""
    cited: dict[int, list[str]] = {}
    through = Question.provisions.through.objects.filter(question__questionnaire=questionnaire)
    for question_id, key in through.values_list("question_id", "provision__key"):
        cited.setdefault(question_id, []).append(key)
    questions = [
        (*map(_plain, values), sorted(cited.get(pk, [])), list_name or "")
        for pk, list_name, *values in questionnaire.questions.values_list(
            "pk", "choice_list__name", *QUESTION_FIELDS
        )
    ]
    choices = [
        tuple(map(_plain, values))
        for values in Choice.objects.filter(choice_list__questionnaire=questionnaire).values_list(
            "choice_list__name", "order", "name", "label", "media", "extra"
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
