"""Staff pages: the moderation queue and decisions, official responses, categories."""
from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from app.core.forms import ConfirmForm
from app.core.models import utcnow
from app.core.security import ADMIN, MODERATOR, role_required
from app.discussion import services as discussion
from app.extensions import db
from app.i18n import _
from app.initiatives import bp, queries, services
from app.initiatives.forms import CategoryForm, MessageForm, RejectForm, ResponseForm
from app.initiatives.models import Category, Initiative
from app.initiatives.routes import render_detail


# --- moderation --------------------------------------------------------------------------

@bp.route("/<municipality>/initiatives/moderation")
@role_required(MODERATOR)
def moderation():
    return render_template("initiatives/moderation.html", queue=queries.moderation_queue(g.municipality),
                           awaiting=queries.awaiting_response(g.municipality),
                           flags=discussion.open_flag_count(g.municipality), now=utcnow())


def _moderated_or_404(initiative_id: int) -> Initiative:
    initiative = services.get_initiative(g.municipality, initiative_id)
    if initiative is None:
        abort(404, description=_("There is no initiative at this address."))
    return initiative


def _moderate(initiative_id: int, form, action, success: str, form_name: str):
    initiative = _moderated_or_404(initiative_id)
    if not form.validate_on_submit():
        if form.errors.keys() <= {"csrf_token"} and form.errors:
            abort(400)
        return render_detail(initiative, 400, **{form_name: form})
    try:
        action(initiative)
    except services.InitiativeError as error:
        abort(error.status, description=error.message)
    flash(success, "success")
    return redirect(url_for("initiatives.detail", initiative_id=initiative.id), code=303)


@bp.route("/<municipality>/initiatives/<int:initiative_id>/moderation/approve", methods=["POST"])
@role_required(MODERATOR)
def approve(initiative_id: int):
    return _moderate(initiative_id, ConfirmForm(), lambda i: services.approve(g.municipality, current_user, i),
                     _("Published. Signature collection has started."), "confirm_form")


@bp.route("/<municipality>/initiatives/<int:initiative_id>/moderation/changes", methods=["POST"])
@role_required(MODERATOR)
def request_changes(initiative_id: int):
    form = MessageForm()
    return _moderate(initiative_id, form,
                     lambda i: services.request_changes(g.municipality, current_user, i, form.message.data),
                     _("Sent back to the author with your message."), "message_form")


@bp.route("/<municipality>/initiatives/<int:initiative_id>/moderation/reject", methods=["POST"])
@role_required(MODERATOR)
def reject(initiative_id: int):
    form = RejectForm()
    return _moderate(initiative_id, form,
                     lambda i: services.reject(g.municipality, current_user, i, form.reason.data),
                     _("Rejected. The reason is shown publicly."), "reject_form")


@bp.route("/<municipality>/initiatives/<int:initiative_id>/moderation/respond", methods=["POST"])
@role_required(MODERATOR)
def respond(initiative_id: int):
    form = ResponseForm()
    return _moderate(initiative_id, form,
                     lambda i: services.respond(g.municipality, current_user, i, form.decision.data, form.text.data),
                     _("The official response is published and sent to the signers."), "response_form")


# --- categories (municipal administrators) -----------------------------------------------

@bp.route("/<municipality>/initiatives/categories", methods=["GET", "POST"])
@role_required(ADMIN)
def categories():
    form = CategoryForm()
    status = 200
    if form.validate_on_submit():
        services.add_category(g.municipality, current_user, form.name_lt.data, form.name_en.data,
                              form.position.data)
        flash(_("Category added."), "success")
        return redirect(url_for("initiatives.categories"), code=303)
    if form.errors:
        status = 400
    rows = services.categories(g.municipality)
    edit_forms = {c.id: CategoryForm(formdata=None, obj=c, prefix=f"c{c.id}") for c in rows}
    return render_template("initiatives/categories.html", form=form, rows=rows, edit_forms=edit_forms,
                           delete_form=ConfirmForm(formdata=None)), status


def _category_or_404(category_id: int) -> Category:
    category = db.session.execute(
        db.select(Category).where(Category.id == category_id, Category.municipality_id == g.municipality.id)
    ).scalar_one_or_none()
    if category is None:
        abort(404)
    return category


@bp.route("/<municipality>/initiatives/categories/<int:category_id>", methods=["POST"])
@role_required(ADMIN)
def category_update(category_id: int):
    category = _category_or_404(category_id)
    form = CategoryForm(prefix=f"c{category.id}")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("initiatives.categories"), code=303)
    services.update_category(g.municipality, current_user, category, form.name_lt.data, form.name_en.data,
                             form.position.data or 0)
    flash(_("Category saved."), "success")
    return redirect(url_for("initiatives.categories"), code=303)


@bp.route("/<municipality>/initiatives/categories/<int:category_id>/delete", methods=["POST"])
@role_required(ADMIN)
def category_delete(category_id: int):
    category = _category_or_404(category_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.delete_category(g.municipality, current_user, category)
    except services.InitiativeError as error:
        flash(error.message, "error")
        return redirect(url_for("initiatives.categories"), code=303)
    flash(_("Category deleted."), "success")
    return redirect(url_for("initiatives.categories"), code=303)


@bp.cli.command("expire")
def expire_command() -> None:
    """Close collections whose deadline passed without the threshold (run it daily from cron)."""
    import click

    click.echo(f"Expired initiatives: {services.expire_due()}")
