"""E-mails about initiatives, each in the recipient's language."""
from __future__ import annotations

from flask import current_app, url_for
from sqlalchemy import or_, select

from app.accounts.models import Membership, User
from app.core import mail
from app.core.security import ADMIN, MODERATOR
from app.extensions import db
from app.i18n import _l
from app.initiatives.labels import DECISION_LABELS
from app.initiatives.models import Initiative, Signature


def _link(initiative: Initiative) -> str:
    return url_for("initiatives.detail", municipality=initiative.municipality.slug,
                   initiative_id=initiative.id, _external=True)


def _send(user: User, subject, template: str, initiative: Initiative, **ctx) -> None:
    mail.send_template(user.email, user.locale or initiative.municipality.default_locale or "lt",
                       subject, template, user=user, initiative=initiative, link=_link(initiative), **ctx)


def author_approved(initiative: Initiative) -> None:
    _send(initiative.author, lambda: str(_l("Your initiative is published")),
          "initiatives/mail/approved.txt", initiative)


def author_changes_requested(initiative: Initiative) -> None:
    _send(initiative.author, lambda: str(_l("A moderator asks you to change your initiative")),
          "initiatives/mail/changes_requested.txt", initiative)


def author_rejected(initiative: Initiative) -> None:
    _send(initiative.author, lambda: str(_l("Your initiative was rejected")),
          "initiatives/mail/rejected.txt", initiative)


def threshold_reached(initiative: Initiative) -> int:
    """Tell the municipality's moderators that an answer is now due."""
    staff = db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.municipality_id == initiative.municipality_id,
               Membership.role.in_((MODERATOR, ADMIN)), User.active.is_(True))
        .distinct()
    ).scalars().all()
    for user in staff:
        _send(user, lambda: str(_l("An initiative reached its signature threshold")),
              "initiatives/mail/threshold.txt", initiative)
    return len(staff)


def response_published(initiative: Initiative) -> int:
    """The official response goes to the author and every signer, once each."""
    people = db.session.execute(
        select(User).where(User.active.is_(True), or_(
            User.id == initiative.author_id,
            User.id.in_(select(Signature.user_id).where(Signature.initiative_id == initiative.id))))
    ).scalars().all()
    for user in people:
        _send(user, lambda: str(_l("The municipality answered an initiative you signed")),
              "initiatives/mail/response.txt", initiative, decision_labels=DECISION_LABELS)
    current_app.logger.info("Official response to initiative %s sent to %d people", initiative.id, len(people))
    return len(people)
