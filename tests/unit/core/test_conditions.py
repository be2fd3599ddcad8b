"""The condition grammar of spec 4.1 and its evaluation with unanswered items (spec 4.2)."""

from __future__ import annotations

import pytest

from physioline.core.conditions import (
    AllOf,
    AnswerValue,
    AnyOf,
    AtLeast,
    Condition,
    ConditionSyntaxError,
    ItemCompare,
    ItemIn,
    ItemIsTrue,
    condition_from_data,
    count_true,
    holds,
    notation,
    referenced_items,
)

CANCER = ItemIsTrue("general.history_of_cancer")
AGE_50 = ItemCompare("general.age", ">=", 50)
WEIGHT = ItemIsTrue("general.unexplained_weight_loss")
NON_MECH = ItemIsTrue("general.non_mechanical_pain")
#: rf.spinal_malignancy (spec 6.0)
MALIGNANCY = AnyOf((CANCER, AtLeast(2, (AGE_50, WEIGHT, NON_MECH))))


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        (CANCER, {"general.history_of_cancer": True}, True),
        (CANCER, {"general.history_of_cancer": False}, False),
        (CANCER, {}, False),  # unanswered bool: not present
        (CANCER, {"general.history_of_cancer": 1}, False),  # 1 is not true
        (CANCER, {"general.history_of_cancer": "yes"}, False),
        (AGE_50, {"general.age": 50}, True),
        (AGE_50, {"general.age": 49}, False),
        (AGE_50, {}, False),  # an unanswered age satisfies no comparison
        (AGE_50, {"general.age": True}, False),  # true is not a number
        (ItemCompare("general.age", "<", 50), {}, False),
        (ItemCompare("general.age", "<", 50), {"general.age": 49}, True),
        (ItemCompare("general.age", "<=", 50), {"general.age": 50}, True),
        (ItemCompare("general.age", ">", 50), {"general.age": 50}, False),
        (ItemCompare("general.age", "==", 50), {"general.age": 50}, True),
        (ItemCompare("general.age", "==", 50), {"general.age": 51}, False),
        (ItemIn("general.trauma", ("minor", "major")), {"general.trauma": "minor"}, True),
        (ItemIn("general.trauma", ("minor", "major")), {"general.trauma": "none"}, False),
        (ItemIn("general.trauma", ("minor", "major")), {}, False),
        (ItemIn("knee.can_weight_bear", ("no",)), {"knee.can_weight_bear": False}, False),
        (MALIGNANCY, {"general.history_of_cancer": True}, True),
        (MALIGNANCY, {"general.age": 50, "general.non_mechanical_pain": True}, True),
        (MALIGNANCY, {"general.age": 49, "general.non_mechanical_pain": True}, False),
        (MALIGNANCY, {"general.unexplained_weight_loss": True}, False),
        (MALIGNANCY, {}, False),
        (AllOf((CANCER, AGE_50)), {"general.history_of_cancer": True, "general.age": 60}, True),
        (AllOf((CANCER, AGE_50)), {"general.history_of_cancer": True}, False),
        (AnyOf((CANCER, AGE_50)), {"general.age": 60}, True),
        (AnyOf((CANCER, AGE_50)), {}, False),
    ],
)
def test_holds(condition: Condition, answers: dict[str, AnswerValue], expected: bool) -> None:
    assert holds(condition, answers) is expected


@pytest.mark.parametrize("true_count", range(5))
@pytest.mark.parametrize("needed", range(1, 5))
def test_at_least_counts_true_sub_conditions(needed: int, true_count: int) -> None:
    items = tuple(ItemIsTrue(f"lumbar.c{i}") for i in range(4))
    answers: dict[str, AnswerValue] = {f"lumbar.c{i}": i < true_count for i in range(4)}
    assert holds(AtLeast(needed, items), answers) is (min(true_count, 4) >= needed)
    assert count_true(items, answers) == min(true_count, 4)


@pytest.mark.parametrize(
    ("data", "spec_notation"),
    [
        ({"item": "general.trauma", "in": ["major"]}, "general.trauma == major"),
        ({"item": "general.trauma", "in": ["minor", "major"]}, "general.trauma IN {minor, major}"),
        ({"item": "general.age", "op": ">=", "value": 65}, "general.age >= 65"),
        ({"item": "knee.locked", "is": True}, "knee.locked"),
        (
            {
                "any": [
                    {"item": "general.history_of_cancer", "is": True},
                    {
                        "at_least": 2,
                        "of": [
                            {"item": "general.age", "op": ">=", "value": 50},
                            {"item": "general.unexplained_weight_loss", "is": True},
                            {"item": "general.non_mechanical_pain", "is": True},
                        ],
                    },
                ]
            },
            "ANY(general.history_of_cancer, AT_LEAST(2; general.age >= 50, "
            "general.unexplained_weight_loss, general.non_mechanical_pain))",
        ),
        (
            {"all": [{"item": "a.x", "is": True}, {"item": "b.y", "in": ["no"]}]},
            "ALL(a.x, b.y == no)",
        ),
    ],
)
def test_protocol_file_form_round_trips_to_spec_notation(
    data: dict[str, object], spec_notation: str
) -> None:
    assert notation(condition_from_data(data)) == spec_notation


def test_referenced_items_in_order_of_first_appearance() -> None:
    condition = AllOf((AGE_50, AnyOf((CANCER, AGE_50, WEIGHT))))
    assert referenced_items(condition) == (
        "general.age",
        "general.history_of_cancer",
        "general.unexplained_weight_loss",
    )


@pytest.mark.parametrize(
    ("data", "message", "path"),
    [
        ({"item": "knee.locked", "is": False}, "no negation", ("is",)),
        ({"item": "knee.locked", "is": "true"}, "must be true", ("is",)),
        ({"item": "general.age", "op": "!=", "value": 3}, "'op' must be one of", ("op",)),
        (
            {"item": "general.age", "op": ">=", "value": True},
            "'value' must be an integer",
            ("value",),
        ),
        (
            {"item": "general.age", "op": ">=", "value": 4.5},
            "'value' must be an integer",
            ("value",),
        ),
        ({"item": "general.trauma", "in": []}, "non-empty list", ("in",)),
        ({"all": []}, "non-empty list", ("all",)),
        ({"any": [{"item": "a.b", "is": False}]}, "no negation", ("any", 0, "is")),
        ({"at_least": 0, "of": [{"item": "a.b", "is": True}]}, "1 or more", ()),
        ({"at_least": 3, "of": [{"item": "a.b", "is": True}]}, "can never be true", ()),
        ({"not": {"item": "a.b", "is": True}}, "not a condition", ()),
        ({"item": "a.b", "is": True, "extra": 1}, "not a condition", ()),
        ({"item": 3, "is": True}, "'item' must be an item id", ("item",)),
        (["item"], "must be a mapping", ()),
    ],
)
def test_malformed_conditions_are_refused_with_their_location(
    data: object, message: str, path: tuple[object, ...]
) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        condition_from_data(data)
    assert message in caught.value.message
    assert caught.value.path == path


def test_conditions_are_immutable_values() -> None:
    assert ItemIsTrue("a.b") == ItemIsTrue("a.b")
    assert hash(MALIGNANCY) == hash(AnyOf((CANCER, AtLeast(2, (AGE_50, WEIGHT, NON_MECH)))))
    with pytest.raises(AttributeError):
        CANCER.item = "other.item"  # type: ignore[misc]
