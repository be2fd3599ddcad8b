"""Share-out rule: most urgent first, weighted by capacity and load, fair, capped, deterministic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from physioline.core.shareout import (
    ClinicianOnShift,
    ReferralToShare,
    move_in_preview,
    share_out,
)
from physioline.errors import InvalidInput

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def referrals(count: int) -> list[ReferralToShare]:
    """Referrals 1..count, each due an hour after the one before (1 is most urgent)."""
    return [ReferralToShare(n, START + timedelta(hours=n)) for n in range(1, count + 1)]


def on_shift(*spec: tuple[int, int, int]) -> list[ClinicianOnShift]:
    return [ClinicianOnShift(cid, capacity, load) for cid, capacity, load in spec]


# Each row: what it shows, referral count, clinicians (id, capacity, load), expected referral ids
# per clinician, expected left over.
CASES = [
    (
        "equal capacity: round robin, most urgent spread across the team",
        6,
        [(1, 10, 0), (2, 10, 0), (3, 10, 0)],
        {1: (1, 4), 2: (2, 5), 3: (3, 6)},
        (),
    ),
    (
        "equal capacity, uneven split: lower ids get the extra one",
        7,
        [(1, 10, 0), (2, 10, 0), (3, 10, 0)],
        {1: (1, 4, 7), 2: (2, 5), 3: (3, 6)},
        (),
    ),
    (
        "equal capacity, one already has 4: the other catches up first",
        6,
        [(1, 10, 4), (2, 10, 0)],
        {1: (5,), 2: (1, 2, 3, 4, 6)},
        (),
    ),
    (
        "double capacity takes twice the calls",
        9,
        [(1, 10, 0), (2, 5, 0)],
        {1: (1, 3, 4, 6, 7, 9), 2: (2, 5, 8)},
        (),
    ),
    (
        "beyond total capacity: the least urgent are left over",
        5,
        [(1, 2, 0), (2, 1, 0)],
        {1: (1, 3), 2: (2,)},
        (4, 5),
    ),
    (
        "already over capacity gets nothing",
        3,
        [(1, 5, 7), (2, 5, 0)],
        {1: (), 2: (1, 2, 3)},
        (),
    ),
    (
        "no capacity today gets nothing",
        2,
        [(1, 0, 0), (2, 4, 3)],
        {1: (), 2: (1,)},
        (2,),
    ),
    ("nobody on shift: everything left over", 3, [], {}, (1, 2, 3)),
    ("nothing to share", 0, [(1, 5, 0)], {1: ()}, ()),
]


@pytest.mark.parametrize(
    ("count", "team", "expected", "left_over"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_share_out(
    count: int,
    team: list[tuple[int, int, int]],
    expected: dict[int, tuple[int, ...]],
    left_over: tuple[int, ...],
) -> None:
    preview = share_out(referrals(count), on_shift(*team))

    assert preview.assignments == expected
    assert preview.left_over_ids == left_over


def test_scenario_a_sick_colleagues_eleven_calls_across_three_physios() -> None:
    # Tom goes home with 11 calls; Priya (8 a day, 5 made), Ade (8, 2), Sam (4, 0).
    preview = share_out(referrals(11), on_shift((1, 8, 5), (2, 8, 2), (3, 4, 0)))

    loads = {share.clinician_id: share.load_after for share in preview.shares}
    assert loads == {1: 8, 2: 7, 3: 3}  # 100 %, 88 %, 75 % full: the last call ties at 100 %
    assert sum(len(share.referrals) for share in preview.shares) == 11
    assert preview.left_over == ()
    assert preview.warnings == ()


def test_equal_due_times_put_gp_urgent_first_then_referral_id() -> None:
    due = START + timedelta(hours=5)
    batch = [
        ReferralToShare(30, due, urgent=False),
        ReferralToShare(20, due, urgent=True),
        ReferralToShare(10, due, urgent=False),
        ReferralToShare(40, START, urgent=False),
    ]

    preview = share_out(batch, on_shift((1, 1, 0), (2, 1, 0), (3, 1, 0)))

    assert preview.assignments == {1: (40,), 2: (20,), 3: (10,)}
    assert preview.left_over_ids == (30,)


def test_overdue_routine_referral_comes_before_a_later_urgent_one() -> None:
    batch = [ReferralToShare(1, START, urgent=True), ReferralToShare(2, START - timedelta(hours=1))]

    preview = share_out(batch, on_shift((7, 1, 0)))

    assert preview.assignments == {7: (2,)}
    assert preview.left_over_ids == (1,)


def test_each_clinicians_list_is_most_urgent_first() -> None:
    preview = share_out(reversed(referrals(8)), on_shift((2, 10, 0), (1, 10, 0)))

    for share in preview.shares:
        assert list(share.referral_ids) == sorted(share.referral_ids)
    assert [share.clinician_id for share in preview.shares] == [1, 2]


@pytest.mark.parametrize(
    ("batch", "team", "message"),
    [
        (referrals(2) + referrals(1), on_shift((1, 5, 0)), "Referral 1 appears twice"),
        (referrals(2), on_shift((1, 5, 0), (1, 3, 0)), "Clinician 1 appears twice"),
    ],
)
def test_duplicates_are_refused(
    batch: list[ReferralToShare], team: list[ClinicianOnShift], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        share_out(batch, team)


def test_negative_capacity_or_load_is_refused() -> None:
    with pytest.raises(InvalidInput, match="must not be negative"):
        ClinicianOnShift(1, -1)
    with pytest.raises(InvalidInput, match="must not be negative"):
        ClinicianOnShift(1, 5, -2)


def test_naive_due_time_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        ReferralToShare(1, datetime(2026, 3, 2, 9, 0))  # noqa: DTZ001


# --- adjusting the preview ------------------------------------------------------------------------


def test_team_lead_moves_a_referral_to_another_clinician() -> None:
    preview = share_out(referrals(4), on_shift((1, 10, 0), (2, 10, 0)))

    adjusted = move_in_preview(preview, 1, 2)

    assert adjusted.assignments == {1: (3,), 2: (1, 2, 4)}
    assert preview.assignments == {1: (1, 3), 2: (2, 4)}  # the original is unchanged


def test_team_lead_leaves_a_referral_unassigned_and_takes_one_from_left_over() -> None:
    preview = share_out(referrals(4), on_shift((1, 2, 0), (2, 1, 0)))
    assert preview.left_over_ids == (4,)

    adjusted = move_in_preview(move_in_preview(preview, 2, None), 4, 2)

    assert adjusted.assignments == {1: (1, 3), 2: (4,)}
    assert adjusted.left_over_ids == (2,)


def test_moving_someone_over_capacity_is_allowed_with_a_warning() -> None:
    preview = share_out(referrals(3), on_shift((1, 1, 0), (2, 1, 0)))

    adjusted = move_in_preview(preview, 3, 1)

    assert adjusted.share_of(1).over_capacity
    assert adjusted.left_over == ()
    assert adjusted.warnings == ("Clinician 1 would have 2 calls, over their capacity of 1.",)
    assert preview.warnings == (
        "1 referral left unassigned: the clinicians on shift have no room for them today.",
    )


def test_moves_of_unknown_referrals_or_clinicians_are_refused() -> None:
    preview = share_out(referrals(2), on_shift((1, 5, 0)))

    with pytest.raises(InvalidInput, match="Referral 99 is not in this share-out"):
        move_in_preview(preview, 99, 1)
    with pytest.raises(InvalidInput, match="Clinician 5 is not on shift"):
        move_in_preview(preview, 1, 5)
    with pytest.raises(KeyError):
        preview.share_of(5)


# --- properties ---------------------------------------------------------------------------------

referral_batches = st.lists(
    st.builds(
        ReferralToShare,
        referral_id=st.integers(min_value=1, max_value=10_000),
        due_at=st.integers(min_value=0, max_value=200).map(lambda h: START + timedelta(hours=h)),
        urgent=st.booleans(),
    ),
    max_size=60,
    unique_by=lambda referral: referral.referral_id,
)
teams = st.lists(
    st.builds(
        ClinicianOnShift,
        clinician_id=st.integers(min_value=1, max_value=50),
        capacity=st.integers(min_value=0, max_value=15),
        current_load=st.integers(min_value=0, max_value=20),
    ),
    max_size=6,
    unique_by=lambda clinician: clinician.clinician_id,
)


@settings(max_examples=200, deadline=None)
@given(batch=referral_batches, team=teams)
def test_every_referral_is_placed_once_and_nobody_goes_over_capacity(
    batch: list[ReferralToShare], team: list[ClinicianOnShift]
) -> None:
    preview = share_out(batch, team)

    placed = [r.referral_id for share in preview.shares for r in share.referrals]
    placed += list(preview.left_over_ids)
    assert sorted(placed) == sorted(r.referral_id for r in batch)
    for share in preview.shares:
        assert len(share.referrals) <= share.clinician.room
        assert not share.over_capacity
    if preview.left_over:  # only when everyone on shift is full
        assert all(len(share.referrals) == share.clinician.room for share in preview.shares)
    assert not any("over their capacity" in warning for warning in preview.warnings)


@settings(max_examples=200, deadline=None)
@given(batch=referral_batches, team=teams)
def test_left_over_referrals_are_the_least_urgent(
    batch: list[ReferralToShare], team: list[ClinicianOnShift]
) -> None:
    preview = share_out(batch, team)

    assigned = [r for share in preview.shares for r in share.referrals]
    if assigned and preview.left_over:
        assert max(r.urgency_key for r in assigned) < min(r.urgency_key for r in preview.left_over)


@settings(max_examples=200, deadline=None)
@given(
    batch=referral_batches,
    size=st.integers(min_value=1, max_value=6),
    capacity=st.integers(min_value=1, max_value=15),
    load=st.integers(min_value=0, max_value=15),
)
def test_equal_capacity_and_load_shares_differ_by_at_most_one_call(
    batch: list[ReferralToShare], size: int, capacity: int, load: int
) -> None:
    team = [ClinicianOnShift(cid, capacity, load) for cid in range(1, size + 1)]

    counts = [len(share.referrals) for share in share_out(batch, team).shares]

    assert max(counts) - min(counts) <= 1


@settings(max_examples=200, deadline=None)
@given(batch=referral_batches, team=teams)
def test_nobody_is_given_work_that_leaves_them_fuller_than_someone_with_room(
    batch: list[ReferralToShare], team: list[ClinicianOnShift]
) -> None:
    # Weighted fairness: whoever was given a call is, after it, no fuller (load / capacity) than
    # anyone with room left would be after one more. At equal capacity: loads within one call.
    preview = share_out(batch, team)

    with_room = [s for s in preview.shares if len(s.referrals) < s.clinician.room]
    for given_some in (s for s in preview.shares if s.referrals):
        fullness = Fraction(given_some.load_after, given_some.clinician.capacity)
        for other in with_room:
            assert fullness <= Fraction(other.load_after + 1, other.clinician.capacity)
            if other.clinician.capacity == given_some.clinician.capacity:
                assert given_some.load_after <= other.load_after + 1


@settings(max_examples=200, deadline=None)
@given(batch=referral_batches, team=teams, data=st.data())
def test_the_same_input_in_any_order_gives_the_same_preview(
    batch: list[ReferralToShare], team: list[ClinicianOnShift], data: st.DataObject
) -> None:
    shuffled_batch = data.draw(st.permutations(batch))
    shuffled_team = data.draw(st.permutations(team))

    assert share_out(shuffled_batch, shuffled_team) == share_out(batch, team)
