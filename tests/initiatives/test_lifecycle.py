"""The whole life of an initiative through the web client, as people would use it."""

from sqlalchemy import func, select

from app.core.audit import AuditEvent
from app.core.mail import read_outbox
from app.extensions import db
from app.initiatives.models import Initiative, InitiativeVersion
from tests.initiatives.helpers import category


def _only(model):
    return db.session.execute(select(model)).scalar_one()


def test_propose_moderate_sign_threshold_answer(app, client, auth, make):
    m = make.municipality("kaunas", signature_threshold=2, signature_threshold_percent=None,
                          signature_period_days=60)
    roads = category(m)
    author = make.user(m, name="Rūta Autorė", locale="lt")
    moderator = make.user(m, role="moderator", locale="en", email="mod@example.lt")
    signer1, signer2 = make.user(m, locale="en"), make.user(m, locale="lt")

    # 1. The author writes a draft, edits it (a new version) and submits it.
    auth.login(author)
    response = client.post_form("/kaunas/initiatives/new", {
        "title": "Apšviesti taką prie Garliavos mokyklos", "summary": "Vaikai žiemą eina tamsoje.",
        "body": "Prašome įrengti **šviestuvus**.", "category_id": str(roads.id), "language": "lt",
        "location": "Garliava", "links": "https://www.krs.lt/"})
    assert response.status_code == 303
    initiative = _only(Initiative)
    assert initiative.status == "draft" and initiative.version == 1
    url = f"/kaunas/initiatives/{initiative.id}"
    assert client.get(url).status_code == 200
    response = client.post_form(f"{url}/edit", {
        "title": "Apšviesti taką prie Garliavos gimnazijos", "summary": "Vaikai žiemą eina tamsoje.",
        "body": "Prašome įrengti **šviestuvus** ir suoliukus.", "category_id": str(roads.id), "language": "lt",
        "location": "Garliava", "links": ""})
    assert response.status_code == 303
    assert db.session.execute(select(func.count(InitiativeVersion.id))).scalar() == 2
    assert "Versija 1" in client.get(f"{url}/versions").get_data(as_text=True)
    assert client.post_form(f"{url}/submit").status_code == 303
    auth.logout()

    # Not public before moderation.
    assert client.get(url).status_code == 404

    # 2. The moderator sees it in the queue, asks for changes; the author corrects and resubmits.
    auth.login(moderator)
    queue = client.get("/kaunas/initiatives/moderation").get_data(as_text=True)
    assert "Apšviesti taką prie Garliavos gimnazijos" in queue
    client.post_form(f"{url}/moderation/changes", {"message": "Nurodykite tikslią vietą."})
    assert db.session.get(Initiative, initiative.id).status == "changes_requested"
    auth.logout()
    assert any("Nurodykite tikslią vietą." in m_.get_content() for m_ in read_outbox())
    auth.login(author)
    assert "Nurodykite tikslią vietą." in client.get(url).get_data(as_text=True)
    client.post_form(f"{url}/edit", {
        "title": "Apšviesti taką prie Garliavos gimnazijos", "summary": "Vaikai žiemą eina tamsoje.",
        "body": "Takas nuo Vytauto g. iki gimnazijos.", "category_id": str(roads.id), "language": "lt",
        "location": "Garliava, Vytauto g.", "links": ""})
    client.post_form(f"{url}/submit")
    auth.logout()

    # 3. Approval sets the threshold in force and the deadline.
    auth.login(moderator)
    assert client.post_form(f"{url}/moderation/approve").status_code == 303
    auth.logout()
    initiative = db.session.get(Initiative, initiative.id)
    assert initiative.status == "published" and initiative.required_signatures == 2
    assert initiative.submitted_at < initiative.decided_at == initiative.published_at
    page = client.get(url).get_data(as_text=True)
    assert "0 parašų" in page and "iš 2 reikalingų" in page and "Liko 60 dienų" in page

    # 4. Two residents sign; the second crosses the threshold, moderators are told.
    auth.login(signer1)
    assert client.post_form(f"{url}/sign", {"show_name": "y"}).status_code == 303
    auth.logout()
    auth.login(signer2)
    assert client.post_form(f"{url}/sign").status_code == 303
    auth.logout()
    initiative = db.session.get(Initiative, initiative.id)
    assert initiative.status == "threshold_reached" and initiative.signature_count == 2
    assert initiative.threshold_reached_at is not None
    subjects = [str(msg["Subject"]) for msg in read_outbox() if msg["To"] == "mod@example.lt"]
    assert "An initiative reached its signature threshold" in subjects
    page = client.get(url).get_data(as_text=True)
    assert "Pasiektas reikalingas parašų skaičius" in page and signer1.name in page and signer2.name not in page

    # 5. The official response goes to the signers and the author, each in their language.
    auth.login(moderator)
    response = client.post_form(f"{url}/moderation/respond", {
        "decision": "partly_accepted", "text": "Šviestuvai bus įrengti 2027 m."})
    assert response.status_code == 303
    auth.logout()
    initiative = db.session.get(Initiative, initiative.id)
    assert initiative.status == "answered" and initiative.answered_at is not None
    mails = {msg["To"]: msg for msg in read_outbox() if "Šviestuvai bus" in msg.get_content()}
    assert set(mails) == {author.email, signer1.email, signer2.email}
    assert "Decision: Partly accepted" in mails[signer1.email].get_content()
    assert "Sprendimas: Iš dalies pritarta" in mails[signer2.email].get_content()
    page = client.get(url).get_data(as_text=True)
    assert "Oficialus savivaldybės atsakymas" in page and "Šviestuvai bus įrengti 2027 m." in page

    # The timeline shows every public move.
    actions = db.session.execute(select(AuditEvent.action).where(AuditEvent.object_id == initiative.id)
                                 .order_by(AuditEvent.id)).scalars().all()
    for action in ("initiative.created", "initiative.submitted", "initiative.changes_requested",
                   "initiative.approved", "initiative.threshold_reached", "initiative.answered"):
        assert action in actions
    assert "paskelbė oficialų atsakymą" in page


