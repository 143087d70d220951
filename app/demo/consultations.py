"""Demo consultations: two organisations (and one waiting for approval), an open and a closed
questionnaire with answers, an upcoming focus group with a waitlist, a past debate with its summary."""
from __future__ import annotations

from datetime import timedelta

from app.consultations.models import (
    Answer, Event, EventQuestion, Question, QuestionOption, Questionnaire, Response, SignUp,
)
from app.core.models import utcnow
from app.extensions import db
from app.organisations.models import Organisation, OrganisationMember


def _organisation(municipality, creator, name, kind, description, email, status="approved", members=()):
    org = Organisation(municipality_id=municipality.id, name=name, kind=kind, description=description,
                       contact_email=email, status=status, created_by_id=creator.id,
                       decided_at=utcnow() if status == "approved" else None)
    db.session.add(org)
    db.session.flush()
    db.session.add(OrganisationMember(organisation_id=org.id, user_id=creator.id, role="organiser"))
    for user in members:
        db.session.add(OrganisationMember(organisation_id=org.id, user_id=user.id, role="member"))
    return org


def _questionnaire(org, creator, opens_at, closes_at, titles, descriptions, questions, **flags):
    q = Questionnaire(municipality_id=org.municipality_id, organisation_id=org.id, created_by_id=creator.id,
                      title_lt=titles[0], title_en=titles[1], description_lt=descriptions[0],
                      description_en=descriptions[1], opens_at=opens_at, closes_at=closes_at,
                      published_at=opens_at, **flags)
    db.session.add(q)
    db.session.flush()
    made = []
    for position, (kind, text_lt, text_en, options, extra) in enumerate(questions, start=1):
        question = Question(questionnaire_id=q.id, position=position, kind=kind, text_lt=text_lt, text_en=text_en,
                            **extra)
        db.session.add(question)
        db.session.flush()
        for i, (lt, en) in enumerate(options, start=1):
            question.options.append(QuestionOption(position=i, label_lt=lt, label_en=en))
        db.session.flush()
        made.append(question)
    return q, made


def _answer(q, questions, user, values, when):
    """values: one entry per question — option index, list of indexes, ranking list, rating or text."""
    response = Response(municipality_id=q.municipality_id, questionnaire_id=q.id, user_id=user.id,
                        created_at=when, updated_at=when)
    for question, value in zip(questions, values):
        if value is None:
            continue
        options = question.options
        if question.kind == "single":
            response.answers.append(Answer(question_id=question.id, option_id=options[value].id))
        elif question.kind == "multiple":
            response.answers += [Answer(question_id=question.id, option_id=options[i].id) for i in value]
        elif question.kind == "ranking":
            response.answers += [Answer(question_id=question.id, option_id=options[i].id, rank=r)
                                 for r, i in enumerate(value, start=1)]
        elif question.kind == "rating":
            response.answers.append(Answer(question_id=question.id, value=value))
        else:
            response.answers.append(Answer(question_id=question.id, text=value))
    db.session.add(response)


