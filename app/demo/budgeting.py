"""Demo participatory budgeting: a finished process in Kaunas district (with results where
Equal Shares and the usual greedy count differ), voting under way in Zarasai, and idea
submission open in Biržai."""
from __future__ import annotations

from datetime import timedelta

from app.accounts.models import User
from app.budgeting.models import (
    FEASIBLE, INFEASIBLE, MERGED, PBBallot, PBChoice, PBIdea, PBPot, PBProcess, PBSupport, PBVoter,
)
from app.budgeting.tally import tally_process
from app.budgeting.voting import new_receipt_code, voter_key
from app.core.audit import record
from app.core.models import utcnow
from app.extensions import db

# Demo voters cannot sign in: their password hash is not a hash.
NO_LOGIN = "!demo-voter-cannot-sign-in"


def _voters(municipality, code: str, n: int, start_year: int = 1950) -> list[User]:
    users = [User(email=f"balsuotojas{i + 1:03d}.{code}@demo.talka.lt", name=f"Demo balsuotojas {i + 1}",
                  password_hash=NO_LOGIN, home_municipality_id=municipality.id, confirmed_at=utcnow(),
                  locale="lt", birth_year=start_year + (i * 7) % 55)
             for i in range(n)]
    db.session.add_all(users)
    db.session.flush()
    return users


def _process(municipality, days: tuple[int, int, int, int], **fields) -> PBProcess:
    now = utcnow()
    a, b, c, d = days
    process = PBProcess(municipality_id=municipality.id, ideas_open_at=now + timedelta(days=a),
                        review_at=now + timedelta(days=b), voting_open_at=now + timedelta(days=c),
                        voting_close_at=now + timedelta(days=d), **fields)
    db.session.add(process)
    db.session.flush()
    return process


def _pot(process, name_lt, name_en, budget, position=0) -> PBPot:
    pot = PBPot(process_id=process.id, municipality_id=process.municipality_id, name_lt=name_lt, name_en=name_en,
                budget=budget, position=position)
    db.session.add(pot)
    db.session.flush()
    return pot


def _idea(process, pot, author, title, description, location, cost, status=FEASIBLE, reason=None,
          final_cost=None) -> PBIdea:
    idea = PBIdea(municipality_id=process.municipality_id, process_id=process.id, pot_id=pot.id,
                  author_id=author.id if author else None, title=title, description=description, location=location,
                  estimated_cost=cost, contact=author.email if author else "", status=status,
                  review_reason=reason or ("Įgyvendinama savivaldybės žemėje; sąmata patikslinta."
                                           if status == FEASIBLE else None),
                  final_cost=(final_cost or cost) if status == FEASIBLE else None,
                  reviewed_at=(process.review_at + timedelta(days=5)) if status != "submitted" else None,
                  created_at=min(process.ideas_open_at + timedelta(days=3), utcnow()))
    db.session.add(idea)
    db.session.flush()
    return idea


def _cast(process, pot, voters, groups, moment) -> None:
    """Record ballots as cast_ballot() does (voter row + keyed, anonymous ballot), in bulk."""
    it = iter(voters)
    for count, projects in groups:
        for _ in range(count):
            user = next(it)
            db.session.add(PBVoter(municipality_id=process.municipality_id, pot_id=pot.id, user_id=user.id,
                                   first_voted_at=moment, last_voted_at=moment))
            ballot = PBBallot(municipality_id=process.municipality_id, pot_id=pot.id,
                              voter_key=voter_key(pot.id, user.id), receipt_code=new_receipt_code(),
                              is_paper=False, cast_at=moment.replace(minute=0, second=0, microsecond=0))
            db.session.add(ballot)
            db.session.flush()
            db.session.add_all(PBChoice(ballot_id=ballot.id, project_id=p.id, value=v) for p, v in projects)


def _paper(process, pot, moderator, municipality, groups, moment) -> None:
    serial = 0
    for count, projects in groups:
        for _ in range(count):
            serial += 1
            ballot = PBBallot(municipality_id=process.municipality_id, pot_id=pot.id, voter_key=None,
                              receipt_code=new_receipt_code(), is_paper=True, paper_serial=f"B-{serial:04d}",
                              cast_at=moment.replace(minute=0, second=0, microsecond=0))
            db.session.add(ballot)
            db.session.flush()
            db.session.add_all(PBChoice(ballot_id=ballot.id, project_id=p.id, value=v) for p, v in projects)
            record("pb.paper_ballot_entered", actor=moderator, municipality=municipality, obj=pot,
                   label=f"{process.title_lt}: {pot.name_lt}", public=True, serial=ballot.paper_serial,
                   receipt=ballot.receipt_code)


