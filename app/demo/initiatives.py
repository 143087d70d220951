"""Demo initiatives in every state, with categories, signatures, comments and flags.

Texts are as residents would write them, mostly in Lithuanian and some in English;
user content is never machine-translated. Timestamps are relative to now, so that
collections are still running whenever the demo is loaded.
"""
from __future__ import annotations

from datetime import timedelta

from app.accounts.models import User
from app.core.audit import record
from app.core.models import utcnow
from app.demo.base import DEMO_PASSWORD
from app.discussion.models import Comment, Flag
from app.extensions import db
from app.initiatives.models import Category, Initiative, InitiativeVersion, Signature

CATEGORIES = [
    ("Keliai ir transportas", "Roads and transport"),
    ("Švietimas ir kultūra", "Education and culture"),
    ("Aplinka ir gamta", "Environment and nature"),
    ("Sportas ir laisvalaikis", "Sport and leisure"),
    ("Socialinės paslaugos", "Social services"),
]

# slug -> list of (status, category index, language, title, summary, body, location, signatures)
INITIATIVES = {
    "kauno-rajonas": [
        ("published", 0, "lt", "Apšviesti pėsčiųjų taką nuo Garliavos iki Jonučių",
         "Vaikai ir senjorai žiemą eina tamsiu taku palei kelią – reikia šviestuvų.",
         "Takas nuo Garliavos centro iki Jonučių gyvenvietės yra apie 1,2 km ilgio. **Nuo lapkričio iki kovo** "
         "juo rytais ir vakarais eina moksleiviai, o šviestuvų nėra nė vieno.\n\n"
         "Siūlome:\n\n- įrengti LED šviestuvus kas 30 m;\n- įrengti bent du atšvaitus pėsčiųjų perėjoje;\n"
         "- šviestuvus jungti pagal apšvietimo jutiklį.", "Garliava, Jonučių g.", 41),
        ("submitted", 0, "lt", "Autobusų stotelė su stogine Akademijoje",
         "Prie Akademijos seniūnijos stotelės nėra kur pasislėpti nuo lietaus.",
         "Stotelėje „Akademija“ kasdien laukia dešimtys keleivių, tarp jų daug studentų ir senjorų. "
         "Prašome įrengti stoginę su suoliuku ir tvarkaraščio lenta.", "Akademija, Studentų g.", 0),
        ("changes_requested", 3, "lt", "Krepšinio aikštelė Raudondvaryje",
         "Raudondvario jaunimas neturi kur žaisti krepšinio.",
         "Siūlome įrengti krepšinio aikštelę prie mokyklos.", "Raudondvaris", 0),
        ("draft", 1, "lt", "Biblioteka atvira ir šeštadieniais",
         "Dirbantys žmonės negali ateiti į biblioteką darbo dienomis.",
         "Juodraštis: dar tikslinu, kiek lankytojų ateitų šeštadienį.", "Ringaudai", 0),
        ("rejected", 2, "lt", "Uždrausti visus lapų pūstuvus rajone",
         "Lapų pūstuvai triukšmauja ir teršia orą.",
         "Siūlome savivaldybės sprendimu uždrausti benzininius lapų pūstuvus visame rajone.", None, 0),
        ("withdrawn", 3, "en", "Outdoor gym by the Kaunas Lagoon in Samylai",
         "Simple outdoor exercise equipment along the lagoon walking path.",
         "I withdrew this one: the ward (seniūnija) already plans the same equipment next spring.", "Samylai", 3),
    ],
    "taurages-rajonas": [
        ("threshold_reached", 1, "lt", "Tauragės viešoji biblioteka – atvira šeštadieniais",
         "Šeštadieniais biblioteka uždaryta, nors tada turime daugiausia laisvo laiko.",
         "Prašome, kad centrinė biblioteka šeštadieniais dirbtų **nuo 10 iki 15 val.** Galima sutrumpinti "
         "pirmadienio darbo laiką, kai lankytojų mažiausia.", "Tauragė, Dariaus ir Girėno g.", 52),
        ("published", 2, "lt", "Sutvarkyti Jūros upės paplūdimį Tauragėje",
         "Paplūdimiui prie Jūros reikia persirengimo kabinų, šiukšliadėžių ir gelbėjimo rato.",
         "Vasarą paplūdimyje maudosi šimtai žmonių. Siūlome:\n\n1. dvi persirengimo kabinas;\n"
         "2. penkias šiukšliadėžes;\n3. gelbėjimo ratą ir informacinį stendą.", "Tauragė, Jūros upės pakrantė", 18),
        ("expired", 0, "lt", "Dviračių stovai prie Skaudvilės autobusų stoties",
         "Nėra kur saugiai palikti dviračio važiuojant autobusu.",
         "Siūlome įrengti 10 vietų dviračių stovą su stogeliu.", "Skaudvilė", 9),
    ],
    "jurbarko-rajonas": [
        ("answered", 3, "lt", "Nauja vaikų žaidimų aikštelė Jurbarko parke",
         "Senoji aikštelė prie piliakalnio surūdijusi ir pavojinga.",
         "Žaidimų aikštelė Jurbarko miesto parke įrengta prieš 20 metų. Sūpynės klibančios, smėlio dėžė "
         "neaptverta. Prašome įrengti naują aikštelę su minkšta danga ir pritaikyti ją vaikams su negalia.",
         "Jurbarkas, miesto parkas", 57),
        ("published", 0, "en", "A cycling path along the Nemunas from Jurbarkas to Seredžius",
         "Connect Jurbarkas and Seredžius with a safe cycle path along the river.",
         "Cyclists now ride on the busy road. A separate path along the Nemunas would serve both residents "
         "and visitors to the **Panemunė castles**. We ask the municipality to prepare a feasibility study "
         "and apply for EU funding.", "Jurbarkas – Seredžius", 14),
        ("submitted", 4, "lt", "Socialinis taksi senjorams iš kaimų",
         "Senjorai iš atokių kaimų negali nuvykti pas gydytoją.",
         "Siūlome, kad socialinis taksi važiuotų bent du kartus per savaitę iš Smalininkų ir Viešvilės.",
         "Smalininkai, Viešvilė", 0),
    ],
    "birzu-rajonas": [
        ("answered", 1, "lt", "Biržų pilies kiemas – atviras vakarais vasarą",
         "Pilies kiemas galėtų būti vasaros vakarų susitikimų vieta.",
         "Siūlome birželio–rugpjūčio mėnesiais Biržų pilies kiemą atidaryti iki 22 val. ir ten rengti "
         "nemokamus koncertus bei kino vakarus.", "Biržai, Biržų pilis", 61),
        ("published", 2, "lt", "Pėsčiųjų takas aplink Širvėnos ežerą",
         "Trūksta vieno takelio ruožo, kad aplink ežerą būtų galima apeiti ratu.",
         "Tarp Astravo dvaro ir tilto trūksta apie 800 m tako. Prašome jį įrengti ir pastatyti kelis suoliukus.",
         "Biržai, Širvėnos ežeras", 27),
        ("draft", 4, "lt", "Bendruomenės namai Papilyje",
         "Papilio bendruomenei reikia šildomų patalpų susitikimams.", "Rašau juodraštį.", "Papilys", 0),
    ],
    "zarasu-rajonas": [
        ("threshold_reached", 2, "lt", "Gelbėtojai Zarasaičio paplūdimyje vasarą",
         "Zarasaičio ežero paplūdimyje vasarą nėra gelbėtojų.",
         "Kasmet paplūdimyje maudosi tūkstančiai žmonių, atvyksta turistų. Prašome liepos–rugpjūčio mėnesiais "
         "savaitgaliais įdarbinti du gelbėtojus ir įrengti gelbėjimo postą.", "Zarasai, Zarasaičio paplūdimys", 55),
        ("published", 3, "en", "Bike and kayak rental at the Zarasai lakes",
         "A small municipal rental point for bikes and kayaks near the observation wheel.",
         "Visitors ask where they can rent a bike or a kayak. A seasonal rental point, run with a local NGO, "
         "would keep tourists longer in Zarasai.", "Zarasai, Didžioji sala", 11),
        ("rejected", 0, "lt", "Nutiesti greitkelį iš Zarasų į Vilnių",
         "Kelionė į Vilnių per ilga.", "Prašome nutiesti naują greitkelį iš Zarasų į Vilnių.", None, 0),
    ],
}

