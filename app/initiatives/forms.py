from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.i18n import _, _l
from app.initiatives.labels import DECISION_LABELS

TITLE_MAX, SUMMARY_MAX, BODY_MAX, LOCATION_MAX, LINKS_MAX, MESSAGE_MAX = 200, 600, 20_000, 300, 2_000, 5_000
MAX_LINKS = 10


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value is translated (WTForms' own is English)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_("Choose one of the options.")) from None

    def pre_validate(self, form):
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(_("Choose one of the options."))


def _too_long(limit: int):
    return Length(max=limit, message=_l("Too long: at most %(max)d characters."))


class InitiativeForm(FlaskForm):
    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Give your initiative a title.")), Length(min=5, max=TITLE_MAX,
        message=_l("The title must be between %(min)d and %(max)d characters long."))],
        description=_l("What should the municipality do? For example: \"Light the path to the school in Garliava\"."))
    summary = TextAreaField(_l("Short summary"), validators=[
        DataRequired(message=_l("Write a short summary.")), _too_long(SUMMARY_MAX)],
        description=_l("One or two sentences shown in the list."))
    body = TextAreaField(_l("Full text"), validators=[
        DataRequired(message=_l("Explain your initiative.")), _too_long(BODY_MAX)],
        description=_l("Why it matters and what exactly you propose. Markdown: **bold**, lists, links. HTML is shown as text."))
    category_id = ChoiceField(_l("Category"), coerce=int, validators=[Optional()])
    language = ChoiceField(_l("Language you write in"), choices=[("lt", "Lietuvių"), ("en", "English")])
    location = StringField(_l("Place (optional)"), validators=[Optional(), _too_long(LOCATION_MAX)],
                           description=_l("A village, street or building, if the initiative is about a place."))
    links = TextAreaField(_l("Links (optional)"), validators=[Optional(), _too_long(LINKS_MAX)],
                          description=_l("One address per line, starting with https://"))

    def validate_links(self, field):
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("At most %(n)d links.", n=MAX_LINKS))
        for line in lines:
            parts = urlsplit(line)
            if parts.scheme not in ("http", "https") or not parts.netloc or " " in line:
                raise ValidationError(_("This is not a web address: %(link)s", link=line[:100]))


class SignForm(FlaskForm):
    show_name = BooleanField(_l("Show my name publicly among the signers"), default=False)


class MessageForm(FlaskForm):
    message = TextAreaField(_l("Message to the author"), validators=[
        DataRequired(message=_l("Tell the author what to change.")), _too_long(MESSAGE_MAX)])


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason (shown publicly)"), validators=[
        DataRequired(message=_l("A rejection needs a reason: it is shown publicly.")), _too_long(MESSAGE_MAX)])


class ResponseForm(FlaskForm):
    decision = ChoiceField(_l("Decision"), choices=list(DECISION_LABELS.items()),
                           validators=[DataRequired()])
    text = TextAreaField(_l("Official response"), validators=[
        DataRequired(message=_l("Write the response.")), _too_long(BODY_MAX)],
        description=_l("Signers and the author receive it by e-mail. Markdown is allowed."))


class CategoryForm(FlaskForm):
    name_lt = StringField(_l("Name in Lithuanian"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    position = IntegerField(_l("Position in lists"), validators=[Optional(), NumberRange(min=0, max=10_000)])
