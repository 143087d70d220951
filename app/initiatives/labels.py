"""Translated names of statuses and decisions (lazy: used in templates and exports)."""
from app.i18n import _l

STATUS_LABELS = {
    "draft": _l("Draft"),
    "submitted": _l("Waiting for moderation"),
    "changes_requested": _l("Changes requested"),
    "published": _l("Collecting signatures"),
    "threshold_reached": _l("Threshold reached"),
    "answered": _l("Answered"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
    "expired": _l("Expired"),
}
STATUS_BADGES = {
    "published": "ok", "threshold_reached": "ok", "answered": "ok", "rejected": "danger",
    "withdrawn": "", "expired": "", "draft": "", "submitted": "warn", "changes_requested": "warn",
}
DECISION_LABELS = {
    "accepted": _l("Accepted"),
    "partly_accepted": _l("Partly accepted"),
    "not_accepted": _l("Not accepted"),
    "referred_to_council": _l("Referred to the municipal council"),
}
# Filters offered on the public list.
LIST_FILTERS = {
    "open": _l("Collecting signatures"),
    "threshold_reached": _l("Threshold reached"),
    "answered": _l("Answered"),
    "rejected": _l("Rejected"),
    "expired": _l("Expired"),
    "withdrawn": _l("Withdrawn"),
}
SORTS = {
    "signed": _l("Most signed"),
    "newest": _l("Newest"),
    "closing": _l("Closing soon"),
}
