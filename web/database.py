"""One database session per request, committed once by the request wrapper or rolled back."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app, g
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from rides.db import make_engine, make_sessionmaker


@dataclass
class Database:
    """The app's engine and session factory."""

    engine: Engine
    sessions: sessionmaker[Session]


def init_app(app: Flask) -> None:
    """Create the engine for the configured URL and install the commit/rollback hooks."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["rides_db"] = Database(engine, make_sessionmaker(engine))
    app.after_request(_commit_on_success)
    app.teardown_appcontext(_close)


def database(app: Flask | None = None) -> Database:
    """The database of ``app``, by default the current app's: the one way to reach it."""
    db: Database = (app or current_app).extensions["rides_db"]
    return db


def session() -> Session:
    """This request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    db_session: Session = g.db_session
    return db_session


def _commit_on_success(response: Response) -> Response:
    """Commit when the response says the request succeeded; any error status rolls back."""
    db_session: Session | None = g.pop("db_session", None)
    if db_session is None:
        return response
    try:
        if response.status_code < 400:
            db_session.commit()
        else:
            db_session.rollback()
    except OperationalError as error:
        db_session.rollback()
        # The database went away at the commit: answer as any request that finds it down does
        # (the error handlers' 503), not with a 500; the other hooks then run on that answer.
        answer = current_app.make_response(current_app.handle_user_exception(error))
        return current_app.process_response(answer)
    except BaseException:
        db_session.rollback()
        raise
    finally:
        db_session.close()
    return response


def _close(_error: BaseException | None) -> None:
    """Roll back whatever a failed request left open."""
    db_session: Session | None = g.pop("db_session", None)
    if db_session is not None:
        db_session.rollback()
        db_session.close()
