from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField, IntegerField, RadioField, SelectField, StringField, TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.i18n import _l

BALLOT_TYPE_CHOICES = [
    ("approval", _l("Approval: choose any number of projects")),
    ("k_approval", _l("k-approval: choose at most k projects")),
    ("knapsack", _l("Knapsack: choose projects whose total cost fits the pot")),
    ("cumulative", _l("Cumulative: spread N points among projects")),
    ("ranked", _l("Ranked: put up to k projects in order")),
]
COST_MESSAGE = _l("Enter the cost in whole euros, more than zero.")
DATE_FORMAT = "%Y-%m-%dT%H:%M"


class ProcessForm(FlaskForm):
    title_lt = StringField(_l("Title in Lithuanian"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=200)])
    description_lt = TextAreaField(_l("Description in Lithuanian"), validators=[Optional(), Length(max=20_000)],
                                   description=_l("Markdown: **bold**, lists, links."))
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=20_000)])
    ideas_open_at = DateTimeLocalField(_l("Idea submission opens"), format=DATE_FORMAT,
                                       validators=[DataRequired(message=_l("Enter a date and time."))])
    review_at = DateTimeLocalField(_l("Submission closes and review starts"), format=DATE_FORMAT,
                                   validators=[DataRequired(message=_l("Enter a date and time."))])
    voting_open_at = DateTimeLocalField(_l("Voting opens"), format=DATE_FORMAT,
                                        validators=[DataRequired(message=_l("Enter a date and time."))])
    voting_close_at = DateTimeLocalField(_l("Voting closes"), format=DATE_FORMAT,
                                         validators=[DataRequired(message=_l("Enter a date and time."))])
    min_age = IntegerField(_l("Minimum age of voters"), validators=[Optional(), NumberRange(min=0, max=120)],
                           description=_l("Leave empty to let every confirmed resident vote."))
    ballot_type = RadioField(_l("Ballot type"), choices=BALLOT_TYPE_CHOICES, default="approval")
    max_choices = IntegerField(_l("k: most projects a voter may choose or rank"),
                               validators=[Optional(), NumberRange(min=1, max=100)])
    points = IntegerField(_l("N: points a voter may spread"), validators=[Optional(), NumberRange(min=1, max=1000)])
    # Checked by the service, which says why a rule does not fit the ballot type.
    rule = SelectField(_l("Tallying rule"), choices=[], validate_choice=False)


class PotForm(FlaskForm):
    name_lt = StringField(_l("Pot name in Lithuanian"), validators=[DataRequired(), Length(max=200)],
                         description=_l("e.g. the whole municipality, or one eldership"))
    name_en = StringField(_l("Pot name in English"), validators=[Optional(), Length(max=200)])
    budget = IntegerField(_l("Amount (whole euros)"),
                          validators=[InputRequired(message=_l("Enter the amount in whole euros.")),
                                      NumberRange(min=1, max=100_000_000,
                                                  message=_l("Enter an amount between 1 and 100,000,000 euros."))])


class IdeaForm(FlaskForm):
    pot_id = SelectField(_l("Budget pot"), coerce=int, choices=[])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=5, max=200)])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=10_000)],
                                description=_l("What should be done, for whom and why. Markdown is allowed."))
    location = StringField(_l("Location"), validators=[Optional(), Length(max=300)],
                           description=_l("Address, village or place, e.g. the park by the community centre."))
    estimated_cost = IntegerField(_l("Estimated cost (whole euros)"),
                                  validators=[InputRequired(message=COST_MESSAGE),
                                              NumberRange(min=1, message=COST_MESSAGE)])
    contact = StringField(_l("How can the moderators contact you?"), validators=[DataRequired(), Length(max=200)],
                          description=_l("Phone or e-mail; seen only by the moderators."))


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("feasible", _l("Feasible: goes to the ballot")),
                                                   ("infeasible", _l("Not feasible"))],
                          validators=[DataRequired(message=_l("Choose a decision."))])
    final_cost = IntegerField(_l("Final cost estimate (whole euros)"),
                              validators=[Optional(), NumberRange(min=1, message=COST_MESSAGE)])
    reason = TextAreaField(_l("Public reason"), validators=[DataRequired(), Length(max=5_000)])


class EditIdeaForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(min=5, max=200)])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=10_000)])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=300)])


class MergeForm(FlaskForm):
    target_id = SelectField(_l("Merge into"), coerce=int, choices=[])
    reason = TextAreaField(_l("Public note"), validators=[Optional(), Length(max=2_000)])


class PaperBallotForm(FlaskForm):
    serial = StringField(_l("Serial number on the paper ballot"), validators=[Optional(), Length(max=40)],
                         description=_l("Prevents entering the same paper ballot twice."))