REJECTION_REASONS = {
    "Uždrausti visus lapų pūstuvus rajone": "Triukšmo ir prekybos draudimai nustatomi įstatymais, ne savivaldybės "
    "sprendimu. Siūlome iniciatyvą perrašyti: pvz., prašyti, kad savivaldybės įmonės naudotų elektrinius pūstuvus.",
    "Nutiesti greitkelį iš Zarasų į Vilnių": "Valstybinės reikšmės keliai yra Lietuvos automobilių kelių direkcijos, "
    "ne savivaldybės, kompetencija. Perdavėme jūsų pasiūlymą direkcijai.",
}
RESPONSES = {
    "Nauja vaikų žaidimų aikštelė Jurbarko parke": ("accepted",
        "Savivaldybė pritaria iniciatyvai. Nauja aikštelė su minkšta danga ir įranga vaikams su negalia "
        "įtraukta į 2027 m. biudžeto projektą; darbai numatyti iki 2027 m. birželio."),
    "Biržų pilies kiemas – atviras vakarais vasarą": ("partly_accepted",
        "Pilies kiemas vasarą bus atviras iki 21 val. penktadieniais ir šeštadieniais. Koncertai bus rengiami "
        "kartu su Biržų kultūros centru; kino vakarams ieškome rėmėjų."),
}
COMMENTS = [
    ("Pritariu! Mūsų seniūnijai to tikrai reikia, pasirašiau ir pakviečiau kaimynus.",
     "Ačiū už palaikymą – būtent dėl to ir rašiau."),
    ("Ar žinoma, kiek tai kainuotų? Būtų gerai pridėti bent apytikslę sąmatą.", None),
]


