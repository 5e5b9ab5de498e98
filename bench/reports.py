"""Benchmark: the report at the scale of a real one.

Migrates a throw-away SQLite database, loads the Kazakhstan 2014 review and
generates a published final report on it (parasat.reports.benchdata: 15
chapters, ~1,200 paragraphs, 300 footnotes, 30 charts, in three languages),
then measures in one run:
  * the PDF build in Kazakh (the HTML made from the version, then WeasyPrint)
    against WeasyPrint's own time on the same pre-built HTML (target ≤ 1.5×);
  * with the server started as `make run` does, a read-edition chapter page
    (signed out) against /ping, the trivial view behind the same middleware,
    at the same concurrency (target: ≥ 50% of the ceiling, p95 < 50 ms).
Needs wrk (apt-get install wrk).

Usage: .venv/bin/python bench/reports.py [--seconds 10] [--connections 16]
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

TARGET_PDF_RATIO = 1.5
TARGET_SHARE = 0.5
TARGET_P95_MS = 50.0

GENERATE = """
import json, time
from django.urls import reverse
from parasat.reports import benchdata, pdf
from parasat.reports.jobs import build_pdf
from parasat.reviews.models import Review

review = Review.objects.get(slug="kazakhstan-2014")
started = time.monotonic()
made = benchdata.generate(review)
generated = time.monotonic() - started
version = made.report.versions.get(stage="final")
started = time.monotonic()
html = pdf.report_html(version.content, "kk", review_title="bench")
html_seconds = time.monotonic() - started
started = time.monotonic()
data = pdf.pdf_from_html(html)
weasy = time.monotonic() - started
started = time.monotonic()
built = build_pdf(version, "kk")
ours = time.monotonic() - started
from pypdf import PdfReader
import io
pages = len(PdfReader(io.BytesIO(data)).pages)
print("JSON" + json.dumps({
    "counts": {**made.counts, "generated_in": round(generated, 1), "pages": pages},
    "html_seconds": html_seconds, "weasyprint_seconds": weasy, "build_seconds": ours,
    "chapter": reverse("reports:read_section", args=[review.slug, "kk", "chapter-7"]),
}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not need_wrk():
        return 2
    env = bench_env()
    n = args.connections
    try:
        load_example(env)
        data = shell(quiet(env), GENERATE)
        with serving(env) as base:
            warm_up(base, "", ["/ping", data["chapter"]])
            results: dict[str, dict] = {}
            for name, path in [
                ("ceiling /ping", "/ping"),
                ("read-edition chapter", data["chapter"]),
            ]:
                load_wrk(base + path, "", 2, n, threads=min(n, 4))  # warm up
                results[name] = load_wrk(base + path, "", args.seconds, n, threads=min(n, 4))
    finally:
        cleanup(env)

    c = data["counts"]
    print(
        f"data: {c['chapters']} chapters, {c['paragraphs']} paragraphs, {c['footnotes']} "
        f"footnotes, {c['charts']} charts, 3 languages; {c['pages']} PDF pages in Kazakh "
        f"(generated in {c['generated_in']} s)"
    )
    ratio = data["build_seconds"] / data["weasyprint_seconds"]
    print(
        f"PDF (kk): our build {data['build_seconds']:.1f} s (HTML {data['html_seconds']:.1f} s) "
        f"against WeasyPrint alone on the same HTML {data['weasyprint_seconds']:.1f} s: "
        f"{ratio:.2f}× (target ≤ {TARGET_PDF_RATIO}×)"
    )
    ok = ratio <= TARGET_PDF_RATIO
    ceiling = results["ceiling /ping"]
    for name, r in results.items():
        line = f"{name:24s} {r['rps']:8.0f} req/s   p95 {r['p95_ms']:7.1f} ms"
        if r is not ceiling:
            share = r["rps"] / ceiling["rps"]
            line += f"   {share:6.1%} of the ceiling"
            ok = ok and share >= TARGET_SHARE and r["p95_ms"] < TARGET_P95_MS and not r["errors"]
        print(line + (f"   errors {r['errors']}" if r["errors"] else ""))
    print(f"client: wrk, {n} connections; cores: {os.cpu_count()}; load: {os.getloadavg()}")
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
