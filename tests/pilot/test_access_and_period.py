"""Who may see which figures, and what a bad period gives."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.pilot.conftest import PERIOD

PILOT_ONLY = ["/pilot/", "/pilot/report", "/pilot/compare.csv", "/pilot/compare.json"]


@pytest.mark.parametrize("path", ["/compare", "/compare.csv", "/compare.json"])
def test_the_comparison_is_public(client, make, path):
    make.municipality()
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("path", PILOT_ONLY)
def test_pilot_pages_need_a_pilot_administrator(client, auth, make, path):
    m = make.municipality("a-miestas")
    assert client.get(path).status_code == 302  # visitor: sent to sign in
    auth.login(make.user(m, role="admin"))
    assert client.get(path).status_code == 403
    auth.logout()
    auth.login(make.user(None, pilot=True))
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("suffix", ["figures", "figures.csv", "figures.json"])
def test_municipal_figures_only_for_own_staff(client, auth, make, suffix):
    a = make.municipality("a-miestas")
    make.municipality("b-miestas")
    assert client.get(f"/a-miestas/{suffix}").status_code == 302
    auth.login(make.user(a))  # a resident
    assert client.get(f"/a-miestas/{suffix}").status_code == 403
    auth.logout()
    for role in ("moderator", "admin"):
        auth.login(make.user(a, role=role))
        assert client.get(f"/a-miestas/{suffix}").status_code == 200
        # another municipality's figures or exports: refused
        assert client.get(f"/b-miestas/{suffix}").status_code == 403
        auth.logout()
    auth.login(make.user(None, pilot=True))
    assert client.get(f"/b-miestas/{suffix}").status_code == 200


def test_municipal_figures_show_only_that_municipality(client, auth, make):
    a = make.municipality("a-miestas", name_lt="Alytaus r.")
    make.municipality("b-miestas", name_lt="Birštono sav.")
    auth.login(make.user(a, role="moderator"))
    html = client.get("/a-miestas/figures").get_data(as_text=True)
    assert "Alytaus r." in html and "Birštono sav." not in html
    data = client.get("/a-miestas/figures.json").get_json()
    assert [m["slug"] for m in data["municipalities"]] == ["a-miestas"]


@pytest.mark.parametrize("args, message_en, message_lt", [
    ({"start": "2026-03-31", "end": "2026-03-01"}, "The period is reversed", "Laikotarpis atvirkščias"),
    ({"start": "", "end": ""}, "Enter both the first and the last day", "Įveskite pirmąją ir paskutinę"),
    ({"start": "2026-03-01"}, "Enter both the first and the last day", "Įveskite pirmąją ir paskutinę"),
    ({"start": "kovo 1", "end": "2026-03-31"}, "Enter dates as YYYY-MM-DD", "Datas įveskite"),
    ({"start": "2026-02-30", "end": "2026-03-31"}, "Enter dates as YYYY-MM-DD", "Datas įveskite"),
    ({"start": "1990-01-01", "end": "2026-03-31"}, "between 2000-01-01 and 2100-12-31", "nuo 2000-01-01 iki 2100-12-31"),
])
def test_a_bad_period_is_explained_and_kept_in_the_form(client, make, args, message_en, message_lt):
    make.municipality()
    for lang, message in (("en", message_en), ("lt", message_lt)):
        response = client.get("/compare", query_string=args, headers={"Accept-Language": lang})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert message in html
        assert f'name="start" value="{args.get("start", "")}"' in html  # what the user typed
        assert 'aria-invalid="true"' in html
    csv_response = client.get("/compare.csv", query_string=args, headers={"Accept-Language": "en"})
    assert csv_response.status_code == 400 and message_en in csv_response.get_data(as_text=True)
    json_response = client.get("/compare.json", query_string=args, headers={"Accept-Language": "en"})
    assert json_response.status_code == 400 and message_en in json_response.get_json()["error"]


def test_default_period_is_the_last_twelve_months(client, make):
    make.municipality()
    data = client.get("/compare.json").get_json()
    assert len(data["months"]) == 12
    assert data["period"]["start"].endswith("-01")


def test_a_single_day_is_a_valid_period(client, make):
    make.municipality()
    response = client.get("/compare.json", query_string={"start": "2026-03-05", "end": "2026-03-05"})
    assert response.status_code == 200 and response.get_json()["months"] == ["2026-03"]


def _count_queries(client, path, **kwargs) -> int:
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path, **kwargs).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


@pytest.mark.parametrize("path", ["/pilot/", "/pilot/compare.json", "/compare"])
def test_query_count_does_not_grow_with_municipalities(client, auth, make, fake_metrics, path):
    auth.login(make.user(None, pilot=True))
    make.municipality()
    make.municipality()
    few = _count_queries(client, path, query_string=PERIOD)
    for _ in range(4):
        make.user(make.municipality())
    many = _count_queries(client, path, query_string=PERIOD)
    assert many == few
    # At most one aggregate and one monthly query per registered figure, plus page overhead.
    from app.core.metrics import METRICS

    assert few <= 2 * len(METRICS) + 10


def test_no_municipality_yet_is_not_an_error(client):
    assert client.get("/compare").status_code == 200
    assert client.get("/compare.json").get_json()["municipalities"] == []
    assert client.get("/compare.csv").status_code == 200


def test_population_zero_or_unknown_on_the_municipal_page(client, auth, make):
    m = make.municipality("a-miestas", population=0)
    auth.login(make.user(m, role="admin", locale="en"))
    html = client.get("/a-miestas/figures").get_data(as_text=True)
    assert "Population unknown" in html and "not available" in html
    assert client.get("/a-miestas/figures.json").get_json()["figures"][0]["per_1000"] == {"a-miestas": None}
