"""Read and write ``.pb`` files, the open format of pabulib.org.

A file has three sections, ``META``, ``PROJECTS`` and ``VOTES``, each followed
by a header line; fields are separated by ``;`` and use CSV quoting. Reading is
streaming (one row at a time, identical ballots merged as they come), tolerant
of what real files contain (byte-order mark, CRLF line ends, quoted fields,
extra columns, empty lines, missing optional fields) and strict about what the
count depends on: a broken file raises :class:`~app.tallying.errors.PabulibFormatError`
naming the file and the line.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import IO, Any

from .errors import InvalidBallot, InvalidInstance, PabulibFormatError, TallyingError
from .model import (
    ApprovalProfile,
    CumulativeProfile,
    Instance,
    Number,
    OrdinalProfile,
    Profile,
    Project,
    exact,
)

__all__ = ["read_pabulib", "parse_pabulib_text", "write_pabulib", "format_number", "VOTE_TYPES"]

#: vote types we can read, and the profile class each becomes
VOTE_TYPES = {
    "approval": ApprovalProfile,
    "choose-1": ApprovalProfile,
    "cumulative": CumulativeProfile,
    "scoring": CumulativeProfile,
    "ordinal": OrdinalProfile,
}

_SECTIONS = ("meta", "projects", "votes")


def read_pabulib(path: str | os.PathLike[str]) -> tuple[Instance, Profile]:
    """Read a ``.pb`` file and return ``(instance, profile)``.

    Raises :class:`PabulibFormatError` (with the line number) for a broken
    file, including an unreadable one.
    """
    name = os.fspath(path)
    try:
        # utf-8-sig drops a byte-order mark, like pabutools; newline="" lets the
        # csv module handle CRLF and line breaks inside quoted fields.
        with open(name, encoding="utf-8-sig", newline="") as handle:
            return _parse(handle, name)
    except UnicodeDecodeError as exc:
        raise PabulibFormatError(f"file is not valid UTF-8 text ({exc.reason} at byte {exc.start})", path=name) from None
    except OSError as exc:
        raise PabulibFormatError(f"cannot read file: {exc.strerror or exc}", path=name) from None


def parse_pabulib_text(text: str, name: str = "<string>") -> tuple[Instance, Profile]:
    """Parse the content of a ``.pb`` file given as a string."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _parse(io.StringIO(text, newline=""), name)


