from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.audit import register_action_labels
from app.core.forms import ConfirmForm
from app.core.security import MODERATOR, login_required, role_required
from app.core.urls import safe_next
from app.discussion import bp, metrics, services
from app.discussion.forms import CommentForm, FlagForm, HideForm
from app.extensions import limiter
from app.i18n import _, _l

register_action_labels({
    "discussion.hidden": _l("hid flagged content"),
    "discussion.flags_dismissed": _l("dismissed reports"),
})


def _per_user() -> str:
    """Rate limits count per person (falling back to the address for visitors)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else (request.remote_addr or "")


def _back(form, fallback: str) -> str:
    return safe_next(form.next.data) or fallback


def _target_or_404(target_type: str, target_id: int):
    target, obj = services.load_target(g.municipality, target_type, target_id)
    if target is None:
        abort(404)
    return target, obj


@bp.route("/<target_type>/<int:target_id>/comments", methods=["POST"])
@login_required
@limiter.limit("20 per 10 minutes", key_func=_per_user)
def comment(target_type: str, target_id: int):
    target, obj = _target_or_404(target_type, target_id)
    form = CommentForm()
    status = 400
    if form.validate_on_submit():
        try:
            new = services.post_comment(g.municipality, current_user, target_type, target_id,
                                        form.body.data, form.parent_id.data)
        except services.DiscussionError as error:
            form.body.errors = [error.message]
            status = error.status
        else:
            flash(_("Your comment is published."), "success")
            return redirect(_back(form, target.url(obj)).split("#")[0] + f"#comment-{new.id}", code=303)
    # Re-render with what the person typed, beside the error.
    return render_template("discussion/comment_form.html", form=form, target=target, obj=obj,
                           target_type=target_type, back=_back(form, target.url(obj))), status


@bp.route("/<target_type>/<int:target_id>/flag", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per hour", key_func=_per_user, methods=["POST"])
def flag(target_type: str, target_id: int):
    target, obj = _target_or_404(target_type, target_id)
    form = FlagForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            services.flag(g.municipality, current_user, target_type, target_id, form.reason.data)
        except services.DiscussionError as error:
            form.reason.errors = [error.message]
            status = error.status
        else:
            flash(_("Thank you. A moderator will look at it."), "success")
            return redirect(_back(form, target.url(obj)), code=303)
    elif request.method == "POST":
        status = 400
    return render_template("discussion/flag.html", form=form, target=target, obj=obj,
                           target_type=target_type, back=_back(form, target.url(obj))), status


@bp.route("/moderation")
@role_required(MODERATOR)
def moderation():
    items = services.flag_queue(g.municipality)
    return render_template("discussion/moderation.html", items=items, hide_form=HideForm(),
                           dismiss_form=ConfirmForm())


@bp.route("/moderation/<target_type>/<int:target_id>/hide", methods=["GET", "POST"])
@role_required(MODERATOR)
def hide(target_type: str, target_id: int):
    target, obj = _target_or_404(target_type, target_id)
    form = HideForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            services.hide(g.municipality, current_user, target_type, target_id, form.reason.data)
        except services.DiscussionError as error:
            form.reason.errors = [error.message]
            status = error.status
        else:
            flash(_("Hidden. The author sees your reason."), "success")
            return redirect(_back(form, target.url(obj)), code=303)
    elif request.method == "POST":
        status = 400
    return render_template("discussion/hide.html", form=form, target=target, obj=obj,
                           target_type=target_type, back=_back(form, target.url(obj))), status


@bp.route("/moderation/<target_type>/<int:target_id>/dismiss", methods=["POST"])
@role_required(MODERATOR)
def dismiss(target_type: str, target_id: int):
    _target_or_404(target_type, target_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = services.dismiss_flags(g.municipality, current_user, target_type, target_id)
    flash(_("Reports dismissed: %(n)d.", n=count), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("discussion.moderation"), code=303)



metrics.register()
