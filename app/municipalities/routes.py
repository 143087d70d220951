from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import Membership
from app.core.audit import AuditEvent, register_action_labels
from app.core.forms import ConfirmForm
from app.core.pagination import paginate
from app.core.registry import HOME_FIGURES, HomeFigure, register_home_figure
from app.core.security import ADMIN, pilot_admin_required, public, role_required
from app.extensions import db
from app.i18n import _, _l, ngettext
from app.municipalities import bp, services
from app.municipalities.forms import MunicipalityForm, StaffForm
from app.municipalities.models import Municipality

register_action_labels({
    "municipality.created": _l("created the municipality"),
    "municipality.updated": _l("changed the municipality's settings"),
    "staff.assigned": _l("gave a staff role"),
    "staff.removed": _l("removed a staff role"),
})
register_home_figure(HomeFigure(
    key="residents", counts=services.resident_counts, order=10,
    label=lambda n: ngettext("%(num)d registered resident", "%(num)d registered residents", n),
))


@bp.route("/")
@public
def index():
    municipalities = db.session.execute(
        db.select(Municipality).filter_by(active=True).order_by(Municipality.name_lt)
    ).scalars().all()
    ids = [m.id for m in municipalities]
    figures = {f.key: f.counts(ids) for f in HOME_FIGURES} if ids else {}
    return render_template("municipalities/index.html", municipalities=municipalities,
                           figures=figures, home_figures=HOME_FIGURES)


@bp.route("/<municipality>/")
@public
def home():
    m = g.municipality
    figures = [(f, f.counts([m.id]).get(m.id, 0)) for f in HOME_FIGURES]
    return render_template("municipalities/home.html", figures=figures)


@bp.route("/<municipality>/audit")
@public
def audit():
    query = (db.select(AuditEvent)
             .filter_by(municipality_id=g.municipality.id, public=True)
             .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc()))
    page = paginate(query, per_page=50)
    return render_template("municipalities/audit.html", page=page)


# --- pilot administration of municipalities ------------------------------------------

@bp.route("/admin/municipalities")
@pilot_admin_required
def admin_list():
    municipalities = db.session.execute(db.select(Municipality).order_by(Municipality.name_lt)).scalars().all()
    return render_template("municipalities/admin_list.html", municipalities=municipalities)


def _form_data(form: MunicipalityForm) -> dict:
    return {name: field.data for name, field in form._fields.items() if name != "csrf_token"}


@bp.route("/admin/municipalities/new", methods=["GET", "POST"])
@pilot_admin_required
def admin_new():
    form = MunicipalityForm()
    if request.method == "GET":
        form.locales.data = ["lt", "en"]
    if form.validate_on_submit():
        m = services.create_municipality(_form_data(form), current_user)
        flash(_("Municipality %(name)s created.", name=m.name_lt), "success")
        return redirect(url_for("municipalities.admin_edit", municipality_id=m.id))
    return render_template("municipalities/admin_form.html", form=form, target=None)


def _get_or_404(municipality_id: int) -> Municipality:
    m = db.session.get(Municipality, municipality_id)
    if m is None:
        abort(404, description=_("There is no municipality at this address."))
    return m


@bp.route("/admin/municipalities/<int:municipality_id>", methods=["GET", "POST"])
@pilot_admin_required
def admin_edit(municipality_id: int):
    m = _get_or_404(municipality_id)
    form = MunicipalityForm(obj=m, current_slug=m.slug)
    if request.method == "GET":
        form.locales.data = m.locale_list
    if form.validate_on_submit():
        changes = services.update_municipality(m, _form_data(form), current_user)
        flash(_("Settings saved.") if changes else _("Nothing changed."), "success")
        return redirect(url_for("municipalities.admin_edit", municipality_id=m.id))
    members = db.session.execute(
        db.select(Membership).filter_by(municipality_id=m.id).order_by(Membership.role)
    ).scalars().all()
    return render_template("municipalities/admin_form.html", form=form, target=m, members=members,
                           staff_form=StaffForm(), remove_form=ConfirmForm())


@bp.route("/admin/municipalities/<int:municipality_id>/staff", methods=["POST"])
@pilot_admin_required
def admin_staff_add(municipality_id: int):
    m = _get_or_404(municipality_id)
    form = StaffForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is None:
            flash(_("No registered user has this e-mail address."), "error")
        elif services.assign_role(m, user, form.role.data, current_user):
            flash(_("Role given to %(name)s.", name=user.name), "success")
        else:
            flash(_("%(name)s already has this role.", name=user.name), "info")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("municipalities.admin_edit", municipality_id=m.id))


@bp.route("/admin/memberships/<int:membership_id>/remove", methods=["POST"])
@pilot_admin_required
def admin_staff_remove(membership_id: int):
    membership = db.session.get(Membership, membership_id)
    if membership is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    municipality_id = membership.municipality_id
    services.remove_role(membership, current_user)
    flash(_("Role removed."), "success")
    return redirect(url_for("municipalities.admin_edit", municipality_id=municipality_id))


@bp.route("/<municipality>/staff")
@role_required(ADMIN)
def staff():
    """Municipal administrators see who moderates their municipality."""
    members = db.session.execute(
        db.select(Membership).filter_by(municipality_id=g.municipality.id).order_by(Membership.role)
    ).scalars().all()
    return render_template("municipalities/staff.html", members=members)
