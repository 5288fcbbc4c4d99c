"""Plan now on the day page: the press queues a run, the page shows its progress and refreshes
itself (script, or a meta refresh without JavaScript) until it shows the result."""

from __future__ import annotations

import html

from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from rides.db import make_sessionmaker
from rides.models import Person, PlanningRun, RunStatus
from rides.planning import runs
from tests.factories import tomorrow
from tests.web.coordinator.actions import page_text, post_form

REFRESH = '<noscript><meta http-equiv="refresh" content="3"></noscript>'


def _press_plan_now(client: FlaskClient, session: Session) -> tuple[str, PlanningRun]:
    response = post_form(client, f"/coordinator/day/{tomorrow().isoformat()}/plan")
    assert response.status_code == 303
    (run,) = session.scalars(select(PlanningRun)).all()
    return response.headers["Location"], run


def test_the_day_page_shows_the_run_then_its_result(
    client: FlaskClient, coordinator: Person, day, session: Session, engine: Engine
) -> None:
    """Queued, then solving with the served count and seconds left, then "Version 1 planned";
    while it runs the page refreshes itself and offers no second "Plan now"."""
    where, run = _press_plan_now(client, session)
    page = page_text(client, where)
    assert "Planning is queued: it starts in a few seconds." in page
    assert REFRESH in page and "plan-run.js" in page and "Plan now" not in page
    assert "The search for routes takes 1 seconds" in page

    run.status, run.phase, run.started_at = RunStatus.RUNNING, "solving", run.created_at
    run.requests_count, run.served_count = 3, 2
    session.commit()
    page = page_text(client, where)
    assert "Searching for routes." in page and "2 of 3" in page and "Seconds left" in page

    run.status, run.phase = RunStatus.QUEUED, "queued"
    session.commit()
    runs.execute_run(make_sessionmaker(engine), run.id)
    page = page_text(client, where)
    assert "Version 1 planned: 2 of 3 served." in page
    assert "Version 1 is ready as a draft: check it, then publish it." in page
    assert REFRESH not in page and "plan-run.js" not in page and "Plan now" in page


def test_the_script_reads_the_progress_as_json(
    client: FlaskClient, coordinator: Person, day, session: Session, engine: Engine
) -> None:
    """The page's script polls the run: its status, and the box to show, rendered alike."""
    _where, run = _press_plan_now(client, session)
    url = f"/coordinator/planning-runs/{run.id}.json"
    queued = client.get(url).get_json()
    assert (queued["status"], queued["active"]) == ("queued", True)
    assert "Planning is queued" in queued["html"]
    runs.execute_run(make_sessionmaker(engine), run.id)
    done = client.get(url).get_json()
    assert (done["status"], done["active"], done["version"]) == ("done", False, 1)
    assert "Version 1 planned: 2 of 3 served." in html.unescape(done["html"])


def test_a_failed_run_shows_its_reason(
    client: FlaskClient, coordinator: Person, session: Session, engine: Engine
) -> None:
    """A day with nothing to plan: the page says why, in a sentence."""
    where, run = _press_plan_now(client, session)
    runs.execute_run(make_sessionmaker(engine), run.id)
    page = page_text(client, where)
    assert "Planning failed:" in page and f"Nothing to plan on {tomorrow()}" in page


def test_a_second_press_while_planning_is_refused(
    client: FlaskClient, coordinator: Person, day, session: Session
) -> None:
    """Two presses (two tabs, two coordinators): the second is told the plan is being made."""
    _press_plan_now(client, session)
    response = post_form(client, f"/coordinator/day/{tomorrow().isoformat()}/plan")
    assert response.status_code == 409
    assert "is already being made" in html.unescape(response.get_data(as_text=True))
    assert len(session.scalars(select(PlanningRun)).all()) == 1
