"""What a newcomer is told on the spot when they book: what happens next and by when they hear.

A request booked before its day's cut-off is planned with the others at the evening's planning
run and the rider hears their pickup time then. A request booked after the cut-off, or for
today, is not: the usual "we will tell you the pickup time" would be a promise nobody keeps
(issue 14, point 4). Such a rider is told which of these applies, in their language:

* ``late_before_planning``: after the cut-off but before the evening's planning run for that
  day: the run still takes it in if a car has room (``rides.planning.cutoff``).
* ``late``: after the planning run: a coordinator tries to fit it into the published routes.
* ``same_day``: for today: the same, with today's routes.
* ``urgent``: so soon that no answer can come in time: a coordinator calls if a driver can go.

"By when" is ``ANSWER_WITHIN`` after the booking (or after the planning run when that is still
to come), and never later than ``ANSWER_BEFORE_TRIP`` before the earliest moment the rider may
have to leave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_datetime

from rides import clock
from rides.locales import local_date, local_time, translate
from rides.models import RequestStatus, RideRequest, TimeKind
from rides.planning.cutoff import cutoff_instant

#: How long a coordinator takes, at most, to answer a late or same-day request.
ANSWER_WITHIN = dt.timedelta(hours=2)
#: The rider hears at the latest this long before they may have to leave home.
ANSWER_BEFORE_TRIP = dt.timedelta(hours=1)


def _(message: str) -> str:
    """Mark a string for extraction; ``booking_notice`` translates it in the reader's language."""
    return message


BOOKED = _("Your ride is booked. We will tell you the pickup time on %(date)s after %(time)s.")
LATE_BEFORE_PLANNING = _(
    "Your request came after the %(cutoff)s cut-off. It still goes into this evening's planning "
    "at %(planning)s if a car has room: we will tell you by %(by)s, or call you if no driver "
    "can take you."
)
LATE = _(
    "Your request came after today's planning at %(planning)s: a coordinator will try to fit it "
    "into tomorrow's published routes; we will tell you by %(by)s, or call you if no driver "
    "can take you."
)
SAME_DAY = _(
    "Your request is for today, and today's routes are already planned: a coordinator will try "
    "to fit it into them; we will tell you by %(by)s, or call you if no driver can take you."
)
URGENT = _(
    "Your request is for very soon, after the day was planned: a coordinator will call you as "
    "soon as possible if a driver can take you."
)


@dataclass(frozen=True)
class BookingNotice:
    """What the rider reads after booking: a stable ``code``, the ``text`` in their language,
    and when they will hear at the latest (``None`` when it comes with the evening's plan or
    by telephone)."""

    code: str
    text: str
    answer_by: dt.datetime | None = None


def booking_notice(
    request: RideRequest,
    now: dt.datetime,
    *,
    cutoff: dt.time,
    planning_time: dt.time,
    language: str,
) -> BookingNotice:
    """The notice for a request booked at ``now`` under the configured cut-off and planning
    time, in ``language``; why: the rider must know what happens next without asking."""
    day = request.date
    planning = _planning_instant(day, planning_time)
    say = _Sayer(language, now)
    if now < cutoff_instant(day, cutoff):
        return BookingNotice("booked", say(BOOKED, date=local_date(planning.date(), language),
                                           time=say.clock(planning)))  # fmt: skip
    answer_by = _answer_by(request, max(now, planning))
    if answer_by is None or answer_by <= now:
        return BookingNotice("urgent", say(URGENT))
    by = say.moment(answer_by)
    if day <= now.astimezone(clock.LOCAL_TZ).date():
        return BookingNotice("same_day", say(SAME_DAY, by=by), answer_by)
    if now < planning:
        text = say(LATE_BEFORE_PLANNING, cutoff=say.clock(cutoff_instant(day, cutoff)),
                   planning=say.clock(planning), by=by)  # fmt: skip
        return BookingNotice("late_before_planning", text, answer_by)
    return BookingNotice("late", say(LATE, planning=say.clock(planning), by=by), answer_by)


def waiting_notice(
    request: RideRequest,
    now: dt.datetime,
    *,
    cutoff: dt.time,
    planning_time: dt.time,
    language: str,
) -> BookingNotice | None:
    """What "My rides" says at ``now`` under a trip still waiting for a car: the notice of its
    booking (at ``request.created_at``). Why: the notice shows once, on booking; a rider who
    comes back to "My rides" and reads only "Waiting for a car" on a late trip would wait for
    an evening plan that will not bring it.

    A late booking's notice speaks of "today" and "this evening", so it is shown on the day of
    the booking, or until the time it promises an answer by; an on-time booking's ("we will
    tell you the pickup time on ... after 18:00") until its day's planning run. ``None``
    otherwise, and for a trip not waiting.
    """
    if request.status != RequestStatus.REQUESTED:
        return None
    booked = request.created_at
    notice = booking_notice(request, booked, cutoff=cutoff, planning_time=planning_time,
                            language=language)  # fmt: skip
    if notice.code == "booked":
        return notice if now < _planning_instant(request.date, planning_time) else None
    same_day = booked.astimezone(clock.LOCAL_TZ).date() == now.astimezone(clock.LOCAL_TZ).date()
    answering = notice.answer_by is not None and now < notice.answer_by
    return notice if same_day or answering else None


def _planning_instant(day: dt.date, planning_time: dt.time) -> dt.datetime:
    """When the evening's planning run for ``day`` starts (the day before)."""
    return clock.local_datetime(day - dt.timedelta(days=1), planning_time)


def _answer_by(request: RideRequest, start: dt.datetime) -> dt.datetime | None:
    """``ANSWER_WITHIN`` after ``start``, but ``ANSWER_BEFORE_TRIP`` before the rider may leave
    (for "arrive by", as early as the flexibility allows); ``None`` if that is before ``start``."""
    asked = clock.local_datetime(request.date, request.time)
    if request.time_kind == TimeKind.ARRIVE_BY:
        asked -= dt.timedelta(minutes=request.flexibility_min)
    latest = asked - ANSWER_BEFORE_TRIP
    if latest <= start:
        return None
    return min(start + ANSWER_WITHIN, latest)


class _Sayer:
    """Sentences and times in one language, times relative to the day of ``now``."""

    def __init__(self, language: str, now: dt.datetime) -> None:
        self.language = language
        self.today = now.astimezone(clock.LOCAL_TZ).date()

    def __call__(self, message: str, **params: str) -> str:
        return translate(self.language, message, **params)

    def clock(self, moment: dt.datetime) -> str:
        """A wall-clock time, Madrid ("18:00")."""
        return local_time(moment, self.language)

    def moment(self, moment: dt.datetime) -> str:
        """A time as "18:30" today, with the weekday ("Friday 09:00") on another day."""
        local = moment.astimezone(clock.LOCAL_TZ)
        if local.date() == self.today:
            return self.clock(local)
        return format_datetime(local, "EEEE HH:mm", tzinfo=clock.LOCAL_TZ, locale=self.language)
