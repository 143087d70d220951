"""Builders for consultation tests: approved organisations, questionnaires, events."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.consultations.models import Event, Question, QuestionOption, Questionnaire
from app.core.models import utcnow
from app.extensions import db
from app.organisations.models import APPROVED, ORGANISER, Organisation, OrganisationMember


class ConsultationBuilders:
    def __init__(self, make):
        self.make = make

    def organisation(self, municipality, organiser=None, *, name="Bendruomenė „Ąžuolas“", status=APPROVED,
                     members=()):
        organiser = organiser or self.make.user(municipality)
        org = Organisation(municipality_id=municipality.id, name=name, kind="community",
                           contact_email="info@azuolas.lt", status=status, created_by_id=organiser.id)
        db.session.add(org)
        db.session.flush()
        db.session.add(OrganisationMember(organisation_id=org.id, user_id=organiser.id, role=ORGANISER))
        for user in members:
            db.session.add(OrganisationMember(organisation_id=org.id, user_id=user.id, role="member"))
        db.session.commit()
        return org

    def questionnaire(self, org, *, questions=(), published=True, opens_in=timedelta(days=-1),
                      closes_in=timedelta(days=7), **kwargs):
        now = utcnow()
        q = Questionnaire(municipality_id=org.municipality_id, organisation_id=org.id,
                          title_lt=kwargs.pop("title_lt", "Biblioteka"), title_en=kwargs.pop("title_en", "Library"),
                          opens_at=now + opens_in, closes_at=now + closes_in,
                          published_at=now if published else None, **kwargs)
        db.session.add(q)
        db.session.flush()
        for position, (kind, text_lt, text_en, options, extra) in enumerate(questions, start=1):
            question = Question(questionnaire_id=q.id, position=position, kind=kind, text_lt=text_lt,
                                text_en=text_en, **extra)
            db.session.add(question)
            db.session.flush()
            for i, (lt, en) in enumerate(options, start=1):
                db.session.add(QuestionOption(question_id=question.id, position=i, label_lt=lt, label_en=en))
        db.session.commit()
        return q

    def event(self, org, *, capacity=10, starts_in=timedelta(days=3), deadline_in=None, **kwargs):
        now = utcnow()
        starts = now + starts_in
        event = Event(municipality_id=org.municipality_id, organisation_id=org.id,
                      kind=kwargs.pop("kind", "focus_group"),
                      title_lt=kwargs.pop("title_lt", "Tikslinė grupė: autobusų stotelės"),
                      title_en=kwargs.pop("title_en", "Focus group: bus stops"),
                      starts_at=starts, ends_at=starts + timedelta(hours=2),
                      signup_deadline=now + deadline_in if deadline_in is not None else starts - timedelta(hours=1),
                      place=kwargs.pop("place", "Bendruomenės namai, Liepų g. 3"), capacity=capacity, **kwargs)
        db.session.add(event)
        db.session.commit()
        return event


@pytest.fixture
def build(make) -> ConsultationBuilders:
    return ConsultationBuilders(make)