def _parse(handle: IO[str], name: str) -> tuple[Instance, Profile]:
    reader = csv.reader(handle, delimiter=";")
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: list[Project] = []
    seen_ids: dict[str, int] = {}
    section = ""
    header: list[str] = []
    profile: Profile | None = None
    first_line: dict[Any, int] = {}
    vote_col = points_col = -1
    vote_type = ""
    line = 0

    def fail(message: str) -> PabulibFormatError:
        return PabulibFormatError(message, path=name, line=line)

    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # empty line
            first = row[0].strip()
            lowered = first.lower()
            if lowered in _SECTIONS and (len(row) == 1 or not "".join(row[1:]).strip()):
                section = lowered
                try:
                    header = [h.strip().lower() for h in next(reader)]
                except StopIteration:
                    raise fail(f"section {first} has no header line") from None
                line = reader.line_num
                if section == "projects":
                    for col in ("project_id", "cost"):
                        if col not in header:
                            raise fail(f"PROJECTS header has no {col!r} column")
                elif section == "votes":
                    if not projects:
                        raise fail("VOTES section before any project (missing PROJECTS section?)")
                    vote_type = meta.get("vote_type", "").strip().lower()
                    if not vote_type:
                        raise fail("META has no vote_type")
                    if vote_type not in VOTE_TYPES:
                        line = meta_lines.get("vote_type", line)
                        raise fail(f"unsupported vote_type {vote_type!r} (expected one of {', '.join(VOTE_TYPES)})")
                    if "vote" not in header:
                        raise fail("VOTES header has no 'vote' column")
                    vote_col = header.index("vote")
                    points_col = header.index("points") if "points" in header else -1
                    if vote_type in ("cumulative", "scoring") and points_col < 0:
                        raise fail(f"VOTES header has no 'points' column, needed for {vote_type} ballots")
                    profile = _new_profile(vote_type, meta, fail)
                continue
            if section == "meta":
                if first.lower() == "key" and len(row) > 1 and row[1].strip().lower() == "value":
                    continue
                meta[first] = row[1].strip() if len(row) > 1 else ""
                meta_lines[first] = line
            elif section == "projects":
                projects.append(_project_row(row, header, seen_ids, line, fail))
            elif section == "votes":
                assert profile is not None
                vote = row[vote_col].strip() if vote_col < len(row) else ""
                if vote.lower() == "none":
                    vote = ""
                if points_col < 0:
                    ids = [p.strip() for p in vote.split(",")] if vote else []
                    if "" in ids:
                        ids = [p for p in ids if p]
                    if vote_type == "ordinal":
                        key: Any = tuple(dict.fromkeys(ids))
                    else:
                        key = tuple(sorted(set(ids)))
                    counts = profile._counts
                    if key in counts:
                        counts[key] += 1
                        profile._total += 1
                    else:
                        first_line[key] = line
                        profile._add_canonical(key, 1)
                else:
                    points_text = row[points_col].strip() if points_col < len(row) else ""
                    if points_text.lower() == "none":
                        points_text = ""
                    ids = [p.strip() for p in vote.split(",")] if vote else []
                    pts = [p.strip() for p in points_text.split(",")] if points_text else []
                    if len(ids) != len(pts):
                        raise fail(f"ballot lists {len(ids)} projects but {len(pts)} point values")
                    try:
                        key = profile.canonical(zip(ids, pts))
                    except InvalidBallot as exc:
                        raise fail(str(exc)) from None
                    if key not in profile._counts:
                        first_line[key] = line
                    profile._add_canonical(key, 1)
            else:
                raise fail(f"unexpected content before the META section: {';'.join(row)[:60]!r}")
    except csv.Error as exc:
        raise PabulibFormatError(f"malformed CSV: {exc}", path=name, line=reader.line_num) from None

    line = reader.line_num
    if "budget" not in meta:
        raise PabulibFormatError("META has no budget", path=name)
    if not projects:
        raise PabulibFormatError("file has no projects (missing PROJECTS section?)", path=name)
    if profile is None:
        raise PabulibFormatError("file has no VOTES section", path=name)
    try:
        budget = exact(meta["budget"], what="budget")
        instance = Instance(projects, budget, meta=meta)
    except InvalidInstance as exc:
        raise PabulibFormatError(f"META: {exc}", path=name) from None
    # Checking each distinct ballot once is much cheaper than checking each row.
    known = instance._by_id
    for key, at in first_line.items():
        ids = key if profile.kind != "cumulative" else [p for p, _ in key]
        for pid in ids:
            if pid not in known:
                raise PabulibFormatError(f"ballot names unknown project {pid!r}", path=name, line=at)
    profile.meta = meta
    return instance, profile


def _new_profile(vote_type: str, meta: Mapping[str, str], fail: Any) -> Profile:
    cls = VOTE_TYPES[vote_type]
    if cls is CumulativeProfile:
        limit = meta.get("max_sum_points", "").strip()
        max_points = None
        if limit and limit.lower() != "none":
            try:
                max_points = exact(limit, what="max_sum_points")
            except InvalidInstance as exc:
                raise fail(f"META: {exc}") from None
        try:
            profile: Profile = CumulativeProfile(max_points=max_points)
        except TallyingError as exc:
            raise fail(f"META: {exc}") from None
    else:
        profile = cls()
    profile.vote_type = vote_type
    return profile


