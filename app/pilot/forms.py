"""Forms of the municipal administrator's settings page."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DecimalField, EmailField, IntegerField, SelectField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import MultiCheckboxField
from app.i18n import _, _l
from app.municipalities.forms import LOCALE_CHOICES


class MunicipalSettingsForm(FlaskForm):
    """What a municipal administrator may change: thresholds and languages (not the
    address, the name or the population, which the pilot administrators set)."""

    signature_threshold = IntegerField(
        _l("Signature threshold (number)"), validators=[Optional(), NumberRange(min=1, max=10_000_000)])
    signature_threshold_percent = DecimalField(
        _l("Signature threshold (percentage of population)"), places=2,
        validators=[Optional(), NumberRange(min=0.01, max=100)],
        description=_l("If both are set, the larger number of signatures applies."))
    signature_period_days = IntegerField(
        _l("Days to collect signatures"), validators=[InputRequired(), NumberRange(min=1, max=730)])
    default_locale = SelectField(_l("Default language"), choices=LOCALE_CHOICES)
    locales = MultiCheckboxField(_l("Languages"), choices=LOCALE_CHOICES)

    def validate_locales(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one language."))
        if self.default_locale.data not in field.data:
            raise ValidationError(_("The default language must be one of the languages."))


class ModeratorForm(FlaskForm):
    email = EmailField(_l("E-mail of a registered user"),
                       validators=[DataRequired(), Email(), Length(max=254)])
