"""The period a comparison covers: dates in Europe/Vilnius, the end day included."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from app.i18n import _

LOCAL = ZoneInfo("Europe/Vilnius")
EARLIEST = date(2000, 1, 1)
LONGEST_DAYS = 10 * 366


@dataclass(frozen=True)
class Period:
    start: date  # first day, included
    end: date    # last day, included

    @property
    def start_utc(self) -> datetime:
        return datetime.combine(self.start, time.min, LOCAL).astimezone(timezone.utc)

    @property
    def end_utc(self) -> datetime:
        """The instant after the last day: metrics count [start_utc, end_utc)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, LOCAL).astimezone(timezone.utc)

    def months(self) -> list[str]:
        """'YYYY-MM' for every month the period touches, in order."""
        months = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


class PeriodError(ValueError):
    """The requested period cannot be used; the message is translated."""


def today_local() -> date:
    return datetime.now(LOCAL).date()


def default_period(today: date | None = None) -> Period:
    """The last twelve calendar months up to today: from the first day of the month
    eleven months ago, so that the monthly series has twelve whole buckets."""
    today = today or today_local()
    month_index = today.year * 12 + today.month - 1 - 11
    return Period(date(month_index // 12, month_index % 12 + 1, 1), today)


def _parse(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def parse_period(args, today: date | None = None) -> Period:
    """Read ``start`` and ``end`` (YYYY-MM-DD) from request args.

    Neither given: the default period. Otherwise both must be valid dates, the start
    not after the end, and the span at most ten years. Raises :class:`PeriodError`.
    """
    raw_start, raw_end = args.get("start"), args.get("end")
    if raw_start is None and raw_end is None:
        return default_period(today)
    if not (raw_start or "").strip() or not (raw_end or "").strip():
        raise PeriodError(_("Enter both the first and the last day of the period."))
    start, end = _parse(raw_start), _parse(raw_end)
    if start is None or end is None:
        raise PeriodError(_("Enter dates as YYYY-MM-DD, for example 2026-01-31."))
    if start > end:
        raise PeriodError(_("The period is reversed: the first day is after the last day."))
    if start < EARLIEST or end > date(2100, 12, 31):
        raise PeriodError(_("Choose dates between 2000-01-01 and 2100-12-31."))
    if (end - start).days > LONGEST_DAYS:
        raise PeriodError(_("Choose a period of at most ten years."))
    return Period(start, end)
