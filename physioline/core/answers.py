"""Answers to a triage protocol: parse an answers file and validate it (spec section 3).

Validation refuses the whole input on the first problem and names the item, so a mistyped or
misread answer can never be evaluated as something else: ``true`` is not the number 1, ``45.0``
is not 45, a repeated key is not "the last one wins" (decision 19), and an id from protocol
version 1.0 (``knee.unable_to_weight_bear``) is unknown rather than misread.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from physioline.core.conditions import AnswerValue
from physioline.core.protocol import ProtocolItem, TriageProtocol
from physioline.core.vocabulary import ItemType
from physioline.errors import InvalidInput

_UTF8_BOM: Final = b"\xef\xbb\xbf"
#: Integer literals longer than this are out of every item's range; they are not converted
#: (Python refuses very long integer strings, and no range here needs more than 3 digits).
_MAX_INT_DIGITS: Final = 30


class AnswersError(InvalidInput):
    """Answers that fail validation. ``item_id`` is the offending item, when there is one.

    The message is always a single line: it is printed as is by ``triage evaluate``.
    """

    def __init__(self, message: str, item_id: str | None = None) -> None:
        super().__init__(_one_line(message))
        self.item_id = item_id


@dataclass(frozen=True)
class ValidatedAnswers(Mapping[str, AnswerValue]):
    """Answers that passed validation against one exact protocol (bytes, by SHA-256).

    Unanswered items (absent or ``null``) are absent here. Hidden items keep their answers;
    evaluation ignores them (spec 4.3). Only :func:`validate_answers` makes these.
    """

    protocol_id: str
    protocol_sha256: str
    by_item: Mapping[str, AnswerValue]

    def __getitem__(self, item_id: str) -> AnswerValue:
        return self.by_item[item_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_item)

    def __len__(self) -> int:
        return len(self.by_item)

    def as_json(self) -> dict[str, AnswerValue]:
        """The answers as a plain JSON-ready dict (for storage), in protocol order."""
        return dict(self.by_item)


class _OversizeInteger:
    """An integer literal too long to be in any item's range (kept so the item can be named)."""

    def __init__(self, literal: str) -> None:
        self.literal = literal


class _JsonObject(dict[str, object]):
    """A parsed JSON object that remembers keys it saw more than once (decoded)."""

    duplicates: list[str]


class _NotJson(ValueError):
    pass


def _object_with_duplicates(pairs: list[tuple[str, object]]) -> _JsonObject:
    obj = _JsonObject()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj and key not in obj.duplicates:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _parse_int(literal: str) -> int | _OversizeInteger:
    if len(literal.lstrip("-")) > _MAX_INT_DIGITS:
        return _OversizeInteger(literal)
    return int(literal)  # "-0" is 0 (spec 2.2)


def _refuse_constant(name: str) -> object:
    raise _NotJson(f"{name} is not JSON")


def parse_answers_json(data: bytes) -> dict[str, object]:
    """Parse the bytes of an answers file into one JSON object (spec 3, rules 2 and 7).

    Raises:
        AnswersError: the bytes start with a byte order mark, are not UTF-8, are not JSON, are
            not a JSON object at the top level, or the object repeats a key (named as decoded,
            so ``"knee\\u002elocked"`` after ``"knee.locked"`` is reported as ``knee.locked``).
    """
    if data.startswith(_UTF8_BOM):
        raise AnswersError(
            "the answers file starts with a byte order mark (BOM); save it as UTF-8 without BOM"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AnswersError(
            f"the answers file is not UTF-8 text (invalid byte at offset {exc.start})"
        ) from exc
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object_with_duplicates,
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise AnswersError(
            f"the answers file is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except _NotJson as exc:
        raise AnswersError(f"the answers file is not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise AnswersError("the answers file is not an answers object: nested too deeply") from exc
    if not isinstance(value, _JsonObject):
        raise AnswersError(
            f"the answers file must hold one JSON object at the top level, not {_json_kind(value)}"
        )
    if value.duplicates:
        key = value.duplicates[0]
        raise AnswersError(
            f"duplicate key {_show_key(key)} in the answers file: each item may be given only "
            "once (spec section 3, rule 7)",
            key,
        )
    return dict(value)


def validate_answers(protocol: TriageProtocol, raw: Mapping[str, object]) -> ValidatedAnswers:
    """Validate answers against ``protocol`` (spec section 3, rules 3 to 6).

    ``None`` means unanswered. Hidden items are validated like any other.

    Raises:
        AnswersError: the first unknown item, wrong type, out-of-range int or unknown option,
            naming the item.
    """
    values: dict[str, AnswerValue] = {}
    for key, value in raw.items():
        item = protocol.items_by_id.get(key)
        if item is None:
            raise AnswersError(
                f"unknown item {_show_key(key)} for protocol {protocol.id} "
                f"(version {protocol.version})",
                key,
            )
        if value is None:
            continue
        values[key] = _checked_value(item, value)
    ordered = {i.id: values[i.id] for i in protocol.items if i.id in values}
    return ValidatedAnswers(protocol.id, protocol.sha256, MappingProxyType(ordered))


def read_answers(protocol: TriageProtocol, data: bytes) -> ValidatedAnswers:
    """Parse and validate an answers file's bytes against ``protocol``.

    Raises:
        AnswersError: see :func:`parse_answers_json` and :func:`validate_answers`.
    """
    return validate_answers(protocol, parse_answers_json(data))


def _checked_value(item: ProtocolItem, value: object) -> AnswerValue:
    if item.type is ItemType.BOOL:
        if isinstance(value, bool):
            return value
        raise AnswersError(f"{item.id}: expected true or false, got {_show_value(value)}", item.id)
    if item.type is ItemType.INT:
        assert item.minimum is not None  # noqa: S101 - the loader requires min and max
        assert item.maximum is not None  # noqa: S101
        span = f"{item.minimum} to {item.maximum}"
        if isinstance(value, _OversizeInteger):
            raise AnswersError(
                f"{item.id}: {value.literal[:12]}... is out of range {span}", item.id
            )
        # ``type(...) is int``: a JSON true is a Python bool, which is an int subclass.
        if type(value) is not int:
            raise AnswersError(
                f"{item.id}: expected a whole number from {span} (a JSON integer, no fraction "
                f"or exponent), got {_show_value(value)}",
                item.id,
            )
        if not item.minimum <= value <= item.maximum:
            raise AnswersError(f"{item.id}: {value} is out of range {span}", item.id)
        return value
    if item.type is ItemType.CHOICE:
        if isinstance(value, str) and value in item.option_ids:
            return value
        options = ", ".join(json.dumps(o) for o in item.option_ids)
        raise AnswersError(
            f"{item.id}: expected one of {options}, got {_show_value(value)}", item.id
        )
    if isinstance(value, str):
        return value
    raise AnswersError(
        f"{item.id}: expected text (a JSON string), got {_show_value(value)}", item.id
    )


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _show_key(key: object) -> str:
    """A key as decoded, quoted; escaped only if it would not print on one line."""
    text = str(key)
    if text.isprintable() and _encodable(text):
        return json.dumps(text, ensure_ascii=False)
    return json.dumps(text, ensure_ascii=True)


def _show_value(value: object) -> str:
    if isinstance(value, _OversizeInteger):
        return value.literal[:12] + "..."
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    try:
        shown = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        shown = type(value).__name__
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _one_line(message: str) -> str:
    return " ".join(message.split())
