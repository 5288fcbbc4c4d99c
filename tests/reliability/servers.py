"""The app under a real HTTP server on a loopback port, always stopped when the block ends.

``gunicorn`` is the production server the figures are about (2 workers, as issue 8 asks);
``threaded`` is werkzeug's development server, for CI runs where gunicorn is not installed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
#: A start-up that takes longer than this is a failure, not something to wait out.
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class GunicornSettings:
    """One set of server settings, used alike for the product and the bare reference app."""

    workers: int = 2
    worker_class: str = "gthread"
    threads: int = 4

    def describe(self) -> str:
        """The settings as a reader of the figures needs them."""
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"gunicorn {self.workers} workers ({self.worker_class}{threads})"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def gunicorn_available() -> bool:
    """Whether gunicorn is installed in this interpreter's environment."""
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def gunicorn(
    app_spec: str,
    environment: Mapping[str, str],
    settings: GunicornSettings = GunicornSettings(),
    *,
    log: Path | None = None,
) -> Iterator[str]:
    """Serve ``app_spec`` (``module:factory(...)``) with gunicorn; yield its base URL.

    The server is sent SIGTERM at the end of the block (SIGKILL if it lingers), whatever happened.
    """
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(settings.workers),
        "--worker-class",
        settings.worker_class,
        "--threads",
        str(settings.threads),
        "--backlog",
        "2048",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
        app_spec,
    ]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONUNBUFFERED": "1", **environment}
    out = log.open("ab") if log else subprocess.DEVNULL
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, child)
        yield url
    finally:
        _stop(child)
        if log:
            out.close()  # type: ignore[union-attr]


@contextlib.contextmanager
def threaded(app: Flask) -> Iterator[str]:
    """Serve ``app`` with werkzeug's threaded server in this process; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _wait_until_serving(url: str, child: subprocess.Popen[bytes]) -> None:
    """Poll ``/healthz`` until it answers 200; fail if the server dies or never answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {child.returncode} at start-up")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url}/healthz within {START_TIMEOUT:.0f} s")


def _stop(child: subprocess.Popen[bytes]) -> None:
    """SIGTERM the arbiter (it stops its workers), SIGKILL after 10 s."""
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
