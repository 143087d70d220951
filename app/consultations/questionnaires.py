"""Building questionnaires and answering them (once per person, editable until closing)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from app.consultations.models import (
    CHOICE_KINDS, LONG_TEXT, MULTIPLE, RANKING, RATING, RESIDENTS, SHORT_TEXT, SINGLE,
    Answer, Question, QuestionOption, Questionnaire, Response,
)
from app.consultations.services import require_runner
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db
from app.i18n import _, ngettext
from app.organisations.errors import Refused

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
DETAIL_FIELDS = ("title_lt", "title_en", "description_lt", "description_en", "opens_at", "closes_at",
                 "audience", "live_results", "publish_free_text", "ranking_rule")


def split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def date_problems(opens_at, closes_at) -> dict[str, str]:
    if opens_at and closes_at and closes_at <= opens_at:
        return {"closes_at": _("The closing date must be after the opening date.")}
    return {}


def question_problems(data: dict) -> dict[str, str]:
    """Field -> translated error for a question's data (used by the form and the service)."""
    problems: dict[str, str] = {}
    kind = data.get("kind")
    options_lt, options_en = split_lines(data.get("options_lt")), split_lines(data.get("options_en"))
    if kind in CHOICE_KINDS:
        if len(options_lt) < 2:
            problems["options_lt"] = _("A choice question needs at least two options, one per line.")
        elif len(set(options_lt)) != len(options_lt):
            problems["options_lt"] = _("Two options have the same wording.")
        if options_en and len(options_en) != len(options_lt):
            problems["options_en"] = _("Give the English options in the same order and number as the Lithuanian ones, or none.")
        if any(len(o) > 300 for o in options_lt + options_en):
            problems["options_lt"] = _("An option is longer than 300 characters.")
    elif kind == RATING:
        if options_lt and len(options_lt) != 5:
            problems["options_lt"] = _("Give exactly five labels (for 1 to 5), one per line, or none.")
        if options_en and len(options_en) != len(options_lt):
            problems["options_en"] = _("Give the English labels in the same number as the Lithuanian ones, or none.")
    max_choices = data.get("max_choices")
    if kind == MULTIPLE and max_choices is not None and "options_lt" not in problems:
        if max_choices < 1 or max_choices > len(options_lt):
            problems["max_choices"] = _("The maximum must be between 1 and the number of options (%(n)d).",
                                        n=len(options_lt))
    return problems


def _require_draft(q: Questionnaire) -> None:
    if q.published_at is not None:
        raise Refused(_("Questions cannot be changed after the questionnaire is published."), 409)


def create_questionnaire(municipality, organisation, user, data: dict) -> Questionnaire:
    """A member of an approved organisation starts a draft questionnaire."""
    require_runner(user, organisation)
    problems = date_problems(data.get("opens_at"), data.get("closes_at"))
    if problems:
        raise Refused(next(iter(problems.values())), 400)
    q = Questionnaire(municipality_id=municipality.id, organisation_id=organisation.id, created_by_id=user.id,
                      **{k: data[k] for k in DETAIL_FIELDS if k in data})
    db.session.add(q)
    db.session.flush()
    record("questionnaire.created", actor=user, municipality=municipality, obj=q)
    db.session.commit()
    return q


def update_questionnaire(municipality, q: Questionnaire, user, data: dict) -> None:
    require_runner(user, q.organisation)
    problems = date_problems(data.get("opens_at"), data.get("closes_at"))
    if problems:
        raise Refused(next(iter(problems.values())), 400)
    for key in DETAIL_FIELDS:
        if key in data:
            setattr(q, key, data[key])
    record("questionnaire.updated", actor=user, municipality=municipality, obj=q)
    db.session.commit()


def _set_options(question: Question, data: dict) -> None:
    lt, en = split_lines(data.get("options_lt")), split_lines(data.get("options_en"))
    question.options.clear()
    db.session.flush()
    for i, label in enumerate(lt):
        question.options.append(QuestionOption(position=i + 1, label_lt=label, label_en=en[i] if i < len(en) else ""))


QUESTION_FIELDS = ("kind", "text_lt", "text_en", "help_lt", "help_en", "required", "max_choices")


def add_question(municipality, q: Questionnaire, user, data: dict) -> Question:
    """Add a question at the end of a draft questionnaire."""
    require_runner(user, q.organisation)
    _require_draft(q)
    problems = question_problems(data)
    if problems:
        raise Refused(next(iter(problems.values())), 400)
    position = max((x.position for x in q.questions), default=0) + 1
    question = Question(questionnaire_id=q.id, position=position,
                        **{k: data.get(k) for k in QUESTION_FIELDS})
    if question.kind != MULTIPLE:
        question.max_choices = None
    q.questions.append(question)
    if question.kind in CHOICE_KINDS or question.kind == RATING:
        _set_options(question, data)
    record("questionnaire.question_added", actor=user, municipality=municipality, obj=q)
    db.session.commit()
    return question


