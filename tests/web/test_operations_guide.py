"""docs/operations.md, run as written: a change that breaks the guide breaks this test.

Every line of every ``sh`` block of the guide must be known here: it is either run (with the
machine's paths and a private PostgreSQL role and database put in place of the guide's) or
skipped for a stated reason (root-only system steps such as useradd and systemctl, whose
effect the test reproduces: the systemd units' own ExecStart lines are what it starts). Then a
day is planned and published by the scheduler at a configured minute and mailed to a local
SMTP server, and ``rural-cars check`` passes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from rides import clock
from rides.db import make_engine, make_sessionmaker
from rides.models import DayPlan, PlanStatus
from tests import databases
from tests.factories import Factory
from tests.scheduler_runs import ROOT
from tests.smtp_server import Mailbox, free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

GUIDE = ROOT / "docs" / "operations.md"
DEPLOY = ROOT / "deploy"
INSTALL_TIMEOUT = 1200
PASSWORD = "guide-test-passphrase"


def guide_lines() -> list[str]:
    """The commands of the guide's sh blocks, comments and continuations resolved."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    lines: list[str] = []
    for block in blocks:
        for raw in block.replace("\\\n", " ").splitlines():
            command = raw.split("  #")[0].split(" # ")[0].strip()
            if command:
                lines.append(command)
    return lines


