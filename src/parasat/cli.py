"""The ``parasat`` command: Django's management commands plus Parasat's own.

parasat migrate
parasat createsuperuser
parasat example load kazakhstan-2014
parasat demo accounts
parasat assessment reminders [--every SECONDS]
parasat serve            # granian (WSGI), the task worker and the reminder schedule, side by side
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def reminder_interval() -> int:
    """Seconds between two queuings of the due-date reminders; 0 turns them off."""
    raw = os.environ.get("PARASAT_REMINDER_INTERVAL", "") or "3600"
    try:
        seconds = int(raw)
    except ValueError:
        seconds = -1
    if seconds < 0:
        raise SystemExit(f"PARASAT_REMINDER_INTERVAL must be a number of seconds, not {raw!r}.")
    return seconds


def wait_until_answering(
    host: str, port: int, procs: list[subprocess.Popen], *, every: float = 0.2
) -> bool:
    """Wait until ``host:port`` accepts a connection (True), or until one of
    ``procs`` stops first (False)."""
    # A server listening on every interface answers on this machine's own.
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    while all(proc.poll() is None for proc in procs):
        try:
            socket.create_connection((target, port), timeout=every).close()
        except OSError:
            time.sleep(every)
        else:
            return True
    return False


def serve(argv: list[str]) -> int:
    """Run the web server, the background task worker and the schedule of the
    due-date reminders until any of them stops."""
    interval = reminder_interval()
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    workers = os.environ.get("WEB_WORKERS", "2")
    threads = os.environ.get("WEB_THREADS", "4")
    bin_dir = Path(sys.executable).parent
    web = [
        str(bin_dir / "granian"),
        "--interface", "wsgi",
        "--host", host,
        "--port", port,
        "--workers", workers,
        "--blocking-threads", threads,
        "--backpressure", str(int(threads) * 4),
        "--no-ws",
        "parasat.wsgi:application",
        *argv,
    ]  # fmt: skip
    worker = [sys.executable, "-m", "parasat.cli", "db_worker", "--no-startup-delay"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "parasat.settings"}
    reminders = [sys.executable, "-m", "parasat.cli", "assessment", "reminders"]
    procs = [subprocess.Popen(worker, env=env), subprocess.Popen(web, env=env)]  # noqa: S603
    if interval:
        procs.append(subprocess.Popen([*reminders, "--every", str(interval)], env=env))  # noqa: S603
    stopping: list[bool] = []

    def stop(*_: object) -> None:
        stopping.append(True)
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        # On a busy machine the server may take a while to answer: say it
        # serves when it does, not when it was started.
        if wait_until_answering(host, int(port), procs):
            print(f"Parasat is serving on http://{host}:{port}/ (Ctrl+C stops it)", flush=True)
        elif not stopping:  # not stopped by Ctrl+C: something failed
            print(
                "Parasat stopped before it answered on "
                f"http://{host}:{port}/: see the messages above.",
                flush=True,
            )
            return next((p.returncode for p in procs if p.returncode), 1)
        while all(proc.poll() is None for proc in procs):
            try:
                procs[1].wait(timeout=1)
            except subprocess.TimeoutExpired:
                continue
    finally:
        stop()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return procs[1].returncode or 0


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parasat.settings")
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        sys.exit(serve(sys.argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["parasat", *sys.argv[1:]])


if __name__ == "__main__":
    main()
