from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.audit import register_action_labels
from app.core.errors import render_error
from app.core.forms import ConfirmForm
from app.core.registry import register_nav
from app.core.security import MODERATOR, login_required, public, role_required
from app.i18n import _, _l
from app.organisations import bp, services
from app.organisations.errors import Refused
from app.organisations.forms import KIND_LABELS, DecisionForm, InviteForm, OrganisationDetailsForm, OrganisationForm
from app.organisations.models import ORGANISER

register_action_labels({
    "organisation.registered": _l("registered an organisation"),
    "organisation.approved": _l("approved an organisation"),
    "organisation.rejected": _l("rejected an organisation"),
    "organisation.invited": _l("invited a member to an organisation"),
    "organisation.joined": _l("joined an organisation"),
    "organisation.member_removed": _l("removed a member of an organisation"),
    "organisation.updated": _l("changed the details of an organisation"),
})
register_nav("organisations.index", _l("Organisations"), order=62)
register_nav("organisations.moderation", _l("Organisations to approve"), order=92, role=MODERATOR)


@bp.app_errorhandler(Refused)
def refused(error: Refused):
    return render_error(error.status, error.message)


@bp.app_context_processor
def organisation_helpers():
    return {"organisation_kind_label": lambda kind: KIND_LABELS.get(kind, kind)}


@bp.route("/")
@public
def index():
    organisations = services.approved_organisations(g.municipality)
    mine = services.memberships_of(current_user, g.municipality, approved_only=False)
    is_moderator = current_user.is_authenticated and current_user.has_role(g.municipality, MODERATOR)
    pending_count = len(services.pending(g.municipality)) if is_moderator else 0
    return render_template("organisations/index.html", organisations=organisations, mine=mine,
                           pending_count=pending_count)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = OrganisationForm()
    if request.method == "GET":
        form.contact_email.data = current_user.email
    if form.validate_on_submit():
        try:
            organisation = services.register_organisation(g.municipality, current_user, form.data)
        except Refused as error:
            if error.status != 409:
                raise
            form.name.errors.append(error.message)
        else:
            flash(_("Thank you! A moderator of the municipality will review %(name)s.", name=organisation.name),
                  "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/form.html", form=form), 400 if form.errors else 200


@bp.route("/<int:organisation_id>")
@public
def detail(organisation_id: int):
    organisation = services.get_organisation(g.municipality, organisation_id)
    role = organisation.role_of(current_user)
    is_moderator = current_user.is_authenticated and current_user.has_role(g.municipality, MODERATOR)
    if not organisation.approved and role is None and not is_moderator:
        raise Refused(_("This organisation is waiting for approval."), 404)
    from app.consultations.services import organisation_activity

    activity = organisation_activity(g.municipality, organisation)
    return render_template("organisations/detail.html", organisation=organisation, role=role,
                           activity=activity, invite_form=InviteForm(), remove_form=ConfirmForm(),
                           is_organiser=role == ORGANISER)


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit(organisation_id: int):
    organisation = services.get_organisation(g.municipality, organisation_id)
    services.require_member(current_user, organisation, ORGANISER)
    form = OrganisationDetailsForm(obj=organisation)
    if form.validate_on_submit():
        services.update_details(g.municipality, organisation, current_user, form.data)
        flash(_("Saved."), "success")
        return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    return render_template("organisations/edit.html", organisation=organisation, form=form), \
        400 if form.errors else 200


@bp.route("/<int:organisation_id>/invite", methods=["POST"])
@login_required
def invite(organisation_id: int):
    organisation = services.get_organisation(g.municipality, organisation_id)
    services.require_member(current_user, organisation, ORGANISER)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite(g.municipality, organisation, current_user, form.email.data, form.role.data)
        except Refused as error:
            if error.status != 409:
                raise
            form.email.errors.append(error.message)
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("organisations.detail", organisation_id=organisation.id))
    from app.consultations.services import organisation_activity

    return render_template("organisations/detail.html", organisation=organisation, role=ORGANISER,
                           activity=organisation_activity(g.municipality, organisation), invite_form=form,
                           remove_form=ConfirmForm(), is_organiser=True), 400


@bp.route("/<int:organisation_id>/members/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove_member(organisation_id: int, membership_id: int):
    organisation = services.get_organisation(g.municipality, organisation_id)
    if not ConfirmForm().validate_on_submit():
        raise Refused(_("The form expired. Reload the page and try again."), 400)
    services.remove_member(g.municipality, organisation, current_user, membership_id)
    flash(_("Member removed."), "success")
    return redirect(url_for("organisations.detail", organisation_id=organisation.id))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@login_required
def invitation(token: str):
    # GET only shows a button: mail scanners that open links must not accept for the user.
    invitation_ = services.load_invitation(g.municipality, token)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.accept_invitation(g.municipality, invitation_, current_user)
        flash(_("Welcome to %(name)s!", name=invitation_.organisation.name), "success")
        return redirect(url_for("organisations.detail", organisation_id=invitation_.organisation_id))
    return render_template("organisations/invitation.html", invitation=invitation_, form=form)


@bp.route("/moderation")
@role_required(MODERATOR)
def moderation():
    return render_template("organisations/moderation.html", organisations=services.pending(g.municipality),
                           form=DecisionForm())


@bp.route("/moderation/<int:organisation_id>/<any(approve, reject):decision>", methods=["POST"])
@role_required(MODERATOR)
def decide(organisation_id: int, decision: str):
    organisation = services.get_organisation(g.municipality, organisation_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(url_for("organisations.moderation"))
    if decision == "reject" and not (form.reason.data or "").strip():
        flash(_("Give a reason when you reject an organisation."), "error")
        return redirect(url_for("organisations.moderation"))
    services.decide(g.municipality, organisation, current_user, decision == "approve", form.reason.data)
    if decision == "approve":
        flash(_("%(name)s is approved.", name=organisation.name), "success")
    else:
        flash(_("%(name)s is rejected.", name=organisation.name), "success")
    return redirect(url_for("organisations.moderation"))
