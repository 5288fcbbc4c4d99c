"""Tokens, phone numbers and e-mail addresses in logged URLs are masked (issue 15)."""

from __future__ import annotations

import logging

import pytest
from flask import Flask

from web import log_filter


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ('"GET /r/WzQyLCJjb25maXJtIl0.Z1x-2a.abc_DEF HTTP/1.1" 200',
         '"GET /r/[masked] HTTP/1.1" 200'),
        ('"GET /coordinator/book?q=699111222 HTTP/1.1"',
         '"GET /coordinator/book?q=[masked] HTTP/1.1"'),
        ("/x?date=2027-01-01&phone=%2B34699111222&email=a%40b.es",
         "/x?date=2027-01-01&phone=[masked]&email=[masked]"),
        ("/feed?token=s3cr3t", "/feed?token=[masked]"),
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer [masked]"),
        ('"GET /coordinator/?date=2027-01-01 HTTP/1.1"',
         '"GET /coordinator/?date=2027-01-01 HTTP/1.1"'),
    ],
)  # fmt: skip
def test_mask(line: str, masked: str) -> None:
    assert log_filter.mask(line) == masked


def test_the_access_loggers_write_masked_lines(caplog: pytest.LogCaptureFixture) -> None:
    """A development-server line (positional arguments) and a gunicorn line (a dict of
    atoms) reach the handlers with the token and the number masked."""
    log_filter.init_app(Flask(__name__))
    log_filter.init_app(Flask(__name__))  # a second app adds no second filter
    assert sum(isinstance(f, log_filter.MaskSecrets)
               for f in logging.getLogger("werkzeug").filters) == 1  # fmt: skip
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('%s "%s" %s', "127.0.0.1", "GET /r/tok.en HTTP/1.1", 200)
        logging.getLogger("gunicorn.access").info(
            '%(h)s "%(r)s"', {"h": "10.0.0.1", "r": "GET /coordinator/book?q=699111222 HTTP/1.1"}
        )
    text = caplog.text
    assert "tok.en" not in text and "699111222" not in text
    assert '"GET /r/[masked] HTTP/1.1" 200' in text and "book?q=[masked]" in text
