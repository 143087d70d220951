"""Casting, replacing and entering ballots, with ballot secrecy.

Who voted goes to ``pb_voters``; what was chosen goes to ``pb_ballots`` and
``pb_ballot_choices``, which never name the user. A voter finds (and replaces) their
own ballot through ``voter_key`` = HMAC-SHA256(key derived from SECRET_KEY,
"pot:user"); without the secret the key cannot be linked to anyone. After SECRET_KEY is
changed an earlier ballot can no longer be found: its voter is then refused (``pb_voters``
says they voted) rather than given a second ballot.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.budgeting.ideas import ballot_projects
from app.budgeting.models import (
    APPROVAL, COUNTING, CUMULATIVE, K_APPROVAL, KNAPSACK, VOTING, PBBallot, PBChoice, PBIdea, PBPot,
    PBProcess, PBVoter, new_ballot_id,
)
from app.budgeting.services import PBError, is_eligible, process_municipality
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _, ngettext
from app.municipalities.models import Municipality

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _voter_hmac_key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    return hmac.new(secret.encode() if isinstance(secret, str) else secret, b"talka:pb:voter-key",
                    hashlib.sha256).digest()


def voter_key(pot_id: int, user_id: int) -> str:
    """The keyed hash that stands for a voter in one pot."""
    return hmac.new(_voter_hmac_key(), f"{pot_id}:{user_id}".encode(), hashlib.sha256).hexdigest()


def new_receipt_code() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


class Receipt(str):
    """The receipt code, which also says whether an earlier ballot was replaced."""

    replaced: bool

    def __new__(cls, code: str, replaced: bool = False) -> "Receipt":
        obj = super().__new__(cls, code)
        obj.replaced = replaced
        return obj


def _hour(moment: datetime) -> datetime:
    # Only the hour is kept on a ballot, so its time cannot be matched with pb_voters.
    return moment.replace(minute=0, second=0, microsecond=0)


def _insert(model):
    """An INSERT that can say ON CONFLICT DO NOTHING on PostgreSQL and SQLite."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


# --- reading a ballot from a form --------------------------------------------------

def choices_from_form(process: PBProcess, formdata: Mapping) -> dict[int, int]:
    """Read the ballot form (works without JavaScript) into {project id: value}."""
    choices: dict[int, int] = {}
    if process.ballot_type in (APPROVAL, K_APPROVAL, KNAPSACK):
        values = formdata.getlist("project") if hasattr(formdata, "getlist") else formdata.get("project", [])
        for value in values:
            try:
                choices[int(value)] = 1
            except (TypeError, ValueError):
                raise PBError(_("The ballot names a project that is not on this ballot.")) from None
        return choices
    prefix = "points-" if process.ballot_type == CUMULATIVE else "rank-"
    for name in formdata:
        if not name.startswith(prefix):
            continue
        raw = (formdata.get(name) or "").strip()
        if raw in ("", "0"):
            continue
        try:
            project_id, value = int(name[len(prefix):]), int(raw)
        except ValueError:
            if process.ballot_type == CUMULATIVE:
                raise PBError(_("Points must be whole numbers.")) from None
            raise PBError(_("Choose a place from the list for each project you rank.")) from None
        if value < 0:
            raise PBError(_("Points cannot be negative."))
        choices[project_id] = value
    return choices


