"""Signing in and out of the pages, choosing the language, and the role-based home page."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from rides.accounts import people, signin
from rides.models import UI_LANGUAGES, Role
from web.database import session
from web.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, choose_page_language
from web.limits import limited, sign_in_limits
from web.login import current_person, end_session, page_requires, public_page, start_session

bp = Blueprint("auth", __name__)

HOME = {
    Role.NEWCOMER: "newcomer.home",
    Role.DRIVER: "driver.home",
    Role.COORDINATOR: "coordinator.home",
}


class LoginForm(FlaskForm):
    # E-mail or phone number: newcomers without e-mail sign in with their phone.
    email = StringField(
        _l("E-mail or phone number"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class LanguageForm(FlaskForm):
    language = SelectField(
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in UI_LANGUAGES]
    )


class MessagesLanguageForm(FlaskForm):
    language = SelectField(
        _l("Language of your messages"),
        choices=[SelectChoice(code, LANGUAGE_NAMES[code]) for code in UI_LANGUAGES],
    )


@bp.route("/")
@public_page
def home() -> ResponseReturnValue:
    """Each role lands on its own main page; visitors on the sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for(HOME[current_user.role]))
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@public_page
@limited(sign_in_limits)
def login() -> ResponseReturnValue:
    """Sign in with e-mail and password; the same message whatever was wrong."""
    form = LoginForm()
    if form.validate_on_submit():
        person = signin.authenticate(session(), form.email.data or "", form.password.data or "")
        if person is not None:
            start_session(person)
            return redirect(url_for(HOME[person.role]))
        form.form_errors.append(_("Wrong e-mail or password."))
    status = 200 if not form.errors and not form.form_errors else 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@public_page
def logout() -> ResponseReturnValue:
    """Sign out (a POST with the CSRF token, so no link can sign someone out); the cookie
    stops working everywhere, so a copy of it cannot be replayed."""
    if current_user.is_authenticated:
        signin.end_sessions(session(), current_person())
    end_session()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.post("/language")
@public_page
def language() -> ResponseReturnValue:
    """Switch the page language for this browser session (and, in a cookie, for the next
    visit); the language of the person's messages stays as their profile says."""
    form = LanguageForm()
    chosen = form.language.data if form.validate_on_submit() else None
    target = (
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("auth.home")
    )
    response = make_response(redirect(target))
    if chosen in UI_LANGUAGES:
        choose_page_language(chosen)
        # Secure exactly when the session cookie is (production: HTTPS only).
        response.set_cookie(
            LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )  # fmt: skip
    return response


@bp.route("/messages-language", methods=["GET", "POST"])
@page_requires(Role.NEWCOMER, Role.DRIVER)
def messages_language() -> ResponseReturnValue:
    """The language of the person's e-mails and text messages: a choice of its own, apart from
    the language of the pages (a volunteer may read the pages in French and want messages in
    Spanish)."""
    person = current_person()
    form = MessagesLanguageForm(language=person.preferred_language)
    if form.validate_on_submit():
        people.set_language(session(), person, form.language.data or "")
        chosen = LANGUAGE_NAMES[person.preferred_language]
        flash(_("Your messages will be in %(language)s.", language=chosen))
        return redirect(url_for("auth.messages_language"))
    status = 400 if form.errors else 200
    return render_template("auth/messages_language.html", form=form), status
