"""Share out: spread a batch of referrals across the clinicians on triage duty by their capacity.

A team lead shares out unassigned referrals, or a sick colleague's list, across the clinicians on
shift. The rule:

* **Most urgent first.** Referrals are taken in order of call due time (earliest first); on equal
  due times GP-urgent before routine, then by referral id. The urgent ones therefore spread across
  the team instead of piling onto one person, and if there is not room for all, those left over
  are the ones due last.
* **Weighted by capacity and current load.** Each referral in turn goes to the clinician who
  would be least full after taking it, fullness being (current load + shared so far + 1) divided
  by capacity for the day. Everyone therefore fills up at the same rate relative to capacity: at
  equal capacity and equal load the shares differ by at most one call, and a clinician who already
  has more calls gets fewer new ones. When two would be equally full, the one given fewer in this
  share-out so far takes it, so the most urgent referrals go to different people.
* **Capacity is a hard limit.** Nobody is given a call beyond their capacity, so nobody goes over
  capacity while another is under; referrals beyond the team's total remaining capacity are left
  unassigned and reported.
* **Deterministic.** The same referrals and clinicians give the same result, whatever order they
  are passed in; remaining ties go to the lower clinician id.

The result is a :class:`ShareOutPreview` the team lead can adjust (:func:`move_in_preview`) before
the service applies it; nothing here writes anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction

from physioline.core.due import require_aware
from physioline.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class ReferralToShare:
    """A referral waiting to be given to a clinician.

    Attributes:
        referral_id: the referral's id.
        due_at: when its call is due, aware (stored as UTC).
        urgent: whether the GP marked it urgent.

    Raises:
        ValueError: if ``due_at`` is naive.
    """

    referral_id: int
    due_at: datetime
    urgent: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "due_at", require_aware(self.due_at, "due_at"))

    @property
    def urgency_key(self) -> tuple[datetime, bool, int]:
        """Sort key, most urgent first: due time, then urgent before routine, then id."""
        return (self.due_at, not self.urgent, self.referral_id)


@dataclass(frozen=True, slots=True)
class ClinicianOnShift:
    """A clinician on triage duty today.

    Attributes:
        clinician_id: the clinician's id.
        capacity: calls they can make today (set per clinician by the team lead).
        current_load: calls already on their list for today, before this share-out.

    Raises:
        InvalidInput: if capacity or load is negative.
    """

    clinician_id: int
    capacity: int
    current_load: int = 0

    def __post_init__(self) -> None:
        if self.capacity < 0 or self.current_load < 0:
            raise InvalidInput(
                f"Clinician {self.clinician_id}: capacity ({self.capacity}) and current load "
                f"({self.current_load}) must not be negative.",
            )

    @property
    def room(self) -> int:
        """Calls they can still take today; zero when already at or over capacity."""
        return max(0, self.capacity - self.current_load)


@dataclass(frozen=True, slots=True)
class ClinicianShare:
    """One clinician's part of a share-out preview.

    Attributes:
        clinician: the clinician, with capacity and load before the share-out.
        referrals: the referrals given to them, most urgent first.
    """

    clinician: ClinicianOnShift
    referrals: tuple[ReferralToShare, ...]

    @property
    def clinician_id(self) -> int:
        """The clinician's id."""
        return self.clinician.clinician_id

    @property
    def referral_ids(self) -> tuple[int, ...]:
        """Ids of the referrals given to them, most urgent first."""
        return tuple(referral.referral_id for referral in self.referrals)

    @property
    def load_after(self) -> int:
        """Their load once the share-out is applied."""
        return self.clinician.current_load + len(self.referrals)

    @property
    def over_capacity(self) -> bool:
        """Whether the preview, as adjusted, gives them more calls than their capacity allows."""
        return self.load_after > self.clinician.capacity and bool(self.referrals)