def update_question(municipality, question: Question, user, data: dict) -> None:
    q = question.questionnaire
    require_runner(user, q.organisation)
    _require_draft(q)
    problems = question_problems(data)
    if problems:
        raise Refused(next(iter(problems.values())), 400)
    for key in QUESTION_FIELDS:
        setattr(question, key, data.get(key))
    if question.kind != MULTIPLE:
        question.max_choices = None
    if question.kind in CHOICE_KINDS or question.kind == RATING:
        _set_options(question, data)
    else:
        question.options.clear()
    db.session.commit()


def delete_question(municipality, question: Question, user) -> None:
    q = question.questionnaire
    require_runner(user, q.organisation)
    _require_draft(q)
    q.questions.remove(question)
    for i, other in enumerate(q.questions):
        other.position = i + 1
    db.session.commit()


def move_question(municipality, question: Question, user, direction: int) -> None:
    """Swap a question with its neighbour (direction -1 up, +1 down)."""
    q = question.questionnaire
    require_runner(user, q.organisation)
    _require_draft(q)
    ordered = list(q.questions)
    i = ordered.index(question)
    j = i + direction
    if 0 <= j < len(ordered):
        ordered[i], ordered[j] = ordered[j], ordered[i]
        for pos, item in enumerate(ordered):
            item.position = pos + 1
    db.session.commit()


def get_question(q: Questionnaire, question_id: int) -> Question:
    question = next((x for x in q.questions if x.id == question_id), None)
    if question is None:
        raise Refused(_("There is no such question in this questionnaire."), 404)
    return question


def publish_problems(q: Questionnaire) -> list[str]:
    problems = []
    if not q.questions:
        problems.append(_("Add at least one question before publishing the questionnaire."))
    for question in q.questions:
        if question.kind in CHOICE_KINDS and len(question.options) < 2:
            problems.append(_("Question %(n)d needs at least two options.", n=question.position))
    if q.closes_at <= q.opens_at:
        problems.append(_("The closing date must be after the opening date."))
    if q.closes_at <= utcnow():
        problems.append(_("The closing date has already passed."))
    return problems


def publish(municipality, q: Questionnaire, user) -> None:
    """Publish a draft: it opens for answers at its opening date."""
    require_runner(user, q.organisation)
    db.session.execute(select(Questionnaire).where(Questionnaire.id == q.id).with_for_update(of=Questionnaire)
                       .execution_options(populate_existing=True))
    if q.published_at is not None:
        db.session.rollback()
        raise Refused(_("This questionnaire is already published."), 409)
    problems = publish_problems(q)
    if problems:
        raise Refused(" ".join(problems), 400)
    q.published_at = utcnow()
    record("questionnaire.published", actor=user, municipality=municipality, obj=q, public=True)
    db.session.commit()


def close_now(municipality, q: Questionnaire, user) -> None:
    require_runner(user, q.organisation)
    if q.state() != "open":
        raise Refused(_("Only an open questionnaire can be closed."), 409)
    # An open questionnaire opened before now, so the dates stay in order.
    q.closes_at = utcnow()
    record("questionnaire.closed", actor=user, municipality=municipality, obj=q, public=True)
    db.session.commit()


# --- answering ------------------------------------------------------------------------

def answer_refusal(q: Questionnaire, user, municipality) -> str | None:
    """Why this user cannot answer now (translated), or None."""
    state = q.state()
    if state == "draft":
        return _("This questionnaire is not published.")
    if state == "scheduled":
        return _("This questionnaire opens on %(date)s.", date=q.opens_at.date().isoformat())
    if state == "closed":
        return _("This questionnaire is closed.")
    if user is None or not user.is_authenticated:
        return _("Sign in to answer.")
    if not user.confirmed:  # (else throwaway accounts could answer again and again)
        return _("Confirm your e-mail address to answer.")
    if q.audience == RESIDENTS and not user.is_resident_of(municipality):
        return _("Only confirmed residents of this municipality can answer this questionnaire.")
    return None


def existing_response(q: Questionnaire, user, lock: bool = False) -> Response | None:
    if user is None or not user.is_authenticated:
        return None
    query = select(Response).where(Response.questionnaire_id == q.id, Response.user_id == user.id)
    if lock:
        # Two edits from two tabs at once replace the answers one after the other.
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.execute(query).scalar_one_or_none()