@dataclass
class Deployment:
    """The machine the guide is followed on: a temporary /opt/rural-cars and its services."""

    root: Path
    role: str
    env: dict[str, str]
    mailbox: Mailbox
    children: list[subprocess.Popen[bytes]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    @property
    def venv(self) -> Path:
        return self.root / "venv"

    def local(self, text: str) -> str:
        """The guide's paths and names, on this machine."""
        text = text.replace("/opt/rural-cars/venv", str(self.venv))
        text = text.replace("/opt/rural-cars/deploy", str(DEPLOY))
        text = text.replace("'/opt/rural-cars[server]'", f"'{ROOT}[server]'")
        text = text.replace("/opt/rural-cars/instance", str(self.root / "instance"))
        return text.replace("rides@127.0.0.1/rides", f"{self.role}@127.0.0.1/{self.role}")

    def sh(self, command: str, stdin: str | None = None, timeout: float = 300) -> str:
        self.log.append(command)
        done = subprocess.run(
            command, shell=True, env=self.env, input=stdin, capture_output=True, text=True,
            timeout=timeout, cwd=self.root,
        )  # fmt: skip
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def start_unit(self, unit: str) -> None:
        """Run a systemd unit's ExecStart as systemd would, with its EnvironmentFile."""
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        [exec_start] = re.findall(r"^ExecStart=(.*)$", text, re.M)
        assert "EnvironmentFile=/etc/rural-cars/env" in text
        argv = shlex.split(self.local(exec_start))
        with (self.root / f"{unit}.log").open("ab") as log:
            self.children.append(
                subprocess.Popen(argv, env=self.env, cwd=self.root, stdout=log, stderr=log)
            )

    def stop(self) -> None:
        for child in self.children:
            child.terminate()
        for child in self.children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()


Step = Callable[[Deployment, re.Match[str]], None]


def _skip(why: str) -> Step:
    def step(deployment: Deployment, match: re.Match[str]) -> None:
        deployment.log.append(f"(skipped: {why}) {match.string}")

    return step


def _run(deployment: Deployment, match: re.Match[str]) -> None:
    deployment.sh(deployment.local(match.string), timeout=INSTALL_TIMEOUT)


def _postgres(deployment: Deployment, match: re.Match[str]) -> None:
    """``sudo -u postgres X``: as the postgres superuser over TCP (trust on this machine)."""
    command = match.group(1).replace(" rides", f" {deployment.role}")
    tool, *rest = shlex.split(command)
    deployment.sh(shlex.join([tool, "-h", "127.0.0.1", "-U", "postgres", *rest]))


def _export(deployment: Deployment, match: re.Match[str]) -> None:
    deployment.env[match.group(1)] = deployment.local(match.group(2))


def _mkdir(deployment: Deployment, match: re.Match[str]) -> None:
    (deployment.root / "instance").mkdir(parents=True, exist_ok=True)


def _rural_cars(deployment: Deployment, match: re.Match[str]) -> None:
    args = match.group(1).replace("stops.csv", str(ROOT / "scenarios/data/demo_stops.csv"))
    stdin = f"{PASSWORD}\n{PASSWORD}\n" if args.startswith("people add") else None
    out = deployment.sh(f"{deployment.venv / 'bin' / 'rural-cars'} {args}", stdin=stdin)
    deployment.log.append(out)


def _copy_units(deployment: Deployment, match: re.Match[str]) -> None:
    for path in match.group(1).split():
        assert Path(deployment.local(path)).is_file(), path


def _systemctl(deployment: Deployment, match: re.Match[str]) -> None:
    for unit in match.group(1).split():
        deployment.start_unit(f"{unit}.service")


#: Every command of the guide, and what following it means here. A new line in the guide
#: fails the test until it is added: the guide and this test change together.
STEPS: list[tuple[str, Step]] = [
    (r"^useradd .* rides$", _skip("the system account: the test runs as the current user")),
    (r"^git clone \S+ /opt/rural-cars$", _skip("the test runs from this checkout")),
    (r"^python3 -m venv /opt/rural-cars/venv$", _run),
    (r"^/opt/rural-cars/venv/bin/pip install '/opt/rural-cars\[server\]'$", _run),
    (r"^mkdir -p /opt/rural-cars/instance && chown rides: /opt/rural-cars/instance$", _mkdir),
    (r"^sudo -u postgres (createuser rides|createdb --owner rides rides)$", _postgres),
    (r"^export (DATABASE_URL)=(\S+)$", _export),
    (r"^rural-cars scheduler$", _skip("started below by its systemd unit")),
    (r"^rural-cars (.+)$", _rural_cars),
    (r"^cp ((?:/opt/rural-cars/deploy/\S+\.service ?)+) /etc/systemd/system/$", _copy_units),
    (r"^systemctl daemon-reload && systemctl enable --now ((?:rural-cars-\w+ ?)+)$", _systemctl),
]


def follow(deployment: Deployment, line: str) -> None:
    for pattern, step in STEPS:
        match = re.match(pattern, line)
        if match:
            step(deployment, match)
            return
    pytest.fail(f"docs/operations.md has a command this test does not know: {line!r}")


def _planning_minute() -> dt.datetime:
    """A Madrid minute far enough ahead for the scheduler to be up before it strikes."""
    soon = clock.now().astimezone(clock.LOCAL_TZ) + dt.timedelta(seconds=100)
    return soon.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def _environment(root: Path, smtp_port: int, web_port: int) -> dict[str, str]:
    """/etc/rural-cars/env: deploy/env.example with this machine's SMTP server and ports."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(root)}
    # The machine's package index settings (a mirror, a wheel cache) are the operator's too.
    env |= {k: v for k, v in os.environ.items() if k.startswith("PIP_")}
    for line in (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            env[key] = value
    env.update(
        SECRET_KEY="s" * 48,
        RURAL_CARS_SMTP_HOST="127.0.0.1",
        RURAL_CARS_SMTP_PORT=str(smtp_port),
        RURAL_CARS_BIND=f"127.0.0.1:{web_port}",
        RURAL_CARS_OUTBOX_INTERVAL="5",
        RURAL_CARS_SOLVER_TIME_LIMIT="2",
    )
    return env


@pytest.fixture
def deployment(tmp_path: Path, mailbox) -> Iterator[Deployment]:
    databases.require_postgres()
    server, smtp = mailbox
    role = f"rides_guide_{os.getpid()}"
    env = _environment(tmp_path, smtp.port, free_port())
    machine = Deployment(tmp_path, role, env, server)
    try:
        yield machine
    finally:
        machine.stop()
        for drop in (f"dropdb --if-exists {role}", f"dropuser --if-exists {role}"):
            subprocess.run(f"{drop} -h 127.0.0.1 -U postgres", shell=True, check=False)


def _wait(condition: Callable[[], bool], what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(2)
    pytest.fail(f"{what} within {timeout:.0f} s")


def _published(url: str) -> bool:
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            plans = session.scalars(select(DayPlan.status)).all()
            return PlanStatus.PUBLISHED in plans
    finally:
        engine.dispose()


# The guide end to end: install, database, first coordinator, services, a day. Why long: it
# is one story, and each step depends on the one before.
def test_the_operator_guide_runs_as_written(deployment: Deployment) -> None:
    lines = guide_lines()
    systemctl = next(i for i, line in enumerate(lines) if line.startswith("systemctl"))
    for line in lines[:systemctl]:
        follow(deployment, line)
    url = deployment.env["DATABASE_URL"]
    assert url.startswith(f"postgresql://{deployment.role}@")

    # The day: tomorrow's drivers and riders, as coordinators would enter them.
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        Factory(session).small_day()
    engine.dispose()

    # The planning minute is set once the slow install is behind us, just before the start.
    at = _planning_minute()
    deployment.env["RURAL_CARS_PLANNING_TIME"] = f"{at:%H:%M}"
    for line in lines[systemctl:]:
        follow(deployment, line)
    web = f"http://{deployment.env['RURAL_CARS_BIND']}"
    _wait(lambda: _answers(f"{web}/healthz"), "gunicorn never answered /healthz", 90)

    assert clock.now() < at, "the scheduler started after the planning minute"
    _wait(lambda: _published(url), f"no plan published at {at:%H:%M}", 300)
    assert clock.now() >= at - dt.timedelta(seconds=1), "published before the configured minute"
    _wait(lambda: len(deployment.mailbox.received) >= 3, "the riders' e-mails never came", 90)
    received = deployment.mailbox.received
    assert all(m["Date"] and m["Message-ID"] for m in received)
    assert len({m["Message-ID"] for m in received}) == len(received)

    report = deployment.sh(f"{deployment.venv / 'bin' / 'rural-cars'} check")
    assert "all 9 checks passed." in report, report


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_every_guide_command_is_known() -> None:
    """Quick check of the table without the long run: each line matches a step."""
    for line in guide_lines():
        matches = [pattern for pattern, _step in STEPS if re.match(pattern, line)]
        assert matches, f"unknown command in docs/operations.md: {line!r}"
