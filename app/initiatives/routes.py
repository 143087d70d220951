import csv
import io
import math

from flask import Response, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.audit import register_action_labels
from app.core.forms import ConfirmForm
from app.core.models import utcnow
from app.core.registry import HomeFigure, register_home_figure, register_nav
from app.core.security import MODERATOR, login_required, public
from app.discussion import services as discussion
from app.discussion.registry import TargetType, register_target
from app.extensions import db
from app.i18n import _, _l, localized, ngettext
from app.initiatives import bp, metrics, notify, queries, services, signing
from app.initiatives.forms import InitiativeForm, MessageForm, RejectForm, ResponseForm, SignForm
from app.initiatives.labels import DECISION_LABELS, LIST_FILTERS, SORTS, STATUS_BADGES, STATUS_LABELS
from app.initiatives.models import EDITABLE, Initiative, InitiativeVersion

register_action_labels({
    "initiative.created": _l("started an initiative"),
    "initiative.edited": _l("edited an initiative"),
    "initiative.submitted": _l("submitted an initiative for moderation"),
    "initiative.changes_requested": _l("asked for changes to an initiative"),
    "initiative.approved": _l("published an initiative"),
    "initiative.rejected": _l("rejected an initiative"),
    "initiative.threshold_reached": _l("initiative reached its signature threshold"),
    "initiative.answered": _l("published the official response to an initiative"),
    "initiative.withdrawn": _l("withdrew an initiative"),
    "initiative.expired": _l("signature collection ended without reaching the threshold"),
    "category.created": _l("added an initiative category"),
    "category.updated": _l("changed an initiative category"),
    "category.deleted": _l("deleted an initiative category"),
})
register_nav("initiatives.index", _l("Initiatives"), order=20)
register_nav("initiatives.moderation", _l("Moderation"), order=80, role=MODERATOR)
register_home_figure(HomeFigure(
    key="initiatives", counts=queries.public_counts, order=20,
    label=lambda n: ngettext("%(num)d civic initiative", "%(num)d civic initiatives", n)))
register_target(TargetType(
    name="initiative", label=_l("Initiative"),
    load=lambda m, i: services.get_initiative(m, i),
    url=lambda obj: url_for("initiatives.detail", initiative_id=obj.id),
    title=lambda obj: obj.title,
    comment_refusal=lambda obj, user: None if obj.is_public else _("This initiative is not public, so it cannot be discussed."),
    hide=services.hide,
    is_hidden=lambda obj: obj.hidden_at is not None,
))
metrics.register()


def _template_globals():
    return {"status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES, "decision_labels": DECISION_LABELS}


@bp.app_context_processor
def _inject():
    return {"initiative_labels": _template_globals()}


def _is_moderator() -> bool:
    return current_user.is_authenticated and current_user.has_role(g.municipality, MODERATOR)


def _visible_or_404(initiative_id: int) -> Initiative:
    """Public initiatives to everyone; drafts and hidden ones only to the author and moderators."""
    initiative = services.get_initiative(g.municipality, initiative_id)
    if initiative is None:
        abort(404, description=_("There is no initiative at this address."))
    if initiative.is_public:
        return initiative
    if current_user.is_authenticated and (initiative.author_id == current_user.id or _is_moderator()):
        return initiative
    abort(404, description=_("There is no initiative at this address."))


def _category_choices():
    return [(0, _("— no category —"))] + [(c.id, localized(c, "name")) for c in services.categories(g.municipality)]


def _form_data(form: InitiativeForm) -> dict:
    return {name: form[name].data for name in services.TEXT_FIELDS}


# --- public pages ----------------------------------------------------------------------

@bp.route("/<municipality>/initiatives/")
@public
def index():
    args = queries.ListArgs(
        status=request.args.get("status", "") if request.args.get("status") in LIST_FILTERS else "",
        category=request.args.get("category", type=int) or None,
        q=(request.args.get("q") or "")[:queries.SEARCH_MAX],
        sort=request.args.get("sort") if request.args.get("sort") in SORTS else "newest",
        page=max(1, request.args.get("page", 1, type=int) or 1),
    )
    page = queries.public_list(g.municipality, args)
    return render_template("initiatives/index.html", page=page, args=args, filters=LIST_FILTERS, sorts=SORTS,
                           categories=services.categories(g.municipality), now=utcnow())


@bp.route("/<municipality>/initiatives.json")
@public
def open_data_json():
    rows = queries.open_data(g.municipality)
    return jsonify({"municipality": g.municipality.slug, "generated_at": utcnow().isoformat(),
                    "count": len(rows), "initiatives": rows})


@bp.route("/<municipality>/initiatives.csv")
@public
def open_data_csv():
    rows = queries.open_data(g.municipality)
    out = io.StringIO()
    columns = ["id", "title", "summary", "language", "author", "status", "category_lt", "category_en", "location",
               "submitted_at", "published_at", "decided_at", "signature_deadline", "threshold_reached_at",
               "answered_at", "closed_at", "required_signatures", "signature_count", "rejection_reason",
               "response_decision", "signers_shown"]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "signers_shown": "; ".join(row["signers_shown"])})
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename={g.municipality.slug}-initiatives.csv"})


