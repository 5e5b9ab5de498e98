"""Benchmark: the analysis at realistic scale against the framework's ceiling.

Migrates a throw-away SQLite database, loads the Kazakhstan 2014 review,
generates its self-assessment at the scale of bench/assessment.py
(parasat.assessment.benchdata: 150 answers, 500 evidence items...) and on it
the analysis (parasat.analysis.benchdata: 15 area assessments of 10 findings
each, linked to answers, files and provisions, the team's and the government's
ratings, 60 recommendations), then starts the server exactly as `make run`
does (`parasat serve`) and loads, in the same run and with the same concurrency:
  * /ping — a trivial view behind the same middleware (the ceiling);
  * an area's assessment, as an analyst (every finding with its links);
  * the review's overview with its chart, as the co-ordinator;
  * the same area, as a peer reviewer (what the audience allows).
Prints requests per second, p95 latency and the ratio to the ceiling.
Target: p95 < 100 ms for the area page and the overview at 8 connections.
Needs wrk (apt-get install wrk).

Usage: .venv/bin/python bench/analysis.py [--seconds 10] [--connections 8]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402
    bench_env,
    cleanup,
    load_example,
    load_wrk,
    need_wrk,
    quiet,
    serving,
    shell,
    warm_up,
)

TARGET_P95_MS = 100.0

GENERATE = """
import json, time
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from parasat.accounts.models import User
from parasat.analysis import benchdata
from parasat.assessment import benchdata as assessment_benchdata
from parasat.reviews.models import Participant, Review

review = Review.objects.get(slug="kazakhstan-2014")
gen = assessment_benchdata.generate(review)
started = time.monotonic()
analysis = benchdata.generate(gen)
seconds = time.monotonic() - started
peer, _ = User.objects.get_or_create(username="bench-peer", defaults={"full_name": "Bench Peer"})
Participant.objects.get_or_create(review=review, user=peer, role="peer_reviewer")

def session(user):
    s = SessionStore()
    s["_auth_user_id"] = str(user.pk)
    s["_auth_user_backend"] = "parasat.accounts.backends.CachedModelBackend"
    s["_auth_user_hash"] = user.get_session_auth_hash()
    s.create()
    return s.session_key

# The area whose answers were forwarded and whose assessment is agreed: full links.
assignment = next(
    a for a in gen.assignments
    if a.answers.filter(status="forwarded").exists()
)
code = assignment.questionnaire.area.code
print("JSON" + json.dumps({
    "counts": {**gen.counts, **analysis.counts, "generated_in": round(seconds, 1)},
    "analyst": session(gen.analyst),
    "coordinator": session(gen.coordinator),
    "peer": session(peer),
    "area": reverse("analysis:area", args=[review.slug, code]),
    "overview": reverse("analysis:overview", args=[review.slug]),
}))
"""


def prepare(env: dict[str, str]) -> dict:
    load_example(env)
    return shell(quiet(env), GENERATE)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--database-url",
        default="",
        help="An empty PostgreSQL database to use instead of the throw-away SQLite one",
    )
    args = parser.parse_args()
    if not need_wrk():
        return 2
    env = bench_env(args.database_url)
    n = args.connections
    try:
        data = prepare(env)
        with serving(env) as base:
            warm_up(base, data["coordinator"], ["/ping", data["overview"]])
            results: dict[str, dict] = {}
            for name, path, cookie in [
                ("ceiling /ping", "/ping", data["coordinator"]),
                ("area page (analyst)", data["area"], data["analyst"]),
                ("overview (co-ordinator)", data["overview"], data["coordinator"]),
                ("area page (peer)", data["area"], data["peer"]),
            ]:
                load_wrk(base + path, cookie, 2, n, threads=n)  # warm up
                results[name] = load_wrk(base + path, cookie, args.seconds, n, threads=n)
    finally:
        cleanup(env)

    c = data["counts"]
    print(
        f"data: {c['answers']} answers, {c['evidence']} evidence items; {c['assessments']} "
        f"assessments, {c['findings']} findings, {c['recommendations']} recommendations "
        f"(analysis generated in {c['generated_in']} s)"
    )
    print(
        f"client: wrk, {n} connections (one thread each), {args.seconds}s per page; "
        f"cores: {os.cpu_count()}; database: "
        + ("PostgreSQL" if args.database_url else "SQLite (as make run)")
    )
    ceiling = results["ceiling /ping"]
    ok = True
    for name, r in results.items():
        line = f"{name:26s} {r['rps']:8.0f} req/s   p95 {r['p95_ms']:7.1f} ms"
        if r is not ceiling:
            line += f"   {r['rps'] / ceiling['rps']:6.1%} of the ceiling"
            ok = ok and r["p95_ms"] < TARGET_P95_MS and r["errors"] == 0
        print(line + (f"   errors {r['errors']}" if r["errors"] else ""))
    print(f"target: p95 < {TARGET_P95_MS:.0f} ms at {n} connections for every page")
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
