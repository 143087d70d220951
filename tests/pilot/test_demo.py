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
