"""`flask pb tally <process>`: count a closed process from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.budgeting import bp

pb_cli = AppGroup("pb", help="Participatory budgeting.")


@pb_cli.command("tally")
@click.argument("process_id", type=int)
def tally_command(process_id: int) -> None:
    """Count every pot of a closed process with its rule (and the comparison rules)."""
    from app.budgeting.models import PBProcess
    from app.budgeting.services import PBError
    from app.budgeting.tally import stored_results, tally_process
    from app.extensions import db

    process = db.session.get(PBProcess, process_id)
    if process is None:
        raise click.ClickException(f"There is no participatory budgeting process {process_id}.")
    try:
        timings = tally_process(process)
    except PBError as error:
        raise click.ClickException(error.message) from None
    for pot in process.pots:
        official, _others = stored_results(pot)
        selected = official.outcome.get("selected", []) if official else []
        seconds = sum(timings.get(pot.id, {}).values())
        click.echo(f"{pot.name_lt}: {official.ballots if official else 0} ballots, rule {process.rule}, "
                   f"winners {', '.join(selected) or '-'} ({seconds * 1000:.0f} ms with comparisons)")


@pb_cli.command("tally-due")
def tally_due_command() -> None:
    """Count every process whose voting has closed and whose results are not yet published (for cron)."""
    from app.budgeting.models import COUNTING, PBProcess
    from app.budgeting.tally import tally_process
    from app.core.models import utcnow
    from app.extensions import db

    due = db.session.execute(
        db.select(PBProcess).where(PBProcess.results_published_at.is_(None), PBProcess.voting_open_at < utcnow())
    ).scalars().all()
    counted = 0
    for process in due:
        if process.phase() == COUNTING:
            tally_process(process)
            counted += 1
            click.echo(f"Counted process {process.id}: {process.title_lt}")
    click.echo(f"{counted} process(es) counted.")


# Registered on the app (not under the blueprint's group) so the command reads `flask pb tally`.
bp.record_once(lambda state: state.app.cli.add_command(pb_cli))
