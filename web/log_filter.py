"""Secrets and personal data out of the logs: tokens in logged URLs are masked.

A reminder link carries its signed token in the path (``/r/<token>``, it has to: it is opened
from an e-mail), and query strings may hold a token, a phone number or an e-mail address. The
access logs (gunicorn's ``gunicorn.access``, the development server's ``werkzeug``) write the
URL of every request; this filter rewrites each record before any handler sees it.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

#: Loggers that write request lines.
ACCESS_LOGGERS = ("gunicorn.access", "werkzeug")
MASK = "[masked]"
_PATH_TOKEN = re.compile(r"(/r/)[A-Za-z0-9_\-.]+")
_QUERY_SECRET = re.compile(
    r"([?&](?:token|access_token|key|q|phone|email|password)=)[^&\s\"]*", re.IGNORECASE
)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9_\-.~+/=]+", re.IGNORECASE)


def mask(text: str) -> str:
    """``text`` with reminder tokens, secret query values and bearer tokens replaced."""
    text = _PATH_TOKEN.sub(rf"\g<1>{MASK}", text)
    text = _QUERY_SECRET.sub(rf"\g<1>{MASK}", text)
    return _BEARER.sub(rf"\g<1>{MASK}", text)


class MaskSecrets(logging.Filter):
    """Format the record once, mask it, and keep only the masked text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: leave it to logging's own error handling
        record.msg, record.args = mask(message), None
        return True


def init_app(app: Flask) -> None:
    """Attach the filter to the access loggers (once, however many apps are created)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskSecrets) for f in logger.filters):
            logger.addFilter(MaskSecrets())
