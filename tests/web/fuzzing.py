"""Run schemathesis over every operation of the served OpenAPI document and count failures.

Used by the test suite (small counts) and by ``python -m tests.web.fuzzing`` (the reliability
figures of issue 8). Counting instead of stopping at the first failure gives a full picture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.test import Client

#: Domain rules (a trip to the same place, a date in the past) cannot all be written in a
#: schema: schema-valid data the service refuses with 422 is correct, not a violation.
EXCLUDED = [positive_data_acceptance]


@dataclass
class FuzzReport:
    """What the fuzzer sent and what broke."""

    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    by_status: dict[int, int] = field(default_factory=dict)


def fuzz(app: Flask, headers: dict[str, str], examples: int, seed: int = 0) -> FuzzReport:
    """Send ``examples`` positive and negative cases per operation; validate every response."""
    report = FuzzReport()
    bounded_requests(app, headers, report)  # first: generated cases may revoke the token
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(operation, mode, headers, examples, report)
    return report


#: Bodies past the limits of web.bounds, with the answer each must get (issue 15).
DEEP_BODY = "[" * 50_000 + "]" * 50_000
BIG_BODY = '{"text": "' + "x" * (2 * 1024 * 1024) + '"}'
BOUNDED_CASES = (("50,000 levels deep", DEEP_BODY, 422, "too_deep"),
                 ("2 MB", BIG_BODY, 413, "request_entity_too_large"))  # fmt: skip


def bounded_requests(app: Any, headers: dict[str, str], report: FuzzReport) -> None:
    """Send each operation that takes a body a too-deep and a too-large one: the answer must
    be the documented refusal (422, 413) with the error body, never a 5xx. Without
    credentials a 401, and for a role the operation is not for a 403, before the body is read is
    right too (only the size is checked before who is asking)."""
    client = Client(app)
    document = client.get("/api/v1/openapi.json").json
    for path, operations in document["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            for what, body, status, code in BOUNDED_CASES:
                response = client.open(url, method=method.upper(), data=body, headers=headers,
                                       content_type="application/json")  # fmt: skip
                report.requests += 1
                got = response.status_code
                report.by_status[got] = report.by_status.get(got, 0) + 1
                label = f"{method.upper()} {path} [{what}] -> {got}"
                if got >= 500:
                    report.server_errors.append(f"{label}: {response.text[:200]}")
                elif status != 413 and ((got == 401 and not headers) or (got == 403 and headers)):
                    continue
                elif got != status or (response.json or {}).get("error", {}).get("code") != code:
                    report.violations.append(f"{label}: expected {status} {code}")


def _run(
    operation: Any, mode: GenerationMode, headers: dict[str, str], examples: int, report: FuzzReport
) -> None:
    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def one(case: Any) -> None:
        response = case.call(headers=headers)
        report.requests += 1
        report.by_status[response.status_code] = report.by_status.get(response.status_code, 0) + 1
        label = f"{operation.label} [{mode.value}] -> {response.status_code}"
        if response.status_code >= 500:
            report.server_errors.append(f"{label}: {response.text[:200]}")
            return
        try:
            case.validate_response(response, headers=headers, excluded_checks=EXCLUDED)
        except BaseExceptionGroup as error:
            report.violations.append(f"{label}: {str(error)[:400]}")

    one()
