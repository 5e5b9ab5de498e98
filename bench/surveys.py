"""Benchmark: a stakeholder survey's import at the issue's scale — 20,000
KoboToolbox submissions of a 40-question form — against a plain bulk insert
of the same rows, side by side in one run.

Migrates a throw-away SQLite database, loads the Kazakhstan 2014 review, makes
the form (parasat.engagement.survey_benchdata) and its export as a CSV in
memory, then, in turns (plain, import, plain, import…), on a fresh open
survey each time:
  * plain: the parsed rows (read once, outside the clock) written with
    bulk_create — responses and their answers, in one transaction;
  * import: the whole import from the file's bytes, as the job runs it
    (parasat.engagement.services.survey_imports.import_responses): reading
    the CSV, matching the columns, judging every value by the questionnaire's
    rules, the duplicate and already-imported checks, then the same writes.
The best time of each is kept. Target: import ≤ 3 × plain.

Also the results page (with a breakdown by company size) as the analyst: its
query count with 20 responses and with all of them (must be equal), its time
when first shown (counting the answers), the time of its charts' own requests
(each draws one), and then (the counts and charts kept in the cache until a
response is added).

Usage: .venv/bin/python bench/surveys.py [--rows 20000] [--questions 40] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, json_line, shell_run  # noqa: E402

TARGET_RATIO = 3.0

GENERATE = """
import json, os, re, time
from decimal import Decimal
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from parasat.accounts.models import User
from parasat.core.lib.translated import TranslatedText
from parasat.engagement import survey_benchdata
from parasat.engagement.models import SurveyAnswer, SurveyResponse
from parasat.engagement.services import survey_imports
from parasat.engagement.services import surveys as services
from parasat.reviews.models import Participant, Review

rows, width, rounds = (int(os.environ[k]) for k in ("BENCH_ROWS", "BENCH_QUESTIONS", "BENCH_ROUNDS"))
review = Review.objects.get(slug="kazakhstan-2014")
analyst, _ = User.objects.get_or_create(username="bench-analyst", defaults={"full_name": "Bench"})
Participant.objects.get_or_create(review=review, user=analyst, role="analyst")
form = survey_benchdata.questionnaire(questions=width)
started = time.monotonic()
data = survey_benchdata.kobo_export(form, rows)
made_in = time.monotonic() - started

def new_survey():
    survey = services.survey_create(
        review=review, by=analyst, title=TranslatedText.fresh({"en": "Bench survey"}),
        description=TranslatedText.fresh({}), questionnaire=form, respondents="businesses",
        mode="anonymous", results_confidentiality="public",
    )
    return services.survey_open(survey=survey)

def upload():
    return SimpleUploadedFile("export.csv", data, "text/csv")

# The same rows, read once outside the clock, for the plain bulk insert.
parsed = survey_imports.read_responses(survey=new_survey(), upload=upload())
assert parsed.ok and len(parsed.rows) == rows, parsed.problems[:5]
questions = {q.name: q for q in services.survey_form(form).asked}

def plain(survey):
    with transaction.atomic():
        for start in range(0, len(parsed.rows), 2000):
            chunk = parsed.rows[start:start + 2000]
            responses = SurveyResponse.objects.bulk_create([
                SurveyResponse(survey=survey, submission_id=sid, source="import", submitted_at=when)
                for sid, when, _values in chunk
            ])
            answers = []
            for response, (_sid, _when, values) in zip(responses, chunk):
                for name, value in values.items():
                    question = questions[name]
                    for item in value if isinstance(value, list) else [value]:
                        answers.append(SurveyAnswer(
                            survey=survey, response=response, question=question, value=str(item),
                            number=Decimal(item) if question.kind == "integer" else None,
                        ))
            SurveyAnswer.objects.bulk_create(answers, batch_size=5000)

def imported(survey):
    result = survey_imports.import_responses(survey=survey, upload=upload())
    assert result.ok and result.added == rows, (result.problems[:5], result.added)

times = {"plain": [], "import": []}
loads = []
last = None
for _round in range(rounds):
    for name, run in (("plain", plain), ("import", imported)):
        survey = new_survey()
        started = time.monotonic()
        run(survey)
        times[name].append(time.monotonic() - started)
        loads.append(os.getloadavg()[0])
        last = survey
answers = SurveyAnswer.objects.filter(survey=last).count()

# The results page: the same queries with 20 responses and with all of them.
client = Client()
client.force_login(analyst, backend="parasat.accounts.backends.CachedModelBackend")
size = form.questions.get(name="size")
small = new_survey()
survey_imports.import_responses(
    survey=small, upload=SimpleUploadedFile("s.csv", survey_benchdata.kobo_export(form, 20, seed=7))
)

