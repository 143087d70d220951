"""Registering organisations, moderating them, and managing their members."""
from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core import mail
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _, _l
from app.organisations.errors import Refused
from app.organisations.models import (
    APPROVED, MEMBER, ORGANISER, PENDING, REJECTED, Organisation, OrganisationInvitation, OrganisationMember,
)

INVITATION_MAX_AGE = 14 * 24 * 3600


def get_organisation(municipality, organisation_id: int) -> Organisation:
    """The organisation with this id in this municipality, or 404."""
    organisation = db.session.execute(
        select(Organisation).where(Organisation.id == organisation_id,
                                   Organisation.municipality_id == municipality.id)
    ).scalar_one_or_none()
    if organisation is None:
        raise Refused(_("There is no such organisation in this municipality."), 404)
    return organisation


def approved_organisations(municipality) -> list[Organisation]:
    return list(db.session.execute(
        select(Organisation).where(Organisation.municipality_id == municipality.id,
                                   Organisation.status == APPROVED).order_by(Organisation.name)
    ).scalars())


def memberships_of(user, municipality, approved_only: bool = True) -> list[OrganisationMember]:
    """The user's memberships in organisations of this municipality."""
    if user is None or not user.is_authenticated:
        return []
    query = (select(OrganisationMember).join(Organisation)
             .where(OrganisationMember.user_id == user.id, Organisation.municipality_id == municipality.id)
             .order_by(Organisation.name))
    if approved_only:
        query = query.where(Organisation.status == APPROVED)
    return list(db.session.execute(query).scalars())


def require_member(user, organisation: Organisation, role: str | None = None) -> OrganisationMember:
    """The user's membership of an approved organisation, or a clear 403.

    ``role=ORGANISER`` additionally requires the organiser role (managing members).
    """
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    membership = next((m for m in organisation.members if signed_in and m.user_id == user.id), None)
    if membership is None:
        raise Refused(_("Only members of %(name)s may do this.", name=organisation.name), 403)
    if not organisation.approved:
        raise Refused(_("%(name)s has not been approved by the municipality yet.", name=organisation.name), 403)
    if role == ORGANISER and membership.role != ORGANISER:
        raise Refused(_("Only organisers of %(name)s may do this.", name=organisation.name), 403)
    return membership


def register_organisation(municipality, user: User, data: dict) -> Organisation:
    """A resident registers an organisation; it waits for a moderator's approval.

    The person who registers it becomes its first organiser.
    """
    if not user.confirmed:
        raise Refused(_("Confirm your e-mail address before registering an organisation."), 403)
    organisation = Organisation(
        municipality_id=municipality.id, name=data["name"].strip(), kind=data["kind"],
        description=(data.get("description") or "").strip(), website=(data.get("website") or "").strip() or None,
        contact_email=data["contact_email"].strip().lower(), status=PENDING, created_by_id=user.id)
    db.session.add(organisation)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Refused(_("An organisation with this name is already registered in this municipality."), 409) from None
    db.session.add(OrganisationMember(organisation_id=organisation.id, user_id=user.id, role=ORGANISER))
    record("organisation.registered", actor=user, municipality=municipality, obj=organisation)
    db.session.commit()
    return organisation


def decide(municipality, organisation: Organisation, moderator: User, approve: bool,
           reason: str | None = None) -> Organisation:
    """A moderator approves or rejects a pending organisation (public in the audit log)."""
    # Two moderators deciding at once: the second sees the first decision.
    db.session.execute(select(Organisation).where(Organisation.id == organisation.id).with_for_update()
                       .execution_options(populate_existing=True))
    if organisation.status != PENDING:
        raise Refused(_("This organisation has already been decided on."), 409)
    organisation.status = APPROVED if approve else REJECTED
    organisation.decided_by_id = moderator.id
    organisation.decided_at = utcnow()
    organisation.decision_reason = (reason or "").strip() or None
    record("organisation.approved" if approve else "organisation.rejected", actor=moderator,
           municipality=municipality, obj=organisation, reason=organisation.decision_reason, public=True)
    db.session.commit()
    creator = organisation.created_by
    if creator is not None:
        subject = (lambda: str(_l("Your organisation was approved"))) if approve else \
            (lambda: str(_l("Your organisation was not approved")))
        mail.send_template(creator.email, creator.locale or "lt", subject,
                           "organisations/mail/decision.txt", user=creator, organisation=organisation,
                           approved=approve,
                           link=url_for("organisations.detail", organisation_id=organisation.id, _external=True))
    return organisation


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="organisation-invitation")


