"""Counts, percentages and ranking tallies of a questionnaire; CSV and JSON exports."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from flask_babel import get_locale
from sqlalchemy import distinct, func, or_, select

from app.consultations.models import (
    MULTIPLE, RANKING, RATING, SINGLE, TEXT_KINDS, Answer, Question, Questionnaire, Response,
)
from app.consultations.ranking import RANKING_RULES, tally_ranking
from app.extensions import db
from app.i18n import localized


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


def compute(q: Questionnaire, *, ranking_rule: str | None = None, include_text: bool = False) -> dict[str, Any]:
    """Everything the results page, the CSV and the JSON show, in a few grouped queries."""
    rule = ranking_rule if ranking_rule in RANKING_RULES else q.ranking_rule
    base = select(Answer).join(Question, Question.id == Answer.question_id).where(
        Question.questionnaire_id == q.id).subquery()
    answered = dict(db.session.execute(
        select(base.c.question_id, func.count(distinct(base.c.response_id))).group_by(base.c.question_id)).all())
    option_counts: dict[tuple[int, int], int] = {
        (qid, oid): n for qid, oid, n in db.session.execute(
            select(base.c.question_id, base.c.option_id, func.count())
            .where(base.c.option_id.is_not(None), or_(base.c.rank.is_(None), base.c.rank == 1))
            .group_by(base.c.question_id, base.c.option_id)).all()}
    rating_counts: dict[tuple[int, int], int] = {
        (qid, value): n for qid, value, n in db.session.execute(
            select(base.c.question_id, base.c.value, func.count())
            .where(base.c.value.is_not(None)).group_by(base.c.question_id, base.c.value)).all()}
    total = db.session.execute(select(func.count(Response.id)).where(Response.questionnaire_id == q.id)).scalar_one()
    ranking_ids = [x.id for x in q.questions if x.kind == RANKING]
    ballots: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    if ranking_ids:
        for response_id, qid, oid, rank in db.session.execute(
                select(Answer.response_id, Answer.question_id, Answer.option_id, Answer.rank)
                .where(Answer.question_id.in_(ranking_ids)).order_by(Answer.response_id, Answer.rank)):
            ballots[qid][response_id].append((rank, oid))
    texts: dict[int, list[str]] = defaultdict(list)
    if include_text:
        text_ids = [x.id for x in q.questions if x.kind in TEXT_KINDS]
        if text_ids:
            for qid, text in db.session.execute(
                    select(Answer.question_id, Answer.text).where(Answer.question_id.in_(text_ids))
                    .order_by(Answer.response_id)):
                texts[qid].append(text)

    questions = []
    for question in q.questions:
        n = answered.get(question.id, 0)
        item: dict[str, Any] = {"id": question.id, "position": question.position, "kind": question.kind,
                                "text": localized(question, "text"), "required": question.required,
                                "answered": n, "skipped": total - n}
        if question.kind in (SINGLE, MULTIPLE, RANKING):
            item["options"] = [
                {"id": o.id, "label": localized(o, "label"), "count": option_counts.get((question.id, o.id), 0),
                 "share": _share(option_counts.get((question.id, o.id), 0), n)}
                for o in question.options]
        if question.kind == RATING:
            labels = {o.position: localized(o, "label") for o in question.options}
            counts = [rating_counts.get((question.id, v), 0) for v in range(1, 6)]
            item["options"] = [{"id": v, "label": f"{v}" + (f" — {labels[v]}" if v in labels else ""),
                                "count": counts[v - 1], "share": _share(counts[v - 1], n)} for v in range(1, 6)]
            votes = sum(counts)
            item["average"] = (sum(v * c for v, c in zip(range(1, 6), counts)) / votes) if votes else None
        if question.kind == RANKING:
            item["rule"] = rule
            ordered = [[oid for _rank, oid in sorted(pairs)] for pairs in ballots[question.id].values()]
            item["tally"] = tally_ranking(question, ordered, rule)
        if question.kind in TEXT_KINDS:
            item["texts"] = texts.get(question.id, []) if include_text else None
        questions.append(item)
    return {"id": q.id, "title": localized(q, "title"), "responses": total, "state": q.state(),
            "ranking_rule": rule, "locale": str(get_locale()), "questions": questions}


def results_csv(data: dict[str, Any]) -> str:
    """Aggregate results, one row per option (or rating value)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "question_text", "kind", "answered", "option", "count", "percent"])
    for item in data["questions"]:
        for option in item.get("options") or []:
            writer.writerow([item["position"], item["text"], item["kind"], item["answered"], option["label"],
                             option["count"], f"{option['share'] * 100:.1f}"])
        if not item.get("options"):
            writer.writerow([item["position"], item["text"], item["kind"], item["answered"], "", "", ""])
    return out.getvalue()


def responses_csv(q: Questionnaire) -> str:
    """Every response, one row each, without names or e-mail addresses (organisers only)."""
    out = io.StringIO()
    writer = csv.writer(out)
    questions = list(q.questions)
    labels = {o.id: o.label_lt for question in questions for o in question.options}
    writer.writerow(["response", "submitted_at", "updated_at"] +
                    [f"Q{x.position}: {x.text_lt}" for x in questions])
    # Plain rows (not ORM objects): an export of thousands of responses stays fast.
    responses = db.session.execute(select(Response.id, Response.created_at, Response.updated_at)
                                   .where(Response.questionnaire_id == q.id).order_by(Response.id)).all()
    by_response: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in db.session.execute(
            select(Answer.response_id, Answer.question_id, Answer.option_id, Answer.rank, Answer.value, Answer.text)
            .join(Response, Response.id == Answer.response_id).where(Response.questionnaire_id == q.id)
            .order_by(Answer.response_id, Answer.rank, Answer.id)):
        by_response[row.response_id][row.question_id].append(row)
    for number, (response_id, created_at, updated_at) in enumerate(responses, start=1):
        row = [number, created_at.isoformat(timespec="seconds"), updated_at.isoformat(timespec="seconds")]
        for x in questions:
            answers = by_response[response_id].get(x.id, [])
            if x.kind == RANKING:
                row.append("; ".join(f"{a.rank}. {labels.get(a.option_id, '')}" for a in answers))
            elif x.kind in (SINGLE, MULTIPLE):
                row.append("; ".join(labels.get(a.option_id, "") for a in answers))
            elif x.kind == RATING:
                row.append(answers[0].value if answers else "")
            else:
                row.append(answers[0].text if answers else "")
        writer.writerow(row)
    return out.getvalue()

