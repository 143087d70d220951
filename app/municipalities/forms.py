from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, ValidationError

from app.core.forms import MultiCheckboxField
from app.i18n import _, _l
from app.municipalities.models import RESERVED_SLUGS

LOCALE_CHOICES = [("lt", _l("Lithuanian")), ("en", _l("English"))]


class MunicipalityForm(FlaskForm):
    slug = StringField(
        _l("Address (slug)"),
        validators=[DataRequired(), Length(min=2, max=60),
                    Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Use lowercase letters, digits and hyphens only."))],
        description=_l("Appears in the address: /kaunorajonas/"),
    )
    name_lt = StringField(_l("Name in Lithuanian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    population = IntegerField(_l("Population"), validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    default_locale = SelectField(_l("Default language"), choices=LOCALE_CHOICES)
    locales = MultiCheckboxField(_l("Languages"), choices=LOCALE_CHOICES)
    signature_threshold = IntegerField(
        _l("Signature threshold (number)"), validators=[Optional(), NumberRange(min=1, max=10_000_000)]
    )
    signature_threshold_percent = DecimalField(
        _l("Signature threshold (percentage of population)"), places=2,
        validators=[Optional(), NumberRange(min=0.01, max=100)],
        description=_l("If both are set, the larger number of signatures applies."),
    )
    signature_period_days = IntegerField(
        _l("Days to collect signatures"), default=90, validators=[DataRequired(), NumberRange(min=1, max=730)]
    )
    active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, current_slug: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._current_slug = current_slug

    def validate_slug(self, field):
        from app.extensions import db
        from app.municipalities.models import Municipality

        if field.data in RESERVED_SLUGS:
            raise ValidationError(_("This address is reserved; choose another."))
        if field.data != self._current_slug:
            exists = db.session.execute(db.select(Municipality.id).filter_by(slug=field.data)).first()
            if exists:
                raise ValidationError(_("Another municipality already uses this address."))

    def validate_locales(self, field):
        if not field.data:
            raise ValidationError(_("Choose at least one language."))
        if self.default_locale.data not in field.data:
            raise ValidationError(_("The default language must be one of the languages."))


class StaffForm(FlaskForm):
    email = EmailField(_l("E-mail of a registered user"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=[("moderator", _l("Moderator")), ("admin", _l("Municipal administrator"))])