def render_detail(initiative: Initiative, status: int = 200, **forms):
    now = utcnow()
    moderator = _is_moderator()
    is_author = current_user.is_authenticated and current_user.id == initiative.author_id
    refusal = signing.sign_refusal(initiative, current_user, now)
    days_left = None
    if initiative.collection_open(now):
        days_left = max(0, math.ceil((initiative.signature_deadline - now).total_seconds() / 86400))
    thread = None
    if initiative.is_public:
        thread = discussion.thread_context(g.municipality, "initiative", initiative, current_user,
                                           next_url=url_for("initiatives.detail", initiative_id=initiative.id))
    context = dict(
        initiative=initiative, now=now, is_moderator=moderator, is_author=is_author,
        refusal=refusal, my_signature=signing.signature_of(initiative, current_user),
        days_left=days_left, signers=queries.public_signers(initiative) if initiative.published_at else [],
        timeline=queries.timeline(initiative, private=is_author or moderator), thread=thread,
        effective_status=initiative.effective_status(now),
        sign_form=forms.get("sign_form") or SignForm(formdata=None), confirm_form=ConfirmForm(formdata=None),
        message_form=forms.get("message_form") or MessageForm(formdata=None),
        reject_form=forms.get("reject_form") or RejectForm(formdata=None),
        response_form=forms.get("response_form") or ResponseForm(formdata=None),
        sign_error=forms.get("sign_error"), editable=initiative.status in EDITABLE,
    )
    return render_template("initiatives/detail.html", **context), status


@bp.route("/<municipality>/initiatives/<int:initiative_id>")
@public
def detail(initiative_id: int):
    return render_detail(_visible_or_404(initiative_id))


@bp.route("/<municipality>/initiatives/<int:initiative_id>/versions")
@public
def versions(initiative_id: int):
    initiative = _visible_or_404(initiative_id)
    rows = db.session.execute(
        db.select(InitiativeVersion).where(InitiativeVersion.initiative_id == initiative.id)
        .order_by(InitiativeVersion.number.desc())).scalars().all()
    return render_template("initiatives/versions.html", initiative=initiative, versions=rows)


# --- signing -----------------------------------------------------------------------------

@bp.route("/<municipality>/initiatives/<int:initiative_id>/sign", methods=["POST"])
@login_required
def sign(initiative_id: int):
    # CSRFProtect has already checked the token for this POST (app-wide); checking it a
    # second time in the form would only cost the hot path a token generation.
    form = SignForm(meta={"csrf": False})
    if not form.validate_on_submit():
        abort(400)
    # The hot path: build the answer before the commit expires the loaded rows, so that
    # no query is spent reloading the user (language) or the municipality (URL) after it.
    target = url_for("initiatives.detail", initiative_id=initiative_id)
    thanks = _("Thank you: your signature is counted.")
    try:
        _count, crossed = signing.sign(g.municipality, initiative_id, current_user, form.show_name.data)
    except signing.NotFound:
        abort(404, description=_("There is no initiative at this address."))
    except signing.SigningRefused as refused:
        return render_detail(refused.initiative, refused.refusal.status, sign_error=refused.refusal)
    if crossed:
        notify.threshold_reached(services.get_initiative(g.municipality, initiative_id))
    flash(thanks, "success")
    return redirect(target, code=303)


