"""Comparison dashboard (public and pilot), exports, report, municipal figures and settings."""
from __future__ import annotations

from flask import Response, abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.models import Membership
from app.core.forms import ConfirmForm
from app.core.registry import register_nav
from app.core.security import ADMIN, MODERATOR, pilot_admin_required, public, role_required
from app.extensions import db
from app.i18n import _, _l
from app.municipalities import services as municipality_services
from app.pilot import bp, exports
from app.pilot.forms import ModeratorForm, MunicipalSettingsForm
from app.pilot.period import PeriodError, parse_period
from app.pilot.presenting import comparison_charts, format_value, municipality_charts, unit_of
from app.pilot.services import active_municipalities, compare, population_note, report_sections

register_nav("pilot.figures", _l("Figures"), order=80, role=MODERATOR)
register_nav("pilot.municipal_admin", _l("Settings"), order=90, role=ADMIN)


# Globals, not a context processor: the imported template macros see them too.
bp.add_app_template_global(format_value, "format_value")
bp.add_app_template_global(unit_of, "unit_of")


def _period_args() -> dict:
    """What the user typed, to show it again in the form and to pass on to exports."""
    return {"start": request.args.get("start", ""), "end": request.args.get("end", "")}


def _dashboard(template: str, municipalities, *, public_only: bool, exports_endpoint: str, **context):
    """Render a comparison page; a bad period gives the form with the error and status 400."""
    try:
        period = parse_period(request.args)
    except PeriodError as error:
        return render_template(template, comparison=None, period_error=str(error), typed=_period_args(),
                               **context), 400
    comparison = compare(municipalities, period, public_only=public_only)
    args = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    return render_template(template, comparison=comparison, period_error=None, typed=args,
                           charts=comparison_charts(comparison), export_args=args,
                           exports_endpoint=exports_endpoint,
                           population_note=population_note(municipalities), **context)


def _export(fmt: str, municipalities, *, public_only: bool, prefix: str):
    try:
        period = parse_period(request.args)
    except PeriodError as error:
        if fmt == "json":
            return jsonify({"error": str(error), "status": 400}), 400
        return Response(str(error) + "\n", status=400, mimetype="text/plain")
    comparison = compare(municipalities, period, public_only=public_only)
    name = exports.filename(prefix, comparison, fmt)
    if fmt == "json":
        response = jsonify(exports.to_json(comparison))
    else:
        response = Response(exports.to_csv(comparison), mimetype="text/csv")
        response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- public comparison ----------------------------------------------------------------

@bp.route("/compare")
@public
def compare_page():
    return _dashboard("pilot/compare.html", active_municipalities(), public_only=True,
                      exports_endpoint="pilot.compare_export")


@bp.route("/compare.<any(csv, json):fmt>")
@public
def compare_export(fmt: str):
    return _export(fmt, active_municipalities(), public_only=True, prefix="talka-compare")


# --- pilot administrators -------------------------------------------------------------

@bp.route("/pilot/")
@pilot_admin_required
def dashboard():
    return _dashboard("pilot/dashboard.html", active_municipalities(), public_only=False,
                      exports_endpoint="pilot.dashboard_export")


@bp.route("/pilot/compare.<any(csv, json):fmt>")
@pilot_admin_required
def dashboard_export(fmt: str):
    return _export(fmt, active_municipalities(), public_only=False, prefix="talka-pilot")


@bp.route("/pilot/report")
@pilot_admin_required
def report():
    municipalities = active_municipalities()
    try:
        period = parse_period(request.args)
    except PeriodError as error:
        return render_template("pilot/report.html", comparison=None, period_error=str(error),
                               typed=_period_args()), 400
    comparison = compare(municipalities, period, public_only=False)
    pages = [{
        "municipality": m,
        "charts": municipality_charts(comparison, m, f"m{m.id}"),
        "sections": report_sections(m, period),
    } for m in municipalities]
    return render_template("pilot/report.html", comparison=comparison, period_error=None, pages=pages,
                           typed={"start": period.start.isoformat(), "end": period.end.isoformat()},
                           population_note=population_note(municipalities))


# --- one municipality's own figures (its moderators and administrators) ------------------

@bp.route("/<municipality>/figures")
@role_required(MODERATOR)
def figures():
    return _dashboard("pilot/figures.html", [g.municipality], public_only=False,
                      exports_endpoint="pilot.figures_export")


@bp.route("/<municipality>/figures.<any(csv, json):fmt>")
@role_required(MODERATOR)
def figures_export(fmt: str):
    return _export(fmt, [g.municipality], public_only=False, prefix=f"talka-{g.municipality.slug}")


# --- the municipal administrator's settings ---------------------------------------------

def _moderators() -> list[Membership]:
    return list(db.session.execute(
        db.select(Membership).filter_by(municipality_id=g.municipality.id, role=MODERATOR)
        .order_by(Membership.created_at)
    ).scalars())


def _render_admin(form: MunicipalSettingsForm, moderator_form: ModeratorForm, status: int = 200):
    categories_url = (url_for("initiatives.categories")
                      if "initiatives.categories" in current_app.view_functions else None)
    return render_template("pilot/municipal_admin.html", form=form, moderator_form=moderator_form,
                           moderators=_moderators(), remove_form=ConfirmForm(formdata=None),
                           categories_url=categories_url), status


@bp.route("/<municipality>/admin/", methods=["GET", "POST"])
@role_required(ADMIN)
def municipal_admin():
    m = g.municipality
    form = MunicipalSettingsForm(obj=m)
    if request.method == "GET":
        form.locales.data = m.locale_list
    if form.validate_on_submit():
        data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
        changes = municipality_services.update_municipality(m, data, current_user)
        flash(_("Settings saved.") if changes else _("Nothing changed."), "success")
        return redirect(url_for("pilot.municipal_admin"))
    return _render_admin(form, ModeratorForm(formdata=None), 400 if form.errors else 200)


@bp.route("/<municipality>/admin/moderators", methods=["POST"])
@role_required(ADMIN)
def moderator_add():
    m = g.municipality
    moderator_form = ModeratorForm()
    if moderator_form.validate_on_submit():
        user = municipality_services.find_user_by_email(moderator_form.email.data)
        if user is None:
            moderator_form.email.errors.append(_("No registered user has this e-mail address."))
        else:
            if municipality_services.assign_role(m, user, MODERATOR, current_user):
                flash(_("%(name)s is now a moderator.", name=user.name), "success")
            else:
                flash(_("%(name)s is already a moderator.", name=user.name), "info")
            return redirect(url_for("pilot.municipal_admin"))
    form = MunicipalSettingsForm(formdata=None, obj=m)
    form.locales.data = m.locale_list
    return _render_admin(form, moderator_form, 400)


@bp.route("/<municipality>/admin/moderators/<int:membership_id>/remove", methods=["POST"])
@role_required(ADMIN)
def moderator_remove(membership_id: int):
    membership = db.session.execute(
        db.select(Membership).filter_by(id=membership_id, municipality_id=g.municipality.id, role=MODERATOR)
    ).scalar_one_or_none()
    if membership is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = membership.user.name
    municipality_services.remove_role(membership, current_user)
    flash(_("%(name)s is no longer a moderator.", name=name), "success")
    return redirect(url_for("pilot.municipal_admin"))
