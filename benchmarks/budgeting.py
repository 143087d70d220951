"""Benchmark: a participatory-budgeting process with 60 projects and 20,000 ballots.

Creates a fresh database (a temporary SQLite file, or a separate schema of the
PostgreSQL database named by --database-url), bulk-inserts the process, voters and
ballots, counts it under the configured rule and the side-by-side rules, renders the
results page through the test client, and prints the times.

    .venv/bin/python benchmarks/budgeting.py [--ballots 20000] [--projects 60] [--rule mes_cost_add1]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/talka_budgeting]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, insert, select, text  # noqa: E402

BATCH = 5_000


def _database(url: str | None, tmp: Path) -> str:
    if not url:
        return f"sqlite:///{tmp / 'bench.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS budgeting_bench CASCADE; CREATE SCHEMA budgeting_bench"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3Dbudgeting_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--projects", type=int, default=60)
    parser.add_argument("--rule", default="mes_cost_add1")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app
    from app.accounts.models import User
    from app.budgeting.models import (
        FEASIBLE, PBBallot, PBChoice, PBIdea, PBPot, PBProcess, PBVoter, new_ballot_id,
    )
    from app.budgeting.tally import tally_process
    from app.budgeting.voting import new_receipt_code, voter_key
    from app.core.models import utcnow
    from app.extensions import db
    from app.municipalities.models import Municipality

    tmp = Path(tempfile.mkdtemp(prefix="talka-bench-"))
    url = _database(args.database_url, tmp)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "OUTBOX_DIR": str(tmp / "outbox"),
                      "SERVER_NAME": None})
    rng = random.Random(2026)
    with app.app_context():
        t0 = time.perf_counter()
        upgrade()
        now = utcnow()
        m = Municipality(slug="bench", name_lt="Bandymų savivaldybė", name_en="Benchmark municipality",
                         population=250_000)
        db.session.add(m)
        db.session.flush()
        process = PBProcess(municipality_id=m.id, title_lt="Našumo bandymas", title_en="Benchmark",
                            ideas_open_at=now - timedelta(days=40), review_at=now - timedelta(days=30),
                            voting_open_at=now - timedelta(days=20), voting_close_at=now - timedelta(days=1),
                            ballot_type="approval", rule=args.rule)
        db.session.add(process)
        db.session.flush()
        budget = 1_000_000
        pot = PBPot(process_id=process.id, municipality_id=m.id, name_lt="Visa savivaldybė",
                    name_en="Whole municipality", budget=budget)
        db.session.add(pot)
        db.session.flush()
        projects = []
        for j in range(args.projects):
            cost = rng.choice([5_000, 10_000, 20_000, 35_000, 50_000, 80_000, 120_000, 200_000])
            projects.append(PBIdea(municipality_id=m.id, process_id=process.id, pot_id=pot.id,
                                   title=f"Projektas {j + 1}", description="…", estimated_cost=cost, final_cost=cost,
                                   status=FEASIBLE, reviewed_at=now))
        db.session.add_all(projects)
        db.session.commit()
        ids = [p.id for p in projects]
        # Popularity varies and voters form groups with different tastes, so rules differ.
        weights = [rng.random() ** 2 for _ in ids]
        db.session.execute(insert(User), [
            {"email": f"voter{i}@bench.talka.lt", "name": f"Voter {i}", "password_hash": "!", "locale": "lt",
             "home_municipality_id": m.id, "confirmed_at": now, "is_pilot_admin": False, "active": True,
             "created_at": now, "updated_at": now} for i in range(args.ballots)])
        user_ids = [uid for (uid,) in db.session.execute(select(User.id).order_by(User.id))]
        hour = now.replace(minute=0, second=0, microsecond=0)
        for start in range(0, len(user_ids), BATCH):
            chunk = user_ids[start:start + BATCH]
            db.session.execute(insert(PBVoter), [
                {"municipality_id": m.id, "pot_id": pot.id, "user_id": uid, "first_voted_at": now,
                 "last_voted_at": now} for uid in chunk])
            db.session.execute(insert(PBBallot), [
                {"id": new_ballot_id(), "municipality_id": m.id, "pot_id": pot.id, "voter_key": voter_key(pot.id, uid),
                 "receipt_code": new_receipt_code(), "is_paper": False, "cast_at": hour} for uid in chunk])
        ballot_ids = [bid for (bid,) in db.session.execute(select(PBBallot.id).order_by(PBBallot.id))]
        choices = []
        for bid in ballot_ids:
            group = bid % 3
            pool = ids[group * len(ids) // 3:] + ids[: group * len(ids) // 3]
            k = rng.randint(1, 8)
            picked = set(rng.choices(pool[: len(pool) * 2 // 3], weights=weights[: len(pool) * 2 // 3], k=k))
            choices.extend({"ballot_id": bid, "project_id": p, "value": 1} for p in picked)
        for start in range(0, len(choices), BATCH * 4):
            db.session.execute(insert(PBChoice), choices[start:start + BATCH * 4])
        db.session.commit()
        t_insert = time.perf_counter() - t0
        process = db.session.get(PBProcess, process.id)

        t1 = time.perf_counter()
        timings = tally_process(process)
        t_tally = time.perf_counter() - t1

        client = app.test_client()
        t2 = time.perf_counter()
        response = client.get(f"/bench/budgeting/{process.id}/results")
        t_render = time.perf_counter() - t2
        assert response.status_code == 200, response.status_code
        t3 = time.perf_counter()
        response = client.get(f"/bench/budgeting/{process.id}/pots/{pot.id}.pb")
        t_export = time.perf_counter() - t3
        assert response.status_code == 200
        size = len(response.data)
        db.session.remove()
        db.engine.dispose()

    print(f"database: {url.split('?')[0].split('@')[-1]}")
    print(f"{args.ballots} ballots, {args.projects} projects, {len(choices)} choices; official rule {args.rule}")
    print(f"setup and bulk insert:          {t_insert:7.2f} s")
    for name, seconds in timings[pot.id].items():
        print(f"  tally {name:<24} {seconds:7.2f} s")
    print(f"tally (all rules, stored):      {t_tally:7.2f} s")
    print(f"results page render:            {t_render:7.2f} s")
    print(f".pb export ({size // 1024} KiB):            {t_export:7.2f} s")


if __name__ == "__main__":
    main()
