"""Pagination that costs two queries whatever the page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import func, select

from app.extensions import db


@dataclass
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query, per_page: int = 20, page: int | None = None) -> Page:
    if page is None:
        page = request.args.get("page", 1, type=int) or 1
    page = max(1, page)
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    items = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).unique().scalars().all()
    return Page(items=list(items), page=page, per_page=per_page, total=total)
