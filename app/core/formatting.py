"""Locale-aware Jinja filters: dates read 2026-11-23 in Lithuanian."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_date, format_datetime, format_decimal, format_percent

from app.core.markdown import render_markdown
from app.i18n import localized


def _date(value: date | datetime | None, fmt: str = "short") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_date(value, "yyyy-MM-dd") if fmt == "short" else format_date(value, fmt)
    return format_date(value, "yyyy-MM-dd") if fmt == "short" else format_date(value, fmt)


def _datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_datetime(value, "yyyy-MM-dd HH:mm")


def _number(value) -> str:
    if value is None:
        return ""
    return format_decimal(value)


def _money(value) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return format_currency(value, "EUR", format="#,##0\u00a0¤", currency_digits=False)
    return format_currency(value, "EUR")


def _percent(value) -> str:
    if value is None:
        return "—"
    return format_percent(value, "#,##0.0%")


def init_formatting(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=_date, datetime=_datetime, number=_number, money=_money, percent=_percent,
        markdown=render_markdown,
    )
    app.jinja_env.globals.update(localized=localized)
