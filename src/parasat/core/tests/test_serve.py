"""`parasat serve` (and so `make run`) says it is serving only once the port
answers, and says so plainly when the web server stops before that."""

import signal
import socket
import subprocess
import sys
import time

import pytest

from parasat import cli

# Stands in for granian: listens after a delay (or never), then stops once it
# has answered serve's own check and the test's look as "serving" is said (or
# after 10 s at most).
WEB = """
import socket, sys, time
port, delay, listen = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "1"
time.sleep(delay)
if not listen:
    sys.exit(3)
server = socket.create_server(("127.0.0.1", port))
server.settimeout(0.2)
end, answered = time.monotonic() + 10, 0
while time.monotonic() < end and answered < 2:
    try:
        server.accept()[0].close()
        answered += 1
    except OSError:
        pass
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def serve(monkeypatch):
    """Run cli.serve with stand-ins for its processes; returns (exit code,
    [(line printed, whether the port answered then)])."""

    def run(*, delay: float, listen: bool):
        port = free_port()
        monkeypatch.setenv("PORT", str(port))
        monkeypatch.setenv("HOST", "127.0.0.1")
        monkeypatch.setenv("PARASAT_REMINDER_INTERVAL", "0")
        monkeypatch.setattr(signal, "signal", lambda *args: None)
        real_popen = subprocess.Popen

        def popen(command, **kwargs):
            if "granian" in command[0]:
                web = [sys.executable, "-c", WEB, str(port), str(delay), "1" if listen else "0"]
                return real_popen(web)  # noqa: S603
            return real_popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603

        monkeypatch.setattr(cli.subprocess, "Popen", popen)
        said = []
        monkeypatch.setattr(
            cli, "print", lambda text, **kw: said.append((text, answers(port))), raising=False
        )
        started = time.monotonic()
        code = cli.serve([])
        return code, said, time.monotonic() - started

    return run


def test_serving_is_said_only_once_the_port_answers(serve):
    code, said, _took = serve(delay=0.5, listen=True)
    serving = [(text, answered) for text, answered in said if "serving" in text]
    assert len(serving) == 1
    assert serving[0][1], "said 'serving' before the port answered"


def test_a_web_server_that_stops_first_is_reported_not_announced(serve):
    code, said, _took = serve(delay=0.3, listen=False)
    assert code != 0
    assert not [text for text, _answered in said if "serving" in text]
    assert any("stopped before" in text for text, _answered in said)