def _kaunas(context) -> None:
    m = context["municipalities"]["kauno-rajonas"]
    residents = context["residents"]["kauno-rajonas"]
    moderator = context["moderators"]["kauno-rajonas"]
    process = _process(
        m, (-80, -50, -30, -2),
        title_lt="Kauno rajono dalyvaujamasis biudžetas 2026", title_en="Kaunas District participatory budget 2026",
        description_lt="Gyventojai pasiūlė, kaip panaudoti **180 000 €**: visai savivaldybei ir Garliavos "
                       "seniūnijai. Balsai suskaičiuoti Lygių dalių metodu, kad lėšos tektų ne tik didžiausiai "
                       "gyventojų grupei.",
        description_en="Residents proposed how to spend **€180,000**: for the whole municipality and for "
                       "Garliava eldership. The votes were counted with the Method of Equal Shares, so that the "
                       "money does not all go to the largest group of voters.",
        ballot_type="approval", rule="mes_cost_add1")
    whole = _pot(process, "Visa savivaldybė", "Whole municipality", 150_000)
    garliava = _pot(process, "Garliavos seniūnija", "Garliava eldership", 30_000, 1)
    r = residents
    p1 = _idea(process, whole, r[0], "Apšvietimas Garliavos stadione",
               "LED apšvietimas stadione, kad vakarais būtų galima sportuoti ir rudenį.",
               "Garliava, Vytauto g.", 60_000)
    p2 = _idea(process, whole, r[1], "Dviračių takas Akademija–Ringaudai",
               "2 km dviračių ir pėsčiųjų takas tarp Akademijos ir Ringaudų.", "Akademija – Ringaudai", 75_000,
               final_cost=80_000)
    p3 = _idea(process, whole, r[2], "Vaikų žaidimų aikštelė Domeikavoje",
               "Saugi žaidimų aikštelė su smėlio dėže ir sūpuoklėmis šalia mokyklos.", "Domeikava", 35_000)
    p4 = _idea(process, whole, r[3], "Vilkijos bendruomenės namų remontas",
               "Atnaujinti bendruomenės namų salę ir virtuvėlę renginiams.", "Vilkija", 45_000)
    p5 = _idea(process, whole, r[4], "Poilsio zona prie Kauno marių",
               "Suoliukai, stalai ir informaciniai stendai prie marių pakrantės.", "Kulautuva", 25_000)
    p6 = _idea(process, whole, r[5], "Vaikų skaitykla Zapyškio bibliotekoje",
               "Jauki skaitykla su knygomis ir stalo žaidimais vaikams.", "Zapyškis", 15_000)
    p7 = _idea(process, whole, r[0], "Autobusų stotelių stogeliai Raudondvaryje",
               "Trys stogeliai su suoliukais dažniausiai naudojamose stotelėse.", "Raudondvaris", 30_000)
    dup = _idea(process, whole, r[1], "Takas dviratininkams iš Akademijos į Ringaudus",
                "Dviračių takas, kad vaikai saugiai nuvažiuotų į mokyklą.", "Akademija", 70_000, status=MERGED,
                reason="Tas pats pasiūlymas kaip „Dviračių takas Akademija–Ringaudai“.")
    dup.merged_into_id = p2.id
    _idea(process, whole, r[2], "Tiltas per Nemuną Kulautuvoje",
          "Pėsčiųjų tiltas per Nemuną.", "Kulautuva", 140_000, status=INFEASIBLE,
          reason="Tiltas kainuotų kelis milijonus eurų ir reikalauja valstybės leidimų; dalyvaujamojo biudžeto "
                 "lėšų tam nepakanka.")
    g1 = _idea(process, garliava, r[3], "Garliavos parko takų atnaujinimas",
               "Nauja danga pagrindiniuose parko takuose.", "Garliavos parkas", 20_000)
    g2 = _idea(process, garliava, r[4], "Lauko treniruokliai prie Jonučių mokyklos",
               "Šeši lauko treniruokliai visų amžių gyventojams.", "Jonučiai", 12_000)
    g3 = _idea(process, garliava, r[5], "Suoliukai ir šiukšliadėžės Garliavos centre",
               "Dešimt suoliukų ir šiukšliadėžių.", "Garliava", 8_000)
    voters = _voters(m, "kaunas", 180)
    moment = utcnow() - timedelta(days=10)
    _cast(process, whole, voters, [
        (70, [(p1, 1), (p2, 1)]),
        (30, [(p1, 1), (p2, 1), (p3, 1)]),
        (35, [(p4, 1), (p6, 1)]),
        (25, [(p5, 1), (p7, 1), (p6, 1)]),
        (20, [(p3, 1), (p5, 1)]),
    ], moment)
    _cast(process, garliava, voters[:60], [
        (30, [(g1, 1)]), (18, [(g2, 1), (g3, 1)]), (12, [(g1, 1), (g3, 1)]),
    ], moment)
    _paper(process, whole, moderator, m, [(8, [(p4, 1), (p6, 1)]), (4, [(p1, 1)])], moment)
    for user in residents[:4]:
        db.session.add(PBSupport(idea_id=p6.id, user_id=user.id))
    db.session.flush()
    tally_process(process, context["admins"]["kauno-rajonas"])