def test_reject_with_a_public_reason(client, auth, make):
    m = make.municipality("taurage")
    author = make.user(m)
    auth.login(author)
    client.post_form("/taurage/initiatives/new", {"title": "Uždrausti lietų", "summary": "Per daug lyja.",
                                                   "body": "Tekstas", "language": "lt", "category_id": "0"})
    initiative = _only(Initiative)
    client.post_form(f"/taurage/initiatives/{initiative.id}/submit")
    auth.logout()
    auth.login(make.user(m, role="moderator"))
    response = client.post_form(f"/taurage/initiatives/{initiative.id}/moderation/reject", {"reason": ""})
    assert response.status_code == 400 and "Atmetimui reikia priežasties" in response.get_data(as_text=True)
    client.post_form(f"/taurage/initiatives/{initiative.id}/moderation/reject",
                     {"reason": "Oras nėra savivaldybės kompetencija."})
    auth.logout()
    page = client.get(f"/taurage/initiatives/{initiative.id}").get_data(as_text=True)
    assert "Oras nėra savivaldybės kompetencija." in page and "Atmesta" in page
    assert "Oras nėra savivaldybės kompetencija." in client.get("/taurage/audit").get_data(as_text=True)


def test_author_withdraws(client, auth, make):
    m = make.municipality("zarasai")
    author = make.user(m)
    auth.login(author)
    client.post_form("/zarasai/initiatives/new", {"title": "Valtys prie Zarasaičio", "summary": "Nuoma.",
                                                  "body": "Tekstas", "language": "lt", "category_id": "0"})
    initiative = _only(Initiative)
    assert client.post_form(f"/zarasai/initiatives/{initiative.id}/withdraw").status_code == 303
    assert db.session.get(Initiative, initiative.id).status == "withdrawn"
    assert client.post_form(f"/zarasai/initiatives/{initiative.id}/submit").status_code == 409


