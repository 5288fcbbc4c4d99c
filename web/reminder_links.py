"""The links in the evening-before reminder: confirm or cancel a ride without signing in.

Opening the link only shows the ride and one button; the change happens on the POST, so a mail
scanner that follows links can never cancel someone's ride.
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from rides.booking import reminders
from web.database import session
from web.login import public_page

bp = Blueprint("reminder_links", __name__)


def _links() -> reminders.ReminderLinks:
    config = current_app.config
    return reminders.ReminderLinks(str(config["SECRET_KEY"]), str(config["PUBLIC_URL"]))


@bp.route("/r/<token>", methods=["GET", "POST"])
@public_page
def answer(token: str) -> ResponseReturnValue:
    """GET shows the ride and the button; POST confirms or cancels as the link says."""
    form = FlaskForm()
    if form.validate_on_submit():
        action, request = reminders.answer_by_token(session(), _links(), token)
        g.language = request.rider.preferred_language
        return render_template("reminders/done.html", action=action, ride=request)
    action, ride = reminders.ride_of_link(session(), _links(), token)
    # The rider is not signed in: the page speaks the language of their profile.
    g.language = ride.rider.preferred_language
    return render_template("reminders/ask.html", action=action, ride=ride, form=form)
