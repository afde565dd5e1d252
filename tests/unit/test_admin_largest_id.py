"""The admin's edit page finds a row by any id a row can have, up to the largest (2^31 - 1;
one more is refused before any query: tests/unit/test_admin_pages.py)."""

from __future__ import annotations

from app.models import INT_MAX
from tests.factories import AdminFactory, TagFactory
from tests.support.html import get_page, one
from tests.support.sessions import log_in_session


def test_a_row_with_the_largest_id_can_be_edited(client):
    log_in_session(client, AdminFactory())
    TagFactory(id=INT_MAX, title="last")
    page = get_page(client, f"/admin/tags/edit/?id={INT_MAX}")
    assert one(page, "input#title")["value"] == "last"
