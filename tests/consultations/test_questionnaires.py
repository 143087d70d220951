"""Building, answering (once, editable), tallying and exporting questionnaires."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.consultations.models import Answer, Question, Questionnaire, Response
from app.core.models import utcnow
from app.extensions import db

ALL_KINDS = [
    ("single", "Kur skaitote?", "Where do you read?", [("Namie", "At home"), ("Bibliotekoje", "In the library")], {}),
    ("multiple", "Ko trūksta?", "What is missing?",
     [("Knygų", "Books"), ("Kompiuterių", "Computers"), ("Renginių", "Events")], {"max_choices": 2}),
    ("ranking", "Kas svarbiausia?", "What matters most?",
     [("Darbo laikas", "Opening hours"), ("Vaikų kampelis", "Children's corner"), ("Kavinė", "Café")], {}),
    ("rating", "Kaip vertinate?", "How do you rate it?", [], {"required": True}),
    ("short_text", "Jūsų seniūnija", "Your ward", [], {}),
    ("long_text", "Pasiūlymai", "Suggestions", [], {}),
]


@pytest.fixture
def setup(make, build):
    m = make.municipality("kaunas")
    organiser = make.user(m, name="Organizatorė")
    org = build.organisation(m, organiser)
    q = build.questionnaire(org, questions=ALL_KINDS)
    return m, organiser, org, q


def _ids(q):
    questions = db.session.execute(select(Question).where(Question.questionnaire_id == q.id)
                                   .order_by(Question.position)).scalars().all()
    return [(x.id, [o.id for o in x.options]) for x in questions]


def _answer_form(q, single=0, multiple=(0, 1), ranking=(2, 1, 3), rating=4, short="Garliava", long="Daugiau renginių"):
    (s_id, s_opts), (m_id, m_opts), (r_id, r_opts), (rt_id, _), (st_id, _), (lt_id, _) = _ids(q)
    data = {f"q{s_id}": str(s_opts[single]), f"q{rt_id}": str(rating), f"q{st_id}": short, f"q{lt_id}": long,
            "editing": "0"}
    data[f"q{m_id}"] = [str(m_opts[i]) for i in multiple]
    for option, rank in zip(r_opts, ranking):
        if rank:
            data[f"q{r_id}_o{option}"] = str(rank)
    return data


def test_each_kind_answered_and_tallied(client, auth, make, setup):
    m, organiser, org, q = setup
    ballots = [  # (single, multiple, ranking ranks per option, rating)
        (0, (0, 1), (1, 2, 3), 5), (1, (1,), (2, 1, 3), 4), (1, (1, 2), (3, 1, 2), 4), (0, (0,), (1, 3, 2), 2),
    ]
    for single, multiple, ranking, rating in ballots:
        user = make.user(m)
        auth.login(user)
        url = f"/kaunas/consultations/questionnaires/{q.id}/respond"
        response = client.post_form(url, _answer_form(q, single, multiple, ranking, rating))
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]
        auth.logout()
    assert db.session.execute(select(func.count(Response.id))).scalar_one() == 4
    # Closed: results are public.
    q = db.session.get(Questionnaire, q.id)
    q.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    data = client.get(f"/kaunas/consultations/questionnaires/{q.id}/results.json").get_json()
    single, multiple, ranking, rating, short, long_ = data["questions"]
    assert [o["count"] for o in single["options"]] == [2, 2] and single["options"][0]["share"] == 0.5
    assert [o["count"] for o in multiple["options"]] == [2, 3, 1]
    assert [o["count"] for o in rating["options"]] == [0, 1, 0, 2, 1] and rating["average"] == 3.75
    assert ranking["rule"] == "borda" and ranking["tally"]["ballots"] == 4
    # Borda (3 options: 2, 1, 0 points): hours 2+1+0+2=5, children 1+2+2+0=5, café 0+0+1+1=2;
    # the tie is broken by the option order, so "Darbo laikas" wins.
    labels = ranking["tally"]["labels"]
    assert [labels[o] for o in ranking["tally"]["order"]][:2] == ["Darbo laikas", "Vaikų kampelis"]
    assert short["texts"] is None  # not published to everyone
    irv = client.get(f"/kaunas/consultations/questionnaires/{q.id}/results.json?rule=irv").get_json()
    assert irv["questions"][2]["tally"]["rule"] == "irv"
    page = client.get(f"/kaunas/consultations/questionnaires/{q.id}/results?rule=irv").get_data(as_text=True)
    assert "<svg" in page and "Vaikų kampelis" in page
    # The organiser sees the written answers; everyone else once they are published.
    auth.login(organiser)
    page = client.get(f"/kaunas/consultations/questionnaires/{q.id}/results").get_data(as_text=True)
    assert "Daugiau renginių" in page
    auth.logout()
    assert "Daugiau renginių" not in client.get(f"/kaunas/consultations/questionnaires/{q.id}/results").get_data(as_text=True)
    q.publish_free_text = True
    db.session.commit()
    assert "Daugiau renginių" in client.get(f"/kaunas/consultations/questionnaires/{q.id}/results").get_data(as_text=True)
    csv_text = client.get(f"/kaunas/consultations/questionnaires/{q.id}/results.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert rows[0][0] == "question" and ["1", "Kur skaitote?", "single", "4", "Namie", "2", "50.0"] in rows


def test_bad_answers_are_refused_and_kept(client, auth, make, setup):
    m, organiser, org, q = setup
    auth.login(make.user(m))
    url = f"/kaunas/consultations/questionnaires/{q.id}/respond"
    data = _answer_form(q, multiple=(0, 1, 2), rating=4, short="Mano tekstas")
    (_s, _so), (m_id, _mo), (r_id, r_opts), (rt_id, _), *_ = _ids(q)
    del data[f"q{rt_id}"]  # required
    response = client.post_form(url, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mano tekstas" in html  # what the person typed is still there
    assert html.count('class="errors"') == 2  # too many choices, required rating missing
    data = _answer_form(q)
    data[f"q{r_id}_o{r_opts[0]}"] = "9"  # rank out of range
    data[f"q{_s}"] = "999999"  # not an option of the question
    response = client.post_form(url, data)
    assert response.status_code == 400 and "Garliava" in response.get_data(as_text=True)
    assert db.session.execute(select(func.count(Response.id))).scalar_one() == 0


def test_one_response_per_person_editable_until_close(client, auth, make, setup):
    m, organiser, org, q = setup
    user = make.user(m)
    auth.login(user)
    url = f"/kaunas/consultations/questionnaires/{q.id}/respond"
    assert client.post_form(url, _answer_form(q)).status_code == 302
    # A second "new" response (e.g. from an old tab): 409, the typed answers are kept.
    response = client.post_form(url, _answer_form(q, short="Antras kartas"))
    assert response.status_code == 409 and "Antras kartas" in response.get_data(as_text=True)
    # Editing replaces the answers.
    data = _answer_form(q, single=1, short="Pataisyta")
    data["editing"] = "1"
    assert client.post_form(url, data).status_code == 302
    assert db.session.execute(select(func.count(Response.id))).scalar_one() == 1
    texts = db.session.execute(select(Answer.text).where(Answer.text.is_not(None))).scalars().all()
    assert "Pataisyta" in texts and "Garliava" not in texts
    # The database refuses a second row whatever the code does.
    db.session.add(Response(municipality_id=m.id, questionnaire_id=q.id, user_id=user.id))
    with pytest.raises(Exception):
        db.session.commit()
    db.session.rollback()
    # Closed: no more changes.
    q = db.session.get(Questionnaire, q.id)
    q.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post_form(url, data).status_code == 409


def test_residents_only_audience(client, auth, make, build):
    m, other = make.municipality("kaunas"), make.municipality("zarasai")
    org = build.organisation(m)
    q = build.questionnaire(org, audience="residents", questions=ALL_KINDS[:1])
    auth.login(make.user(other))
    response = client.get(f"/kaunas/consultations/questionnaires/{q.id}/respond")
    assert response.status_code == 403
    auth.logout()
    auth.login(make.user(m))
    assert client.get(f"/kaunas/consultations/questionnaires/{q.id}/respond").status_code == 200


def test_unconfirmed_account_cannot_answer(client, auth, make, build):
    """"Anyone signed in" still means a confirmed e-mail address: otherwise one person could
    answer again and again with throwaway accounts."""
    m = make.municipality("kaunas")
    q = build.questionnaire(build.organisation(m), questions=ALL_KINDS[:1])
    auth.login(make.user(m, confirmed=False))
    page = client.get(f"/kaunas/consultations/questionnaires/{q.id}")
    assert "patvirtinkite savo el. pašto adresą" in page.get_data(as_text=True)
    url = f"/kaunas/consultations/questionnaires/{q.id}/respond"
    assert client.get(url).status_code == 403
    (s_id, s_opts), = _ids(q)
    response = client.post_form(url, {f"q{s_id}": str(s_opts[0]), "editing": "0"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_results_hidden_until_close_unless_live(client, auth, make, build):
    m = make.municipality("kaunas")
    org = build.organisation(m)
    q = build.questionnaire(org, questions=ALL_KINDS[:1])
    assert client.get(f"/kaunas/consultations/questionnaires/{q.id}/results").status_code == 403
    q.live_results = True
    db.session.commit()
    assert client.get(f"/kaunas/consultations/questionnaires/{q.id}/results").status_code == 200


def test_responses_csv_for_organisers_only_without_emails(client, auth, make, setup):
    m, organiser, org, q = setup
    respondent = make.user(m, email="respondentas@example.lt")
    auth.login(respondent)
    client.post_form(f"/kaunas/consultations/questionnaires/{q.id}/respond", _answer_form(q))
    url = f"/kaunas/consultations/questionnaires/{q.id}/responses.csv"
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(organiser)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "respondentas@example.lt" not in text and "@" not in text
    assert "Garliava" in text and "1. Vaikų kampelis" in text


def test_builder_without_javascript(client, auth, make, build):
    m = make.municipality("kaunas")
    organiser = make.user(m)
    org = build.organisation(m, organiser)
    auth.login(organiser)
    now = utcnow() + timedelta(hours=3)
    form = {"organisation": str(org.id), "title_lt": "Stotelės", "title_en": "Bus stops",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"), "closes_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "audience": "signed_in", "ranking_rule": "borda"}
    response = client.post_form("/kaunas/consultations/questionnaires/new", form)
    assert response.status_code == 400 and "po atidarymo" in response.get_data(as_text=True)
    assert "Stotelės" in response.get_data(as_text=True)
    form["closes_at"] = (now + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post_form("/kaunas/consultations/questionnaires/new", form)
    assert response.status_code == 302
    q = db.session.execute(select(Questionnaire)).scalar_one()
    base = f"/kaunas/consultations/questionnaires/{q.id}"
    # No questions: cannot be published.
    response = client.post_form(f"{base}/publish")
    assert response.status_code == 400 and "bent vieną klausimą" in response.get_data(as_text=True)
    # A choice question with one option is refused; the typed text stays.
    response = client.post_form(f"{base}/questions", {"kind": "single", "text_lt": "Kuri stotelė?",
                                                       "options_lt": "Tik viena"})
    assert response.status_code == 400 and "Kuri stotelė?" in response.get_data(as_text=True)
    assert "bent dviejų" in response.get_data(as_text=True)
    assert client.post_form(f"{base}/questions", {"kind": "single", "text_lt": "Kuri stotelė?",
                                                   "text_en": "Which stop?",
                                                   "options_lt": "Centras\nMokykla", "options_en": "Centre\nSchool",
                                                   "required": "y"}).status_code == 302
    assert client.post_form(f"{base}/questions", {"kind": "long_text", "text_lt": "Kodėl?"}).status_code == 302
    q = db.session.get(Questionnaire, q.id)
    first, second = q.questions
    assert client.post_form(f"{base}/questions/{second.id}/up").status_code == 302
    db.session.expire_all()
    assert [x.text_lt for x in db.session.get(Questionnaire, q.id).questions] == ["Kodėl?", "Kuri stotelė?"]
    assert client.post_form(f"{base}/questions/{second.id}/delete").status_code == 302
    assert client.post_form(f"{base}/publish").status_code == 302
    assert db.session.get(Questionnaire, q.id).published_at is not None
    # Published: questions are frozen.
    assert client.post_form(f"{base}/questions", {"kind": "long_text", "text_lt": "Dar?"}).status_code == 409


def test_member_of_another_organisation_cannot_edit(client, auth, make, build):
    m = make.municipality("kaunas")
    q = build.questionnaire(build.organisation(m), published=False, questions=ALL_KINDS[:1])
    stranger = make.user(m)
    build.organisation(m, stranger, name="Kita organizacija")
    auth.login(stranger)
    assert client.get(f"/kaunas/consultations/questionnaires/{q.id}/edit").status_code == 403
    assert client.post_form(f"/kaunas/consultations/questionnaires/{q.id}/publish").status_code == 403
    assert client.get(f"/kaunas/consultations/questionnaires/{q.id}").status_code == 404  # a draft


@pytest.mark.parametrize("lang, text", [("lt", "Atsakyti į klausimyną"), ("en", "Answer the questionnaire")])
def test_questionnaire_page_in_both_languages(client, auth, make, setup, lang, text):
    m, organiser, org, q = setup
    auth.login(make.user(m, locale=lang))
    client.post_form("/lang", {"lang": lang, "next": "/"})
    html = client.get(f"/kaunas/consultations/questionnaires/{q.id}").get_data(as_text=True)
    assert text in html
    assert ("Library" if lang == "en" else "Biblioteka") in html
