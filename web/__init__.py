"""The HTTP layer: pages and the JSON API over the services of ``rides``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: defaults, then environment, then ``config`` (used by tests)."""
    from web import api, database, errors, health
    from web import config as app_config

    app = Flask(__name__, instance_relative_config=True)
    app_config.load(app, config)
    database.init_app(app)
    app.register_blueprint(health.bp)
    api.init_app(app)
    errors.init_app(app)
    return app