def seed_consultations(context: dict) -> None:
    now = utcnow()
    kaunas, zarasai, birzai = (context["municipalities"][s] for s in ("kauno-rajonas", "zarasu-rajonas", "birzu-rajonas"))
    k_res, z_res, b_res = (context["residents"][s] for s in ("kauno-rajonas", "zarasu-rajonas", "birzu-rajonas"))

    library = _organisation(
        kaunas, k_res[0], "Garliavos bendruomenės centras", "community",
        "Garliavos bendruomenės centras jungia gyventojus, rengia susitikimus bendruomenės namuose ir kalbasi "
        "su seniūnija apie kelius, stoteles ir vaikų žaidimų aikšteles.",
        "info@garliavos-bendruomene.lt", members=[k_res[1]])
    lakes = _organisation(
        zarasai, z_res[0], "Zarasų ežerų bičiuliai", "ngo",
        "Nevyriausybinė organizacija, kuri rūpinasi Zarasų krašto ežerų pakrantėmis, paplūdimiais ir takais.",
        "ezerai@zarasai-ngo.lt")
    _organisation(birzai, b_res[0], "Biržų jaunimo klubas „Pilis“", "ngo",
                  "Jaunimo laisvalaikis ir savanorystė prie Biržų pilies.", "pilis@birzai-jaunimas.lt",
                  status="pending")
    db.session.flush()

    # An open questionnaire in Kaunas district, with live results.
    open_q, oq = _questionnaire(
        library, k_res[0], now - timedelta(days=5), now + timedelta(days=20),
        ("Bendruomenės namai Garliavoje: ko jums reikia?", "Garliava community centre: what do you need?"),
        ("Planuojame bendruomenės namų veiklą kitiems metams. Atsakymas užtruks apie 3 minutes.",
         "We are planning next year's activities at the community centre. Answering takes about 3 minutes."),
        [("single", "Kaip dažnai lankotės bendruomenės namuose?", "How often do you visit the community centre?",
          [("Kas savaitę", "Every week"), ("Kas mėnesį", "Every month"), ("Retai", "Rarely"), ("Niekada", "Never")],
          {"required": True}),
         ("multiple", "Kokių veiklų norėtumėte?", "Which activities would you like?",
          [("Vaikų būreliai", "Children's clubs"), ("Senjorų susitikimai", "Seniors' meetings"),
           ("Kino vakarai", "Film nights"), ("Sporto užsiėmimai", "Sports classes")], {"max_choices": 2}),
         ("ranking", "Kas svarbiausia atnaujinant pastatą?", "What matters most when renovating the building?",
          [("Pandusas ir prieinamumas", "Ramp and accessibility"), ("Šildymas", "Heating"),
           ("Vaikų žaidimų aikštelė", "Playground")], {}),
         ("rating", "Kaip vertinate dabartines patalpas?", "How do you rate the current rooms?",
          [("Labai blogai", "Very poor"), ("Blogai", "Poor"), ("Vidutiniškai", "Average"), ("Gerai", "Good"),
           ("Labai gerai", "Very good")], {}),
         ("long_text", "Ką dar norėtumėte pasakyti?", "Anything else you would like to say?", [], {})],
        live_results=True, audience="residents")
    for user, values in zip(k_res[1:5], [
            (0, [0, 2], [0, 1, 2], 3, "Reikia daugiau vakarinių renginių."),
            (1, [1], [1, 0, 2], 2, None),
            (2, [0, 3], [0, 2, 1], 4, "Pandusas būtinas – mama naudojasi vežimėliu."),
            (1, [2, 3], [2, 0, 1], 3, None)]):
        _answer(open_q, oq, user, values, now - timedelta(days=2))

    # A closed questionnaire in Zarasai, with its free-text answers published.
    closed_q, cq = _questionnaire(
        lakes, z_res[0], now - timedelta(days=60), now - timedelta(days=30),
        ("Zarasų paplūdimiai 2027 m. vasarą", "Zarasai beaches in summer 2027"),
        ("Kurį Zarasų ežero paplūdimį tvarkyti pirmiausia ir ko ten trūksta?",
         "Which beach on Lake Zarasas should be improved first, and what is missing there?"),
        [("ranking", "Kurį paplūdimį tvarkyti pirmiausia?", "Which beach should be improved first?",
          [("Zarasaičio paplūdimys", "Zarasaitis beach"), ("Didžiosios salos paplūdimys", "Big Island beach"),
           ("Grybelio ežero paplūdimys", "Lake Grybelis beach")], {"required": True}),
         ("multiple", "Ko trūksta paplūdimiuose?", "What is missing at the beaches?",
          [("Tualetų", "Toilets"), ("Persirengimo kabinų", "Changing cabins"), ("Šiukšliadėžių", "Bins"),
           ("Gelbėtojų", "Lifeguards")], {}),
         ("rating", "Kaip vertinate vandens švarą?", "How do you rate the water quality?", [], {}),
         ("short_text", "Jūsų seniūnija", "Your ward", [], {})],
        publish_free_text=True)
    for user, values in zip(z_res, [
            ([0, 1, 2], [0, 2], 4, "Zarasų seniūnija"), ([1, 0, 2], [0], 5, "Dusetų seniūnija"),
            ([0, 2, 1], [1, 3], 3, None), ([2, 1, 0], [0, 1], 4, "Salako seniūnija"),
            ([1, 0], [2], 4, None), ([0, 1, 2], [0, 3], 5, "Zarasų seniūnija")]):
        _answer(closed_q, cq, user, values, now - timedelta(days=45))

    # An upcoming focus group in Kaunas district: 3 seats, 5 sign-ups, so 2 on the waitlist.
    starts = (now + timedelta(days=9)).replace(hour=15, minute=0, second=0, microsecond=0)
    focus = Event(municipality_id=kaunas.id, organisation_id=library.id, kind="focus_group", created_by_id=k_res[0].id,
                  title_lt="Tikslinė grupė: autobusų stotelės Garliavoje",
                  title_en="Focus group: bus stops in Garliava",
                  description_lt="Aptarsime, kur trūksta stotelių ir pavėsinių, kaip jas pasiekia senjorai ir "
                                 "vaikai. Kava ir arbata – bendruomenės namuose.",
                  description_en="We will discuss where bus stops and shelters are missing and how seniors and "
                                 "children reach them. Coffee and tea at the community centre.",
                  starts_at=starts, ends_at=starts + timedelta(hours=2), signup_deadline=starts - timedelta(days=2),
                  place="Garliavos bendruomenės namai, Vytauto g. 23", capacity=3, selection="automatic")
    focus.questions.append(EventQuestion(position=1, text_lt="Amžiaus grupė", text_en="Age group",
                                         options_lt="18–29\n30–59\n60 ir daugiau", options_en="18–29\n30–59\n60 and over",
                                         required=True))
    db.session.add(focus)
    db.session.flush()
    for i, user in enumerate(k_res[1:6]):
        status = "confirmed" if i < 3 else "waitlisted"
        db.session.add(SignUp(event_id=focus.id, user_id=user.id, municipality_id=kaunas.id, status=status,
                              waitlist_position=i - 2 if status == "waitlisted" else None,
                              answers={str(focus.questions[0].id): i % 3}, created_at=now - timedelta(hours=30 - i),
                              confirmed_at=now - timedelta(hours=30 - i) if status == "confirmed" else None))

    # A past public debate in Zarasai, with attendance and a published summary.
    past = (now - timedelta(days=12)).replace(hour=16, minute=0, second=0, microsecond=0)
    debate = Event(municipality_id=zarasai.id, organisation_id=lakes.id, kind="debate", created_by_id=z_res[0].id,
                   title_lt="Viešoji diskusija: Zarasų ežero pakrantės takas",
                   title_en="Public debate: the Lake Zarasas shore path",
                   description_lt="Susitikimas su savivaldybės atstovais dėl pakrantės tako tęsinio.",
                   description_en="A meeting with the municipality about extending the shore path.",
                   starts_at=past, ends_at=past + timedelta(hours=2), signup_deadline=past - timedelta(hours=3),
                   place="Zarasų viešoji biblioteka, salė", capacity=40, selection="automatic",
                   summary_lt="## Ką aptarėme\n\n- Takas bus pratęstas iki **Didžiosios salos** tilto.\n"
                              "- Gyventojai prašė apšvietimo ir suoliukų.\n\n"
                              "## Kas toliau\n\nSavivaldybė projektą pristatys pavasarį; pasiūlymus galite siųsti "
                              "organizacijai el. paštu.",
                   summary_en="## What we discussed\n\n- The path will be extended to the **Big Island** bridge.\n"
                              "- Residents asked for lighting and benches.\n\n"
                              "## What happens next\n\nThe municipality will present the project in spring; send "
                              "your suggestions to the organisation by e-mail.",
                   summary_published_at=past + timedelta(days=2), attendance_marked_at=past + timedelta(days=1))
    db.session.add(debate)
    db.session.flush()
    for i, user in enumerate(z_res):
        db.session.add(SignUp(event_id=debate.id, user_id=user.id, municipality_id=zarasai.id, status="confirmed",
                              created_at=past - timedelta(days=5, hours=i), confirmed_at=past - timedelta(days=5, hours=i),
                              attended=i != 4, reminder_sent_at=past - timedelta(hours=20)))
    db.session.flush()