@dataclass(frozen=True, slots=True)
class ShareOutPreview:
    """A proposed share-out for the team lead to check, adjust and apply.

    Attributes:
        shares: one entry per clinician on shift, in clinician id order (including those given
            nothing).
        left_over: referrals nobody had room for, most urgent first.
    """

    shares: tuple[ClinicianShare, ...]
    left_over: tuple[ReferralToShare, ...]

    @property
    def assignments(self) -> dict[int, tuple[int, ...]]:
        """Referral ids per clinician id, ready for the service to apply."""
        return {share.clinician_id: share.referral_ids for share in self.shares}

    @property
    def left_over_ids(self) -> tuple[int, ...]:
        """Ids of the referrals left unassigned."""
        return tuple(referral.referral_id for referral in self.left_over)

    def share_of(self, clinician_id: int) -> ClinicianShare:
        """Return one clinician's share.

        Raises:
            KeyError: if the clinician is not in this preview.
        """
        for share in self.shares:
            if share.clinician_id == clinician_id:
                return share
        raise KeyError(clinician_id)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Plain sentences for the team lead about the preview as it stands."""
        notes = [
            f"Clinician {share.clinician_id} would have {share.load_after} calls, over their "
            f"capacity of {share.clinician.capacity}."
            for share in self.shares
            if share.over_capacity
        ]
        if self.left_over:
            count = len(self.left_over)
            notes.append(
                f"{count} referral{'s' if count > 1 else ''} left unassigned: "
                "the clinicians on shift have no room for them today."
            )
        return tuple(notes)


def share_out(
    referrals: Iterable[ReferralToShare], clinicians: Iterable[ClinicianOnShift]
) -> ShareOutPreview:
    """Propose how to share referrals across the clinicians on shift (rule in the module docstring).

    Args:
        referrals: the referrals to share out, in any order.
        clinicians: the clinicians on shift today, in any order; pass only those on triage duty
            (clinicians off shift get no new work).

    Returns:
        The preview. Every referral appears exactly once, either in one clinician's share or in
        ``left_over``; nobody is given more than their remaining room; something is left over only
        when every clinician is full.

    Raises:
        InvalidInput: if a referral or a clinician appears twice.
    """
    to_share = sorted(referrals, key=lambda referral: referral.urgency_key)
    _refuse_duplicates([referral.referral_id for referral in to_share], "Referral")
    team = sorted(clinicians, key=lambda clinician: clinician.clinician_id)
    _refuse_duplicates([clinician.clinician_id for clinician in team], "Clinician")

    given: dict[int, list[ReferralToShare]] = {clinician.clinician_id: [] for clinician in team}
    left_over: list[ReferralToShare] = []
    for referral in to_share:
        chosen = _least_full_after_one_more(team, given)
        if chosen is None:
            left_over.append(referral)
        else:
            given[chosen.clinician_id].append(referral)

    return ShareOutPreview(
        shares=tuple(
            ClinicianShare(clinician, tuple(given[clinician.clinician_id])) for clinician in team
        ),
        left_over=tuple(left_over),
    )


def _least_full_after_one_more(
    team: Sequence[ClinicianOnShift], given: dict[int, list[ReferralToShare]]
) -> ClinicianOnShift | None:
    best: ClinicianOnShift | None = None
    best_key: tuple[Fraction, int] = (Fraction(0), 0)
    for clinician in team:  # in clinician id order, so remaining ties go to the lower id
        taken = len(given[clinician.clinician_id])
        if taken >= clinician.room:
            continue
        # Equally full afterwards: the one given fewer so far, so the most urgent spread out.
        key = (Fraction(clinician.current_load + taken + 1, clinician.capacity), taken)
        if best is None or key < best_key:
            best, best_key = clinician, key
    return best


def move_in_preview(
    preview: ShareOutPreview, referral_id: int, to_clinician_id: int | None
) -> ShareOutPreview:
    """Return the preview with one referral moved, as the team lead adjusts it before applying.

    The team lead's judgement overrides capacity: a move that puts someone over capacity is
    allowed and shows up in :attr:`ShareOutPreview.warnings`.

    Args:
        preview: the preview to adjust (left unchanged).
        referral_id: the referral to move.
        to_clinician_id: the clinician to give it to, or None to leave it unassigned.

    Raises:
        InvalidInput: if the referral or the clinician is not in the preview.
    """
    everything = [r for share in preview.shares for r in share.referrals] + list(preview.left_over)
    moving = next((r for r in everything if r.referral_id == referral_id), None)
    if moving is None:
        raise InvalidInput(f"Referral {referral_id} is not in this share-out.")
    if to_clinician_id is not None and all(
        share.clinician_id != to_clinician_id for share in preview.shares
    ):
        raise InvalidInput(
            f"Clinician {to_clinician_id} is not on shift in this share-out.",
            "Add them to today's shift first.",
        )

    def without(referrals: Sequence[ReferralToShare]) -> list[ReferralToShare]:
        return [r for r in referrals if r.referral_id != referral_id]

    def with_moving(referrals: Sequence[ReferralToShare]) -> tuple[ReferralToShare, ...]:
        return tuple(sorted([*without(referrals), moving], key=lambda r: r.urgency_key))

    shares = tuple(
        replace(
            share,
            referrals=with_moving(share.referrals)
            if share.clinician_id == to_clinician_id
            else tuple(without(share.referrals)),
        )
        for share in preview.shares
    )
    left_over = (
        with_moving(preview.left_over) if to_clinician_id is None else without(preview.left_over)
    )
    return ShareOutPreview(shares=shares, left_over=tuple(left_over))


def _refuse_duplicates(ids: Sequence[int], what: str) -> None:
    seen: set[int] = set()
    for item in ids:
        if item in seen:
            raise InvalidInput(f"{what} {item} appears twice in the share-out.")
        seen.add(item)
