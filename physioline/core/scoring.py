"""Yellow-flag scoring: STarT Back and STarT MSK totals and risk groups (spec section 7).

The per-item points, subscales and risk cut-offs are data in each protocol file (``scoring``),
so a correction from Keele's licensed scoring sheet is a new protocol version, not a code
change. This module only adds up points and walks the risk groups in order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeAlias

from physioline.core.conditions import AnswerValue
from physioline.core.vocabulary import RiskGroup, YellowFlagTool

#: The score every risk limit may refer to besides the subscales.
TOTAL: str = "total"


@dataclass(frozen=True, slots=True)
class BoolPoints:
    """Points for a bool tool item: ``if_true`` when agreed, ``if_false`` otherwise."""

    item: str
    if_true: int
    if_false: int


@dataclass(frozen=True, slots=True)
class OptionPoints:
    """Points for a choice tool item, one entry per option id (every option is listed)."""

    item: str
    points: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class PointsBand:
    """Inclusive range of an int answer and the points it scores."""

    minimum: int
    maximum: int
    points: int


@dataclass(frozen=True, slots=True)
class RangePoints:
    """Points for an int tool item by band (e.g. STarT MSK pain 0-4, 5-6, 7-8, 9-10)."""

    item: str
    bands: tuple[PointsBand, ...]


ItemPoints: TypeAlias = BoolPoints | OptionPoints | RangePoints


@dataclass(frozen=True, slots=True)
class Subscale:
    """A named partial sum reported with the total (STarT Back ``psychosocial``)."""

    id: str
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskLimit:
    """``score`` (``total`` or a subscale id) lies within the inclusive limits given."""

    score: str
    minimum: int | None
    maximum: int | None

    def holds(self, scores: Mapping[str, int]) -> bool:
        """Whether the named score lies within the limits."""
        value = scores[self.score]
        if self.minimum is not None and value < self.minimum:
            return False
        return not (self.maximum is not None and value > self.maximum)


@dataclass(frozen=True, slots=True)
class RiskGroupRule:
    """The risk group given when every limit holds; rules are tried in file order."""

    risk: RiskGroup
    when: tuple[RiskLimit, ...]


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """How a protocol's yellow-flag tool is scored (the protocol file's ``scoring``)."""

    tool: YellowFlagTool
    items: tuple[ItemPoints, ...]
    subscales: tuple[Subscale, ...]
    risk_groups: tuple[RiskGroupRule, ...]

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Ids of the scored items, in file order."""
        return tuple(p.item for p in self.items)


@dataclass(frozen=True, slots=True)
class ToolScore:
    """Result of the yellow-flag tool.

    Complete only when every tool item is answered (spec 7.1, 7.2); otherwise ``total``,
    ``subscales`` and ``risk`` are empty and ``missing`` lists the unanswered tool items.
    """

    tool: YellowFlagTool
    complete: bool
    total: int | None
    subscales: tuple[tuple[str, int], ...]
    risk: RiskGroup | None
    missing: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        """The score in the machine interface of spec 9 (``{"complete": false}`` if incomplete)."""
        if not self.complete:
            return {"complete": False}
        out: dict[str, object] = {"total": self.total}
        out.update(self.subscales)
        out["risk"] = str(self.risk)
        return out

    def describe(self) -> str:
        """One rationale line, e.g. ``STarT Back total 6, psychosocial 4: high risk.``."""
        title = self.tool.display_name
        if not self.complete:
            return (
                f"{title} incomplete ({', '.join(self.missing)} unanswered): no risk group; "
                "an incomplete tool never gives self-management."
            )
        parts = [f"total {self.total}", *(f"{name} {value}" for name, value in self.subscales)]
        return f"{title} {', '.join(parts)}: {self.risk} risk."


def item_points(rule: ItemPoints, answer: AnswerValue) -> int | None:
    """Points scored by ``answer`` under ``rule``; None when the answer is not scoreable.

    Answers come from validation, so None only happens for an answer of the wrong type, which
    is then treated as unanswered rather than guessed.
    """
    if isinstance(rule, BoolPoints):
        if answer is True:
            return rule.if_true
        if answer is False:
            return rule.if_false
        return None
    if isinstance(rule, OptionPoints):
        if isinstance(answer, str):
            for option, points in rule.points:
                if option == answer:
                    return points
        return None
    if type(answer) is int:
        for band in rule.bands:
            if band.minimum <= answer <= band.maximum:
                return band.points
    return None


def score_tool(rules: ScoringRules, answers: Mapping[str, AnswerValue]) -> ToolScore:
    """Score the yellow-flag tool on ``answers`` (hidden items already removed).

    Guarantees: complete only if every scored item has a scoreable answer; a complete score
    always has a risk group (the protocol checker requires the last risk group to have no
    limits).
    """
    points: dict[str, int] = {}
    missing: list[str] = []
    for rule in rules.items:
        answer = answers.get(rule.item)
        scored = None if answer is None else item_points(rule, answer)
        if scored is None:
            missing.append(rule.item)
        else:
            points[rule.item] = scored
    if missing:
        return ToolScore(rules.tool, False, None, (), None, tuple(missing))
    total = sum(points.values())
    subscales = tuple((s.id, sum(points[i] for i in s.items)) for s in rules.subscales)
    scores = {TOTAL: total, **dict(subscales)}
    for group in rules.risk_groups:
        if all(limit.holds(scores) for limit in group.when):
            return ToolScore(rules.tool, True, total, subscales, group.risk, ())
    # Unreachable for a checked protocol (last group has no limits); fail loudly, not silently.
    raise ValueError(f"no {rules.tool.display_name} risk group matches total {total}")
