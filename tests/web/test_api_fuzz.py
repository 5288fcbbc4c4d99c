"""schemathesis against the served OpenAPI document: no server error, no response off-schema."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy.orm import Session

from rides.accounts.signin import issue_token
from tests.factories import Factory
from tests.web.fuzzing import FuzzReport, bounded_requests, fuzz

EXAMPLES = int(os.environ.get("RURAL_CARS_FUZZ_EXAMPLES", "12"))


def test_api_conforms_to_its_schema(app: Flask, session: Session, make: Factory) -> None:
    """Valid and invalid generated requests as a coordinator: never a 5xx, all as documented."""
    make.shift(make.driver())
    make.request()
    token, _ = issue_token(session, make.coordinator())
    session.commit()
    report = fuzz(app, {"Authorization": f"Bearer {token}"}, EXAMPLES)
    assert report.requests >= 20 * EXAMPLES
    assert report.server_errors == []
    assert report.violations == []


def test_every_body_taking_operation_is_bounded(
    app: Flask, session: Session, make: Factory
) -> None:
    """The fuzzing run's bounded-request cases alone: every POST/PUT/PATCH of the document
    answers a 50,000-level body with 422 and a 2 MB body with 413, signed in or not."""
    token, _ = issue_token(session, make.coordinator())
    session.commit()
    for headers in ({"Authorization": f"Bearer {token}"}, {}):
        report = FuzzReport()
        bounded_requests(app, headers, report)
        assert report.requests >= 10
        assert report.server_errors == []
        assert report.violations == []
