"""Benchmark: the signed-in review overview against the framework's ceiling.

Starts the server exactly as `make run` does (granian, WSGI, same settings) on
a throw-away database holding the Kazakhstan 2014 review, then loads, in the
same run and with the same concurrency:
  * /ping — a trivial view behind the same middleware (the ceiling), and
  * /reviews/kazakhstan-2014/ — the review overview, signed in as the co-ordinator.
Prints requests per second, p95 latency and the ratio overview/ceiling.

Usage: make bench   (or .venv/bin/python bench/run.py --seconds 10 --connections 16)
Uses wrk when installed (apt-get install wrk), else a built-in asyncio client.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("JSON{\\"requests\\": %d, \\"seconds\\": %f, \\"p95_ms\\": %f, \\"errors\\": %d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# What every benchmark shares: a throw-away data folder and port, the example
# loaded into it, `parasat shell` scripts that answer with one JSON line, and
# the server started as `make run` starts it, stopped with all it started.

QUIET_TASKS = "django.tasks.backends.dummy.DummyBackend"


def bench_env(database_url: str = "") -> dict[str, str]:
    """The environment of a run: a fresh PARASAT_VAR_DIR (SQLite unless
    ``database_url``), a free PORT, no reminders (and so no writer lock taken)
    while measuring. Remove it with :func:`cleanup`."""
    env = {
        **os.environ,
        "PARASAT_VAR_DIR": tempfile.mkdtemp(prefix="parasat-bench-"),
        "PORT": str(free_port()),
        "DJANGO_SETTINGS_MODULE": "parasat.settings",
        "PARASAT_REMINDER_INTERVAL": "0",
    }
    env.pop("DATABASE_URL", None)
    env.pop("PARASAT_TASKS_BACKEND", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def cleanup(env: dict[str, str]) -> None:
    shutil.rmtree(env["PARASAT_VAR_DIR"], ignore_errors=True)


def quiet(env: dict[str, str]) -> dict[str, str]:
    """The same environment with tasks dropped: generating data queues no email."""
    return {**env, "PARASAT_TASKS_BACKEND": QUIET_TASKS}


def load_example(env: dict[str, str], *, bank: bool = False) -> None:
    """Migrate, load the toolkit's bank when asked, the Kazakhstan 2014 example,
    and collect the static files, as `make run` does."""
    parasat = str(BIN / "parasat")
    subprocess.run([parasat, "migrate", "--no-input", "-v0"], env=env, check=True)
    if bank:
        subprocess.run(
            [parasat, "toolkit", "load-bank"], env=env, check=True, stdout=subprocess.DEVNULL
        )
    subprocess.run(
        [parasat, "example", "load", "kazakhstan-2014"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([parasat, "collectstatic", "--no-input", "-v0"], env=env, check=True)


def json_line(text: str) -> dict:
    """The JSON a script printed on its line starting with ``JSON``."""
    return json.loads(next(line[4:] for line in text.splitlines() if line.startswith("JSON")))


def shell_run(env: dict[str, str], code: str, stdin: str = "") -> str:
    """Run ``code`` in `parasat shell` and return what it printed; when it fails,
    show the end of its output and stop the benchmark with its status."""
    out = subprocess.run(
        [str(BIN / "parasat"), "shell", "-c", code],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        print(out.stdout[-2000:], out.stderr[-4000:], file=sys.stderr)
        raise SystemExit(out.returncode)
    return out.stdout


def shell(env: dict[str, str], code: str, stdin: str = "") -> dict:
    """Run ``code`` in `parasat shell`; its answer is the line it prints after ``JSON``."""
    return json_line(shell_run(env, code, stdin))


def need_wrk() -> bool:
    if shutil.which("wrk") is None:
        print("This benchmark needs wrk (apt-get install wrk).", file=sys.stderr)
        return False
    return True


@contextlib.contextmanager
def serving(env: dict[str, str], timeout: float = 120) -> Iterator[str]:
    """`parasat serve` (granian, the task worker) as `make run` starts it, in its
    own process group so that nothing it starts outlives the run; yields its
    address once the port answers."""
    server = subprocess.Popen(
        [str(BIN / "parasat"), "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_ready(int(env["PORT"]), timeout=timeout)
        yield f"http://127.0.0.1:{env['PORT']}"
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=40)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # whatever is left of the group


@contextlib.contextmanager
def working(env: dict[str, str], interval: float) -> Iterator[None]:
    """The task worker, polling every ``interval`` seconds, for the time of the block."""
    worker = subprocess.Popen(
        [str(BIN / "parasat"), "db_worker", "--no-startup-delay", "--interval", str(interval)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def warm_up(base: str, cookie: str, paths: list[str]) -> None:
    """Load Django in every server process before anything is timed: the first
    request of each process imports the whole project."""
    deadline = time.monotonic() + 60
    for path in paths:
        for _ in range(6):
            request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
            while True:
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                        response.read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)


def prepare(env: dict[str, str]) -> str:
    """Migrate a fresh database, load the example, return a session cookie value."""
    load_example(env)
    code = (
        "from django.contrib.auth import get_user_model\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from parasat.reviews.models import Participant, Review\n"
        "User = get_user_model()\n"
        "u, _ = User.objects.get_or_create(username='bench-coordinator', defaults={'full_name': 'Bench'})\n"
        "r = Review.objects.get(slug='kazakhstan-2014')\n"
        "Participant.objects.get_or_create(review=r, user=u, role='coordinator')\n"
        "s = SessionStore()\n"
        "s['_auth_user_id'] = str(u.pk)\n"
        "s['_auth_user_backend'] = 'parasat.accounts.backends.CachedModelBackend'\n"
        "s['_auth_user_hash'] = u.get_session_auth_hash()\n"
        "s.create()\n"
        "print(s.session_key)\n"
    )
    out = subprocess.run(
        [str(BIN / "parasat"), "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def wait_ready(port: int, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def load_wrk(
    url: str, cookie: str, seconds: int, connections: int, threads: int = 2
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_LUA)
        script = fh.name
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "-s",
        script,
        "-H",
        f"Cookie: sessionid={cookie}",
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    data = json_line(out)
    return {
        "rps": data["requests"] / data["seconds"],
        "p95_ms": data["p95_ms"],
        "errors": data["errors"],
    }


async def _client(
    host: str, port: int, path: str, cookie: str, stop: float, latencies: list[float]
) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n\r\n".encode()
    )
    errors = 0
    while time.monotonic() < stop:
        start = time.perf_counter()
        writer.write(request)
        status = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - start)
        if b" 200 " not in status:
            errors += 1
    writer.close()
    return errors


def load_python(
    port: int, path: str, cookie: str, seconds: int, connections: int
) -> dict[str, float]:
    latencies: list[float] = []

    async def main() -> int:
        stop = time.monotonic() + seconds
        results = await asyncio.gather(
            *[_client("127.0.0.1", port, path, cookie, stop, latencies) for _ in range(connections)]
        )
        return sum(results)

    errors = asyncio.run(main())
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 20 else float("nan")
    return {"rps": len(latencies) / seconds, "p95_ms": p95, "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    env = bench_env()
    try:
        cookie = prepare(env)
        with serving(env, timeout=300) as base:
            use_wrk = shutil.which("wrk") is not None
            port = int(env["PORT"])
            results = {}
            for name, path in [
                ("ceiling /ping", "/ping"),
                ("overview (signed in)", "/reviews/kazakhstan-2014/"),
            ]:
                url = base + path
                # Warm up, then measure.
                (
                    load_wrk(url, cookie, 2, args.connections)
                    if use_wrk
                    else load_python(port, path, cookie, 2, args.connections)
                )
                results[name] = (
                    load_wrk(url, cookie, args.seconds, args.connections)
                    if use_wrk
                    else load_python(port, path, cookie, args.seconds, args.connections)
                )
    finally:
        cleanup(env)
    print(
        f"client: {'wrk' if use_wrk else 'python asyncio'}; {args.connections} connections, "
        f"{args.seconds}s each; cores: {os.cpu_count()}"
    )
    for name, r in results.items():
        print(
            f"{name:24s} {r['rps']:9.0f} req/s   p95 {r['p95_ms']:7.1f} ms   errors {r['errors']}"
        )
    ceiling, page = results["ceiling /ping"], results["overview (signed in)"]
    ratio = page["rps"] / ceiling["rps"]
    print(f"ratio overview/ceiling: {ratio:.1%}  (target >= 25%, p95 < 100 ms)")
    ok = ratio >= 0.25 and page["p95_ms"] < 100 and page["errors"] == 0
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
