"""Yellow-flag scoring (spec section 7): STarT Back exhaustively, STarT MSK at every cut-off."""

from __future__ import annotations

import functools
import itertools

import pytest

from physioline.core.answers import validate_answers
from physioline.core.conditions import AnswerValue
from physioline.core.protocol import TriageProtocol, load_all, load_protocol_bytes
from physioline.core.scoring import ToolScore, score_tool
from physioline.core.triage import evaluate
from physioline.core.vocabulary import RiskGroup, YellowFlagTool

START_BACK_PROTOCOLS = ("lumbar", "thoracic")
START_MSK_PROTOCOLS = ("cervical", "shoulder", "elbow", "wrist_hand", "hip", "knee", "foot_ankle")
BOTHERSOME = ("not_at_all", "slightly", "moderately", "very_much", "extremely")


@functools.cache
def shipped() -> dict[str, TriageProtocol]:
    return load_all()


# -- Independent implementations, written from the Keele guidance as the spec states it.


def keele_start_back(agree: tuple[bool, ...], bothersome: str) -> tuple[int, int, str]:
    """Hill et al. 2008 / Keele flowchart: total of 9, psychosocial of Q5-Q9, then risk."""
    q9 = 1 if bothersome in ("very_much", "extremely") else 0
    total = sum(1 for a in agree if a) + q9
    psychosocial = sum(1 for a in agree[4:8] if a) + q9
    if total <= 3:
        return total, psychosocial, "low"
    return total, psychosocial, "high" if psychosocial >= 4 else "medium"


def physioline_start_msk(pain: int, others: tuple[bool, ...]) -> tuple[int, str]:
    """Spec 7.2 / decision 1: pain 0-4/5-6/7-8/9-10 scores 0-3, nine 0/1 items; 0-4/5-8/9-12."""
    pain_points = 0 if pain <= 4 else 1 if pain <= 6 else 2 if pain <= 8 else 3
    total = pain_points + sum(1 for o in others if o)
    risk = "low" if total <= 4 else "medium" if total <= 8 else "high"
    return total, risk


def start_back_answers(agree: tuple[bool, ...], bothersome: str) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {f"sbt.{i}": a for i, a in enumerate(agree, start=1)}
    answers["sbt.9"] = bothersome
    return answers


def start_msk_answers(pain: int, others: tuple[bool, ...]) -> dict[str, AnswerValue]:
    answers: dict[str, AnswerValue] = {"smsk.1": pain}
    answers.update({f"smsk.{i}": o for i, o in enumerate(others, start=2)})
    return answers


# -- STarT Back


@pytest.mark.parametrize("protocol_id", START_BACK_PROTOCOLS)
def test_start_back_every_complete_answer_set(protocol_id: str) -> None:
    protocol = shipped()[protocol_id]
    checked = 0
    risks: set[str] = set()
    for agree in itertools.product((False, True), repeat=8):
        for bothersome in BOTHERSOME:
            total, psychosocial, risk = keele_start_back(agree, bothersome)
            score = score_tool(protocol.scoring, start_back_answers(agree, bothersome))
            assert score.complete
            assert (score.total, dict(score.subscales)["psychosocial"], score.risk) == (
                total,
                psychosocial,
                risk,
            ), (agree, bothersome)
            assert score.as_json() == {"total": total, "psychosocial": psychosocial, "risk": risk}
            risks.add(risk)
            checked += 1
    assert checked == 1280
    assert risks == {"low", "medium", "high"}


def test_start_back_through_the_engine_for_every_answer_set() -> None:
    lumbar = shipped()["lumbar"]
    negatives: dict[str, object] = {
        i.id: (30 if i.type == "int" else "none" if i.type == "choice" else False)
        for i in lumbar.items
        if i.is_red_flag_screening
    }
    for agree in itertools.product((False, True), repeat=8):
        for bothersome in BOTHERSOME:
            answers = validate_answers(
                lumbar, {**negatives, **start_back_answers(agree, bothersome)}
            )
            result = evaluate(lumbar, answers)
            total, psychosocial, risk = keele_start_back(agree, bothersome)
            assert result.scores_json() == {
                "start_back": {"total": total, "psychosocial": psychosocial, "risk": risk}
            }
            assert result.disposition == {"low": "self_management"}.get(risk, "routine_f2f")
            assert result.pathway == ("psychologically_informed" if risk == "high" else None)


def test_start_back_high_needs_total_over_3_even_with_psychosocial_4() -> None:
    # Decision 2: psychosocial >= 4 implies total >= 4, so high is never given at total <= 3.
    lumbar = shipped()["lumbar"]
    four_psychosocial = (False, False, False, False, True, True, True, True)
    score = score_tool(lumbar.scoring, start_back_answers(four_psychosocial, "moderately"))
    assert (score.total, score.risk) == (4, RiskGroup.HIGH)
    three = (False, False, False, False, True, True, True, False)
    score = score_tool(lumbar.scoring, start_back_answers(three, "moderately"))
    assert (score.total, score.risk) == (3, RiskGroup.LOW)


