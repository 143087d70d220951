"""Participatory budgeting figures for the pilot comparison (one SQL aggregate each)."""
from __future__ import annotations

from sqlalchemy import Float, case, cast, func, select

from app.budgeting.models import FEASIBLE, PBBallot, PBIdea, PBVoter
from app.core.metrics import Metric, grouped_counts, grouped_monthly, month_bucket, register_metric
from app.i18n import _l
from app.municipalities.models import Municipality


def _ideas(ids, start, end):
    return grouped_counts(
        select(PBIdea.municipality_id, func.count(PBIdea.id))
        .where(PBIdea.municipality_id.in_(ids), PBIdea.created_at >= start, PBIdea.created_at < end)
        .group_by(PBIdea.municipality_id))


def _ideas_monthly(ids, start, end):
    month = month_bucket(PBIdea.created_at)
    return grouped_monthly(
        select(PBIdea.municipality_id, month, func.count(PBIdea.id))
        .where(PBIdea.municipality_id.in_(ids), PBIdea.created_at >= start, PBIdea.created_at < end)
        .group_by(PBIdea.municipality_id, month))


def _feasible(ids, start, end):
    return grouped_counts(
        select(PBIdea.municipality_id, func.count(PBIdea.id))
        .where(PBIdea.municipality_id.in_(ids), PBIdea.status == FEASIBLE,
               PBIdea.reviewed_at >= start, PBIdea.reviewed_at < end)
        .group_by(PBIdea.municipality_id))


def _voters(ids, start, end):
    return grouped_counts(
        select(PBVoter.municipality_id, func.count(func.distinct(PBVoter.user_id)))
        .where(PBVoter.municipality_id.in_(ids), PBVoter.first_voted_at >= start, PBVoter.first_voted_at < end)
        .group_by(PBVoter.municipality_id))


def _voters_monthly(ids, start, end):
    month = month_bucket(PBVoter.first_voted_at)
    return grouped_monthly(
        select(PBVoter.municipality_id, month, func.count(func.distinct(PBVoter.user_id)))
        .where(PBVoter.municipality_id.in_(ids), PBVoter.first_voted_at >= start, PBVoter.first_voted_at < end)
        .group_by(PBVoter.municipality_id, month))


def _turnout(ids, start, end):
    # Distinct online voters plus paper ballots, as a percentage (0–100) of the population.
    online = (select(PBVoter.municipality_id.label("mid"), PBVoter.user_id.label("who"))
              .where(PBVoter.municipality_id.in_(ids), PBVoter.first_voted_at >= start,
                     PBVoter.first_voted_at < end).distinct())
    paper = (select(PBBallot.municipality_id.label("mid"), (-PBBallot.id).label("who"))
             .where(PBBallot.municipality_id.in_(ids), PBBallot.is_paper.is_(True),
                    PBBallot.cast_at >= start, PBBallot.cast_at < end))
    people = online.union_all(paper).subquery()
    return grouped_counts(
        select(Municipality.id,
               100.0 * cast(func.count(people.c.who), Float) / func.nullif(Municipality.population, 0))
        .join(people, people.c.mid == Municipality.id)
        .group_by(Municipality.id, Municipality.population))


def _paper_share(ids, start, end):
    return grouped_counts(
        select(PBBallot.municipality_id,
               100.0 * cast(func.sum(case((PBBallot.is_paper.is_(True), 1), else_=0)), Float) / func.count(PBBallot.id))
        .where(PBBallot.municipality_id.in_(ids), PBBallot.cast_at >= start, PBBallot.cast_at < end)
        .group_by(PBBallot.municipality_id))


def register() -> None:
    group = _l("Participatory budgeting")
    register_metric(Metric(
        key="budgeting.ideas", group=group, order=30, per_capita=True, label=_l("PB project ideas submitted"),
        compute=_ideas, monthly=_ideas_monthly,
        definition=_l("Project ideas submitted by residents, counted by the date of submission.")))
    register_metric(Metric(
        key="budgeting.feasible", group=group, order=31, per_capita=True, label=_l("Feasible PB projects"),
        compute=_feasible,
        definition=_l("Ideas found feasible in the review (and so put on the ballot), counted by the date "
                      "of the review decision.")))
    register_metric(Metric(
        key="budgeting.voters", group=group, order=32, per_capita=True, label=_l("PB voters (online)"),
        compute=_voters, monthly=_voters_monthly,
        definition=_l("Different residents who cast an online ballot, counted by the date of their first "
                      "ballot; a person voting in several pots counts once.")))
    register_metric(Metric(
        key="budgeting.turnout", group=group, order=33, kind="percent", label=_l("PB turnout"),
        compute=_turnout,
        definition=_l("Online voters (by date of first ballot) plus paper ballots (by date entered), as a "
                      "share of the municipality's population.")))
    register_metric(Metric(
        key="budgeting.paper_share", group=group, order=34, kind="percent", better=None,
        label=_l("Share of paper ballots"), compute=_paper_share,
        definition=_l("Paper ballots entered by moderators as a share of all ballots counted in the period "
                      "(by the hour the ballot was cast or entered).")))
