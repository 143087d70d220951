from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.i18n import _l

FORMAT = "%Y-%m-%dT%H:%M"


def _max(n: int) -> Length:
    return Length(max=n, message=_l("At most %(max)d characters."))


def _when(label):
    return DateTimeLocalField(label, format=FORMAT, validators=[
        InputRequired(message=_l("Enter a date and time."))],
        description=_l("Lithuanian time (Europe/Vilnius)."))


QUESTION_KIND_CHOICES = [
    ("single", _l("Single choice")), ("multiple", _l("Multiple choice")), ("ranking", _l("Ranking")),
    ("rating", _l("Rating scale 1–5")), ("short_text", _l("Short text")), ("long_text", _l("Long text")),
]
EVENT_KIND_CHOICES = [("debate", _l("Public debate")), ("focus_group", _l("Focus group")),
                      ("workshop", _l("Workshop"))]
RANKING_RULE_CHOICES = [("borda", _l("Borda count")), ("irv", _l("Instant-runoff"))]


class QuestionnaireForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    title_lt = StringField(_l("Title (Lithuanian)"), validators=[DataRequired(), _max(200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), _max(200)])
    description_lt = TextAreaField(_l("Description (Lithuanian)"), validators=[Optional(), _max(10000)],
                                   description=_l("Markdown: **bold**, lists, links."))
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), _max(10000)])
    opens_at = _when(_l("Opens"))
    closes_at = _when(_l("Closes"))
    audience = SelectField(_l("Who may answer"), choices=[
        ("signed_in", _l("Anyone signed in")), ("residents", _l("Residents of the municipality only"))])
    live_results = BooleanField(_l("Show results while the questionnaire is open"))
    publish_free_text = BooleanField(_l("Publish the free-text answers to everyone"))
    ranking_rule = SelectField(_l("Counting rule for ranking questions"), choices=RANKING_RULE_CHOICES)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.opens_at.data and self.closes_at.data and self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors.append(_l("The closing date must be after the opening date."))
            ok = False
        return ok


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind of question"), choices=QUESTION_KIND_CHOICES)
    text_lt = StringField(_l("Question (Lithuanian)"), validators=[DataRequired(), _max(500)])
    text_en = StringField(_l("Question (English)"), validators=[Optional(), _max(500)])
    help_lt = StringField(_l("Hint (Lithuanian, optional)"), validators=[Optional(), _max(1000)])
    help_en = StringField(_l("Hint (English, optional)"), validators=[Optional(), _max(1000)])
    required = BooleanField(_l("An answer is required"))
    options_lt = TextAreaField(_l("Options (Lithuanian), one per line"), validators=[Optional(), _max(10000)],
                               description=_l("For choice and ranking questions. For a rating scale: "
                                              "optionally five labels, for 1 to 5."))
    options_en = TextAreaField(_l("Options (English), one per line"), validators=[Optional(), _max(10000)],
                               description=_l("In the same order as the Lithuanian ones."))
    max_choices = IntegerField(_l("At most this many choices (multiple choice)"),
                               validators=[Optional(), NumberRange(min=1, max=100)])

    def validate(self, extra_validators=None) -> bool:
        from app.consultations.questionnaires import question_problems

        ok = super().validate(extra_validators)
        if ok:
            for name, message in question_problems(self.data).items():
                getattr(self, name).errors.append(message)
                ok = False
        return ok


class EventForm(FlaskForm):
    organisation = SelectField(_l("Organisation"), coerce=int)
    kind = SelectField(_l("Kind of event"), choices=EVENT_KIND_CHOICES)
    title_lt = StringField(_l("Title (Lithuanian)"), validators=[DataRequired(), _max(200)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), _max(200)])
    description_lt = TextAreaField(_l("Description (Lithuanian)"), validators=[Optional(), _max(10000)],
                                   description=_l("Markdown: **bold**, lists, links."))
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional(), _max(10000)])
    starts_at = _when(_l("Starts"))
    ends_at = _when(_l("Ends"))
    place = StringField(_l("Place"), validators=[Optional(), _max(300)],
                        description=_l("Address or room, e.g. the community centre hall."))
    online_url = StringField(_l("Online link (optional)"), validators=[
        Optional(), URL(message=_l("Enter a full web address starting with https://.")),
        # Only web links: a javascript: or data: address in an href would run in readers' browsers.
        Regexp(r"(?i)^https?://", message=_l("Enter a full web address starting with https://.")), _max(500)])
    capacity = IntegerField(_l("Capacity (seats)"), validators=[
        InputRequired(message=_l("Enter the number of seats.")),
        NumberRange(min=1, max=100000, message=_l("The capacity must be at least 1."))])
    signup_deadline = _when(_l("Sign-up deadline"))
    selection = SelectField(_l("Who gets a seat"), choices=[
        ("automatic", _l("Confirmed automatically in order of sign-up, then a waitlist")),
        ("organiser", _l("Selected by the organiser (e.g. a balanced focus group)"))])

    def validate(self, extra_validators=None) -> bool:
        from app.consultations.events import event_problems
        from app.consultations.services import local_to_utc

        ok = super().validate(extra_validators)
        data = {"starts_at": local_to_utc(self.starts_at.data), "ends_at": local_to_utc(self.ends_at.data),
                "signup_deadline": local_to_utc(self.signup_deadline.data), "place": self.place.data,
                "online_url": self.online_url.data, "capacity": self.capacity.data}
        for name, message in event_problems(data, creating=getattr(self, "creating", False)).items():
            field = getattr(self, name)
            if message not in field.errors:
                field.errors.append(message)
            ok = False
        return ok


class EventQuestionForm(FlaskForm):
    text_lt = StringField(_l("Question (Lithuanian)"), validators=[DataRequired(), _max(500)],
                          description=_l("E.g. age group, neighbourhood, accessibility needs."))
    text_en = StringField(_l("Question (English)"), validators=[Optional(), _max(500)])
    options_lt = TextAreaField(_l("Options (Lithuanian), one per line"), validators=[Optional(), _max(5000)],
                               description=_l("Leave empty for a free-text answer."))
    options_en = TextAreaField(_l("Options (English), one per line"), validators=[Optional(), _max(5000)])
    required = BooleanField(_l("An answer is required"))


class SummaryForm(FlaskForm):
    summary_lt = TextAreaField(_l("Summary (Lithuanian)"), validators=[DataRequired(), _max(20000)],
                               description=_l("Markdown: what was discussed, what was decided, what happens next."))
    summary_en = TextAreaField(_l("Summary (English, optional)"), validators=[Optional(), _max(20000)])


class CancelEventForm(FlaskForm):
    reason = TextAreaField(_l("Reason (sent to everyone signed up)"), validators=[DataRequired(), _max(2000)])
