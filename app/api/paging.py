"""One page of a query, with its meta data and the links to its neighbours."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import Select

from app.api.schemas import MAX_PER_PAGE
from app.extensions import db


def page_of(
    query: Select[Any], args: dict[str, Any], endpoint: str, **values: Any
) -> dict[str, Any]:
    """``query``'s page ``args["page"]``; ``values`` are the endpoint's other URL values."""
    per_page = min(args["per_page"], MAX_PER_PAGE)
    page = db.paginate(query, page=args["page"], per_page=per_page, error_out=False)

    def link(number: int) -> str:
        query_values = {key: value for key, value in values.items() if value is not None}
        return url_for(endpoint, page=number, per_page=per_page, **query_values)

    return {
        "items": page.items,
        "meta": {"page": page.page, "per_page": per_page, "total": page.total, "pages": page.pages},
        "links": {
            "self": link(page.page),
            "first": link(1),
            "last": link(max(page.pages, 1)),
            "prev": link(page.page - 1) if page.has_prev else None,
            "next": link(page.page + 1) if page.has_next else None,
        },
    }
