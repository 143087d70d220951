"""Ranking questions counted with a rule from the tallying registry (Borda or instant-runoff).

Options are candidates identified by their option id (as text); each response is a
ranked ballot, best first. The Outcome's structured explanation (rounds, scores) is
kept as data so that the results page and the JSON export explain the count.
"""
from __future__ import annotations

from typing import Any

from flask_babel import get_locale

from app.i18n import localized

# The rules a questionnaire may use for its ranking questions; Borda is the default.
RANKING_RULES = ("borda", "irv")


def tally_ranking(question, ballots: list[list[int]], rule_name: str) -> dict[str, Any]:
    """Run ``rule_name`` on the ballots of one ranking question."""
    from app.tallying import Instance, OrdinalProfile, get_rule

    locale = str(get_locale() or "lt")
    info = get_rule(rule_name)
    labels = {str(o.id): localized(o, "label") for o in question.options}
    result: dict[str, Any] = {
        "rule": rule_name, "title": info.title.get(locale) or info.name,
        "description": info.description.get(locale, ""), "tie_breaking_text": info.tie_breaking.get(locale, ""),
        "labels": labels, "ballots": len(ballots),
    }
    if not ballots:
        result.update(outcome=None, order=[], winner=None, scores=[], rounds=[])
        return result
    instance = Instance.candidates([str(o.id) for o in question.options])
    profile = OrdinalProfile.from_ballots([[str(oid) for oid in ballot] for ballot in ballots])
    # The option order is the published tie-breaking: the option listed first wins a tie.
    outcome = info(instance, profile, tie_breaking=[str(o.id) for o in question.options])
    data = outcome.to_dict()
    order = list(outcome.ranking or outcome.selected)
    explanation = data.get("explanation") or {}
    # Scores per candidate (Borda points) and IRV rounds, in the shapes the page shows.
    scores = [{"id": c.get("candidate"), "score": c.get("score"), "rank": c.get("rank")}
              for c in explanation.get("candidates", []) if "score" in c]
    rounds = [{"round": r.get("round"), "tallies": [(t.get("candidate"), t.get("votes")) for t in r.get("tallies", [])],
               "eliminated": r.get("eliminated"), "winner": r.get("winner"), "exhausted": r.get("exhausted", 0),
               "majority": r.get("majority"), "active": r.get("active"), "tied": ", ".join(labels.get(t, t) for t in r.get("tied") or [])}
              for r in explanation.get("rounds", [])]
    result["tie_breaking_text"] = outcome.tie_breaking.describe().get(locale, "")
    result.update(outcome=data, order=order, winner=outcome.selected[0] if outcome.selected else None,
                  scores=scores, rounds=rounds)
    return result