def _signers(municipality, code: str, count: int, password_hash: str, start: int) -> list[User]:
    users = []
    now = utcnow()
    for n in range(count):
        user = User(email=f"{code}.parasas{start + n}@talka.lt", name=f"Gyventojas {start + n}",
                    home_municipality_id=municipality.id, locale="lt", confirmed_at=now,
                    password_hash=password_hash, birth_year=1960 + n % 40)
        db.session.add(user)
        users.append(user)
    db.session.flush()
    return users


def seed_initiatives(context: dict) -> None:
    from app.accounts.models import _hasher  # one hash for every extra demo signer (seeding stays fast)

    password_hash = _hasher.hash(DEMO_PASSWORD)
    now = utcnow()
    for slug, items in INITIATIVES.items():
        m = context["municipalities"][slug]
        code = context["moderators"][slug].email.split("@")[0].split(".")[1]
        residents = context["residents"][slug]
        moderator = context["moderators"][slug]
        categories = []
        for position, (lt, en) in enumerate(CATEGORIES):
            category = Category(municipality_id=m.id, name_lt=lt, name_en=en, position=(position + 1) * 10)
            db.session.add(category)
            categories.append(category)
        db.session.flush()
        needed = max(n for *_rest, n in items)
        pool = residents + _signers(m, code, max(0, needed - len(residents)), password_hash, 1)
        for index, (status, cat, lang, title, summary, body, location, n_signatures) in enumerate(items):
            author = residents[index % len(residents)]
            age = 70 - index * 9  # days since the author started writing
            created = now - timedelta(days=age)
            i = Initiative(municipality_id=m.id, author_id=author.id, category_id=categories[cat].id,
                           language=lang, title=title, summary=summary, body=body, location=location,
                           status=status, version=1, created_at=created, updated_at=created)
            db.session.add(i)
            db.session.flush()
            db.session.add(InitiativeVersion(initiative_id=i.id, municipality_id=m.id, number=1, author_id=author.id,
                                             title=title, summary=summary, body=body, location=location,
                                             category_id=i.category_id, created_at=created))
            events = [("initiative.created", author, created, False, None)]
            if status != "draft":
                i.submitted_at = created + timedelta(days=1)
                events.append(("initiative.submitted", author, i.submitted_at, False, None))
            if status == "changes_requested":
                i.moderator_message = ("Nurodykite, prie kurios mokyklos ir kokio dydžio aikštelės reikia, "
                                       "ir ar sutinka mokyklos vadovybė.")
                events.append(("initiative.changes_requested", moderator, i.submitted_at + timedelta(days=2),
                               False, i.moderator_message))
            if status == "rejected":
                i.decided_at = i.closed_at = i.submitted_at + timedelta(days=3)
                i.rejection_reason = REJECTION_REASONS[title]
                events.append(("initiative.rejected", moderator, i.decided_at, True, i.rejection_reason))
            published = status in ("published", "threshold_reached", "answered", "expired", "withdrawn")
            if published:
                i.published_at = i.decided_at = i.submitted_at + timedelta(days=2)
                i.required_signatures = m.required_signatures()
                period = m.signature_period_days if status != "expired" else age - 5
                i.signature_deadline = i.published_at + timedelta(days=period)
                events.append(("initiative.approved", moderator, i.published_at, True, None))
                signers = pool[:n_signatures]
                for k, signer in enumerate(signers):
                    db.session.add(Signature(initiative_id=i.id, user_id=signer.id, municipality_id=m.id,
                                             show_name=k % 3 == 0,
                                             created_at=i.published_at + timedelta(hours=3 + k * 7)))
                i.signature_count = len(signers)
            if status in ("threshold_reached", "answered"):
                i.threshold_reached_at = i.published_at + timedelta(days=12)
                events.append(("initiative.threshold_reached", None, i.threshold_reached_at, True, None))
            if status == "answered":
                i.response_decision, i.response_text = RESPONSES[title]
                i.answered_at = i.threshold_reached_at + timedelta(days=9)
                i.responder_id = moderator.id
                events.append(("initiative.answered", moderator, i.answered_at, True, None))
            if status == "expired":
                i.closed_at = i.signature_deadline
                events.append(("initiative.expired", None, i.closed_at, True, None))
            if status == "withdrawn":
                i.closed_at = i.published_at + timedelta(days=6)
                events.append(("initiative.withdrawn", author, i.closed_at, True, None))
            for action, actor, when, public, reason in events:
                event = record(action, actor=actor, municipality=m, obj=i, public=public, reason=reason)
                event.created_at = when
            if index == 0 and published:
                _comments(m, i, residents, moderator)


