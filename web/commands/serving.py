"""Serving the app from a command."""

from __future__ import annotations

from flask import Flask
from werkzeug.serving import run_simple


def serve_app(app: Flask, host: str, port: int) -> None:
    """Werkzeug's threaded server (Flask's ``app.run`` refuses to run inside its own CLI)."""
    run_simple(host, port, app, use_reloader=False, threaded=True)
