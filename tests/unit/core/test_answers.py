"""Answers validation (spec section 3): refuse the whole input, naming the offending item."""

from __future__ import annotations

import functools
import json

import pytest

from physioline.core.answers import (
    AnswersError,
    ValidatedAnswers,
    parse_answers_json,
    read_answers,
    validate_answers,
)
from physioline.core.protocol import TriageProtocol, load_protocol
from physioline.core.triage import evaluate
from physioline.errors import InvalidInput


@functools.cache
def protocol(protocol_id: str) -> TriageProtocol:
    return load_protocol(protocol_id)


def refused(protocol_id: str, text: str | bytes) -> AnswersError:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(AnswersError) as caught:
        read_answers(protocol(protocol_id), data)
    assert "\n" not in str(caught.value)  # one line on stderr (spec 9)
    return caught.value


# -- rule 2: reading the file


def test_byte_order_mark_is_refused() -> None:
    error = refused("knee", b'\xef\xbb\xbf{"general.age": 40}')
    assert "byte order mark" in error.message
    assert error.item_id is None


@pytest.mark.parametrize(
    "data",
    [
        '{"general.notes": "caf\u00e9"}'.encode("latin-1"),
        '{"general.age": 40}'.encode("utf-16"),
        b'{"general.notes": "\xff"}',
    ],
    ids=["latin-1", "utf-16", "stray-byte"],
)
def test_text_that_is_not_utf8_is_refused(data: bytes) -> None:
    assert "UTF-8" in refused("knee", data).message


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"general.age": 40,}',
        "{'general.age': 40}",
        '{"general.age": NaN}',
        '{"general.age": Infinity}',
        '{"general.age": -Infinity}',
        '{"general.age": 40} {}',
    ],
)
def test_invalid_json_is_refused(text: str) -> None:
    assert "not valid JSON" in refused("knee", text).message


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[]", "an array"),
        ('"knee"', "a string"),
        ("42", "a number"),
        ("null", "null"),
        ("true", "true/false"),
    ],
)
def test_top_level_value_must_be_an_object(text: str, kind: str) -> None:
    message = refused("knee", text).message
    assert "JSON object" in message
    assert kind in message


def test_absurdly_deep_nesting_is_refused_not_crashed() -> None:
    refused("knee", "[" * 100_000 + "]" * 100_000)


# -- rule 7: duplicate keys (decision 19)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('{"general.age": 40, "knee.locked": true, "knee.locked": null}', "knee.locked"),
        ('{"general.age": 40, "general.age": 40}', "general.age"),
        ('{"knee.locked": false, "knee.locked": true}', "knee.locked"),
        ('{"knee.locked": true, "knee\\u002elocked": true}', "knee.locked"),
        ('{"sbt.1": true, "sbt.1": true}', "sbt.1"),  # unknown in the knee, still a duplicate
    ],
)
def test_duplicate_keys_are_refused_and_named_as_decoded(text: str, key: str) -> None:
    error = refused("knee", text)
    assert "duplicate key" in error.message
    assert f'"{key}"' in error.message
    assert "\\u002e" not in error.message
    assert error.item_id == key


def test_duplicate_key_of_a_hidden_item_is_refused() -> None:
    error = refused("knee", '{"knee.can_weight_bear": "yes", "knee.can_weight_bear": "yes"}')
    assert error.item_id == "knee.can_weight_bear"


def test_duplicate_inside_a_nested_value_names_the_item_with_the_wrong_type() -> None:
    error = refused("knee", '{"knee.locked": {"a": 1, "a": 2}}')
    assert error.item_id == "knee.locked"
    assert "expected true or false" in error.message


def test_parse_keeps_file_order_and_null() -> None:
    parsed = parse_answers_json(b'{"knee.locked": null, "general.age": -0}')
    assert list(parsed) == ["knee.locked", "general.age"]
    assert parsed["knee.locked"] is None
    assert parsed["general.age"] == 0


# -- rule 3: unknown items


@pytest.mark.parametrize(
    ("protocol_id", "key"),
    [
        ("knee", "sbt.1"),
        ("thoracic", "lumbar.saddle_anaesthesia"),
        ("knee", "knee.unable_to_weight_bear"),  # a version 1.0 id: refused, not misread
        ("elbow", "elbow.unable_to_fully_straighten"),
        ("knee", "Knee.Locked"),
        ("knee", ""),
        ("lumbar", "smsk.1"),
    ],
)
def test_unknown_item_is_refused_even_with_null(protocol_id: str, key: str) -> None:
    for value in ("true", "null"):
        error = refused(protocol_id, f"{{{json.dumps(key)}: {value}}}")
        assert error.item_id == key
        assert "unknown item" in error.message
        assert json.dumps(key) in error.message


def test_unknown_key_with_control_characters_is_shown_on_one_line() -> None:
    error = refused("knee", '{"knee.locked\\n": true}')
    assert "knee.locked\\n" in error.message
    surrogate = refused("knee", '{"\\ud800": true}')
    assert "\\ud800" in surrogate.message


# -- rules 4 to 6: types, ranges, options


