"""Finding initiatives and the open data: filters, search, sorting, pages, constant queries."""
import csv
import io
from datetime import timedelta

from sqlalchemy import event

from app.core.models import utcnow
from app.extensions import db
from tests.initiatives.helpers import add_signatures, category, initiative


def _world(make):
    m = make.municipality("birzai")
    author = make.user(m)
    water = category(m, "Aplinka", "Environment")
    a = initiative(m, author, title="Takas aplink Širvėnos ežerą", summary="Trūksta 800 m tako.", days_left=3,
                   category_id=water.id)
    b = initiative(m, author, title="Pilies kiemas atviras vakarais", summary="Koncertai ir kinas.", days_left=60,
                   published_at=utcnow() - timedelta(days=1))
    c = initiative(m, author, status="rejected", title="Greitkelis į Vilnių", summary="Per ilga kelionė.")
    d = initiative(m, author, status="draft", title="Slaptas juodraštis", summary="Niekas nemato.")
    e = initiative(m, author, status="answered", title="Žaidimų aikštelė Papilyje", summary="Nauja aikštelė.")
    add_signatures(a, [make.user(m) for _ in range(2)], show_name=True)
    add_signatures(e, [make.user(m, name="Slaptas Pasirašęs")], show_name=False)
    return m, a, b, c, d, e


def test_filters_search_and_sorting(client, make):
    m, a, b, c, d, e = _world(make)
    html = client.get("/birzai/initiatives/").get_data(as_text=True)
    assert "Rastos 4 iniciatyvos" in html and "Slaptas juodraštis" not in html
    html = client.get("/birzai/initiatives/?status=rejected").get_data(as_text=True)
    assert "Greitkelis į Vilnių" in html and "Pilies kiemas" not in html
    html = client.get("/birzai/initiatives/?status=open").get_data(as_text=True)
    assert "Takas aplink" in html and "Pilies kiemas" in html and "Žaidimų aikštelė" not in html
    html = client.get(f"/birzai/initiatives/?category={a.category_id}").get_data(as_text=True)
    assert "Rasta 1 iniciatyva" in html
    html = client.get("/birzai/initiatives/?q=ŠIRVĖNOS").get_data(as_text=True)
    assert "Takas aplink" in html and "Pilies kiemas" not in html
    html = client.get("/birzai/initiatives/?q=koncertai").get_data(as_text=True)  # summary
    assert "Pilies kiemas" in html and "Rasta 1 iniciatyva" in html
    html = client.get("/birzai/initiatives/?q=100%25").get_data(as_text=True)  # % is literal
    assert "Rasta 0 iniciatyvų" in html
    signed = client.get("/birzai/initiatives/?sort=signed").get_data(as_text=True)
    assert signed.index("Takas aplink") < signed.index("Žaidimų aikštelė") < signed.index("Pilies kiemas")
    closing = client.get("/birzai/initiatives/?sort=closing").get_data(as_text=True)
    assert closing.index("Takas aplink") < closing.index("Pilies kiemas") < closing.index("Greitkelis")
    english = client.get("/birzai/initiatives/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "4 initiatives found" in english and "Collecting signatures" in english


def test_pagination_and_constant_number_of_queries(client, make):
    m = make.municipality("zarasai")
    author = make.user(m)
    cat = category(m)

    def count_queries(url):
        statements = []

        def listener(*args):
            statements.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = client.get(url)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    for n in range(3):
        initiative(m, author, title=f"Iniciatyva {n:02d}", category_id=cat.id)
    few, _ = count_queries("/zarasai/initiatives/")
    for n in range(3, 45):
        initiative(m, author, title=f"Iniciatyva {n:02d}", category_id=cat.id)
    many, html = count_queries("/zarasai/initiatives/")
    assert many == few
    assert "1 puslapis iš 3" in html
    _, page3 = count_queries("/zarasai/initiatives/?page=3")
    assert "Iniciatyva 00" in page3 and "Iniciatyva 44" not in page3


def test_open_data_json_and_csv(client, make):
    m, a, b, c, d, e = _world(make)
    data = client.get("/birzai/initiatives.json").get_json()
    titles = {row["title"]: row for row in data["initiatives"]}
    assert set(titles) == {a.title, b.title, c.title, e.title}
    assert titles[a.title]["signature_count"] == 2 and titles[a.title]["required_signatures"] == 3
    assert len(titles[a.title]["signers_shown"]) == 2
    assert titles[e.title]["signers_shown"] == [] and titles[e.title]["answered_at"]
    assert titles[c.title]["status"] == "rejected" and titles[c.title]["rejection_reason"]
    body = client.get("/birzai/initiatives.json").get_data(as_text=True)
    assert "Slaptas Pasirašęs" not in body and "@" not in body
    response = client.get("/birzai/initiatives.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert {r["title"] for r in rows} == set(titles)
    assert "Slaptas Pasirašęs" not in response.get_data(as_text=True)


def test_home_page_figure(client, make):
    _world(make)
    assert "4 pilietinės iniciatyvos" in client.get("/birzai/").get_data(as_text=True)