def validate_choices(process: PBProcess, pot: PBPot, choices: dict[int, int]) -> dict[int, int]:
    """Refuse a ballot the ballot type does not allow; return it normalised."""
    projects = {p.id: p for p in ballot_projects(pot)}
    for project_id in choices:
        if project_id not in projects:
            raise PBError(_("The ballot names a project that is not on this pot's ballot "
                            "(another pot's, or not feasible)."))
    if not choices:
        raise PBError(_("Choose at least one project."))
    kind, n = process.ballot_type, len(choices)
    if kind == K_APPROVAL and n > (process.max_choices or 0):
        raise PBError(ngettext("You may choose at most %(num)d project; you chose %(n)d.",
                               "You may choose at most %(num)d projects; you chose %(n)d.",
                               process.max_choices or 0, n=n))
    if kind == KNAPSACK:
        total = sum(projects[p].final_cost for p in choices)
        if total > pot.budget:
            from app.core.formatting import _money

            raise PBError(_("Your choices cost %(total)s, more than the pot of %(budget)s. Remove a project "
                            "and send the ballot again.", total=_money(total), budget=_money(pot.budget)))
    if kind in (APPROVAL, K_APPROVAL, KNAPSACK):
        return {p: 1 for p in choices}
    if kind == CUMULATIVE:
        total = sum(choices.values())
        if total > (process.points or 0):
            raise PBError(ngettext("You gave %(n)d points, but you have only %(num)d point to spread.",
                                   "You gave %(n)d points, but you have only %(num)d points to spread.",
                                   process.points or 0, n=total))
        return dict(choices)
    # ranked: distinct places, at most k projects; places are closed up (1, 3 -> 1, 2)
    if n > (process.max_choices or 0):
        raise PBError(ngettext("You may rank at most %(num)d project; you ranked %(n)d.",
                               "You may rank at most %(num)d projects; you ranked %(n)d.",
                               process.max_choices or 0, n=n))
    if len(set(choices.values())) != n:
        raise PBError(_("Two projects have the same place; give each project its own place."))
    ordered = sorted(choices, key=lambda p: choices[p])
    return {p: place for place, p in enumerate(ordered, start=1)}


# --- casting ------------------------------------------------------------------------

def _check_open(process: PBProcess) -> None:
    if process.phase() != VOTING:
        raise PBError(_("Voting is not open in this process."), status=409)


def _write_choices(ballot_id: int, choices: dict[int, int]) -> None:
    db.session.execute(delete(PBChoice).where(PBChoice.ballot_id == ballot_id))
    if choices:
        db.session.execute(db.insert(PBChoice), [
            {"ballot_id": ballot_id, "project_id": p, "value": v} for p, v in choices.items()])


def cast_ballot(process: PBProcess, pot: PBPot, user: User, municipality: Municipality,
                choices: dict[int, int]) -> Receipt:
    """Cast (or replace) the user's ballot in a pot; returns the receipt code (``.replaced`` is True
    when an earlier ballot of this voter was replaced).

    One ballot per voter per pot is guaranteed by UNIQUE(pot_id, voter_key) and
    UNIQUE(pot_id, user_id): the rows are upserted and the ballot row is locked, so
    parallel submissions by one person end as one ballot (the last one wins).
    """
    _check_open(process)
    if municipality.id != process.municipality_id or not user.is_resident_of(municipality):
        raise PBError(_("Only confirmed residents of this municipality can vote here."), status=403)
    if not is_eligible(process, municipality, user):
        raise PBError(ngettext("Only residents aged %(num)d year or more can vote in this process.",
                               "Only residents aged %(num)d years or more can vote in this process.",
                               process.min_age or 0), status=403)
    choices = validate_choices(process, pot, choices)
    now = utcnow()
    key = voter_key(pot.id, user.id)
    first_time = db.session.execute(_insert(PBVoter).values(
        municipality_id=process.municipality_id, pot_id=pot.id, user_id=user.id, first_voted_at=now,
        last_voted_at=now).on_conflict_do_nothing(index_elements=["pot_id", "user_id"])
        .returning(PBVoter.id)).scalar_one_or_none() is not None
    db.session.execute(update(PBVoter).where(PBVoter.pot_id == pot.id, PBVoter.user_id == user.id)
                       .values(last_voted_at=now))
    receipt = new_receipt_code()
    # RETURNING gives a row only when the ballot is new (rowcount is not reliable here).
    inserted = db.session.execute(_insert(PBBallot).values(
        id=new_ballot_id(), municipality_id=process.municipality_id, pot_id=pot.id, voter_key=key,
        receipt_code=receipt, is_paper=False, cast_at=_hour(now))
        .on_conflict_do_nothing(index_elements=["pot_id", "voter_key"])
        .returning(PBBallot.id)).scalar_one_or_none()
    if inserted is not None and not first_time:
        # They voted before, yet no ballot has their key: SECRET_KEY was changed since. Their
        # earlier ballot cannot be told from the others, so a new one would count them twice.
        db.session.rollback()
        raise PBError(key_changed_message(), status=409)
    ballot_id = db.session.execute(
        select(PBBallot.id).where(PBBallot.pot_id == pot.id, PBBallot.voter_key == key).with_for_update()
    ).scalar_one()
    db.session.execute(update(PBBallot).where(PBBallot.id == ballot_id)
                       .values(receipt_code=receipt, cast_at=_hour(now)))
    _write_choices(ballot_id, choices)
    db.session.commit()
    return Receipt(receipt, replaced=inserted is None)


