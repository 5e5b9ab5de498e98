"""Benchmark: what running work as a background job costs beside the work itself.

Migrates a throw-away SQLite database, loads the Kazakhstan 2014 review and
generates its self-assessment (parasat.assessment.benchdata), then measures, in
one run, the answers export of the co-ordinator (every answer, as XLSX):

  * direct: ``exports.export_answers`` called in-process, the work alone;
  * as a job, in-process: recording the job, running it through the runner
    (state, progress reports, heartbeat thread) and storing its file;
  * as a job through the task worker `make run` starts (``db_worker``): from
    the request's commit to the job's end, as a person waiting on its page
    would see it (this includes the worker's polling interval).

Target: the in-process overhead of a job is at most 10% of the work (or 20 ms,
whichever is larger), and the worker adds no more than its polling interval
plus 0.5 s. Exit status 0 when met.

Usage: .venv/bin/python bench/jobs.py [--runs 7]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import bench_env, cleanup, load_example, shell, working  # noqa: E402

POLL_INTERVAL = 0.2  # seconds the worker waits between looks at an empty queue

MEASURE = """
import json, statistics, time
from django.db import transaction
from django.tasks import default_task_backend
from parasat.assessment import benchdata, exports
from parasat.assessment import jobs as assessment_jobs
from parasat.assessment.access import get_reader
from parasat.jobs.models import Job
from parasat.jobs.runner import job_run
from parasat.jobs.services import job_start
from parasat.reviews.models import Review

review = Review.objects.get(slug="kazakhstan-2014")
gen = benchdata.generate(review)
user = gen.coordinator
reader = get_reader(user, review.slug)
runs = RUNS

def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start

size = len(exports.export_answers(reader, "xlsx"))

def as_job():
    with transaction.atomic():
        job = Job.objects.create(
            kind=assessment_jobs.EXPORT, review=review, requested_by=user, language="en",
            params={"format": "xlsx"},
        )
    assert job_run(job_id=job.pk) == Job.State.SUCCEEDED

# Alternated, so that a busy moment of the machine weighs on both alike.
pairs = [(timed(lambda: exports.export_answers(reader, "xlsx")), timed(as_job)) for _ in range(runs)]
direct = statistics.median(d for d, _ in pairs)
in_process = statistics.median(j for _, j in pairs)

def through_worker():
    with transaction.atomic():
        job = job_start(kind=assessment_jobs.EXPORT, by=user, review=review, params={"format": "xlsx"})
    start = time.perf_counter()
    while True:
        state = Job.objects.filter(pk=job.pk).values_list("state", flat=True).get()
        if state in ("succeeded", "failed"):
            break
        time.sleep(0.01)
    assert state == "succeeded", Job.objects.get(pk=job.pk).error
    return time.perf_counter() - start

worker = statistics.median([through_worker() for _ in range(runs)])
answers = reader.answers().count()
print("JSON" + json.dumps({"answers": answers, "bytes": size, "direct": direct, "in_process": in_process, "worker": worker}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = bench_env()
    try:
        load_example(env)
        with working(env, POLL_INTERVAL):
            r = shell(env, MEASURE.replace("RUNS", str(args.runs)))
    finally:
        cleanup(env)
    overhead = r["in_process"] - r["direct"]
    waited = r["worker"] - r["in_process"]
    print(
        f"Answers export, {r['answers']} answers, {r['bytes'] / 1024:.0f} KB XLSX, median of {args.runs}:"
    )
    print(f"  the work alone (in-process)      {r['direct'] * 1000:8.1f} ms")
    print(
        f"  as a job, in-process             {r['in_process'] * 1000:8.1f} ms"
        f"   overhead {overhead * 1000:+.1f} ms ({overhead / r['direct']:+.1%})"
    )
    print(
        f"  as a job through the worker      {r['worker'] * 1000:8.1f} ms"
        f"   waiting for the worker {waited * 1000:+.1f} ms (polls every {POLL_INTERVAL} s)"
    )
    ok = overhead <= max(0.10 * r["direct"], 0.020) and waited <= POLL_INTERVAL + 0.5
    print("Target met." if ok else "Target NOT met.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
