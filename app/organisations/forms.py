from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp

from app.i18n import _l

KIND_CHOICES = [
    ("ngo", _l("NGO")), ("community", _l("Community group")), ("school", _l("School")),
    ("library", _l("Library")), ("other", _l("Other")),
]
KIND_LABELS = dict(KIND_CHOICES)


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name of the organisation"), validators=[
        DataRequired(), Length(max=200, message=_l("At most %(max)d characters."))])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    description = TextAreaField(_l("What the organisation does"), validators=[
        Optional(), Length(max=5000, message=_l("At most %(max)d characters."))])
    website = StringField(_l("Website (optional)"), validators=[
        Optional(), URL(message=_l("Enter a full web address starting with https://.")),
        # Only web links: a javascript: or data: address in an href would run in readers' browsers.
        Regexp(r"(?i)^https?://", message=_l("Enter a full web address starting with https://.")),
        Length(max=300, message=_l("At most %(max)d characters."))])
    contact_email = EmailField(_l("Contact e-mail"), validators=[
        DataRequired(), Email(), Length(max=254, message=_l("At most %(max)d characters."))])


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown publicly)"), validators=[
        Optional(), Length(max=2000, message=_l("At most %(max)d characters."))])


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(), Email(), Length(max=254, message=_l("At most %(max)d characters."))])
    role = SelectField(_l("Role"), choices=[("member", _l("Member")), ("organiser", _l("Organiser"))])


class OrganisationDetailsForm(FlaskForm):
    """What organisers may change after approval (the name and kind were checked by the moderator)."""

    description = TextAreaField(_l("What the organisation does"), validators=[
        Optional(), Length(max=5000, message=_l("At most %(max)d characters."))])
    website = StringField(_l("Website (optional)"), validators=[
        Optional(), URL(message=_l("Enter a full web address starting with https://.")),
        Regexp(r"(?i)^https?://", message=_l("Enter a full web address starting with https://.")),
        Length(max=300, message=_l("At most %(max)d characters."))])
    contact_email = EmailField(_l("Contact e-mail"), validators=[
        DataRequired(), Email(), Length(max=254, message=_l("At most %(max)d characters."))])
