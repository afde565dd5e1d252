"""Where a post's excerpt is cut: at the last word boundary past half of its length, else
inside the word; 300 characters by default."""

from __future__ import annotations

from app.rendering import markdown_excerpt


def test_the_default_excerpt_is_300_characters_and_an_ellipsis():
    assert markdown_excerpt("x" * 400) == "x" * 300 + "…"


def test_a_text_of_301_characters_is_cut_and_one_of_300_is_not():
    assert markdown_excerpt("y" * 301) == "y" * 300 + "…"
    assert markdown_excerpt("y" * 300) == "y" * 300


def test_a_space_just_past_half_the_length_is_where_the_excerpt_is_cut():
    # length 10: half is 5, the space is at 6
    assert markdown_excerpt("abcdef ghijklmnop", length=10) == "abcdef…"


def test_a_space_at_exactly_half_the_length_is_too_early_to_cut_at():
    # length 10: the space at 5 would keep only half, so the word is cut instead
    assert markdown_excerpt("abcde fghijklmnop", length=10) == "abcde fghi…"


def test_a_space_before_half_the_length_is_too_early_to_cut_at():
    assert markdown_excerpt("abcd efghijklmnop", length=10) == "abcd efghi…"


def test_the_cut_drops_the_spaces_before_the_ellipsis():
    assert markdown_excerpt("abcdefgh  ijklmnop", length=9) == "abcdefgh…"
