from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional, ValidationError

from app.i18n import _, _l

PASSWORD_MIN = 10


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=PASSWORD_MIN, max=200)],
        description=_l("At least 10 characters."),
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    home_municipality = SelectField(
        _l("Your municipality"), coerce=int, validators=[DataRequired(message=_l("Choose your municipality."))],
        description=_l("You can sign initiatives and vote in this municipality."),
    )
    birth_year = IntegerField(
        _l("Year of birth (optional)"), validators=[Optional(), NumberRange(min=1900, max=2026)],
        description=_l("Some votes have a minimum age."),
    )

    def validate_email(self, field):
        from app.municipalities.services import find_user_by_email

        if find_user_by_email(field.data) is not None:
            raise ValidationError(_("An account with this e-mail already exists. Sign in or reset your password."))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))
    next = HiddenField()


class EmailForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=PASSWORD_MIN, max=200)],
        description=_l("At least 10 characters."),
    )
    password_confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=[("lt", "Lietuvių"), ("en", "English")])
    next = HiddenField()


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    home_municipality = SelectField(_l("Your municipality"), coerce=int)
    birth_year = IntegerField(_l("Year of birth (optional)"), validators=[Optional(), NumberRange(min=1900, max=2026)])
    locale = SelectField(_l("Language of e-mails"), choices=[("lt", "Lietuvių"), ("en", "English")])
