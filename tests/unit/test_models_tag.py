"""Tag: unique titles, made from a list of titles without duplicates."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import TAG_MAX, Tag, clean_tag_titles, tags_from_titles
from tests.factories import PostFactory, TagFactory
from tests.support.database import fresh_session

pytestmark = pytest.mark.postgresql


def test_tag_titles_are_unique():
    TagFactory(title="flask")
    with pytest.raises(IntegrityError):
        TagFactory(title="flask")


def test_tag_lists_its_posts():
    tag = TagFactory(title="python")
    post = PostFactory(tags=[tag])
    assert tag.posts == [post]
    assert repr(tag) == "<Tag 'python'>"


def test_clean_tag_titles_strips_blanks_and_duplicates_keeping_order():
    assert clean_tag_titles(["  b ", "a", "", "b", " a \t b "]) == ["b", "a", "a b"]


def test_clean_tag_titles_drops_control_characters():
    assert clean_tag_titles(["\x00", "fl\x07ask\x00"]) == ["flask"]


def test_tags_from_titles_reuses_existing_tags():
    existing = TagFactory(title="flask")
    tags = tags_from_titles(["new", "flask"])
    assert [tag.title for tag in tags] == ["new", "flask"]
    assert tags[1] is existing
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 2


def test_no_titles_make_no_tags():
    assert tags_from_titles([" ", ""]) == []


def test_too_long_title_is_refused_and_nothing_is_saved():
    with pytest.raises(ValueError, match=f"at most {TAG_MAX} characters"):
        tags_from_titles(["ok", "x" * (TAG_MAX + 1)])
    assert db.session.scalar(select(func.count()).select_from(Tag)) == 0


def test_a_title_of_exactly_64_characters_is_kept():
    longest = "t" * 64
    assert [tag.title for tag in tags_from_titles([longest])] == [longest]
    with fresh_session() as session:
        assert session.scalars(select(Tag.title)).all() == [longest]


def test_the_refusal_quotes_the_first_20_characters_of_the_first_long_title():
    with pytest.raises(ValueError, match=r"^Tags must be at most 64 characters: ") as refused:
        tags_from_titles(["ok", "abcdefghijklmnopqrstuvwxyz" * 3, "z" * 65])
    assert str(refused.value).endswith(": 'abcdefghijklmnopqrst'...")


@given(titles=st.lists(st.text(max_size=TAG_MAX), max_size=12))
def test_any_list_of_titles_yields_unique_tags(isolated_example, titles):
    with isolated_example():
        tags = tags_from_titles(titles)
        db.session.commit()
        again = tags_from_titles(titles)
        stored = db.session.scalars(select(Tag.title)).all()
    assert [tag.title for tag in tags] == clean_tag_titles(titles)
    assert again == tags
    assert len(stored) == len(set(stored)) == len(tags)
