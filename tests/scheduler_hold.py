"""``rural-cars`` with every publication held open after its last flush, before its commit.

The tests that kill the scheduler at the publication's commit point run it through this module
(``python -m tests.scheduler_hold scheduler ...``): the hold is installed here, as an SQLAlchemy
event, so the product's code carries no test hook.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from rides.models import AuditEntry
from web.commands import main

#: Seconds to hold a flushed, uncommitted publication open.
HOLD_SECONDS = "RURAL_CARS_TEST_HOLD_PUBLICATION"


def _hold_publication(session: Session, _context: Any) -> None:
    """Once the publication's audit entry (its last write) is flushed, sleep before COMMIT."""
    if any(isinstance(o, AuditEntry) and o.action == "publish" for o in session.new):
        seconds = float(os.environ[HOLD_SECONDS])
        print(f"test hold: publication flushed, holding it open {seconds:.0f} s", flush=True)
        time.sleep(seconds)


if __name__ == "__main__":
    event.listen(Session, "after_flush", _hold_publication)
    sys.exit(main())