def invite(municipality, organisation: Organisation, inviter: User, email: str, role: str) -> OrganisationInvitation:
    """An organiser invites someone by e-mail; the signed link is valid for 14 days."""
    require_member(inviter, organisation, ORGANISER)
    email = email.strip().lower()
    if role not in (ORGANISER, MEMBER):
        raise Refused(_("Choose a role."), 400)
    already = any(m.user.email.lower() == email for m in organisation.members)
    if already:
        raise Refused(_("%(email)s is already a member.", email=email), 409)
    invitation = OrganisationInvitation(organisation_id=organisation.id, email=email, role=role,
                                        invited_by_id=inviter.id)
    db.session.add(invitation)
    db.session.flush()
    record("organisation.invited", actor=inviter, municipality=municipality, obj=organisation, email=email,
           role=role)
    db.session.commit()
    token = _serializer().dumps({"i": invitation.id, "e": email})
    link = url_for("organisations.invitation", token=token, _external=True)
    existing = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
    locale = (existing.locale if existing else None) or municipality.default_locale or "lt"
    mail.send_template(email, locale, lambda: str(_l("Invitation to join %(name)s on Talka", name=organisation.name)),
                       "organisations/mail/invitation.txt", organisation=organisation, inviter=inviter,
                       role=role, link=link)
    return invitation


def load_invitation(municipality, token: str) -> OrganisationInvitation:
    """The invitation a signed link names, or a clear error (expired, broken, used)."""
    try:
        data = _serializer().loads(token, max_age=INVITATION_MAX_AGE)
    except SignatureExpired:
        raise Refused(_("This invitation has expired. Ask the organiser for a new one."), 400) from None
    except BadSignature:
        raise Refused(_("This invitation link is not valid."), 400) from None
    invitation = db.session.get(OrganisationInvitation, data.get("i"))
    if (invitation is None or invitation.email != data.get("e")
            or invitation.organisation.municipality_id != municipality.id):
        raise Refused(_("This invitation link is not valid."), 400)
    return invitation


def accept_invitation(municipality, invitation: OrganisationInvitation, user: User) -> OrganisationMember:
    """The signed-in user joins the organisation with the invited role (once)."""
    if invitation.accepted_at is not None:
        raise Refused(_("This invitation has already been used."), 409)
    if user.email.lower() != invitation.email:
        raise Refused(_("This invitation was sent to %(email)s. Sign in with that address to accept it.",
                        email=invitation.email), 403)
    organisation = invitation.organisation
    membership = OrganisationMember(organisation_id=organisation.id, user_id=user.id, role=invitation.role)
    db.session.add(membership)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Refused(_("You are already a member of %(name)s.", name=organisation.name), 409) from None
    record("organisation.joined", actor=user, municipality=municipality, obj=organisation, role=invitation.role)
    db.session.commit()
    return membership


def remove_member(municipality, organisation: Organisation, actor: User, membership_id: int) -> None:
    """An organiser removes a member; the last organiser cannot be removed."""
    require_member(actor, organisation, ORGANISER)
    membership = next((m for m in organisation.members if m.id == membership_id), None)
    if membership is None:
        raise Refused(_("This person is not a member."), 404)
    organisers = [m for m in organisation.members if m.role == ORGANISER]
    if membership.role == ORGANISER and len(organisers) == 1:
        raise Refused(_("An organisation needs at least one organiser."), 409)
    record("organisation.member_removed", actor=actor, municipality=municipality, obj=organisation,
           member=membership.user.name)
    organisation.members.remove(membership)
    db.session.commit()


def update_details(municipality, organisation: Organisation, user: User, data: dict) -> None:
    """An organiser changes the description, website or contact address."""
    require_member(user, organisation, ORGANISER)
    organisation.description = (data.get("description") or "").strip()
    organisation.website = (data.get("website") or "").strip() or None
    organisation.contact_email = data["contact_email"].strip().lower()
    record("organisation.updated", actor=user, municipality=municipality, obj=organisation)
    db.session.commit()


def pending(municipality) -> list[Organisation]:
    return list(db.session.execute(
        select(Organisation).where(Organisation.municipality_id == municipality.id, Organisation.status == PENDING)
        .order_by(Organisation.created_at)
    ).scalars())
