"""Red-flag conditions: the structured grammar of spec section 4.1, and its evaluation.

Rules and ``show_if`` are data, never code. There is no negation: every atomic condition is true
only for an *answered* item (spec 4.2), so an unanswered or hidden item makes every atom on it
false, and answering a bool ``true`` or an ability question ``no`` can only make more atoms true.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

#: A validated answer: ``bool`` for bool items, ``int`` for int items, ``str`` for choice and text.
AnswerValue: TypeAlias = bool | int | str

ComparisonOp: TypeAlias = Literal["<", "<=", ">", ">=", "=="]

COMPARISONS: Final[dict[str, Callable[[int, int], bool]]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}


@dataclass(frozen=True, slots=True)
class ItemIsTrue:
    """``{"item": ID, "is": true}``: a bool item answered ``true`` (notation: ``ID``)."""

    item: str


@dataclass(frozen=True, slots=True)
class ItemCompare:
    """``{"item": ID, "op": OP, "value": N}``: an int item answered and ``answer OP N`` holds."""

    item: str
    op: ComparisonOp
    value: int


@dataclass(frozen=True, slots=True)
class ItemIn:
    """``{"item": ID, "in": [OPT, ...]}``: a choice item answered with one of the options."""

    item: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """``{"all": [C, ...]}``: every sub-condition is true."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """``{"any": [C, ...]}``: at least one sub-condition is true."""

    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AtLeast:
    """``{"at_least": N, "of": [C, ...]}``: N or more sub-conditions are true."""

    count: int
    conditions: tuple[Condition, ...]


AtomicCondition: TypeAlias = ItemIsTrue | ItemCompare | ItemIn
Condition: TypeAlias = ItemIsTrue | ItemCompare | ItemIn | AllOf | AnyOf | AtLeast


def holds(condition: Condition, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether ``condition`` is true for ``answers`` (spec 4.1, 4.2).

    ``answers`` must already have hidden items removed (spec 4.3); an item absent from it is
    unanswered and every atom on it is false. Values of the wrong type are treated as
    unanswered, so this never raises on a mapping of answer values.
    """
    if isinstance(condition, ItemIsTrue):
        return answers.get(condition.item) is True
    if isinstance(condition, ItemCompare):
        value = answers.get(condition.item)
        # ``type(...) is int`` and not isinstance: True must never count as the number 1.
        return type(value) is int and COMPARISONS[condition.op](value, condition.value)
    if isinstance(condition, ItemIn):
        value = answers.get(condition.item)
        return isinstance(value, str) and value in condition.options
    if isinstance(condition, AllOf):
        return all(holds(c, answers) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(holds(c, answers) for c in condition.conditions)
    met = 0
    for sub in condition.conditions:
        if holds(sub, answers):
            met += 1
            if met >= condition.count:
                return True
    return False


def count_true(conditions: tuple[Condition, ...], answers: Mapping[str, AnswerValue]) -> int:
    """How many of ``conditions`` are true (for rationale lines such as NG65's criteria)."""
    return sum(1 for c in conditions if holds(c, answers))


def atoms(condition: Condition) -> Iterator[AtomicCondition]:
    """Every atomic condition inside ``condition``, depth first, in file order."""
    if isinstance(condition, ItemIsTrue | ItemCompare | ItemIn):
        yield condition
        return
    for sub in condition.conditions:
        yield from atoms(sub)


def referenced_items(condition: Condition) -> tuple[str, ...]:
    """Ids of the items ``condition`` tests, each once, in order of first appearance."""
    return tuple(dict.fromkeys(atom.item for atom in atoms(condition)))


def notation(condition: Condition) -> str:
    """The condition in the notation of clinical-spec.md, e.g. ``ALL(a, ANY(b, c))``."""
    if isinstance(condition, ItemIsTrue):
        return condition.item
    if isinstance(condition, ItemCompare):
        return f"{condition.item} {condition.op} {condition.value}"
    if isinstance(condition, ItemIn):
        if len(condition.options) == 1:
            return f"{condition.item} == {condition.options[0]}"
        return f"{condition.item} IN {{{', '.join(condition.options)}}}"
    inner = ", ".join(notation(c) for c in condition.conditions)
    if isinstance(condition, AllOf):
        return f"ALL({inner})"
    if isinstance(condition, AnyOf):
        return f"ANY({inner})"
    return f"AT_LEAST({condition.count}; {inner})"


class ConditionSyntaxError(ValueError):
    """A condition in a protocol file that is not in the grammar of spec 4.1.

    ``path`` locates the offending part inside the data passed to :func:`condition_from_data`.
    """

    def __init__(self, message: str, path: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def condition_from_data(data: object, path: tuple[str | int, ...] = ()) -> Condition:
    """Build a condition from its protocol-file form (parsed YAML/JSON).

    Raises:
        ConditionSyntaxError: ``data`` is not one of the six forms of spec 4.1 (wrong keys,
            wrong value types, an empty list, ``is`` other than ``true``).
    """
    if not isinstance(data, dict):
        raise ConditionSyntaxError("a condition must be a mapping", path)
    keys = frozenset(data)
    if keys == {"item", "is"}:
        item = _item_id(data, path)
        if data["is"] is not True:
            raise ConditionSyntaxError(
                "'is' must be true: the grammar has no negation (spec 4.1)", (*path, "is")
            )
        return ItemIsTrue(item)
    if keys == {"item", "op", "value"}:
        item = _item_id(data, path)
        op = data["op"]
        if op not in COMPARISONS:
            raise ConditionSyntaxError(
                f"'op' must be one of {', '.join(COMPARISONS)}", (*path, "op")
            )
        value = data["value"]
        if type(value) is not int:
            raise ConditionSyntaxError("'value' must be an integer", (*path, "value"))
        return ItemCompare(item, op, value)
    if keys == {"item", "in"}:
        item = _item_id(data, path)
        options = data["in"]
        if (
            not isinstance(options, list)
            or not options
            or not all(isinstance(o, str) for o in options)
        ):
            raise ConditionSyntaxError("'in' must be a non-empty list of option ids", (*path, "in"))
        return ItemIn(item, tuple(options))
    if keys == {"all"}:
        return AllOf(_sub_conditions(data["all"], (*path, "all")))
    if keys == {"any"}:
        return AnyOf(_sub_conditions(data["any"], (*path, "any")))
    if keys == {"at_least", "of"}:
        count = data["at_least"]
        if type(count) is not int or count < 1:
            raise ConditionSyntaxError("'at_least' must be an integer of 1 or more", path)
        subs = _sub_conditions(data["of"], (*path, "of"))
        if count > len(subs):
            raise ConditionSyntaxError(
                f"'at_least' is {count} but only {len(subs)} conditions follow: it can never be "
                "true",
                path,
            )
        return AtLeast(count, subs)
    raise ConditionSyntaxError(
        "not a condition of spec 4.1: expected {item, is}, {item, op, value}, {item, in}, "
        f"{{all}}, {{any}} or {{at_least, of}}, found keys {sorted(map(str, keys))}",
        path,
    )


def _item_id(data: dict[object, object], path: tuple[str | int, ...]) -> str:
    item = data["item"]
    if not isinstance(item, str) or not item:
        raise ConditionSyntaxError("'item' must be an item id", (*path, "item"))
    return item


def _sub_conditions(data: object, path: tuple[str | int, ...]) -> tuple[Condition, ...]:
    if not isinstance(data, list) or not data:
        raise ConditionSyntaxError("must be a non-empty list of conditions", path)
    return tuple(condition_from_data(sub, (*path, i)) for i, sub in enumerate(data))