def values_of(response: Response | None, q: Questionnaire) -> dict[int, Any]:
    """A stored response as form values {question_id: value}."""
    values: dict[int, Any] = {}
    if response is None:
        return values
    kinds = {question.id: question.kind for question in q.questions}
    for a in response.answers:
        kind = kinds.get(a.question_id)
        if kind == SINGLE:
            values[a.question_id] = a.option_id
        elif kind == MULTIPLE:
            values.setdefault(a.question_id, []).append(a.option_id)
        elif kind == RANKING:
            values.setdefault(a.question_id, {})[a.option_id] = a.rank
        elif kind == RATING:
            values[a.question_id] = a.value
        else:
            values[a.question_id] = a.text
    return values


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_answers(q: Questionnaire, form) -> tuple[dict[int, Any], dict[int, str]]:
    """Read and check the submitted answers.

    Returns (values, errors): values keep what the person typed (to show it again),
    errors map a question id to a translated message.
    """
    values: dict[int, Any] = {}
    errors: dict[int, str] = {}
    for question in q.questions:
        name = f"q{question.id}"
        option_ids = {o.id for o in question.options}
        answered = False
        if question.kind == SINGLE:
            raw = form.get(name, "")
            value = _int(raw)
            if raw:
                values[question.id] = value
                answered = True
                if value not in option_ids:
                    errors[question.id] = _("Choose one of the options.")
        elif question.kind == MULTIPLE:
            chosen = [_int(v) for v in form.getlist(name)]
            values[question.id] = [c for c in chosen if c is not None]
            answered = bool(chosen)
            if any(c not in option_ids for c in chosen) or len(set(chosen)) != len(chosen):
                errors[question.id] = _("Choose among the options shown.")
            elif question.max_choices and len(chosen) > question.max_choices:
                errors[question.id] = ngettext("Choose at most %(num)d option.", "Choose at most %(num)d options.",
                                               question.max_choices)
        elif question.kind == RANKING:
            ranks: dict[int, int] = {}
            bad = False
            for option in question.options:
                raw = form.get(f"{name}_o{option.id}", "")
                if raw:
                    rank = _int(raw)
                    if rank is None or not 1 <= rank <= len(option_ids):
                        bad = True
                    else:
                        ranks[option.id] = rank
            values[question.id] = ranks
            answered = bool(ranks)
            if bad:
                errors[question.id] = _("A rank is out of range.")
            elif ranks and sorted(ranks.values()) != list(range(1, len(ranks) + 1)):
                errors[question.id] = _("Number the options you rank 1, 2, 3… without gaps or repeats.")
        elif question.kind == RATING:
            raw = form.get(name, "")
            if raw:
                value = _int(raw)
                values[question.id] = value
                answered = True
                if value is None or not 1 <= value <= 5:
                    errors[question.id] = _("Choose a value from 1 to 5.")
        else:
            text = (form.get(name) or "").strip()
            limit = SHORT_TEXT_MAX if question.kind == SHORT_TEXT else LONG_TEXT_MAX
            if text:
                values[question.id] = text
                answered = True
                if len(text) > limit:
                    errors[question.id] = _("At most %(max)d characters (now %(n)d).", max=limit, n=len(text))
        if question.required and not answered and question.id not in errors:
            errors[question.id] = _("This question is required.")
    return values, errors


def _answers(q: Questionnaire, values: dict[int, Any]) -> list[Answer]:
    rows = []
    for question in q.questions:
        value = values.get(question.id)
        if value in (None, "", [], {}):
            continue
        if question.kind == SINGLE:
            rows.append(Answer(question_id=question.id, option_id=value))
        elif question.kind == MULTIPLE:
            rows += [Answer(question_id=question.id, option_id=v) for v in value]
        elif question.kind == RANKING:
            rows += [Answer(question_id=question.id, option_id=o, rank=r) for o, r in sorted(value.items(), key=lambda x: x[1])]
        elif question.kind == RATING:
            rows.append(Answer(question_id=question.id, value=value))
        elif question.kind in (SHORT_TEXT, LONG_TEXT):
            rows.append(Answer(question_id=question.id, text=value))
    return rows


class AlreadyAnswered(Refused):
    pass


def save_response(municipality, q: Questionnaire, user, values: dict[int, Any], editing: bool) -> Response:
    """Store checked answers: a new response, or (``editing``) replace the person's answers.

    One response per person is enforced by a unique constraint; a second new response
    raises :class:`AlreadyAnswered`. Replacing happens in one transaction.
    """
    refusal = answer_refusal(q, user, municipality)
    if refusal:
        raise Refused(refusal, 403 if q.state() == "open" else 409)
    response = existing_response(q, user, lock=True)
    if response is None:
        response = Response(municipality_id=municipality.id, questionnaire_id=q.id, user_id=user.id)
        response.answers = _answers(q, values)
        db.session.add(response)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            raise AlreadyAnswered(_("You have already answered this questionnaire. Your earlier answers were kept; "
                                    "you can change them until it closes."), 409) from None
        return response
    if not editing:
        raise AlreadyAnswered(_("You have already answered this questionnaire. Change your answers below and "
                                "save them instead of answering again."), 409)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    db.session.expire(response, ["answers"])
    for answer in _answers(q, values):
        answer.response_id = response.id
        db.session.add(answer)
    response.updated_at = utcnow()
    db.session.commit()
    return response


def response_count(q: Questionnaire) -> int:
    return db.session.execute(select(func.count(Response.id)).where(Response.questionnaire_id == q.id)).scalar_one()
