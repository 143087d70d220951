from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user, login_user, logout_user

from app.accounts import bp, services
from app.accounts.forms import EmailForm, LanguageForm, LoginForm, ProfileForm, RegisterForm, ResetPasswordForm
from app.core.audit import record, register_action_labels
from app.core.forms import ConfirmForm
from app.core.urls import safe_next
from app.core.security import login_required, public
from app.extensions import db, limiter
from app.i18n import _, _l
from app.municipalities.models import Municipality
from app.municipalities.services import find_user_by_email

register_action_labels({
    "account.confirmed": _l("confirmed an e-mail address"),
    "account.password_reset": _l("reset a password"),
    "account.profile_updated": _l("changed the profile"),
})


def _municipality_choices():
    from app.i18n import localized

    rows = db.session.execute(
        db.select(Municipality).filter_by(active=True).order_by(Municipality.name_lt)
    ).scalars().all()
    return [(0, _("— choose —"))] + [(m.id, localized(m, "name")) for m in rows]


@bp.route("/account/register", methods=["GET", "POST"])
@public
@limiter.limit("20 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("municipalities.index"))
    form = RegisterForm()
    form.home_municipality.choices = _municipality_choices()
    if request.method == "GET":
        wanted = request.args.get("municipality", type=int)
        if wanted:
            form.home_municipality.data = wanted
    if form.validate_on_submit():
        if not db.session.get(Municipality, form.home_municipality.data):
            form.home_municipality.errors.append(_("Choose your municipality."))
        else:
            try:
                user = services.register(form.name.data, form.email.data, form.password.data,
                                         form.home_municipality.data, form.birth_year.data,
                                         str(get_locale()))
            except services.DuplicateEmail:
                form.email.errors.append(
                    _("An account with this e-mail already exists. Sign in or reset your password."))
            else:
                login_user(user)
                flash(_("Welcome! We sent a confirmation link to %(email)s. Open it to sign and vote.",
                        email=user.email), "success")
                return redirect(url_for("accounts.profile"))
    return render_template("accounts/register.html", form=form)


@bp.route("/account/confirm/<token>", methods=["GET", "POST"])
@public
def confirm(token: str):
    # GET only shows a button: link scanners in mail systems must not confirm for the user.
    form = ConfirmForm()
    try:
        if form.validate_on_submit():
            user = services.confirm(token)
            flash(_("Your e-mail address is confirmed. Thank you!"), "success")
            if not current_user.is_authenticated:
                login_user(user)
            return redirect(url_for("accounts.profile"))
        services._load("confirm-email", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    except services.TokenError as error:
        message = (_("This confirmation link has expired. Sign in and ask for a new one.")
                   if error.expired else _("This confirmation link is not valid."))
        return render_template("accounts/token_error.html", message=message), 400
    return render_template("accounts/confirm.html", form=form)


@bp.route("/account/confirm/resend", methods=["POST"])
@login_required
@limiter.limit("5 per hour", methods=["POST"])
def resend_confirmation():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if current_user.confirmed:
        flash(_("Your e-mail address is already confirmed."), "info")
    else:
        services.send_confirmation(current_user)
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("accounts.profile"))


def _login_email_key():
    return "login:" + (request.form.get("email") or "").strip().lower()


@bp.route("/account/login", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=_login_email_key)
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None or not user.check_password(form.password.data) or not user.active:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            if session.get("lang"):
                user.locale = session["lang"]  # the language chosen before signing in is kept
            db.session.commit()  # also saves a rehashed password
            login_user(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(form.next.data) or url_for("accounts.profile"))
    return render_template("accounts/login.html", form=form)


@bp.route("/account/logout", methods=["POST"])
@login_required
def logout():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    lang = session.get("lang")
    logout_user()
    if lang:
        session["lang"] = lang
    flash(_("You are signed out."), "success")
    return redirect(url_for("municipalities.index"))


@bp.route("/account/forgot", methods=["GET", "POST"])
@public
@limiter.limit("10 per hour", methods=["POST"])
def forgot():
    form = EmailForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None:
            services.send_reset(user)
        # The same answer either way, so the form does not reveal who has an account.
        flash(_("If an account uses this address, we sent it a link to reset the password."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
@public
def reset(token: str):
    try:
        user = services.user_for_reset(token)
    except services.TokenError as error:
        message = (_("This password reset link has expired. Ask for a new one.")
                   if error.expired else _("This password reset link is not valid or was already used."))
        return render_template("accounts/token_error.html", message=message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        login_user(user)
        flash(_("Your password is changed."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/account/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    form.home_municipality.choices = _municipality_choices()[1:]
    if request.method == "GET":
        form.home_municipality.data = current_user.home_municipality_id
        form.locale.data = current_user.locale or str(get_locale())
    if form.validate_on_submit():
        current_user.name = form.name.data
        current_user.home_municipality_id = form.home_municipality.data
        current_user.birth_year = form.birth_year.data
        current_user.locale = form.locale.data
        record("account.profile_updated", actor=current_user, obj=current_user, label=current_user.name)
        db.session.commit()
        flash(_("Profile saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form, resend_form=ConfirmForm())


@bp.route("/lang", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["lang"] = form.lang.data
    if current_user.is_authenticated:
        current_user.locale = form.lang.data
        db.session.commit()
    return redirect(safe_next(form.next.data) or url_for("municipalities.index"))