@pytest.mark.parametrize("value", ['"yes"', "1", "0", '"true"', "[]", "{}", "1.0"])
def test_bool_item_accepts_only_true_or_false(value: str) -> None:
    error = refused("knee", f'{{"knee.locked": {value}}}')
    assert error.item_id == "knee.locked"
    assert "expected true or false" in error.message


@pytest.mark.parametrize(
    "value", ["true", "false", "45.0", "45.5", "1e2", "4.5e1", '"45"', "[45]", "1E2", "-0.0"]
)
def test_int_item_accepts_only_integer_literals(value: str) -> None:
    error = refused("knee", f'{{"general.age": {value}}}')
    assert error.item_id == "general.age"
    assert "whole number" in error.message


@pytest.mark.parametrize("value", [15, 111, 0, -16, 130, 10**6])
def test_int_item_out_of_range_is_refused(value: int) -> None:
    error = refused("knee", f'{{"general.age": {value}}}')
    assert error.item_id == "general.age"
    assert "out of range 16 to 110" in error.message


def test_enormous_integer_literal_is_out_of_range_not_a_crash() -> None:
    error = refused("knee", '{"general.age": ' + "9" * 5000 + "}")
    assert error.item_id == "general.age"
    assert "out of range" in error.message


@pytest.mark.parametrize(
    ("item_id", "value"), [("general.age", 16), ("general.age", 110), ("smsk.1", 0), ("smsk.1", 10)]
)
def test_int_range_is_inclusive(item_id: str, value: int) -> None:
    answers = read_answers(protocol("knee"), json.dumps({item_id: value}).encode())
    assert answers[item_id] == value
    assert type(answers[item_id]) is int


def test_minus_zero_is_zero() -> None:
    answers = read_answers(protocol("knee"), b'{"smsk.1": -0}')
    assert answers["smsk.1"] == 0
    assert type(answers["smsk.1"]) is int


@pytest.mark.parametrize("value", ['"severe"', '"None"', '"MAJOR"', "1", "true", "null "])
def test_choice_accepts_only_its_option_ids(value: str) -> None:
    text = f'{{"general.trauma": {value}}}'
    if value.strip() == "null":
        assert "general.trauma" not in read_answers(protocol("knee"), text.encode())
        return
    error = refused("knee", text)
    assert error.item_id == "general.trauma"
    assert '"none", "minor", "major"' in error.message


@pytest.mark.parametrize("value", ["true", "false", '"Yes"', '"cannot"'])
def test_ability_question_refuses_true_false(value: str) -> None:
    error = refused("hip", f'{{"hip.can_weight_bear": {value}}}')
    assert error.item_id == "hip.can_weight_bear"
    assert '"yes", "no"' in error.message


@pytest.mark.parametrize("value", ["3", "true", "null", "[]"])
def test_text_item_accepts_only_strings(value: str) -> None:
    text = f'{{"general.notes": {value}}}'
    if value == "null":
        assert len(read_answers(protocol("knee"), text.encode())) == 0
        return
    error = refused("knee", text)
    assert error.item_id == "general.notes"
    assert "text" in error.message


def test_hidden_items_are_validated_like_any_other() -> None:
    error = refused(
        "knee", '{"knee.acute_injury_last_7_days": false, "knee.can_weight_bear": true}'
    )
    assert error.item_id == "knee.can_weight_bear"


def test_first_problem_in_file_order_is_named() -> None:
    error = refused("knee", '{"general.age": 200, "knee.locked": "yes"}')
    assert error.item_id == "general.age"


def test_null_means_unanswered() -> None:
    answers = read_answers(protocol("knee"), b'{"general.age": null, "knee.locked": false}')
    assert dict(answers) == {"knee.locked": False}


def test_validated_answers_are_bound_to_the_protocol_file() -> None:
    knee = protocol("knee")
    answers = validate_answers(knee, {"general.age": 40, "knee.locked": True})
    assert isinstance(answers, ValidatedAnswers)
    assert answers.protocol_id == "knee"
    assert answers.protocol_sha256 == knee.sha256
    assert answers.as_json() == {"general.age": 40, "knee.locked": True}
    with pytest.raises(TypeError):
        answers.by_item["knee.locked"] = False  # type: ignore[index]
    hip_answers = validate_answers(protocol("hip"), {"general.age": 40})
    with pytest.raises(ValueError, match="validated against protocol hip"):
        evaluate(knee, hip_answers)


def test_python_values_from_the_form_get_the_same_strictness() -> None:
    knee = protocol("knee")
    with pytest.raises(AnswersError, match=r"general\.age"):
        validate_answers(knee, {"general.age": True})
    with pytest.raises(AnswersError, match=r"general\.age"):
        validate_answers(knee, {"general.age": 45.0})
    with pytest.raises(AnswersError, match=r"knee\.locked"):
        validate_answers(knee, {"knee.locked": 1})


def test_answers_error_is_invalid_input_with_exit_status_2() -> None:
    error = refused("knee", '{"general.age": 130}')
    assert isinstance(error, InvalidInput)
    assert error.exit_status == 2