def key_changed_message() -> str:
    return _("Your earlier ballot in this pot cannot be replaced because the site's keys "
             "were changed; it still counts. Ask the municipality if you need to change it.")


def has_voted(pot: PBPot, user: User) -> bool:
    """Whether ``pb_voters`` records the user in this pot (whatever their key finds)."""
    return user.is_authenticated and db.session.execute(
        select(PBVoter.id).where(PBVoter.pot_id == pot.id, PBVoter.user_id == user.id)).first() is not None


def own_ballot(pot: PBPot, user: User) -> PBBallot | None:
    """The user's current ballot in a pot (found through the keyed hash)."""
    if not user.is_authenticated:
        return None
    return db.session.execute(
        select(PBBallot).where(PBBallot.pot_id == pot.id, PBBallot.voter_key == voter_key(pot.id, user.id))
    ).scalar_one_or_none()


def enter_paper_ballot(process: PBProcess, pot: PBPot, moderator: User, municipality: Municipality,
                       choices: dict[int, int], serial: str | None) -> str:
    """A moderator enters a paper ballot collected in a library or office (audit-logged)."""
    if municipality.id != process.municipality_id or not moderator.has_role(municipality, "moderator"):
        raise PBError(_("Only moderators of this municipality can enter paper ballots."), status=403)
    if process.phase() not in (VOTING, COUNTING):
        raise PBError(_("Paper ballots can be entered only while voting is open or before the count."),
                      status=409)
    choices = validate_choices(process, pot, choices)
    serial = (serial or "").strip() or None
    if serial and db.session.execute(select(PBBallot.id).filter_by(pot_id=pot.id, paper_serial=serial)).first():
        raise PBError(_("A paper ballot with this serial number was already entered in this pot."),
                      status=409, field="serial")
    receipt = new_receipt_code()
    ballot = PBBallot(municipality_id=process.municipality_id, pot_id=pot.id, voter_key=None,
                      receipt_code=receipt, is_paper=True, paper_serial=serial, cast_at=_hour(utcnow()))
    db.session.add(ballot)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise PBError(_("A paper ballot with this serial number was already entered in this pot."),
                      status=409, field="serial") from None
    _write_choices(ballot.id, choices)
    # The pot is the audited object (ballot ids are 62-bit random numbers); the receipt names the ballot.
    record("pb.paper_ballot_entered", actor=moderator, municipality=process_municipality(process), obj=pot,
           label=f"{process.title_lt}: {pot.name_lt}", public=True, serial=serial, receipt=receipt)
    db.session.commit()
    return receipt


# --- turnout and the public list ----------------------------------------------------

def turnout(process: PBProcess) -> dict[int, dict[str, int]]:
    """Per pot: online voters and paper ballots (visible while voting runs)."""
    pot_ids = [p.id for p in process.pots]
    result = {pid: {"online": 0, "paper": 0} for pid in pot_ids}
    if not pot_ids:
        return result
    for pot_id, is_paper, n in db.session.execute(
            select(PBBallot.pot_id, PBBallot.is_paper, func.count(PBBallot.id))
            .where(PBBallot.pot_id.in_(pot_ids)).group_by(PBBallot.pot_id, PBBallot.is_paper)):
        result[pot_id]["paper" if is_paper else "online"] = n
    return result


def distinct_voters(process: PBProcess) -> int:
    pot_ids = [p.id for p in process.pots]
    if not pot_ids:
        return 0
    return db.session.execute(
        select(func.count(func.distinct(PBVoter.user_id))).where(PBVoter.pot_id.in_(pot_ids))).scalar_one()


def counted_ballots_query(pot: PBPot, receipt: str | None = None):
    query = select(PBBallot).where(PBBallot.pot_id == pot.id)
    if receipt:
        query = query.where(PBBallot.receipt_code == receipt.strip().upper())
    return query.order_by(PBBallot.receipt_code)


def project_titles(pot: PBPot) -> dict[int, PBIdea]:
    return {p.id: p for p in ballot_projects(pot)}
