"""Writing the audit log: every change made on someone's behalf leaves a trace."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rides.models import AuditEntry, Person


def record(
    session: Session,
    actor: Person | None,
    action: str,
    entity: str,
    entity_id: int | None,
    **changes: Any,
) -> AuditEntry:
    """Add an audit entry in the caller's transaction (it commits or rolls back with the change)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        changes={key: _jsonable(value) for key, value in changes.items()},
    )
    session.add(entry)
    return entry


def _jsonable(value: Any) -> Any:
    """Dates, enums and the like as strings, so the JSON column accepts them on every backend."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
