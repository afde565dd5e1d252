"""Mutation operators of our own, beside cosmic-ray's core ones.

cosmic-ray changes operators and constants but never drops a statement, and the gaps that
matter most here are calls made for their effect: ``db.session.commit()``,
``db.session.rollback()``, ``logout_user()``, ``session.clear()``, ``flash(...)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cosmic_ray.operators.operator import Example, Operator
from parso.python.tree import Keyword


class RemoveCallStatement(Operator):
    """A statement that is only a call (its value unused) becomes ``pass``."""

    def mutation_positions(self, node: Any) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
        if (
            node.type == "atom_expr"
            and node.parent.type == "simple_stmt"
            and node.children[-1].type == "trailer"
            and node.children[-1].children[0].value == "("
        ):
            yield (node.start_pos, node.end_pos)

    def mutate(self, node: Any, index: int) -> Any:
        return Keyword("pass", node.start_pos, prefix=node.get_first_leaf().prefix)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return (
            Example("db.session.commit()\n", "pass\n"),
            Example("x = f()\n", "x = f()\n"),
        )


OPERATORS: dict[str, type[Operator]] = {"RemoveCallStatement": RemoveCallStatement}


class Provider:
    """The ``blog/...`` operators, registered with cosmic-ray by :mod:`tests.mutation.run`."""

    def __iter__(self) -> Iterator[str]:
        return iter(OPERATORS)

    def __getitem__(self, name: str) -> type[Operator]:
        return OPERATORS[name]