@pytest.mark.parametrize("missing", [f"sbt.{i}" for i in range(1, 10)])
def test_start_back_with_any_item_unanswered_is_incomplete(missing: str) -> None:
    answers = start_back_answers((True,) * 8, "extremely")
    del answers[missing]
    score = score_tool(shipped()["lumbar"].scoring, answers)
    assert score.complete is False
    assert (score.total, score.subscales, score.risk) == (None, (), None)
    assert score.missing == (missing,)
    assert score.as_json() == {"complete": False}


# -- STarT MSK


@pytest.mark.parametrize("protocol_id", START_MSK_PROTOCOLS)
def test_start_msk_every_complete_answer_set(protocol_id: str) -> None:
    scoring = shipped()[protocol_id].scoring
    for pain in range(11):
        for others in itertools.product((False, True), repeat=9):
            total, risk = physioline_start_msk(pain, others)
            score = score_tool(scoring, start_msk_answers(pain, others))
            assert (score.total, score.risk) == (total, risk), (pain, others)
            assert score.as_json() == {"total": total, "risk": risk}


@pytest.mark.parametrize(
    ("pain", "points"),
    [(0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 1), (6, 1), (7, 2), (8, 2), (9, 3), (10, 3)],
)
def test_start_msk_points_for_every_pain_intensity(pain: int, points: int) -> None:
    for protocol_id in START_MSK_PROTOCOLS:
        score = score_tool(shipped()[protocol_id].scoring, start_msk_answers(pain, (False,) * 9))
        assert score.total == points
        assert score.risk is RiskGroup.LOW  # at most 3 points alone


@pytest.mark.parametrize(
    ("pain", "yes_count", "total", "risk"),
    [
        (0, 0, 0, "low"),
        (4, 4, 4, "low"),
        (5, 3, 4, "low"),
        (5, 4, 5, "medium"),
        (0, 5, 5, "medium"),
        (9, 2, 5, "medium"),
        (8, 6, 8, "medium"),
        (0, 8, 8, "medium"),
        (7, 7, 9, "high"),
        (9, 6, 9, "high"),
        (10, 9, 12, "high"),
    ],
)
def test_start_msk_at_every_cut_off(pain: int, yes_count: int, total: int, risk: str) -> None:
    others = tuple(i < yes_count for i in range(9))
    for protocol_id in START_MSK_PROTOCOLS:
        score = score_tool(shipped()[protocol_id].scoring, start_msk_answers(pain, others))
        assert (score.total, score.risk) == (total, risk)


@pytest.mark.parametrize("missing", [f"smsk.{i}" for i in range(1, 11)])
def test_start_msk_with_any_item_unanswered_is_incomplete(missing: str) -> None:
    answers = start_msk_answers(10, (True,) * 9)
    del answers[missing]
    score = score_tool(shipped()["knee"].scoring, answers)
    assert score.complete is False
    assert score.missing == (missing,)
    assert score.as_json() == {"complete": False}
    assert "incomplete" in score.describe()


def test_tools_belong_to_the_right_protocols() -> None:
    for protocol_id, protocol in shipped().items():
        expected = (
            YellowFlagTool.START_BACK
            if protocol_id in START_BACK_PROTOCOLS
            else YellowFlagTool.START_MSK
        )
        assert protocol.yellow_flag_tool is expected
        assert protocol.scoring.tool is expected
        prefix = "sbt." if expected is YellowFlagTool.START_BACK else "smsk."
        count = 9 if expected is YellowFlagTool.START_BACK else 10
        assert [i.id for i in protocol.tool_items] == [f"{prefix}{n}" for n in range(1, count + 1)]


def test_scoring_is_data_a_new_cut_off_is_a_new_protocol_version() -> None:
    lumbar = shipped()["lumbar"]
    text = lumbar.file_bytes.decode()
    old = "- {risk: low, when: [{score: total, max: 3}]}"
    assert old in text
    corrected = text.replace(old, old.replace("max: 3", "max: 4")).replace(
        'version: "1.1.1"', 'version: "1.2.0"'
    )
    revised = load_protocol_bytes(corrected.encode(), "lumbar.yaml")
    answers = start_back_answers((True, True, True, True, False, False, False, False), "slightly")
    assert score_tool(lumbar.scoring, answers).risk is RiskGroup.MEDIUM
    assert score_tool(revised.scoring, answers).risk is RiskGroup.LOW
    assert revised.version == "1.2.0"
    assert revised.sha256 != lumbar.sha256


@pytest.mark.parametrize(
    ("score", "line"),
    [
        (
            ToolScore(
                YellowFlagTool.START_BACK, True, 6, (("psychosocial", 4),), RiskGroup.HIGH, ()
            ),
            "STarT Back total 6, psychosocial 4: high risk.",
        ),
        (
            ToolScore(YellowFlagTool.START_MSK, True, 5, (), RiskGroup.MEDIUM, ()),
            "STarT MSK total 5: medium risk.",
        ),
    ],
)
def test_rationale_line_for_a_complete_tool(score: ToolScore, line: str) -> None:
    assert score.describe() == line