def _comments(m, initiative, residents, moderator) -> None:
    when = initiative.published_at + timedelta(days=1)
    for k, (text, reply) in enumerate(COMMENTS):
        comment = Comment(municipality_id=m.id, target_type="initiative", target_id=initiative.id,
                          author_id=residents[(k + 1) % len(residents)].id, body=text,
                          created_at=when + timedelta(hours=k * 5))
        db.session.add(comment)
        db.session.flush()
        if reply:
            db.session.add(Comment(municipality_id=m.id, target_type="initiative", target_id=initiative.id,
                                   author_id=initiative.author_id, parent_id=comment.id, body=reply,
                                   created_at=comment.created_at + timedelta(hours=2)))
    rude = Comment(municipality_id=m.id, target_type="initiative", target_id=initiative.id,
                   author_id=residents[3].id, body="Visi, kurie už tai balsuoja, yra idiotai.",
                   created_at=when + timedelta(days=2))
    spam = Comment(municipality_id=m.id, target_type="initiative", target_id=initiative.id,
                   author_id=residents[4].id, body="Pigiausios statybinės medžiagos – mūsų e. parduotuvėje, skambinkite!",
                   created_at=when + timedelta(days=3))
    db.session.add_all([rude, spam])
    db.session.flush()
    db.session.add(Flag(municipality_id=m.id, target_type="comment", target_id=spam.id,
                        user_id=residents[0].id, reason="Reklama, ne diskusija.", created_at=when + timedelta(days=3)))
    db.session.add(Flag(municipality_id=m.id, target_type="comment", target_id=rude.id, user_id=residents[1].id,
                        reason="Įžeidinėja kitus.", created_at=when + timedelta(days=2), resolved_at=when + timedelta(days=2),
                        resolved_by_id=moderator.id, resolution="hidden"))
    rude.hidden_at, rude.hidden_by_id = when + timedelta(days=2, hours=1), moderator.id
    rude.hidden_reason = "Įžeidimai pažeidžia diskusijų taisykles. Galite išsakyti nuomonę be jų."
    event = record("discussion.hidden", actor=moderator, municipality=m, obj=rude, label=rude.title,
                   reason=rude.hidden_reason, public=True, target_type="comment")
    event.created_at = rude.hidden_at
