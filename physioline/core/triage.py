"""The triage engine: recommend a disposition from a protocol and validated answers (spec 8).

:func:`evaluate` is a pure function of (protocol, answers): the same function backs the
assessment form, the red-flag panel, sign-off and ``physioline triage evaluate``. It holds no
clinical rule: red flags, scoring and cut-offs come from the protocol file, and the order of
dispositions, destination precedence and the yellow-flag mapping from
:mod:`physioline.core.vocabulary`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from physioline.core.answers import ValidatedAnswers, validate_answers
from physioline.core.conditions import atoms, holds
from physioline.core.protocol import Advisory, RedFlagRule, TriageProtocol
from physioline.core.scoring import ToolScore, score_tool
from physioline.core.vocabulary import (
    YELLOW_FLAG_DECISION,
    Destination,
    Disposition,
    Pathway,
    most_severe,
)


@dataclass(frozen=True)
class TriageResult:
    """The recommendation for one set of answers (spec sections 8 and 9).

    ``red_flags`` are the triggered rule ids sorted ascending; ``triggered`` the same rules in
    the same order (with their mandated actions for the red-flag panel). ``unanswered`` lists
    visible red-flag screening items without an answer; ``complete`` is true when it is empty
    (sign-off needs it). ``visible_items`` are the items currently asked (``show_if``).
    ``raised_by`` are the items whose answers raise a standing red flag: each item tested in a
    triggered rule's condition where that test holds (the form marks those answers). It is not
    part of the machine interface.
    """

    protocol_id: str
    protocol_version: str
    protocol_sha256: str
    red_flags: tuple[str, ...]
    triggered: tuple[RedFlagRule, ...]
    score: ToolScore
    disposition: Disposition
    destination: Destination | None
    pathway: Pathway | None
    complete: bool
    unanswered: tuple[str, ...]
    advisories: tuple[Advisory, ...]
    rationale: tuple[str, ...]
    visible_items: frozenset[str]
    raised_by: frozenset[str]

    def scores_json(self) -> dict[str, dict[str, object]]:
        """``scores`` of spec 9: one key, the protocol's tool (``start_back``/``start_msk``)."""
        return {str(self.score.tool): self.score.as_json()}

    def to_json(self) -> dict[str, object]:
        """The result in the machine interface of spec 9, keys in the spec's order."""
        return {
            "protocol": {
                "id": self.protocol_id,
                "version": self.protocol_version,
                "sha256": self.protocol_sha256,
            },
            "red_flags": list(self.red_flags),
            "scores": self.scores_json(),
            "disposition": str(self.disposition),
            "destination": None if self.destination is None else str(self.destination),
            "pathway": None if self.pathway is None else str(self.pathway),
            "complete": self.complete,
            "unanswered": list(self.unanswered),
            "rationale": list(self.rationale),
        }


def evaluate(protocol: TriageProtocol, answers: ValidatedAnswers) -> TriageResult:
    """Recommend a disposition for ``answers`` under ``protocol`` (spec section 8).

    Hidden items count as unanswered everywhere (spec 4.3). Guarantees, tested as properties:
    answering a bool screening item ``true`` instead of ``false``, or an ability question
    ``no`` instead of ``yes``, never gives a less severe disposition; an incomplete tool never
    gives ``self_management``; the result depends only on the protocol and the answers.

    Raises:
        ValueError: ``answers`` were validated against a different protocol file (another id,
            version or edit): evaluating them here could misread them (hazard H3).
    """
    if answers.protocol_sha256 != protocol.sha256:
        raise ValueError(
            f"answers were validated against protocol {answers.protocol_id} "
            f"sha256 {answers.protocol_sha256[:12]}, not {protocol.id} {protocol.version} "
            f"sha256 {protocol.sha256[:12]}"
        )
    visible, effective = protocol.visible_items(answers)
    triggered = tuple(
        sorted(
            (rule for rule in protocol.red_flags if holds(rule.condition, effective)),
            key=lambda rule: rule.id,
        )
    )
    triggered_ids = tuple(dict.fromkeys(rule.id for rule in triggered))
    raised_by = frozenset(
        atom.item for rule in triggered for atom in atoms(rule.condition) if holds(atom, effective)
    )
    score = score_tool(protocol.scoring, effective)
    destination: Destination | None = None
    pathway: Pathway | None = None
    if triggered:
        disposition = most_severe([rule.disposition for rule in triggered])
        destinations = [
            rule.destination
            for rule in triggered
            if rule.disposition is disposition and rule.destination is not None
        ]
        if destinations:
            destination = min(destinations, key=lambda d: d.precedence)
    else:
        disposition, pathway = YELLOW_FLAG_DECISION[score.risk if score.complete else None]
    unanswered = tuple(
        sorted(
            item.id
            for item in protocol.items
            if item.is_red_flag_screening and item.id in visible and item.id not in effective
        )
    )
    advisories = tuple(
        advisory
        for advisory in protocol.advisories
        if holds(advisory.condition, effective)
        and not any(rule_id in triggered_ids for rule_id in advisory.unless_red_flags)
    )
    rationale = _rationale(
        triggered, advisories, score, disposition, destination, pathway, unanswered
    )
    return TriageResult(
        protocol_id=protocol.id,
        protocol_version=protocol.version,
        protocol_sha256=protocol.sha256,
        red_flags=triggered_ids,
        triggered=triggered,
        score=score,
        disposition=disposition,
        destination=destination,
        pathway=pathway,
        complete=not unanswered,
        unanswered=unanswered,
        advisories=advisories,
        rationale=rationale,
        visible_items=visible,
        raised_by=raised_by,
    )


def evaluate_answers(protocol: TriageProtocol, raw: Mapping[str, object]) -> TriageResult:
    """Validate ``raw`` answers against ``protocol`` and evaluate them.

    Raises:
        AnswersError: the answers fail validation (spec section 3).
    """
    return evaluate(protocol, validate_answers(protocol, raw))


def red_flag_line(rule: RedFlagRule) -> str:
    """The rationale / red-flag panel line for a triggered rule, with its mandated action."""
    where = (
        rule.disposition if rule.destination is None else f"{rule.disposition}, {rule.destination}"
    )
    return f"Red flag {rule.id} ({where}): {rule.action}"


def _rationale(
    triggered: tuple[RedFlagRule, ...],
    advisories: tuple[Advisory, ...],
    score: ToolScore,
    disposition: Disposition,
    destination: Destination | None,
    pathway: Pathway | None,
    unanswered: tuple[str, ...],
) -> tuple[str, ...]:
    lines = [red_flag_line(rule) for rule in triggered]
    lines.extend(advisory.text for advisory in advisories)
    lines.append(score.describe())
    if triggered:
        sent = f"{disposition}, {destination}" if destination is not None else f"{disposition}"
        lines.append(
            f"Recommended {sent}: the most severe triggered red flag decides; the yellow-flag "
            "result does not change it."
        )
    elif score.complete:
        on_pathway = f" on the {pathway.replace('_', ' ')} pathway" if pathway is not None else ""
        lines.append(
            f"No red flag triggered: {score.risk} yellow-flag risk gives {disposition}{on_pathway}."
        )
    else:
        lines.append(
            f"No red flag triggered: the yellow-flag tool is incomplete, which gives {disposition}."
        )
    if unanswered:
        lines.append(
            f"Incomplete: {len(unanswered)} red-flag screening question"
            f"{'s' if len(unanswered) != 1 else ''} unanswered ({', '.join(unanswered)}); "
            "sign-off needs every one answered."
        )
    return tuple(lines)
