"""Shared helpers for the benchmark scripts: a private PostgreSQL schema and an app on it."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") \
    or "postgresql+psycopg://postgres@127.0.0.1:5432/talka_initiatives"
BENCH_SECRET = "benchmark-only-secret-not-used-anywhere-else"


def schema_url(base_url: str, schema: str) -> str:
    """The same database, but every table in ``schema`` (so that the tests' tables are untouched)."""
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options={quote('-csearch_path=' + schema)}"


def fresh_schema(base_url: str, schema: str) -> str:
    engine = create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"'))
    engine.dispose()
    return schema_url(base_url, schema)


def drop_schema(base_url: str, schema: str) -> None:
    engine = create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def make_app(url: str, tmp: Path):
    """An app on ``url`` with the schema built by the migrations (as in production)."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": BENCH_SECRET,
                      "OUTBOX_DIR": str(tmp / "outbox"), "WTF_CSRF_ENABLED": True})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
    return app


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
