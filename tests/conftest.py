"""Fixtures for the whole suite.

The database is SQLite in a temporary file unless ``TEST_DATABASE_URL`` names another
(``.ci/run`` points it at PostgreSQL); the schema is built once per session and every
table is emptied after each test, so committed data from parallel requests is cleaned
up as well. Mail goes to a temporary outbox; it can never leave the machine.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.extensions import db, limiter
from tests.factories import Factories

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'talka-test.sqlite'}"


class TalkaClient(FlaskClient):
    """A test client that knows how to fetch a CSRF token, as a browser would."""

    def open(self, *args, **kwargs):
        # Each request gets its own app context (its own `g` and database session),
        # as in production, even though the test itself holds one.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()  # the test sees what the request committed
        return response

    def csrf_token(self) -> str:
        html = self.get("/").get_data(as_text=True)
        match = CSRF_RE.search(html)
        assert match, "no CSRF token on the home page"
        return match.group(1)

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("talka")
    url = database_url(root)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True} if url.startswith("sqlite") else
        {"pool_pre_ping": True, "pool_size": 20, "max_overflow": 40},
        "OUTBOX_DIR": str(root / "outbox"),
        "ARGON2_PARAMS": {"time_cost": 1, "memory_cost": 1024, "parallelism": 1},
        # The PostgreSQL run also uses the real Redis for rate limits, as production does.
        "RATELIMIT_STORAGE_URI": (os.environ.get("TEST_REDIS_URL") if os.environ.get("TEST_DATABASE_URL")
                                  else None) or "memory://",
        "SERVER_NAME": None,
    })
    app.test_client_class = TalkaClient
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"))
            db.session.commit()
        else:
            db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean(app):
    """A clean database, outbox and rate limiter for every test."""
    ctx = app.app_context()
    ctx.push()
    limiter.reset()
    yield
    db.session.rollback()
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
    outbox = Path(app.config["OUTBOX_DIR"])
    if outbox.exists():
        shutil.rmtree(outbox)
    ctx.pop()


@pytest.fixture
def client(app) -> TalkaClient:
    return app.test_client()


@pytest.fixture
def make(app) -> Factories:
    """Factories: make.municipality(), make.user(), …"""
    return Factories()


class AuthActions:
    def __init__(self, client: TalkaClient):
        self.client = client

    def login(self, user, password: str = Factories.PASSWORD):
        response = self.client.post_form("/account/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self.client.post_form("/account/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def is_postgres(app) -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def live_server(app):
    """The app served by a real threaded WSGI server on a free local port."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's Chromium (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Browser tests skipped: Debian's chromium is not installed (apt-get install chromium; .ci/run does).")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        context = browser.new_context(locale="lt-LT", base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
