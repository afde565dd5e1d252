"""Counts in words, for what the commands print and the mails say: "1 post", "3 posts"."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
