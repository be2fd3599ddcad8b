"""Triage vocabulary: protocol ids, dispositions by severity, destinations by precedence.

Everything here is fixed by clinical-spec.md sections 2 and 8 and is shared by the engine, the
protocol checker, the assessment form and the override rule of section 10. The order of each
tuple below *is* the clinical rule (most severe first, precedence first), so it lives here as
data and nowhere else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

#: Protocol ids (spec 2.1). No other id is valid.
PROTOCOL_IDS: Final[tuple[str, ...]] = (
    "lumbar",
    "thoracic",
    "cervical",
    "shoulder",
    "elbow",
    "wrist_hand",
    "hip",
    "knee",
    "foot_ankle",
)

#: Prefix of the common items present in every protocol (spec 2.2, section 5).
GENERAL_ITEM_PREFIX: Final = "general."

#: Sections of a protocol, in call order. Which items are red-flag screening items is decided by
#: the item class (spec 2.3), not by the section an item is shown in.
SECTION_IDS: Final[tuple[str, ...]] = (
    "presenting_complaint",
    "red_flag_screen",
    "yellow_flags",
    "plan",
)
#: The section that holds the yellow-flag tool's items, and only them.
TOOL_SECTION_ID: Final = "yellow_flags"


class ItemType(StrEnum):
    """Answer types of protocol items (spec 2.2)."""

    BOOL = "bool"
    INT = "int"
    CHOICE = "choice"
    TEXT = "text"


#: Ability questions (spec 2.2, Decision 15): ids contain this marker, are ``choice`` items with
#: exactly these options, and a red-flag rule may only test them ``== no``.
ABILITY_ID_MARKER: Final = ".can_"
ABILITY_OPTIONS: Final[tuple[str, ...]] = ("yes", "no")
ABILITY_CANNOT: Final = "no"


class Disposition(StrEnum):
    """Recommended outcome of a triage call (spec 2.4). Compare severity, never the strings."""

    EMERGENCY = "emergency"
    URGENT_REFERRAL = "urgent_referral"
    URGENT_F2F = "urgent_f2f"
    ONWARD_REFERRAL = "onward_referral"
    ROUTINE_F2F = "routine_f2f"
    SELF_MANAGEMENT = "self_management"

    @property
    def rank(self) -> int:
        """Rank in spec 2.4: 1 is the most severe (``emergency``), 6 the least."""
        return DISPOSITIONS_MOST_SEVERE_FIRST.index(self) + 1

    def is_more_severe_than(self, other: Disposition) -> bool:
        """True if this disposition has a lower rank number than ``other`` (spec 2.4)."""
        return self.rank < other.rank

    def is_less_severe_than(self, other: Disposition) -> bool:
        """True if this disposition has a higher rank number than ``other``.

        Choosing a disposition less severe than the recommendation needs a written reason
        (spec section 10).
        """
        return self.rank > other.rank

    @property
    def stays_in_physiotherapy(self) -> bool:
        """True for dispositions delivered by the physiotherapy service itself.

        A red flag with such a disposition has no destination (spec 2.5: ``null`` "for red
        flags whose disposition stays within physiotherapy"); every other red flag has one.
        """
        return self in _PHYSIOTHERAPY_DISPOSITIONS


#: Spec 2.4, most severe first. ``Disposition.rank`` is the 1-based position in this tuple.
DISPOSITIONS_MOST_SEVERE_FIRST: Final[tuple[Disposition, ...]] = (
    Disposition.EMERGENCY,
    Disposition.URGENT_REFERRAL,
    Disposition.URGENT_F2F,
    Disposition.ONWARD_REFERRAL,
    Disposition.ROUTINE_F2F,
    Disposition.SELF_MANAGEMENT,
)

_PHYSIOTHERAPY_DISPOSITIONS: Final = frozenset(
    {Disposition.URGENT_F2F, Disposition.ROUTINE_F2F, Disposition.SELF_MANAGEMENT}
)


def most_severe(dispositions: tuple[Disposition, ...] | list[Disposition]) -> Disposition:
    """The most severe of one or more dispositions (spec 2.4).

    Raises:
        ValueError: ``dispositions`` is empty.
    """
    if not dispositions:
        raise ValueError("most_severe() needs at least one disposition")
    return min(dispositions, key=lambda d: d.rank)


class Destination(StrEnum):
    """Where an onward or emergency disposition sends the patient (spec 2.5)."""

    EMERGENCY_DEPARTMENT = "emergency_department"
    VASCULAR_SAME_DAY = "vascular_same_day"
    URGENT_TREATMENT_CENTRE = "urgent_treatment_centre"
    SPINAL_SURGERY_URGENT = "spinal_surgery_urgent"
    SUSPECTED_CANCER_PATHWAY = "suspected_cancer_pathway"
    ORTHOPAEDICS_URGENT = "orthopaedics_urgent"
    RHEUMATOLOGY = "rheumatology"
    GP_URGENT = "gp_urgent"
    ORTHOPAEDICS = "orthopaedics"

    @property
    def precedence(self) -> int:
        """Precedence in spec 2.5: 1 wins a tie between red flags of equal disposition."""
        return DESTINATIONS_BY_PRECEDENCE.index(self) + 1


#: Spec 2.5 in destination precedence order (used to break ties, spec 8 step 2).
DESTINATIONS_BY_PRECEDENCE: Final[tuple[Destination, ...]] = (
    Destination.EMERGENCY_DEPARTMENT,
    Destination.VASCULAR_SAME_DAY,
    Destination.URGENT_TREATMENT_CENTRE,
    Destination.SPINAL_SURGERY_URGENT,
    Destination.SUSPECTED_CANCER_PATHWAY,
    Destination.ORTHOPAEDICS_URGENT,
    Destination.RHEUMATOLOGY,
    Destination.GP_URGENT,
    Destination.ORTHOPAEDICS,
)


class Pathway(StrEnum):
    """Treatment pathway attached to a yellow-flag decision (spec 2.6)."""

    PSYCHOLOGICALLY_INFORMED = "psychologically_informed"


class YellowFlagTool(StrEnum):
    """Psychosocial risk tools (spec section 7)."""

    START_BACK = "start_back"
    START_MSK = "start_msk"

    @property
    def display_name(self) -> str:
        """The tool's name as clinicians say it."""
        return _TOOL_TITLES[self]

    @property
    def item_prefix(self) -> str:
        """Prefix of this tool's item ids (spec 2.2): ``sbt.`` or ``smsk.``."""
        return _TOOL_ITEM_PREFIXES[self]


_TOOL_TITLES: Final = {
    YellowFlagTool.START_BACK: "STarT Back",
    YellowFlagTool.START_MSK: "STarT MSK",
}
_TOOL_ITEM_PREFIXES: Final = {YellowFlagTool.START_BACK: "sbt.", YellowFlagTool.START_MSK: "smsk."}

#: Which tool each protocol uses (spec 2.2, 6.x headings): STarT Back for the back only.
YELLOW_FLAG_TOOL_BY_PROTOCOL: Final[dict[str, YellowFlagTool]] = {
    protocol_id: (
        YellowFlagTool.START_BACK
        if protocol_id in ("lumbar", "thoracic")
        else YellowFlagTool.START_MSK
    )
    for protocol_id in PROTOCOL_IDS
}


class RiskGroup(StrEnum):
    """Yellow-flag risk group of a complete tool (spec section 7)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


#: Spec 8 step 3 (Decision 3): what the yellow-flag result decides when no red flag triggered.
#: Key ``None`` is an incomplete tool, which never yields self-management.
YELLOW_FLAG_DECISION: Final[dict[RiskGroup | None, tuple[Disposition, Pathway | None]]] = {
    RiskGroup.LOW: (Disposition.SELF_MANAGEMENT, None),
    RiskGroup.MEDIUM: (Disposition.ROUTINE_F2F, None),
    RiskGroup.HIGH: (Disposition.ROUTINE_F2F, Pathway.PSYCHOLOGICALLY_INFORMED),
    None: (Disposition.ROUTINE_F2F, None),
}


def red_flag_dispositions() -> tuple[Disposition, ...]:
    """Dispositions a red-flag rule may carry: those more severe than any yellow-flag outcome.

    A red flag replaces the yellow-flag decision (spec 8 step 2), so a red flag carrying
    ``routine_f2f`` or ``self_management`` could make a patient's recommendation *less* severe
    than the tool alone would (hazard H2). The protocol checker refuses such a rule.
    """
    least_severe_allowed = most_severe([d for d, _ in YELLOW_FLAG_DECISION.values()])
    return tuple(
        d for d in DISPOSITIONS_MOST_SEVERE_FIRST if d.is_more_severe_than(least_severe_allowed)
    )