def _project_row(row: list[str], header: list[str], seen: dict[str, int], line: int, fail: Any) -> Project:
    fields: dict[str, str] = {}
    for i, value in enumerate(row):
        key = header[i] if i < len(header) else f"column_{i + 1}"
        fields[key] = value.strip()
    pid = fields.get("project_id", "")
    if not pid:
        raise fail("project row has no project_id")
    if pid in seen:
        raise fail(f"project {pid!r} is listed twice (first on line {seen[pid]})")
    seen[pid] = line
    cost_text = fields.get("cost", "")
    if not cost_text:
        raise fail(f"project {pid!r} has no cost")
    try:
        cost = exact(cost_text, what=f"cost of project {pid!r}")
    except InvalidInstance as exc:
        raise fail(str(exc)) from None
    if cost <= 0:
        raise fail(f"cost of project {pid!r} must be positive, got {cost_text}")

    def _set(*names: str) -> frozenset[str]:
        for n in names:
            value = fields.get(n, "")
            if value and value.lower() != "none":
                return frozenset(x.strip() for x in value.split(",") if x.strip())
        return frozenset()

    extra = {k: v for k, v in fields.items() if k not in ("project_id", "cost")}
    return Project(
        pid,
        cost,
        name=fields.get("name", ""),
        categories=_set("category", "categories"),
        targets=_set("target", "targets"),
        meta=extra,
    )


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def format_number(value: Number) -> str:
    """Write an exact number so that both Talka and pabutools read it back exactly.

    Integers as is; fractions with a finite decimal expansion as decimals
    (``12.5``); other fractions as ``p/q``.
    """
    if isinstance(value, int):
        return str(value)
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    d = value.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    scaled = value * 10**digits
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled.numerator), 10**digits)
    return f"{sign}{whole}.{str(frac).rjust(digits, '0')}"


def write_pabulib(
    target: str | os.PathLike[str] | IO[str],
    instance: Instance,
    profile: Profile,
    meta: Mapping[str, Any] | None = None,
) -> None:
    """Write ``instance`` and ``profile`` as a ``.pb`` file (path or text stream).

    Every ballot is written (identical ballots repeated), so a round trip keeps
    the profile exactly; pabutools' ``parse_pabulib`` reads the result.
    """
    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            _write(handle, instance, profile, meta)
    else:
        _write(target, instance, profile, meta)


def _write(handle: IO[str], instance: Instance, profile: Profile, meta: Mapping[str, Any] | None) -> None:
    if instance.budget is None:
        raise InvalidInstance("cannot write a .pb file without a budget")
    writer = csv.writer(handle, delimiter=";", lineterminator="\n")
    merged: dict[str, str] = {
        "description": "Talka export",
        "country": "",
        "unit": "",
        "instance": "",
    }
    merged.update({k: str(v) for k, v in instance.meta.items()})
    merged.update({k: str(v) for k, v in (meta or {}).items()})
    vote_type = getattr(profile, "vote_type", "") or profile.kind
    merged["num_projects"] = str(len(instance))
    merged["num_votes"] = str(len(profile))
    merged["budget"] = format_number(instance.budget)
    merged["vote_type"] = vote_type
    if profile.max_points is not None:
        merged["max_sum_points"] = format_number(profile.max_points)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in merged.items():
        writer.writerow([key, value])

    extra_cols: list[str] = []
    for p in instance:
        for key in p.meta:
            if key not in ("project_id", "cost", "name", "category", "categories", "target", "targets") and key not in extra_cols:
                extra_cols.append(key)
    has_cat = any(p.categories for p in instance)
    has_target = any(p.targets for p in instance)
    cols = ["project_id", "cost", "name"] + (["category"] if has_cat else []) + (["target"] if has_target else []) + extra_cols
    writer.writerow(["PROJECTS"])
    writer.writerow(cols)
    for p in instance:
        row = [p.id, format_number(p.cost) if p.cost is not None else "", p.name]
        if has_cat:
            row.append(",".join(sorted(p.categories)))
        if has_target:
            row.append(",".join(sorted(p.targets)))
        row.extend(str(p.meta.get(k, "")) for k in extra_cols)
        writer.writerow(row)

    writer.writerow(["VOTES"])
    cumulative = profile.kind == "cumulative"
    writer.writerow(["voter_id", "vote", "points"] if cumulative else ["voter_id", "vote"])
    voter = 0
    for ballot, count in profile.items():
        if cumulative:
            # pabutools reads an empty points field as one unnamed project; "None" is its empty marker
            fields = [",".join(p for p, _ in ballot) or "None", ",".join(format_number(v) for _, v in ballot) or "None"]
        else:
            fields = [",".join(ballot)]
        for _ in range(count):
            voter += 1
            writer.writerow([str(voter), *fields])


def iter_rows(rows: Iterable[Iterable[str]]) -> str:  # pragma: no cover - helper for tests
    """Join rows into ``.pb`` text (handy for building small files in tests)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    for r in rows:
        w.writerow(list(r))
    return out.getvalue()
