"""Each figure computed right on the hand-built data set (tests/pilot/conftest.py)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from app.pilot.period import Period
from app.pilot.services import best_of, compare, per_1000
from tests.pilot.conftest import PERIOD

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


def _rows(comparison):
    return {row.key: row for row in comparison.rows}


def test_foundation_and_test_figures_for_march(dataset, fake_metrics):
    a, b, c, d = (dataset[k] for k in "abcd")
    rows = _rows(compare([a, b, c, d], MARCH, public_only=False))

    def values(key):
        return [rows[key].values[m.id] for m in (a, b, c, d)]

    def best(key):
        return {m.slug for m in (a, b, c, d) if m.id in rows[key].best}

    assert values("residents.registered") == [4, 1, 0, 2]
    assert best("residents.registered") == {"alytus"}
    # per 1,000 inhabitants: population 0 and unknown are "not available"
    assert values("residents.registered.per_1000") == [0.4, None, None, 0.1]
    assert best("residents.registered.per_1000") == {"alytus"}
    assert values("residents.confirmed") == [3, 0, 0, 2]
    assert values("residents.confirmed.per_1000") == [0.3, None, None, 0.1]
    # moderation actions: public audit events only; no "best" (better=None)
    assert values("moderation.actions") == [2, 0, 0, 1]
    assert best("moderation.actions") == set()
    # days, less is better, a tie marks both; a missing value stays not available
    assert values("test.days") == [2.5, 7.4, None, 2.5]
    assert best("test.days") == {"alytus", "dusetos"}
    # percent, rounded to one decimal
    assert values("test.turnout") == [12.5, 40.0, 0.0, 33.3]
    assert best("test.turnout") == {"birzai"}
    # a count with no row for a municipality is 0; every value zero marks none
    assert values("test.private") == [3, 1, 0, 0]
    assert values("test.zero") == [0, 0, 0, 0]
    assert best("test.zero") == set()


def test_monthly_series(dataset):
    a, b, c, d = (dataset[k] for k in "abcd")
    feb_to_apr = Period(date(2026, 2, 1), date(2026, 4, 30))
    comparison = compare([a, b, c, d], feb_to_apr, public_only=True)
    assert comparison.months == ["2026-02", "2026-03", "2026-04"]
    series = comparison.series["residents.registered"]
    assert series[a.id] == [1, 4, 1]
    assert series[b.id] == [0, 1, 0]
    assert series[c.id] == [0, 0, 0]
    assert series[d.id] == [0, 2, 0]
    assert comparison.series["residents.confirmed"][a.id] == [0, 3, 0]
    assert comparison.series["moderation.actions"][a.id] == [1, 2, 0]
    assert comparison.series["moderation.actions"][d.id] == [0, 1, 0]
    # additive counts: the period total is the sum of the months
    totals = {row.key: row.values for row in comparison.rows}
    assert totals["moderation.actions"][a.id] == 3 and totals["residents.confirmed"][a.id] == 3


def test_a_period_without_activity_gives_zeros(dataset):
    a, b, c, d = (dataset[k] for k in "abcd")
    rows = _rows(compare([a, b, c, d], Period(date(2020, 1, 1), date(2020, 1, 31)), public_only=False))
    assert [rows["residents.registered"].values[m.id] for m in (a, b, c, d)] == [0, 0, 0, 0]
    assert rows["residents.registered"].best == set()
    assert [rows["residents.registered.per_1000"].values[m.id] for m in (a, b, c, d)] == [0.0, None, None, 0.0]


def test_private_metrics_stay_off_the_public_comparison(dataset, fake_metrics):
    keys = {row.key for row in compare(list(dataset.values()), MARCH, public_only=True).rows}
    assert "test.turnout" in keys and "test.private" not in keys


@pytest.mark.parametrize("values, better, expected", [
    ({1: 5, 2: 3, 3: 5}, "higher", {1, 3}),
    ({1: 5, 2: 3, 3: None}, "lower", {2}),
    ({1: 0, 2: 0}, "higher", set()),
    ({1: 0, 2: 0}, "lower", set()),
    ({1: 4, 2: 9}, None, set()),
    ({1: 4, 2: None}, "higher", set()),   # nothing to compare with
    ({1: 8, 2: 8, 3: 8}, "higher", set()),  # everyone equal: marking the whole row says nothing
])
def test_best_of(values, better, expected):
    assert best_of(values, better) == expected


@pytest.mark.parametrize("population", [0, None])
def test_per_1000_not_available_without_population(population):
    assert per_1000(5, population) is None
    assert per_1000(5, 2500) == 2.0


def _cell(html: str, key: str, slug: str) -> re.Match:
    match = re.search(rf'<td class="num( best)?" data-key="{re.escape(key)}" data-municipality="{slug}"\s+'
                      rf'data-value="([^"]*)">(.*?)</td>', html, re.S)
    assert match, (key, slug)
    return match


def test_the_page_shows_the_figures_and_marks_the_best_with_text(client, dataset, fake_metrics):
    html = client.get("/compare", query_string=PERIOD, headers={"Accept-Language": "en"}).get_data(as_text=True)
    cell = _cell(html, "residents.registered", "alytus")
    assert cell.group(1) == " best" and cell.group(2) == "4" and ">best<" in cell.group(3)
    assert _cell(html, "residents.registered", "birzai").group(1) is None
    unknown = _cell(html, "residents.registered.per_1000", "ciobiskis")
    assert unknown.group(2) == "" and "not available" in unknown.group(3) and "—" in unknown.group(3)
    assert "7.4" in _cell(html, "test.days", "birzai").group(3)
    assert "33.3 %" in _cell(html, "test.turnout", "dusetos").group(3)
    assert "Private count" not in html
    # the definitions and the period are on the page
    assert "What the figures count" in html and "Test: percent." in html
    assert "From 2026-03-01 to 2026-03-31" in html
    assert "Per-capita figures are not available for Biržai district, Čiobiškis" in html


def test_the_page_in_lithuanian(client, dataset):
    html = client.get("/compare", query_string=PERIOD, headers={"Accept-Language": "lt"}).get_data(as_text=True)
    assert "Palyginti savivaldybes" in html
    assert "1 000 gyventojų" in html
    assert "Nuo 2026-03-01 iki 2026-03-31" in html
    assert "geriausia" in html


@pytest.mark.parametrize("created, month", [
    ((2026, 3, 31, 20, 30), "2026-03"),   # 23:30 summer time
    ((2026, 3, 31, 21, 30), "2026-04"),   # 00:30 summer time
    ((2026, 1, 31, 21, 30), "2026-01"),   # 23:30 winter time
    ((2026, 1, 31, 22, 30), "2026-02"),   # 00:30 winter time
    ((2026, 10, 31, 21, 30), "2026-10"),  # 23:30, summer time ended on 25 October
    ((2026, 10, 31, 22, 0), "2026-11"),
    ((2026, 6, 15, 12, 0), "2026-06"),
])
def test_month_bucket_is_the_lithuanian_month(make, created, month):
    from datetime import datetime, timezone

    from sqlalchemy import select

    from app.accounts.models import User
    from app.core.metrics import month_bucket
    from app.extensions import db

    user = make.user(make.municipality())
    user.created_at = datetime(*created, tzinfo=timezone.utc)
    db.session.commit()
    assert db.session.execute(select(month_bucket(User.created_at)).where(User.id == user.id)).scalar() == month


from hypothesis import given, strategies as st  # noqa: E402


@given(st.dictionaries(st.integers(1, 8), st.one_of(st.none(), st.integers(0, 50)), max_size=6),
       st.sampled_from(["higher", "lower", None]))
def test_best_of_marks_exactly_the_extreme_values(values, better):
    best = best_of(values, better)
    known = [v for v in values.values() if v is not None]
    if better is None or len(set(known)) < 2:
        assert best == set()
    else:
        target = max(known) if better == "higher" else min(known)
        assert best == {k for k, v in values.items() if v == target}


@pytest.mark.parametrize("threads", [1, 3])
def test_parallel_queries_give_the_same_comparison(app, dataset, fake_metrics, threads, monkeypatch):
    monkeypatch.setitem(app.config, "PILOT_QUERY_THREADS", threads)
    comparison = compare(list(dataset.values()), MARCH, public_only=False)
    rows = _rows(comparison)
    assert [rows["residents.registered"].values[dataset[k].id] for k in "abcd"] == [4, 1, 0, 2]
    assert [rows["test.days"].values[dataset[k].id] for k in "abcd"] == [2.5, 7.4, None, 2.5]
    assert comparison.series["residents.registered"][dataset["a"].id] == [4]


def test_an_additive_count_is_the_sum_of_its_months(dataset, restore_registry):
    from sqlalchemy import func, select

    from app.accounts.models import User
    from app.core.metrics import Metric, grouped_monthly, month_bucket, register_metric

    def never(ids, start, end):
        raise AssertionError("an additive metric's total comes from its months")

    def monthly(ids, start, end):
        month = month_bucket(User.created_at)
        return grouped_monthly(
            select(User.home_municipality_id, month, func.count(User.id))
            .where(User.home_municipality_id.in_(ids), User.created_at >= start, User.created_at < end)
            .group_by(User.home_municipality_id, month))

    register_metric(Metric(key="test.additive", group="Test", label="Additive", definition="Test.",
                           compute=never, monthly=monthly, additive=True))
    a, b, c, d = (dataset[k] for k in "abcd")
    period = Period(date(2026, 2, 1), date(2026, 3, 31))
    rows = _rows(compare([a, b, c, d], period, public_only=True))
    assert [rows["test.additive"].values[m.id] for m in (a, b, c, d)] == [5, 1, 0, 2]
    assert [rows["residents.registered"].values[m.id] for m in (a, b, c, d)] == [5, 1, 0, 2]