@bp.route("/<municipality>/initiatives/<int:initiative_id>/unsign", methods=["POST"])
@login_required
def unsign(initiative_id: int):
    initiative = services.get_initiative(g.municipality, initiative_id)
    if initiative is None or not initiative.is_public:
        abort(404, description=_("There is no initiative at this address."))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        signing.withdraw_signature(initiative, current_user)
    except signing.SigningRefused as refused:
        return render_detail(initiative, refused.refusal.status, sign_error=refused.refusal)
    flash(_("Your signature is withdrawn."), "success")
    return redirect(url_for("initiatives.detail", initiative_id=initiative_id), code=303)


# --- the author's pages ------------------------------------------------------------------

@bp.route("/<municipality>/initiatives/new", methods=["GET", "POST"])
@login_required
def new():
    if not current_user.is_resident_of(g.municipality):
        return render_template("initiatives/not_resident.html"), 403
    form = InitiativeForm()
    form.category_id.choices = _category_choices()
    if request.method == "GET":
        form.language.data = str(current_user.locale or "lt")
    if form.validate_on_submit():
        initiative = services.create_draft(g.municipality, current_user, _form_data(form))
        flash(_("Draft saved. Only you can see it until you submit it to the moderators."), "success")
        return redirect(url_for("initiatives.detail", initiative_id=initiative.id), code=303)
    return render_template("initiatives/form.html", form=form, initiative=None), 400 if form.errors else 200


@bp.route("/<municipality>/initiatives/mine")
@login_required
def mine():
    return render_template("initiatives/mine.html", initiatives=queries.mine(g.municipality, current_user))


def _own_or_404(initiative_id: int) -> Initiative:
    initiative = services.get_initiative(g.municipality, initiative_id)
    if initiative is None:
        abort(404, description=_("There is no initiative at this address."))
    if initiative.author_id != current_user.id:
        if initiative.is_public or _is_moderator():
            abort(403, description=_("Only the author can do this."))
        abort(404, description=_("There is no initiative at this address."))
    return initiative


@bp.route("/<municipality>/initiatives/<int:initiative_id>/edit", methods=["GET", "POST"])
@login_required
def edit(initiative_id: int):
    initiative = _own_or_404(initiative_id)
    if initiative.status not in EDITABLE:
        abort(409, description=_("This initiative can no longer be edited."))
    form = InitiativeForm(obj=initiative)
    form.category_id.choices = _category_choices()
    if request.method == "GET":
        form.category_id.data = initiative.category_id or 0
    if form.validate_on_submit():
        changed = services.update_draft(g.municipality, current_user, initiative, _form_data(form))
        flash(_("Saved as version %(n)d.", n=initiative.version) if changed else _("Nothing changed."), "success")
        return redirect(url_for("initiatives.detail", initiative_id=initiative.id), code=303)
    return render_template("initiatives/form.html", form=form, initiative=initiative), 400 if form.errors else 200


def _author_action(initiative_id: int, action, message: str):
    initiative = _own_or_404(initiative_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(g.municipality, current_user, initiative)
    except services.InitiativeError as error:
        abort(error.status, description=error.message)
    flash(message, "success")
    return redirect(url_for("initiatives.detail", initiative_id=initiative.id), code=303)


@bp.route("/<municipality>/initiatives/<int:initiative_id>/submit", methods=["POST"])
@login_required
def submit(initiative_id: int):
    return _author_action(initiative_id, services.submit,
                          _("Submitted. A moderator will review your initiative; we will e-mail you."))


@bp.route("/<municipality>/initiatives/<int:initiative_id>/withdraw", methods=["POST"])
@login_required
def withdraw(initiative_id: int):
    return _author_action(initiative_id, services.withdraw, _("Your initiative is withdrawn."))

from app.initiatives import report  # noqa: E402

report.register()