def test_expiry_job(app, make):
    from datetime import timedelta

    from app.initiatives.services import expire_due
    from tests.initiatives.helpers import initiative

    m = make.municipality()
    author = make.user(m)
    due = initiative(m, author, days_left=-1)
    running = initiative(m, author, days_left=5)
    assert due.effective_status() == "expired"
    assert expire_due() == 1
    assert db.session.get(Initiative, due.id).status == "expired"
    assert db.session.get(Initiative, running.id).status == "published"
    assert expire_due() == 0
    runner = app.test_cli_runner()
    assert "Expired initiatives: 0" in runner.invoke(args=["initiatives", "expire"]).output
    del timedelta


def test_drafts_and_their_versions_stay_private(client, auth, make):
    from tests.initiatives.helpers import initiative

    m = make.municipality("birzai")
    author = make.user(m, locale="en")
    draft = initiative(m, author, status="draft", title="Bendruomenės namai Papilyje")
    assert client.get(f"/birzai/initiatives/{draft.id}/versions").status_code == 404
    auth.login(make.user(m))
    assert client.get(f"/birzai/initiatives/{draft.id}/versions").status_code == 404
    assert client.get(f"/birzai/initiatives/{draft.id}/edit").status_code == 404
    auth.logout()
    auth.login(author)
    html = client.get("/birzai/initiatives/mine").get_data(as_text=True)
    assert "Bendruomenės namai Papilyje" in html and "Draft" in html
    assert client.get(f"/birzai/initiatives/{draft.id}/edit").status_code == 200


def test_moderation_queue_in_both_languages(client, auth, make):
    from tests.initiatives.helpers import initiative

    m = make.municipality("jurbarkas")
    initiative(m, make.user(m), status="submitted", title="Socialinis taksi senjorams")
    initiative(m, make.user(m), status="threshold_reached", title="Dviračių takas palei Nemuną")
    moderator = make.user(m, role="moderator", locale="lt")
    auth.login(moderator)
    html = client.get("/jurbarkas/initiatives/moderation").get_data(as_text=True)
    assert "Iniciatyvos, laukiančios sprendimo" in html and "40 dienų" in html
    assert "Socialinis taksi senjorams" in html and "Dviračių takas palei Nemuną" in html
    client.post_form("/lang", {"lang": "en", "next": "/"})
    html = client.get("/jurbarkas/initiatives/moderation").get_data(as_text=True)
    assert "Initiatives waiting for a decision" in html and "40 days" in html


def test_author_is_told_in_their_language(client, auth, make):
    from app.core.mail import read_outbox
    from tests.initiatives.helpers import initiative

    m = make.municipality("taurage")
    english, lithuanian = make.user(m, locale="en"), make.user(m, locale="lt")
    first = initiative(m, english, status="submitted", title="Bike racks in Skaudvilė")
    second = initiative(m, lithuanian, status="submitted", title="Dviračių stovai Skaudvilėje")
    auth.login(make.user(m, role="moderator"))
    client.post_form(f"/taurage/initiatives/{first.id}/moderation/reject", {"reason": "Duplicate of another one."})
    client.post_form(f"/taurage/initiatives/{second.id}/moderation/approve")
    mails = {msg["To"]: msg for msg in read_outbox()}
    assert str(mails[english.email]["Subject"]) == "Your initiative was rejected"
    assert "Duplicate of another one." in mails[english.email].get_content()
    assert str(mails[lithuanian.email]["Subject"]) == "Jūsų iniciatyva paskelbta"
    assert "dabar renkami parašai" in mails[lithuanian.email].get_content()
    audit = client.get("/taurage/audit").get_data(as_text=True)
    assert "atmetė iniciatyvą" in audit and "paskelbė iniciatyvą" in audit
