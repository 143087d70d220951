"""Consultation pages: questionnaires (build, answer, results, exports) and events."""
from __future__ import annotations

import json

from flask import Response as HttpResponse
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.consultations import bp, events, questionnaires as qs, results, services
from app.consultations.forms import (
    CancelEventForm, EventForm, EventQuestionForm, QuestionForm, QuestionnaireForm, SummaryForm,
)
from app.consultations import ics as ics_module
from app.consultations.models import CONFIRMED, WAITLISTED
from app.consultations.ranking import RANKING_RULES
from app.core.audit import register_action_labels
from app.core.forms import ConfirmForm
from app.core.models import utcnow
from app.core.registry import HomeFigure, register_home_figure, register_nav
from app.core.security import login_required, public
from app.i18n import _, _l, localized, ngettext
from app.organisations.errors import Refused
from app.organisations.services import get_organisation

register_action_labels({
    "questionnaire.created": _l("created a questionnaire"),
    "questionnaire.updated": _l("changed a questionnaire"),
    "questionnaire.question_added": _l("added a question to a questionnaire"),
    "questionnaire.published": _l("published a questionnaire"),
    "questionnaire.closed": _l("closed a questionnaire"),
    "event.created": _l("announced an event"),
    "event.updated": _l("changed an event"),
    "event.cancelled": _l("cancelled an event"),
    "event.participant_selected": _l("selected a participant"),
    "event.participant_declined": _l("declined an application"),
    "event.attendance_marked": _l("marked attendance"),
    "event.summary_published": _l("published an event summary"),
})
register_nav("consultations.index", _l("Consultations"), order=60)
register_home_figure(HomeFigure(
    key="consultation_responses", counts=services.response_counts, order=60,
    label=lambda n: ngettext("%(num)d consultation response", "%(num)d consultation responses", n),
))


def _csrf_ok() -> None:
    if not ConfirmForm().validate_on_submit():
        raise Refused(_("The form expired. Reload the page and try again."), 400)


def _organisation_choices(form) -> list:
    organisations = services.runner_organisations(current_user, g.municipality)
    if not organisations:
        raise Refused(_("Only members of an organisation approved in this municipality can run consultations. "
                        "Register your organisation or ask its organiser for an invitation."), 403)
    form.organisation.choices = [(o.id, o.name) for o in organisations]
    return organisations


@bp.route("/")
@public
def index():
    return render_template("consultations/index.html", **services.listing(g.municipality),
                           runs_things=bool(services.runner_organisations(current_user, g.municipality)))


@bp.route("/manage")
@login_required
def manage():
    return render_template("consultations/manage.html", **services.managed_items(current_user, g.municipality))


# --- questionnaires: building ------------------------------------------------------------

def _questionnaire_data(form: QuestionnaireForm) -> dict:
    data = {k: form[k].data for k in qs.DETAIL_FIELDS}
    data["opens_at"] = services.local_to_utc(form.opens_at.data)
    data["closes_at"] = services.local_to_utc(form.closes_at.data)
    data["title_en"] = data["title_en"] or ""
    data["description_lt"] = data["description_lt"] or ""
    data["description_en"] = data["description_en"] or ""
    return data


@bp.route("/questionnaires/new", methods=["GET", "POST"])
@login_required
def questionnaire_new():
    form = QuestionnaireForm()
    _organisation_choices(form)
    if form.validate_on_submit():
        organisation = get_organisation(g.municipality, form.organisation.data)
        q = qs.create_questionnaire(g.municipality, organisation, current_user, _questionnaire_data(form))
        flash(_("Draft saved. Now add the questions."), "success")
        return redirect(url_for("consultations.questionnaire_edit", questionnaire_id=q.id))
    return render_template("consultations/questionnaire_form.html", form=form, q=None), 400 if form.errors else 200


def _edit_page(q, form=None, question_form=None, status=200):
    return render_template(
        "consultations/questionnaire_edit.html", q=q, form=form or _filled_form(q),
        question_form=question_form or QuestionForm(formdata=None), action_form=ConfirmForm(),
        problems=qs.publish_problems(q) if q.published_at is None else [],
        responses=qs.response_count(q)), status


def _filled_form(q) -> QuestionnaireForm:
    form = QuestionnaireForm(formdata=None, obj=q)
    form.organisation.choices = [(q.organisation.id, q.organisation.name)]
    form.organisation.data = q.organisation_id
    form.opens_at.data = services.utc_to_local(q.opens_at)
    form.closes_at.data = services.utc_to_local(q.closes_at)
    return form


