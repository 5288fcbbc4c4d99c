"""The invitation link and "forgot password": choose a password without being signed in.

Opening a link only shows the form; the password is set on the POST. The page speaks the
language of the person the link is for (they may not read the browser's language).
"""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from rides.accounts import invitations
from rides.errors import DomainError
from rides.models import UI_LANGUAGES
from web.auth import HOME
from web.database import session
from web.forms import show_errors
from web.i18n import LANGUAGE_NAMES
from web.limits import limited, sign_in_limits
from web.login import public_page, start_session

bp = Blueprint("invitations", __name__)


class AcceptForm(FlaskForm):
    language = SelectField(
        _l("Your language"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in UI_LANGUAGES],
    )
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(), Length(max=200)])
    password_again = PasswordField(
        _l("The same password again"),
        validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
    )


class ForgotForm(FlaskForm):
    # Named "email" so the sign-in rate limit per account counts these requests too.
    email = StringField(
        _l("Your e-mail or phone number"), validators=[DataRequired(), Length(max=254)]
    )


class HelpForm(FlaskForm):
    first_name = StringField(_l("Your first name"), validators=[DataRequired(), Length(max=80)])
    village = StringField(_l("Your village"), validators=[DataRequired(), Length(max=160)])


@bp.route("/invite/<token>", methods=["GET", "POST"])
@public_page
@limited(sign_in_limits)
def accept(token: str) -> ResponseReturnValue:
    """The invitation (or new-password) page: password twice, language, then signed in."""
    try:
        link = invitations.open_link(session(), token)
    except (invitations.LinkUsed, invitations.LinkExpired) as error:
        person = invitations.link_person(session(), token)
        if person is not None:
            g.language = person.preferred_language
        expired = isinstance(error, invitations.LinkExpired)
        return render_template("invitations/gone.html", expired=expired), 410
    person = link.person
    form = AcceptForm(data={"language": person.preferred_language})
    g.language = form.language.data if form.language.data in UI_LANGUAGES else "es"
    if form.validate_on_submit():
        try:
            invitations.accept(
                session(), token, form.password.data or "", form.language.data or "es"
            )
        except DomainError as error:
            show_errors(form, error)
        else:
            start_session(person)
            flash(_("Welcome, %(name)s. Your password is saved.", name=person.first_name))
            return redirect(url_for(HOME[person.role]), 303)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("invitations/accept.html", form=form, person=person, link=link), status


@bp.route("/forgot", methods=["GET", "POST"])
@public_page
@limited(sign_in_limits)
def forgot() -> ResponseReturnValue:
    """Ask for a new password; the same answer whether or not an account was found."""
    form = ForgotForm()
    help_form = HelpForm(prefix="help")
    if request.method == "POST" and "email" in request.form:
        if form.validate_on_submit():
            invitations.request_reset(session(), form.email.data or "")
            return _asked()
    elif help_form.validate_on_submit():
        invitations.request_help(
            session(), help_form.first_name.data or "", help_form.village.data or ""
        )
        return _asked()
    status = 422 if form.errors or help_form.errors else 200
    return render_template("auth/forgot.html", form=form, help_form=help_form), status


def _asked() -> ResponseReturnValue:
    flash(
        _(
            "If we know you, you will get a link to choose a new password, or a coordinator "
            "will call you. The link works for one day."
        )
    )
    return redirect(url_for("auth.login"), 303)