def _zarasai(context) -> None:
    m = context["municipalities"]["zarasu-rajonas"]
    residents = context["residents"]["zarasu-rajonas"]
    moderator = context["moderators"]["zarasu-rajonas"]
    process = _process(
        m, (-40, -20, -3, 11),
        title_lt="Zarasų krašto idėjos 2027", title_en="Zarasai ideas 2027",
        description_lt="Balsuokite už projektus prie ežerų ir miestelių bendruomenėms. Pasirinkite projektus, "
                       "kurių bendra kaina telpa į **80 000 €** fondą.",
        description_en="Vote for projects by the lakes and for the small-town communities. Choose projects whose "
                       "total cost fits the **€80,000** pot.",
        ballot_type="knapsack", rule="mes_cost_add1", min_age=16)
    pot = _pot(process, "Visa savivaldybė", "Whole municipality", 80_000)
    r = residents
    z1 = _idea(process, pot, r[0], "Prieplauka Zarasaičio ežero paplūdimyje",
               "Medinė prieplauka valtims ir maudynėms.", "Zarasaičio ežeras", 25_000)
    z2 = _idea(process, pot, r[1], "Didžiosios salos apžvalgos aikštelės apšvietimas",
               "Šviestuvai prie apžvalgos ratų ir takų Didžiojoje saloje.", "Didžioji sala, Zarasai", 18_000)
    z3 = _idea(process, pot, r[2], "Lankytojų takas prie Stelmužės ąžuolo",
               "Medinis takas ir informacinis stendas, kad šaknys būtų apsaugotos.", "Stelmužė", 30_000)
    z4 = _idea(process, pot, r[3], "Dusetų bibliotekos lauko skaitykla",
               "Pavėsinė su suoliukais ir knygų spinta.", "Dusetos", 12_000)
    z5 = _idea(process, pot, r[4], "Antazavės bendruomenės namų šildymas",
               "Šilumos siurblys, kad namai būtų atviri ir žiemą.", "Antazavė", 22_000)
    _idea(process, pot, r[5], "Baseinas Zarasuose", "Dengtas baseinas.", "Zarasai", 2_000_000 // 40,
          status=INFEASIBLE, reason="Baseino statyba ir išlaikymas gerokai viršija fondą.")
    voters = _voters(m, "zarasai", 45)
    _cast(process, pot, voters, [
        (15, [(z1, 1), (z2, 1), (z4, 1)]), (12, [(z3, 1), (z5, 1)]), (10, [(z1, 1), (z3, 1), (z4, 1)]),
        (8, [(z2, 1), (z4, 1), (z5, 1)]),
    ], utcnow() - timedelta(days=1))
    _paper(process, pot, moderator, m, [(3, [(z5, 1), (z4, 1)])], utcnow() - timedelta(days=1))


def _birzai(context) -> None:
    m = context["municipalities"]["birzu-rajonas"]
    residents = context["residents"]["birzu-rajonas"]
    process = _process(
        m, (-5, 20, 35, 55),
        title_lt="Biržų dalyvaujamasis biudžetas 2027", title_en="Biržai participatory budget 2027",
        description_lt="Siūlykite, kaip pagerinti Biržų kraštą: nuo pilies parko iki kaimų bendruomenių.",
        description_en="Propose how to improve the Biržai area: from the castle park to village communities.",
        ballot_type="k_approval", max_choices=3, rule="greedy_cost")
    pot = _pot(process, "Visa savivaldybė", "Whole municipality", 60_000)
    b1 = _idea(process, pot, residents[0], "Suoliukai Biržų pilies parke",
               "Daugiau suoliukų ir šiukšliadėžių prie Širvėnos ežero pakrantės.", "Biržų pilies parkas", 9_000,
               status="submitted")
    _idea(process, pot, residents[1], "Pažintinis takas prie karstinių įgriuvų",
          "Takas su stendais apie karstą Kirkilų apylinkėse.", "Kirkilai", 28_000, status="submitted")
    for user in residents[2:5]:
        db.session.add(PBSupport(idea_id=b1.id, user_id=user.id))


def seed_budgeting(context: dict) -> None:
    """Participatory budgeting demo in three municipalities."""
    _kaunas(context)
    _zarasai(context)
    _birzai(context)
    db.session.commit()
