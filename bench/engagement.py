"""Benchmark: a consultation's comment → response → change matrix at the
issue's scale — 2,000 contributions, every one answered.

Migrates a throw-away SQLite database, loads the Kazakhstan 2014 review, adds
a consultation of 20 contributions and one of 2,000 (parasat.engagement.benchdata,
the generator the query-count test uses), then measures, in one run:

  * the matrix page (paginated, 50 a page) as an analyst: its queries on the
    small and on the large consultation, first and last page — they must be
    equal (a constant query count), and its time;
  * the export of the 2,000 rows (XLSX and CSV): its queries (equal to the
    small one's), and its time as a background job run in process by the job
    runner (state, progress, heartbeat, the file stored), then through the
    task worker `make run` starts (``db_worker``), from the request's commit to
    the job's end, sampling the progress a person waiting on the job's page
    sees.

Target: equal query counts and every export of the 2,000 rows under 5 s.
Exit status 0 when met.

Usage: .venv/bin/python bench/engagement.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import bench_env, cleanup, load_example, shell, working  # noqa: E402

TARGET_SECONDS = 5.0
POLL_INTERVAL = 0.2  # seconds the worker waits between looks at an empty queue

MEASURE = """
import json, statistics, time
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from parasat.accounts.models import User
from parasat.engagement import benchdata
from parasat.engagement import jobs as engagement_jobs
from parasat.jobs.models import Job
from parasat.jobs.registry import Progress
from parasat.jobs.runner import job_run
from parasat.jobs.services import job_start
from parasat.reviews.models import Participant, Review

review = Review.objects.get(slug="kazakhstan-2014")
analyst, _ = User.objects.get_or_create(username="bench-analyst", defaults={"full_name": "Bench"})
Participant.objects.get_or_create(review=review, user=analyst, role="analyst")
small = benchdata.generate(review, by=analyst, contributions=20)
large = benchdata.generate(review, by=analyst, contributions=2000)
runs = RUNS
client = Client()
client.force_login(analyst, backend="parasat.accounts.backends.CachedModelBackend")
class Counted:
    # Counts the queries run inside it (an execute wrapper: unlike the debug
    # log, not capped at 9,000 entries).
    def __enter__(self):
        self.captured = 0
        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self
    def __exit__(self, *exc):
        self._cm.__exit__(*exc)
    def __call__(self, execute, sql, params, many, context):
        self.captured += 1
        return execute(sql, params, many, context)

out = {"contributions": large.contributions.count(), "pages": {}, "exports": {}}

def page(consultation, number):
    url = reverse("engagement:matrix", args=[review.slug, consultation.pk]) + f"?page={number}"
    client.get(url)  # warm
    with Counted() as q:
        start = time.perf_counter()
        response = client.get(url)
        took = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    times = [took]
    for _ in range(runs - 1):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return {"queries": q.captured, "ms": statistics.median(times) * 1000}

out["pages"]["20, page 1"] = page(small, 1)
out["pages"]["2000, page 1"] = page(large, 1)
out["pages"]["2000, page 40"] = page(large, 40)

def export_queries(consultation, fmt):
    job = Job(kind=engagement_jobs.MATRIX_EXPORT, review=review, requested_by=analyst,
              language="en", params={"consultation": consultation.pk, "format": fmt})
    with Counted() as q:
        outcome = engagement_jobs.run_matrix_export(job, Progress(lambda p, m: None))
    return q.captured, len(outcome.content)

def in_process(fmt):
    with transaction.atomic():
        job = Job.objects.create(kind=engagement_jobs.MATRIX_EXPORT, review=review,
                                 requested_by=analyst, language="en",
                                 params={"consultation": large.pk, "format": fmt})
    start = time.perf_counter()
    assert job_run(job_id=job.pk) == Job.State.SUCCEEDED, Job.objects.get(pk=job.pk).error
    return time.perf_counter() - start

def through_worker(fmt):
    with transaction.atomic():
        job = job_start(kind=engagement_jobs.MATRIX_EXPORT, by=analyst, review=review,
                        params={"consultation": large.pk, "format": fmt})
    start = time.perf_counter()
    seen = []
    while True:
        state, progress = Job.objects.filter(pk=job.pk).values_list("state", "progress").get()
        if not seen or seen[-1] != progress:
            seen.append(progress)
        if state in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    assert state == "succeeded", Job.objects.get(pk=job.pk).error
    return time.perf_counter() - start, seen

for fmt in ("xlsx", "csv"):
    q_small, _size = export_queries(small, fmt)
    q_large, size = export_queries(large, fmt)
    direct = statistics.median(in_process(fmt) for _ in range(runs))
    worker = [through_worker(fmt) for _ in range(runs)]
    out["exports"][fmt] = {
        "queries_small": q_small, "queries_large": q_large, "bytes": size,
        "in_process": direct, "worker": statistics.median(w for w, _ in worker),
        "progress_seen": max((s for _, s in worker), key=len),
    }
print("JSON" + json.dumps(out))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    env = {**bench_env(), "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost"}
    try:
        load_example(env)
        with working(env, POLL_INTERVAL):
            r = shell(env, MEASURE.replace("RUNS", str(args.runs)))
    finally:
        cleanup(env)
    print(
        f"Consultation matrix, {r['contributions']} contributions each answered, "
        f"median of {args.runs}; cores: {os.cpu_count()}; load: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    pages = r["pages"]
    for name, p in pages.items():
        print(f"  matrix page, {name:<14} {p['queries']:3d} queries {p['ms']:8.1f} ms")
    ok = len({p["queries"] for p in pages.values()}) == 1
    for fmt, e in r["exports"].items():
        print(
            f"  export {fmt.upper():<4} queries {e['queries_small']} (20 rows) / "
            f"{e['queries_large']} (2,000 rows), {e['bytes'] / 1024:.0f} KB"
        )
        print(f"    as a job, in process          {e['in_process']:6.2f} s")
        print(
            f"    as a job through the worker   {e['worker']:6.2f} s   progress seen: "
            + " ".join(f"{p}%" for p in e["progress_seen"])
        )
        ok = ok and e["queries_small"] == e["queries_large"]
        ok = ok and max(e["in_process"], e["worker"]) < TARGET_SECONDS
    print("Target met." if ok else "Target NOT met.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
