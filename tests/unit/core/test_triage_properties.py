"""Properties of the triage engine (spec section 8), checked with hypothesis on every protocol.

* answering a bool red-flag screening item ``true`` instead of ``false`` never gives a less
  severe disposition (and never removes a red flag);
* answering an ability question ``no`` instead of ``yes`` never gives a less severe disposition;
* evaluation never fails on input that passes validation, and validation fails only with
  ``AnswersError``;
* the result depends only on the protocol content and the answers; answers to hidden items
  change nothing.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from physioline.core.answers import AnswersError, parse_answers_json, validate_answers
from physioline.core.protocol import ProtocolItem, TriageProtocol, load_all, load_protocol_bytes
from physioline.core.triage import TriageResult, evaluate
from physioline.core.vocabulary import PROTOCOL_IDS, Disposition, Pathway, RiskGroup

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, database=None)


@functools.cache
def shipped() -> dict[str, TriageProtocol]:
    return load_all()


@functools.cache
def reloaded(protocol_id: str) -> TriageProtocol:
    """The protocol reloaded from its bytes, as the app does from the database."""
    return load_protocol_bytes(shipped()[protocol_id].file_bytes, "stored-in-database")


def valid_value(item: ProtocolItem) -> st.SearchStrategy[Any]:
    if item.type == "bool":
        return st.booleans()
    if item.type == "int":
        assert item.minimum is not None
        assert item.maximum is not None
        return st.integers(item.minimum, item.maximum)
    if item.type == "choice":
        return st.sampled_from(item.option_ids)
    return st.text(max_size=20)


@st.composite
def protocol_and_answers(draw: st.DrawFn) -> tuple[TriageProtocol, dict[str, Any]]:
    """A protocol and answers that pass validation: each item absent, null or a valid value."""
    protocol = shipped()[draw(st.sampled_from(PROTOCOL_IDS))]
    answers: dict[str, Any] = {}
    for item in protocol.items:
        mode = draw(st.integers(0, 9))  # mostly answered, sometimes absent or null
        if mode == 0:
            continue
        answers[item.id] = None if mode == 1 else draw(valid_value(item))
    return protocol, answers


def run(protocol: TriageProtocol, answers: dict[str, Any]) -> TriageResult:
    return evaluate(protocol, validate_answers(protocol, answers))


@PROPERTY_SETTINGS
@given(protocol_and_answers(), st.data())
def test_bool_screening_item_true_never_lowers_severity(
    case: tuple[TriageProtocol, dict[str, Any]], data: st.DataObject
) -> None:
    protocol, answers = case
    bools = [i.id for i in protocol.screening_items if i.type == "bool"]
    item_id = data.draw(st.sampled_from(bools))
    absent = run(protocol, {**answers, item_id: False})
    present = run(protocol, {**answers, item_id: True})
    assert not present.disposition.is_less_severe_than(absent.disposition)
    assert set(absent.red_flags) <= set(present.red_flags)


@PROPERTY_SETTINGS
@given(protocol_and_answers(), st.data())
def test_ability_question_no_never_lowers_severity(
    case: tuple[TriageProtocol, dict[str, Any]], data: st.DataObject
) -> None:
    protocol, answers = case
    ability = [i.id for i in protocol.items if i.is_ability_question]
    if not ability:  # lumbar, thoracic, cervical, wrist_hand ask none: nothing to flip
        assert protocol.id in ("lumbar", "thoracic", "cervical", "wrist_hand")
        return
    item_id = data.draw(st.sampled_from(ability))
    can = run(protocol, {**answers, item_id: "yes"})
    cannot = run(protocol, {**answers, item_id: "no"})
    assert not cannot.disposition.is_less_severe_than(can.disposition)
    assert set(can.red_flags) <= set(cannot.red_flags)


@PROPERTY_SETTINGS
@given(protocol_and_answers(), st.data())
def test_agreeing_with_a_tool_statement_never_lowers_severity(
    case: tuple[TriageProtocol, dict[str, Any]], data: st.DataObject
) -> None:
    protocol, answers = case
    tool_bools = [i.id for i in protocol.tool_items if i.type == "bool"]
    item_id = data.draw(st.sampled_from(tool_bools))
    disagree = run(protocol, {**answers, item_id: False})
    agree = run(protocol, {**answers, item_id: True})
    assert not agree.disposition.is_less_severe_than(disagree.disposition)


@PROPERTY_SETTINGS
@given(protocol_and_answers())
def test_result_invariants(case: tuple[TriageProtocol, dict[str, Any]]) -> None:
    protocol, answers = case
    result = run(protocol, answers)
    assert list(result.red_flags) == sorted(set(result.red_flags))
    assert [r.id for r in result.triggered] == list(result.red_flags)
    assert list(result.unanswered) == sorted(result.unanswered)
    assert result.complete is (result.unanswered == ())
    screening = {i.id for i in protocol.screening_items}
    assert set(result.unanswered) <= screening & result.visible_items
    if result.red_flags:
        most_severe = min((r.disposition for r in result.triggered), key=lambda d: d.rank)
        assert result.disposition is most_severe
        destinations = [r.destination for r in result.triggered if r.disposition is most_severe]
        if any(d is not None for d in destinations):
            assert result.destination == min(
                (d for d in destinations if d is not None), key=lambda d: d.precedence
            )
        else:
            assert result.destination is None
        assert result.pathway is None
    else:
        assert result.destination is None
        assert (result.pathway is Pathway.PSYCHOLOGICALLY_INFORMED) is (
            result.score.risk is RiskGroup.HIGH
        )
    if not result.score.complete:
        assert result.disposition is not Disposition.SELF_MANAGEMENT
    output = result.to_json()
    assert json.loads(json.dumps(output)) == output
    assert list(output["scores"]) == [protocol.yellow_flag_tool.value]  # type: ignore[call-overload]
    assert result.rationale
    for rule in result.triggered:
        assert any(rule.id in line and rule.action in line for line in result.rationale)


@PROPERTY_SETTINGS
@given(protocol_and_answers(), st.data())
def test_answers_to_hidden_items_change_nothing(
    case: tuple[TriageProtocol, dict[str, Any]], data: st.DataObject
) -> None:
    protocol, answers = case
    result = run(protocol, answers)
    hidden = [i for i in protocol.items if i.id not in result.visible_items]
    for item in hidden:
        answers = {**answers, item.id: data.draw(st.one_of(st.none(), valid_value(item)))}
    assert run(protocol, answers).to_json() == result.to_json()


@PROPERTY_SETTINGS
@given(protocol_and_answers())
def test_result_depends_only_on_protocol_content_and_answers(
    case: tuple[TriageProtocol, dict[str, Any]],
) -> None:
    protocol, answers = case
    shuffled = dict(reversed(list(answers.items())))
    first = run(protocol, answers)
    assert run(protocol, answers) == first
    assert run(reloaded(protocol.id), shuffled).to_json() == first.to_json()


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=5,
)


@PROPERTY_SETTINGS
@given(st.sampled_from(PROTOCOL_IDS), st.data())
def test_validation_refuses_only_with_answers_error_and_evaluation_never_fails(
    protocol_id: str, data: st.DataObject
) -> None:
    protocol = shipped()[protocol_id]
    keys = st.one_of(st.sampled_from([i.id for i in protocol.items]), st.text(max_size=12))
    raw = data.draw(st.dictionaries(keys, JSON_VALUES, max_size=12))
    try:
        answers = validate_answers(protocol, raw)
    except AnswersError as exc:
        refusal = exc.message
    else:
        evaluate(protocol, answers)  # never raises on validated input
        return
    assert "\n" not in refusal


@PROPERTY_SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_are_parsed_or_refused_with_answers_error(data: bytes) -> None:
    try:
        parsed = parse_answers_json(data)
    except AnswersError as exc:
        refusal = exc.message
    else:
        assert isinstance(parsed, dict)
        return
    assert "\n" not in refusal
