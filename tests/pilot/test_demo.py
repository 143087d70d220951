"""The demo data gives the comparison a year of differing trends."""
from __future__ import annotations

from app.demo import seed


def test_demo_seed_fills_the_comparison(client):
    seed()
    data = client.get("/compare.json").get_json()
    registered = next(f for f in data["figures"] if f["key"] == "residents.registered")
    assert len(registered["values"]) == 5 and all(v > 30 for v in registered["values"].values())
    months_with_registrations = {month for series in registered["monthly"].values()
                                 for month, value in series.items() if value}
    assert len(months_with_registrations) >= 10
    assert registered["best_per_1000"] == ["zarasu-rajonas"]


def test_report_shows_top_initiatives_and_pb_winners_of_the_demo(client, auth, make):
    from app.budgeting.models import PBIdea, PBResult
    from app.extensions import db
    from app.initiatives.models import Initiative

    seed()
    kaunas = db.session.execute(db.text("SELECT id FROM municipalities WHERE slug='kauno-rajonas'")).scalar_one()
    official = db.session.execute(db.select(PBResult).filter_by(municipality_id=kaunas, official=True)).scalars().first()
    winner = db.session.get(PBIdea, int(official.outcome["selected"][0]))
    most_signed = db.session.execute(
        db.select(Initiative).filter_by(municipality_id=kaunas).where(Initiative.published_at.is_not(None),
                                                                      Initiative.hidden_at.is_(None))
        .order_by(Initiative.signature_count.desc(), Initiative.id)).scalars().first()
    auth.login(make.user(None, pilot=True))
    html = client.get("/pilot/report").get_data(as_text=True)
    page = html.split('id="report-kauno-rajonas"', 1)[1].split('class="page-break report-page"', 1)[0]
    assert "Daugiausia pasirašytos pilietinės iniciatyvos" in page
    assert "Laimėję dalyvaujamojo biudžeto projektai" in page
    from markupsafe import escape

    assert str(escape(winner.title)) in page and str(escape(most_signed.title)) in page