def page(survey, tag):
    path = f"/reviews/kazakhstan-2014/surveys/{survey.pk}/?by={size.pk}"
    started, cpu = time.monotonic(), time.process_time()
    shown = client.get(path + "&warm=" + tag).content.decode()
    first[tag] = time.monotonic() - started
    first_cpu[tag] = time.process_time() - cpu
    # Then the charts not drawn before, each by the request the page makes.
    started, cpu = time.monotonic(), time.process_time()
    for url in re.findall(r'hx-get="([^"]+/chart/[0-9a-f]{64}/)"', shown):
        assert "<svg" in client.get(url).content.decode()
    charts[tag] = time.monotonic() - started
    charts_cpu[tag] = time.process_time() - cpu
    started = time.monotonic()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path + "&fresh=" + tag)
    seconds = time.monotonic() - started
    assert response.status_code == 200, response.status_code
    return [q["sql"][:120] for q in ctx.captured_queries], seconds

first, first_cpu, charts, charts_cpu = {}, {}, {}, {}
small_sql, small_seconds = page(small, "small")
large_sql, large_seconds = page(last, "large")
# The signed-in user is read again when its cached copy expires (minutes pass
# while the large page is first counted): the session's work, not the page's.
def own(sql):
    return [q for q in sql if '"accounts_user"' not in q and '"django_session"' not in q]
small_queries, large_queries = len(own(small_sql)), len(own(large_sql))
if large_queries > small_queries:
    print("QUERIES with 20 responses:", *small_sql, "QUERIES with all:", *large_sql, sep="\\n")
print("JSON" + json.dumps({
    "rows": rows, "questions": width, "answers": answers, "csv_bytes": len(data),
    "made_in": round(made_in, 1), "plain": times["plain"], "import": times["import"],
    "loads": loads, "queries": [small_queries, large_queries],
    "page_seconds": [round(small_seconds, 3), round(large_seconds, 3)],
    "first_seconds": [round(first["small"], 3), round(first["large"], 3)],
    "first_cpu": [round(first_cpu["small"], 3), round(first_cpu["large"], 3)],
    "charts_seconds": [round(charts["small"], 3), round(charts["large"], 3)],
    "charts_cpu": [round(charts_cpu["small"], 3), round(charts_cpu["large"], 3)],
    "load_pages": os.getloadavg()[0],
}))
"""


def shell(env: dict[str, str], code: str) -> dict:
    out = shell_run(env, code)
    if "QUERIES" in out:
        print(out[out.index("QUERIES") :].split("\nJSON")[0])
    return json_line(out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="parasat-bench-"))
    env = {
        **os.environ,
        "PARASAT_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "parasat.settings",
        "PARASAT_REMINDER_INTERVAL": "0",
        "PARASAT_TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "BENCH_ROWS": str(args.rows),
        "BENCH_QUESTIONS": str(args.questions),
        "BENCH_ROUNDS": str(args.rounds),
    }
    env.pop("DATABASE_URL", None)
    parasat = str(BIN / "parasat")
    try:
        subprocess.run([parasat, "migrate", "--no-input", "-v0"], env=env, check=True)
        subprocess.run(
            [parasat, "example", "load", "kazakhstan-2014"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run([parasat, "collectstatic", "--no-input", "-v0"], env=env, check=True)
        data = shell(env, GENERATE)
    finally:
        shutil.rmtree(var, ignore_errors=True)

    plain, imported = min(data["plain"]), min(data["import"])
    ratio = imported / plain
    print(
        f"data: {data['rows']:,} submissions of a {data['questions']}-question form "
        f"({data['csv_bytes'] / 1e6:.1f} MB of CSV, made in {data['made_in']} s), "
        f"{data['answers']:,} answer rows per survey"
    )
    print(
        f"cores: {os.cpu_count()}; load during the runs: "
        + ", ".join(f"{x:.1f}" for x in data["loads"])
        + f"; now: {os.getloadavg()[0]:.1f}; database: SQLite (as make run)"
    )
    print(
        "plain bulk insert: "
        + ", ".join(f"{t:.2f} s" for t in data["plain"])
        + f"  (best {plain:.2f} s)"
    )
    print(
        "import from the CSV: "
        + ", ".join(f"{t:.2f} s" for t in data["import"])
        + f"  (best {imported:.2f} s)"
    )
    ok = ratio <= TARGET_RATIO
    print(f"import / plain: {ratio:.2f}× (target ≤ {TARGET_RATIO:.0f}×)")
    small, large = data["queries"]
    same = large <= small
    ok = ok and same
    print(
        f"results page (breakdown by size): {small} queries (besides the user's) with 20 "
        f"responses, {large} with "
        f"{data['rows']:,}{'' if same else '   GROWS'}; first shown (counting) in "
        f"{data['first_seconds'][0]:.2f} s and {data['first_seconds'][1]:.2f} s "
        f"({data['first_cpu'][0]:.2f} s and {data['first_cpu'][1]:.2f} s of CPU), its charts "
        f"then drawn by their own requests in {data['charts_seconds'][0]:.2f} s and "
        f"{data['charts_seconds'][1]:.2f} s ({data['charts_cpu'][0]:.2f} s and "
        f"{data['charts_cpu'][1]:.2f} s of CPU); then (counts and charts kept until a "
        f"response is added) in {data['page_seconds'][0]:.2f} s and "
        f"{data['page_seconds'][1]:.2f} s; load {data['load_pages']:.1f}"
    )
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
