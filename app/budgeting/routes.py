"""Participatory budgeting pages: thin views over the services."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from app.budgeting import bp, ideas as idea_service, services, tally, voting
from app.budgeting.charts import results_chart
from app.budgeting.forms import (
    EditIdeaForm, IdeaForm, MergeForm, PaperBallotForm, PotForm, ProcessForm, ReviewForm,
)
from app.budgeting.models import COUNTING, FEASIBLE, IDEAS, INFEASIBLE, MERGED, RESULTS, SUBMITTED, VOTING
from app.core.audit import register_action_labels
from app.discussion import services as discussion
from app.discussion.registry import TargetType, register_target
from app.core.forms import ConfirmForm
from app.core.pagination import paginate
from app.core.registry import HomeFigure, register_home_figure, register_nav
from app.core.security import ADMIN, MODERATOR, login_required, public, role_required
from app.i18n import _, _l, ngettext

VILNIUS = ZoneInfo("Europe/Vilnius")

register_nav("budgeting.index", _l("Participatory budgeting"), order=30)


def _load_idea(municipality, idea_id: int):
    from app.budgeting.models import PBIdea
    from app.extensions import db

    return db.session.execute(
        db.select(PBIdea).filter_by(id=idea_id, municipality_id=municipality.id)).scalar_one_or_none()


# Project ideas are discussed with the shared discussion package (comments, replies, flags).
register_target(TargetType(
    name="pb_idea", label=_l("Project idea"), load=_load_idea,
    url=lambda obj: url_for("budgeting.idea", process_id=obj.process_id, idea_id=obj.id),
    title=lambda obj: obj.title,
    comment_refusal=lambda obj, user: (
        _("This idea was merged into another; comment there.") if obj.status == MERGED else None),
))
register_home_figure(HomeFigure(
    key="pb_ideas", counts=idea_service.idea_counts, order=30,
    label=lambda n: ngettext("%(num)d participatory budgeting idea", "%(num)d participatory budgeting ideas", n),
))
register_action_labels({
    "pb.process_created": _l("created a participatory budgeting process"),
    "pb.process_updated": _l("changed a participatory budgeting process"),
    "pb.pot_added": _l("added a budget pot"),
    "pb.pot_updated": _l("changed a budget pot"),
    "pb.pot_removed": _l("removed a budget pot"),
    "pb.idea_submitted": _l("submitted a project idea"),
    "pb.idea_feasible": _l("found a project idea feasible"),
    "pb.idea_infeasible": _l("found a project idea not feasible"),
    "pb.idea_edited": _l("edited a project idea for clarity"),
    "pb.idea_merged": _l("merged a duplicate project idea"),
    "pb.paper_ballot_entered": _l("entered a paper ballot"),
    "pb.voting_closed": _l("closed voting early"),
    "pb.results_published": _l("counted the votes and published the results"),
})


def _local(value: datetime | None) -> datetime | None:
    """UTC from the database -> naive local time for a datetime-local input."""
    return value.astimezone(VILNIUS).replace(tzinfo=None) if value else None


def _utc(value: datetime | None) -> datetime | None:
    """A naive local time typed in a form -> aware UTC."""
    return value.replace(tzinfo=VILNIUS).astimezone(timezone.utc) if value else None


def _fail(form, error: services.PBError) -> None:
    """Show a service refusal beside its field (or on top of the form)."""
    field = getattr(form, error.field, None) if (form is not None and error.field) else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        flash(error.message, "error")


def _rule_choices(ballot_type: str) -> list[tuple[str, str]]:
    locale = str(get_locale() or "lt")
    return [(r.name, r.title.get(locale) or r.name) for r in tally.applicable_rules(ballot_type)]


def _process_or_404(process_id: int):
    return services.get_process(g.municipality, process_id)


# --- public pages -------------------------------------------------------------------

@bp.route("/")
@public
def index():
    processes = services.list_processes(g.municipality)
    return render_template("budgeting/index.html", processes=processes)


@bp.route("/<int:process_id>")
@public
def process(process_id: int):
    proc = _process_or_404(process_id)
    phase = proc.phase()
    ideas = [i for i in idea_service.ideas_of(proc) if i.status != MERGED]
    supports = idea_service.support_counts([i.id for i in ideas])
    eligible = current_user.is_authenticated and services.is_eligible(proc, g.municipality, current_user)
    turnout = voting.turnout(proc) if tally.turnout_public(proc) else None
    voters = voting.distinct_voters(proc) if turnout is not None else 0
    my_ballots = {pot.id: voting.own_ballot(pot, current_user) for pot in proc.pots} if eligible else {}
    return render_template("budgeting/process.html", process=proc, phase=phase, ideas=ideas, supports=supports,
                           eligible=eligible, turnout=turnout, voters=voters, my_ballots=my_ballots,
                           rule=tally.rule_info(proc.rule))


@bp.route("/<int:process_id>/ideas/new", methods=["GET", "POST"])
@login_required
def idea_new(process_id: int):
    proc = _process_or_404(process_id)
    if proc.phase() != IDEAS:
        abort(409, description=_("Ideas can only be submitted while submission is open."))
    if not current_user.is_resident_of(g.municipality):
        abort(403, description=_("Only confirmed residents of this municipality can submit ideas."))
    form = IdeaForm()
    if request.method == "GET":
        form.contact.data = current_user.email
    form.pot_id.choices = [(p.id, _pot_name(p)) for p in proc.pots]
    status = 200
    if form.validate_on_submit():
        try:
            pot = services.get_pot(proc, form.pot_id.data)
            idea = idea_service.submit_idea(proc, pot, current_user, form.data)
        except services.PBError as error:
            _fail(form, error)
            status = error.status if error.field is None else 400
        else:
            flash(_("Thank you: your idea was submitted. Moderators will review its feasibility."), "success")
            return redirect(url_for("budgeting.idea", process_id=proc.id, idea_id=idea.id))
    elif request.method == "POST":
        status = 400
    return render_template("budgeting/idea_form.html", process=proc, form=form), status


def _pot_name(pot) -> str:
    from app.i18n import localized

    from app.core.formatting import _money

    return f"{localized(pot, 'name')} ({_money(pot.budget)})"


@bp.route("/<int:process_id>/ideas/<int:idea_id>")
@public
def idea(process_id: int, idea_id: int):
    proc = _process_or_404(process_id)
    item = idea_service.get_idea(proc, idea_id)
    if item is None:
        abort(404, description=_("There is no such idea in this process."))
    outcome = None
    if proc.phase() == RESULTS and item.on_ballot:
        official, _others = tally.stored_results(item.pot)
        if official is not None:
            entries = official.outcome.get("explanation", {}).get("projects", [])
            entry = next((e for e in entries if e.get("project") == str(item.id)), {})
            outcome = {"selected": str(item.id) in official.outcome.get("selected", []), "entry": entry,
                       "kind": official.outcome.get("explanation", {}).get("kind", "empty")}
    return render_template(
        "budgeting/idea.html", process=proc, idea=item, outcome=outcome,
        supports=idea_service.support_counts([item.id]).get(item.id, 0),
        supported=idea_service.has_supported(item, current_user), versions=idea_service.versions_of(item),
        merged=idea_service.merged_ideas(item), support_form=ConfirmForm(),
        thread=discussion.thread_context(g.municipality, "pb_idea", item, current_user,
                                         next_url=url_for("budgeting.idea", process_id=proc.id, idea_id=item.id)))


@bp.route("/<int:process_id>/ideas/<int:idea_id>/support", methods=["POST"])
@login_required
def idea_support(process_id: int, idea_id: int):
    proc = _process_or_404(process_id)
    item = idea_service.get_idea(proc, idea_id)
    if item is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        now = idea_service.toggle_support(item, current_user, g.municipality)
    except services.PBError as error:
        abort(error.status, description=error.message)
    flash(_("You support this idea.") if now else _("Your support was withdrawn."), "success")
    return redirect(url_for("budgeting.idea", process_id=proc.id, idea_id=item.id))


@bp.route("/<int:process_id>/vote/<int:pot_id>", methods=["GET", "POST"])
@login_required
def vote(process_id: int, pot_id: int):
    proc = _process_or_404(process_id)
    pot = services.get_pot(proc, pot_id)
    projects = idea_service.ballot_projects(pot)
    form = ConfirmForm()
    status = 200
    error = None
    mine = voting.own_ballot(pot, current_user)
    current = {c.project_id: c.value for c in mine.choices} if mine else {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            chosen = voting.choices_from_form(proc, request.form)
            current = chosen
            receipt = voting.cast_ballot(proc, pot, current_user, g.municipality, chosen)
        except services.PBError as exc:
            error, status = exc.message, exc.status
        else:
            if receipt.replaced:
                flash(_("Your ballot was replaced: only this one counts. Your new receipt code is %(code)s.",
                        code=receipt), "success")
            else:
                flash(_("Your ballot was recorded. Your receipt code is %(code)s: keep it to check that your "
                        "ballot was counted. You may change your ballot until voting closes; the last one counts.",
                        code=receipt), "success")
            return redirect(url_for("budgeting.vote", process_id=proc.id, pot_id=pot.id))
    else:
        if proc.phase() != VOTING:
            error, status = _("Voting is not open in this process."), 409
        elif not services.is_eligible(proc, g.municipality, current_user):
            error, status = _("Only confirmed residents of this municipality who meet the age limit can vote "
                              "here."), 403
        elif mine is None and voting.has_voted(pot, current_user):  # (SECRET_KEY changed since)
            error = voting.key_changed_message()
    can_vote = proc.phase() == VOTING and services.is_eligible(proc, g.municipality, current_user)
    return render_template("budgeting/ballot.html", process=proc, pot=pot, projects=projects, form=form,
                           current=current, mine=mine, error=error, can_vote=can_vote,
                           spent=sum(p.final_cost for p in projects if p.id in current)), status


@bp.route("/<int:process_id>/ballots/<int:pot_id>")
@public
def ballots(process_id: int, pot_id: int):
    proc = _process_or_404(process_id)
    pot = services.get_pot(proc, pot_id)
    if proc.phase() not in (COUNTING, RESULTS):
        abort(409, description=_("The list of counted ballots is published when voting closes."))
    receipt = request.args.get("receipt", "").strip()[:20]
    page = paginate(voting.counted_ballots_query(pot, receipt), per_page=100)
    return render_template("budgeting/ballots.html", process=proc, pot=pot, page=page, receipt=receipt,
                           titles=voting.project_titles(pot))


@bp.route("/<int:process_id>/results")
@public
def results(process_id: int):
    proc = _process_or_404(process_id)
    if not tally.results_public(proc):
        abort(409, description=_("The results are published after voting closes and the votes are counted."))
    locale = str(get_locale() or "lt")
    pots = []
    for pot in proc.pots:
        official, others = tally.stored_results(pot)
        rows = tally.result_rows(pot, official)
        comparison = [(tally.rule_info(r.rule), r, set(r.outcome.get("selected", []))) for r in others]
        pots.append({"pot": pot, "official": official, "rows": rows, "comparison": comparison,
                     "chart": results_chart(pot, rows), "change": _change_from_usual(proc, official, others, rows)})
    return render_template("budgeting/results.html", process=proc, pots=pots, rule=tally.rule_info(proc.rule),
                           locale=locale)


def _change_from_usual(proc, official, others, rows) -> dict | None:
    """What the official rule changed compared with the usual count (most votes first)."""
    usual = services.default_rule(proc.ballot_type)
    baseline = next((r for r in others if r.rule == usual), None)
    if official is None or baseline is None or official.rule == usual:
        return None
    chosen, usual_chosen = set(official.outcome.get("selected", [])), set(baseline.outcome.get("selected", []))
    titles = {str(row["project"].id): row["project"].title for row in rows}
    return {"added": [titles.get(p, p) for p in official.outcome.get("selected", []) if p not in usual_chosen],
            "removed": [titles.get(p, p) for p in baseline.outcome.get("selected", []) if p not in chosen],
            "usual": tally.rule_info(usual)}


def _download(text: str, mimetype: str, filename: str) -> Response:
    return Response(text, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/<int:process_id>/pots/<int:pot_id>.pb")
@public
def pot_pabulib(process_id: int, pot_id: int):
    proc = _process_or_404(process_id)
    pot = services.get_pot(proc, pot_id)
    if not tally.results_public(proc):
        abort(409, description=_("The results are published after voting closes and the votes are counted."))
    return _download(tally.pabulib_text(proc, pot), "text/plain; charset=utf-8",
                     f"talka_{g.municipality.slug}_{proc.id}_{pot.id}.pb")


@bp.route("/<int:process_id>/results.csv")
@public
def results_csv(process_id: int):
    proc = _process_or_404(process_id)
    if not tally.results_public(proc):
        abort(409, description=_("The results are published after voting closes and the votes are counted."))
    return _download(tally.results_csv(proc), "text/csv; charset=utf-8", f"talka_{proc.id}_results.csv")


@bp.route("/<int:process_id>/results.json")
@public
def results_json(process_id: int):
    proc = _process_or_404(process_id)
    if not tally.results_public(proc):
        abort(409, description=_("The results are published after voting closes and the votes are counted."))
    return Response(tally.results_json(proc), mimetype="application/json")


@bp.route("/<int:process_id>/projects.csv")
@public
def projects_csv(process_id: int):
    proc = _process_or_404(process_id)
    return _download(tally.projects_csv(proc), "text/csv; charset=utf-8", f"talka_{proc.id}_projects.csv")


@bp.route("/<int:process_id>/projects.json")
@public
def projects_json(process_id: int):
    proc = _process_or_404(process_id)
    return {"process_id": proc.id, "projects": tally.projects_rows(proc)}


# --- municipal administrators ---------------------------------------------------------

def _process_data(form: ProcessForm) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    for name in ("ideas_open_at", "review_at", "voting_open_at", "voting_close_at"):
        data[name] = _utc(data[name])
    data["title_en"] = data.get("title_en") or ""
    data["description_lt"] = data.get("description_lt") or ""
    data["description_en"] = data.get("description_en") or ""
    return data


@bp.route("/admin/new", methods=["GET", "POST"])
@role_required(ADMIN)
def admin_new():
    form = ProcessForm()
    form.rule.choices = _rule_choices(form.ballot_type.data or "approval")
    status = 200
    if form.validate_on_submit():
        try:
            proc = services.create_process(g.municipality, _process_data(form), current_user)
        except services.PBError as error:
            _fail(form, error)
            status = 400
        else:
            flash(_("Process created. Now add its budget pots."), "success")
            return redirect(url_for("budgeting.admin_edit", process_id=proc.id))
    elif request.method == "POST":
        status = 400
    return render_template("budgeting/admin_form.html", form=form, process=None, rules=_rules_help()), status


def _rules_help():
    from app.tallying.registry import list_rules

    return [r for r in list_rules("budgeting") if r.name in ("greedy_cost", "mes_cost_add1", "mes_cost", "phragmen")]


@bp.route("/<int:process_id>/admin", methods=["GET", "POST"])
@role_required(ADMIN)
def admin_edit(process_id: int):
    proc = _process_or_404(process_id)
    frozen = proc.voting_has_opened()
    formdata = None
    if request.method == "POST" and frozen:
        # Frozen fields are shown disabled, so browsers do not send them: keep the stored values.
        formdata = request.form.copy()
        for name in services.FROZEN_FIELDS:
            if name not in formdata and getattr(proc, name) is not None:
                formdata[name] = str(getattr(proc, name))
    form = ProcessForm(formdata=formdata, obj=proc) if formdata is not None else ProcessForm(obj=proc)
    if frozen:
        for name in services.FROZEN_FIELDS:
            getattr(form, name).render_kw = {"disabled": True}
    if request.method == "GET":
        for name in ("ideas_open_at", "review_at", "voting_open_at", "voting_close_at"):
            getattr(form, name).data = _local(getattr(proc, name))
    form.rule.choices = _rule_choices(form.ballot_type.data or proc.ballot_type)
    status = 200
    if form.validate_on_submit():
        try:
            changes = services.update_process(proc, _process_data(form), current_user)
        except services.PBError as error:
            _fail(form, error)
            status = error.status
        else:
            flash(_("Settings saved.") if changes else _("Nothing changed."), "success")
            return redirect(url_for("budgeting.admin_edit", process_id=proc.id))
    elif request.method == "POST":
        status = 400
    return render_template("budgeting/admin_form.html", form=form, process=proc, pot_form=PotForm(formdata=None),
                           confirm=ConfirmForm(), rules=_rules_help(), frozen=frozen), status


@bp.route("/<int:process_id>/admin/pots", methods=["POST"])
@role_required(ADMIN)
def admin_pot_add(process_id: int):
    proc = _process_or_404(process_id)
    form = PotForm()
    if form.validate_on_submit():
        try:
            services.add_pot(proc, form.name_lt.data, form.name_en.data, form.budget.data, current_user)
        except services.PBError as error:
            return _pot_error(proc, form, error)
        flash(_("Budget pot added."), "success")
        return redirect(url_for("budgeting.admin_edit", process_id=proc.id))
    return _pot_error(proc, form, None)


def _pot_error(proc, pot_form, error):
    status = 400
    if error is not None:
        _fail(pot_form, error)
        status = error.status
    form = ProcessForm(obj=proc, formdata=None)
    for name in ("ideas_open_at", "review_at", "voting_open_at", "voting_close_at"):
        getattr(form, name).data = _local(getattr(proc, name))
    form.rule.choices = _rule_choices(proc.ballot_type)
    return render_template("budgeting/admin_form.html", form=form, process=proc, pot_form=pot_form,
                           confirm=ConfirmForm(), rules=_rules_help(), frozen=proc.voting_has_opened()), status


@bp.route("/<int:process_id>/admin/pots/<int:pot_id>", methods=["POST"])
@role_required(ADMIN)
def admin_pot_edit(process_id: int, pot_id: int):
    proc = _process_or_404(process_id)
    pot = services.get_pot(proc, pot_id)
    form = PotForm()
    if form.validate_on_submit():
        try:
            services.update_pot(pot, form.name_lt.data, form.name_en.data, form.budget.data, current_user)
        except services.PBError as error:
            return _pot_error(proc, form, error)
        flash(_("Budget pot saved."), "success")
        return redirect(url_for("budgeting.admin_edit", process_id=proc.id))
    return _pot_error(proc, form, None)


@bp.route("/<int:process_id>/admin/pots/<int:pot_id>/delete", methods=["POST"])
@role_required(ADMIN)
def admin_pot_delete(process_id: int, pot_id: int):
    proc = _process_or_404(process_id)
    pot = services.get_pot(proc, pot_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.delete_pot(pot, current_user)
    except services.PBError as error:
        abort(error.status, description=error.message)
    flash(_("Budget pot removed."), "success")
    return redirect(url_for("budgeting.admin_edit", process_id=proc.id))


@bp.route("/<int:process_id>/admin/close", methods=["POST"])
@role_required(ADMIN)
def admin_close(process_id: int):
    proc = _process_or_404(process_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.close_voting(proc, current_user)
    except services.PBError as error:
        abort(error.status, description=error.message)
    flash(_("Voting is closed."), "success")
    return redirect(url_for("budgeting.admin_edit", process_id=proc.id))


@bp.route("/<int:process_id>/admin/tally", methods=["POST"])
@role_required(ADMIN)
def admin_tally(process_id: int):
    proc = _process_or_404(process_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        tally.tally_process(proc, current_user)
    except services.PBError as error:
        abort(error.status, description=error.message)
    flash(_("The votes were counted and the results are published."), "success")
    return redirect(url_for("budgeting.results", process_id=proc.id))


# --- moderators -------------------------------------------------------------------------

@bp.route("/<int:process_id>/moderation")
@role_required(MODERATOR)
def moderation(process_id: int):
    proc = _process_or_404(process_id)
    groups = {status: idea_service.ideas_of(proc, (status,)) for status in (SUBMITTED, FEASIBLE, INFEASIBLE, MERGED)}
    return render_template("budgeting/moderation.html", process=proc, groups=groups)


@bp.route("/<int:process_id>/moderation/ideas/<int:idea_id>", methods=["GET", "POST"])
@role_required(MODERATOR)
def review(process_id: int, idea_id: int):
    proc = _process_or_404(process_id)
    item = idea_service.get_idea(proc, idea_id)
    if item is None:
        abort(404, description=_("There is no such idea in this process."))
    action = request.form.get("action") if request.method == "POST" else None
    review_form = ReviewForm(formdata=request.form if action == "review" else None,
                             decision=item.status if item.status in (FEASIBLE, INFEASIBLE) else None,
                             final_cost=item.final_cost or item.estimated_cost, reason=item.review_reason)
    edit_form = EditIdeaForm(formdata=request.form if action == "edit" else None, obj=item)
    merge_form = MergeForm(formdata=request.form if action == "merge" else None)
    merge_form.target_id.choices = [(i.id, f"#{i.id} {i.title}") for i in idea_service.ideas_of(proc)
                                    if i.id != item.id and i.pot_id == item.pot_id and i.status != MERGED]
    status = 200
    try:
        if action == "review" and review_form.validate():
            idea_service.review_idea(item, review_form.decision.data == "feasible", review_form.reason.data,
                                     review_form.final_cost.data, current_user)
            flash(_("Review saved."), "success")
            return redirect(url_for("budgeting.moderation", process_id=proc.id))
        if action == "edit" and edit_form.validate():
            changed = idea_service.edit_idea(item, edit_form.title.data, edit_form.description.data,
                                             edit_form.location.data, current_user)
            flash(_("The idea was edited; the earlier wording is kept.") if changed else _("Nothing changed."),
                  "success")
            return redirect(url_for("budgeting.review", process_id=proc.id, idea_id=item.id))
        if action == "merge" and merge_form.validate():
            target = idea_service.get_idea(proc, merge_form.target_id.data)
            if target is None:
                abort(404)
            idea_service.merge_idea(item, target, merge_form.reason.data or "", current_user)
            flash(_("The duplicate was merged."), "success")
            return redirect(url_for("budgeting.moderation", process_id=proc.id))
    except services.PBError as error:
        _fail({"review": review_form, "edit": edit_form, "merge": merge_form}.get(action), error)
        status = error.status
    if request.method == "POST" and status == 200:
        status = 400
    return render_template("budgeting/review.html", process=proc, idea=item, review_form=review_form,
                           locked=proc.voting_has_opened(),
                           edit_form=edit_form, merge_form=merge_form,
                           versions=idea_service.versions_of(item)), status


@bp.route("/<int:process_id>/moderation/paper/<int:pot_id>", methods=["GET", "POST"])
@role_required(MODERATOR)
def paper(process_id: int, pot_id: int):
    proc = _process_or_404(process_id)
    pot = services.get_pot(proc, pot_id)
    projects = idea_service.ballot_projects(pot)
    form = PaperBallotForm()
    status, error, current = 200, None, {}
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 400
        else:
            try:
                current = voting.choices_from_form(proc, request.form)
                receipt = voting.enter_paper_ballot(proc, pot, current_user, g.municipality, current,
                                                    form.serial.data)
            except services.PBError as exc:
                if exc.field == "serial":
                    form.serial.errors = [exc.message]
                error, status = exc.message, exc.status
            else:
                flash(_("Paper ballot entered; its receipt code is %(code)s.", code=receipt), "success")
                return redirect(url_for("budgeting.paper", process_id=proc.id, pot_id=pot.id))
    turnout = voting.turnout(proc).get(pot.id, {})
    return render_template("budgeting/paper.html", process=proc, pot=pot, projects=projects, form=form,
                           error=error, current=current, turnout=turnout,
                           spent=sum(p.final_cost for p in projects if p.id in current)), status


@bp.app_template_filter("pb_amount")
def pb_amount(value) -> Decimal:
    """An exact number from a stored outcome (int, "p/q" or {"exact", "approx"}) in euro cents."""
    if value is None:
        return Decimal(0)
    if isinstance(value, dict):
        value = value.get("exact", value.get("approx", 0))
    exact = Fraction(value) if isinstance(value, str) else Fraction(value)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"))


from app.budgeting import metrics  # noqa: E402

metrics.register()

from app.budgeting import report  # noqa: E402

report.register()
