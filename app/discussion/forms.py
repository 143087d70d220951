from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.i18n import _l

COMMENT_MAX = 5000
REASON_MAX = 1000


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[
        DataRequired(message=_l("Write something before sending.")),
        Length(max=COMMENT_MAX, message=_l("A comment can be at most %(max)d characters long."))])
    parent_id = IntegerField(validators=[Optional()])
    next = HiddenField()


class FlagForm(FlaskForm):
    reason = TextAreaField(_l("Why should a moderator look at this?"), validators=[
        DataRequired(message=_l("Tell the moderators what is wrong.")),
        Length(max=REASON_MAX, message=_l("The reason can be at most %(max)d characters long."))])
    next = HiddenField()


class HideForm(FlaskForm):
    reason = TextAreaField(_l("Reason for hiding (the author will see it)"), validators=[
        DataRequired(message=_l("Give a reason: the author will see it.")),
        Length(max=REASON_MAX, message=_l("The reason can be at most %(max)d characters long."))])
    next = HiddenField()
