"""The HTTP layer: pages and the JSON API over the services of ``rides``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory: defaults, then environment, then ``config`` (used by tests)."""
    from flask_wtf import CSRFProtect

    from rides.messaging import notifications
    from web import (
        api,
        auth,
        bounds,
        contact,
        coordinator,
        database,
        driver,
        error_responses,
        favicon,
        feeds,
        geocoder,
        health,
        i18n,
        invitations,
        limits,
        log_filter,
        login,
        newcomer,
        reminder_links,
        reports,
        security,
        sms_webhooks,
        travel_times,
        vendor,
        whatsapp_webhooks,
    )
    from web import config as app_config
    from web.converters import DatabaseId

    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = DatabaseId  # before any route is added
    app_config.load(app, config)
    notifications.use_public_url(str(app.config["PUBLIC_URL"]))
    geocoder.init_app(app)  # before the database: a bad setting leaves nothing open
    database.init_app(app)
    travel_times.init_app(app)
    bounds.init_app(app)
    security.init_app(app)
    login.init_app(app)
    contact.init_app(app)
    limits.init_app(app)
    i18n.init_app(app)
    csrf = CSRFProtect(app)
    for blueprint in (
        health.bp,
        auth.bp,
        vendor.bp,
        reminder_links.bp,
        invitations.bp,
        feeds.bp,
        favicon.bp,
    ):
        app.register_blueprint(blueprint)
    api.init_app(app, csrf)
    # Providers' callbacks carry their own signature, never a CSRF token.
    app.register_blueprint(whatsapp_webhooks.bp)
    csrf.exempt(whatsapp_webhooks.bp)
    app.register_blueprint(sms_webhooks.bp)
    csrf.exempt(sms_webhooks.bp)  # signed by Twilio instead (web/sms_webhooks.py)
    for pages in (newcomer.bp, driver.bp, coordinator.bp, reports.bp):
        app.register_blueprint(pages)
    error_responses.init_app(app)
    log_filter.init_app(app)
    return app