@bp.route("/questionnaires/<int:questionnaire_id>/edit", methods=["GET", "POST"])
@login_required
def questionnaire_edit(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    services.require_runner(current_user, q.organisation)
    if request.method == "POST":
        form = QuestionnaireForm()
        form.organisation.choices = [(q.organisation.id, q.organisation.name)]
        form.organisation.data = q.organisation_id
        if form.validate_on_submit():
            qs.update_questionnaire(g.municipality, q, current_user, _questionnaire_data(form))
            flash(_("Saved."), "success")
            return redirect(url_for("consultations.questionnaire_edit", questionnaire_id=q.id))
        return _edit_page(q, form=form, status=400)
    return _edit_page(q)


def _question_data(form: QuestionForm) -> dict:
    return {k: form[k].data for k in ("kind", "text_lt", "text_en", "help_lt", "help_en", "required",
                                      "options_lt", "options_en", "max_choices")} | {
        "text_en": form.text_en.data or "", "help_lt": form.help_lt.data or "", "help_en": form.help_en.data or ""}


@bp.route("/questionnaires/<int:questionnaire_id>/questions", methods=["POST"])
@login_required
def question_add(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    services.require_runner(current_user, q.organisation)
    form = QuestionForm()
    if form.validate_on_submit():
        qs.add_question(g.municipality, q, current_user, _question_data(form))
        flash(_("Question added."), "success")
        return redirect(url_for("consultations.questionnaire_edit", questionnaire_id=q.id) + "#questions")
    return _edit_page(q, question_form=form, status=400)


@bp.route("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>", methods=["GET", "POST"])
@login_required
def question_edit(questionnaire_id: int, question_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    services.require_runner(current_user, q.organisation)
    question = qs.get_question(q, question_id)
    if request.method == "GET":
        form = QuestionForm(formdata=None, obj=question)
        form.options_lt.data = "\n".join(o.label_lt for o in question.options)
        form.options_en.data = "\n".join(o.label_en for o in question.options if o.label_en)
    else:
        form = QuestionForm()
        if form.validate_on_submit():
            qs.update_question(g.municipality, question, current_user, _question_data(form))
            flash(_("Question saved."), "success")
            return redirect(url_for("consultations.questionnaire_edit", questionnaire_id=q.id) + "#questions")
    return render_template("consultations/question_form.html", q=q, question=question, form=form), \
        400 if form.errors else 200


@bp.route("/questionnaires/<int:questionnaire_id>/questions/<int:question_id>/<any(up, down, delete):action>",
          methods=["POST"])
@login_required
def question_action(questionnaire_id: int, question_id: int, action: str):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    question = qs.get_question(q, question_id)
    _csrf_ok()
    if action == "delete":
        qs.delete_question(g.municipality, question, current_user)
        flash(_("Question deleted."), "success")
    else:
        qs.move_question(g.municipality, question, current_user, -1 if action == "up" else 1)
    return redirect(url_for("consultations.questionnaire_edit", questionnaire_id=q.id) + "#questions")


@bp.route("/questionnaires/<int:questionnaire_id>/<any(publish, close):action>", methods=["POST"])
@login_required
def questionnaire_action(questionnaire_id: int, action: str):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    _csrf_ok()
    if action == "publish":
        try:
            qs.publish(g.municipality, q, current_user)
        except Refused as error:
            if error.status != 400:
                raise
            flash(error.message, "error")
            return _edit_page(q, status=400)
        flash(_("The questionnaire is published."), "success")
    else:
        qs.close_now(g.municipality, q, current_user)
        flash(_("The questionnaire is closed."), "success")
    return redirect(url_for("consultations.questionnaire", questionnaire_id=q.id))


# --- questionnaires: answering -----------------------------------------------------------

@bp.route("/questionnaires/<int:questionnaire_id>")
@public
def questionnaire(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    manager = services.can_manage(current_user, q.organisation)
    if q.published_at is None and not manager:
        raise Refused(_("There is no such questionnaire in this municipality."), 404)
    response = qs.existing_response(q, current_user)
    return render_template("consultations/questionnaire.html", q=q, manager=manager, response=response,
                           refusal=qs.answer_refusal(q, current_user, g.municipality),
                           responses=qs.response_count(q))


@bp.route("/questionnaires/<int:questionnaire_id>/respond", methods=["GET", "POST"])
@login_required
def respond(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    if q.published_at is None:
        raise Refused(_("There is no such questionnaire in this municipality."), 404)
    refusal = qs.answer_refusal(q, current_user, g.municipality)
    if refusal:
        raise Refused(refusal, 403 if q.state() == "open" else 409)
    response = qs.existing_response(q, current_user)
    form = ConfirmForm()
    values, errors, status = qs.values_of(response, q), {}, 200
    general = None
    if request.method == "POST":
        values, errors = qs.parse_answers(q, request.form)
        if not form.validate_on_submit():
            general, status = _("The form expired. Send it again; your answers are still here."), 400
        elif errors:
            status = 400
        else:
            try:
                qs.save_response(g.municipality, q, current_user, values, editing=request.form.get("editing") == "1")
            except qs.AlreadyAnswered as error:
                general, status = error.message, 409
                response = qs.existing_response(q, current_user)
            else:
                flash(_("Thank you! Your answers are saved. You can change them until the questionnaire closes.")
                      if response is None else _("Your answers are updated."), "success")
                return redirect(url_for("consultations.questionnaire", questionnaire_id=q.id))
    return render_template("consultations/respond.html", q=q, form=form, values=values, errors=errors,
                           response=response, general=general), status


# --- questionnaires: results and exports -------------------------------------------------

def _results_allowed(q) -> bool:
    """Refuse unless the results may be shown; returns whether the written answers may be shown too."""
    manager = services.can_manage(current_user, q.organisation)
    if q.published_at is None and not manager:
        raise Refused(_("There is no such questionnaire in this municipality."), 404)
    if not (manager or q.results_public()):
        raise Refused(_("The results are shown when the questionnaire closes."), 403)
    return manager or q.publish_free_text


def _rule_arg() -> str | None:
    rule = request.args.get("rule")
    if rule is not None and rule not in RANKING_RULES:
        raise Refused(_("Unknown counting rule."), 400)
    return rule


@bp.route("/questionnaires/<int:questionnaire_id>/results")
@public
def questionnaire_results(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    with_text = _results_allowed(q)
    data = results.compute(q, ranking_rule=_rule_arg(), include_text=with_text)
    return render_template("consultations/results.html", q=q, data=data,
                           manager=services.can_manage(current_user, q.organisation), rules=RANKING_RULES)


@bp.route("/questionnaires/<int:questionnaire_id>/results.csv")
@public
def questionnaire_results_csv(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    _results_allowed(q)
    body = results.results_csv(results.compute(q, ranking_rule=_rule_arg()))
    return _download(body, f"questionnaire-{q.id}-results.csv", "text/csv")


@bp.route("/questionnaires/<int:questionnaire_id>/results.json")
@public
def questionnaire_results_json(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    _results_allowed(q)
    # The public export carries written answers only when the organiser published them.
    data = results.compute(q, ranking_rule=_rule_arg(), include_text=q.publish_free_text)
    return HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")


@bp.route("/questionnaires/<int:questionnaire_id>/responses.csv")
@login_required
def questionnaire_responses_csv(questionnaire_id: int):
    q = services.get_questionnaire(g.municipality, questionnaire_id)
    services.require_runner(current_user, q.organisation)
    return _download(results.responses_csv(q), f"questionnaire-{q.id}-responses.csv", "text/csv")


def _download(body: str, filename: str, mimetype: str) -> HttpResponse:
    # A BOM lets spreadsheet programs read Lithuanian letters correctly.
    return HttpResponse("\ufeff" + body, mimetype=f"{mimetype}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# --- events ------------------------------------------------------------------------------

def _event_data(form: EventForm) -> dict:
    data = {k: form[k].data for k in events.EVENT_FIELDS}
    for key in ("starts_at", "ends_at", "signup_deadline"):
        data[key] = services.local_to_utc(data[key])
    for key in ("title_en", "description_lt", "description_en", "place"):
        data[key] = (data[key] or "").strip()
    data["online_url"] = (data["online_url"] or "").strip() or None
    return data


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def event_new():
    form = EventForm()
    form.creating = True
    _organisation_choices(form)
    if form.validate_on_submit():
        organisation = get_organisation(g.municipality, form.organisation.data)
        event = events.create_event(g.municipality, organisation, current_user, _event_data(form))
        flash(_("The event is announced. You can add sign-up questions below."), "success")
        return redirect(url_for("consultations.event_edit", event_id=event.id))
    return render_template("consultations/event_form.html", form=form, event=None), 400 if form.errors else 200


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def event_edit(event_id: int):
    event = services.get_event(g.municipality, event_id)
    services.require_runner(current_user, event.organisation)
    if request.method == "POST":
        form = EventForm()
        form.organisation.choices = [(event.organisation.id, event.organisation.name)]
        form.organisation.data = event.organisation_id
        if form.validate_on_submit():
            try:
                events.update_event(g.municipality, event.id, current_user, _event_data(form))
            except Refused as error:
                if error.status != 409 or event.cancelled:
                    raise
                form.capacity.errors.append(error.message)
            else:
                flash(_("Saved."), "success")
                return redirect(url_for("consultations.event_edit", event_id=event.id))
    else:
        form = EventForm(formdata=None, obj=event)
        form.organisation.choices = [(event.organisation.id, event.organisation.name)]
        form.organisation.data = event.organisation_id
        for key in ("starts_at", "ends_at", "signup_deadline"):
            form[key].data = services.utc_to_local(getattr(event, key))
    return render_template("consultations/event_form.html", form=form, event=event,
                           question_form=EventQuestionForm(formdata=None), action_form=ConfirmForm(),
                           cancel_form=CancelEventForm(formdata=None)), 400 if form.errors else 200


@bp.route("/events/<int:event_id>/questions", methods=["POST"])
@login_required
def event_question_add(event_id: int):
    event = services.get_event(g.municipality, event_id)
    services.require_runner(current_user, event.organisation)
    form = EventQuestionForm()
    if form.validate_on_submit():
        try:
            events.add_question(g.municipality, event, current_user, form.data)
        except Refused as error:
            if error.status != 400:
                raise
            form.options_lt.errors.append(error.message)
        else:
            flash(_("Question added."), "success")
            return redirect(url_for("consultations.event_edit", event_id=event.id) + "#signup-questions")
    edit_form = EventForm(formdata=None, obj=event)
    edit_form.organisation.choices = [(event.organisation.id, event.organisation.name)]
    for key in ("starts_at", "ends_at", "signup_deadline"):
        edit_form[key].data = services.utc_to_local(getattr(event, key))
    return render_template("consultations/event_form.html", form=edit_form, event=event, question_form=form,
                           action_form=ConfirmForm(), cancel_form=CancelEventForm(formdata=None)), 400


@bp.route("/events/<int:event_id>/questions/<int:question_id>/delete", methods=["POST"])
@login_required
def event_question_delete(event_id: int, question_id: int):
    event = services.get_event(g.municipality, event_id)
    _csrf_ok()
    events.delete_question(g.municipality, event, current_user, question_id)
    flash(_("Question deleted."), "success")
    return redirect(url_for("consultations.event_edit", event_id=event.id) + "#signup-questions")


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@login_required
def event_cancel(event_id: int):
    event = services.get_event(g.municipality, event_id)
    services.require_runner(current_user, event.organisation)
    form = CancelEventForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for cancelling the event."), "error")
        return redirect(url_for("consultations.event_edit", event_id=event.id))
    events.cancel_event(g.municipality, event.id, current_user, form.reason.data)
    flash(_("The event is cancelled and everyone signed up was told."), "success")
    return redirect(url_for("consultations.event", event_id=event.id))


@bp.route("/events/<int:event_id>")
@public
def event(event_id: int):
    ev = services.get_event(g.municipality, event_id)
    signup = events.my_signup(ev, current_user)
    return render_template("consultations/event.html", event=ev, signup=signup,
                           rank=events.waitlist_rank(signup) if signup else None,
                           counts=events.seat_counts(ev), manager=services.can_manage(current_user, ev.organisation),
                           refusal=events.signup_refusal(ev, current_user), action_form=ConfirmForm())


@bp.route("/events/<int:event_id>/signup", methods=["GET", "POST"])
@login_required
def event_signup(event_id: int):
    ev = services.get_event(g.municipality, event_id)
    locale = str(get_locale())
    form = ConfirmForm()
    values, errors, status = {}, {}, 200
    if request.method == "POST":
        values, errors = events.parse_signup_answers(ev, request.form, locale)
        if not form.validate_on_submit():
            errors[0] = _("The form expired. Send it again; your answers are still here.")
        if not errors:
            signup = events.sign_up(g.municipality, ev.id, current_user, values)
            if signup.status == CONFIRMED:
                flash(_("You are signed up. See you there!"), "success")
            elif signup.status == WAITLISTED:
                flash(_("All seats are taken: you are number %(n)d on the waitlist. We will e-mail you if a seat "
                        "frees up.", n=events.waitlist_rank(signup)), "info")
            else:
                flash(_("Your application is received. The organiser selects the participants and will "
                        "e-mail you."), "success")
            return redirect(url_for("consultations.event", event_id=ev.id))
        status = 400
    else:
        refusal = events.signup_refusal(ev, current_user)
        if refusal:
            raise Refused(refusal, 409 if ev.cancelled or ev.signup_deadline < utcnow() else 403)
        existing = events.my_signup(ev, current_user)
        if existing is not None and existing.status != "cancelled":
            raise Refused(_("You are already signed up for this event."), 409)
    return render_template("consultations/signup.html", event=ev, form=form, values=values, errors=errors,
                           locale=locale), status


@bp.route("/events/<int:event_id>/cancel-signup", methods=["POST"])
@login_required
def event_cancel_signup(event_id: int):
    ev = services.get_event(g.municipality, event_id)
    _csrf_ok()
    events.cancel_signup(g.municipality, ev.id, current_user)
    flash(_("Your sign-up is cancelled."), "success")
    return redirect(url_for("consultations.event", event_id=ev.id))


@bp.route("/events/<int:event_id>/event.ics")
@login_required
def event_ics(event_id: int):
    ev = services.get_event(g.municipality, event_id)
    if not (events.can_download_ics(ev, current_user) or services.can_manage(current_user, ev.organisation)):
        raise Refused(_("The calendar file is for people signed up for this event."), 403)
    url = url_for("consultations.event", event_id=ev.id, _external=True)
    body = ics_module.event_ics(ev, title=localized(ev, "title"), description=localized(ev, "description"), url=url,
                     organiser_name=ev.organisation.name, host=request.host.split(":")[0])
    return HttpResponse(body, mimetype="text/calendar; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="talka-event-{ev.id}.ics"'})



@bp.route("/events/<int:event_id>/signups", methods=["GET", "POST"])
@login_required
def event_signups(event_id: int):
    ev = services.get_event(g.municipality, event_id)
    services.require_runner(current_user, ev.organisation)
    if request.method == "POST":
        _csrf_ok()
        attended = {int(x) for x in request.form.getlist("attended") if x.isdigit()}
        n = events.mark_attendance(g.municipality, ev, current_user, attended)
        flash(ngettext("Attendance saved: %(num)d participant.", "Attendance saved: %(num)d participants.", n),
              "success")
        return redirect(url_for("consultations.event_signups", event_id=ev.id))
    return render_template("consultations/signups.html", event=ev, counts=events.seat_counts(ev),
                           action_form=ConfirmForm(), locale=str(get_locale()))


@bp.route("/events/<int:event_id>/signups/<int:signup_id>/<any(confirm, decline):decision>", methods=["POST"])
@login_required
def event_select(event_id: int, signup_id: int, decision: str):
    ev = services.get_event(g.municipality, event_id)
    services.require_runner(current_user, ev.organisation)
    _csrf_ok()
    events.select_participant(g.municipality, ev.id, current_user, signup_id, decision == "confirm")
    flash(_("Saved."), "success")
    return redirect(url_for("consultations.event_signups", event_id=ev.id))


@bp.route("/events/<int:event_id>/signups.csv")
@login_required
def event_signups_csv(event_id: int):
    ev = services.get_event(g.municipality, event_id)
    services.require_runner(current_user, ev.organisation)
    from app.consultations.exports import signups_csv

    return _download(signups_csv(ev), f"event-{ev.id}-signups.csv", "text/csv")


@bp.route("/events/<int:event_id>/summary", methods=["GET", "POST"])
@login_required
def event_summary(event_id: int):
    ev = services.get_event(g.municipality, event_id)
    services.require_runner(current_user, ev.organisation)
    form = SummaryForm(obj=ev)
    if form.validate_on_submit():
        events.publish_summary(g.municipality, ev, current_user, form.summary_lt.data, form.summary_en.data)
        flash(_("The summary is published."), "success")
        return redirect(url_for("consultations.event", event_id=ev.id))
    return render_template("consultations/summary_form.html", event=ev, form=form), 400 if form.errors else 200


from app.consultations import metrics  # noqa: E402

metrics.register()
